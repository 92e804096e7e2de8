// SPDX-License-Identifier: GPL-2.0
/*
 * ring_place.c - place the address of a fault_capture=ring record the way
 * the kernel's fault classification (fault_hooks.c, bft_fault_classify())
 * places it in the task's vmas, but from the session's lines: the ring's
 * probe looks nothing up, so that a traced fault costs no more than
 * ftrace's own tracepoint (docs/cost-study.md).
 *
 * The lines are replayed in time order, keeping the live mappings of each
 * address space (the session's process and each child it forks):
 *
 *   load_map, load_bss  the exe's and interpreter's file and bss pages, and
 *                       the ranges of their PT_LOAD segments (the kernel's
 *                       note_segment(): from the page offset of p_vaddr,
 *                       p_memsz long)
 *   load_stack          the stack, which grows down; load_entry's sp= is
 *                       mm->start_stack
 *   load_vdso           the vDSO and its data pages, laid out as in this
 *                       process's own /proc/self/maps (the same kernel)
 *   load_brk, brk       the heap, [start_brk, brk)
 *   mmap, munmap, mremap
 *
 * and each record is placed after every line at or before its time (both
 * in microseconds).  Then, as the kernel does: the mapping that holds the
 * address, or the one just above it when that one grows down (a stack's
 * guard gap), else none; a segment's range when the mapping is anonymous
 * or the exe's or interpreter's own file; else lib for a file; heap when
 * the mapping meets [start_brk, brk]; stack when it holds start_stack;
 * vdso and vvar; anon.  What the lines do not show is not known:
 * mappings made without mmap(2) (shmat(), io_setup()), vmas merged with
 * their neighbours, the threads of a forked child (placed in the
 * parent's space).  Without a load_start line (--no-load-events) every
 * record stays obj=unknown.
 */
#define _GNU_SOURCE

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bft.h"
#include "ring_place.h"
#include "trace_parse.h"

#define PAGE		4096ULL
#define MAX_PHDRS	64

enum { OBJ_EXE, OBJ_INTERP, OBJ_LIB, OBJ_HEAP, OBJ_STACK, OBJ_ANON,
       OBJ_VDSO, OBJ_VVAR, OBJ_NONE, OBJ_UNKNOWN };

enum map_kind { MAP_FILE, MAP_ANON, MAP_VDSO, MAP_VVAR };

struct place_map {
	uint64_t	start, end;
	uint64_t	off;		/* MAP_FILE: file offset of start */
	const char	*path;		/* MAP_FILE: in a line of rp */
	enum map_kind	kind;
	bool		own;		/* the exe's or interpreter's file */
	bool		growsdown;
};

struct space {
	int			pid;
	struct place_map	*maps;
	size_t			n;
	uint64_t		start_brk, brk, start_stack;
	bool			has_brk;
};

struct seg {
	uint64_t	start, end;
	int		slot;		/* 0 exe, 1 interp */
	int		index;
};

/* A line of the session, parsed; @order is its place among them. */
struct place_line {
	struct trace_event	ev;
	char			*copy;		/* what @ev points into */
	size_t			order;
};

struct ring_places {
	struct place_line	*evs;		/* sorted by time */
	size_t			nev, next;
	struct space		*spaces;
	size_t			nspaces;
	struct seg		segs[2 * MAX_PHDRS];
	size_t			nsegs;
	uint64_t		vaddr[2][MAX_PHDRS], memsz[2][MAX_PHDRS];
	bool			has_phdr[2][MAX_PHDRS];
	const char		*exe, *interp;
	uint64_t		elf_offset;
	bool			loaded;
};

/* ------------------------------------------------------------------ */
/* The vDSO's layout, from our own maps                                */

struct vdso_area {
	int64_t		lo, hi;		/* from the vDSO's start */
	enum map_kind	kind;
};

static struct vdso_area vdso_areas[8];
static size_t nvdso_areas;

