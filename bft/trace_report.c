// SPDX-License-Identifier: GPL-2.0
/*
 * trace_report.c - turn the lines of one session into a report: load
 * steps, fault timeline, then counts by result, page cache, access, mode
 * and by object and segment.  The kernel only writes lines; the counting
 * is done here (the blktrace/blkparse split).
 */
#define _GNU_SOURCE

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bft.h"
#include "fault_result.h"
#include "trace_report.h"

int session_lines_add(struct session_lines *s, const char *line)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->lines = xrealloc(s->lines, s->cap * sizeof(*s->lines));
	}
	s->lines[s->n++] = xstrdup(line);
	return 0;
}

void session_lines_free(struct session_lines *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->lines[i]);
	free(s->lines);
	s->lines = NULL;
	s->n = s->cap = 0;
}

/* ------------------------------------------------------------------ */
/* Counting values of one field                                        */

#define TALLY_MAX	8

struct tally {
	const char *const	*names;		/* values, NULL at the end */
	unsigned long		count[TALLY_MAX];
	unsigned long		other;		/* values not in names */
	unsigned long		unknown;	/* not recorded (fast capture) */
};

static const char *const result_names[] = {
	"minor", "major", "retry", "sigsegv", "sigbus", "oom", NULL
};
/* lock=vma: the vma's own lock (6.12); mmap: mmap_lock. */
static const char *const lock_names[] = { "vma", "mmap", NULL };
/* "-": filemap_fault() was not called; the summary says "none". */
static const char *const cache_names[] = { "hit", "miss", "-", NULL };
static const char *const access_names[] = { "read", "write", "exec", NULL };
static const char *const mode_names[] = { "user", "kernel", "remote", NULL };

static void tally_add(struct tally *t, const char *value)
{
	int i;

	for (i = 0; value && t->names[i]; i++) {
		if (!strcmp(t->names[i], value)) {
			t->count[i]++;
			return;
		}
	}
	t->other++;
}

/* "KEY: a 1, b 2, c 0", and ", other N" only when there were such. */
static void tally_print(FILE *f, const char *key, const struct tally *t)
{
	int i;

	fprintf(f, "%s:", key);
	for (i = 0; t->names[i]; i++)
		fprintf(f, "%s %s %lu", i ? "," : "",
			strcmp(t->names[i], "-") ? t->names[i] : "none",
			t->count[i]);
	if (t->other)
		fprintf(f, ", other %lu", t->other);
	if (t->unknown)
		fprintf(f, ", unknown %lu", t->unknown);
	fputc('\n', f);
}

/* ------------------------------------------------------------------ */
/* Faults by object                                                    */

/* The objects in the order the summary lists them; others come last. */
static const char *const object_order[] = {
	"exe", "interp", "lib", "heap", "stack", "anon", "vdso", "vvar", "none",
	NULL
};

struct object_row {
	char		*obj;
	long		seg;		/* -1: none */
	char		*file;		/* obj=lib's file=, else NULL */
	unsigned long	faults;
	unsigned long	file_backed;	/* off= is a file offset */
	unsigned long	anon;		/* off=- */
	size_t		first_seen;
};

static int object_rank(const char *obj)
{
	int i;

	for (i = 0; object_order[i]; i++)
		if (!strcmp(object_order[i], obj))
			return i;
	return i;
}

/* exe, interp and lib are files with anonymous parts (bss). */
static bool object_has_files(const char *obj)
{
	return object_rank(obj) <= 2;
}

static int compare_rows(const void *a, const void *b)
{
	const struct object_row *x = a, *y = b;
	int rx = object_rank(x->obj), ry = object_rank(y->obj);
	unsigned long sx = (unsigned long)x->seg, sy = (unsigned long)y->seg;

	if (rx != ry)
		return rx - ry;
	if (sx != sy)		/* seg -1 sorts after every index */
		return sx < sy ? -1 : 1;
	if (x->file && y->file && strcmp(x->file, y->file))
		return strcmp(x->file, y->file);
	return x->first_seen < y->first_seen ? -1 :
	       x->first_seen > y->first_seen;
}

