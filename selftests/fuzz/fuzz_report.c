// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_report - libFuzzer harness for bft report's trace reader: the
 * input is a trace (lines); every session in it is built into the model
 * (report_model.c) and written as text, JSON, CSV, perfetto and SVG to
 * /dev/null.  No ELF file is read (the paths of a fuzzed trace name
 * nothing here).
 *
 * Properties: building never crashes; a model built has as many events
 * as lines of its session, faults and steps that index their events,
 * and touches that index first-touch faults.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_model.h"
#include "trace_parse.h"

#define CHECK(cond)	do { if (!(cond)) abort(); } while (0)
#define MAX_LINES	4096

static FILE *null_out;

/* bft.c's, which this harness does not link. */
void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		abort();
	return p;
}

char *xstrdup(const char *s)
{
	return strcpy(xrealloc(NULL, strlen(s) + 1), s);
}

static void check_model(const struct report_session *s)
{
	size_t i;

	for (i = 0; i < s->nfaults; i++) {
		CHECK(s->faults[i].event < s->nevents);
		CHECK(s->events[s->faults[i].event].kind == REV_FAULT);
		CHECK(s->faults[i].at_addr.object < s->nobjects);
	}
	for (i = 0; i < s->nsteps; i++)
		CHECK(s->events[s->steps[i].event].kind == REV_LOAD);
	for (i = 0; i < s->ntouches; i++)
		CHECK(s->faults[s->touches[i].fault].first_touch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *line, *save = NULL;
	char *lines[MAX_LINES], err[256];
	unsigned long ids[8];
	size_t n = 0, nids = 0, i, k;
	struct trace_event ev;
	struct report r = { .trace_path = "fuzz" };

	if (!null_out)
		null_out = fopen("/dev/null", "w");
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = strtok_r(text, "\n", &save); line && n < MAX_LINES;
	     line = strtok_r(NULL, "\n", &save)) {
		char *copy = strdup(line);

		if (trace_parse_line(copy, &ev) == 0 && ev.session) {
			lines[n++] = line;
			for (k = 0; k < nids && ids[k] != ev.session; k++)
				;
			if (k == nids && nids < 8)
				ids[nids++] = ev.session;
		}
		free(copy);
	}
	r.sessions = calloc(nids ? nids : 1, sizeof(*r.sessions));
	for (i = 0; i < nids; i++) {
		if (report_session_build(&r.sessions[r.nsessions], ids[i],
					 lines, NULL, n, err, sizeof(err)) < 0) {
			report_session_free(&r.sessions[r.nsessions]);
			continue;
		}
		check_model(&r.sessions[r.nsessions++]);
	}
	report_write_text(null_out, &r);
	report_write_json(null_out, &r);
	report_write_csv(null_out, &r);
	report_write_perfetto(null_out, &r);
	report_write_svg(null_out, &r);
	report_free(&r);
	free(text);
	return 0;
}
