/*
 * term: frames and escapes written with write(2), and the signal guard.
 *
 * The guard's state (guard_fd, guard_pid) is written by the main thread
 * with the guarded signals not yet handled (install) or already back to
 * their old action (remove), and only read by the handler: no lock.
 * Async-signal-safe functions use only write(), getpid(), sigaction(),
 * raise() and local buffers.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "term.h"

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

int term_frame(int fd, unsigned long tick)
{
	static const char chars[4] = { '\\', '|', '/', '-' };
	char buf[] = "\r? " TERM_MESSAGE;

	buf[1] = chars[tick % 4];
	return term_write(fd, buf, sizeof(buf) - 1);
}

int term_blank(int fd)
{
	char buf[TERM_FRAME_WIDTH + 2];

	buf[0] = '\r';
	memset(buf + 1, ' ', TERM_FRAME_WIDTH);
	buf[TERM_FRAME_WIDTH + 1] = '\r';
	return term_write(fd, buf, sizeof(buf));
}

int term_cursor(int fd, bool visible)
{
	return visible ? term_write(fd, "\033[?25h", 6)
		       : term_write(fd, "\033[?25l", 6);
}

/* --- the guard --- */

static const int guarded[] = { SIGQUIT, SIGABRT };
#define NGUARDED (sizeof(guarded) / sizeof(guarded[0]))

static int guard_fd = -1;
static pid_t guard_pid;
static struct sigaction guard_old[NGUARDED];

static void restore_and_die(int sig)
{
	int saved = errno;
	struct sigaction dfl;

	if (getpid() == guard_pid && guard_fd >= 0) {
		term_blank(guard_fd);
		term_cursor(guard_fd, true);
	}
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	errno = saved;
	raise(sig);		/* delivered when the handler returns */
}

int term_guard_install(int fd)
{
	struct sigaction sa;
	size_t i;

	guard_fd = fd;
	guard_pid = getpid();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = restore_and_die;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NGUARDED; i++) {
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
}
