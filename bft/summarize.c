// SPDX-License-Identifier: GPL-2.0
/*
 * summarize.c - bft summarize: the report of bft run, from a saved trace
 * (bft run --trace-out, bft trace --raw, or a copy of trace_pipe).
 */
#define _GNU_SOURCE

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bft.h"
#include "trace_dir.h"
#include "trace_parse.h"
#include "trace_report.h"

struct summarize {
	const char		*path;
	unsigned long		session;	/* --session, or 0 */
	long			pid;		/* --pid, or 0 */
	const char		*sessions_path;	/* --sessions */
	struct report_opts	report;

	struct session_lines	*sessions;	/* in order of first line */
	size_t			nsessions;
	unsigned long		not_events;	/* lines that did not parse */
};

static struct session_lines *session_of(struct summarize *s,
					unsigned long id)
{
	size_t i;

	for (i = 0; i < s->nsessions; i++)
		if (s->sessions[i].id == id)
			return &s->sessions[i];
	s->sessions = xrealloc(s->sessions,
			       (s->nsessions + 1) * sizeof(*s->sessions));
	s->sessions[s->nsessions] = (struct session_lines){ .id = id };
	return &s->sessions[s->nsessions++];
}

/* line_fn: file each line under its session. */
static void on_line(void *arg, char *line)
{
	struct summarize *s = arg;
	struct trace_event ev;
	char *copy = xstrdup(line);

	if (trace_parse_line(copy, &ev) == 0 && ev.session)
		session_lines_add(session_of(s, ev.session), line);
	else if (line[strspn(line, " \t")] && !trace_header_line(line))
		s->not_events++;
	free(copy);
}

static int read_trace(struct summarize *s)
{
	struct line_reader reader;
	int ret = EXIT_OK;

	reader = (struct line_reader){ .fd = open(s->path, O_RDONLY | O_CLOEXEC) };
	if (reader.fd < 0)
		return io_error(s->path, "cannot open");
	while (!reader.eof) {
		if (line_reader_fill(&reader, on_line, s) < 0) {
			ret = io_error(s->path, "cannot read");
			break;
		}
	}
	close(reader.fd);
	line_reader_free(&reader);
	if (s->not_events)
		fprintf(stderr, "bft summarize: %s: skipped %lu %s\n",
			s->path, s->not_events, s->not_events == 1 ?
			"line that is not a trace event" :
			"lines that are not trace events");
	return ret;
}

/* Whether the load_start of @lines says pid=PID. */
static bool started_by(const struct session_lines *lines, long pid)
{
	struct trace_event ev;
	bool found = false;
	int64_t value;
	char *copy;
	size_t i;

	for (i = 0; i < lines->n && !found; i++) {
		copy = xstrdup(lines->lines[i]);
		found = trace_parse_line(copy, &ev) == 0 &&
			!strcmp(ev.name, "load_start") &&
			trace_get_s64(&ev, "pid", &value) && value == pid;
		free(copy);
	}
	return found;
}

/* Whether the --sessions file says session @id belongs to pid @pid. */
static bool listed_for(const struct session_info *info, size_t ninfo,
		       unsigned long id, long pid)
{
	size_t i;

	for (i = 0; i < ninfo; i++)
		if (info[i].id == id && info[i].pid == pid)
			return true;
	return false;
}

static bool selected(const struct summarize *s,
		     const struct session_lines *lines,
		     const struct session_info *info, size_t ninfo)
{
	if (s->session)
		return lines->id == s->session;
	if (s->pid)
		return started_by(lines, s->pid) ||
		       listed_for(info, ninfo, lines->id, s->pid);
	return true;
}

/*
 * The events of @lines missing from the trace: events= of its session in
 * the --sessions file (every event written) minus the lines there are;
 * the report says "unknown" without it.
 */
static void set_lost(const struct session_info *info, size_t ninfo,
		     const struct session_lines *lines,
		     struct report_opts *opts)
{
	uint64_t written = 0;
	size_t i;

