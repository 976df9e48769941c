/*
 * ptyrun: run a command for the CLI tests, bounded in time, optionally on a
 * pseudo-terminal, optionally interrupted, and check that it leaves nothing
 * running.  Test-only; it uses libc and POSIX only (plus the Linux
 * child-subreaper where present, so orphans are caught too).
 *
 * usage: ptyrun [-pPz] [-o FILE] [-r FILE] [-t MS] [-c MS] [-s SIG@MS]
 *               [-S SIG@MS] [-w SIG@MS] [-W SIG@MS] [-g MS] [-i TEXT]
 *               [-C TEXT]
 *               -- CMD [ARG ...]
 *   -p         run CMD with a new pseudo-terminal as its controlling
 *              terminal and its stdin, stdout and stderr
 *   -o FILE    with -p: write what CMD printed on the terminal to FILE
 *   -r FILE    write a report: "status N", "elapsed_ms N", "signal_ms N"
 *              (exit time after the first signal or Ctrl-C), "left N",
 *              "orphans N" (processes of CMD's that ptyrun, as the
 *              subreaper, had to reap after CMD ended: children CMD never
 *              waited for, zombies included) and, with -p, "tty_restored
 *              N" (1 if the terminal's modes at the end are those at the
 *              start)
 *   -P         run CMD with stdout a pipe that nobody reads (closed before
 *              CMD starts: its first write fails with EPIPE / SIGPIPE)
 *   -z         with -g: an orphan counts as a process left behind (125)
 *   -t MS      time limit (default 20000): then kill the process group,
 *              report it on stderr and exit 124
 *   -c MS      with -p: type Ctrl-C on the terminal MS after the start
 *   -C TEXT    with -p: type Ctrl-C once TEXT has appeared on the
 *              terminal (a point in the run, not a time: the same on a
 *              fast machine and a slow one)
 *   -s SIG@MS  send SIG (a number or INT, TERM, HUP, KILL, QUIT) to CMD
 *   -S SIG@MS  send SIG to CMD's whole process group
 *   -w SIG@MS  send SIG to one process of CMD's group other than CMD (a
 *              worker), picked by MS among those alive then
 *   -W SIG@MS  send SIG to every process of CMD's group other than CMD
 *   -g MS      after CMD ends, allow MS for its process group to empty;
 *              if anything is left, list it, kill it and exit 125
 *   -i TEXT    with -p: type TEXT on the terminal at the start
 * Exit status: CMD's, or 128 + the signal that ended it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define MAXEV 8

struct event {
	long at_ms;
	int sig;	/* 0: type Ctrl-C */
	int group;
	int workers;	/* 1: one worker, 2: every worker (-w, -W) */
	int done;
};

static struct event events[MAXEV];
static int nevents;
static int orphans;	/* reaped by us as the subreaper, not CMD itself */

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int signum(const char *s)
{
	static const struct { const char *name; int sig; } names[] = {
		{ "INT", SIGINT }, { "TERM", SIGTERM }, { "HUP", SIGHUP },
		{ "KILL", SIGKILL }, { "QUIT", SIGQUIT }, { "USR1", SIGUSR1 },
		{ "PIPE", SIGPIPE }, { "STOP", SIGSTOP }, { "CONT", SIGCONT },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(s, names[i].name, strlen(names[i].name)) == 0)
			return names[i].sig;
	return atoi(s);
}

static void add_event(const char *arg, int group, int ctrl_c, int workers)
{
	const char *at = strchr(arg, '@');

	if (nevents == MAXEV) {
		fprintf(stderr, "ptyrun: too many events\n");
		exit(2);
	}
	events[nevents].sig = ctrl_c ? 0 : signum(arg);
	events[nevents].at_ms = atol(ctrl_c ? arg : (at ? at + 1 : "0"));
	events[nevents].group = group;
	events[nevents].workers = workers;
	nevents++;
}

static int open_pty(int *slave)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	char *name;

	if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0 ||
	    (name = ptsname(m)) == NULL) {
		perror("ptyrun: pty");
		exit(2);
	}
	*slave = open(name, O_RDWR | O_NOCTTY);
	if (*slave < 0) {
		perror("ptyrun: open slave");
		exit(2);
	}
	return m;
}

/* The terminal modes that matter for restoring it (with -p). */
static int tty_same(const struct termios *a, const struct termios *b)
{
	return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag &&
	       a->c_cflag == b->c_cflag && a->c_lflag == b->c_lflag &&
	       a->c_cc[VMIN] == b->c_cc[VMIN] &&
	       a->c_cc[VTIME] == b->c_cc[VTIME];
}