static bool same_row(const struct object_row *row, const char *obj, long seg,
		     const char *file)
{
	if (strcmp(row->obj, obj) || row->seg != seg)
		return false;
	if (!row->file || !file)
		return !row->file && !file;
	return !strcmp(row->file, file);
}

/* ------------------------------------------------------------------ */
/* One pass over the session                                           */

struct summary {
	uint64_t		base_us;	/* first event's timestamp */
	bool			has_base;
	unsigned long		load_events;
	unsigned long		other_events;
	/* load_start */
	bool			has_start;
	char			*pid;
	char			*file;
	char			*label;
	/* load_end, load_error */
	bool			has_end;
	char			*end_result;
	char			*end_ns;
	unsigned long		errors;
	char			*error_step;
	char			*error_value;
	/* page_fault, fork, mm_exit */
	unsigned long		faults;
	uint64_t		lat_total;	/* ns in handle_mm_fault() */
	uint64_t		lat_max;
	unsigned long		lat_unknown;	/* fast capture: no lat= */
	unsigned long		forks;
	unsigned long		mm_exits;
	/* mmap, mprotect, munmap, mremap, brk: in map_names order */
	unsigned long		maps[5];
	unsigned long		io_retries;	/* result=retry lock=mmap */
	unsigned long		fallbacks;	/* result=retry lock=vma */
	struct tally		result;
	struct tally		lock;
	struct tally		cache;
	struct tally		access;
	struct tally		mode;
	struct object_row	*rows;
	size_t			nrows;
	/* fault_capture=fast: faults whose result= their task's next says */
	struct fault_waiting	waiting;
};

/* The memory-map system call events, as the summary counts them. */
static const char *const map_names[] = {
	"mmap", "mprotect", "munmap", "mremap", "brk",
};

static void add_map(struct summary *sum, const struct trace_event *ev)
{
	size_t i;

	for (i = 0; i < sizeof(map_names) / sizeof(map_names[0]); i++)
		if (!strcmp(ev->name, map_names[i]))
			sum->maps[i]++;
}

static bool is_load_event(const struct trace_event *ev)
{
	return !strncmp(ev->name, "load_", 5);
}

/* A copy of @key's value, still "-" when empty. */
static char *dup_field(const struct trace_event *ev, const char *key)
{
	const char *v = trace_get(ev, key);

	return xstrdup(v ? v : "-");
}

static bool field_is(const struct trace_event *ev, const char *key,
		     const char *value)
{
	const char *v = trace_get(ev, key);

	return v && !strcmp(v, value);
}

static void add_fault_object(struct summary *sum, const struct trace_event *ev)
{
	const char *obj = trace_get(ev, "obj");
	const char *file = trace_get(ev, "file");
	struct object_row *row;
	int64_t seg;
	size_t i;

	if (!obj)
		obj = "-";
	if (!trace_get_s64(ev, "seg", &seg) || seg < 0)
		seg = -1;
	if (trace_absent(file) || strcmp(obj, "lib"))
		file = NULL;
	for (i = 0; i < sum->nrows; i++)
		if (same_row(&sum->rows[i], obj, seg, file))
			break;
	if (i == sum->nrows) {
		sum->rows = xrealloc(sum->rows, (i + 1) * sizeof(*sum->rows));
		sum->rows[i] = (struct object_row){
			.obj = xstrdup(obj),
			.seg = seg,
			.file = file ? xstrdup(file) : NULL,
			.first_seen = i,
		};
		sum->nrows++;
	}
	row = &sum->rows[i];
	row->faults++;
	if (trace_absent(trace_get(ev, "off")))
		row->anon++;
	else
		row->file_backed++;
}

/* The task's fault counts that a page_fault or mm_exit carries. */
static bool event_counts(const struct trace_event *ev, struct fault_counts *c)
{
	return trace_get_u64(ev, "minflt", &c->min) &&
	       trace_get_u64(ev, "majflt", &c->maj);
}

/*
 * A fault of the fast capture (result=-) is tallied when the same task's
 * next page_fault or mm_exit gives its result; one with nothing after it
 * stays "unknown".
 */
