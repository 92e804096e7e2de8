// SPDX-License-Identifier: GPL-2.0
/*
 * test_tracefs - one text format: the binfmt_trace:* tracepoints, read
 * from the top tracefs instance's `trace` file, print every event exactly
 * as the module's debugfs `trace` file (its own instance) does, with names
 * and never the numeric code of an enum (docs/trace-format.md).
 *
 * A dynamic program with an escaped label runs wrapped while the
 * binfmt_trace events of the top tracefs instance are enabled; each of
 * its session's events must come out of both files with the same name,
 * tid, keys and values, in the same order.  A path too long for an event
 * is cut with the documented marker.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "trace_parse.h"

#define PROGS		"/selftests/progs"
#define PROG		"/tmp/bft-tracefs"
/* Bytes that must be escaped: a blank, '=', '\', a byte above 0x7e. */
#define LABEL		"a b=c\\\xe9"
#define LABEL_ESCAPED	"a\\x20b\\x3dc\\x5c\\xe9"

static const char *tracefs(void)
{
	if (access("/sys/kernel/tracing/trace", F_OK) == 0)
		return "/sys/kernel/tracing";
	return "/sys/kernel/debug/tracing";
}

static int tracefs_write(const char *file, const char *s)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tracefs(), file);
	return tp_write_file(path, s);
}

static int tracefs_clear(void)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/trace", tracefs());
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int tracefs_read(struct tp_trace *t)
{
	char path[256], *text;
	int ret;

	snprintf(path, sizeof(path), "%s/trace", tracefs());
	text = tp_read_file(path, NULL);
	memset(t, 0, sizeof(*t));
	if (!text)
		return -1;
	ret = tp_parse_text(text, t);
	free(text);
	return ret;
}

/* The events of session @s, in order, into @v. */
static size_t session_events(const struct tp_trace *t, uint32_t s,
			     const struct tp_event **v, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < t->n && n < max; i++)
		if (t->ev[i].session == s)
			v[n++] = &t->ev[i];
	return n;
}

/*
 * The keys whose values are names (obj=, access=, ...): none of them may
 * print as a number, the way an unnamed enum code would.
 */
static const char *const named_keys[][2] = {
	{ "load_start", "type" },
	{ "load_phdr", "obj" }, { "load_phdr", "type" },
	{ "load_phdr", "flags" },
	{ "load_map", "obj" }, { "load_map", "prot" },
	{ "load_map", "flags" },
	{ "load_bss", "obj" }, { "load_bss", "prot" },
	{ "load_stack", "exec_stack" },
	{ "load_auxv", "key" },
	{ "page_fault", "access" }, { "page_fault", "mode" },
	{ "page_fault", "obj" }, { "page_fault", "result" },
	{ "page_fault", "cache" },
};

/* The first named field of @ev that holds a number, or NULL. */
static const char *numeric_name(const struct tp_event *ev)
{
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++) {
		if (!tp_is(ev, named_keys[i][0]))
			continue;
		v = tp_get(ev, named_keys[i][1]);
		if (!v || isdigit((unsigned char)v[0]))
			return named_keys[i][1];
	}
	return NULL;
}

/* Why @a and @b differ in name, tid or fields, or NULL. */
static const char *event_diff(const struct tp_event *a,
			      const struct tp_event *b)
{
	int i;

	if (strcmp(a->name, b->name))
		return "event name";
	if (a->tid != b->tid)
		return "tid";
	if (a->nfields != b->nfields)
		return "number of fields";
	for (i = 0; i < a->nfields; i++) {
		if (strcmp(a->f[i].key, b->f[i].key))
			return "a key";
		if (strcmp(a->f[i].val, b->f[i].val))
			return "a value";
	}
	return NULL;
}

FIXTURE(tracefs) {
	long long old_kb;
};

/* The first number of the top instance's buffer_size_kb, or -1. */
static long long top_buffer_kb(void)
{
	char path[256], *text;
	long long kb = -1;

	snprintf(path, sizeof(path), "%s/buffer_size_kb", tracefs());
	text = tp_read_file(path, NULL);
	if (text && isdigit((unsigned char)text[0]))
		kb = strtoll(text, NULL, 10);
	free(text);
	return kb;
}

/*
 * The top instance's buffers may be at their boot size (one page per
 * CPU, "7 (expanded: 1410)" on 6.1): make room for the whole session.
 */
FIXTURE_SETUP(tracefs)
{
	ASSERT_EQ(1, tp_read_number(BFT_DEBUGFS "/enable"));
	self->old_kb = top_buffer_kb();
	ASSERT_LT(0, self->old_kb);
	ASSERT_EQ(0, tracefs_write("buffer_size_kb", "1024"));
	ASSERT_EQ(0, tp_wrap(PROGS "/hello-dynamic", PROG, LABEL, 0));
	ASSERT_EQ(0, tracefs_write("events/binfmt_trace/enable", "0"));
	ASSERT_EQ(0, tracefs_clear());
	ASSERT_EQ(0, tp_clear());
}

FIXTURE_TEARDOWN(tracefs)
{
	char kb[32];

	tracefs_write("events/binfmt_trace/enable", "0");
	tracefs_clear();
	snprintf(kb, sizeof(kb), "%lld", self->old_kb);
	EXPECT_EQ(0, tracefs_write("buffer_size_kb", kb));
	unlink(PROG);
}

