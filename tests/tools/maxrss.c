/*
 * maxrss: run a command and report the peak resident set size of it and
 * of every descendant it waited for, and its wall time, for bench/run.sh's
 * memory rows and filter rows and tests/cli/filter.sh's memory bound.
 *
 * usage: maxrss FILE CMD [ARG ...]
 * Runs CMD with the same stdin, stdout and stderr, waits for it, then
 * writes "KIB SECONDS" (the peak, in KiB; the time from before the fork
 * to the end of the wait, by the monotonic clock) to FILE.  Exit status:
 * CMD's, or 128 + the signal that ended it; 127 if CMD could not be run.
 *
 * The figure is getrusage(RUSAGE_CHILDREN)'s ru_maxrss: the largest peak
 * of any one process among CMD and the children it reaped (a process
 * pool's workers included), not their sum.  Linux and the BSDs report it
 * in KiB, macOS in bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	struct timespec t0, t1;
	double seconds;
	FILE *out;
	pid_t pid;
	int status;
	long kib;

	if (argc < 3) {
		fprintf(stderr, "usage: maxrss FILE CMD [ARG ...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("maxrss: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "maxrss: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("maxrss: waitpid");
			return 1;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	seconds = (double)(t1.tv_sec - t0.tv_sec) +
		  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (getrusage(RUSAGE_CHILDREN, &ru) != 0) {
		perror("maxrss: getrusage");
		return 1;
	}
#ifdef __APPLE__
	kib = (long)(ru.ru_maxrss / 1024);
#else
	kib = (long)ru.ru_maxrss;
#endif
	out = fopen(argv[1], "w");
	if (out == NULL || fprintf(out, "%ld %.6f\n", kib, seconds) < 0 ||
	    fclose(out) != 0) {
		perror("maxrss: cannot write the result");
		return 1;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
