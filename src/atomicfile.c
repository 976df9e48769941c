/*
 * atomicfile: a temporary file beside the target, renamed over it when
 * whole (git's lockfile, without the lock: a second writer's rename wins).
 * Owns the temporary file's name and descriptor until commit or discard.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "term.h"

int atomicfile_open(struct atomicfile *f, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	size_t size = strlen(path) + 16;
	struct stat sb;
	mode_t mask;
	int err;

	*f = (struct atomicfile)ATOMICFILE_INIT;
	f->path = path;
	/* Replace a regular file only: renaming over a device or a
	 * directory would not write "into" it. */
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
		return S_ISDIR(sb.st_mode) ? -EISDIR : -EEXIST;
	f->tmp = malloc(size);
	if (f->tmp == NULL)
		return -ENOMEM;
	memcpy(f->tmp, path, dirlen);
	snprintf(f->tmp + dirlen, size - dirlen, ".%s.XXXXXX", path + dirlen);
	f->fd = mkstemp(f->tmp);
	if (f->fd < 0) {
		err = -errno;
		free(f->tmp);
		f->tmp = NULL;
		return err;
	}
	/* mkstemp makes it 0600; give it the mode a plain fopen would. */
	mask = umask(0);
	umask(mask);
	fchmod(f->fd, 0666 & ~mask);
	return 0;
}

int atomicfile_write(struct atomicfile *f, const void *buf, size_t len)
{
	return f->fd < 0 ? -EBADF : term_write(f->fd, buf, len);
}

int atomicfile_commit(struct atomicfile *f)
{
	int rc = 0;

	if (f->tmp == NULL)
		return -EBADF;
	if (close(f->fd) != 0)
		rc = -errno;
	f->fd = -1;
	if (rc == 0 && rename(f->tmp, f->path) != 0)
		rc = -errno;
	if (rc != 0) {
		atomicfile_discard(f);
		return rc;
	}
	free(f->tmp);
	f->tmp = NULL;
	return 0;
}

int atomicfile_finish(struct atomicfile *f, int rc, char *buf, size_t len)
{
	if (rc == 0) {
		rc = atomicfile_write(f, buf, len);
		free(buf);
	}
	if (rc == 0)
		rc = atomicfile_commit(f);
	atomicfile_discard(f);
	return rc;
}

void atomicfile_discard(struct atomicfile *f)
{
	if (f->tmp == NULL)
		return;
	if (f->fd >= 0)
		close(f->fd);
	unlink(f->tmp);
	free(f->tmp);
	f->tmp = NULL;
	f->fd = -1;
}
