// SPDX-License-Identifier: GPL-2.0
/*
 * report_data.c - bft report --format json and --format csv, for programs:
 * JSON of schema bft-report/1 (docs/report-format.md,
 * docs/bft-report.schema.json) and CSV with one row per event.
 *
 * Addresses, offsets and sizes are strings "0x..." in JSON (a JSON number
 * is a double: 64-bit addresses would lose bits); counts, times and
 * nanoseconds are numbers.
 */
#define _GNU_SOURCE

#include <inttypes.h>
#include <string.h>

#include "report_model.h"
#include "report_stack.h"

/* ------------------------------------------------------------------ */
/* JSON                                                                */

static void json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\u%04x", *p);	/* bytes, as Latin-1 */
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void json_hex(FILE *f, uint64_t v)
{
	fprintf(f, "\"0x%" PRIx64 "\"", v);
}

static void json_opt_hex(FILE *f, bool has, uint64_t v)
{
	if (has)
		json_hex(f, v);
	else
		fputs("null", f);
}

static void json_index(FILE *f, size_t i)
{
	if (i == REPORT_NONE)
		fputs("null", f);
	else
		fprintf(f, "%zu", i);
}

static void json_key(FILE *f, const char *key, bool *first)
{
	fprintf(f, "%s\"%s\":", *first ? "" : ",", key);
	*first = false;
}

static void json_attr(FILE *f, const struct report_session *s,
		      const struct report_attr *a)
{
	bool first = true;

	fputc('{', f);
	json_key(f, "state", &first);
	json_str(f, report_attr_state_name(a->state));
	json_key(f, "object", &first);
	json_index(f, a->object);
	json_key(f, "object_name", &first);
	json_str(f, a->object == REPORT_NONE ? NULL :
		 s->objects[a->object].name);
	json_key(f, "vaddr", &first);
	json_opt_hex(f, a->has_vaddr, a->vaddr);
	json_key(f, "file_off", &first);
	json_opt_hex(f, a->has_file_off, a->file_off);
	json_key(f, "section", &first);
	json_str(f, a->section);
	json_key(f, "symbol", &first);
	json_str(f, a->symbol);
	json_key(f, "sym_off", &first);
	json_opt_hex(f, a->symbol != NULL, a->sym_off);
	json_key(f, "src_file", &first);
	json_str(f, a->src_file);
	json_key(f, "src_line", &first);
	if (a->src_line)
		fprintf(f, "%d", a->src_line);
	else
		fputs("null", f);
	fputc('}', f);
}

static void json_step(FILE *f, const struct report_session *s,
		      const struct report_step *st)
{
	const struct report_event *e = &s->events[st->event];
	size_t i;

	fprintf(f, "{\"event\":%zu,\"name\":", st->event);
	json_str(f, e->name);
	fprintf(f, ",\"rel_us\":%" PRIu64 ",\"tid\":%d,\"fields\":{",
		e->rel_us, e->tid);
	for (i = 0; i < e->nfields; i++) {
		if (i)
			fputc(',', f);
		json_str(f, e->fields[i].key);
		fputc(':', f);
		json_str(f, e->fields[i].value);
	}
	fputs("}}", f);
}

static void json_object(FILE *f, const struct report_object *o)
{
	size_t i;

	fputs("{\"kind\":", f);
	json_str(f, o->kind_name);
	fputs(",\"path\":", f);
	json_str(f, o->path);
	fputs(",\"name\":", f);
	json_str(f, o->name);
	fputs(",\"opened\":", f);
	json_str(f, o->opened);
	fputs(",\"bias\":", f);
	json_opt_hex(f, o->has_bias, o->bias);
	fputs(",\"symbols\":", f);
	json_str(f, o->symbols_name);
	fputs(",\"debug_file\":", f);
	json_str(f, o->debug_file);
	fputs(",\"build_id\":", f);
	json_str(f, o->build_id[0] ? o->build_id : NULL);
	fputs(",\"error\":", f);
	json_str(f, o->error);
	fprintf(f, ",\"faults\":%lu,\"major\":%lu,\"cache_miss\":%lu,"
		"\"lat_ns\":%" PRIu64 ",\"mappings\":[", o->faults, o->major,
		o->cache_miss, o->lat_ns);
	for (i = 0; i < o->nmaps; i++) {
		const struct report_mapping *m = &o->maps[i];

		fprintf(f, "%s{\"start\":", i ? "," : "");
		json_hex(f, m->start);
		fputs(",\"end\":", f);
		json_hex(f, m->end);
		fputs(",\"prot\":", f);
		json_str(f, m->prot);
		fputs(",\"off\":", f);
		json_opt_hex(f, m->has_off, m->off);
		fprintf(f, ",\"event\":%zu,\"end_event\":", m->event);
		json_index(f, m->end_event);
		fprintf(f, ",\"rel_us\":%" PRIu64 "}", m->rel_us);
	}
	fputs("]}", f);
}

