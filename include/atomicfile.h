/*
 * atomicfile: write a file whole or not at all, as git's lockfile does.
 * The bytes go to a temporary file beside the target ("dir/.name.XXXXXX",
 * same directory, so the last step is an atomic rename); commit renames it
 * over the target, discard removes it.  A reader sees the old file or the
 * new one, never a part; a failed or interrupted run leaves the old one.
 *
 * The caller owns the struct; one thread uses it at a time.  open reads
 * the umask (umask(2) has no read-only form), so it must not race another
 * thread's umask call.
 */
#ifndef CONCDEMO_ATOMICFILE_H
#define CONCDEMO_ATOMICFILE_H

#include <stddef.h>

struct atomicfile {
	const char *path;	/* the target (the caller's string) */
	char *tmp;		/* the temporary file's name; NULL: none */
	int fd;			/* open on tmp, -1 when closed */
};

/* A struct atomicfile holding nothing: discard has nothing to do. */
#define ATOMICFILE_INIT { NULL, NULL, -1 }

/* Make the temporary file for path, with the mode a plain creat would
 * give (0666 less the umask), before any work, so that an unwritable path
 * is known at once.  path must outlive f.  Returns 0; -EISDIR (path is a
 * directory); -EEXIST (path is there but not a regular file: a device or
 * a fifo is not replaced); -ENOMEM; or mkstemp's -errno (-EACCES,
 * -ENOENT, ...).  On failure f holds nothing to discard. */
int atomicfile_open(struct atomicfile *f, const char *path);

/* Write all len bytes to the temporary file.  Returns 0 or -errno. */
int atomicfile_write(struct atomicfile *f, const void *buf, size_t len);

/* Close the temporary file and rename it over the target.  Returns 0 or
 * -errno; on failure the temporary file is removed and the target is
 * left as it was.  Either way f holds nothing more. */
int atomicfile_commit(struct atomicfile *f);

/* Finish f with what a render gave: when rc is 0, write the len bytes of
 * buf, free buf and commit; in every case discard what is left.  Returns
 * rc when not 0, else write's or commit's 0 or -errno. */
int atomicfile_finish(struct atomicfile *f, int rc, char *buf, size_t len);

/* Remove the temporary file, if any: the target is left as it was.  Safe
 * to call again, or after commit. */
void atomicfile_discard(struct atomicfile *f);

#endif
