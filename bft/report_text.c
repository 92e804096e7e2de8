// SPDX-License-Identifier: GPL-2.0
/*
 * report_text.c - bft report --format text: the load steps with their
 * times, the objects and their symbols, the faults grouped by object,
 * section and symbol (major faults first), the first-touch order of the
 * pages, and what a warm run would save.
 */
#define _GNU_SOURCE

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bft.h"
#include "report_model.h"
#include "report_stack.h"
#include "trace_parse.h"

/* "exe:.text:main+0x12", or what is known short of it. */
void report_attr_format(const struct report_session *s,
			const struct report_attr *a, char *buf, size_t len)
{
	const struct report_object *o;

	if (a->state == RATTR_NONE) {
		snprintf(buf, len, "-");
		return;
	}
	if (a->object == REPORT_NONE) {
		snprintf(buf, len, "0x%" PRIx64 " (in no object)", a->addr);
		return;
	}
	o = &s->objects[a->object];
	if (a->state == RATTR_SYMBOL)
		snprintf(buf, len, "%s:%s:%s+0x%" PRIx64, o->name, a->section,
			 a->symbol, a->sym_off);
	else if (a->state == RATTR_NO_SYMBOL)
		snprintf(buf, len, "%s:%s:(no symbol)", o->name, a->section);
	else if (a->state == RATTR_NO_SECTION)
		snprintf(buf, len, "%s:(no section)", o->name);
	else if (a->state == RATTR_NO_FILE)
		snprintf(buf, len, "%s:(%s)", o->name, o->symbols_name);
	else
		snprintf(buf, len, "%s", o->name);
}

static void print_steps(FILE *f, const struct report_session *s)
{
	size_t i, j;

	fprintf(f, "== load steps: %zu\n", s->nsteps);
	for (i = 0; i < s->nsteps; i++) {
		const struct report_event *e = &s->events[s->steps[i].event];

		fprintf(f, "+%" PRIu64 ".%06" PRIu64 " %-12s", e->rel_us /
			1000000, e->rel_us % 1000000, e->name);
		for (j = 0; j < e->nfields; j++) {
			fprintf(f, " %s=", e->fields[j].key);
			trace_print_escaped(f, e->fields[j].value);
		}
		fputc('\n', f);
	}
}

static void print_objects(FILE *f, const struct report_session *s)
{
	size_t i, j;

	fprintf(f, "== objects: %zu\n", s->nobjects);
	for (i = 0; i < s->nobjects; i++) {
		const struct report_object *o = &s->objects[i];

		fprintf(f, "%-6s %s: %s", o->kind_name,
			o->path ? o->path : o->name, o->symbols_name);
		if (o->debug_file)
			fprintf(f, " (%s)", o->debug_file);
		if (o->error)
			fprintf(f, " (%s)", o->error);
		if (o->build_id[0])
			fprintf(f, ", build-id %s", o->build_id);
		if (o->has_bias)
			fprintf(f, ", bias 0x%" PRIx64, o->bias);
		fputc('\n', f);
		for (j = 0; j < o->nmaps; j++) {
			const struct report_mapping *m = &o->maps[j];

			if (m->end_event != REPORT_NONE)
				continue;	/* replaced or unmapped */
			fprintf(f, "  0x%" PRIx64 "-0x%" PRIx64 " %s",
				m->start, m->end, m->prot[0] ? m->prot : "?");
			if (m->has_off)
				fprintf(f, " off=0x%" PRIx64, m->off);
			fputc('\n', f);
		}
	}
}

/* Faults sorted for grouping: object, section, symbol; indices. */
struct group_key {
	size_t		fault;
	size_t		object;
	const char	*section;
	const char	*symbol;
};

static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return !a - !b;
	return strcmp(a, b);
}

static int compare_keys(const void *pa, const void *pb)
{
	const struct group_key *a = pa, *b = pb;
	int c;

	if (a->object != b->object)
		return a->object < b->object ? -1 : 1;
	c = strcmp_null(a->section, b->section);
	if (c)
		return c;
	c = strcmp_null(a->symbol, b->symbol);
	if (c)
		return c;
	return a->fault < b->fault ? -1 : a->fault > b->fault;
}

static bool same(const struct group_key *a, const struct group_key *b,
		 int level)
{
	if (a->object != b->object)
		return false;
	if (level >= 1 && strcmp_null(a->section, b->section))
		return false;
	return level < 2 || !strcmp_null(a->symbol, b->symbol);
}

struct group {
	size_t		first, n;	/* into the sorted keys */
	unsigned long	major;
	uint64_t	lat_ns;
};

static int compare_groups(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;

	if (a->major != b->major)
		return a->major > b->major ? -1 : 1;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return a->first < b->first ? -1 : 1;
}