static void vdso_layout_read(void)
{
	static bool done;
	uint64_t lo, hi, vdso = 0;
	struct vdso_area a[8];
	char line[512], name[64];
	size_t i, n = 0;
	FILE *f;

	if (done)
		return;
	done = true;
	f = fopen("/proc/self/maps", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && n < 8) {
		name[0] = '\0';
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %*s %*s %*s %*s %63s",
			   &lo, &hi, name) < 3)
			continue;
		if (strcmp(name, "[vdso]") && strncmp(name, "[vvar", 5))
			continue;
		if (!strcmp(name, "[vdso]"))
			vdso = lo;
		a[n++] = (struct vdso_area){ (int64_t)lo, (int64_t)hi,
			!strcmp(name, "[vdso]") ? MAP_VDSO : MAP_VVAR };
	}
	fclose(f);
	if (!vdso)
		return;
	for (i = 0; i < n; i++) {
		vdso_areas[i] = a[i];
		vdso_areas[i].lo -= (int64_t)vdso;
		vdso_areas[i].hi -= (int64_t)vdso;
	}
	nvdso_areas = n;
}

/* ------------------------------------------------------------------ */
/* Mappings                                                            */

static uint64_t page_down(uint64_t a)
{
	return a & ~(PAGE - 1);
}

static uint64_t page_up(uint64_t a)
{
	return (a + PAGE - 1) & ~(PAGE - 1);
}

static void map_add(struct space *sp, struct place_map m)
{
	if (m.end <= m.start)
		return;
	sp->maps = xrealloc(sp->maps, (sp->n + 1) * sizeof(*sp->maps));
	sp->maps[sp->n++] = m;
}

/* Take [start, end) out of every mapping, keeping what lies outside. */
static void carve(struct space *sp, uint64_t start, uint64_t end)
{
	size_t i, n = sp->n;

	if (end <= start)
		return;
	for (i = 0; i < n; i++) {
		struct place_map m = sp->maps[i], hi = m;

		if (m.end <= start || m.start >= end)
			continue;
		sp->maps[i].end = m.start < start ? start : m.start;
		if (m.end > end) {
			hi.start = end;
			hi.off = m.off + (end - m.start);
			map_add(sp, hi);
		}
	}
	/* Drop the emptied ones. */
	for (i = 0, n = 0; i < sp->n; i++)
		if (sp->maps[i].end > sp->maps[i].start)
			sp->maps[n++] = sp->maps[i];
	sp->n = n;
}

static struct place_map *map_holding(struct space *sp, uint64_t addr)
{
	size_t i;

	for (i = 0; i < sp->n; i++)
		if (addr >= sp->maps[i].start && addr < sp->maps[i].end)
			return &sp->maps[i];
	return NULL;
}

/* find_vma(): the lowest mapping above @addr, if it grows down to it. */
static struct place_map *map_growing_to(struct space *sp, uint64_t addr)
{
	struct place_map *best = NULL;
	size_t i;

	for (i = 0; i < sp->n; i++)
		if (sp->maps[i].start > addr &&
		    (!best || sp->maps[i].start < best->start))
			best = &sp->maps[i];
	return best && best->growsdown ? best : NULL;
}

/* ------------------------------------------------------------------ */
/* Address spaces                                                      */

static struct space *space_new(struct ring_places *rp, int pid)
{
	struct space *sp;

	rp->spaces = xrealloc(rp->spaces,
			      (rp->nspaces + 1) * sizeof(*rp->spaces));
	sp = &rp->spaces[rp->nspaces++];
	memset(sp, 0, sizeof(*sp));
	sp->pid = pid;
	return sp;
}

/*
 * The space of @tid: a forked child's own (the newest, should its pid be
 * used again), else the session's first.
 */
static struct space *space_of(struct ring_places *rp, int tid)
{
	size_t i;