static void add_fault_result(struct summary *sum, const struct trace_event *ev)
{
	struct fault_counts now;
	const char *result;
	size_t unused;
	bool counts = event_counts(ev, &now);

	if (counts && fault_waiting_take(&sum->waiting, ev->tid, &now,
					 &unused, &result))
		tally_add(&sum->result, result);
	if (strcmp(ev->name, "page_fault"))
		return;
	if (counts && trace_absent(trace_get(ev, "result")))
		fault_waiting_put(&sum->waiting, ev->tid, 0, &now);
	else
		tally_add(&sum->result, trace_get(ev, "result"));
}

/* What only the detail capture records: latency, lock, page cache. */
static void add_fault_detail(struct summary *sum, const struct trace_event *ev)
{
	uint64_t lat;

	if (trace_absent(trace_get(ev, "result"))) {
		sum->lat_unknown++;
		sum->lock.unknown++;
		sum->cache.unknown++;
		return;
	}
	if (trace_get_u64(ev, "lat", &lat)) {
		sum->lat_total += lat;
		if (lat > sum->lat_max)
			sum->lat_max = lat;
	}
	tally_add(&sum->lock, trace_get(ev, "lock"));
	if (field_is(ev, "result", "retry")) {
		if (field_is(ev, "lock", "vma"))
			sum->fallbacks++;
		else
			sum->io_retries++;
	}
	tally_add(&sum->cache, trace_get(ev, "cache"));
}

static void add_fault(struct summary *sum, const struct trace_event *ev)
{
	sum->faults++;
	add_fault_result(sum, ev);
	add_fault_detail(sum, ev);
	tally_add(&sum->access, trace_get(ev, "access"));
	tally_add(&sum->mode, trace_get(ev, "mode"));
	add_fault_object(sum, ev);
}

static void add_load_event(struct summary *sum, const struct trace_event *ev)
{
	sum->load_events++;
	if (!strcmp(ev->name, "load_start") && !sum->has_start) {
		sum->has_start = true;
		sum->pid = dup_field(ev, "pid");
		sum->file = dup_field(ev, "file");
		sum->label = dup_field(ev, "label");
	} else if (!strcmp(ev->name, "load_end")) {
		sum->has_end = true;
		free(sum->end_result);
		free(sum->end_ns);
		sum->end_result = dup_field(ev, "result");
		sum->end_ns = dup_field(ev, "load_ns");
	} else if (!strcmp(ev->name, "load_error") && !sum->errors++) {
		sum->error_step = dup_field(ev, "step");
		sum->error_value = dup_field(ev, "error");
	}
}

static void add_event(struct summary *sum, const struct trace_event *ev)
{
	if (!sum->has_base) {
		sum->has_base = true;
		sum->base_us = ev->ts_us;
	}
	if (is_load_event(ev)) {
		add_load_event(sum, ev);
		return;
	}
	sum->other_events++;
	if (!strcmp(ev->name, "page_fault"))
		add_fault(sum, ev);
	else if (!strcmp(ev->name, "fork"))
		sum->forks++;
	else if (!strcmp(ev->name, "mm_exit")) {
		sum->mm_exits++;
		add_fault_result(sum, ev);
	} else
		add_map(sum, ev);
}

/*
 * Parse a copy of @line into @ev; the copy is returned for freeing.  NULL
 * if the line is not an event.
 */
static char *parse_copy(const char *line, struct trace_event *ev)
{
	char *copy = xstrdup(line);

	if (trace_parse_line(copy, ev) == 0)
		return copy;
	free(copy);
	return NULL;
}

/* A parseable line of the session, by time. */
struct line_ref {
	uint64_t	ts_us;
	size_t		index;
};