/* The groups of keys[from, to) at @level, major faults first. */
static struct group *make_groups(const struct report_session *s,
				 const struct group_key *keys, size_t from,
				 size_t to, int level, size_t *ngroups)
{
	struct group *g = NULL;
	size_t i, n = 0;

	for (i = from; i < to; i++) {
		const struct report_fault *fa = &s->faults[keys[i].fault];

		if (!n || !same(&keys[g[n - 1].first], &keys[i], level)) {
			g = xrealloc(g, (n + 1) * sizeof(*g));
			g[n++] = (struct group){ .first = i };
		}
		g[n - 1].n++;
		g[n - 1].major += fa->result == RRES_MAJOR;
		g[n - 1].lat_ns += fa->lat_ns;
	}
	qsort(g, n, sizeof(*g), compare_groups);
	*ngroups = n;
	return g;
}

static void print_fault(FILE *f, const struct report_session *s,
			const struct report_fault *fa)
{
	char at[512], by[512];

	report_attr_format(s, &fa->at_addr, at, sizeof(at));
	report_attr_format(s, &fa->at_ip, by, sizeof(by));
	fprintf(f, "      +%" PRIu64 ".%06" PRIu64 " %-5d %-5s %-6s %-5s "
		"addr=0x%" PRIx64 " %s", fa->rel_us / 1000000,
		fa->rel_us % 1000000, fa->tid, fa->access_name,
		fa->mode, fa->result_name, fa->addr, at);
	if (fa->has_ip)
		fprintf(f, " ip=%s", by);
	fprintf(f, " cache=%s lat=%" PRIu64 "\n", fa->cache_name, fa->lat_ns);
}

static void print_level(FILE *f, const struct report_session *s,
			const struct group_key *keys, size_t from, size_t to,
			int level)
{
	static const char *const indent[] = { "", "  ", "    " };
	struct group *g;
	size_t ng, i, k;

	g = make_groups(s, keys, from, to, level, &ng);
	for (i = 0; i < ng; i++) {
		const struct group_key *key = &keys[g[i].first];
		const char *what;

		if (level == 0)
			what = key->object == REPORT_NONE ? "(no object)" :
			       s->objects[key->object].path ?
			       s->objects[key->object].path :
			       s->objects[key->object].name;
		else if (level == 1)
			what = key->section ? key->section : "(no section)";
		else
			what = key->symbol ? key->symbol : "(no symbol)";
		fprintf(f, "%s%s: %zu fault%s, %lu major, lat %" PRIu64
			" ns\n", indent[level], what, g[i].n,
			g[i].n == 1 ? "" : "s", g[i].major, g[i].lat_ns);
		if (level < 2) {
			print_level(f, s, keys, g[i].first,
				    g[i].first + g[i].n, level + 1);
			continue;
		}
		for (k = g[i].first; k < g[i].first + g[i].n; k++)
			print_fault(f, s, &s->faults[keys[k].fault]);
	}
	free(g);
}

static void print_groups(FILE *f, const struct report_session *s)
{
	struct group_key *keys;
	size_t i;

	fprintf(f, "== faults by object, section, symbol (major first): %zu\n",
		s->nfaults);
	if (!s->nfaults)
		return;
	keys = xrealloc(NULL, s->nfaults * sizeof(*keys));
	for (i = 0; i < s->nfaults; i++) {
		const struct report_attr *a = &s->faults[i].at_addr;

		keys[i] = (struct group_key){
			.fault = i, .object = a->object,
			.section = a->section, .symbol = a->symbol,
		};
	}
	qsort(keys, s->nfaults, sizeof(*keys), compare_keys);
	print_level(f, s, keys, 0, s->nfaults, 0);
	free(keys);
}

static void print_touches(FILE *f, const struct report_session *s)
{
	char at[512];
	size_t i;

	fprintf(f, "== first touch of each page, in order: %zu pages\n",
		s->ntouches);
	for (i = 0; i < s->ntouches; i++) {
		const struct report_fault *fa = &s->faults[s->touches[i].fault];

		report_attr_format(s, &fa->at_addr, at, sizeof(at));
		fprintf(f, "%4zu +%" PRIu64 ".%06" PRIu64 " 0x%" PRIx64
			" %-5s %s\n", i + 1, fa->rel_us / 1000000,
			fa->rel_us % 1000000, s->touches[i].page,
			fa->access_name, at);
	}
}

static void print_warm(FILE *f, const struct report_session *s)
{
	const struct report_totals *t = &s->totals;

	fprintf(f, "== a warm run (every page in the page cache) would save\n");
	fprintf(f, "cache misses: %lu (page reads)\n", t->cache_miss);
	fprintf(f, "major faults: %lu\n", t->by_result[RRES_MAJOR]);
	fprintf(f, "latency: %" PRIu64 " ns of %" PRIu64 " ns in faults\n",
		t->saved_lat_ns, t->lat_ns);
}