	for (i = rp->nspaces; i-- > 1;)
		if (rp->spaces[i].pid == tid)
			return &rp->spaces[i];
	return &rp->spaces[0];
}

/* fork: the child starts with a copy of its parent's mappings. */
static void on_fork(struct ring_places *rp, const struct trace_event *ev)
{
	struct space *parent, *child;
	uint64_t pid;
	size_t size;

	if (!trace_get_u64(ev, "child", &pid))
		return;
	child = space_new(rp, (int)pid);
	/* After space_new(), which may move the spaces. */
	parent = space_of(rp, ev->tid);
	size = parent->n * sizeof(*parent->maps);
	child->maps = xrealloc(NULL, size ? size : 1);
	memcpy(child->maps, parent->maps, size);
	child->n = parent->n;
	child->start_brk = parent->start_brk;
	child->brk = parent->brk;
	child->start_stack = parent->start_stack;
	child->has_brk = parent->has_brk;
}

/* ------------------------------------------------------------------ */
/* Load events                                                         */

static uint64_t get_u64(const struct trace_event *ev, const char *key)
{
	uint64_t v = 0;

	trace_get_u64(ev, key, &v);
	return v;
}

static bool ok_result(const struct trace_event *ev)
{
	int64_t r;

	return trace_get_s64(ev, "result", &r) && r == 0;
}

/* result= is an address (0x...), not -errno. */
static bool addr_result(const struct trace_event *ev, uint64_t *addr)
{
	const char *r = trace_get(ev, "result");

	return r && !strncmp(r, "0x", 2) && trace_get_u64(ev, "result", addr);
}

static int slot_of(const struct trace_event *ev)
{
	const char *obj = trace_get(ev, "obj");

	return obj && !strcmp(obj, "interp") ? 1 : 0;
}

/* note_segment(): the PT_LOAD @index of @slot is now at @map_addr. */
static void seg_note(struct ring_places *rp, int slot, int64_t index,
		     uint64_t map_addr)
{
	size_t i;

	if (index < 0 || index >= MAX_PHDRS || !rp->has_phdr[slot][index])
		return;
	for (i = 0; i < rp->nsegs; i++)
		if (rp->segs[i].slot == slot && rp->segs[i].index == index)
			return;
	if (rp->nsegs == sizeof(rp->segs) / sizeof(rp->segs[0]))
		return;
	map_addr += rp->vaddr[slot][index] & (PAGE - 1);
	rp->segs[rp->nsegs++] = (struct seg){
		.start = map_addr, .end = map_addr + rp->memsz[slot][index],
		.slot = slot, .index = (int)index,
	};
}

static void on_load_start(struct ring_places *rp, const struct trace_event *ev)
{
	const char *interp = trace_get(ev, "interp");

	rp->loaded = true;
	rp->exe = trace_get(ev, "file");
	rp->interp = trace_absent(interp) ? NULL : interp;
	rp->elf_offset = get_u64(ev, "elf_offset");
	rp->spaces[0].pid = (int)get_u64(ev, "pid");
}

static void on_load_phdr(struct ring_places *rp, const struct trace_event *ev)
{
	const char *type = trace_get(ev, "type");
	uint64_t index = get_u64(ev, "index");
	int slot = slot_of(ev);

	if (!type || strcmp(type, "LOAD") || index >= MAX_PHDRS)
		return;
	rp->vaddr[slot][index] = get_u64(ev, "vaddr");
	rp->memsz[slot][index] = get_u64(ev, "memsz");
	rp->has_phdr[slot][index] = true;
}

