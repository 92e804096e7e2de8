// SPDX-License-Identifier: GPL-2.0
/*
 * report_stack.c - the initial stack of a traced exec, as create_elf_tables()
 * laid it out, drawn from the trace's own load events:
 *
 *   load_start   argc= envc=
 *   load_stack   stack_top= p= (the argv strings start at p)
 *   load_auxv    every pair put on the stack, AT_NULL last
 *   load_entry   sp= (where argc is, the stack pointer at the first
 *                instruction)
 *
 * From the top down (x86_64, the stack grows down): an 8-byte end marker,
 * the file name exec was given (AT_EXECFN points at it), the argv and envp
 * strings from p up, then below them what create_elf_tables() copies:
 * the platform string (AT_PLATFORM) and 16 random bytes (AT_RANDOM), then
 * padding to 16 bytes, the auxv pairs, envp and argv pointer arrays (each
 * ended by NULL) and argc at sp.  Nothing is read from the process: every
 * address is one the trace gave, or sp plus the sizes of the arrays.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report_model.h"
#include "report_stack.h"

#define AT_NULL_ID	0
#define AT_PLATFORM_ID	15
#define AT_RANDOM_ID	25
#define AT_EXECFN_ID	31

/* The value of @key in @ev, or NULL. */
static const char *ev_get(const struct report_event *ev, const char *key)
{
	size_t i;

	for (i = 0; i < ev->nfields; i++)
		if (!strcmp(ev->fields[i].key, key))
			return ev->fields[i].value;
	return NULL;
}

static bool ev_u64(const struct report_event *ev, const char *key,
		   uint64_t *out)
{
	const char *v = ev_get(ev, key);
	char *end;

	if (!v || !*v || *v == '-')
		return false;
	errno = 0;
	*out = strtoull(v, &end, 0);
	return !errno && !*end;
}

/* The first event named @name of @s, or NULL. */
static const struct report_event *first_event(const struct report_session *s,
					      const char *name)
{
	size_t i;

	for (i = 0; i < s->nevents; i++)
		if (!strcmp(s->events[i].name, name))
			return &s->events[i];
	return NULL;
}

/* Collect the numbers the layout needs; false if the trace lacks one. */
static bool stack_gather(const struct report_session *s,
			 struct report_stack *st)
{
	const struct report_event *start = first_event(s, "load_start");
	const struct report_event *stack = first_event(s, "load_stack");
	const struct report_event *entry = first_event(s, "load_entry");
	uint64_t id, value;
	size_t i;

	memset(st, 0, sizeof(*st));
	if (!start || !stack || !entry ||
	    !ev_u64(start, "argc", &st->argc) ||
	    !ev_u64(start, "envc", &st->envc) ||
	    !ev_u64(stack, "stack_top", &st->stack_top) ||
	    !ev_u64(stack, "p", &st->strings) ||
	    !ev_u64(entry, "sp", &st->sp))
		return false;
	for (i = 0; i < s->nevents; i++) {
		const struct report_event *ev = &s->events[i];

		if (strcmp(ev->name, "load_auxv") || !ev_u64(ev, "id", &id) ||
		    !ev_u64(ev, "value", &value))
			continue;
		st->auxv_pairs++;
		if (id == AT_PLATFORM_ID)
			st->platform = value;
		else if (id == AT_RANDOM_ID)
			st->random = value;
		else if (id == AT_EXECFN_ID)
			st->execfn = value;
		if (id == AT_NULL_ID)
			st->has_at_null = true;
	}
	return st->auxv_pairs && st->has_at_null;
}

int report_stack_layout(const struct report_session *s,
			struct report_stack *st)
{
	if (!stack_gather(s, st))
		return -1;
	st->argv = st->sp + 8;
	st->envp = st->argv + 8 * (st->argc + 1);
	st->auxv = st->envp + 8 * (st->envc + 1);
	st->auxv_end = st->auxv + 16 * st->auxv_pairs;
	/* The lowest of what create_elf_tables() copied below p. */
	st->copied = st->strings;
	if (st->random && st->random < st->copied)
		st->copied = st->random;
	if (st->platform && st->platform < st->copied)
		st->copied = st->platform;
	/* The layout must nest, else the trace is not one exec's. */
	if (st->auxv_end > st->copied || st->strings >= st->stack_top ||
	    (st->execfn && (st->execfn < st->strings ||
			    st->execfn >= st->stack_top)))
		return -1;
	return 0;
}

/* One line of the picture: address, size (0: not known), what. */
static void row(FILE *f, uint64_t addr, uint64_t size, const char *what)
{
	if (size)
		fprintf(f, "  0x%012" PRIx64 "  %6" PRIu64 "  %s\n", addr, size,
			what);
	else
		fprintf(f, "  0x%012" PRIx64 "  %6s  %s\n", addr, "", what);
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* From the top down to the strings exec copied. */
static void print_strings(FILE *f, const struct report_stack *st)
{
	row(f, st->stack_top, 0,
	    "stack_top= of setup_arg_pages(): the randomized top; the stack mapping ends at or below it (arch_align_stack(), PAGE_ALIGN)");
	if (st->execfn) {
		row(f, st->execfn, 0,
		    "the file name exec was given (AT_EXECFN), then 8 zero bytes ending the stack mapping");
		row(f, st->strings, st->execfn - st->strings,
		    "argv strings, then envp strings (p=, mm->arg_start)");
	} else {
		row(f, st->strings, 0,
		    "argv strings, envp strings, the file name (p=)");
	}
}

void report_stack_print(FILE *f, const struct report_session *s)
{
	struct report_stack st;
	char what[128];

	fprintf(f, "== initial stack (from load_stack, load_auxv, load_entry; highest address first)\n");
	if (report_stack_layout(s, &st)) {
		fprintf(f, "  not in this trace (no complete load_stack, load_auxv and load_entry)\n");
		return;
	}
	fprintf(f, "  %-14s  %6s  %s\n", "address", "bytes", "what");
	print_strings(f, &st);
	if (st.platform && st.platform > st.random) {
		row(f, st.platform, 0,
		    "the platform string (AT_PLATFORM), below arch_align_stack()'s random gap");
		row(f, st.random, st.platform - st.random,
		    "random bytes (AT_RANDOM), for the stack protector and pointer guard");
	} else if (st.random) {
		row(f, st.random, 16,
		    "random bytes (AT_RANDOM), below arch_align_stack()'s random gap");
	}
	row(f, st.auxv_end, st.copied - st.auxv_end,
	    "padding: sp is rounded down to 16 bytes");
	snprintf(what, sizeof(what),
		 "auxv: %" PRIu64 " (type, value) pair%s, AT_NULL last",
		 st.auxv_pairs, plural(st.auxv_pairs));
	row(f, st.auxv, st.auxv_end - st.auxv, what);
	snprintf(what, sizeof(what), "envp: %" PRIu64 " pointer%s, then NULL",
		 st.envc, plural(st.envc));
	row(f, st.envp, st.auxv - st.envp, what);
	snprintf(what, sizeof(what), "argv: %" PRIu64 " pointer%s, then NULL",
		 st.argc, plural(st.argc));
	row(f, st.argv, st.envp - st.argv, what);
	snprintf(what, sizeof(what),
		 "argc = %" PRIu64 "   <- sp at the first instruction (load_entry sp=)",
		 st.argc);
	row(f, st.sp, 8, what);
}
