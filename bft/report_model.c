// SPDX-License-Identifier: GPL-2.0
/*
 * report_model.c - build the model of report_model.h from the lines of one
 * session: parse, check, sort by time, then follow the events in order,
 * keeping the mappings live at each moment, so that each fault is placed
 * in the mapping that held its address when it happened.
 *
 * The bases come from the trace alone: load_map and load_bss (exe,
 * interp), load_vdso, load_brk and brk (heap), load_stack (stack), and
 * the mmap, mremap and munmap events (helpers/MM_EVENTS_SPEC.md).  Live
 * mappings never overlap: each new one, and each unmap, first carves the
 * range out of the older ones (ending them and re-adding what is left).
 */
#define _GNU_SOURCE

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bft.h"
#include "fault_result.h"
#include "report_model.h"
#include "trace_parse.h"

/* ------------------------------------------------------------------ */
/* Names                                                               */

static const char *const obj_kind_names[] = {
	[ROBJ_EXE] = "exe", [ROBJ_INTERP] = "interp", [ROBJ_LIB] = "lib",
	[ROBJ_VDSO] = "vdso", [ROBJ_VVAR] = "vvar", [ROBJ_HEAP] = "heap",
	[ROBJ_STACK] = "stack", [ROBJ_ANON] = "anon",
	[ROBJ_UNKNOWN] = "unknown",
};

static const char *const sym_state_names[] = {
	[RSYM_NOT_FILE] = "not a file", [RSYM_NO_PATH] = "no path",
	[RSYM_NOT_FOUND] = "not found", [RSYM_BAD_ELF] = "bad elf",
	[RSYM_NO_SYMBOLS] = "no symbols", [RSYM_DYNSYM] = "dynsym",
	[RSYM_SYMTAB] = "symtab", [RSYM_DEBUGINFO] = "debuginfo",
};

static const char *const attr_state_names[] = {
	[RATTR_NONE] = "none", [RATTR_NO_OBJECT] = "no object",
	[RATTR_NOT_FILE] = "not a file", [RATTR_NO_FILE] = "no file",
	[RATTR_NO_SECTION] = "no section", [RATTR_NO_SYMBOL] = "no symbol",
	[RATTR_SYMBOL] = "symbol",
};

static const char *const mm_kind_names[] = {
	[RMM_MMAP] = "mmap", [RMM_MPROTECT] = "mprotect",
	[RMM_MUNMAP] = "munmap", [RMM_MREMAP] = "mremap", [RMM_BRK] = "brk",
};

const char *report_obj_kind_name(enum report_obj_kind k)
{
	return k <= ROBJ_UNKNOWN ? obj_kind_names[k] : "unknown";
}

const char *report_sym_state_name(enum report_sym_state s)
{
	return s <= RSYM_DEBUGINFO ? sym_state_names[s] : "unknown";
}

const char *report_attr_state_name(enum report_attr_state s)
{
	return s <= RATTR_SYMBOL ? attr_state_names[s] : "unknown";
}

const char *report_mm_kind_name(enum report_mm_kind k)
{
	return k <= RMM_BRK ? mm_kind_names[k] : "unknown";
}

/* ------------------------------------------------------------------ */
/* What each known event must have                                     */

/*
 * Field types: u unsigned (dec or hex), o unsigned or "-", s signed,
 * t text, r result (address or -errno).
 */
struct event_rule {
	const char		*name;
	enum report_event_kind	kind;
	const char		*fields;	/* "key:T key:T ..." */
};

static const struct event_rule rules[] = {
	{ "load_start", REV_LOAD, "pid:s file:t interp:t elf_offset:u" },
	{ "load_phdr", REV_LOAD, "obj:t index:u type:t offset:u vaddr:u "
				 "filesz:u memsz:u" },
	{ "load_stack", REV_LOAD, "stack_top:u result:s" },
	{ "load_map", REV_LOAD, "obj:t seg:s addr:u len:u prot:t off:u "
				"result:r" },
	{ "load_bss", REV_LOAD, "obj:t seg:s zero:t anon:t result:s" },
	{ "load_interp", REV_LOAD, "bias:u result:s" },
	{ "load_vdso", REV_LOAD, "vdso:u result:s" },
	{ "load_auxv", REV_LOAD, "key:t" },
	{ "load_brk", REV_LOAD, "start_brk:u brk:u" },
	{ "load_entry", REV_LOAD, "entry:u load_bias:u" },
	{ "load_error", REV_LOAD, "step:t error:s" },
	{ "load_end", REV_LOAD, "result:s load_ns:u" },
	{ "mmap", REV_MM, "addr:u len:u prot:t flags:t fd:s file:t off:u "
			  "result:r" },
	{ "mprotect", REV_MM, "addr:u len:u prot:t result:s" },
	{ "munmap", REV_MM, "addr:u len:u result:s" },
	{ "mremap", REV_MM, "addr:u old_len:u new_len:u flags:t new_addr:u "
			    "result:r" },
	{ "brk", REV_MM, "brk:u result:u" },
	{ "page_fault", REV_FAULT, "since:u addr:u ip:o access:t mode:t obj:t "
				   "seg:s off:o file:t result:t lock:t "
				   "cache:t lat:u" },
	{ "fork", REV_PROCESS, "child:s" },
	{ "mm_exit", REV_PROCESS, "mms_left:s" },
};

