/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bft.h - what the bft commands share: exit codes, the command table
 * entry, option parsing, messages, whole-file I/O and wrapping.
 */
#ifndef BFT_H
#define BFT_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "bft_format.h"

#define BFT_HDR_SIZE	sizeof(struct bft_header)

enum {
	EXIT_HELP	= -1,	/* internal: help was printed, exit 0 */
	EXIT_OK		= 0,
	EXIT_IO		= 1,	/* cannot open, read or write a file */
	EXIT_BAD	= 2,	/* usage error, or input of the wrong kind */
};

/* Long options without a short form. */
enum {
	OPT_HELP = 'h',
	OPT_FORCE = 256,
	OPT_LABEL,
	OPT_NO_LOAD,
	OPT_NO_FAULT,
	OPT_TRACE_OUT,
	OPT_RAW,
	OPT_SESSION,
	OPT_SESSIONS,
	OPT_SUMMARY_ONLY,
	OPT_ROOT,
	OPT_REPORT,
	OPT_KEEP,
	OPT_AGAINST,
};

/* A whole file read into memory. */
struct blob {
	unsigned char	*data;
	size_t		len;
	mode_t		mode;	/* permission bits incl. setuid/setgid/sticky */
};

/* struct bft_header decoded to host byte order. */
struct hdr {
	uint16_t	version;
	uint16_t	header_size;
	uint32_t	flags;
	uint64_t	elf_offset;
	uint64_t	elf_size;
	char		label[BFT_LABEL_LEN + 1];
};

struct chunk {
	const void	*data;
	size_t		len;
};

/* A wrapped executable in memory: header, padding, the ELF. */
struct wrapped {
	unsigned char	head[BFT_HDR_SIZE];
	struct chunk	chunks[3];
};

struct cmd {
	const char	*name;
	const char	*synopsis;
	const char	*summary;
	int		(*run)(const struct cmd *cmd, int argc, char **argv);
};

/* bft.c: messages */
__attribute__((format(printf, 2, 3)))
int usage_error(const struct cmd *cmd, const char *fmt, ...);
int io_error(const char *path, const char *what);

/* bft.c: memory; these exit with status 1 when it runs out */
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

/* bft.c: option parsing */
int next_opt(const struct cmd *cmd, int argc, char **argv,
	     const struct option *longopts, int *ret);
int next_opt_from(const struct cmd *cmd, int argc, char **argv,
		  const char *shortopts, const struct option *longopts,
		  int *ret);
int next_opt_until_operand(const struct cmd *cmd, int argc, char **argv,
			   const struct option *longopts, int *ret);
int want_operands(const struct cmd *cmd, int argc, int want);
int parse_number(const struct cmd *cmd, const char *opt, const char *arg,
		 unsigned long max, unsigned long *out);

/* bft.c: files and wrapping */
int read_file(const char *path, struct blob *b, const char **what);
int write_all(int fd, const void *buf, size_t len);
void hdr_init(struct hdr *h);
int hdr_set_label(const struct cmd *cmd, struct hdr *h, const char *label);
const char *check_elf_input(const struct blob *b);
void wrap_image(const struct blob *elf, struct hdr *h, struct wrapped *w);

/* run.c: PROG as execvp() finds it; malloc'ed, or NULL with errno set */
char *find_program(const char *prog);

/* run.c, trace_stream.c, summarize.c, diff.c: the trace commands */
int cmd_run(const struct cmd *cmd, int argc, char **argv);
int cmd_diff(const struct cmd *cmd, int argc, char **argv);
int cmd_trace(const struct cmd *cmd, int argc, char **argv);
int cmd_summarize(const struct cmd *cmd, int argc, char **argv);
int cmd_report(const struct cmd *cmd, int argc, char **argv);

#endif /* BFT_H */
