/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_dir.h - the module's debugfs directory, as bft run and bft trace
 * find and read it: the environment checks, trace_pipe read line by line,
 * and the sessions file.
 */
#ifndef BFT_TRACE_DIR_H
#define BFT_TRACE_DIR_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where debugfs is mounted; the environment variable BFT_DEBUGFS wins. */
#define DEBUGFS_DEFAULT		"/sys/kernel/debug"
#define TRACE_DIR_NAME		"binfmt_trace"
#define MODULE_SYSFS_DIR	"/sys/module/binfmt_trace"

/* Short enough that path + "/" + any file name fits in PATH_MAX. */
#define TRACE_DIR_PATH_MAX	(PATH_MAX / 2)

struct trace_dir {
	char	mount[TRACE_DIR_PATH_MAX];	/* e.g. /sys/kernel/debug */
	char	path[TRACE_DIR_PATH_MAX];	/* mount + /binfmt_trace */
};

/*
 * Find the directory and check that it can be read: root, debugfs
 * mounted, module loaded.  On failure prints one line "bft CMD: why" and
 * returns EXIT_IO.
 */
int trace_dir_find(const char *cmd, struct trace_dir *d);

/* @d->path + "/" + @file, in @buf of PATH_MAX bytes. */
const char *trace_dir_file(const struct trace_dir *d, const char *file,
			   char *buf);

/* Open trace_pipe non-blocking; on failure says why and returns -1. */
int trace_dir_open_pipe(const char *cmd, const struct trace_dir *d);

/* Say so on stderr if the enable file reads 0. */
void trace_dir_warn_disabled(const char *cmd, const struct trace_dir *d);

/* The buffer_size_kb file, or 0 if it cannot be read. */
unsigned long trace_dir_buffer_kb(const struct trace_dir *d);

/* One line of the sessions file. */
struct session_info {
	unsigned long	id;
	long		pid;
	bool		ended;		/* state=exited or state=failed */
	bool		has_events;
	uint64_t	events;		/* written to the buffer */
	bool		has_dropped;
	uint64_t	dropped;
};

/*
 * Read the sessions file at @path into a malloc'ed array.  Lines that do
 * not parse are skipped.  Returns 0, or -1 with errno set.
 */
int sessions_read(const char *path, struct session_info **list, size_t *n);

/* Splits what a file descriptor gives into lines. */
struct line_reader {
	int	fd;
	char	*buf;
	size_t	len;
	size_t	cap;
	bool	eof;		/* read() returned 0 */
};

typedef void (*line_fn)(void *arg, char *line);

/*
 * Read what @r->fd has now and call @fn for each complete line, without
 * its newline; at end of file also for a last unterminated line.
 * Returns 0 when everything there was has been read (EAGAIN, or end of
 * file: see @r->eof), 1 when it stopped early so that a busy trace
 * cannot keep it forever (more may be waiting), -1 on error with errno
 * set.
 */
int line_reader_fill(struct line_reader *r, line_fn fn, void *arg);
void line_reader_free(struct line_reader *r);

#endif /* BFT_TRACE_DIR_H */