static void child(char **argv, int slave, int out)
{
	if (out >= 0) {
		dup2(out, 1);
		close(out);
	}
	if (slave >= 0) {
		setsid();
#ifdef TIOCSCTTY
		ioctl(slave, TIOCSCTTY, 0);
#endif
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		if (slave > 2)
			close(slave);
	} else {
		setpgid(0, 0);
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	fprintf(stderr, "ptyrun: cannot run %s: %s\n", argv[0],
		strerror(errno));
	_exit(127);
}

/* Whether fd has something to read (or its end) within ms.  select, not
 * poll: macOS's poll has long refused devices, and a pty master is one. */
static int readable(int fd, long ms)
{
	fd_set set;
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	FD_ZERO(&set);
	FD_SET(fd, &set);
	return select(fd + 1, &set, NULL, NULL, &tv) > 0;
}

/* -C: the text awaited, and the last bytes read (a match may straddle
 * two reads). */
static const char *awaited;
static char seen[8192];
static size_t nseen;
static int text_seen;

static void look_for_text(const char *buf, size_t n)
{
	size_t len = awaited ? strlen(awaited) : 0, keep, i;

	if (len == 0 || text_seen || len >= sizeof(seen) / 2)
		return;
	while (n > 0) {
		size_t take = n < sizeof(seen) / 2 ? n : sizeof(seen) / 2;

		keep = nseen < len - 1 ? nseen : len - 1;
		memmove(seen, seen + nseen - keep, keep);
		memcpy(seen + keep, buf, take);
		nseen = keep + take;
		for (i = 0; i + len <= nseen; i++)
			if (memcmp(seen + i, awaited, len) == 0)
				text_seen = 1;
		buf += take;
		n -= take;
	}
}

static void copy_out(int master, FILE *out)
{
	char buf[4096];
	ssize_t n = read(master, buf, sizeof(buf));

	if (n > 0 && out != NULL)
		fwrite(buf, 1, (size_t)n, out);
	if (n > 0)
		look_for_text(buf, (size_t)n);
}

/* Reap whatever was re-parented to us (with the subreaper) and tell
 * whether any process of group pgid is still alive. */
static int group_alive(pid_t pgid)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		orphans++;
	return kill(-pgid, 0) == 0 || errno == EPERM;
}

/* Send sig to the live processes of group pgid other than its leader:
 * all of them, or the pick-th (modulo their number).  Zombies (killed
 * already, not yet reaped) are not picked.  ps lists them portably. */
static void kill_workers(pid_t pgid, int sig, int all, long pick)
{
	pid_t pids[1024];
	long pid, group;
	char stat[16];
	int n = 0, i;
	FILE *ps = popen("ps -A -o pid= -o pgid= -o stat= 2>/dev/null", "r");

	if (ps == NULL)
		return;
	while (n < 1024 &&
	       fscanf(ps, "%ld %ld %15s", &pid, &group, stat) == 3)
		if (group == (long)pgid && pid != (long)pgid &&
		    stat[0] != 'Z')
			pids[n++] = (pid_t)pid;
	pclose(ps);
	for (i = 0; i < n; i++)
		if (all || i == pick % n)
			kill(pids[i], sig);
}

static void list_group(pid_t pgid)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd),
		 "ps -A -o pid,pgid,stat,args 2>/dev/null | awk '$2 == %d'",
		 (int)pgid);
	if (system(cmd) != 0)
		fprintf(stderr, "ptyrun: (ps unavailable)\n");
}

