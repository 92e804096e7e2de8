// SPDX-License-Identifier: GPL-2.0
/*
 * fault_result.c - results of the fast capture's page_fault events, from
 * the task's fault counts (fault_result.h).
 */
#include <stdlib.h>
#include <string.h>

#include "bft.h"
#include "fault_result.h"

const char *fault_result_between(const struct fault_counts *at,
				 const struct fault_counts *next)
{
	if (next->maj > at->maj)
		return "major";
	if (next->min > at->min)
		return "minor";
	return "error";
}

static struct fault_wait *wait_of(struct fault_waiting *w, int tid)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->v[i].tid == tid)
			return &w->v[i];
	return NULL;
}

bool fault_waiting_take(struct fault_waiting *w, int tid,
			const struct fault_counts *now, size_t *item,
			const char **result)
{
	struct fault_wait *f = wait_of(w, tid);

	if (!f)
		return false;
	*item = f->item;
	*result = fault_result_between(&f->at, now);
	*f = w->v[--w->n];
	return true;
}

void fault_waiting_put(struct fault_waiting *w, int tid, size_t item,
		       const struct fault_counts *at)
{
	struct fault_wait *f = wait_of(w, tid);

	if (!f) {
		if (w->n == w->cap) {
			w->cap = w->cap ? 2 * w->cap : 16;
			w->v = xrealloc(w->v, w->cap * sizeof(*w->v));
		}
		f = &w->v[w->n++];
	}
	*f = (struct fault_wait){ .tid = tid, .item = item, .at = *at };
}

void fault_waiting_free(struct fault_waiting *w)
{
	free(w->v);
	memset(w, 0, sizeof(*w));
}
