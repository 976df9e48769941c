/*
 * ptyrun: run a command for the CLI tests, bounded in time, optionally on a
 * pseudo-terminal, optionally interrupted, and check that it leaves nothing
 * running.  Test-only; it uses libc and POSIX only (plus the Linux
 * child-subreaper where present, so orphans are caught too).
 *
 * usage: ptyrun [-pPz] [-o FILE] [-r FILE] [-t MS] [-c MS] [-s SIG@MS]
 *               [-S SIG@MS] [-w SIG@MS] [-W SIG@MS] [-g MS] [-i TEXT]
 *               [-C TEXT] [-x COLS] [-X COLS@MS] [-Z MS] [-j MS]
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
 *   -x COLS    with -p: the terminal is COLS columns wide (24 rows)
 *   -X COLS@MS with -p: resize the terminal to COLS columns MS after the
 *              start (the terminal sends SIGWINCH to its foreground group)
 *   -Z MS      with -p: type Ctrl-Z on the terminal MS after the start
 *   -j MS      with -p: job control, as a shell: CMD runs in a process
 *              group of its own, in the foreground, under a session
 *              leader that waits for it; when CMD stops, the leader takes
 *              the terminal back, writes "[ptyrun: stopped]" on a line of
 *              its own, and MS later gives it back and continues CMD's
 *              group (as `fg`).  Without -j, CMD's group has no parent in
 *              its session (it is orphaned), and the system does not stop
 *              it for SIGTSTP's default action.  Signals (-s, -S, -w, -W)
 *              and -g apply to CMD and its group.
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
	int sig;	/* 0: type key, or resize to cols */
	int key;	/* 3: Ctrl-C, 26: Ctrl-Z */
	int cols;	/* > 0: a resize */
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

/* An event at arg "SIG@MS" (key 0, cols 0), "MS" (key: type it) or
 * "COLS@MS" (cols 1: a resize). */
static void add_event(const char *arg, int group, int key, int workers,
		      int resize)
{
	const char *at = strchr(arg, '@');

	if (nevents == MAXEV) {
		fprintf(stderr, "ptyrun: too many events\n");
		exit(2);
	}
	events[nevents].sig = key || resize ? 0 : signum(arg);
	events[nevents].key = key;
	events[nevents].cols = resize ? atoi(arg) : 0;
	events[nevents].at_ms = atol(key ? arg : (at ? at + 1 : "0"));
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

static void set_cols(int fd, int cols)
{
	struct winsize ws;

	memset(&ws, 0, sizeof(ws));
	ws.ws_col = (unsigned short)cols;
	ws.ws_row = 24;
	if (ioctl(fd, TIOCSWINSZ, &ws) != 0)
		perror("ptyrun: TIOCSWINSZ");
}

static void exec_cmd(char **argv)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGTTOU, SIG_DFL);
	execvp(argv[0], argv);
	fprintf(stderr, "ptyrun: cannot run %s: %s\n", argv[0],
		strerror(errno));
	_exit(127);
}

/* -j: the session leader, a shell with job control in miniature.  It
 * tells ptyrun CMD's pid through the ready pipe; exits as CMD did. */
static void shell(char **argv, long fg_ms, int ready)
{
	pid_t job;
	int status;

	signal(SIGTTOU, SIG_IGN);	/* tcsetpgrp from the background */
	job = fork();
	if (job < 0) {
		perror("ptyrun: fork");
		_exit(2);
	}
	if (job == 0) {
		setpgid(0, 0);
		tcsetpgrp(0, getpid());
		exec_cmd(argv);
	}
	setpgid(job, job);
	tcsetpgrp(0, job);
	if (write(ready, &job, sizeof(job)) < 0)
		_exit(2);
	close(ready);
	for (;;) {
		if (waitpid(job, &status, WUNTRACED) < 0) {
			if (errno == EINTR)
				continue;
			_exit(2);
		}
		if (!WIFSTOPPED(status))
			break;
		tcsetpgrp(0, getpgrp());
		if (write(1, "\n[ptyrun: stopped]\n", 19) < 0)
			_exit(2);
		usleep((useconds_t)fg_ms * 1000);
		tcsetpgrp(0, job);
		kill(-job, SIGCONT);
	}
	_exit(WIFEXITED(status) ? WEXITSTATUS(status)
				: 128 + WTERMSIG(status));
}