TEST_F_TIMEOUT(tracefs, tracepoints_print_the_debugfs_format, 120)
{
	const struct tp_event *a[1024], *b[1024];
	char *argv[] = { "bft-tracefs", NULL }, *out;
	struct tp_trace mine, ftrace;
	size_t na, nb, i, bad = 0;
	const char *why, *key;
	uint32_t s;
	pid_t pid;

	ASSERT_EQ(0, tracefs_write("events/binfmt_trace/enable", "1"));
	ASSERT_EQ(0, tp_run(PROG, argv, &out, &pid));
	free(out);
	ASSERT_EQ(0, tracefs_write("events/binfmt_trace/enable", "0"));

	ASSERT_EQ(0, tp_read_trace(&mine));
	ASSERT_EQ(0, tracefs_read(&ftrace));
	EXPECT_EQ(0UL, mine.nbad) tp_dump_bad(&mine);
	EXPECT_EQ(0UL, ftrace.nbad) tp_dump_bad(&ftrace);
	s = tp_session_of_pid(&mine, pid);
	ASSERT_NE(0U, s) tp_dump(&mine, 0, 0, 40);
	ASSERT_EQ(s, tp_session_of_pid(&ftrace, pid)) tp_dump(&ftrace, 0, 0, 40);

	na = session_events(&mine, s, a, 1024);
	nb = session_events(&ftrace, s, b, 1024);
	ASSERT_LT(na, 1024UL);
	EXPECT_EQ(na, nb);
	EXPECT_LT(50UL, na);
	for (i = 0; i < na && i < nb; i++) {
		why = event_diff(a[i], b[i]);
		if (why && bad++ < 5)
			TH_LOG("%s differs:\n#   debugfs %s\n#   tracefs %s",
			       why, a[i]->line, b[i]->line);
	}
	EXPECT_EQ(0UL, bad);

	bad = 0;
	for (i = 0; i < nb; i++) {
		key = numeric_name(b[i]);
		if (!tp_check_format(b[i], &why) || key) {
			if (bad++ < 5)
				TH_LOG("%s: %s", key ? key : why, b[i]->line);
		}
	}
	EXPECT_EQ(0UL, bad);

	/* The label: escaped in the line, the same bytes once unescaped. */
	ASSERT_NE(NULL, tp_find(&ftrace, s, "load_start"));
	EXPECT_NE(NULL, strstr(tp_find(&ftrace, s, "load_start")->line,
			       " label=" LABEL_ESCAPED " "))
		TH_LOG("%s", tp_find(&ftrace, s, "load_start")->line);
	EXPECT_TRUE(tp_eq(tp_find(&ftrace, s, "load_start"), "label", LABEL));
	EXPECT_NE(NULL, tp_find(&ftrace, s, "load_auxv"));
	EXPECT_NE(NULL, tp_find(&ftrace, s, "page_fault"));
	tp_free(&mine);
	tp_free(&ftrace);
}

/* A directory name of 250 bytes, none of which needs escaping. */
#define LONG_NAME	"dddddddddddddddddddddddddddddddddddddddddddddddddd" \
			"dddddddddddddddddddddddddddddddddddddddddddddddddd" \
			"dddddddddddddddddddddddddddddddddddddddddddddddddd" \
			"dddddddddddddddddddddddddddddddddddddddddddddddddd" \
			"dddddddddddddddddddddddddddddddddddddddddddddddddd"
#define LONG_DEPTH	6

/*
 * A path longer than an event takes (1023 bytes once escaped): load_start
 * has its first 1020 bytes then "...", the documented marker; the
 * sessions file has it whole.
 */
TEST_F(tracefs, long_path_is_cut_with_a_marker)
{
	char path[PATH_MAX] = "/tmp", want[1024], *argv[] = { "long", NULL };
	const struct tp_event *ev;
	struct tp_event line;
	struct tp_trace t;
	char *out;
	uint32_t s;
	pid_t pid;
	int i;

	for (i = 0; i < LONG_DEPTH; i++) {
		strcat(path, "/" LONG_NAME);
		ASSERT_TRUE(mkdir(path, 0755) == 0 || errno == EEXIST);
	}
	strcat(path, "/hello.bft");
	ASSERT_LT(1023UL, strlen(path));
	ASSERT_EQ(0, tp_wrap(PROGS "/hello-dynamic", path, "long", 0));
	ASSERT_EQ(0, tp_run(path, argv, &out, &pid));
	free(out);

	ASSERT_EQ(0, tp_read_trace(&t));
	s = tp_session_of_pid(&t, pid);
	ASSERT_NE(0U, s);
	ev = tp_find(&t, s, "load_start");
	ASSERT_NE(NULL, ev);
	snprintf(want, sizeof(want), "%.1020s...", path);
	EXPECT_TRUE(tp_eq(ev, "file", want)) TH_LOG("%s", ev->line);
	EXPECT_EQ(1023UL, strlen(tp_get(ev, "file")));
	EXPECT_TRUE(tp_eq(ev, "interp", "/lib64/ld-linux-x86-64.so.2"));
	EXPECT_TRUE(tp_eq(ev, "label", "long"));
	ASSERT_EQ(0, tp_session_line(s, &line));
	EXPECT_TRUE(tp_eq(&line, "file", path)) TH_LOG("%s", line.line);
	tp_event_free(&line);
	tp_free(&t);
	unlink(path);
}

TEST_HARNESS_MAIN
