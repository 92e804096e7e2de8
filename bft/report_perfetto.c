// SPDX-License-Identifier: GPL-2.0
/*
 * report_perfetto.c - bft report --format perfetto: the model as Chrome
 * trace-event JSON (the "JSON Object Format"), which the Perfetto UI and
 * chrome://tracing open.  docs/report-format.md says what is where:
 *
 *   - a process per session (its pid), a thread per tid, named by "M"
 *     events;
 *   - the exec as one "X" slice from the first load step to the last,
 *     and each load step as an "X" slice inside it, from the previous
 *     step to its own line: the time the loader took to reach it;
 *   - each page fault as a thread instant ("i", "s":"t") at its entry
 *     (its line less its lat=), named by its class (viz_class_name());
 *   - mm, fork and mm_exit events as thread instants, with their fields;
 *   - two counter tracks per session: cumulative major faults and cache
 *     misses, in the order of the faults' times.
 *
 * Times ("ts", "dur") are microseconds with three decimals; the origin
 * is the trace's own clock, so the sessions of a trace line up.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report_viz.h"

struct pf {
	FILE	*f;
	bool	first;		/* no event written yet */
};

/* Start the next event of traceEvents: the separator, then '{'. */
static void ev_open(struct pf *p)
{
	fputs(p->first ? "\n{" : ",\n{", p->f);
	p->first = false;
}

static void put_key_str(FILE *f, const char *key, const char *val)
{
	fprintf(f, "\"%s\":", key);
	if (!val) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	viz_json_str(f, val);
	fputc('"', f);
}

/* "name":...,"cat":...,"ph":...,"ts":...,"pid":...,"tid":... */
static void ev_head(struct pf *p, const char *name, const char *cat,
		    const char *ph, uint64_t ts_ns, long pid, int tid)
{
	ev_open(p);
	put_key_str(p->f, "name", name);
	fputc(',', p->f);
	put_key_str(p->f, "cat", cat);
	fprintf(p->f, ",\"ph\":\"%s\",\"ts\":", ph);
	viz_put_us(p->f, ts_ns);
	fprintf(p->f, ",\"pid\":%ld,\"tid\":%d", pid, tid);
}

static void put_hex(FILE *f, const char *key, bool has, uint64_t v)
{
	if (has)
		fprintf(f, ",\"%s\":\"0x%" PRIx64 "\"", key, v);
	else
		fprintf(f, ",\"%s\":null", key);
}

/* ,"args":{ every field of @e, then "line" } (the caller closes it) */
static void put_fields(FILE *f, const struct report_event *e)
{
	size_t i;

	fputs(",\"args\":{", f);
	for (i = 0; i < e->nfields; i++) {
		put_key_str(f, e->fields[i].key, e->fields[i].value);
		fputc(',', f);
	}
	fprintf(f, "\"line\":%zu", e->line_no);
}

/* ------------------------------------------------------------------ */
/* Processes and threads                                               */

static long session_pid(const struct report_session *s)
{
	if (s->has_pid)
		return s->pid;
	return s->nevents ? s->events[0].tid : 0;
}

/*
 * One process_name per pid: "comm (session N)", or the names of every
 * session of that pid (an exec chain) joined by ", ".
 */
