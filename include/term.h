/*
 * term: the spinner's terminal: whether to animate, frames, blanking the
 * line, hiding and showing the cursor, the terminal's width, and a guard
 * that handles the terminal's signals (docs/terminal.md).
 *
 * Output goes straight to a file descriptor with write(2), never through
 * stdio: frames come from a thread or a forked child while the front end
 * owns stdout's buffer (it must fflush before the first frame).  Every
 * writer returns 0 or -errno (-EPIPE, -EIO when the terminal went away);
 * short writes and EINTR are retried.  Frames and blanks share one
 * per-process state with the guard (the width they are cut to, a resize
 * seen): call them from one thread at a time, the thread that draws.
 */
#ifndef CONCDEMO_TERM_H
#define CONCDEMO_TERM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

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

/* The width of the terminal on fd in columns, 0 if fd is not a terminal
 * or the width is unknown (TIOCGWINSZ). */
int term_columns(int fd);

/* Frame number tick: "\r" + one of \ | / - (tick mod 4, that order) + " "
 * + TERM_MESSAGE, no newline.  Under the guard, after a resize (SIGWINCH)
 * the frame starts with "\r" ESC [ K (what the terminal made of the old
 * line is erased), and on a terminal narrower than the frame it is cut to
 * the width less one column, so it never wraps. */
int term_frame(int fd, unsigned long tick);

/* Blank the frame: "\r", TERM_FRAME_WIDTH spaces, "\r" (the book's
 * f'\r{blanks}\r'); fewer spaces when frames are cut (see term_frame).
 * Async-signal-safe. */
int term_blank(int fd);

/* term_blank, then clear to the end of the line (ESC [ K): for the
 * signal paths on a terminal that understands escapes, where the echoed
 * ^C or ^Z stands past the frame's columns.  Async-signal-safe. */
int term_erase(int fd);

/* Hide (ESC [ ? 25 l) or show (ESC [ ? 25 h) the cursor.  Async-signal-safe. */
int term_cursor(int fd, bool visible);

/*
 * The guard, while the cursor is hidden on fd (a smart terminal).  The
 * process that installs it owns the terminal; in a child forked after the
 * install the handlers write nothing, and SIGTSTP does nothing there (the
 * owner stops and continues the child).
 *   SIGQUIT (Ctrl-\), SIGABRT: signals the front end does not turn into a
 *     clean exit: erase the line, show the cursor, die by the same signal
 *     (default action, re-raised).
 *   SIGTSTP (Ctrl-Z): stop the spinner child if there is one (see
 *     term_guard_child), erase the line, show the cursor, then stop by
 *     SIGTSTP's default action; once continued (fg, SIGCONT), hide the
 *     cursor, continue the child and return: the next frame redraws.
 *   SIGWINCH: note the resize; the next frame reads the new width.
 * SIGTSTP and SIGWINCH are handled in the thread that draws: a program
 * with a drawing thread blocks term_signals_add() in its other threads while
 * that thread draws.  Returns 0 or -errno.  Not thread-safe; call from the
 * main thread, remove before showing the cursor again.
 */
int term_guard_install(int fd);
void term_guard_remove(void);

/* Add to set the signals the drawing thread must take (SIGTSTP,
 * SIGWINCH). */
void term_signals_add(sigset_t *set);

/* A child process draws the frames: the owner's SIGTSTP handler stops it
 * (SIGSTOP, and waits until it is stopped or gone) before it writes to
 * the terminal, and continues it after; 0 when there is none (call it
 * before reaping the child, so a reused pid is never signalled).
 * Async-signal-safe; a no-op without the guard. */
void term_guard_child(pid_t pid);

#endif