static void json_mm(FILE *f, const struct report_mm *m)
{
	fprintf(f, "{\"event\":%zu,\"kind\":", m->event);
	json_str(f, report_mm_kind_name(m->kind));
	fprintf(f, ",\"tid\":%d,\"rel_us\":%" PRIu64 ",\"addr\":", m->tid,
		m->rel_us);
	json_hex(f, m->addr);
	fputs(",\"len\":", f);
	json_hex(f, m->len);
	fputs(",\"new_len\":", f);
	json_hex(f, m->new_len);
	fputs(",\"new_addr\":", f);
	json_hex(f, m->new_addr);
	fputs(",\"prot\":", f);
	json_str(f, m->prot);
	fputs(",\"flags\":", f);
	json_str(f, m->flags);
	fprintf(f, ",\"fd\":%d,\"file\":", m->fd);
	json_str(f, m->file);
	fputs(",\"off\":", f);
	json_hex(f, m->off);
	fprintf(f, ",\"ok\":%s,\"error\":%" PRId64 ",\"result\":",
		m->ok ? "true" : "false", m->error);
	json_hex(f, m->result);
	fputs(",\"object\":", f);
	json_index(f, m->object);
	fputs(",\"sections\":", f);
	json_str(f, m->sections);
	fputc('}', f);
}

static void json_fault(FILE *f, const struct report_session *s,
		       const struct report_fault *fa)
{
	fprintf(f, "{\"event\":%zu,\"tid\":%d,\"rel_us\":%" PRIu64
		",\"since_ns\":%" PRIu64 ",\"addr\":", fa->event, fa->tid,
		fa->rel_us, fa->since_ns);
	json_hex(f, fa->addr);
	fputs(",\"ip\":", f);
	json_opt_hex(f, fa->has_ip, fa->ip);
	fputs(",\"access\":", f);
	json_str(f, fa->access_name);
	fputs(",\"mode\":", f);
	json_str(f, fa->mode);
	fputs(",\"result\":", f);
	json_str(f, fa->result_name);
	fputs(",\"cache\":", f);
	json_str(f, fa->cache_name);
	fputs(",\"lock\":", f);
	json_str(f, fa->lock);
	fprintf(f, ",\"lat_ns\":%" PRIu64 ",\"obj\":", fa->lat_ns);
	json_str(f, fa->obj);
	fprintf(f, ",\"seg\":%ld,\"off\":", fa->seg);
	json_opt_hex(f, fa->has_off, fa->off);
	fputs(",\"file\":", f);
	json_str(f, fa->file);
	fprintf(f, ",\"first_touch\":%s,\"at_addr\":",
		fa->first_touch ? "true" : "false");
	json_attr(f, s, &fa->at_addr);
	fputs(",\"at_ip\":", f);
	json_attr(f, s, &fa->at_ip);
	fputc('}', f);
}

