// SPDX-License-Identifier: GPL-2.0
/*
 * The text form of an event, one line each, as docs/trace-format.md
 * describes it: ftrace's leading columns, then "name: key=value ...".
 *
 * The fields print exactly as the tracepoints' TP_printk() prints them
 * (tracepoints.h), with the same lists of names (trace_symbols.h) and the
 * same rules: a value missing from its list prints in hex, strings were
 * escaped when the record was written.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/auxvec.h>
#include <linux/binfmts.h>
#include <linux/elf.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mman.h>
#include <linux/string.h>
#include <linux/time64.h>
#include <linux/tracepoint-defs.h>

#include "trace.h"
#include "trace_buf.h"
#include "trace_symbols.h"

/**
 * struct bft_line - a line being written
 * @buf: where it goes, always NUL-terminated
 * @size: the size of @buf, at least 2
 * @len: the bytes in @buf, at most @size - 1
 */
struct bft_line {
	char	*buf;
	size_t	size;
	size_t	len;
};

static __printf(2, 3) void line_printf(struct bft_line *l, const char *fmt,
				       ...)
{
	va_list args;

	va_start(args, fmt);
	l->len += vscnprintf(l->buf + l->len, l->size - l->len, fmt, args);
	va_end(args);
}

static void line_putc(struct bft_line *l, char c)
{
	if (l->len + 1 >= l->size)
		return;
	l->buf[l->len++] = c;
	l->buf[l->len] = '\0';
}

/* The newline ends even a cut line, so that the next one starts clean. */
static int line_end(struct bft_line *l)
{
	if (l->len > l->size - 2)
		l->len = l->size - 2;
	l->buf[l->len++] = '\n';
	l->buf[l->len] = '\0';
	return l->len;
}

static void put_hex(struct bft_line *l, const char *key, u64 value)
{
	line_printf(l, " %s=0x%llx", key, value);
}

static void put_u64(struct bft_line *l, const char *key, u64 value)
{
	line_printf(l, " %s=%llu", key, value);
}

static void put_s64(struct bft_line *l, const char *key, s64 value)
{
	line_printf(l, " %s=%lld", key, value);
}

/* A string of the record: stored escaped, "-" when empty. */
static void put_event_str(struct bft_line *l, const char *key,
			  const struct bft_event *ev, unsigned int n)
{
	line_printf(l, " %s=%s", key, bft_event_str(ev, n));
}

/* [start, end) as "0xSTART-0xEND", as the tracepoint prints it. */
static void put_range(struct bft_line *l, const char *key, u64 from, u64 to)
{
	u64 start, end;

	bft_range(&start, &end, from, to);
	line_printf(l, " %s=0x%llx-0x%llx", key, start, end);
}

/*
 * The lists of trace_symbols.h, as __print_symbolic() and __print_flags()
 * take them, ended by a NULL name.
 */
#define BFT_SYMBOLS(name, list) \
	static const struct trace_print_flags name[] = { list, { 0, NULL } }

BFT_SYMBOLS(bft_object_names, BFT_OBJ_SYMBOLS);
BFT_SYMBOLS(bft_access_names, BFT_ACCESS_SYMBOLS);
BFT_SYMBOLS(bft_mode_names, BFT_MODE_SYMBOLS);
BFT_SYMBOLS(bft_result_names, BFT_RESULT_SYMBOLS);
BFT_SYMBOLS(bft_cache_names, BFT_CACHE_SYMBOLS);
BFT_SYMBOLS(bft_exec_stack_names, BFT_EXEC_STACK_SYMBOLS);
BFT_SYMBOLS(bft_auxv_names, BFT_AUXV_SYMBOLS);
BFT_SYMBOLS(bft_phdr_type_names, BFT_PHDR_TYPE_SYMBOLS);
BFT_SYMBOLS(bft_phdr_flags_names, BFT_PHDR_FLAGS_SYMBOLS);
BFT_SYMBOLS(bft_elf_type_names, BFT_ELF_TYPE_SYMBOLS);
BFT_SYMBOLS(bft_prot_names, BFT_PROT_SYMBOLS);
BFT_SYMBOLS(bft_map_flag_names, BFT_MAP_FLAGS_SYMBOLS);
BFT_SYMBOLS(bft_map_errno_names, BFT_MAP_ERRNO_SYMBOLS);
BFT_SYMBOLS(bft_ip_names, BFT_NONE_SYMBOLS(0));
BFT_SYMBOLS(bft_off_names, BFT_NONE_SYMBOLS(-1));

/* As trace_print_symbols_seq(): the name, else "0x%lx". */
static void put_symbol(struct bft_line *l, const char *key,
		       const struct trace_print_flags *symbols,
		       unsigned long value)
{
	for (; symbols->name; symbols++) {
		if (symbols->mask == value) {
			line_printf(l, " %s=%s", key, symbols->name);
			return;
		}
	}
	line_printf(l, " %s=0x%lx", key, value);
}