/* The arguments of one memory-map call, as the trace gives them. */
static void print_mm_args(FILE *f, const struct report_mm *m)
{
	switch (m->kind) {
	case RMM_MMAP:
		fprintf(f, "addr=0x%" PRIx64 " len=0x%" PRIx64 " prot=%s flags=%s fd=%d file=%s off=0x%" PRIx64,
			m->addr, m->len, m->prot, m->flags, m->fd,
			m->file ? m->file : "-", m->off);
		break;
	case RMM_MPROTECT:
		fprintf(f, "addr=0x%" PRIx64 " len=0x%" PRIx64 " prot=%s",
			m->addr, m->len, m->prot);
		break;
	case RMM_MUNMAP:
		fprintf(f, "addr=0x%" PRIx64 " len=0x%" PRIx64, m->addr,
			m->len);
		break;
	case RMM_MREMAP:
		fprintf(f, "addr=0x%" PRIx64 " old_len=0x%" PRIx64 " new_len=0x%" PRIx64 " flags=%s",
			m->addr, m->len, m->new_len, m->flags);
		break;
	case RMM_BRK:
		fprintf(f, "brk=0x%" PRIx64, m->addr);
		break;
	}
}

/* "== memory-map calls": what the program (ld.so first) mapped. */
static void print_mm(FILE *f, const struct report_session *s)
{
	size_t i;

	fprintf(f, "== memory-map calls after the exec: %zu\n", s->nmm);
	for (i = 0; i < s->nmm; i++) {
		const struct report_mm *m = &s->mm[i];

		fprintf(f, "+%.6f %-5d %-8s ", m->rel_us / 1e6, m->tid,
			report_mm_kind_name(m->kind));
		print_mm_args(f, m);
		if (m->ok)
			fprintf(f, " -> 0x%" PRIx64 "\n", m->kind == RMM_MPROTECT ||
				m->kind == RMM_MUNMAP ? 0 : m->result);
		else
			fprintf(f, " -> %" PRId64 "\n", m->error);
		if (m->sections)
			fprintf(f, "%17s%s: %s\n", "",
				s->objects[m->object].name,
				*m->sections ? m->sections : "(no section)");
	}
}

/* One line of "where execution starts". */
static void print_start_line(FILE *f, const struct report_session *s,
			     const char *what, const struct report_attr *a,
			     const char *note)
{
	char where[512];

	report_attr_format(s, a, where, sizeof(where));
	fprintf(f, "%-18s 0x%" PRIx64 " %s\n%-18s (%s)\n", what, a->addr,
		where, "", note);
}

static void print_start(FILE *f, const struct report_session *s)
{
	if (!s->has_entry)
		return;
	fprintf(f, "== where execution starts\n");
	print_start_line(f, s, "first instruction:", &s->entry_at,
			 s->interp ? "load_entry entry=: the interpreter's entry point, where the kernel starts the process"
				   : "load_entry entry=: the program's own entry point; it has no interpreter");
	print_start_line(f, s, "AT_ENTRY:", &s->exe_entry_at,
			 s->interp ? "load_entry exe_entry=: the program's entry point, given to ld.so in the auxv; ld.so jumps there when done"
				   : "load_entry exe_entry=: the same, in the auxv");
	if (s->main_at.state != RATTR_NONE)
		print_start_line(f, s, "main:", &s->main_at,
				 "from the program's symbol table; its _start calls __libc_start_main, which calls main");
	else
		fprintf(f, "%-18s not found (no symbol table, or no main)\n",
			"main:");
}

static void print_session(FILE *f, const struct report_session *s)
{
	fprintf(f, "== bft report: session %lu", s->id);
	if (s->has_pid)
		fprintf(f, ", pid %ld", s->pid);
	if (s->file)
		fprintf(f, ", %s", s->file);
	if (s->interp)
		fprintf(f, " (interp %s)", s->interp);
	if (s->has_load_end)
		fprintf(f, ", load result %" PRId64 " in %" PRIu64 " ns",
			s->load_result, s->load_ns);
	fputc('\n', f);
	print_steps(f, s);
	print_start(f, s);
	report_stack_print(f, s);
	print_objects(f, s);
	print_mm(f, s);
	print_groups(f, s);
	print_touches(f, s);
	print_warm(f, s);
}

int report_write_text(FILE *f, const struct report *r)
{
	size_t i;

	for (i = 0; i < r->nsessions; i++) {
		if (i)
			fputc('\n', f);
		print_session(f, &r->sessions[i]);
	}
	return 0;
}
