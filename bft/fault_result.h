/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fault_result.h - the result of a page_fault event written by the fast
 * capture (fault_capture=fast), which writes a fault as it starts, with
 * result=- and the task's fault counts then (minflt=, majflt=).  The same
 * task's counts at its next page_fault, or at the mm_exit it writes, tell
 * what the kernel counted in between: docs/trace-format.md.
 */
#ifndef BFT_FAULT_RESULT_H
#define BFT_FAULT_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fault_counts {
	uint64_t	min;
	uint64_t	maj;
};

/*
 * "major" when a major fault was counted between @at and @next, else
 * "minor" when a minor one was, else "error": the fault was not counted
 * (refused before handle_mm_fault(), or it failed).
 */
const char *fault_result_between(const struct fault_counts *at,
				 const struct fault_counts *next);

/* The faults of each task still waiting for their result. */
struct fault_waiting {
	struct fault_wait {
		int			tid;
		size_t			item;	/* the caller's index */
		struct fault_counts	at;
	} *v;
	size_t	n;
	size_t	cap;
};

/*
 * Resolve the fault @tid has waiting, if any, with its counts @now: true
 * with its @item and @result.  The wait is removed.
 */
bool fault_waiting_take(struct fault_waiting *w, int tid,
			const struct fault_counts *now, size_t *item,
			const char **result);

/* @item of @tid now waits, with its counts @at. */
void fault_waiting_put(struct fault_waiting *w, int tid, size_t item,
		       const struct fault_counts *at);

void fault_waiting_free(struct fault_waiting *w);

#endif /* BFT_FAULT_RESULT_H */
