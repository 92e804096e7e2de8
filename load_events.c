// SPDX-License-Identifier: GPL-2.0
/*
 * The load step events: what the loader records as it works.
 *
 * Steps with a fixed payload fill a struct bft_ev_* where they happen and
 * pass it to bft_trace_load_step(); the events that read much of the load
 * context (load_start, load_phdr, load_auxv, load_end) are built here.
 * Nothing is recorded without a session, or when the wrapper asked for no
 * load events.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/elf.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "binfmt_trace.h"
#include "session.h"
#include "trace.h"

static struct bft_event *bft_load_event(struct bft_load_context *ctx,
					int type)
{
	if (!ctx->session || !ctx->session->load_events)
		return NULL;
	return bft_event_begin(ctx->session, type);
}

/**
 * bft_trace_load_step - record a load step with a fixed payload
 * @ctx: the load
 * @type: enum bft_event_type
 * @payload: the struct bft_ev_* of @type
 * @size: its size
 */
void bft_trace_load_step(struct bft_load_context *ctx, int type,
			 const void *payload, size_t size)
{
	struct bft_event *ev = bft_load_event(ctx, type);

	if (!ev)
		return;
	memcpy(&ev->u, payload, min(size, sizeof(ev->u)));
	bft_event_commit(ev, 0);
}

/* load_start: the exec as the headers describe it. */
void bft_trace_load_start(struct bft_load_context *ctx)
{
	struct bft_event *ev = bft_load_event(ctx, BFT_EV_LOAD_START);
	struct bft_ev_load_start *start;
	size_t len;

	if (!ev)
		return;
	/* Stamped with the session start, as the first event should be. */
	ev->ts = ctx->session->start_ns;
	start = &ev->u.load_start;
	start->argc = ctx->bprm->argc;
	start->envc = ctx->bprm->envc;
	start->flags = ctx->wrapper.flags;
	start->e_type = ctx->elf_ex.e_type;
	start->e_phnum = ctx->elf_ex.e_phnum;
	start->e_entry = ctx->elf_ex.e_entry;
	start->elf_offset = ctx->elf_offset;
	start->elf_size = ctx->wrapper.elf_size;
	len = bft_event_put_str(ev, 0, ctx->bprm->filename);
	len = bft_event_put_str(ev, len, ctx->interp_path);
	len = bft_event_put_str(ev, len, ctx->wrapper.label);
	bft_event_commit(ev, len);
}

/* load_phdr: every program header of an object, as read. */
void bft_trace_phdrs(struct bft_load_context *ctx, u8 obj,
		     const struct elf_phdr *phdrs, int nr)
{
	struct bft_ev_load_phdr phdr = { .obj = obj };
	int i;

	for (i = 0; phdrs && i < nr; i++) {
		phdr.index = i;
		phdr.type = phdrs[i].p_type;
		phdr.flags = phdrs[i].p_flags;
		phdr.offset = phdrs[i].p_offset;
		phdr.vaddr = phdrs[i].p_vaddr;
		phdr.paddr = phdrs[i].p_paddr;
		phdr.filesz = phdrs[i].p_filesz;
		phdr.memsz = phdrs[i].p_memsz;
		phdr.align = phdrs[i].p_align;
		bft_trace_load_step(ctx, BFT_EV_LOAD_PHDR, &phdr, sizeof(phdr));
	}
}

/* load_auxv: the pairs create_elf_tables() wrote, AT_NULL included. */
void bft_trace_auxv(struct bft_load_context *ctx)
{
	const unsigned long *auxv = current->mm->saved_auxv;
	struct bft_ev_load_auxv pair = { };
	unsigned int i;

	for (i = 0; i + 1 < ARRAY_SIZE(current->mm->saved_auxv); i += 2) {
		pair.index = i / 2;
		pair.id = auxv[i];
		pair.value = auxv[i + 1];
		bft_trace_load_step(ctx, BFT_EV_LOAD_AUXV, &pair, sizeof(pair));
		if (auxv[i] == AT_NULL)
			break;
	}
}

/**
 * bft_trace_error - record the step that failed
 * @ctx: the load
 * @step: the loader function's name
 * @error: its negative errno
 *
 * Return: @error, so that a step can end with "return bft_trace_error()".
 */
int bft_trace_error(struct bft_load_context *ctx, const char *step, int error)
{
	struct bft_ev_load_error event = { .error = error };

	strscpy(event.step, step, sizeof(event.step));
	bft_trace_load_step(ctx, BFT_EV_LOAD_ERROR, &event, sizeof(event));
	return error;
}

/* load_end: the result and how long the load took. */
void bft_trace_load_end(struct bft_load_context *ctx, int result, u64 load_ns)
{
	struct bft_ev_load_end end = { .result = result, .load_ns = load_ns };

	bft_trace_load_step(ctx, BFT_EV_LOAD_END, &end, sizeof(end));
}
