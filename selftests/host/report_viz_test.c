// SPDX-License-Identifier: GPL-2.0
/*
 * report_viz_test.c - a bft report model built by hand, for the perfetto
 * and svg writers' tests (test_report_viz.sh) until the model builder
 * reads the fixtures of selftests/fixtures/.
 *
 *   report_viz_test PERFETTO-OUT SVG-OUT FACTS-OUT
 *
 * Writes the model with report_write_perfetto() and report_write_svg(),
 * and FACTS-OUT: what the model holds (JSON), which the checks compare
 * the two outputs with.  Session 1 is a glibc program with a library,
 * heap, stack, vdso, a forked child, mm events, major faults and cache
 * misses; session 2 a load that failed at its first step (no fault);
 * session 3 has no event at all.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bft/report_model.h"

#define GROW(arr, n)	((arr) = realloc((arr), ((n) + 1) * sizeof(*(arr))))

static struct report_session *S;

/* An event "k=v k=v ..." of @kind at @ts_us. */
static size_t ev(enum report_event_kind kind, const char *name, int tid,
		 uint64_t ts_us, const char *fields)
{
	struct report_event *e;
	char *dup = strdup(fields), *tok, *save = NULL, *eq;

	GROW(S->events, S->nevents);
	e = &S->events[S->nevents];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->name = strdup(name);
	e->comm = strdup(tid == 4243 ? "worker" : "hello.bft");
	e->tid = tid;
	e->ts_us = ts_us;
	e->rel_us = ts_us - S->start_us;
	e->line_no = S->nevents + 12;
	e->index = REPORT_NONE;
	for (tok = strtok_r(dup, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		GROW(e->fields, e->nfields);
		eq = strchr(tok, '=');
		*eq = 0;
		e->fields[e->nfields].key = strdup(tok);
		e->fields[e->nfields].value = strdup(eq + 1);
		e->nfields++;
	}
	free(dup);
	S->end_us = ts_us;
	return S->nevents++;
}

static void step(const char *name, int tid, uint64_t ts_us, const char *fields)
{
	size_t e = ev(REV_LOAD, name, tid, ts_us, fields);

	GROW(S->steps, S->nsteps);
	S->steps[S->nsteps] = (struct report_step){
		.event = e, .name = S->events[e].name,
		.rel_us = S->events[e].rel_us };
	S->events[e].index = S->nsteps++;
}

static size_t object(enum report_obj_kind kind, const char *kind_name,
		     const char *path, const char *name)
{
	struct report_object *o;

	GROW(S->objects, S->nobjects);
	o = &S->objects[S->nobjects];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->kind_name = kind_name;
	o->path = path ? strdup(path) : NULL;
	o->name = strdup(name);
	o->symbols = path ? RSYM_SYMTAB : RSYM_NOT_FILE;
	o->symbols_name = path ? "symtab" : "not a file";
	return S->nobjects++;
}

static void mapping(size_t obj, uint64_t start, uint64_t end,
		    const char *prot, bool has_off, uint64_t off, size_t event)
{
	struct report_object *o = &S->objects[obj];
	struct report_mapping *m;

	GROW(o->maps, o->nmaps);
	m = &o->maps[o->nmaps++];
	memset(m, 0, sizeof(*m));
	m->start = start;
	m->end = end;
	snprintf(m->prot, sizeof(m->prot), "%s", prot);
	m->has_off = has_off;
	m->off = off;
	m->path = o->path;
	m->event = event;
	m->end_event = REPORT_NONE;
	m->rel_us = S->events[event].rel_us;
}

static void mm(enum report_mm_kind kind, const char *name, int tid,
	       uint64_t ts_us, const char *fields, size_t obj)
{
	size_t e = ev(REV_MM, name, tid, ts_us, fields);
	struct report_mm *m;

	GROW(S->mm, S->nmm);
	m = &S->mm[S->nmm];
	memset(m, 0, sizeof(*m));
	m->event = e;
	m->kind = kind;
	m->tid = tid;
	m->rel_us = S->events[e].rel_us;
	m->flags = "";
	m->fd = -1;
	m->ok = true;
	m->object = obj;
	S->events[e].index = S->nmm++;
}

static const char *res_names[] = {
	"minor", "major", "retry", "sigsegv", "sigbus", "oom", "?" };

/*
 * A fault of @tid at @addr, since= @since_ns, attributed to @obj
 * (REPORT_NONE: none) mapping @map, symbol @sym (NULL: none).
 */
static void fault(int tid, uint64_t since_ns, uint64_t addr, uint64_t ip,
		  enum report_result res, enum report_cache cache,
		  size_t obj, size_t map, const char *sym, const char *section)
{
	static const char *cache_names[] = { "-", "hit", "miss", "?" };
	struct report_fault *f;
	uint64_t ts = S->start_us + (since_ns + 30000) / 1000;
	char fields[512];
	size_t e, i;

	snprintf(fields, sizeof(fields),
		 "since=%" PRIu64 " addr=0x%" PRIx64 " ip=0x%" PRIx64
		 " access=read mode=user obj=%s seg=-1 off=- file=- result=%s lock=mmap cache=%s lat=30000",
		 since_ns, addr, ip,
		 obj == REPORT_NONE ? "anon" : S->objects[obj].kind_name,
		 res_names[res], cache_names[cache]);
	e = ev(REV_FAULT, "page_fault", tid, ts, fields);
	GROW(S->faults, S->nfaults);
	f = &S->faults[S->nfaults];
	memset(f, 0, sizeof(*f));
	f->event = e;
	f->tid = tid;
	f->rel_us = S->events[e].rel_us;
	f->has_since = true;
	f->since_ns = since_ns;
	f->addr = addr;
	f->has_ip = true;
	f->ip = ip;
	f->access = RACC_READ;
	f->access_name = "read";
	f->mode = "user";
	f->result = res;
	f->result_name = res_names[res];
	f->cache = cache;
	f->cache_name = cache_names[cache];
	f->lock = "mmap";
	f->lat_ns = 30000;
	f->obj = obj == REPORT_NONE ? "anon" : S->objects[obj].kind_name;
	f->seg = -1;
	f->at_addr.addr = addr;
	f->at_addr.object = obj;
	f->at_addr.mapping = map;
	f->at_addr.state = obj == REPORT_NONE ? RATTR_NO_OBJECT :
			   sym ? RATTR_SYMBOL : RATTR_NO_SYMBOL;
	f->at_addr.section = section;
	f->at_addr.symbol = sym;
	f->at_addr.sym_off = sym ? addr & 0xff : 0;
	f->at_ip.state = RATTR_NONE;
	f->at_ip.object = REPORT_NONE;
	f->at_ip.mapping = REPORT_NONE;
	f->first_touch = true;
	for (i = 0; i < S->nfaults; i++)
		if ((S->faults[i].addr & ~0xfffULL) == (addr & ~0xfffULL))
			f->first_touch = false;
	S->events[e].index = S->nfaults;
	S->totals.faults++;
	S->totals.by_result[res]++;
	S->totals.cache_miss += cache == RCACHE_MISS;
	S->totals.pages += f->first_touch;
	S->nfaults++;
	if (f->first_touch) {
		GROW(S->touches, S->ntouches);
		S->touches[S->ntouches++] = (struct report_touch){
			.page = addr & ~0xfffULL, .fault = S->nfaults - 1 };
	}
}

static void session_hello(struct report_session *s)
{
	size_t exe, interp, libc, libm, heap, stack, vdso, anon, i;

	S = s;
	s->id = 1;
	s->has_pid = true;
	s->pid = 4242;
	s->comm = strdup("hello.bft");
	/* a path with a quote, a control byte, a non-UTF-8 byte, and XML's */
	s->file = strdup("/tmp/we\"ird\x01\xff<&>\xc3\xa9.bft");
	s->interp = strdup("/lib64/ld-linux-x86-64.so.2");
	s->label = strdup("my demo");
	s->start_us = 1234500000;

	step("load_start", 4242, 1234500000,
	     "pid=4242 file=/tmp/we\"ird\x01\xff<&>\xc3\xa9.bft interp=/lib64/ld-linux-x86-64.so.2 label=my\\x20demo");
	step("load_phdr", 4242, 1234500003, "obj=exe index=0 type=PHDR");
	step("load_stack", 4242, 1234500040, "stack_top=0x7ffd2a1c4000 result=0");
	exe = object(ROBJ_EXE, "exe", s->file, "we\"ird\x01\xff<&>\xc3\xa9.bft");
	step("load_map", 4242, 1234500052,
	     "obj=exe seg=2 addr=0x555555554000 len=0x1000 prot=r-- result=0x555555554000");
	mapping(exe, 0x555555554000, 0x555555555000, "r--", true, 0, s->nevents - 1);
	step("load_map", 4242, 1234500055,
	     "obj=exe seg=3 addr=0x555555555000 len=0x1000 prot=r-x result=0x555555555000");
	mapping(exe, 0x555555555000, 0x555555556000, "r-x", true, 0x1000, s->nevents - 1);
	step("load_map", 4242, 1234500057,
	     "obj=exe seg=4 addr=0x555555557000 len=0x2000 prot=rw- result=0x555555557000");
	mapping(exe, 0x555555557000, 0x555555559000, "rw-", true, 0x2000, s->nevents - 1);
	interp = object(ROBJ_INTERP, "interp", s->interp, "ld-linux-x86-64.so.2");
	step("load_map", 4242, 1234500071,
	     "obj=interp seg=1 addr=0x7ffff7fc4000 len=0x26000 prot=r-x result=0x7ffff7fc4000");
	mapping(interp, 0x7ffff7fc4000, 0x7ffff7fea000, "r-x", true, 0x1000, s->nevents - 1);
	vdso = object(ROBJ_VDSO, "vdso", NULL, "[vdso]");
	step("load_vdso", 4242, 1234500080, "vdso=0x7ffff7fc1000 result=0");
	mapping(vdso, 0x7ffff7fc1000, 0x7ffff7fc3000, "r-x", false, 0, s->nevents - 1);
	stack = object(ROBJ_STACK, "stack", NULL, "[stack]");
	mapping(stack, 0x7ffd2a1c4000, 0x7ffd2a1c4000, "rw-", false, 0, 2);
	heap = object(ROBJ_HEAP, "heap", NULL, "[heap]");
	step("load_brk", 4242, 1234500090, "brk=0x555555559000");
	mapping(heap, 0x555555559000, 0x55555557a000, "rw-", false, 0, s->nevents - 1);
	step("load_end", 4242, 1234500100, "result=0 load_ns=100000");
	s->has_load_end = true;
	s->load_result = 0;
	s->load_ns = 100000;

	fault(4242, 60000, 0x555555557010, 0x7ffff7fc5000, RRES_MINOR,
	      RCACHE_NONE, exe, 2, "environ", ".data");
	fault(4242, 110000, 0x7ffd2a1c3ff8, 0x7ffff7fc5010, RRES_MINOR,
	      RCACHE_NONE, stack, 0, NULL, NULL);
	fault(4242, 150000, 0x555555555040, 0x555555555040, RRES_MINOR,
	      RCACHE_HIT, exe, 1, "main", ".text");
	libc = object(ROBJ_LIB, "lib", "/lib/x86_64-linux-gnu/libc.so.6",
		      "libc.so.6");
	mm(RMM_MMAP, "mmap", 4242, 1234500170,
	   "addr=0x0 len=0x1c0000 prot=r-x flags=PRIVATE|DENYWRITE fd=3 file=/lib/x86_64-linux-gnu/libc.so.6 off=0x28000 result=0x7ffff7d80000",
	   libc);
	/* 448 pages: 4 pages a cell */
	mapping(libc, 0x7ffff7d80000, 0x7ffff7f40000, "r-x", true, 0x28000, s->nevents - 1);
	mm(RMM_MPROTECT, "mprotect", 4242, 1234500180,
	   "addr=0x7ffff7f40000 len=0x4000 prot=r-- result=0", libc);
	for (i = 0; i < 6; i++) {
		uint64_t a = 0x7ffff7d80000 + i * 0x9000 + 0x18;

		fault(4242, 200000 + i * 40000, a, a, RRES_RETRY, RCACHE_MISS,
		      libc, 0, "printf", ".text");
		fault(4242, 210000 + i * 40000, a, a, RRES_MAJOR, RCACHE_NONE,
		      libc, 0, "printf", ".text");
	}
	anon = object(ROBJ_ANON, "anon", NULL, "[anon]");
	mm(RMM_MMAP, "mmap", 4243, 1234500500,
	   "addr=0x0 len=0x40000000 prot=rw- flags=PRIVATE|ANONYMOUS fd=-1 file=- off=0x0 result=0x7fffb7d00000",
	   anon);
	/* 1 GiB: 2048 pages a cell */
	mapping(anon, 0x7fffb7d00000, 0x7ffff7d00000, "rw-", false, 0, s->nevents - 1);
	fault(4243, 600000, 0x7fffb7d00100, 0x555555555100, RRES_MINOR,
	      RCACHE_NONE, anon, 0, NULL, NULL);
	fault(4243, 610000, 0x7fffc7d00100, 0x555555555100, RRES_MINOR,
	      RCACHE_NONE, anon, 0, NULL, NULL);
	fault(4242, 620000, 0x555555559010, 0x555555555200, RRES_MINOR,
	      RCACHE_NONE, heap, 0, NULL, NULL);
	fault(4242, 630000, 0x7ffd2a1c2ff0, 0x555555555300, RRES_MINOR,
	      RCACHE_NONE, stack, 0, NULL, NULL);
	fault(4242, 640000, 0x7ffff7fc1020, 0x555555555300, RRES_RETRY,
	      RCACHE_NONE, vdso, 0, NULL, NULL);
	fault(4242, 650000, 0x7ffff7fc1020, 0x555555555300, RRES_MINOR,
	      RCACHE_NONE, vdso, 0, NULL, NULL);
	/* one fault in no object */
	fault(4242, 660000, 0x10000, 0x555555555300, RRES_MINOR,
	      RCACHE_NONE, REPORT_NONE, REPORT_NONE, NULL, NULL);
	/* a library with no mmap event: two runs of pages, 100 pages apart */
	libm = object(ROBJ_LIB, "lib", NULL, "libm.so.6");
	fault(4242, 661000, 0x7ffff7a00010, 0x555555555300, RRES_MINOR,
	      RCACHE_NONE, libm, REPORT_NONE, "cos", ".text");
	fault(4242, 662000, 0x7ffff7a03010, 0x555555555300, RRES_MINOR,
	      RCACHE_NONE, libm, REPORT_NONE, "sin", ".text");
	fault(4242, 663000, 0x7ffff7a67010, 0x555555555300, RRES_MINOR,
	      RCACHE_NONE, libm, REPORT_NONE, NULL, ".rodata");
	ev(REV_PROCESS, "fork", 4242, 1234500700, "child=4250");
	fault(4250, 700000, 0x7ffd2a1c3ff0, 0x555555555400, RRES_MINOR,
	      RCACHE_NONE, stack, 0, NULL, NULL);
	ev(REV_PROCESS, "mm_exit", 4250, 1234500800, "mms_left=1");
	ev(REV_PROCESS, "mm_exit", 4242, 1234500900, "mms_left=0");
}

/* A load that failed at its first step: no mapping, no fault. */
static void session_failed(struct report_session *s)
{
	S = s;
	s->id = 2;
	s->has_pid = true;
	s->pid = 4300;
	s->comm = strdup("bad.bft");
	s->file = strdup("/tmp/bad.bft");
	s->start_us = 1234600000;
	step("load_start", 4300, 1234600000, "pid=4300 file=/tmp/bad.bft");
	step("load_error", 4300, 1234600010, "step=map_load_segments error=-12");
	step("load_end", 4300, 1234600012, "result=-12 load_ns=12000");
	s->has_load_end = true;
	s->load_result = -12;
	s->load_ns = 12000;
}

static void facts(FILE *f, const struct report *r)
{
	size_t i, k, m;

	fputs("{\"sessions\":[", f);
	for (i = 0; i < r->nsessions; i++) {
		const struct report_session *s = &r->sessions[i];

		fprintf(f, "%s{\"id\":%lu,\"pid\":%ld,\"start_us\":%" PRIu64 ",\"steps\":[",
			i ? "," : "", s->id, s->pid, s->start_us);
		for (k = 0; k < s->nsteps; k++)
			fprintf(f, "%s{\"name\":\"%s\",\"rel_us\":%" PRIu64 ",\"tid\":%d}",
				k ? "," : "", s->steps[k].name, s->steps[k].rel_us,
				s->events[s->steps[k].event].tid);
		fputs("],\"faults\":[", f);
		for (k = 0; k < s->nfaults; k++) {
			const struct report_fault *ft = &s->faults[k];

			fprintf(f, "%s{\"tid\":%d,\"rel_us\":%" PRIu64 ",\"lat_ns\":%" PRIu64
				",\"since_ns\":%" PRIu64 ",\"addr\":%" PRIu64
				",\"result\":\"%s\",\"cache\":\"%s\",\"first_touch\":%s,\"object\":%ld,\"event\":%zu}",
				k ? "," : "", ft->tid, ft->rel_us, ft->lat_ns,
				ft->since_ns, ft->addr,
				ft->result_name, ft->cache_name,
				ft->first_touch ? "true" : "false",
				ft->at_addr.object == REPORT_NONE ? -1L :
				(long)ft->at_addr.object, ft->event);
		}
		fputs("],\"mm\":", f);
		fprintf(f, "%zu,\"events\":%zu,\"objects\":%zu,\"maps\":[",
			s->nmm, s->nevents, s->nobjects);
		for (k = 0; k < s->nobjects; k++)
			for (m = 0; m < s->objects[k].nmaps; m++)
				fprintf(f, "%s{\"object\":%zu,\"start\":%" PRIu64 ",\"end\":%" PRIu64 ",\"event\":%zu,\"end_event\":%ld}",
					k || m ? "," : "", k, s->objects[k].maps[m].start,
					s->objects[k].maps[m].end,
					s->objects[k].maps[m].event,
					s->objects[k].maps[m].end_event == REPORT_NONE ?
					-1L : (long)s->objects[k].maps[m].end_event);
		fputs("]}", f);
	}
	fputs("]}\n", f);
}

int main(int argc, char **argv)
{
	struct report r = { .trace_path = "hand-made \"model\"" };
	FILE *f;
	int ret = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: report_viz_test PERFETTO SVG FACTS\n");
		return 2;
	}
	r.nsessions = 3;
	r.sessions = calloc(3, sizeof(*r.sessions));
	session_hello(&r.sessions[0]);
	session_failed(&r.sessions[1]);
	r.sessions[2].id = 3;
	r.sessions[2].comm = strdup("empty");
	f = fopen(argv[1], "wb");
	ret |= !f || report_write_perfetto(f, &r) || fclose(f);
	f = fopen(argv[2], "wb");
	ret |= !f || report_write_svg(f, &r) || fclose(f);
	f = fopen(argv[3], "w");
	if (f) {
		facts(f, &r);
		ret |= fclose(f);
	}
	return ret || !f;
}