static void json_totals(FILE *f, const struct report_totals *t)
{
	fprintf(f, "{\"faults\":%lu,\"minor\":%lu,\"major\":%lu,\"retry\":%lu,"
		"\"sigsegv\":%lu,\"sigbus\":%lu,\"oom\":%lu,\"other\":%lu,"
		"\"read\":%lu,\"write\":%lu,\"exec\":%lu,"
		"\"cache_hit\":%lu,\"cache_miss\":%lu,\"pages\":%lu,"
		"\"lat_ns\":%" PRIu64 ",\"warm_saved_faults\":%lu,"
		"\"warm_saved_lat_ns\":%" PRIu64 "}",
		t->faults, t->by_result[RRES_MINOR], t->by_result[RRES_MAJOR],
		t->by_result[RRES_RETRY], t->by_result[RRES_SIGSEGV],
		t->by_result[RRES_SIGBUS], t->by_result[RRES_OOM],
		t->by_result[RRES_OTHER], t->by_access[RACC_READ],
		t->by_access[RACC_WRITE], t->by_access[RACC_EXEC],
		t->cache_hit, t->cache_miss, t->pages, t->lat_ns,
		t->saved_faults, t->saved_lat_ns);
}

#define JSON_ARRAY(f, key, n, ...) do {				\
	size_t i_;						\
	fputs(",\n  \"" key "\":[", f);				\
	for (i_ = 0; i_ < (n); i_++) {				\
		fputs(i_ ? ",\n   " : "\n   ", f);			\
		__VA_ARGS__;					\
	}							\
	fputs("]", f);						\
} while (0)

/* {"addr": "0x...", "at": attr} of an entry point. */
static void json_point(FILE *f, const struct report_session *s,
		       const struct report_attr *a)
{
	fputs("{\"addr\":", f);
	json_hex(f, a->addr);
	fputs(",\"at\":", f);
	json_attr(f, s, a);
	fputc('}', f);
}

/* "start": where execution starts, null without load_entry. */
static void json_start(FILE *f, const struct report_session *s)
{
	fputs(",\n  \"start\":", f);
	if (!s->has_entry) {
		fputs("null", f);
		return;
	}
	fputs("{\"entry\":", f);
	json_point(f, s, &s->entry_at);
	fputs(",\"exe_entry\":", f);
	json_point(f, s, &s->exe_entry_at);
	fputs(",\"main\":", f);
	if (s->main_at.state == RATTR_NONE)
		fputs("null", f);
	else
		json_point(f, s, &s->main_at);
	fputc('}', f);
}

/* "stack": the initial stack's layout (report_stack.h), or null. */
static void json_stack(FILE *f, const struct report_session *s)
{
	static const char *const keys[] = {
		"stack_top", "strings", "execfn", "platform", "random",
		"auxv_end", "auxv", "envp", "argv", "sp",
	};
	struct report_stack st;
	uint64_t v[sizeof(keys) / sizeof(keys[0])];
	size_t i;

	fputs(",\n  \"stack\":", f);
	if (report_stack_layout(s, &st)) {
		fputs("null", f);
		return;
	}
	v[0] = st.stack_top; v[1] = st.strings; v[2] = st.execfn;
	v[3] = st.platform; v[4] = st.random; v[5] = st.auxv_end;
	v[6] = st.auxv; v[7] = st.envp; v[8] = st.argv; v[9] = st.sp;
	fprintf(f, "{\"argc\":%" PRIu64 ",\"envc\":%" PRIu64
		",\"auxv_pairs\":%" PRIu64, st.argc, st.envc, st.auxv_pairs);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		fprintf(f, ",\"%s\":", keys[i]);
		json_opt_hex(f, v[i] != 0, v[i]);
	}
	fputc('}', f);
}

static void json_session(FILE *f, const struct report_session *s)
{
	fprintf(f, "{\"id\":%lu,\"pid\":", s->id);
	if (s->has_pid)
		fprintf(f, "%ld", s->pid);
	else
		fputs("null", f);
	fputs(",\"comm\":", f);
	json_str(f, s->comm);
	fputs(",\"file\":", f);
	json_str(f, s->file);
	fputs(",\"interp\":", f);
	json_str(f, s->interp);
	fputs(",\"label\":", f);
	json_str(f, s->label);
	fprintf(f, ",\"start_us\":%" PRIu64 ",\"end_us\":%" PRIu64
		",\"load\":", s->start_us, s->end_us);
	if (s->has_load_end)
		fprintf(f, "{\"result\":%" PRId64 ",\"load_ns\":%" PRIu64 "}",
			s->load_result, s->load_ns);
	else
		fputs("null", f);
	fprintf(f, ",\"events\":%zu", s->nevents);
	json_start(f, s);
	json_stack(f, s);
	JSON_ARRAY(f, "steps", s->nsteps, json_step(f, s, &s->steps[i_]));
	JSON_ARRAY(f, "objects", s->nobjects, json_object(f, &s->objects[i_]));
	JSON_ARRAY(f, "mm", s->nmm, json_mm(f, &s->mm[i_]));
	JSON_ARRAY(f, "faults", s->nfaults, json_fault(f, s, &s->faults[i_]));
	JSON_ARRAY(f, "touches", s->ntouches,
		   fputs("{\"page\":", f); json_hex(f, s->touches[i_].page);
		   fprintf(f, ",\"fault\":%zu}", s->touches[i_].fault));
	fputs(",\n  \"totals\":", f);
	json_totals(f, &s->totals);
	fputs("}", f);
}