/* elf_map(): the file part; a first map's extra reservation is gone. */
static void on_load_map(struct ring_places *rp, struct space *sp,
			const struct trace_event *ev)
{
	int slot = slot_of(ev);
	uint64_t addr, end;
	int64_t seg = -1;

	if (!addr_result(ev, &addr))
		return;
	trace_get_s64(ev, "seg", &seg);
	seg_note(rp, slot, seg, addr);
	end = addr + page_up(get_u64(ev, "len"));
	carve(sp, addr, end);
	map_add(sp, (struct place_map){
		.start = addr, .end = end, .kind = MAP_FILE, .own = true,
		.off = get_u64(ev, "off") + (slot ? 0 : rp->elf_offset),
		.path = slot ? rp->interp : rp->exe,
	});
}

/* "0xSTART-0xEND" */
static bool get_range(const struct trace_event *ev, const char *key,
		      uint64_t *start, uint64_t *end)
{
	const char *v = trace_get(ev, key);
	char *dash;

	if (!v || strncmp(v, "0x", 2))
		return false;
	*start = strtoull(v + 2, &dash, 16);
	if (strncmp(dash, "-0x", 3))
		return false;
	*end = strtoull(dash + 3, NULL, 16);
	return *end >= *start;
}

/*
 * A segment with no file part has no load_map: it is noted at its first
 * page, where its anonymous pages start (its zero= is empty, 0x0-0x0).
 */
static void on_load_bss(struct ring_places *rp, struct space *sp,
			const struct trace_event *ev)
{
	uint64_t start, end;
	int64_t seg = -1;

	if (!get_range(ev, "anon", &start, &end))
		return;
	trace_get_s64(ev, "seg", &seg);
	seg_note(rp, slot_of(ev), seg, start);
	if (!ok_result(ev))
		return;
	carve(sp, start, end);
	map_add(sp, (struct place_map){
		.start = start, .end = end, .kind = MAP_ANON,
	});
}

static void on_load_stack(struct space *sp, const struct trace_event *ev)
{
	uint64_t top = get_u64(ev, "stack_top"), p = get_u64(ev, "p");

	if (!ok_result(ev))
		return;
	sp->start_stack = p;
	carve(sp, page_down(p), top);
	map_add(sp, (struct place_map){
		.start = page_down(p), .end = top, .kind = MAP_ANON,
		.growsdown = true,
	});
}

static void on_load_vdso(struct space *sp, const struct trace_event *ev)
{
	uint64_t vdso = get_u64(ev, "vdso");
	size_t i;

	if (!ok_result(ev))
		return;
	vdso_layout_read();
	for (i = 0; i < nvdso_areas; i++) {
		uint64_t lo = vdso + (uint64_t)vdso_areas[i].lo;
		uint64_t hi = vdso + (uint64_t)vdso_areas[i].hi;

		carve(sp, lo, hi);
		map_add(sp, (struct place_map){
			.start = lo, .end = hi, .kind = vdso_areas[i].kind,
		});
	}
}

static bool on_load_event(struct ring_places *rp, struct space *sp,
			  const struct trace_event *ev)
{
	const char *n = ev->name;

	if (!strcmp(n, "load_start"))
		on_load_start(rp, ev);
	else if (!strcmp(n, "load_phdr"))
		on_load_phdr(rp, ev);
	else if (!strcmp(n, "load_map"))
		on_load_map(rp, sp, ev);
	else if (!strcmp(n, "load_bss"))
		on_load_bss(rp, sp, ev);
	else if (!strcmp(n, "load_stack"))
		on_load_stack(sp, ev);
	else if (!strcmp(n, "load_vdso"))
		on_load_vdso(sp, ev);
	else if (!strcmp(n, "load_brk"))
		sp->start_brk = sp->brk = get_u64(ev, "brk");
	else if (!strcmp(n, "load_entry"))
		sp->start_stack = get_u64(ev, "sp");
	else
		return false;
	if (!strcmp(n, "load_brk"))
		sp->has_brk = true;
	return true;
}

/* ------------------------------------------------------------------ */
/* Memory-map events                                                   */