static void child(char **argv, int slave, int out, long fg_ms, int ready)
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
		if (fg_ms >= 0)
			shell(argv, fg_ms, ready);
	} else {
		setpgid(0, 0);
	}
	exec_cmd(argv);
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
	long limit = 20000, grace = -1, start, first_sig = -1, end, fg_ms = -1;
	int use_pty = 0, master = -1, slave = -1, status = 0, c, code, left;
	int cols = 0;
	int ready[2], nopipe[2] = { -1, -1 }, no_reader = 0, strict = 0;
	int tty_ok = -1;
	struct termios tty0, tty1;
	FILE *out = NULL;
	pid_t pid, target;	/* the child, CMD (itself or its job: -j) */

	while ((c = getopt(argc, argv, "+pPzo:r:t:c:C:s:S:w:W:g:i:x:X:Z:j:"))
	       != -1) {
		switch (c) {
		case 'p': use_pty = 1; break;
		case 'P': no_reader = 1; break;
		case 'z': strict = 1; break;
		case 'o': outpath = optarg; break;
		case 'r': reportpath = optarg; break;
		case 't': limit = atol(optarg); break;
		case 'c': add_event(optarg, 0, 3, 0, 0); break;
		case 'C': awaited = optarg; break;
		case 's': add_event(optarg, 0, 0, 0, 0); break;
		case 'S': add_event(optarg, 1, 0, 0, 0); break;
		case 'w': add_event(optarg, 0, 0, 1, 0); break;
		case 'W': add_event(optarg, 0, 0, 2, 0); break;
		case 'g': grace = atol(optarg); break;
		case 'i': typed = optarg; break;
		case 'x': cols = atoi(optarg); break;
		case 'X': add_event(optarg, 0, 0, 0, 1); break;
		case 'Z': add_event(optarg, 0, 26, 0, 0); break;
		case 'j': fg_ms = atol(optarg); break;
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
		if (cols > 0)
			set_cols(slave, cols);
	} else {
		fg_ms = -1;
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
		child(argv + optind, slave, nopipe[1], fg_ms, ready[1]);
	}
	if (nopipe[1] >= 0)
		close(nopipe[1]);
	/* The child's setsid/setpgid must come first (a group leader cannot
	 * call setsid): wait until exec closes the close-on-exec pipe.  With
	 * -j the session leader first writes CMD's pid into it. */
	close(ready[1]);
	target = pid;
	for (;;) {
		pid_t job;
		ssize_t n = read(ready[0], &job, sizeof(job));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (n == (ssize_t)sizeof(job))
			target = job;
	}
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
			kill(-target, SIGKILL);
			kill(target, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			while (group_alive(target))
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
			if (e->cols > 0 && master >= 0) {
				set_cols(master, e->cols);
			} else if (e->key != 0) {
				/* ^C, ^Z: the tty sends SIGINT, SIGTSTP */
				char cc = (char)e->key;

				if (write(master, &cc, 1) < 0)
					perror("ptyrun: type");
			} else if (e->workers) {
				kill_workers(target, e->sig, e->workers == 2,
					     e->at_ms);
			} else if (e->sig != 0) {
				kill(e->group ? -target : target, e->sig);
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

		while (group_alive(target) && now_ms() < until)
			usleep(10000);
		if (group_alive(target)) {
			left = 1;
			fprintf(stderr, "ptyrun: processes left in group %d "
				"%ld ms after %s ended:\n", (int)target, grace,
				argv[optind]);
			list_group(target);
			kill(-target, SIGKILL);
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
