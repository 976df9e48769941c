/*
 * term: the spinner's terminal: whether to animate, frames, blanking the
 * line, hiding and showing the cursor, and a guard that puts the terminal
 * back from a signal handler.
 *
 * Output goes straight to a file descriptor with write(2), never through
 * stdio: frames come from a thread or a forked child while the front end
 * owns stdout's buffer (it must fflush before the first frame).  Every
 * writer returns 0 or -errno (-EPIPE, -EIO when the terminal went away);
 * short writes and EINTR are retried.  Thread-safe (no shared state) but
 * for term_guard_install / term_guard_remove.
 */
#ifndef CONCDEMO_TERM_H
#define CONCDEMO_TERM_H

#include <stdbool.h>
#include <stddef.h>

/* --spin=auto|always|never */
enum term_spin { TERM_SPIN_AUTO, TERM_SPIN_ALWAYS, TERM_SPIN_NEVER };

/* The book's spinner message and the width of one frame, "\r<c> thinking!"
 * (12 columns counting the \r, as Python's len(status)). */
#define TERM_MESSAGE "thinking!"
#define TERM_FRAME_WIDTH 12

/* A terminal that understands escapes: fd is a tty and term (the TERM
 * variable, may be NULL) is set, not empty and not "dumb". */
bool term_is_smart(int fd, const char *term);

/* Whether to draw frames: always, never, or (auto) term_is_smart. */
bool term_animates(enum term_spin mode, int fd, const char *term);

/* Write all len bytes of buf.  Async-signal-safe. */
int term_write(int fd, const char *buf, size_t len);

/* Frame number tick: "\r" + one of \ | / - (tick mod 4, that order) + " "
 * + TERM_MESSAGE, no newline. */
int term_frame(int fd, unsigned long tick);

/* Blank the frame: "\r", TERM_FRAME_WIDTH spaces, "\r" (the book's
 * f'\r{blanks}\r').  Async-signal-safe. */
int term_blank(int fd);

/* Hide (ESC [ ? 25 l) or show (ESC [ ? 25 h) the cursor.  Async-signal-safe. */
int term_cursor(int fd, bool visible);

/*
 * While the cursor is hidden on fd, put the terminal back if a signal that
 * the front end does not turn into a clean exit ends the process: SIGQUIT
 * (Ctrl-\), SIGABRT.  The handler blanks the line and shows the cursor with
 * write() only, then dies by the same signal (default action, re-raised).
 * In a child forked after the install the handler only dies: the parent
 * owns the terminal.  Returns 0 or -errno.  Not thread-safe; call from the
 * main thread, remove before showing the cursor again.
 */
int term_guard_install(int fd);
void term_guard_remove(void);

#endif