int report_write_json(FILE *f, const struct report *r)
{
	size_t i;

	fputs("{\"schema\":\"" REPORT_SCHEMA "\",\"trace\":", f);
	json_str(f, r->trace_path);
	fputs(",\"root\":", f);
	json_str(f, r->root);
	fputs(",\"sessions\":[", f);
	for (i = 0; i < r->nsessions; i++) {
		fputs(i ? ",\n " : "\n ", f);
		json_session(f, &r->sessions[i]);
	}
	fputs("]}\n", f);
	return 0;
}

/* ------------------------------------------------------------------ */
/* CSV                                                                 */

static void csv_str(FILE *f, const char *s)
{
	if (!s)
		return;
	if (!s[strcspn(s, ",\"\n\r")]) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void csv_attr(FILE *f, const struct report_session *s,
		     const struct report_attr *a)
{
	fprintf(f, ",%s,", report_attr_state_name(a->state));
	if (a->object != REPORT_NONE)
		csv_str(f, s->objects[a->object].name);
	fputc(',', f);
	csv_str(f, a->section);
	fputc(',', f);
	csv_str(f, a->symbol);
	fputc(',', f);
	if (a->symbol)
		fprintf(f, "0x%" PRIx64, a->sym_off);
	fputc(',', f);
	if (a->has_file_off)
		fprintf(f, "0x%" PRIx64, a->file_off);
}

static const struct report_attr no_attr = {
	.state = RATTR_NONE, .object = REPORT_NONE,
};

static void csv_event(FILE *f, const struct report_session *s, size_t i)
{
	const struct report_event *e = &s->events[i];
	const struct report_fault *fa = e->kind == REV_FAULT ?
					&s->faults[e->index] : NULL;
	size_t j;

	fprintf(f, "%lu,%zu,%" PRIu64 ",%" PRIu64 ",%d,%u,", s->id, i,
		e->ts_us, e->rel_us, e->tid, e->cpu);
	csv_str(f, e->name);
	csv_attr(f, s, fa ? &fa->at_addr : &no_attr);
	csv_attr(f, s, fa ? &fa->at_ip : &no_attr);
	fputc(',', f);
	/* The fields as the trace has them, for anything else. */
	fputc('"', f);
	for (j = 0; j < e->nfields; j++) {
		const char *v = e->fields[j].value;

		fprintf(f, "%s%s=", j ? " " : "", e->fields[j].key);
		for (; *v; v++) {
			if ((unsigned char)*v < 0x21 ||
			    (unsigned char)*v > 0x7e || *v == '\\' ||
			    *v == '=' || *v == '"' || *v == ',')
				fprintf(f, "\\x%02x", (unsigned char)*v);
			else
				fputc(*v, f);
		}
	}
	fputs("\"\n", f);
}

int report_write_csv(FILE *f, const struct report *r)
{
	size_t i, k;

	fputs("session,index,ts_us,rel_us,tid,cpu,event,"
	      "addr_state,addr_object,addr_section,addr_symbol,addr_sym_off,"
	      "addr_file_off,"
	      "ip_state,ip_object,ip_section,ip_symbol,ip_sym_off,ip_file_off,"
	      "fields\n", f);
	for (k = 0; k < r->nsessions; k++)
		for (i = 0; i < r->sessions[k].nevents; i++)
			csv_event(f, &r->sessions[k], i);
	return 0;
}