static const struct event_rule *rule_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].name, name))
			return &rules[i];
	return NULL;
}

/* A result= that is an address (hex) or a negative errno (decimal). */
static bool valid_result(const char *v)
{
	uint64_t x;
	char *end;

	if (v[0] == '-')
		return v[1] >= '1' && v[1] <= '9' &&
		       (strtoll(v, &end, 10), !*end);
	if (v[0] != '0' || v[1] != 'x' || !v[2])
		return false;
	x = strtoull(v + 2, &end, 16);
	(void)x;
	return !*end && strspn(v + 2, "0123456789abcdefABCDEF") ==
			strlen(v + 2);
}

/* Check @ev against its rule; a message in @err and false if it fails. */
static bool check_event(const struct trace_event *ev,
			const struct event_rule *rule, char *err,
			size_t errlen)
{
	const char *p = rule->fields, *v;
	char key[32], type;
	uint64_t u;
	int64_t s;
	bool ok;
	size_t n;

	while (*p) {
		n = strcspn(p, ":");
		snprintf(key, sizeof(key), "%.*s", (int)n, p);
		type = p[n + 1];
		p += n + 2;
		p += strspn(p, " ");
		v = trace_get(ev, key);
		if (!v) {
			snprintf(err, errlen, "%s event without %s=",
				 ev->name, key);
			return false;
		}
		switch (type) {
		case 'u':
			ok = trace_get_u64(ev, key, &u);
			break;
		case 'o':
			ok = trace_absent(v) || trace_get_u64(ev, key, &u);
			break;
		case 's':
			ok = trace_get_s64(ev, key, &s);
			break;
		case 'r':
			ok = valid_result(v);
			break;
		default:
			ok = *v != '\0';
			break;
		}
		if (!ok) {
			snprintf(err, errlen, "%s event: bad value %s=%s",
				 ev->name, key, v);
			return false;
		}
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Reading the lines                                                   */

static char *dup_or_null(const char *v)
{
	return trace_absent(v) ? NULL : xstrdup(v);
}

static void event_fill(struct report_event *e, const struct trace_event *ev,
		       const struct event_rule *rule, size_t line_no)
{
	int i;

	e->kind = rule ? rule->kind : REV_OTHER;
	e->name = xstrdup(ev->name);
	e->comm = xstrdup(ev->comm);
	e->tid = ev->tid;
	e->cpu = ev->cpu;
	e->ts_us = ev->ts_us;
	e->line_no = line_no;
	e->index = REPORT_NONE;
	e->fields = xrealloc(NULL, (ev->nfields ? ev->nfields : 1) *
			     sizeof(*e->fields));
	for (i = 0; i < ev->nfields; i++) {
		if (!strcmp(ev->fields[i].key, "session"))
			continue;
		e->fields[e->nfields].key = xstrdup(ev->fields[i].key);
		e->fields[e->nfields].value = xstrdup(ev->fields[i].value);
		e->nfields++;
	}
}

static int compare_events(const void *a, const void *b)
{
	const struct report_event *x = a, *y = b;

	if (x->ts_us != y->ts_us)
		return x->ts_us < y->ts_us ? -1 : 1;
	return x->line_no < y->line_no ? -1 : x->line_no > y->line_no;
}

/* The value of @key in a model event, or NULL. */
static const char *ev_get(const struct report_event *e, const char *key)
{
	size_t i;

	for (i = 0; i < e->nfields; i++)
		if (!strcmp(e->fields[i].key, key))
			return e->fields[i].value;
	return NULL;
}

/* Numbers of fields already checked by check_event(). */
static uint64_t ev_u64(const struct report_event *e, const char *key)
{
	const char *v = ev_get(e, key);

	if (trace_absent(v))
		return 0;
	return strtoull(v, NULL, v[0] == '0' && v[1] == 'x' ? 16 : 10);
}

static int64_t ev_s64(const struct report_event *e, const char *key)
{
	const char *v = ev_get(e, key);

	if (trace_absent(v))
		return 0;
	if (v[0] == '0' && v[1] == 'x')
		return (int64_t)strtoull(v, NULL, 16);
	return strtoll(v, NULL, 10);
}

static bool ev_has(const struct report_event *e, const char *key)
{
	return !trace_absent(ev_get(e, key));
}

/* An address result= (not an errno)? */
static bool result_is_addr(const struct report_event *e, uint64_t *addr)
{
	const char *v = ev_get(e, "result");

	if (!v || v[0] == '-')
		return false;
	*addr = ev_u64(e, "result");
	return true;
}

/* ------------------------------------------------------------------ */
/* Objects and live mappings                                           */

struct builder {
	struct report_session	*s;
	size_t			now;		/* the event being followed */
	size_t			exe, interp, heap, stack, vdso;
	/* load_phdr: PAGESTART(vaddr) of each index, exe and interp */
	uint64_t		phdr_vaddr[2][64];
	bool			has_phdr[2][64];
	size_t			cap_touch;
	/* pages seen, sorted, for first_touch */
	uint64_t		*seen;
	size_t			nseen, cap_seen;
};

static uint64_t page_down(uint64_t a)
{
	return a & ~(REPORT_PAGE_SIZE - 1);
}

static uint64_t page_up(uint64_t a)
{
	return (a + REPORT_PAGE_SIZE - 1) & ~(REPORT_PAGE_SIZE - 1);
}

static char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return xstrdup(slash && slash[1] ? slash + 1 : path);
}

static size_t object_add(struct builder *b, enum report_obj_kind kind,
			 const char *path, const char *name)
{
	struct report_session *s = b->s;
	struct report_object *o;
	char buf[32];

	s->objects = xrealloc(s->objects,
			      (s->nobjects + 1) * sizeof(*s->objects));
	o = &s->objects[s->nobjects];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->kind_name = report_obj_kind_name(kind);
	o->path = path ? xstrdup(path) : NULL;
	if (name) {
		o->name = xstrdup(name);
	} else if (path) {
		o->name = basename_of(path);
	} else {
		snprintf(buf, sizeof(buf), "[%s]", o->kind_name);
		o->name = xstrdup(buf);
	}
	o->symbols = path || kind <= ROBJ_LIB ? RSYM_NO_PATH : RSYM_NOT_FILE;
	if (path)
		o->symbols = RSYM_NOT_FOUND;
	o->symbols_name = report_sym_state_name(o->symbols);
	return s->nobjects++;
}

/* The object of @kind with @path (or, @path NULL, of @kind and @name). */
static size_t object_find(struct builder *b, enum report_obj_kind kind,
			  const char *path, const char *name)
{
	struct report_session *s = b->s;
	size_t i;

	for (i = 0; i < s->nobjects; i++) {
		struct report_object *o = &s->objects[i];

		if (path && o->path && !strcmp(o->path, path))
			return i;
		if (!path && o->kind == kind &&
		    (!name || !strcmp(o->name, name)))
			return i;
	}
	return REPORT_NONE;
}

static size_t object_get(struct builder *b, enum report_obj_kind kind,
			 const char *path, const char *name)
{
	size_t i = object_find(b, kind, path, name);

	return i != REPORT_NONE ? i : object_add(b, kind, path, name);
}

static bool map_live(const struct report_mapping *m, size_t now)
{
	return m->end_event == REPORT_NONE || m->end_event > now;
}

static void map_add(struct builder *b, size_t obj, uint64_t start,
		    uint64_t end, const char *prot, bool has_off,
		    uint64_t off)
{
	struct report_session *s = b->s;
	struct report_object *o = &s->objects[obj];
	struct report_mapping *m;

	o->maps = xrealloc(o->maps, (o->nmaps + 1) * sizeof(*o->maps));
	m = &o->maps[o->nmaps++];
	memset(m, 0, sizeof(*m));
	m->start = start;
	m->end = end;
	snprintf(m->prot, sizeof(m->prot), "%s", prot ? prot : "");
	m->has_off = has_off;
	m->off = off;
	m->path = o->path;
	m->event = b->now;
	m->end_event = REPORT_NONE;
	m->rel_us = s->events[b->now].rel_us;
}

/*
 * End every live mapping that overlaps [start, end) and re-add the parts
 * of it outside the range; with @prot, re-add the part inside too, with
 * that protection (mprotect).
 */
static void carve(struct builder *b, uint64_t start, uint64_t end,
		  const char *prot)
{
	struct report_session *s = b->s;
	size_t i, j, n;

	if (end <= start)
		return;
	for (i = 0; i < s->nobjects; i++) {
		n = s->objects[i].nmaps;
		for (j = 0; j < n; j++) {
			struct report_mapping m = s->objects[i].maps[j];
			uint64_t lo, hi;

			if (!map_live(&m, b->now) || m.end <= m.start ||
			    m.end <= start || m.start >= end)
				continue;
			s->objects[i].maps[j].end_event = b->now;
			if (m.start < start)
				map_add(b, i, m.start, start, m.prot,
					m.has_off, m.off);
			if (m.end > end)
				map_add(b, i, end, m.end, m.prot, m.has_off,
					m.off + (end - m.start));
			if (!prot)
				continue;
			lo = m.start > start ? m.start : start;
			hi = m.end < end ? m.end : end;
			map_add(b, i, lo, hi, prot, m.has_off,
				m.off + (lo - m.start));
		}
	}
}

/* The live mapping that holds @addr: its object and index. */
static bool map_find(const struct report_session *s, uint64_t addr,
		     size_t now, size_t *obj, size_t *map)
{
	size_t i, j;

	for (i = 0; i < s->nobjects; i++) {
		for (j = 0; j < s->objects[i].nmaps; j++) {
			const struct report_mapping *m =
				&s->objects[i].maps[j];

			if (m->event <= now && map_live(m, now) &&
			    addr >= m->start && addr < m->end) {
				*obj = i;
				*map = j;
				return true;
			}
		}
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Load events                                                         */

static int obj_slot(const struct report_event *e)
{
	const char *obj = ev_get(e, "obj");

	return obj && !strcmp(obj, "interp") ? 1 : 0;
}

static void on_load_start(struct builder *b, const struct report_event *e)
{
	struct report_session *s = b->s;

	if (s->file)		/* one load_start per session */
		return;
	s->has_pid = true;
	s->pid = (long)ev_s64(e, "pid");
	s->file = dup_or_null(ev_get(e, "file"));
	s->interp = dup_or_null(ev_get(e, "interp"));
	s->label = dup_or_null(ev_get(e, "label"));
	s->elf_offset = ev_u64(e, "elf_offset");
	if (s->file) {
		b->exe = object_get(b, ROBJ_EXE, s->file, NULL);
		s->objects[b->exe].kind = ROBJ_EXE;
		s->objects[b->exe].kind_name = "exe";
		s->objects[b->exe].elf_offset = s->elf_offset;
	}
	if (s->interp)
		b->interp = object_add(b, ROBJ_INTERP, s->interp, NULL);
}

static size_t load_object(struct builder *b, int slot)
{
	if (slot == 1) {
		if (b->interp == REPORT_NONE)
			b->interp = object_add(b, ROBJ_INTERP, NULL, "[interp]");
		return b->interp;
	}
	if (b->exe == REPORT_NONE)
		b->exe = object_add(b, ROBJ_EXE, NULL, "[exe]");
	return b->exe;
}

static void on_load_phdr(struct builder *b, const struct report_event *e)
{
	uint64_t index = ev_u64(e, "index");
	const char *type = ev_get(e, "type");

	if (index >= 64 || strcmp(type, "LOAD"))
		return;
	b->phdr_vaddr[obj_slot(e)][index] = page_down(ev_u64(e, "vaddr"));
	b->has_phdr[obj_slot(e)][index] = true;
}

static void set_bias(struct builder *b, size_t obj, uint64_t bias)
{
	b->s->objects[obj].has_bias = true;
	b->s->objects[obj].bias = bias;
}

static void on_load_map(struct builder *b, const struct report_event *e)
{
	int slot = obj_slot(e);
	size_t obj = load_object(b, slot);
	int64_t seg = ev_s64(e, "seg");
	uint64_t addr, len = page_up(ev_u64(e, "len"));

	if (!result_is_addr(e, &addr))
		return;
	/* A first map of the whole image reserves total= at once. */
	if (ev_u64(e, "total") > len)
		len = page_up(ev_u64(e, "total"));
	carve(b, addr, addr + len, NULL);
	map_add(b, obj, addr, addr + len, ev_get(e, "prot"), true,
		ev_u64(e, "off"));
	if (seg >= 0 && seg < 64 && b->has_phdr[slot][seg] &&
	    !b->s->objects[obj].has_bias)
		set_bias(b, obj, addr - b->phdr_vaddr[slot][seg]);
}

/* "0xSTART-0xEND" */
static bool parse_range(const char *v, uint64_t *start, uint64_t *end)
{
	char *dash;

	if (!v || strncmp(v, "0x", 2))
		return false;
	*start = strtoull(v + 2, &dash, 16);
	if (strncmp(dash, "-0x", 3))
		return false;
	*end = strtoull(dash + 3, &dash, 16);
	return !*dash && *end >= *start;
}

static void on_load_bss(struct builder *b, const struct report_event *e)
{
	size_t obj = load_object(b, obj_slot(e));
	uint64_t start, end;

	if (ev_s64(e, "result") != 0 ||
	    !parse_range(ev_get(e, "anon"), &start, &end) || start == end)
		return;
	carve(b, start, end, NULL);
	map_add(b, obj, start, end, ev_get(e, "prot"), false, 0);
}

static void place_point(struct builder *b, uint64_t addr,
			struct report_attr *a);

/* load_entry: the bias of the exe, and where execution starts. */
static void on_load_entry(struct builder *b, const struct report_event *e)
{
	struct report_session *s = b->s;

	set_bias(b, load_object(b, 0), ev_u64(e, "load_bias"));
	s->has_entry = true;
	place_point(b, ev_u64(e, "entry"), &s->entry_at);
	place_point(b, ev_u64(e, "exe_entry"), &s->exe_entry_at);
}

static void on_load_event(struct builder *b, const struct report_event *e)
{
	struct report_session *s = b->s;
	const char *n = e->name;
	uint64_t a;

	if (!strcmp(n, "load_start")) {
		on_load_start(b, e);
	} else if (!strcmp(n, "load_phdr")) {
		on_load_phdr(b, e);
	} else if (!strcmp(n, "load_map")) {
		on_load_map(b, e);
	} else if (!strcmp(n, "load_bss")) {
		on_load_bss(b, e);
	} else if (!strcmp(n, "load_interp") && ev_s64(e, "result") == 0) {
		set_bias(b, load_object(b, 1), ev_u64(e, "bias"));
	} else if (!strcmp(n, "load_entry")) {
		on_load_entry(b, e);
	} else if (!strcmp(n, "load_vdso") && ev_s64(e, "result") == 0) {
		a = ev_u64(e, "vdso");
		b->vdso = object_get(b, ROBJ_VDSO, NULL, NULL);
		/* The vDSO's size is not in the trace: a point, no range. */
		map_add(b, b->vdso, a, a, "", false, 0);
	} else if (!strcmp(n, "load_brk")) {
		/* brk= is where the heap starts (randomized), empty. */
		b->heap = object_get(b, ROBJ_HEAP, NULL, NULL);
		a = ev_u64(e, "brk");
		map_add(b, b->heap, a, a, "rw-", false, 0);
	} else if (!strcmp(n, "load_stack") && ev_s64(e, "result") == 0) {
		b->stack = object_get(b, ROBJ_STACK, NULL, NULL);
		a = ev_u64(e, "stack_top");
		map_add(b, b->stack, a, a, "rw-", false, 0);
	} else if (!strcmp(n, "load_end")) {
		s->has_load_end = true;
		s->load_result = ev_s64(e, "result");
		s->load_ns = ev_u64(e, "load_ns");
	}
}

/* ------------------------------------------------------------------ */
/* Memory-map events                                                   */

static void mm_mmap(struct builder *b, struct report_mm *m,
		    const struct report_event *e)
{
	const char *file = ev_get(e, "file");
	uint64_t end;

	m->fd = (int)ev_s64(e, "fd");
	m->off = ev_u64(e, "off");
	m->file = trace_absent(file) ? NULL : ev_get(e, "file");
	snprintf(m->prot, sizeof(m->prot), "%s", ev_get(e, "prot"));
	m->flags = ev_get(e, "flags");
	if (!m->ok)
		return;
	end = m->result + page_up(m->len);
	carve(b, m->result, end, NULL);
	if (m->file) {
		m->object = object_find(b, ROBJ_LIB, m->file, NULL);
		if (m->object == REPORT_NONE)
			m->object = object_add(b, ROBJ_LIB, m->file, NULL);
	} else {
		m->object = object_get(b, ROBJ_ANON, NULL, NULL);
	}
	map_add(b, m->object, m->result, end, m->prot, m->file != NULL,
		m->off);
}

/* mprotect, munmap: the object whose mapping holds addr= before the call. */
static void mm_object_at(struct builder *b, struct report_mm *m)
{
	size_t obj, map;

	if (map_find(b->s, m->addr, b->now, &obj, &map))
		m->object = obj;
}

/* mremap: the old range's mappings move, offsets kept, to the new. */
static void mm_mremap(struct builder *b, struct report_mm *m,
		      const struct report_event *e)
{
	struct report_session *s = b->s;
	size_t obj, map;
	struct report_mapping old;

	m->new_len = ev_u64(e, "new_len");
	m->new_addr = ev_u64(e, "new_addr");
	m->flags = ev_get(e, "flags");
	if (!m->ok)
		return;
	if (!map_find(s, m->addr, b->now, &obj, &map)) {
		carve(b, m->addr, m->addr + page_up(m->len), NULL);
		return;
	}
	old = s->objects[obj].maps[map];
	m->object = obj;
	carve(b, m->addr, m->addr + page_up(m->len), NULL);
	carve(b, m->result, m->result + page_up(m->new_len), NULL);
	map_add(b, obj, m->result, m->result + page_up(m->new_len), old.prot,
		old.has_off, old.off + (m->addr - old.start));
}

/* brk: the heap is [its start, the break returned), page aligned. */
static void mm_brk(struct builder *b, struct report_mm *m)
{
	struct report_session *s = b->s;
	struct report_object *o;
	uint64_t start, old_end = 0, new_end;
	size_t i;

	if (b->heap == REPORT_NONE)
		return;
	o = &s->objects[b->heap];
	m->object = b->heap;
	if (!o->nmaps)
		return;
	start = o->maps[0].start;
	for (i = 0; i < o->nmaps; i++)
		if (map_live(&o->maps[i], b->now) && o->maps[i].end > old_end)
			old_end = o->maps[i].end;
	new_end = page_up(m->result);
	carve(b, start, old_end > new_end ? old_end : new_end, NULL);
	if (new_end > start)
		map_add(b, b->heap, start, new_end, "rw-", false, 0);
}

static void on_mm_event(struct builder *b, struct report_event *e)
{
	struct report_session *s = b->s;
	struct report_mm *m;
	uint64_t a;

	s->mm = xrealloc(s->mm, (s->nmm + 1) * sizeof(*s->mm));
	e->index = s->nmm;
	m = &s->mm[s->nmm++];
	memset(m, 0, sizeof(*m));
	m->event = b->now;
	m->tid = e->tid;
	m->rel_us = e->rel_us;
	m->fd = -1;
	m->flags = "";
	m->object = REPORT_NONE;
	if (!strcmp(e->name, "brk")) {
		m->kind = RMM_BRK;
		m->addr = ev_u64(e, "brk");
		m->ok = true;
		m->result = ev_u64(e, "result");
		mm_brk(b, m);
		return;
	}
	m->addr = ev_u64(e, "addr");
	m->len = ev_u64(e, ev_get(e, "old_len") ? "old_len" : "len");
	m->ok = !strcmp(e->name, "mprotect") || !strcmp(e->name, "munmap") ?
		ev_s64(e, "result") == 0 : result_is_addr(e, &a);
	if (m->ok)
		m->result = ev_get(e, "result")[0] == '0' &&
			    ev_get(e, "result")[1] == 'x' ?
			    ev_u64(e, "result") : 0;
	else
		m->error = ev_s64(e, "result");
	if (!strcmp(e->name, "mmap")) {
		m->kind = RMM_MMAP;
		mm_mmap(b, m, e);
	} else if (!strcmp(e->name, "mprotect")) {
		m->kind = RMM_MPROTECT;
		snprintf(m->prot, sizeof(m->prot), "%s", ev_get(e, "prot"));
		mm_object_at(b, m);
		if (m->ok)
			carve(b, page_down(m->addr), page_up(m->addr + m->len),
			      m->prot);
	} else if (!strcmp(e->name, "munmap")) {
		m->kind = RMM_MUNMAP;
		mm_object_at(b, m);
		if (m->ok)
			carve(b, page_down(m->addr), page_up(m->addr + m->len),
			      NULL);
	} else {
		m->kind = RMM_MREMAP;
		mm_mremap(b, m, e);
	}
}

/* ------------------------------------------------------------------ */
/* Faults                                                              */

static int name_index(const char *v, const char *const *names, int other)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(names[i], v))
			return i;
	return other;
}

static const char *const access_names[] = { "read", "write", "exec", NULL };
static const char *const result_names[] = {
	"minor", "major", "retry", "sigsegv", "sigbus", "oom", NULL
};
static const char *const cache_names[] = { "-", "hit", "miss", NULL };
static const char *const fault_obj_names[] = {
	"exe", "interp", "lib", "vdso", "vvar", "heap", "stack", "anon", NULL
};

/*
 * The object a fault's addr= lies in by the kernel's obj=, when no
 * mapping from the trace holds it: exe/interp/lib by their files, the
 * others by kind.
 */
static size_t fault_object(struct builder *b, const struct report_fault *f)
{
	enum report_obj_kind k = name_index(f->obj, fault_obj_names,
					    ROBJ_UNKNOWN);

	if (k == ROBJ_EXE)
		return load_object(b, 0);
	if (k == ROBJ_INTERP)
		return load_object(b, 1);
	if (k == ROBJ_LIB)
		return object_get(b, ROBJ_LIB, NULL, f->file ? f->file : "[lib]");
	return object_get(b, k, NULL, NULL);
}

static void place_addr(struct builder *b, struct report_fault *f)
{
	struct report_session *s = b->s;
	struct report_attr *a = &f->at_addr;
	const struct report_mapping *m;
	size_t obj, map;

	a->addr = f->addr;
	a->mapping = REPORT_NONE;
	if (map_find(s, f->addr, b->now, &obj, &map)) {
		a->object = obj;
		a->mapping = map;
	} else {
		a->object = fault_object(b, f);
	}
	m = a->mapping != REPORT_NONE ? &s->objects[obj].maps[map] : NULL;
	if (m && m->has_off) {
		a->has_file_off = true;
		a->file_off = m->off + (f->addr - m->start);
	} else if (!m && f->has_off) {
		/* The kernel's off= is the page's; add the page offset. */
		a->has_file_off = true;
		a->file_off = page_down(f->off) + (f->addr & 0xfff);
	}
	a->state = s->objects[a->object].kind > ROBJ_LIB ? RATTR_NOT_FILE :
		   RATTR_NO_FILE;
}

/* Place @addr in the mappings live now: its object, mapping, offset. */
static void place_point(struct builder *b, uint64_t addr,
			struct report_attr *a)
{
	const struct report_mapping *m;
	size_t obj, map;

	a->addr = addr;
	a->object = REPORT_NONE;
	a->mapping = REPORT_NONE;
	if (!map_find(b->s, addr, b->now, &obj, &map)) {
		a->state = RATTR_NO_OBJECT;
		return;
	}
	a->object = obj;
	a->mapping = map;
	m = &b->s->objects[obj].maps[map];
	if (m->has_off) {
		a->has_file_off = true;
		a->file_off = m->off + (addr - m->start);
	}
	a->state = b->s->objects[obj].kind > ROBJ_LIB ? RATTR_NOT_FILE :
		   RATTR_NO_FILE;
}

static void place_ip(struct builder *b, struct report_fault *f)
{
	if (!f->has_ip) {
		f->at_ip.object = REPORT_NONE;
		f->at_ip.mapping = REPORT_NONE;
		f->at_ip.state = RATTR_NONE;
		return;
	}
	place_point(b, f->ip, &f->at_ip);
}

/* Whether @page was seen before; remembers it (sorted insert). */
static bool page_seen(struct builder *b, uint64_t page)
{
	size_t lo = 0, hi = b->nseen, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (b->seen[mid] == page)
			return true;
		if (b->seen[mid] < page)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (b->nseen == b->cap_seen) {
		b->cap_seen = b->cap_seen ? b->cap_seen * 2 : 256;
		b->seen = xrealloc(b->seen, b->cap_seen * sizeof(*b->seen));
	}
	memmove(b->seen + lo + 1, b->seen + lo,
		(b->nseen - lo) * sizeof(*b->seen));
	b->seen[lo] = page;
	b->nseen++;
	return false;
}

static void count_fault(struct builder *b, struct report_fault *f)
{
	struct report_session *s = b->s;
	struct report_totals *t = &s->totals;
	struct report_object *o = &s->objects[f->at_addr.object];

	t->faults++;
	t->by_result[f->result]++;
	t->by_access[f->access]++;
	t->lat_ns += f->lat_ns;
	o->faults++;
	o->lat_ns += f->lat_ns;
	if (f->cache == RCACHE_HIT)
		t->cache_hit++;
	if (f->cache == RCACHE_MISS) {
		t->cache_miss++;
		o->cache_miss++;
		t->saved_faults++;
	}
	if (f->result == RRES_MAJOR)
		o->major++;
	if (f->cache == RCACHE_MISS || f->result == RRES_MAJOR)
		t->saved_lat_ns += f->lat_ns;
	if (!page_seen(b, page_down(f->addr))) {
		f->first_touch = true;
		t->pages++;
		if (s->ntouches == b->cap_touch) {
			b->cap_touch = b->cap_touch ? b->cap_touch * 2 : 256;
			s->touches = xrealloc(s->touches, b->cap_touch *
					      sizeof(*s->touches));
		}
		s->touches[s->ntouches++] = (struct report_touch){
			.page = page_down(f->addr), .fault = s->nfaults - 1,
		};
	}
}

static void on_fault(struct builder *b, struct report_event *e)
{
	struct report_session *s = b->s;
	struct report_fault *f;

	s->faults = xrealloc(s->faults, (s->nfaults + 1) * sizeof(*s->faults));
	e->index = s->nfaults;
	f = &s->faults[s->nfaults++];
	memset(f, 0, sizeof(*f));
	f->event = b->now;
	f->tid = e->tid;
	f->rel_us = e->rel_us;
	f->has_since = true;
	f->since_ns = ev_u64(e, "since");
	f->addr = ev_u64(e, "addr");
	f->has_ip = ev_has(e, "ip");
	f->ip = ev_u64(e, "ip");
	f->access_name = ev_get(e, "access");
	f->mode = ev_get(e, "mode");
	f->result_name = ev_get(e, "result");
	f->cache_name = ev_get(e, "cache");
	f->lock = ev_get(e, "lock");
	f->access = name_index(f->access_name, access_names, RACC_OTHER);
	f->result = name_index(f->result_name, result_names, RRES_OTHER);
	f->cache = name_index(f->cache_name, cache_names, RCACHE_OTHER);
	f->lat_ns = ev_u64(e, "lat");
	f->obj = ev_get(e, "obj");
	f->seg = (long)ev_s64(e, "seg");
	f->has_off = ev_has(e, "off");
	f->off = ev_u64(e, "off");
	f->file = ev_has(e, "file") ? ev_get(e, "file") : NULL;
	place_addr(b, f);
	place_ip(b, f);
	count_fault(b, f);
}

/* ------------------------------------------------------------------ */
/* Building                                                            */

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Parse and check the lines of session @id into s->events, sorted. */
static int read_events(struct report_session *s, unsigned long id,
		       char *const *lines, const size_t *line_nos, size_t n,
		       char *err, size_t errlen)
{
	const struct event_rule *rule;
	struct trace_event ev;
	char why[256];
	size_t i, no;
	char *copy;

	s->events = xrealloc(NULL, (n ? n : 1) * sizeof(*s->events));
	for (i = 0; i < n; i++) {
		no = line_nos ? line_nos[i] : i + 1;
		copy = xstrdup(lines[i]);
		if (trace_parse_line(copy, &ev) < 0) {
			free(copy);
			return fail(err, errlen, "line %zu: not a trace event",
				    no);
		}
		if (ev.session != id) {
			free(copy);
			continue;
		}
		rule = rule_of(ev.name);
		if (rule && !check_event(&ev, rule, why, sizeof(why))) {
			free(copy);
			return fail(err, errlen, "line %zu: %s", no, why);
		}
		memset(&s->events[s->nevents], 0, sizeof(*s->events));
		event_fill(&s->events[s->nevents++], &ev, rule, no);
		free(copy);
	}
	if (!s->nevents)
		return fail(err, errlen, "no events of session %lu", id);
	qsort(s->events, s->nevents, sizeof(*s->events), compare_events);
	return 0;
}

/* A decimal field, as minflt= and majflt= are; false if absent. */
static bool ev_count(const struct report_event *e, const char *key,
		     uint64_t *v)
{
	const char *s = ev_get(e, key);
	char *end;

	if (trace_absent(s) || *s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !*end && !errno;
}

static void set_result(struct report_event *e, const char *result)
{
	size_t i;

	for (i = 0; i < e->nfields; i++) {
		if (!strcmp(e->fields[i].key, "result")) {
			free(e->fields[i].value);
			e->fields[i].value = xstrdup(result);
		}
	}
}

/*
 * fault_capture=fast writes a fault as it starts, result=-: its task's
 * next page_fault or mm_exit gives the result (fault_result.h).  One
 * with no such event keeps result=-.
 */
static void resolve_fault_results(struct report_session *s)
{
	struct fault_waiting w = { 0 };
	struct fault_counts now;
	const char *result;
	size_t i, item;

	for (i = 0; i < s->nevents; i++) {
		struct report_event *e = &s->events[i];
		bool fault = !strcmp(e->name, "page_fault");

		if ((!fault && strcmp(e->name, "mm_exit")) ||
		    !ev_count(e, "minflt", &now.min) ||
		    !ev_count(e, "majflt", &now.maj))
			continue;
		if (fault_waiting_take(&w, e->tid, &now, &item, &result))
			set_result(&s->events[item], result);
		if (fault && trace_absent(ev_get(e, "result")))
			fault_waiting_put(&w, e->tid, i, &now);
	}
	fault_waiting_free(&w);
}

static void add_step(struct report_session *s, struct report_event *e,
		     size_t i)
{
	s->steps = xrealloc(s->steps, (s->nsteps + 1) * sizeof(*s->steps));
	e->index = s->nsteps;
	s->steps[s->nsteps++] = (struct report_step){
		.event = i, .name = e->name, .rel_us = e->rel_us,
	};
}

int report_session_build(struct report_session *s, unsigned long id,
			 char *const *lines, const size_t *line_nos, size_t n,
			 char *err, size_t errlen)
{
	struct builder b = {
		.s = s, .exe = REPORT_NONE, .interp = REPORT_NONE,
		.heap = REPORT_NONE, .stack = REPORT_NONE,
		.vdso = REPORT_NONE,
	};
	size_t i;

	memset(s, 0, sizeof(*s));
	s->id = id;
	s->entry_at.object = s->exe_entry_at.object = REPORT_NONE;
	s->main_at.object = REPORT_NONE;
	s->entry_at.mapping = s->exe_entry_at.mapping = REPORT_NONE;
	s->main_at.mapping = REPORT_NONE;
	if (read_events(s, id, lines, line_nos, n, err, errlen) < 0)
		return -1;
	resolve_fault_results(s);
	s->start_us = s->events[0].ts_us;
	s->end_us = s->events[s->nevents - 1].ts_us;
	s->comm = xstrdup(s->events[0].comm);
	for (i = 0; i < s->nevents; i++) {
		struct report_event *e = &s->events[i];

		b.now = i;
		e->rel_us = e->ts_us - s->start_us;
		switch (e->kind) {
		case REV_LOAD:
			add_step(s, e, i);
			on_load_event(&b, e);
			break;
		case REV_MM:
			on_mm_event(&b, e);
			break;
		case REV_FAULT:
			on_fault(&b, e);
			break;
		default:
			break;
		}
	}
	free(b.seen);
	return 0;
}

void report_session_free(struct report_session *s)
{
	size_t i, j;

	for (i = 0; i < s->nevents; i++) {
		for (j = 0; j < s->events[i].nfields; j++) {
			free(s->events[i].fields[j].key);
			free(s->events[i].fields[j].value);
		}
		free(s->events[i].fields);
		free(s->events[i].name);
		free(s->events[i].comm);
	}
	for (i = 0; i < s->nobjects; i++) {
		struct report_object *o = &s->objects[i];

		free(o->path);
		free(o->name);
		free(o->opened);
		free(o->debug_file);
		free(o->error);
		free(o->maps);
	}
	report_session_attr_free(s);
	free(s->events);
	free(s->steps);
	free(s->objects);
	for (i = 0; i < s->nmm; i++)
		free(s->mm[i].sections);
	free(s->mm);
	free(s->faults);
	free(s->touches);
	free(s->comm);
	free(s->file);
	free(s->interp);
	free(s->label);
	memset(s, 0, sizeof(*s));
}

void report_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->nsessions; i++)
		report_session_free(&r->sessions[i]);
	free(r->sessions);
	r->sessions = NULL;
	r->nsessions = 0;
}