int main(int argc, char **argv)
{
	const char *outpath = NULL, *reportpath = NULL, *typed = NULL;
	long limit = 20000, grace = -1, start, first_sig = -1, end;
	int use_pty = 0, master = -1, slave = -1, status = 0, c, code, left;
	int ready[2], nopipe[2] = { -1, -1 }, no_reader = 0, strict = 0;
	int tty_ok = -1;
	struct termios tty0, tty1;
	FILE *out = NULL;
	pid_t pid;

	while ((c = getopt(argc, argv, "+pPzo:r:t:c:C:s:S:w:W:g:i:")) != -1) {
		switch (c) {
		case 'p': use_pty = 1; break;
		case 'P': no_reader = 1; break;
		case 'z': strict = 1; break;
		case 'o': outpath = optarg; break;
		case 'r': reportpath = optarg; break;
		case 't': limit = atol(optarg); break;
		case 'c': add_event(optarg, 0, 1, 0); break;
		case 'C': awaited = optarg; break;
		case 's': add_event(optarg, 0, 0, 0); break;
		case 'S': add_event(optarg, 1, 0, 0); break;
		case 'w': add_event(optarg, 0, 0, 1); break;
		case 'W': add_event(optarg, 0, 0, 2); break;
		case 'g': grace = atol(optarg); break;
		case 'i': typed = optarg; break;
		default:
			fprintf(stderr, "ptyrun: bad usage\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ptyrun: no command\n");
		return 2;
	}
#if defined(__linux__) && defined(PR_SET_CHILD_SUBREAPER)
	prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif
	if (use_pty) {
		master = open_pty(&slave);
		if (tcgetattr(slave, &tty0) != 0) {
			perror("ptyrun: tcgetattr");
			return 2;
		}
	}
	if (no_reader && pipe(nopipe) == 0)
		close(nopipe[0]);
	if (outpath != NULL && (out = fopen(outpath, "w")) == NULL) {
		perror(outpath);
		return 2;
	}
	fflush(NULL);
	if (pipe(ready) != 0 || fcntl(ready[1], F_SETFD, FD_CLOEXEC) != 0) {
		perror("ptyrun: pipe");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("ptyrun: fork");
		return 2;
	}
	if (pid == 0) {
		close(ready[0]);
		child(argv + optind, slave, nopipe[1]);
	}
	if (nopipe[1] >= 0)
		close(nopipe[1]);
	/* The child's setsid/setpgid must come first (a group leader cannot
	 * call setsid): wait until exec closes the close-on-exec pipe. */
	close(ready[1]);
	while (read(ready[0], &code, 1) < 0 && errno == EINTR)
		;
	close(ready[0]);
	start = now_ms();
	if (slave >= 0)
		close(slave);
	if (typed != NULL && write(master, typed, strlen(typed)) < 0)
		perror("ptyrun: type");
	for (;;) {
		long t = now_ms() - start, wait_ms = 20;
		int i;

		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		if (t >= limit) {
			fprintf(stderr, "ptyrun: time limit %ld ms reached, "
				"killing %s\n", limit, argv[optind]);
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			while (group_alive(pid))
				usleep(10000);
			return 124;
		}
		if (text_seen == 1) {
			char cc = 3;

			text_seen = 2;
			if (first_sig < 0)
				first_sig = now_ms();
			if (write(master, &cc, 1) < 0)
				perror("ptyrun: Ctrl-C");
		}
		for (i = 0; i < nevents; i++) {
			struct event *e = &events[i];

			if (e->done || t < e->at_ms)
				continue;
			e->done = 1;
			if (first_sig < 0)
				first_sig = now_ms();
			if (e->sig == 0) {
				char cc = 3;	/* ^C: the tty sends SIGINT */

				if (write(master, &cc, 1) < 0)
					perror("ptyrun: Ctrl-C");
			} else if (e->workers) {
				kill_workers(pid, e->sig, e->workers == 2,
					     e->at_ms);
			} else {
				kill(e->group ? -pid : pid, e->sig);
			}
		}
		if (master >= 0) {
			if (readable(master, wait_ms))
				copy_out(master, out);
		} else {
			usleep((useconds_t)wait_ms * 1000);
		}
	}
	end = now_ms();
	if (master >= 0) {
		/* Drain what is left; EIO once every writer is gone. */
		while (readable(master, 50)) {
			char buf[4096];
			ssize_t n = read(master, buf, sizeof(buf));

			if (n <= 0)
				break;
			if (out != NULL)
				fwrite(buf, 1, (size_t)n, out);
		}
	}
	code = WIFEXITED(status) ? WEXITSTATUS(status)
				 : 128 + WTERMSIG(status);
	if (master >= 0)
		tty_ok = tcgetattr(master, &tty1) == 0 && tty_same(&tty0, &tty1);
	left = 0;
	if (grace >= 0) {
		long until = now_ms() + grace;

		while (group_alive(pid) && now_ms() < until)
			usleep(10000);
		if (group_alive(pid)) {
			left = 1;
			fprintf(stderr, "ptyrun: processes left in group %d "
				"%ld ms after %s ended:\n", (int)pid, grace,
				argv[optind]);
			list_group(pid);
			kill(-pid, SIGKILL);
		}
		if (strict && orphans > 0) {
			left = 1;
			fprintf(stderr, "ptyrun: %d process(es) of %s were not "
				"reaped by it\n", orphans, argv[optind]);
		}
	}
	if (out != NULL)
		fclose(out);
	if (reportpath != NULL) {
		FILE *r = fopen(reportpath, "w");

		if (r != NULL) {
			fprintf(r, "status %d\nelapsed_ms %ld\nsignal_ms %ld\n"
				"left %d\norphans %d\n", code, end - start,
				first_sig < 0 ? -1 : end - first_sig, left,
				orphans);
			if (tty_ok >= 0)
				fprintf(r, "tty_restored %d\n", tty_ok);
			fclose(r);
		}
	}
	return left ? 125 : code;
}