static bool has_flag(const struct trace_event *ev, const char *flag)
{
	const char *flags = trace_get(ev, "flags");
	size_t len = strlen(flag);
	const char *f;

	for (f = flags; f && (f = strstr(f, flag)); f += len)
		if ((f == flags || f[-1] == '|') &&
		    (f[len] == '\0' || f[len] == '|'))
			return true;
	return false;
}

static bool own_path(const struct ring_places *rp, const char *path)
{
	return (rp->exe && !strcmp(path, rp->exe)) ||
	       (rp->interp && !strcmp(path, rp->interp));
}

static void on_mmap(struct ring_places *rp, struct space *sp,
		    const struct trace_event *ev)
{
	const char *file = trace_get(ev, "file");
	uint64_t addr, end;

	if (!addr_result(ev, &addr))
		return;
	end = addr + page_up(get_u64(ev, "len"));
	carve(sp, addr, end);
	map_add(sp, (struct place_map){
		.start = addr, .end = end, .off = get_u64(ev, "off"),
		.kind = trace_absent(file) ? MAP_ANON : MAP_FILE,
		.path = trace_absent(file) ? NULL : file,
		.own = !trace_absent(file) && own_path(rp, file),
		.growsdown = has_flag(ev, "GROWSDOWN"),
	});
}

/* mremap: the old range's mapping moves, its offset kept, to the new. */
static void on_mremap(struct space *sp, const struct trace_event *ev)
{
	uint64_t addr = get_u64(ev, "addr"), to;
	struct place_map *m, moved = { 0 };

	if (!addr_result(ev, &to))
		return;
	m = map_holding(sp, addr);
	if (m) {
		moved = *m;
		moved.off += addr - m->start;
	}
	if (!has_flag(ev, "DONTUNMAP"))
		carve(sp, addr, addr + page_up(get_u64(ev, "old_len")));
	moved.start = to;
	moved.end = to + page_up(get_u64(ev, "new_len"));
	carve(sp, moved.start, moved.end);
	if (m)
		map_add(sp, moved);
}

/* brk: the heap is [start_brk, brk), page aligned. */
static void on_brk(struct space *sp, const struct trace_event *ev)
{
	uint64_t brk = get_u64(ev, "result");
	uint64_t old_end = page_up(sp->brk), new_end = page_up(brk);

	if (!sp->has_brk)
		return;
	carve(sp, sp->start_brk, old_end > new_end ? old_end : new_end);
	map_add(sp, (struct place_map){
		.start = sp->start_brk, .end = new_end, .kind = MAP_ANON,
	});
	sp->brk = brk;
}

static void apply(struct ring_places *rp, const struct trace_event *ev)
{
	struct space *sp = space_of(rp, ev->tid);
	const char *n = ev->name;

	if (on_load_event(rp, sp, ev))
		return;
	if (!strcmp(n, "fork"))
		on_fork(rp, ev);
	else if (!strcmp(n, "mmap"))
		on_mmap(rp, sp, ev);
	else if (!strcmp(n, "munmap") && ok_result(ev))
		carve(sp, page_down(get_u64(ev, "addr")),
		      page_up(get_u64(ev, "addr") + get_u64(ev, "len")));
	else if (!strcmp(n, "mremap"))
		on_mremap(sp, ev);
	else if (!strcmp(n, "brk"))
		on_brk(sp, ev);
}

/* ------------------------------------------------------------------ */
/* Placing                                                             */

static const struct seg *seg_holding(const struct ring_places *rp,
				     uint64_t addr)
{
	size_t i;

	for (i = 0; i < rp->nsegs; i++)
		if (addr >= rp->segs[i].start && addr < rp->segs[i].end)
			return &rp->segs[i];
	return NULL;
}

/* bft_anon_object(): heap, stack, vDSO or other. */
static uint8_t anon_object(const struct space *sp, const struct place_map *m)
{
	if (sp->has_brk && m->start <= sp->brk && m->end >= sp->start_brk)
		return OBJ_HEAP;
	if (m->start <= sp->start_stack && m->end >= sp->start_stack)
		return OBJ_STACK;
	if (m->kind == MAP_VDSO)
		return OBJ_VDSO;
	return m->kind == MAP_VVAR ? OBJ_VVAR : OBJ_ANON;
}