	opts->has_lost = false;
	for (i = 0; i < ninfo; i++) {
		if (info[i].id == lines->id && info[i].has_events) {
			opts->has_lost = true;
			written = info[i].events;
		}
	}
	opts->lost = written > lines->n ? written - lines->n : 0;
	if (opts->has_lost)
		warn_lost("summarize", lines->id, opts->lost, written,
			  DEBUGFS_DEFAULT "/" TRACE_DIR_NAME "/buffer_size_kb",
			  0);
}

static int print_reports(struct summarize *s)
{
	struct session_info *info = NULL;
	struct report_opts opts = s->report;
	size_t ninfo = 0, i, printed = 0;

	if (s->sessions_path &&
	    sessions_read(s->sessions_path, &info, &ninfo) < 0)
		return io_error(s->sessions_path, "cannot read");
	for (i = 0; i < s->nsessions; i++) {
		if (!selected(s, &s->sessions[i], info, ninfo))
			continue;
		if (printed++)
			putchar('\n');
		set_lost(info, ninfo, &s->sessions[i], &opts);
		report_print(stdout, &s->sessions[i], NULL, &opts);
	}
	free(info);
	if (fflush(stdout) == EOF || ferror(stdout))
		return io_error("<stdout>", "cannot write");
	if (printed)
		return EXIT_OK;
	if (s->session)
		fprintf(stderr, "bft summarize: %s: no events of session "
			"%lu\n", s->path, s->session);
	else if (s->pid)
		fprintf(stderr, "bft summarize: %s: no session of pid "
			"%ld\n", s->path, s->pid);
	else
		fprintf(stderr, "bft summarize: %s: no trace events\n",
			s->path);
	return EXIT_BAD;
}

static int parse_summarize_args(const struct cmd *cmd, int argc, char **argv,
				struct summarize *s)
{
	static const struct option opts[] = {
		{ "session",		required_argument,	NULL, OPT_SESSION },
		{ "pid",		required_argument,	NULL, 'p' },
		{ "sessions",		required_argument,	NULL, OPT_SESSIONS },
		{ "raw",		no_argument,		NULL, OPT_RAW },
		{ "summary-only",	no_argument,		NULL, OPT_SUMMARY_ONLY },
		{ "help",		no_argument,		NULL, OPT_HELP },
		{ }
	};
	unsigned long n;
	int c, ret = EXIT_OK;

	while ((c = next_opt_from(cmd, argc, argv, ":hp:", opts,
				   &ret)) >= 0) {
		switch (c) {
		case OPT_SESSION:
			ret = parse_number(cmd, "--session", optarg,
					   UINT32_MAX, &s->session);
			if (ret)
				return ret;
			break;
		case 'p':
			ret = parse_number(cmd, "--pid", optarg, INT_MAX, &n);
			if (ret)
				return ret;
			s->pid = n;
			break;
		case OPT_SESSIONS:
			s->sessions_path = optarg;
			break;
		case OPT_RAW:
			s->report.raw = true;
			break;
		case OPT_SUMMARY_ONLY:
			s->report.summary_only = true;
			break;
		}
	}
	if (c == -2)
		return ret;
	if (s->pid && s->session)
		return usage_error(cmd, "--pid and --session exclude each "
				   "other");
	ret = want_operands(cmd, argc, 1);
	if (!ret)
		s->path = argv[optind];
	return ret;
}

int cmd_summarize(const struct cmd *cmd, int argc, char **argv)
{
	struct summarize s = { 0 };
	size_t i;
	int ret;

	ret = parse_summarize_args(cmd, argc, argv, &s);
	if (ret)
		return ret;
	ret = read_trace(&s);
	if (!ret)
		ret = print_reports(&s);
	for (i = 0; i < s.nsessions; i++)
		session_lines_free(&s.sessions[i]);
	free(s.sessions);
	return ret;
}
