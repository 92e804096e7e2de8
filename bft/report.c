// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - bft report: read a trace, build the model of each session
 * (report_model.c), attribute its faults (report_attr.c) and write it in
 * one format.  bft run --report does the same for the session it ran.
 */
#define _GNU_SOURCE

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bft.h"
#include "report.h"
#include "trace_dir.h"
#include "trace_parse.h"

static const struct {
	const char	*name;
	int		(*write)(FILE *f, const struct report *r);
} formats[] = {
	{ "text", report_write_text },
	{ "json", report_write_json },
	{ "csv", report_write_csv },
	{ "perfetto", report_write_perfetto },
	{ "svg", report_write_svg },
};

int report_format_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(formats[i].name, name))
			return (int)i;
	return -1;
}

/* The lines of a trace, with their line numbers, by session. */
struct trace_lines {
	char		**lines;
	size_t		*nos;
	size_t		n, cap;
	unsigned long	*ids;		/* sessions in order of first line */
	size_t		nids;
	size_t		bad_no;		/* the first line that is no event */
	size_t		line_no;
};

static void add_line(struct trace_lines *t, const char *line,
		     unsigned long id)
{
	size_t i;

	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->lines = xrealloc(t->lines, t->cap * sizeof(*t->lines));
		t->nos = xrealloc(t->nos, t->cap * sizeof(*t->nos));
	}
	t->lines[t->n] = xstrdup(line);
	t->nos[t->n++] = t->line_no;
	for (i = 0; i < t->nids; i++)
		if (t->ids[i] == id)
			return;
	t->ids = xrealloc(t->ids, (t->nids + 1) * sizeof(*t->ids));
	t->ids[t->nids++] = id;
}

/* line_fn: keep the event lines; note the first that is none. */
static void on_line(void *arg, char *line)
{
	struct trace_lines *t = arg;
	struct trace_event ev;
	char *copy;

	t->line_no++;
	if (!line[strspn(line, " \t\r")] || trace_header_line(line))
		return;
	copy = xstrdup(line);
	if (trace_parse_line(copy, &ev) == 0 && ev.session) {
		add_line(t, line, ev.session);
	} else if (!t->bad_no) {
		t->bad_no = t->line_no;
	}
	free(copy);
}

static void trace_lines_free(struct trace_lines *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->lines[i]);
	free(t->lines);
	free(t->nos);
	free(t->ids);
}

static int read_lines(const char *path, struct trace_lines *t)
{
	struct line_reader reader = { .fd = 0 };
	int ret = EXIT_OK;

	if (strcmp(path, "-")) {
		reader.fd = open(path, O_RDONLY | O_CLOEXEC);
		if (reader.fd < 0)
			return io_error(path, "cannot open");
	}
	while (!reader.eof) {
		if (line_reader_fill(&reader, on_line, t) < 0) {
			ret = io_error(path, "cannot read");
			break;
		}
	}
	if (reader.fd > 0)
		close(reader.fd);
	line_reader_free(&reader);
	return ret;
}

static int bad_trace(const char *path, const char *msg)
{
	fprintf(stderr, "bft report: %s: %s\n", path, msg);
	return EXIT_BAD;
}

/*
 * Attribute and check the ELF files: a file that is there but no ELF
 * elfutils can read is an error; one that is missing only a note.
 */
static int attribute_session(struct report_session *s, const char *root,
			     const char *cmd)
{
	size_t i;
	int ret = EXIT_OK;

	report_session_attribute(s, root);
	for (i = 0; i < s->nobjects; i++) {
		const struct report_object *o = &s->objects[i];

		if (o->symbols == RSYM_BAD_ELF) {
			fprintf(stderr, "bft %s: %s: %s\n", cmd, o->opened,
				o->error ? o->error : "bad ELF file");
			ret = EXIT_BAD;
		} else if (o->symbols == RSYM_NOT_FOUND) {
			fprintf(stderr, "bft %s: note: %s: %s; no symbols "
				"for it\n", cmd, o->opened,
				o->error ? o->error : "not found");
		}
	}
	return ret;
}

