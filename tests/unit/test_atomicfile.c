/* Unit tests for atomicfile: a file is replaced whole or left as it was;
 * no temporary file is left behind, whatever happens; refusals. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "tap.h"

static char dir[64];

/* Entries in dir besides . and .. */
static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 &&
		     strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* The file's content, "" if absent. */
static const char *content(const char *path)
{
	static char buf[64];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f != NULL) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_commit(const char *path)
{
	struct atomicfile f;
	struct stat sb;
	int rc;

	umask(022);
	rc = atomicfile_open(&f, path);
	ok(rc == 0 && entries() == 1, "open makes one temporary file");
	ok(atomicfile_write(&f, "new\n", 4) == 0 && content(path)[0] == '\0',
	   "written, the target is not there yet");
	ok(atomicfile_commit(&f) == 0 && strcmp(content(path), "new\n") == 0 &&
	   entries() == 1, "commit puts it in place, no temporary file left");
	if (stat(path, &sb) != 0)
		sb.st_mode = 0;
	ok((sb.st_mode & 0777) == 0644,
	   "with the mode a plain creat gives under the umask (%o)",
	   (unsigned)(sb.st_mode & 0777));
	atomicfile_discard(&f);
	ok(strcmp(content(path), "new\n") == 0, "discard after commit: no-op");
}

static void test_discard(const char *path)
{
	struct atomicfile f;

	put(path, "old\n");
	ok(atomicfile_open(&f, path) == 0 &&
	   atomicfile_write(&f, "half", 4) == 0, "a second file opened");
	atomicfile_discard(&f);
	ok(strcmp(content(path), "old\n") == 0 && entries() == 1,
	   "discard leaves the old file and removes the temporary one");
	atomicfile_discard(&f);
	ok(atomicfile_write(&f, "x", 1) == -EBADF &&
	   atomicfile_commit(&f) == -EBADF, "discarded: write and commit "
	   "refuse (-EBADF), discard again is safe");
}

/* finish: a failed render leaves the old file; a good one replaces it. */
static void test_finish(const char *path)
{
	struct atomicfile f;
	char *buf;

	put(path, "old\n");
	ok(atomicfile_open(&f, path) == 0 &&
	   atomicfile_finish(&f, -EIO, NULL, 0) == -EIO &&
	   strcmp(content(path), "old\n") == 0 && entries() == 1,
	   "finish after a failed render: its error, the old file kept");
	buf = strdup("new\n");
	ok(buf != NULL && atomicfile_open(&f, path) == 0 &&
	   atomicfile_finish(&f, 0, buf, 4) == 0 &&
	   strcmp(content(path), "new\n") == 0 && entries() == 1,
	   "finish after a good one: written, in place, buffer freed");
}

static void test_refusals(const char *path)
{
	char sub[128], missing[128], fifo[128];
	struct atomicfile f;

	snprintf(sub, sizeof(sub), "%s/sub", dir);
	snprintf(missing, sizeof(missing), "%s/no/file", dir);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	mkdir(sub, 0755);
	ok(atomicfile_open(&f, sub) == -EISDIR, "a directory: -EISDIR");
	ok(atomicfile_open(&f, missing) == -ENOENT, "no such directory: "
	   "-ENOENT");
	if (mkfifo(fifo, 0600) == 0)
		ok(atomicfile_open(&f, fifo) == -EEXIST, "a fifo: -EEXIST");
	else
		ok(1, "# SKIP cannot make a fifo here");
	unlink(fifo);
	/* The target becomes a directory before commit: rename fails. */
	unlink(path);
	ok(atomicfile_open(&f, path) == 0 && atomicfile_write(&f, "x", 1) == 0,
	   "opened before the target is taken");
	mkdir(path, 0755);
	ok(atomicfile_commit(&f) != 0 && entries() == 2,
	   "a failed rename returns an error and removes the temporary file");
	rmdir(path);
	rmdir(sub);
}

int main(void)
{
	char path[128];

	tap_start(10);
	snprintf(dir, sizeof(dir), "%s", "/tmp/test_atomicfile.XXXXXX");
	if (getenv("TMPDIR") != NULL && strlen(getenv("TMPDIR")) < 40)
		snprintf(dir, sizeof(dir), "%s/test_atomicfile.XXXXXX",
			 getenv("TMPDIR"));
	if (mkdtemp(dir) == NULL) {
		ok(1, "# SKIP no temporary directory: %s", strerror(errno));
		return tap_done();
	}
	snprintf(path, sizeof(path), "%s/chart.svg", dir);
	test_commit(path);
	test_discard(path);
	test_finish(path);
	test_refusals(path);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
