/*
 * term: frames and escapes written with write(2), the terminal's width,
 * and the signal guard (docs/terminal.md).
 *
 * The guard's set-up (guard_fd, guard_pid, guard_old) is written by the
 * main thread with the guarded signals not yet handled (install) or
 * already back to their old action (remove), and only read by the
 * handlers: no lock.  The drawing state (cols, resized, child) is one
 * volatile sig_atomic_t each, written by the thread that draws or by a
 * handler running in it (term.h: the drawing thread takes SIGTSTP and
 * SIGWINCH), so no lock either.  Async-signal-safe functions use only
 * write(), getpid(), kill(), waitid(), sigaction(), pthread_sigmask(),
 * raise(), ioctl(TIOCGWINSZ) and local buffers.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "term.h"

#define FRAME_CHARS (TERM_FRAME_WIDTH - 1)	/* "<c> thinking!" */
#define ERASE_EOL "\033[K"

/* Columns of the terminal the guard watches, 0 unknown (frames uncut);
 * set when a resize was seen and the next frame must re-read it. */
static volatile sig_atomic_t cols;
static volatile sig_atomic_t resized;
/* The child that draws (term_guard_child), 0 none. */
static volatile sig_atomic_t child;

bool term_is_smart(int fd, const char *term)
{
	return isatty(fd) && term != NULL && term[0] != '\0' &&
	       strcmp(term, "dumb") != 0;
}

bool term_animates(enum term_spin mode, int fd, const char *term)
{
	if (mode == TERM_SPIN_ALWAYS)
		return true;
	if (mode == TERM_SPIN_NEVER)
		return false;
	return term_is_smart(fd, term);
}

int term_columns(int fd)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) != 0)
		return 0;
	return ws.ws_col;
}

int term_write(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Characters of a frame (after its \r) that fit: all of them, or the
 * width less one column (the last column would leave the cursor waiting
 * to wrap), at least one. */
static size_t frame_fit(void)
{
	int c = cols;

	if (c <= 0 || c - 1 >= FRAME_CHARS)
		return FRAME_CHARS;
	return c > 2 ? (size_t)c - 1 : 1;
}

int term_frame(int fd, unsigned long tick)
{
	static const char chars[4] = { '\\', '|', '/', '-' };
	char buf[] = "\r" ERASE_EOL "\r? " TERM_MESSAGE;
	const size_t skip = sizeof("\r" ERASE_EOL) - 1;
	size_t start = skip;

	if (resized) {
		resized = 0;
		cols = term_columns(fd);
		start = 0;
	}
	buf[skip + 1] = chars[tick % 4];
	return term_write(fd, buf + start, skip - start + 1 + frame_fit());
}

int term_blank(int fd)
{
	char buf[TERM_FRAME_WIDTH + 2];
	size_t fit = frame_fit();
	/* The book's 12 (len of the frame, \r included); a cut frame's. */
	size_t n = fit < FRAME_CHARS ? fit : TERM_FRAME_WIDTH;

	buf[0] = '\r';
	memset(buf + 1, ' ', n);
	buf[n + 1] = '\r';
	return term_write(fd, buf, n + 2);
}

int term_erase(int fd)
{
	int rc;

	if (resized)		/* a process that does not draw (the */
		cols = term_columns(fd);	/* parent of a child spinner) */
	rc = term_blank(fd);

	return rc != 0 ? rc : term_write(fd, ERASE_EOL, sizeof(ERASE_EOL) - 1);
}

int term_cursor(int fd, bool visible)
{
	return visible ? term_write(fd, "\033[?25h", 6)
		       : term_write(fd, "\033[?25l", 6);
}

/* --- the guard --- */

static const int guarded[] = { SIGQUIT, SIGABRT, SIGTSTP, SIGWINCH };
#define NGUARDED (sizeof(guarded) / sizeof(guarded[0]))

static int guard_fd = -1;
static pid_t guard_pid;
static struct sigaction guard_old[NGUARDED];

static bool owner(void)
{
	return guard_fd >= 0 && getpid() == guard_pid;
}

static void restore_and_die(int sig)
{
	int saved = errno;
	struct sigaction dfl;

	if (owner()) {
		term_erase(guard_fd);
		term_cursor(guard_fd, true);
	}
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	errno = saved;
	raise(sig);		/* delivered when the handler returns */
}

/* Stop this process by SIGTSTP's default action, as if there were no
 * handler; returns once it is continued.  (A process whose group has no
 * parent in the session, an orphaned group, is not stopped by SIGTSTP:
 * then it returns at once.) */
static void stop_here(void)
{
	struct sigaction dfl, mine;
	sigset_t set;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, &mine);
	raise(SIGTSTP);		/* pending: blocked inside its handler */
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);	/* stops here */
	sigaction(SIGTSTP, &mine, NULL);
}

/* Stop the drawing child and wait until it is stopped (or gone), so it
 * writes nothing after the erase below. */
static void hold_child(pid_t pid)
{
	siginfo_t info;

	kill(pid, SIGSTOP);
	while (waitid(P_PID, (id_t)pid, &info, WSTOPPED | WEXITED | WNOWAIT)
	       != 0 && errno == EINTR)
		;
}

static void on_tstp(int sig)
{
	int saved = errno;
	pid_t pid = child;
	bool mine = owner();

	(void)sig;
	/* A spinner child leaves its stop to the owner (hold_child's SIGSTOP,
	 * then SIGCONT): stopping itself too, on a Ctrl-Z that reached it
	 * after that SIGSTOP, it could stop again after the owner's SIGCONT
	 * and never be continued. */
	if (!mine)
		return;
	if (pid > 0)
		hold_child(pid);
	term_erase(guard_fd);
	term_cursor(guard_fd, true);
	stop_here();
	term_cursor(guard_fd, false);
	if (pid > 0)
		kill(pid, SIGCONT);
	errno = saved;
}

static void on_winch(int sig)
{
	(void)sig;
	resized = 1;
}

int term_guard_install(int fd)
{
	struct sigaction sa;
	size_t i;

	guard_fd = fd;
	guard_pid = getpid();
	cols = term_columns(fd);
	resized = 0;
	child = 0;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NGUARDED; i++) {
		/* SA_RESTART: a stop or a resize must not fail a write. */
		sa.sa_handler = guarded[i] == SIGTSTP ? on_tstp :
				guarded[i] == SIGWINCH ? on_winch :
				restore_and_die;
		sa.sa_flags = guarded[i] == SIGTSTP || guarded[i] == SIGWINCH ?
			      SA_RESTART : 0;
		if (sigaction(guarded[i], &sa, &guard_old[i]) != 0) {
			int err = -errno;

			while (i-- > 0)
				sigaction(guarded[i], &guard_old[i], NULL);
			guard_fd = -1;
			return err;
		}
	}
	return 0;
}

void term_guard_remove(void)
{
	size_t i;

	if (guard_fd < 0)
		return;
	for (i = 0; i < NGUARDED; i++)
		sigaction(guarded[i], &guard_old[i], NULL);
	guard_fd = -1;
	cols = 0;
	child = 0;
}

void term_signals_add(sigset_t *set)
{
	sigaddset(set, SIGTSTP);
	sigaddset(set, SIGWINCH);
}

void term_guard_child(pid_t pid)
{
	child = (sig_atomic_t)pid;
}