static void place(const struct ring_places *rp, struct space *sp,
		  uint64_t addr, struct ring_place *out)
{
	struct place_map *m = map_holding(sp, addr);
	bool file;
	const struct seg *seg;

	if (!m)
		m = map_growing_to(sp, addr);
	if (!m) {
		out->obj = OBJ_NONE;
		return;
	}
	file = m->kind == MAP_FILE;
	out->has_off = file;
	if (file)
		out->off = m->off + page_down(addr) - m->start;
	seg = seg_holding(rp, addr);
	if (seg && (!file || m->own)) {
		out->obj = seg->slot ? OBJ_INTERP : OBJ_EXE;
		out->seg = (int8_t)seg->index;
		if (file && !seg->slot)
			out->off -= rp->elf_offset;
		return;
	}
	if (file) {
		out->obj = OBJ_LIB;
		out->file = m->path;
		return;
	}
	out->obj = anon_object(sp, m);
}

void ring_places_place(struct ring_places *rp, const struct bft_ring_rec *rec,
		       struct ring_place *out)
{
	uint64_t ts_us = (rec->ts + 500) / 1000;	/* as the lines round */

	while (rp->next < rp->nev && rp->evs[rp->next].ev.ts_us <= ts_us)
		apply(rp, &rp->evs[rp->next++].ev);
	*out = (struct ring_place){
		.obj = rec->obj, .seg = rec->seg,
		.has_off = rec->off != BFT_RING_OFF_NONE, .off = rec->off,
	};
	if (rec->obj != OBJ_UNKNOWN || !rp->loaded)
		return;
	out->seg = -1;
	out->has_off = false;
	place(rp, space_of(rp, (int)rec->tid), rec->addr, out);
}

/* ------------------------------------------------------------------ */
/* The lines                                                           */

static int compare_ts(const void *a, const void *b)
{
	const struct place_line *x = a, *y = b;

	if (x->ev.ts_us != y->ev.ts_us)
		return x->ev.ts_us < y->ev.ts_us ? -1 : 1;
	/* Same microsecond: the order of the lines. */
	return x->order < y->order ? -1 : x->order > y->order;
}

static bool wanted(const char *name)
{
	return !strncmp(name, "load_", 5) || !strcmp(name, "fork") ||
	       !strcmp(name, "mmap") || !strcmp(name, "munmap") ||
	       !strcmp(name, "mremap") || !strcmp(name, "brk");
}

struct ring_places *ring_places_new(const struct session_lines *lines)
{
	struct ring_places *rp = xrealloc(NULL, sizeof(*rp));
	size_t i;

	memset(rp, 0, sizeof(*rp));
	rp->evs = xrealloc(NULL, (lines->n ? lines->n : 1) * sizeof(*rp->evs));
	for (i = 0; i < lines->n; i++) {
		struct place_line *l = &rp->evs[rp->nev];

		l->copy = xstrdup(lines->lines[i]);
		if (trace_parse_line(l->copy, &l->ev) ||
		    l->ev.session != lines->id || !wanted(l->ev.name)) {
			free(l->copy);
			continue;
		}
		l->order = rp->nev++;
	}
	qsort(rp->evs, rp->nev, sizeof(*rp->evs), compare_ts);
	space_new(rp, 0);
	return rp;
}

void ring_places_free(struct ring_places *rp)
{
	size_t i;

	if (!rp)
		return;
	for (i = 0; i < rp->nev; i++)
		free(rp->evs[i].copy);
	for (i = 0; i < rp->nspaces; i++)
		free(rp->spaces[i].maps);
	free(rp->evs);
	free(rp->spaces);
	free(rp);
}
