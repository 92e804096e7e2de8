// SPDX-License-Identifier: GPL-2.0
/*
 * trace_stream.c - bft trace: trace_pipe to stdout, line by line, until
 * ^C, keeping the lines of one process or one session.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bft.h"
#include "trace_dir.h"
#include "trace_parse.h"
#include "trace_report.h"

/* When the first line of a session was seen: readable times count from it. */
struct session_base {
	unsigned long	id;
	uint64_t	ts_us;
};

struct stream {
	unsigned long		session;	/* --session, or 0 */
	long			pid;		/* --pid, or 0 */
	bool			raw;
	unsigned long		*pid_sessions;	/* load_start had pid=PID */
	size_t			npid_sessions;
	struct session_base	*bases;
	size_t			nbases;
};

static volatile sig_atomic_t stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static bool has_id(const unsigned long *ids, size_t n, unsigned long id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static void add_pid_session(struct stream *s, unsigned long id)
{
	if (has_id(s->pid_sessions, s->npid_sessions, id))
		return;
	s->pid_sessions = xrealloc(s->pid_sessions, (s->npid_sessions + 1) *
				   sizeof(*s->pid_sessions));
	s->pid_sessions[s->npid_sessions++] = id;
}

/* Sessions of --pid that began before we started reading. */
static void add_known_pid_sessions(struct stream *s, const struct trace_dir *d)
{
	struct session_info *list;
	char path[PATH_MAX];
	size_t n, i;

	if (sessions_read(trace_dir_file(d, "sessions", path), &list, &n) < 0)
		return;
	for (i = 0; i < n; i++)
		if (list[i].pid == s->pid)
			add_pid_session(s, list[i].id);
	free(list);
}

static uint64_t session_base(struct stream *s, const struct trace_event *ev)
{
	size_t i;

	for (i = 0; i < s->nbases; i++)
		if (s->bases[i].id == ev->session)
			return s->bases[i].ts_us;
	s->bases = xrealloc(s->bases, (s->nbases + 1) * sizeof(*s->bases));
	s->bases[s->nbases++] = (struct session_base){ ev->session,
						       ev->ts_us };
	return ev->ts_us;
}

static bool wanted(struct stream *s, const struct trace_event *ev)
{
	int64_t pid;

	if (s->pid && !strcmp(ev->name, "load_start") &&
	    trace_get_s64(ev, "pid", &pid) && pid == s->pid)
		add_pid_session(s, ev->session);
	if (!s->session && !s->pid)
		return true;
	if (s->session)
		return ev->session == s->session;
	return ev->tid == s->pid ||
	       has_id(s->pid_sessions, s->npid_sessions, ev->session);
}

/* line_fn: print @line if it is wanted. */
static void on_line(void *arg, char *line)
{
	struct stream *s = arg;
	struct trace_event ev;
	char *copy = xstrdup(line);

	if (trace_parse_line(copy, &ev) < 0) {
		/* Not an event: shown only when nothing is filtered. */
		if (!s->session && !s->pid)
			printf("%s\n", line);
	} else if (wanted(s, &ev)) {
		if (s->raw)
			printf("%s\n", line);
		else
			print_readable(stdout, line, &ev, session_base(s, &ev),
				       true);
	}
	free(copy);
}

/*
 * Until SIGINT or SIGTERM (or the end of the file, for a trace_pipe that
 * is a FIFO in tests).  The signals are blocked except inside ppoll(), so
 * one that arrives between two reads cannot be missed.
 */
static int stream_lines(struct stream *s, int fd)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	struct line_reader reader = { .fd = fd };
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	sigset_t block, unblocked;
	int ret = EXIT_OK;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &unblocked);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop && !reader.eof) {
		if (ppoll(&pfd, 1, NULL, &unblocked) < 0 && errno != EINTR) {
			ret = io_error("trace_pipe", "cannot poll");
			break;
		}
		if (stop)
			break;
		if (line_reader_fill(&reader, on_line, s) < 0) {
			ret = io_error("trace_pipe", "cannot read");
			break;
		}
		if (ferror(stdout)) {
			ret = io_error("<stdout>", "cannot write");
			break;
		}
	}
	line_reader_free(&reader);
	if (!ret && (fflush(stdout) == EOF || ferror(stdout)))
		ret = io_error("<stdout>", "cannot write");
	return ret;
}

static int parse_trace_args(const struct cmd *cmd, int argc, char **argv,
			    struct stream *s)
{
	static const struct option opts[] = {
		{ "pid",	required_argument,	NULL, 'p' },
		{ "session",	required_argument,	NULL, OPT_SESSION },
		{ "raw",	no_argument,		NULL, OPT_RAW },
		{ "help",	no_argument,		NULL, OPT_HELP },
		{ }
	};
	unsigned long n;
	int c, ret = EXIT_OK;

	while ((c = next_opt_from(cmd, argc, argv, ":hp:", opts,
				   &ret)) >= 0) {
		switch (c) {
		case 'p':
			ret = parse_number(cmd, "--pid", optarg, INT_MAX, &n);
			if (ret)
				return ret;
			s->pid = n;
			break;
		case OPT_SESSION:
			ret = parse_number(cmd, "--session", optarg,
					   UINT32_MAX, &s->session);
			if (ret)
				return ret;
			break;
		case OPT_RAW:
			s->raw = true;
			break;
		}
	}
	if (c == -2)
		return ret;
	if (s->pid && s->session)
		return usage_error(cmd, "--pid and --session exclude each "
				   "other");
	return want_operands(cmd, argc, 0);
}

int cmd_trace(const struct cmd *cmd, int argc, char **argv)
{
	struct stream s = { 0 };
	struct trace_dir d;
	int fd, ret;

	ret = parse_trace_args(cmd, argc, argv, &s);
	if (ret)
		return ret;
	ret = trace_dir_find(cmd->name, &d);
	if (ret)
		return ret;
	trace_dir_warn_disabled(cmd->name, &d);
	fd = trace_dir_open_pipe(cmd->name, &d);
	if (fd < 0)
		return EXIT_IO;
	if (s.pid)
		add_known_pid_sessions(&s, &d);
	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = stream_lines(&s, fd);
	close(fd);
	free(s.pid_sessions);
	free(s.bases);
	return ret;
}
