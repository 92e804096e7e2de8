// SPDX-License-Identifier: GPL-2.0
/*
 * run.c - bft run: run a program where it is, traced by binfmt_trace, and
 * report what was recorded about its exec and its page faults.
 *
 *   1. check root, debugfs and the module; open trace_pipe, so that
 *      nothing the child does is missed, and trace_next_exec;
 *   2. find PROG like execvp(), without reading it: a cold start must
 *      stay cold;
 *   3. fork; the child marks its own next exec (trace_next_exec) and execs
 *      PROG, which the module loads in place, the file unmodified (an
 *      already wrapped PROG is loaded as a wrapped file); the parent keeps
 *      the lines of the child's session while it runs: the session whose
 *      load_start says pid=<child>, or failing that the sessions file's
 *      line for it;
 *   4. after wait4(), read until the session has gone quiet;
 *   5. print the report, and exit as the program did.
 *
 * With fault_capture=ring the faults are not lines but binary records in
 * faults_raw: read alongside trace_pipe, and turned into page_fault lines
 * once the session's other lines are all there (ring_read.c), each placed
 * in the session's mappings from those lines (ring_place.c).
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bft.h"
#include "report.h"
#include "ring_read.h"
#include "trace_dir.h"
#include "trace_parse.h"
#include "trace_report.h"

extern char **environ;

/* Exit statuses of a program that could not be run, as a shell's. */
#define EXIT_CANNOT_EXEC	126
#define EXIT_NOT_FOUND		127

/* Once the program is gone: how long its session must be quiet. */
#define QUIET_US		(100 * 1000)
/* ... or, with load_end still missing, how long to wait for it. */
#define QUIET_NO_END_US		(1000 * 1000)
/* ... and at most, for descendants that keep faulting. */
#define DRAIN_MAX_US		(5 * 1000 * 1000)
/* Lines of unknown sessions kept until the child's session is known. */
#define PENDING_MAX		(1024 * 1024)

struct run {
	const char		*prog;		/* as typed */
	char			**argv;		/* prog and its arguments */
	char			*path;		/* PROG found in $PATH */
	struct hdr		hdr;		/* flags and label of the mark */
	const char		*trace_out_path;
	FILE			*trace_out;
	const char		*out_path;	/* -o: the report's file */
	FILE			*out;		/* the report: stdout or -o */
	int			mark_fd;	/* trace_next_exec */
	struct report_opts	report;
	int			report_format;	/* --report, or -1 */
	struct trace_dir	dir;

	pid_t			child;
	int			exec_errno;	/* 0: the exec worked */
	bool			reaped;
	uint64_t		reaped_us;
	bool			emptied;	/* trace_pipe, since reaped */
	int			status;		/* from wait4() */
	struct rusage		rusage;		/* the program's, from wait4() */
	unsigned long		session;	/* 0 until known */
	bool			load_end;
	uint64_t		last_line_us;	/* of the session */
	struct session_lines	lines;		/* the session's */
	struct session_lines	pending;	/* read before it was known */
	struct session_info	counts;		/* its line in sessions */
	bool			has_counts;
	int			ring_fd;	/* faults_raw, or -1 */
	struct ring_records	ring;		/* what it gave */
};

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ------------------------------------------------------------------ */
/* Finding and wrapping the program                                    */

static bool is_executable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

/*
 * PROG as execvp() would find it: as given if it has a slash, else the
 * first executable regular file of that name in $PATH.  Returns a
 * malloc'ed path, or NULL with errno set.
 */
char *find_program(const char *prog)
{
	const char *path = getenv("PATH"), *dir, *end;
	int err = ENOENT;
	char *candidate;

	if (strchr(prog, '/'))
		return xstrdup(prog);
	if (!*prog) {
		errno = ENOENT;
		return NULL;
	}
	if (!path)
		path = "/bin:/usr/bin";
	for (dir = path; ; dir = end + 1) {
		end = strchrnul(dir, ':');
		if (asprintf(&candidate, "%.*s/%s", end == dir ? 1 : (int)(end - dir),
			     end == dir ? "." : dir, prog) < 0)
			return NULL;
		if (is_executable_file(candidate))
			return candidate;
		if (access(candidate, F_OK) == 0)
			err = EACCES;
		free(candidate);
		if (!*end)
			break;
	}
	errno = err;
	return NULL;
}

/* A shell's exit status for a program it could not run. */
static int exec_failure_status(int err)
{
	return err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
}

/* "bft run: cannot execute PROG: why", and the shell's exit status. */
static int cannot_execute(const struct run *r, int err, const char *why)
{
	fprintf(stderr, "bft run: cannot execute %s: %s\n", r->prog,
		why ? why : strerror(err));
	return exec_failure_status(err);
}

