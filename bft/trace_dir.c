// SPDX-License-Identifier: GPL-2.0
/*
 * trace_dir.c - find and read /sys/kernel/debug/binfmt_trace.
 *
 * Like blkparse, bft does the analysis and the kernel only writes lines;
 * this file is where bft meets the kernel's files.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "bft.h"
#include "trace_dir.h"
#include "trace_parse.h"

/* Lines longer than this are cut: no event comes close. */
#define LINE_MAX_BYTES	(1024 * 1024)
/* Reads per line_reader_fill(), so that a busy trace cannot starve us. */
#define READS_PER_FILL	64

static bool debugfs_mounted(const char *mount)
{
	struct statfs sfs;

	return statfs(mount, &sfs) == 0 && sfs.f_type == DEBUGFS_MAGIC;
}

int trace_dir_find(const char *cmd, struct trace_dir *d)
{
	const char *mount = getenv("BFT_DEBUGFS");
	struct stat st;
	int saved;

	if (!mount || !*mount)
		mount = DEBUGFS_DEFAULT;
	if (strlen(mount) + sizeof("/" TRACE_DIR_NAME) > sizeof(d->path)) {
		fprintf(stderr, "bft %s: BFT_DEBUGFS is too long\n", cmd);
		return EXIT_IO;
	}
	strcpy(d->mount, mount);
	snprintf(d->path, sizeof(d->path), "%s/" TRACE_DIR_NAME, mount);

	if (geteuid() != 0) {
		fprintf(stderr, "bft %s: must be root to read %s\n", cmd,
			d->path);
		return EXIT_IO;
	}
	if (stat(d->path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return EXIT_OK;
		saved = ENOTDIR;
	} else {
		saved = errno;
	}
	if (!debugfs_mounted(mount)) {
		fprintf(stderr, "bft %s: debugfs is not mounted: "
			"mount -t debugfs none %s\n", cmd, mount);
		return EXIT_IO;
	}
	if (access(MODULE_SYSFS_DIR, F_OK) < 0) {
		fprintf(stderr, "bft %s: the binfmt_trace module is not "
			"loaded: insmod binfmt_trace.ko\n", cmd);
		return EXIT_IO;
	}
	fprintf(stderr, "bft %s: %s: %s\n", cmd, d->path, strerror(saved));
	return EXIT_IO;
}

const char *trace_dir_file(const struct trace_dir *d, const char *file,
			   char *buf)
{
	snprintf(buf, PATH_MAX, "%s/%s", d->path, file);
	return buf;
}

int trace_dir_open_pipe(const char *cmd, const struct trace_dir *d)
{
	char path[PATH_MAX];
	int fd;

	trace_dir_file(d, "trace_pipe", path);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		fprintf(stderr, "bft %s: %s: cannot open: %s\n", cmd, path,
			strerror(errno));
	return fd;
}

/* The first line of a small file under @d, or NULL; caller frees. */
static char *read_small_file(const struct trace_dir *d, const char *file)
{
	char path[PATH_MAX];
	const char *what;
	struct blob b;
	char *s;

	if (read_file(trace_dir_file(d, file, path), &b, &what) < 0) {
		free(b.data);
		return NULL;
	}
	s = strndup((const char *)b.data, b.len);
	free(b.data);
	if (s)
		s[strcspn(s, "\n")] = '\0';
	return s;
}

void trace_dir_warn_disabled(const char *cmd, const struct trace_dir *d)
{
	char *s = read_small_file(d, "enable");

	if (s && !strcmp(s, "0"))
		fprintf(stderr, "bft %s: warning: recording is off: "
			"echo 1 > %s/enable\n", cmd, d->path);
	free(s);
}

unsigned long trace_dir_buffer_kb(const struct trace_dir *d)
{
	char *s = read_small_file(d, "buffer_size_kb");
	unsigned long kb = s ? strtoul(s, NULL, 10) : 0;

	free(s);
	return kb;
}

/* Fill @info from one sessions line; false if it has no session=. */
static bool parse_session_line(char *line, struct session_info *info)
{
	struct trace_field fields[TRACE_MAX_FIELDS];
	const char *v;
	char *end;
	int n = trace_parse_fields(line, fields, TRACE_MAX_FIELDS);

	memset(info, 0, sizeof(*info));
	if (n <= 0)
		return false;
	v = trace_field(fields, n, "session");
	if (trace_absent(v))
		return false;
	info->id = strtoul(v, &end, 10);
	if (*end || !info->id)
		return false;
	v = trace_field(fields, n, "pid");
	info->pid = trace_absent(v) ? -1 : strtol(v, NULL, 10);
	v = trace_field(fields, n, "state");
	info->ended = v && (!strcmp(v, "exited") || !strcmp(v, "failed"));
	v = trace_field(fields, n, "events");
	if (!trace_absent(v)) {
		info->events = strtoull(v, &end, 10);
		info->has_events = !*end;
	}
	v = trace_field(fields, n, "dropped");
	if (!trace_absent(v)) {
		info->dropped = strtoull(v, &end, 10);
		info->has_dropped = !*end;
	}
	return true;
}

int sessions_read(const char *path, struct session_info **list, size_t *n)
{
	struct session_info *out = NULL, *grown;
	const char *what;
	struct blob b;
	char *text, *line, *save = NULL;
	size_t count = 0;

	*list = NULL;
	*n = 0;
	if (read_file(path, &b, &what) < 0) {
		free(b.data);
		return -1;
	}
	text = strndup((const char *)b.data, b.len);
	free(b.data);
	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		grown = realloc(out, (count + 1) * sizeof(*out));
		if (!grown) {
			free(out);
			free(text);
			return -1;
		}
		out = grown;
		if (parse_session_line(line, &out[count]))
			count++;
	}
	free(text);
	*list = out;
	*n = count;
	return 0;
}

/* Hand every complete line in the buffer to @fn; keep the rest. */
static void split_lines(struct line_reader *r, line_fn fn, void *arg)
{
	char *start = r->buf, *nl;
	size_t left = r->len;

	while ((nl = memchr(start, '\n', left))) {
		*nl = '\0';
		fn(arg, start);
		left -= nl + 1 - start;
		start = nl + 1;
	}
	memmove(r->buf, start, left);
	r->len = left;
}

/* Make room to read into; a line that fills LINE_MAX_BYTES is cut. */
static int make_room(struct line_reader *r, line_fn fn, void *arg)
{
	char *p;

	if (r->len + 1 < r->cap)
		return 0;
	if (r->cap >= LINE_MAX_BYTES) {
		r->buf[r->len] = '\0';
		fn(arg, r->buf);
		r->len = 0;
		return 0;
	}
	p = realloc(r->buf, r->cap ? r->cap * 2 : 64 * 1024);
	if (!p)
		return -1;
	r->buf = p;
	r->cap = r->cap ? r->cap * 2 : 64 * 1024;
	return 0;
}

int line_reader_fill(struct line_reader *r, line_fn fn, void *arg)
{
	int reads;
	ssize_t n;

	for (reads = 0; reads < READS_PER_FILL && !r->eof; reads++) {
		if (make_room(r, fn, arg) < 0)
			return -1;
		n = read(r->fd, r->buf + r->len, r->cap - r->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0)
			return -1;
		if (n == 0) {
			r->eof = true;
			if (r->len) {
				r->buf[r->len] = '\0';
				fn(arg, r->buf);
				r->len = 0;
			}
			return 0;
		}
		r->len += n;
		split_lines(r, fn, arg);
	}
	return !r->eof;
}

void line_reader_free(struct line_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = r->cap = 0;
}