static int compare_refs(const void *a, const void *b)
{
	const struct line_ref *x = a, *y = b;

	if (x->ts_us != y->ts_us)
		return x->ts_us < y->ts_us ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * The event lines of @s in time order.  Per-CPU buffers need not hand
 * them out in order; equal times keep the order they were read in.
 */
static struct line_ref *sort_lines(const struct session_lines *s, size_t *n)
{
	struct line_ref *refs = xrealloc(NULL, s->n * sizeof(*refs));
	struct trace_event ev;
	char *copy;
	size_t i;

	*n = 0;
	for (i = 0; i < s->n; i++) {
		copy = parse_copy(s->lines[i], &ev);
		if (!copy)
			continue;
		refs[(*n)++] = (struct line_ref){ ev.ts_us, i };
		free(copy);
	}
	if (*n)
		qsort(refs, *n, sizeof(*refs), compare_refs);
	return refs;
}

static void summarize(const struct session_lines *s,
		      const struct line_ref *refs, size_t n,
		      struct summary *sum)
{
	struct trace_event ev;
	char *copy;
	size_t i;

	memset(sum, 0, sizeof(*sum));
	sum->result.names = result_names;
	sum->lock.names = lock_names;
	sum->cache.names = cache_names;
	sum->access.names = access_names;
	sum->mode.names = mode_names;
	for (i = 0; i < n; i++) {
		copy = parse_copy(s->lines[refs[i].index], &ev);
		add_event(sum, &ev);
		free(copy);
	}
	/* Faults whose task wrote nothing after them: result unknown. */
	sum->result.unknown += sum->waiting.n;
	fault_waiting_free(&sum->waiting);
	if (sum->nrows)
		qsort(sum->rows, sum->nrows, sizeof(*sum->rows), compare_rows);
}

static void summary_free(struct summary *sum)
{
	size_t i;

	for (i = 0; i < sum->nrows; i++) {
		free(sum->rows[i].obj);
		free(sum->rows[i].file);
	}
	free(sum->rows);
	free(sum->pid);
	free(sum->file);
	free(sum->label);
	free(sum->end_result);
	free(sum->end_ns);
	free(sum->error_step);
	free(sum->error_value);
}

/* ------------------------------------------------------------------ */
/* Printing                                                            */

void print_readable(FILE *f, const char *line, const struct trace_event *ev,
		    uint64_t base_us, bool with_session)
{
	const char *rest = line + ev->after_session_off;
	uint64_t delta;
	char sign = '+';

	if (ev->ts_us >= base_us) {
		delta = ev->ts_us - base_us;
	} else {
		delta = base_us - ev->ts_us;
		sign = '-';
	}
	if (with_session)
		fprintf(f, "S%lu ", ev->session);
	fprintf(f, "%c%" PRIu64 ".%06" PRIu64 " %-7d ", sign,
		delta / 1000000, delta % 1000000, ev->tid);
	if (*rest)
		fprintf(f, "%-11s %s\n", ev->name, rest);
	else
		fprintf(f, "%s\n", ev->name);
}

/* The lines of @s that are (@load) or are not load steps. */
static void print_section(FILE *f, const struct session_lines *s,
			  const struct line_ref *refs, size_t n,
			  const struct summary *sum, bool load,
			  const struct report_opts *opts)
{
	struct trace_event ev;
	const char *line;
	char *copy;
	size_t i;

	for (i = 0; i < n; i++) {
		line = s->lines[refs[i].index];
		copy = parse_copy(line, &ev);
		if (is_load_event(&ev) == load) {
			if (opts->raw)
				fprintf(f, "%s\n", line);
			else
				print_readable(f, line, &ev, sum->base_us,
					       false);
		}
		free(copy);
	}
}

static void print_default_header(FILE *f, const struct session_lines *s,
				 const struct summary *sum)
{
	fprintf(f, "== session %lu", s->id);
	if (!sum->has_start)
		fprintf(f, ": no load_start in this trace");
	if (sum->has_start) {
		fprintf(f, ": pid %s, file ", sum->pid);
		trace_print_escaped(f, sum->file);
		if (!trace_absent(sum->label)) {
			fprintf(f, ", label ");
			trace_print_escaped(f, sum->label);
		}
	}
	fputc('\n', f);
}

static void print_load_summary(FILE *f, const struct summary *sum)
{
	if (sum->has_end)
		fprintf(f, "load: result=%s load_ns=%s\n", sum->end_result,
			sum->end_ns);
	else
		fprintf(f, "load: no load_end event\n");
	if (sum->errors)
		fprintf(f, "load_error: step=%s error=%s%s\n",
			sum->error_step, sum->error_value,
			sum->errors > 1 ? " (and more)" : "");
}

static void print_objects(FILE *f, const struct summary *sum)
{
	const struct object_row *row;
	size_t i;

	fprintf(f, "objects:%s\n", sum->nrows ? "" : " none");
	for (i = 0; i < sum->nrows; i++) {
		row = &sum->rows[i];
		fputs("  ", f);
		trace_print_escaped(f, row->obj);
		if (row->seg >= 0)
			fprintf(f, " seg %ld", row->seg);
		if (row->file) {
			fputc(' ', f);
			trace_print_escaped(f, row->file);
		}
		fprintf(f, ": %lu", row->faults);
		if (object_has_files(row->obj))
			fprintf(f, " (file %lu, anon %lu)", row->file_backed,
				row->anon);
		fputc('\n', f);
	}
}

static void print_summary(FILE *f, const struct summary *sum,
			  const struct report_opts *opts)
{
	fprintf(f, "== summary\n");
	print_load_summary(f, sum);
	fprintf(f, "faults: %lu\n", sum->faults);
	fprintf(f, "latency: total %" PRIu64 " ns, max %" PRIu64 " ns",
		sum->lat_total, sum->lat_max);
	if (sum->lat_unknown)
		fprintf(f, ", unknown %lu", sum->lat_unknown);
	fputc('\n', f);
	tally_print(f, "result", &sum->result);
	fprintf(f, "retry: io %lu, lock fallback %lu\n", sum->io_retries,
		sum->fallbacks);
	tally_print(f, "lock", &sum->lock);
	tally_print(f, "cache", &sum->cache);
	tally_print(f, "access", &sum->access);
	tally_print(f, "mode", &sum->mode);
	print_objects(f, sum);
	fprintf(f, "processes: fork %lu, mm_exit %lu\n", sum->forks,
		sum->mm_exits);
	fprintf(f, "maps: mmap %lu, mprotect %lu, munmap %lu, mremap %lu, brk %lu\n",
		sum->maps[0], sum->maps[1], sum->maps[2], sum->maps[3],
		sum->maps[4]);
	if (opts->has_lost)
		fprintf(f, "lost: %" PRIu64 "%s\n", opts->lost,
			opts->lost ? " (the trace is incomplete)" : "");
	else
		fprintf(f, "lost: unknown\n");
}

void report_print(FILE *f, const struct session_lines *s, const char *header,
		  const struct report_opts *opts)
{
	struct summary sum;
	struct line_ref *refs;
	size_t n;

	refs = sort_lines(s, &n);
	summarize(s, refs, n, &sum);
	if (header)
		fprintf(f, "%s\n", header);
	else
		print_default_header(f, s, &sum);
	if (!opts->summary_only) {
		fprintf(f, "== load steps: %lu event%s\n", sum.load_events,
			sum.load_events == 1 ? "" : "s");
		print_section(f, s, refs, n, &sum, true, opts);
		fprintf(f, "== fault timeline: %lu event%s\n",
			sum.other_events, sum.other_events == 1 ? "" : "s");
		print_section(f, s, refs, n, &sum, false, opts);
	}
	print_summary(f, &sum, opts);
	summary_free(&sum);
	free(refs);
}

void warn_lost(const char *cmd, unsigned long session, uint64_t lost,
	       uint64_t written, const char *buffer_file,
	       unsigned long buffer_kb)
{
	unsigned long bigger = buffer_kb ? buffer_kb * 4 : 8192;

	if (!lost)
		return;
	if (bigger > 256 * 1024)
		bigger = 256 * 1024;
	fprintf(stderr, "bft %s: warning: %" PRIu64 " of the %" PRIu64
		" events of session %lu are missing: the buffer overwrote "
		"them, or another reader of trace_pipe took them; for a "
		"bigger buffer: echo %lu > %s\n", cmd, lost, written, session,
		bigger, buffer_file);
}
