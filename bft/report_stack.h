/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report_stack.h - the initial stack of a session, laid out from its load
 * events (report_stack.c says how).
 */
#ifndef BFT_REPORT_STACK_H
#define BFT_REPORT_STACK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "report_model.h"

struct report_stack {
	uint64_t	argc, envc;
	uint64_t	stack_top;	/* load_stack stack_top= */
	uint64_t	strings;	/* load_stack p=: the argv strings */
	uint64_t	sp;		/* load_entry sp=: argc */
	uint64_t	argv, envp;	/* the pointer arrays */
	uint64_t	auxv, auxv_end;	/* the pairs, AT_NULL included */
	uint64_t	auxv_pairs;
	uint64_t	platform;	/* AT_PLATFORM, 0 if none */
	uint64_t	random;		/* AT_RANDOM, 0 if none */
	uint64_t	execfn;		/* AT_EXECFN, 0 if none */
	uint64_t	copied;		/* lowest of strings, platform, random */
	bool		has_at_null;
};

/* Fill @st from @s's events.  Returns 0, or -1 if they are not there. */
int report_stack_layout(const struct report_session *s,
			struct report_stack *st);

/* The "== initial stack" section of the text report. */
void report_stack_print(FILE *f, const struct report_session *s);

#endif /* BFT_REPORT_STACK_H */