static void put_process(struct pf *p, const struct report *r, size_t i)
{
	long pid = session_pid(&r->sessions[i]);
	bool more = false;
	size_t j;

	for (j = 0; j < i; j++)
		if (session_pid(&r->sessions[j]) == pid)
			return;
	ev_head(p, "process_name", "__metadata", "M", 0, pid, (int)pid);
	fputs(",\"args\":{\"name\":\"", p->f);
	for (j = i; j < r->nsessions; j++) {
		if (session_pid(&r->sessions[j]) != pid)
			continue;
		fputs(more ? ", " : "", p->f);
		viz_json_str(p->f, viz_session_name(&r->sessions[j]));
		fprintf(p->f, " (session %lu)", r->sessions[j].id);
		more = true;
	}
	fputs("\"}}", p->f);
	ev_head(p, "process_sort_index", "__metadata", "M", 0, pid, (int)pid);
	fprintf(p->f, ",\"args\":{\"sort_index\":%zu}}", i);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The distinct tids of @s, sorted, into *@tids; returns how many. */
static size_t session_tids(const struct report_session *s, int **tids)
{
	size_t i, n = 0;
	int *t;

	t = malloc((s->nevents + 1) * sizeof(*t));
	if (!t)
		return 0;
	for (i = 0; i < s->nevents; i++)
		t[i] = s->events[i].tid;
	qsort(t, s->nevents, sizeof(*t), cmp_int);
	for (i = 0; i < s->nevents; i++)
		if (!n || t[n - 1] != t[i])
			t[n++] = t[i];
	*tids = t;
	return n;
}

/* The comm column of @tid's first line, and whether a fork made it. */
static const char *thread_comm(const struct report_session *s, int tid,
			       bool *forked)
{
	const char *comm = NULL, *child;
	char buf[24];
	size_t i;

	snprintf(buf, sizeof(buf), "%d", tid);
	*forked = false;
	for (i = 0; i < s->nevents; i++) {
		const struct report_event *e = &s->events[i];

		if (!comm && e->tid == tid)
			comm = e->comm;
		if (e->kind == REV_PROCESS && !strcmp(e->name, "fork")) {
			child = viz_field(e, "child");
			if (child && !strcmp(child, buf))
				*forked = true;
		}
	}
	return comm ? comm : "?";
}

static bool tid_named_before(const struct report *r, size_t i, int tid)
{
	long pid = session_pid(&r->sessions[i]);
	size_t j, k;

	for (j = 0; j < i; j++) {
		const struct report_session *s = &r->sessions[j];

		if (session_pid(s) != pid)
			continue;
		for (k = 0; k < s->nevents; k++)
			if (s->events[k].tid == tid)
				return true;
	}
	return false;
}

static void put_threads(struct pf *p, const struct report *r, size_t i)
{
	const struct report_session *s = &r->sessions[i];
	long pid = session_pid(s);
	size_t n, k;
	bool forked;
	int *tids = NULL;

	n = session_tids(s, &tids);
	for (k = 0; k < n; k++) {
		if (tid_named_before(r, i, tids[k]))
			continue;
		ev_head(p, "thread_name", "__metadata", "M", 0, pid, tids[k]);
		fputs(",\"args\":{\"name\":\"", p->f);
		viz_json_str(p->f, thread_comm(s, tids[k], &forked));
		fprintf(p->f, "%s\"}}", forked ? " (forked child)" : "");
	}
	free(tids);
}

/* ------------------------------------------------------------------ */
/* The exec and its load steps                                         */

static uint64_t step_ns(const struct report_session *s, size_t i)
{
	return (s->start_us + s->steps[i].rel_us) * 1000;
}

static void put_exec(struct pf *p, const struct report_session *s)
{
	const struct report_event *e0 = &s->events[s->steps[0].event];
	uint64_t t0 = step_ns(s, 0), t1 = step_ns(s, s->nsteps - 1);
	long pid = session_pid(s);
	size_t i;

	ev_head(p, "exec", "load", "X", t0, pid, e0->tid);
	fputs(",\"dur\":", p->f);
	viz_put_us(p->f, t1 - t0);
	fputs(",\"args\":{", p->f);
	put_key_str(p->f, "file", s->file);
	fputc(',', p->f);
	put_key_str(p->f, "interp", s->interp);
	fputc(',', p->f);
	put_key_str(p->f, "label", s->label);
	fprintf(p->f, ",\"session\":%lu", s->id);
	if (s->has_load_end)
		fprintf(p->f, ",\"result\":%" PRId64 ",\"load_ns\":%" PRIu64,
			s->load_result, s->load_ns);
	else
		fputs(",\"result\":null,\"load_ns\":null", p->f);
	fputs("}}", p->f);

	for (i = 0; i < s->nsteps; i++) {
		const struct report_event *e = &s->events[s->steps[i].event];
		uint64_t from = step_ns(s, i ? i - 1 : 0);

		ev_head(p, s->steps[i].name, "load", "X", from, pid, e->tid);
		fputs(",\"dur\":", p->f);
		viz_put_us(p->f, step_ns(s, i) - from);
		put_fields(p->f, e);
		fputs("}}", p->f);
	}
}

/* ------------------------------------------------------------------ */
/* Faults, mm and process events, counters                             */

/*
 * A fault's entry on the trace's clock: its line (written when
 * handle_mm_fault() returned) less its lat=.  Not since=: that counts
 * from the kernel's session start, before the first line, on another
 * clock (docs/report-format.md).
 */
static uint64_t fault_ts(const struct report_session *s, size_t i)
{
	const struct report_fault *f = &s->faults[i];
	uint64_t ts = (s->start_us + f->rel_us) * 1000;

	return f->lat_ns < ts ? ts - f->lat_ns : 0;
}

static void put_attr(FILE *f, const struct report_session *s,
		     const struct report_attr *a, const char *sym_key)
{
	const struct report_object *o = viz_object(s, a);
	char buf[512];

	fputc(',', f);
	put_key_str(f, sym_key, viz_symbol(a, buf, sizeof(buf)));
	if (strcmp(sym_key, "symbol"))
		return;
	fputc(',', f);
	put_key_str(f, "object", o ? o->name : NULL);
	fputc(',', f);
	put_key_str(f, "section", a->section);
	put_hex(f, "file_off", a->has_file_off, a->file_off);
}

static void put_fault(struct pf *p, const struct report_session *s, size_t i)
{
	const struct report_fault *flt = &s->faults[i];
	enum viz_class c = viz_fault_class(flt);
	char cat[32];
	FILE *f = p->f;

	snprintf(cat, sizeof(cat), "fault.%s", flt->result_name);
	ev_head(p, viz_class_name(c), cat, "i", fault_ts(s, i),
		session_pid(s), flt->tid);
	fputs(",\"s\":\"t\"", f);
	if (c == VIZ_MAJOR || c == VIZ_MISS)
		fprintf(f, ",\"cname\":\"%s\"", c == VIZ_MAJOR ? "terrible" : "bad");
	fprintf(f, ",\"args\":{\"addr\":\"0x%" PRIx64 "\"", flt->addr);
	put_hex(f, "ip", flt->has_ip, flt->ip);
	fputc(',', f);
	put_key_str(f, "access", flt->access_name);
	fputc(',', f);
	put_key_str(f, "mode", flt->mode);
	fputc(',', f);
	put_key_str(f, "result", flt->result_name);
	fputc(',', f);
	put_key_str(f, "cache", flt->cache_name);
	fputc(',', f);
	put_key_str(f, "lock", flt->lock);
	fprintf(f, ",\"lat_ns\":%" PRIu64, flt->lat_ns);
	if (flt->has_since)
		fprintf(f, ",\"since_ns\":%" PRIu64, flt->since_ns);
	else
		fputs(",\"since_ns\":null", f);
	fputc(',', f);
	put_key_str(f, "obj", flt->obj);
	put_attr(f, s, &flt->at_addr, "symbol");
	put_attr(f, s, &flt->at_ip, "ip_symbol");
	fprintf(f, ",\"first_touch\":%s,\"line\":%zu}}",
		flt->first_touch ? "true" : "false", s->events[flt->event].line_no);
}

static void put_event(struct pf *p, const struct report_session *s, size_t i)
{
	const struct report_event *e = &s->events[i];
	const struct report_object *o = NULL;
	const char *cat = "other";

	if (e->kind == REV_MM) {
		cat = "mm";
		if (e->index < s->nmm && s->mm[e->index].object < s->nobjects)
			o = &s->objects[s->mm[e->index].object];
	} else if (e->kind == REV_PROCESS) {
		cat = "process";
	}
	ev_head(p, e->name, cat, "i",
		(s->start_us + e->rel_us) * 1000, session_pid(s), e->tid);
	fputs(",\"s\":\"t\"", p->f);
	put_fields(p->f, e);
	if (e->kind == REV_MM) {
		fputc(',', p->f);
		put_key_str(p->f, "object", o ? o->name : NULL);
	}
	fputs("}}", p->f);
}

static uint64_t *sort_key;

static int cmp_fault(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (sort_key[x] != sort_key[y])
		return sort_key[x] < sort_key[y] ? -1 : 1;
	return (x > y) - (x < y);
}

static void put_counter(struct pf *p, const struct report_session *s,
			const char *name, uint64_t ts, unsigned long n)
{
	ev_head(p, name, "fault", "C", ts, session_pid(s), (int)session_pid(s));
	fprintf(p->f, ",\"args\":{\"cumulative\":%lu}}", n);
}

/*
 * "major faults" and "cache misses": 0 at the session's start, then one
 * sample at each fault that adds one, in the order of the faults' times.
 */
static int put_counters(struct pf *p, const struct report_session *s)
{
	unsigned long major = 0, miss = 0;
	size_t *order, i;
	enum viz_class c;

	put_counter(p, s, "major faults", s->start_us * 1000, 0);
	put_counter(p, s, "cache misses", s->start_us * 1000, 0);
	if (!s->nfaults)
		return 0;
	order = malloc(s->nfaults * sizeof(*order));
	sort_key = malloc(s->nfaults * sizeof(*sort_key));
	if (!order || !sort_key) {
		free(order);
		free(sort_key);
		return -1;
	}
	for (i = 0; i < s->nfaults; i++) {
		order[i] = i;
		sort_key[i] = fault_ts(s, i);
	}
	qsort(order, s->nfaults, sizeof(*order), cmp_fault);
	for (i = 0; i < s->nfaults; i++) {
		c = viz_fault_class(&s->faults[order[i]]);
		if (c == VIZ_MAJOR)
			put_counter(p, s, "major faults", sort_key[order[i]],
				    ++major);
		else if (c == VIZ_MISS)
			put_counter(p, s, "cache misses", sort_key[order[i]],
				    ++miss);
	}
	free(order);
	free(sort_key);
	sort_key = NULL;
	return 0;
}

static int put_session(struct pf *p, const struct report *r, size_t i)
{
	const struct report_session *s = &r->sessions[i];
	size_t k;

	put_process(p, r, i);
	put_threads(p, r, i);
	if (s->nsteps)
		put_exec(p, s);
	for (k = 0; k < s->nevents; k++) {
		if (s->events[k].kind == REV_LOAD)
			continue;
		if (s->events[k].kind == REV_FAULT &&
		    s->events[k].index < s->nfaults)
			put_fault(p, s, s->events[k].index);
		else
			put_event(p, s, k);
	}
	return put_counters(p, s);
}

int report_write_perfetto(FILE *f, const struct report *r)
{
	struct pf p = { .f = f, .first = true };
	size_t i;

	fputs("{\"traceEvents\":[", f);
	for (i = 0; i < r->nsessions; i++) {
		if (put_session(&p, r, i)) {
			fprintf(stderr, "bft report: out of memory\n");
			return 1;
		}
	}
	fputs("\n],\n\"displayTimeUnit\":\"ns\",\n\"metadata\":{", f);
	put_key_str(f, "generator", "bft report --format perfetto");
	fputc(',', f);
	put_key_str(f, "trace", r->trace_path);
	fputc(',', f);
	put_key_str(f, "root", r->root);
	fputs(",\"sessions\":[", f);
	for (i = 0; i < r->nsessions; i++)
		fprintf(f, "%s%lu", i ? "," : "", r->sessions[i].id);
	fputs("]}}\n", f);
	if (fflush(f) || ferror(f)) {
		fprintf(stderr, "bft report: cannot write the report\n");
		return 1;
	}
	return 0;
}