/*
 * As trace_print_flags_seq() with "|": the names of the masks set, in
 * list order, then the bits left in hex; "-" for none, as the
 * tracepoint's ternary prints it.
 */
static void put_flags(struct bft_line *l, const char *key,
		      const struct trace_print_flags *flags,
		      unsigned long value)
{
	const char *sep = "";

	line_printf(l, " %s=", key);
	if (!value) {
		line_putc(l, '-');
		return;
	}
	for (; flags->name && value; flags++) {
		if ((value & flags->mask) != flags->mask)
			continue;
		value &= ~flags->mask;
		line_printf(l, "%s%s", sep, flags->name);
		sep = "|";
	}
	if (value)
		line_printf(l, "%s0x%lx", sep, value);
}

static void print_load_start(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_start *e = &ev->u.load_start;

	put_s64(l, "pid", ev->pid);
	put_event_str(l, "file", ev, 0);
	put_event_str(l, "interp", ev, 1);
	put_u64(l, "argc", e->argc);
	put_u64(l, "envc", e->envc);
	put_event_str(l, "label", ev, 2);
	put_hex(l, "flags", e->flags);
	put_hex(l, "elf_offset", e->elf_offset);
	put_hex(l, "elf_size", e->elf_size);
	put_symbol(l, "type", bft_elf_type_names, e->e_type);
	put_u64(l, "phnum", e->e_phnum);
	put_hex(l, "entry", e->e_entry);
}

static void print_load_phdr(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_phdr *e = &ev->u.load_phdr;

	put_symbol(l, "obj", bft_object_names, e->obj);
	put_u64(l, "index", e->index);
	put_symbol(l, "type", bft_phdr_type_names, e->type);
	put_hex(l, "offset", e->offset);
	put_hex(l, "vaddr", e->vaddr);
	put_hex(l, "paddr", e->paddr);
	put_hex(l, "filesz", e->filesz);
	put_hex(l, "memsz", e->memsz);
	put_symbol(l, "flags", bft_phdr_flags_names, e->flags);
	put_hex(l, "align", e->align);
}

static void print_load_map(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_map *e = &ev->u.load_map;

	put_symbol(l, "obj", bft_object_names, e->obj);
	put_s64(l, "seg", e->seg);
	put_hex(l, "addr", e->addr);
	put_hex(l, "len", e->len);
	put_symbol(l, "prot", bft_prot_names, (u32)e->prot);
	put_flags(l, "flags", bft_map_flag_names, (u32)e->flags);
	put_hex(l, "off", e->off);
	put_hex(l, "total", e->total);
	put_symbol(l, "result", bft_map_errno_names, e->result);
}

static void print_load_bss(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_bss *e = &ev->u.load_bss;

	put_symbol(l, "obj", bft_object_names, e->obj);
	put_s64(l, "seg", e->seg);
	put_symbol(l, "prot", bft_prot_names, (u32)e->prot);
	put_range(l, "zero", e->zero_start, e->zero_end);
	put_range(l, "anon", e->anon_start, e->anon_end);
	put_s64(l, "result", e->result);
}

static void print_load_brk(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_brk *e = &ev->u.load_brk;

	put_hex(l, "elf_brk", e->elf_brk);
	put_hex(l, "start_brk", e->start_brk);
	put_hex(l, "brk", e->brk);
	put_u64(l, "moved", e->moved);
	put_u64(l, "randomized", e->randomized);
}

static void print_load_stack(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_stack *e = &ev->u.load_stack;

	put_hex(l, "stack_top", e->stack_top);
	put_hex(l, "p", e->p);
	put_symbol(l, "exec_stack", bft_exec_stack_names, e->executable);
	put_s64(l, "result", e->result);
}

static void print_load_interp(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_interp *e = &ev->u.load_interp;

	put_hex(l, "bias", e->bias);
	put_hex(l, "entry", e->entry);
	put_s64(l, "result", e->result);
}

static void print_load_vdso(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_vdso *e = &ev->u.load_vdso;

	put_hex(l, "vdso", e->addr);
	put_s64(l, "result", e->result);
}

static void print_load_auxv(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_auxv *e = &ev->u.load_auxv;

	put_u64(l, "index", e->index);
	put_symbol(l, "key", bft_auxv_names, e->id);
	put_u64(l, "id", e->id);
	put_hex(l, "value", e->value);
}

static void print_load_entry(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_entry *e = &ev->u.load_entry;

	put_hex(l, "entry", e->entry);
	put_hex(l, "sp", e->sp);
	put_hex(l, "exe_entry", e->exe_entry);
	put_hex(l, "load_bias", e->load_bias);
}

static void print_load_error(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_error *e = &ev->u.load_error;

	line_printf(l, " step=%.*s", (int)sizeof(e->step), e->step);
	put_s64(l, "error", e->error);
}

