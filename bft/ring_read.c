// SPDX-License-Identifier: GPL-2.0
/*
 * ring_read.c - faults_raw, the binary records of fault_capture=ring
 * (bft_ring.h), read by bft run and turned into the page_fault lines the
 * fast capture writes, so that every report reads them alike.
 *
 * A record has no comm, and the kernel leaves obj=, seg=, off= to the
 * reader: the comm is that of the session's other lines of the same tid
 * ("<...>", as ftrace prints an unknown one, when none has it), and the
 * address is placed in the session's mappings by ring_place.c.  since=
 * counts from the session's first line, by the lines' clock
 * (docs/trace-format.md).
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bft.h"
#include "ring_place.h"
#include "ring_read.h"
#include "trace_parse.h"

static const char *const obj_names[] = {
	"exe", "interp", "lib", "heap", "stack", "anon", "vdso", "vvar",
	"none", "unknown",
};
static const char *const access_names[] = { "read", "write", "exec" };
static const char *const mode_names[] = { "user", "kernel", "remote" };

#define NAME_OF(names, i) \
	((i) < sizeof(names) / sizeof(names[0]) ? names[i] : "unknown")

int ring_records_open(const struct trace_dir *d)
{
	char path[PATH_MAX];

	return open(trace_dir_file(d, "faults_raw", path), O_RDONLY | O_CLOEXEC);
}

int ring_records_drain(int fd, struct ring_records *rr)
{
	struct bft_ring_rec buf[256];
	ssize_t got;
	size_t i, k;

	while ((got = read(fd, buf, sizeof(buf))) > 0 ||
	       (got < 0 && errno == EINTR)) {
		if (got < 0)
			continue;
		k = (size_t)got / sizeof(buf[0]);
		if (rr->n + k > rr->cap) {
			rr->cap = (rr->n + k) * 2;
			rr->r = xrealloc(rr->r, rr->cap * sizeof(*rr->r));
		}
		for (i = 0; i < k; i++) {
			if (buf[i].type == BFT_RING_LOST)
				rr->lost += buf[i].addr;
			else
				rr->r[rr->n++] = buf[i];
		}
	}
	return got < 0 ? -1 : 0;
}

void ring_records_free(struct ring_records *rr)
{
	free(rr->r);
	memset(rr, 0, sizeof(*rr));
}

/* What the session's lines tell of its tasks and file mappings. */
struct tid_comm {
	int	tid;
	char	comm[TRACE_COMM_LEN + 1];
};

struct known {
	struct tid_comm	*tids;
	size_t		ntids;
	uint64_t	start_us;	/* the session's first line */
	bool		has_start;
};

static void know_tid(struct known *k, const struct trace_event *ev)
{
	size_t i;

	for (i = 0; i < k->ntids; i++)
		if (k->tids[i].tid == ev->tid)
			return;
	k->tids = xrealloc(k->tids, (k->ntids + 1) * sizeof(*k->tids));
	k->tids[k->ntids].tid = ev->tid;
	snprintf(k->tids[k->ntids].comm, sizeof(k->tids[0].comm), "%s",
		 ev->comm);
	k->ntids++;
}

static void know_lines(struct known *k, const struct session_lines *lines)
{
	struct trace_event ev;
	char *copy;
	size_t i;

	for (i = 0; i < lines->n; i++) {
		copy = xstrdup(lines->lines[i]);
		if (trace_parse_line(copy, &ev) == 0) {
			if (!k->has_start || ev.ts_us < k->start_us)
				k->start_us = ev.ts_us;
			k->has_start = true;
			know_tid(k, &ev);
		}
		free(copy);
	}
}

static void known_free(struct known *k)
{
	free(k->tids);
}

static const char *comm_of(const struct known *k, uint32_t tid)
{
	size_t i;

	for (i = 0; i < k->ntids; i++)
		if (k->tids[i].tid == (int)tid)
			return k->tids[i].comm;
	return "<...>";
}

/* "0x..." or "-" for an optional number. */
static void put_opt(FILE *f, const char *key, bool has, uint64_t v)
{
	if (has)
		fprintf(f, " %s=0x%" PRIx64, key, v);
	else
		fprintf(f, " %s=-", key);
}

static char *record_line(const struct bft_ring_rec *x, const struct known *k,
			 const struct ring_place *p)
{
	/* Rounded, as ftrace prints its nanoseconds (ns2usecs()). */
	uint64_t ts_us = (x->ts + 500) / 1000, start_ns = k->start_us * 1000;
	char *line = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&line, &len);

	if (!f)
		return NULL;
	fprintf(f, "%16s-%-7" PRIu32 " [%03u] %6" PRIu64 ".%06" PRIu64
		": page_fault: session=%" PRIu64 " since=%" PRIu64
		" addr=0x%" PRIx64, comm_of(k, x->tid), x->tid, x->cpu,
		ts_us / 1000000, ts_us % 1000000, (uint64_t)x->session,
		x->ts > start_ns ? (uint64_t)x->ts - start_ns : 0,
		(uint64_t)x->addr);
	put_opt(f, "ip", x->ip != 0, x->ip);
	fprintf(f, " access=%s mode=%s obj=%s seg=%d",
		NAME_OF(access_names, x->access), NAME_OF(mode_names, x->mode),
		NAME_OF(obj_names, p->obj), p->seg);
	put_opt(f, "off", p->has_off, p->off);
	fputs(" file=", f);
	if (p->file)
		trace_print_escaped(f, p->file);
	else
		fputc('-', f);
	fprintf(f, " result=- lock=- cache=- lat=0 minflt=%" PRIu32
		" majflt=%" PRIu32, x->min_flt, x->maj_flt);
	if (fclose(f)) {
		free(line);
		return NULL;
	}
	return line;
}

size_t ring_records_to_lines(const struct ring_records *rr,
			     struct session_lines *lines)
{
	struct ring_places *rp = ring_places_new(lines);
	struct known k = { 0 };
	struct ring_place p;
	size_t i, added = 0;
	char *line;

	know_lines(&k, lines);
	for (i = 0; i < rr->n; i++) {
		if (rr->r[i].type != BFT_RING_FAULT ||
		    rr->r[i].session != lines->id)
			continue;
		ring_places_place(rp, &rr->r[i], &p);
		line = record_line(&rr->r[i], &k, &p);
		if (!line)
			continue;
		session_lines_add(lines, line);
		free(line);
		added++;
	}
	known_free(&k);
	ring_places_free(rp);
	return added;
}