/*
 * Find the program and check it the way execve() would, by its inode
 * only: its bytes are not read before the exec, so that a cold page cache
 * stays cold.
 */
static int find_executable(struct run *r)
{
	struct stat st;

	r->path = find_program(r->prog);
	if (!r->path)
		return cannot_execute(r, errno, NULL);
	if (stat(r->path, &st) < 0)
		return cannot_execute(r, errno, NULL);
	if (S_ISDIR(st.st_mode))
		return cannot_execute(r, EISDIR, NULL);
	if (!S_ISREG(st.st_mode) || access(r->path, X_OK) < 0)
		return cannot_execute(r, EACCES, NULL);
	return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* Starting the child                                                  */

/* wait4(), for the status and the program's own fault counts. */
static void reap_child(struct run *r, int flags)
{
	if (!r->reaped &&
	    wait4(r->child, &r->status, flags, &r->rusage) == r->child) {
		r->reaped = true;
		r->reaped_us = now_us();
	}
}

/*
 * In the child: mark the next exec for binfmt_trace, "1 FLAGS LABEL" (see
 * control.c).  Returns 0 or an errno.
 */
static int mark_next_exec(const struct run *r)
{
	char line[64];
	int len;

	len = snprintf(line, sizeof(line), "1 %x %s", r->hdr.flags,
		       r->hdr.label[0] ? r->hdr.label : "");
	if (write(r->mark_fd, line, len) != len)
		return errno ? errno : EIO;
	return 0;
}

/* What the child tells the parent when it could not exec. */
struct child_failure {
	int	marking;	/* 1: writing trace_next_exec failed */
	int	err;
};

/*
 * Fork, mark and exec r->path in the child.  Returns once the exec has
 * happened or failed; r->exec_errno says which.  SIGINT and SIGQUIT are
 * ignored here while the program runs, as a shell does, so that ^C stops
 * the program and bft still reports.
 */
static int start_child(struct run *r)
{
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old_int, old_quit;
	struct child_failure failure = { 0 };
	int pipefd[2];
	ssize_t n;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return io_error("pipe", "cannot create");
	fflush(NULL);
	sigaction(SIGINT, &ignore, &old_int);
	sigaction(SIGQUIT, &ignore, &old_quit);
	r->child = fork();
	if (r->child < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return io_error("fork", "cannot start the program");
	}
	if (r->child == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		failure.err = mark_next_exec(r);
		if (failure.err) {
			failure.marking = 1;
		} else {
			execve(r->path, r->argv, environ);
			failure.err = errno;
		}
		if (write(pipefd[1], &failure, sizeof(failure)) !=
		    sizeof(failure))
			_exit(EXIT_CANNOT_EXEC);
		_exit(failure.marking ? EXIT_IO :
		      exec_failure_status(failure.err));
	}
	close(pipefd[1]);
	close(r->mark_fd);
	r->mark_fd = -1;
	do {
		n = read(pipefd[0], &failure, sizeof(failure));
	} while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	if (n == sizeof(failure) && failure.marking) {
		reap_child(r, 0);
		fprintf(stderr, "bft run: cannot mark the exec for tracing "
			"(trace_next_exec): %s\n", strerror(failure.err));
		return EXIT_IO;
	}
	r->exec_errno = n == sizeof(failure) ? failure.err : 0;
	return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* Following the child's session                                       */

static void keep_line(struct run *r, const char *line,
		      const struct trace_event *ev)
{
	session_lines_add(&r->lines, line);
	if (r->trace_out)
		fprintf(r->trace_out, "%s\n", line);
	if (!strcmp(ev->name, "load_end"))
		r->load_end = true;
	r->last_line_us = now_us();
}

/* The session is known now: keep what was read for it before. */
static void session_found(struct run *r, unsigned long session)
{
	struct trace_event ev;
	char *copy;
	size_t i;

	r->session = session;
	for (i = 0; i < r->pending.n; i++) {
		copy = xstrdup(r->pending.lines[i]);
		if (trace_parse_line(copy, &ev) == 0 && ev.session == session)
			keep_line(r, r->pending.lines[i], &ev);
		free(copy);
	}
	session_lines_free(&r->pending);
}

static bool starts_child_session(const struct run *r,
				 const struct trace_event *ev)
{
	int64_t pid;

	return !strcmp(ev->name, "load_start") &&
	       trace_get_s64(ev, "pid", &pid) && pid == r->child;
}

/* line_fn for trace_pipe. */
static void on_line(void *arg, char *line)
{
	struct run *r = arg;
	struct trace_event ev;
	char *copy = xstrdup(line);

	if (trace_parse_line(copy, &ev) < 0 || !ev.session)
		goto out;
	if (!r->session && starts_child_session(r, &ev)) {
		session_found(r, ev.session);
		keep_line(r, line, &ev);
	} else if (!r->session) {
		if (r->pending.n < PENDING_MAX)
			session_lines_add(&r->pending, line);
	} else if (ev.session == r->session) {
		keep_line(r, line, &ev);
	}
out:
	free(copy);
}

/*
 * Without a load_start (--no-load-events, or dropped), the sessions file
 * still has a line with the child's pid; the newest such is ours.
 */
static void find_session_by_pid(struct run *r)
{
	struct session_info *list;
	unsigned long best = 0;
	char path[PATH_MAX];
	size_t n, i;

	if (sessions_read(trace_dir_file(&r->dir, "sessions", path),
			  &list, &n) < 0)
		return;
	for (i = 0; i < n; i++)
		if (list[i].pid == r->child && list[i].id > best)
			best = list[i].id;
	free(list);
	if (best)
		session_found(r, best);
}

/*
 * Whether everything of the session has been read.  The child's own
 * events were all written before waitpid() saw it exit, so once
 * trace_pipe has been emptied after that, only those of its children
 * can still come: wait for the session to be quiet (QUIET_*).
 */
static bool drained(const struct run *r, const struct line_reader *reader)
{
	uint64_t now = now_us();
	uint64_t since = r->last_line_us > r->reaped_us ? r->last_line_us :
							  r->reaped_us;
	uint64_t quiet = now - since;

	if (reader->eof || now - r->reaped_us >= DRAIN_MAX_US)
		return true;
	if (!r->emptied || quiet < QUIET_US)
		return false;
	if (r->load_end || (r->hdr.flags & BFT_FLAG_NO_LOAD_EVENTS))
		return true;
	return quiet >= QUIET_NO_END_US;
}

/*
 * What faults_raw has now; a record of the session counts as one of its
 * lines for drained() (another traced program's must not keep us).
 */
static int read_ring(struct run *r)
{
	size_t i = r->ring.n;

	if (r->ring_fd < 0)
		return 0;
	if (ring_records_drain(r->ring_fd, &r->ring) < 0)
		return -1;
	for (; i < r->ring.n; i++)
		if (!r->session || r->ring.r[i].session == r->session)
			r->last_line_us = now_us();
	return 0;
}

/*
 * The instance's trace_clock, as "[local] global ..." shows it: the
 * records' clock is "local", and only then do they sort among the lines.
 */
static bool clock_is_local(const struct run *r)
{
	char path[PATH_MAX], buf[256] = "";
	FILE *f;

	snprintf(path, sizeof(path),
		 "%s/tracing/instances/binfmt_trace/trace_clock", r->dir.mount);
	f = fopen(path, "re");
	if (!f)
		return true;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return !buf[0] || strstr(buf, "[local]");
}

/* The ring's records of the session, as lines among the others. */
static void add_ring_lines(struct run *r)
{
	size_t i, added;

	if (!r->session || !r->ring.n)
		return;
	r->lines.id = r->session;
	i = r->lines.n;
	added = ring_records_to_lines(&r->ring, &r->lines);
	if (added && !clock_is_local(r))
		fprintf(stderr, "bft run: warning: the instance's trace_clock "
			"is not \"local\", the clock of faults_raw: the "
			"faults are not in time order among the other events\n");
	if (r->trace_out)
		for (; i < r->lines.n; i++)
			fprintf(r->trace_out, "%s\n", r->lines.lines[i]);
}

/*
 * Read trace_pipe until the child has exited (or was never started) and
 * its session has been read to the end.
 */
static int follow_child(struct run *r, struct line_reader *reader)
{
	struct pollfd pfd = { .fd = reader->fd, .events = POLLIN };
	uint64_t looked_us = 0;
	int more;

	for (;;) {
		if (poll(&pfd, 1, 20) < 0 && errno != EINTR)
			return io_error("trace_pipe", "cannot poll");
		more = line_reader_fill(reader, on_line, r);
		if (more < 0)
			return io_error("trace_pipe", "cannot read");
		if (read_ring(r) < 0)
			return io_error("faults_raw", "cannot read");
		/* Emptied after the exit: reap first, then read to EAGAIN. */
		if (r->reaped && !more)
			r->emptied = true;
		reap_child(r, WNOHANG);
		if (!r->session && now_us() - looked_us >= QUIET_US) {
			find_session_by_pid(r);
			looked_us = now_us();
		}
		if (r->reaped && drained(r, reader))
			return EXIT_OK;
	}
}

/* ------------------------------------------------------------------ */
/* Reporting                                                           */

static void describe_status(const struct run *r, char *buf, size_t len)
{
	if (r->exec_errno)
		snprintf(buf, len, "exec failed: %s", strerror(r->exec_errno));
	else if (WIFEXITED(r->status))
		snprintf(buf, len, "exited with status %d",
			 WEXITSTATUS(r->status));
	else if (WIFSIGNALED(r->status))
		snprintf(buf, len, "killed by signal %d (%s)%s",
			 WTERMSIG(r->status), strsignal(WTERMSIG(r->status)),
			 WCOREDUMP(r->status) ? ", core dumped" : "");
	else
		snprintf(buf, len, "status 0x%x", r->status);
}

/* The session's line of the sessions file: events=, the events written. */
static void read_session_counts(struct run *r)
{
	struct session_info *list;
	char path[PATH_MAX];
	size_t n, i;

	if (sessions_read(trace_dir_file(&r->dir, "sessions", path),
			  &list, &n) < 0)
		return;
	for (i = 0; i < n; i++) {
		if (list[i].id == r->session) {
			r->counts = list[i];
			r->has_counts = true;
		}
	}
	free(list);
	/*
	 * Once every traced mm of the session is gone, all of its events=
	 * have been written: fewer lines read were lost, to a buffer that
	 * overwrote them or to another reader of trace_pipe.
	 */
	r->report.has_lost = r->has_counts && r->counts.ended &&
			     r->counts.has_events;
	r->report.lost = r->report.has_lost &&
			 r->counts.events > r->lines.n ?
			 r->counts.events - r->lines.n : 0;
}

static void warn_incomplete(const struct run *r)
{
	char path[PATH_MAX];

	if (r->report.has_lost)
		warn_lost("run", r->session, r->report.lost, r->counts.events,
			  trace_dir_file(&r->dir, "buffer_size_kb", path),
			  trace_dir_buffer_kb(&r->dir));
}

/* --report FORMAT: bft report's output for the session, to -o or stdout. */
static int model_report(struct run *r)
{
	struct report rep = { .trace_path = "-" };
	int ret;

	ret = report_build(&rep, r->lines.lines, NULL, r->lines.n,
			   &r->session, 1, "run");
	if (!ret)
		ret = report_write(&rep, r->report_format, NULL, r->out);
	report_free(&rep);
	if (!ret)
		warn_incomplete(r);
	return ret;
}

static int report(struct run *r)
{
	char status[128], *header;

	describe_status(r, status, sizeof(status));
	if (!r->session && r->exec_errno)
		return EXIT_OK;
	if (!r->session) {
		fprintf(stderr, "bft run: warning: no trace of pid %d (%s); "
			"is recording on, and is nothing else reading "
			"trace_pipe?\n", (int)r->child, status);
		return EXIT_OK;
	}
	read_session_counts(r);
	if (r->report_format >= 0)
		return model_report(r);
	if (asprintf(&header, "== bft run %s: pid %d, session %lu, %s",
		     r->prog, (int)r->child, r->session, status) < 0)
		return io_error("<memory>", "cannot allocate");
	report_print(r->out, &r->lines, header, &r->report);
	free(header);
	if (!r->exec_errno)
		fprintf(r->out, "rusage: majflt=%ld minflt=%ld "
			"(the program's own, from wait4)\n",
			r->rusage.ru_majflt, r->rusage.ru_minflt);
	if (fflush(r->out) == EOF || ferror(r->out))
		return io_error(r->out_path ? r->out_path : "<stdout>",
				"cannot write");
	warn_incomplete(r);
	return EXIT_OK;
}

/* The program's exit status, as a shell gives it. */
static int program_status(const struct run *r)
{
	if (r->exec_errno)
		return exec_failure_status(r->exec_errno);
	if (WIFSIGNALED(r->status))
		return 128 + WTERMSIG(r->status);
	return WEXITSTATUS(r->status);
}

/* ------------------------------------------------------------------ */
/* bft run                                                             */

static int parse_run_args(const struct cmd *cmd, int argc, char **argv,
			  struct run *r)
{
	static const struct option opts[] = {
		{ "output",		required_argument,	NULL, 'o' },
		{ "trace-out",		required_argument,	NULL, OPT_TRACE_OUT },
		{ "label",		required_argument,	NULL, OPT_LABEL },
		{ "no-load-events",	no_argument,		NULL, OPT_NO_LOAD },
		{ "no-fault-events",	no_argument,		NULL, OPT_NO_FAULT },
		{ "raw",		no_argument,		NULL, OPT_RAW },
		{ "summary-only",	no_argument,		NULL, OPT_SUMMARY_ONLY },
		{ "report",		required_argument,	NULL, OPT_REPORT },
		{ "help",		no_argument,		NULL, OPT_HELP },
		{ }
	};
	int c, ret = EXIT_OK;

	r->report_format = -1;
	hdr_init(&r->hdr);
	while ((c = next_opt_from(cmd, argc, argv, "+:ho:", opts, &ret)) >= 0) {
		switch (c) {
		case 'o':
			r->out_path = optarg;
			break;
		case OPT_TRACE_OUT:
			r->trace_out_path = optarg;
			break;
		case OPT_LABEL:
			ret = hdr_set_label(cmd, &r->hdr, optarg);
			if (ret)
				return ret;
			break;
		case OPT_NO_LOAD:
			r->hdr.flags |= BFT_FLAG_NO_LOAD_EVENTS;
			break;
		case OPT_NO_FAULT:
			r->hdr.flags |= BFT_FLAG_NO_FAULT_EVENTS;
			break;
		case OPT_RAW:
			r->report.raw = true;
			break;
		case OPT_SUMMARY_ONLY:
			r->report.summary_only = true;
			break;
		case OPT_REPORT:
			r->report_format = report_format_find(optarg);
			if (r->report_format < 0)
				return usage_error(cmd, "unknown --report format "
						   "'%s' (text, json, csv, "
						   "perfetto, svg)", optarg);
			break;
		}
	}
	if (c == -2)
		return ret;
	if (optind == argc)
		return usage_error(cmd, "missing program");
	r->prog = argv[optind];
	r->argv = argv + optind;
	return EXIT_OK;
}

/* Run the program and follow it, with trace_pipe already open. */
static int run_traced(struct run *r, struct line_reader *reader)
{
	int ret;

	ret = find_executable(r);
	if (ret)
		return ret;
	ret = start_child(r);
	if (ret)
		return ret;
	if (r->exec_errno)
		reap_child(r, 0);
	ret = follow_child(r, reader);
	if (ret)
		return ret;
	add_ring_lines(r);
	ret = report(r);
	if (r->exec_errno)
		return cannot_execute(r, r->exec_errno, NULL);
	return ret ? ret : program_status(r);
}

int cmd_run(const struct cmd *cmd, int argc, char **argv)
{
	struct line_reader reader = { .fd = -1 };
	struct run r = { .mark_fd = -1, .out = stdout, .ring_fd = -1 };
	char path[PATH_MAX];
	int ret;

	ret = parse_run_args(cmd, argc, argv, &r);
	if (ret)
		return ret;
	ret = trace_dir_find(cmd->name, &r.dir);
	if (ret)
		return ret;
	trace_dir_warn_disabled(cmd->name, &r.dir);
	if (r.trace_out_path) {
		r.trace_out = fopen(r.trace_out_path, "we");
		if (!r.trace_out)
			return io_error(r.trace_out_path, "cannot open");
	}
	if (r.out_path) {
		r.out = fopen(r.out_path, "we");
		if (!r.out) {
			ret = io_error(r.out_path, "cannot open");
			goto out;
		}
	}
	r.mark_fd = open(trace_dir_file(&r.dir, "trace_next_exec", path),
			 O_WRONLY | O_CLOEXEC);
	if (r.mark_fd < 0) {
		ret = io_error(path, "cannot open (a module without in-place "
			       "tracing?)");
		goto out;
	}
	reader.fd = trace_dir_open_pipe(cmd->name, &r.dir);
	/* A module from before fault_capture=ring has no faults_raw. */
	r.ring_fd = ring_records_open(&r.dir);
	if (reader.fd < 0)
		ret = EXIT_IO;
	else
		ret = run_traced(&r, &reader);
out:
	if (r.mark_fd >= 0)
		close(r.mark_fd);
	if (r.out != stdout && r.out && (ferror(r.out) | fclose(r.out)))
		ret = io_error(r.out_path, "cannot write");
	/* A trace file that is not complete must not look like success. */
	if (r.trace_out && (ferror(r.trace_out) | fclose(r.trace_out)))
		ret = io_error(r.trace_out_path, "cannot write");
	if (reader.fd >= 0)
		close(reader.fd);
	if (r.ring_fd >= 0)
		close(r.ring_fd);
	ring_records_free(&r.ring);
	line_reader_free(&reader);
	session_lines_free(&r.lines);
	session_lines_free(&r.pending);
	free(r.path);
	return ret;
}