int report_build(struct report *r, char *const *lines, const size_t *nos,
		 size_t n, const unsigned long *ids, size_t nids,
		 const char *cmd)
{
	char err[512];
	size_t i;
	int ret;

	r->sessions = xrealloc(NULL, (nids ? nids : 1) * sizeof(*r->sessions));
	for (i = 0; i < nids; i++) {
		if (report_session_build(&r->sessions[i], ids[i], lines, nos, n,
					 err, sizeof(err)) < 0) {
			report_session_free(&r->sessions[i]);
			return bad_trace(r->trace_path, err);
		}
		r->nsessions++;
		ret = attribute_session(&r->sessions[i], r->root, cmd);
		if (ret)
			return ret;
	}
	return EXIT_OK;
}

int report_write(const struct report *r, int format, const char *out_path,
		 FILE *out)
{
	FILE *f = out;
	int ret;

	if (out_path) {
		f = fopen(out_path, "we");
		if (!f)
			return io_error(out_path, "cannot open");
	}
	ret = formats[format].write(f, r);
	if (fflush(f) == EOF || ferror(f))
		ret = io_error(out_path ? out_path : "<stdout>", "cannot write");
	if (f != out && fclose(f) == EOF && !ret)
		ret = io_error(out_path, "cannot write");
	if (ret && out_path && f != out)
		unlink(out_path);
	return ret;
}

struct report_args {
	int		format;
	const char	*out_path;
	unsigned long	session;
	const char	*root;
	const char	*trace;
};

static int parse_report_args(const struct cmd *cmd, int argc, char **argv,
			     struct report_args *a)
{
	static const struct option opts[] = {
		{ "format",	required_argument,	NULL, 'f' },
		{ "output",	required_argument,	NULL, 'o' },
		{ "session",	required_argument,	NULL, OPT_SESSION },
		{ "root",	required_argument,	NULL, OPT_ROOT },
		{ "help",	no_argument,		NULL, OPT_HELP },
		{ }
	};
	int c, ret = EXIT_OK;

	while ((c = next_opt_from(cmd, argc, argv, ":hf:o:", opts,
				   &ret)) >= 0) {
		switch (c) {
		case 'f':
			a->format = report_format_find(optarg);
			if (a->format < 0)
				return usage_error(cmd, "unknown format '%s' "
						   "(text, json, csv, "
						   "perfetto, svg)", optarg);
			break;
		case 'o':
			a->out_path = optarg;
			break;
		case OPT_SESSION:
			ret = parse_number(cmd, "--session", optarg,
					   UINT32_MAX, &a->session);
			if (ret)
				return ret;
			break;
		case OPT_ROOT:
			if (!*optarg)
				return usage_error(cmd, "--root needs a "
						   "directory");
			a->root = optarg;
			break;
		}
	}
	if (c == -2)
		return ret;
	ret = want_operands(cmd, argc, 1);
	if (!ret)
		a->trace = argv[optind];
	return ret;
}

int cmd_report(const struct cmd *cmd, int argc, char **argv)
{
	struct report_args a = { .format = 0 };
	struct trace_lines t = { 0 };
	struct report r = { 0 };
	int ret;

	ret = parse_report_args(cmd, argc, argv, &a);
	if (ret)
		return ret;
	r.trace_path = a.trace;
	r.root = a.root;
	ret = read_lines(a.trace, &t);
	if (ret)
		goto out;
	if (t.bad_no) {
		fprintf(stderr, "bft report: %s: line %zu: not a trace event "
			"(a truncated or damaged trace?)\n", a.trace,
			t.bad_no);
		ret = EXIT_BAD;
		goto out;
	}
	if (a.session) {
		free(t.ids);
		t.ids = xrealloc(NULL, sizeof(*t.ids));
		t.ids[0] = a.session;
		t.nids = 1;
	}
	if (!t.nids) {
		ret = bad_trace(a.trace, "no trace events");
		goto out;
	}
	ret = report_build(&r, t.lines, t.nos, t.n, t.ids, t.nids, "report");
	if (!ret)
		ret = report_write(&r, a.format, a.out_path, stdout);
out:
	report_free(&r);
	trace_lines_free(&t);
	return ret;
}