static void print_load_end(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_end *e = &ev->u.load_end;

	put_s64(l, "result", e->result);
	put_u64(l, "load_ns", e->load_ns);
}

static void print_page_fault(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_page_fault *e = &ev->u.page_fault;

	put_u64(l, "since", e->since_ns);
	put_hex(l, "addr", e->addr);
	put_symbol(l, "ip", bft_ip_names, e->ip);
	put_symbol(l, "access", bft_access_names, e->access);
	put_symbol(l, "mode", bft_mode_names, e->mode);
	put_symbol(l, "obj", bft_object_names, e->obj);
	put_s64(l, "seg", e->seg);
	put_symbol(l, "off", bft_off_names, e->off);
	put_event_str(l, "file", ev, 0);
	put_symbol(l, "result", bft_result_names, e->result);
	put_symbol(l, "cache", bft_cache_names, e->cache);
	put_u64(l, "lat", e->latency_ns);
}

static void print_fork(struct bft_line *l, const struct bft_event *ev)
{
	put_s64(l, "child", ev->u.fork.child_pid);
}

static void print_mm_exit(struct bft_line *l, const struct bft_event *ev)
{
	put_u64(l, "mms_left", ev->u.mm_exit.mms_left);
}

/**
 * struct bft_event_printer - how one event type prints
 * @name: the event name, as in the tracepoint
 * @print: writes the fields after session=
 */
struct bft_event_printer {
	const char	*name;
	void		(*print)(struct bft_line *l,
				 const struct bft_event *ev);
};

static const struct bft_event_printer bft_event_printers[BFT_EV_NR] = {
	[BFT_EV_LOAD_START]	= { "load_start",	print_load_start },
	[BFT_EV_LOAD_PHDR]	= { "load_phdr",	print_load_phdr },
	[BFT_EV_LOAD_MAP]	= { "load_map",		print_load_map },
	[BFT_EV_LOAD_BSS]	= { "load_bss",		print_load_bss },
	[BFT_EV_LOAD_BRK]	= { "load_brk",		print_load_brk },
	[BFT_EV_LOAD_STACK]	= { "load_stack",	print_load_stack },
	[BFT_EV_LOAD_INTERP]	= { "load_interp",	print_load_interp },
	[BFT_EV_LOAD_VDSO]	= { "load_vdso",	print_load_vdso },
	[BFT_EV_LOAD_AUXV]	= { "load_auxv",	print_load_auxv },
	[BFT_EV_LOAD_ENTRY]	= { "load_entry",	print_load_entry },
	[BFT_EV_LOAD_ERROR]	= { "load_error",	print_load_error },
	[BFT_EV_LOAD_END]	= { "load_end",		print_load_end },
	[BFT_EV_PAGE_FAULT]	= { "page_fault",	print_page_fault },
	[BFT_EV_FORK]		= { "fork",		print_fork },
	[BFT_EV_MM_EXIT]	= { "mm_exit",		print_mm_exit },
};

/*
 * ftrace's columns.  The comm is the one string not escaped, to keep the
 * columns; a byte that would break the line or the columns' alignment
 * prints as '?'.
 */
static void put_header(struct bft_line *l, const struct bft_event *ev,
		       const char *name)
{
	char comm[TASK_COMM_LEN];
	u32 ns, usec;
	u64 sec;
	int i;

	for (i = 0; i < TASK_COMM_LEN - 1 && ev->comm[i]; i++)
		comm[i] = ev->comm[i] < 0x20 || ev->comm[i] > 0x7e ?
			  '?' : ev->comm[i];
	comm[i] = '\0';

	sec = div_u64_rem(ev->ts, NSEC_PER_SEC, &ns);
	usec = ns / NSEC_PER_USEC;
	line_printf(l, "%16.16s-%-7d [%03u] %5llu.%06u: %s: session=%u",
		    comm, ev->tid, ev->cpu, sec, usec, name, ev->session);
}

/**
 * bft_event_format() - write one event as one line of text
 * @ev: the event
 * @buf: where to write the line, NUL-terminated
 * @len: the size of @buf; BFT_LINE_MAX holds any event whole
 *
 * A line too long for @buf is cut, but still ends in '\n'.
 *
 * Return: the length of the line, '\n' included, NUL not.
 */
int bft_event_format(const struct bft_event *ev, char *buf, size_t len)
{
	struct bft_line l = { .buf = buf, .size = len };
	const struct bft_event_printer *printer = NULL;

	if (len < 2)
		return 0;
	buf[0] = '\0';
	if (ev->type < BFT_EV_NR && bft_event_printers[ev->type].name)
		printer = &bft_event_printers[ev->type];

	if (printer) {
		put_header(&l, ev, printer->name);
		printer->print(&l, ev);
	} else {
		put_header(&l, ev, "unknown");
		put_u64(&l, "type", ev->type);
	}
	return line_end(&l);
}
