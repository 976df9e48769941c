/*
 * nprocrun: run a command as a fresh unprivileged user with RLIMIT_NPROC
 * (`ulimit -u`) set, for the fault suite.  Root is exempt from
 * RLIMIT_NPROC, and a user who already runs other processes would share
 * the count with them: a uid that runs nothing else makes the limit exact
 * (the command itself counts as one; on Linux every thread counts too).
 * Test-only, in place of util-linux's setpriv, which the project does not
 * need.  POSIX plus setgroups (Linux, the BSDs, macOS).
 *
 * usage: nprocrun UID LIMIT -- CMD [ARG ...]
 *   drop the supplementary groups, set the real, effective and saved gid
 *   and uid to UID, make sure root cannot come back, set RLIMIT_NPROC's
 *   soft and hard limits to LIMIT (after the switch: lowering a limit
 *   needs no privilege, and the kernel then has no reason to refuse the
 *   exec), and exec CMD.
 * Exit status: CMD's; 77 when not run as root (the caller skips); 2 on bad
 * usage or when a step fails; 126/127 when CMD cannot be run.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static long number(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 0)
		return -1;
	return n;
}

static void die(const char *what)
{
	fprintf(stderr, "nprocrun: %s: %s\n", what, strerror(errno));
	exit(2);
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	long uid, limit;

	if (argc < 5 || strcmp(argv[3], "--") != 0 ||
	    (uid = number(argv[1])) <= 0 || (limit = number(argv[2])) < 0) {
		fprintf(stderr, "usage: nprocrun UID LIMIT -- CMD [ARG ...]\n");
		return 2;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "nprocrun: not root: cannot switch to a "
			"fresh uid\n");
		return 77;
	}
	if (setgroups(0, NULL) != 0)
		die("setgroups");
	if (setgid((gid_t)uid) != 0)
		die("setgid");
	if (setuid((uid_t)uid) != 0)
		die("setuid");
	if (setuid(0) == 0) {
		fprintf(stderr, "nprocrun: could become root again\n");
		return 2;
	}
	rl.rlim_cur = rl.rlim_max = (rlim_t)limit;
	if (setrlimit(RLIMIT_NPROC, &rl) != 0)
		die("setrlimit RLIMIT_NPROC");
	execvp(argv[4], argv + 4);
	fprintf(stderr, "nprocrun: cannot run %s: %s\n", argv[4],
		strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
