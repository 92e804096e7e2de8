// SPDX-License-Identifier: GPL-2.0
/*
 * The text form of an event, one line each, as docs/trace-format.md
 * describes it: ftrace's leading columns, then "name: key=value ...".
 *
 * A value never contains a space, so that a line splits on spaces and
 * then on the first '=' of each field; strings are escaped to keep it so.
 * Names come from tables of value and name, as ftrace's
 * __print_symbolic() takes them; a value missing from its table prints as
 * a number, never as nothing.
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

#include "trace.h"
#include "trace_buf.h"

/*
 * uapi since 6.3.  6.1 never puts them in the auxv, but the table of
 * names is the same for both kernels.
 */
#ifndef AT_RSEQ_FEATURE_SIZE
#define AT_RSEQ_FEATURE_SIZE	27
#define AT_RSEQ_ALIGN		28
#endif

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

static void put_none(struct bft_line *l, const char *key)
{
	line_printf(l, " %s=-", key);
}

static bool byte_needs_escape(unsigned char c)
{
	return c < 0x21 || c > 0x7e || c == '\\' || c == '=';
}

/* @len bytes of @s, escaped; "-" when empty. */
static void put_str(struct bft_line *l, const char *key, const char *s,
		    size_t len)
{
	size_t i;

	if (!len) {
		put_none(l, key);
		return;
	}
	line_printf(l, " %s=", key);
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (byte_needs_escape(c))
			line_printf(l, "\\x%02x", c);
		else
			line_putc(l, c);
	}
}

/* The @n-th string after the payload; "" when the record has none. */
static const char *event_str(const struct bft_event *ev, unsigned int n,
			     size_t *len)
{
	size_t header = offsetof(struct bft_event, str);
	size_t room = ev->size > header ? ev->size - header : 0;
	const char *s = ev->str;

	*len = strnlen(s, room);
	while (n--) {
		if (*len == room) {
			*len = 0;
			break;
		}
		s += *len + 1;
		room -= *len + 1;
		*len = strnlen(s, room);
	}
	return s;
}

static void put_event_str(struct bft_line *l, const char *key,
			  const struct bft_event *ev, unsigned int n)
{
	const char *s;
	size_t len;

	s = event_str(ev, n, &len);
	put_str(l, key, s, len);
}

/* A segment index; negative for none. */
static void put_seg(struct bft_line *l, s16 seg)
{
	if (seg < 0)
		put_none(l, "seg");
	else
		put_u64(l, "seg", seg);
}

/* [start, end) as "0xSTART-0xEND"; "-" when empty. */
static void put_range(struct bft_line *l, const char *key, u64 start,
		      u64 end)
{
	if (start >= end)
		put_none(l, key);
	else
		line_printf(l, " %s=0x%llx-0x%llx", key, start, end);
}

/* What vm_mmap() returned: an address, or a negative errno. */
static void put_addr_or_errno(struct bft_line *l, const char *key,
			      s64 result)
{
	if (IS_ERR_VALUE((unsigned long)result))
		put_s64(l, key, result);
	else
		put_hex(l, key, result);
}

/**
 * struct bft_symbol - the name of a value, as in ftrace's __print_symbolic()
 * @value: the value
 * @name: its name; NULL ends a table
 */
struct bft_symbol {
	u64		value;
	const char	*name;
};

static const struct bft_symbol bft_object_names[] = {
	{ BFT_OBJ_EXE,		"exe" },
	{ BFT_OBJ_INTERP,	"interp" },
	{ BFT_OBJ_LIB,		"lib" },
	{ BFT_OBJ_HEAP,		"heap" },
	{ BFT_OBJ_STACK,	"stack" },
	{ BFT_OBJ_ANON,		"anon" },
	{ BFT_OBJ_VDSO,		"vdso" },
	{ BFT_OBJ_VVAR,		"vvar" },
	{ BFT_OBJ_NONE,		"none" },
	{ }
};

static const struct bft_symbol bft_access_names[] = {
	{ BFT_ACCESS_READ,	"read" },
	{ BFT_ACCESS_WRITE,	"write" },
	{ BFT_ACCESS_EXEC,	"exec" },
	{ }
};

static const struct bft_symbol bft_mode_names[] = {
	{ BFT_MODE_USER,	"user" },
	{ BFT_MODE_KERNEL,	"kernel" },
	{ BFT_MODE_REMOTE,	"remote" },
	{ }
};

static const struct bft_symbol bft_result_names[] = {
	{ BFT_RESULT_MINOR,	"minor" },
	{ BFT_RESULT_MAJOR,	"major" },
	{ BFT_RESULT_RETRY,	"retry" },
	{ BFT_RESULT_SIGSEGV,	"sigsegv" },
	{ BFT_RESULT_SIGBUS,	"sigbus" },
	{ BFT_RESULT_OOM,	"oom" },
	{ }
};

static const struct bft_symbol bft_cache_names[] = {
	{ BFT_CACHE_NONE,	"-" },
	{ BFT_CACHE_HIT,	"hit" },
	{ BFT_CACHE_MISS,	"miss" },
	{ }
};

static const struct bft_symbol bft_exec_stack_names[] = {
	{ EXSTACK_DEFAULT,	"default" },
	{ EXSTACK_DISABLE_X,	"disable" },
	{ EXSTACK_ENABLE_X,	"enable" },
	{ }
};

#define AT_SYMBOL(id)	{ id, #id }

static const struct bft_symbol bft_auxv_names[] = {
	AT_SYMBOL(AT_NULL),
	AT_SYMBOL(AT_IGNORE),
	AT_SYMBOL(AT_EXECFD),
	AT_SYMBOL(AT_PHDR),
	AT_SYMBOL(AT_PHENT),
	AT_SYMBOL(AT_PHNUM),
	AT_SYMBOL(AT_PAGESZ),
	AT_SYMBOL(AT_BASE),
	AT_SYMBOL(AT_FLAGS),
	AT_SYMBOL(AT_ENTRY),
	AT_SYMBOL(AT_NOTELF),
	AT_SYMBOL(AT_UID),
	AT_SYMBOL(AT_EUID),
	AT_SYMBOL(AT_GID),
	AT_SYMBOL(AT_EGID),
	AT_SYMBOL(AT_PLATFORM),
	AT_SYMBOL(AT_HWCAP),
	AT_SYMBOL(AT_CLKTCK),
	AT_SYMBOL(AT_SECURE),
	AT_SYMBOL(AT_BASE_PLATFORM),
	AT_SYMBOL(AT_RANDOM),
	AT_SYMBOL(AT_HWCAP2),
	AT_SYMBOL(AT_RSEQ_FEATURE_SIZE),
	AT_SYMBOL(AT_RSEQ_ALIGN),
	AT_SYMBOL(AT_EXECFN),
	AT_SYMBOL(AT_SYSINFO_EHDR),
	AT_SYMBOL(AT_MINSIGSTKSZ),
	{ }
};

static const struct bft_symbol bft_phdr_type_names[] = {
	{ PT_NULL,		"NULL" },
	{ PT_LOAD,		"LOAD" },
	{ PT_DYNAMIC,		"DYNAMIC" },
	{ PT_INTERP,		"INTERP" },
	{ PT_NOTE,		"NOTE" },
	{ PT_SHLIB,		"SHLIB" },
	{ PT_PHDR,		"PHDR" },
	{ PT_TLS,		"TLS" },
	{ PT_GNU_EH_FRAME,	"GNU_EH_FRAME" },
	{ PT_GNU_STACK,		"GNU_STACK" },
	{ PT_GNU_RELRO,		"GNU_RELRO" },
	{ PT_GNU_PROPERTY,	"GNU_PROPERTY" },
	{ }
};

static const struct bft_symbol bft_elf_type_names[] = {
	{ ET_EXEC,	"EXEC" },
	{ ET_DYN,	"DYN" },
	{ }
};

/* The values of the MAP_TYPE bits. */
static const struct bft_symbol bft_map_type_names[] = {
	{ MAP_SHARED,		"SHARED" },
	{ MAP_PRIVATE,		"PRIVATE" },
	{ MAP_SHARED_VALIDATE,	"SHARED_VALIDATE" },
	{ }
};

/* Single bits, in the order they print, after the type. */
static const struct bft_symbol bft_map_flag_names[] = {
	{ MAP_FIXED,		"FIXED" },
	{ MAP_ANONYMOUS,	"ANONYMOUS" },
	{ MAP_FIXED_NOREPLACE,	"FIXED_NOREPLACE" },
	{ }
};

static const char *symbol_name(const struct bft_symbol *symbols, u64 value)
{
	for (; symbols->name; symbols++) {
		if (symbols->value == value)
			return symbols->name;
	}
	return NULL;
}

/* An enum: its name, else its number. */
static void put_symbol(struct bft_line *l, const char *key,
		       const struct bft_symbol *symbols, s64 value)
{
	const char *name = symbol_name(symbols, value);

	if (name)
		line_printf(l, " %s=%s", key, name);
	else
		put_s64(l, key, value);
}

/* A type field of a header: its name, else hex, as readelf shows it. */
static void put_symbol_hex(struct bft_line *l, const char *key,
			   const struct bft_symbol *symbols, u64 value)
{
	const char *name = symbol_name(symbols, value);

	if (name)
		line_printf(l, " %s=%s", key, name);
	else
		put_hex(l, key, value);
}

/* An id the table does not know is key=-: id= still says which it was. */
static void put_auxv_key(struct bft_line *l, u64 id)
{
	const char *name = symbol_name(bft_auxv_names, id);

	if (name)
		line_printf(l, " key=%s", name);
	else
		put_none(l, "key");
}

/* MAP_* names joined by '|': the type, the known bits, then hex. */
static void put_map_flags(struct bft_line *l, u32 flags)
{
	const char *name = symbol_name(bft_map_type_names, flags & MAP_TYPE);
	const struct bft_symbol *bit;
	const char *sep = "";

	line_printf(l, " flags=");
	if (name) {
		line_printf(l, "%s", name);
		flags &= ~MAP_TYPE;
		sep = "|";
	}
	for (bit = bft_map_flag_names; bit->name; bit++) {
		if (flags & bit->value) {
			line_printf(l, "%s%s", sep, bit->name);
			flags &= ~bit->value;
			sep = "|";
		}
	}
	if (flags)
		line_printf(l, "%s0x%x", sep, flags);
	else if (!*sep)
		line_putc(l, '-');
}

/* PROT_* as "rwx", '-' for each right missing. */
static void put_prot(struct bft_line *l, s32 prot)
{
	line_printf(l, " prot=%c%c%c",
		    prot & PROT_READ ? 'r' : '-',
		    prot & PROT_WRITE ? 'w' : '-',
		    prot & PROT_EXEC ? 'x' : '-');
}

/* PF_* as readelf's letters, without its spaces; "-" for none. */
static void put_phdr_flags(struct bft_line *l, u32 flags)
{
	line_printf(l, " flags=");
	if (flags & PF_R)
		line_putc(l, 'R');
	if (flags & PF_W)
		line_putc(l, 'W');
	if (flags & PF_X)
		line_putc(l, 'E');
	if (!(flags & (PF_R | PF_W | PF_X)))
		line_putc(l, '-');
}

static void print_load_start(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_start *e = &ev->u.load_start;

	put_s64(l, "pid", ev->pid);
	put_event_str(l, "file", ev, 0);
	put_event_str(l, "interp", ev, 1);
	put_u64(l, "argc", e->argc);
	put_u64(l, "envc", e->envc);
	put_str(l, "label", e->label, strnlen(e->label, sizeof(e->label)));
	put_hex(l, "flags", e->flags);
	put_hex(l, "elf_offset", e->elf_offset);
	put_hex(l, "elf_size", e->elf_size);
	put_symbol_hex(l, "type", bft_elf_type_names, e->e_type);
	put_u64(l, "phnum", e->e_phnum);
	put_hex(l, "entry", e->e_entry);
}

static void print_load_phdr(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_phdr *e = &ev->u.load_phdr;

	put_symbol(l, "obj", bft_object_names, e->obj);
	put_u64(l, "index", e->index);
	put_symbol_hex(l, "type", bft_phdr_type_names, e->type);
	put_hex(l, "offset", e->offset);
	put_hex(l, "vaddr", e->vaddr);
	put_hex(l, "paddr", e->paddr);
	put_hex(l, "filesz", e->filesz);
	put_hex(l, "memsz", e->memsz);
	put_phdr_flags(l, e->flags);
	put_hex(l, "align", e->align);
}

static void print_load_map(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_map *e = &ev->u.load_map;

	put_symbol(l, "obj", bft_object_names, e->obj);
	put_seg(l, e->seg);
	put_hex(l, "addr", e->addr);
	put_hex(l, "len", e->len);
	put_prot(l, e->prot);
	put_map_flags(l, e->flags);
	put_hex(l, "off", e->off);
	put_hex(l, "total", e->total);
	put_addr_or_errno(l, "result", e->result);
}

static void print_load_bss(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_bss *e = &ev->u.load_bss;

	put_symbol(l, "obj", bft_object_names, e->obj);
	put_seg(l, e->seg);
	put_prot(l, e->prot);
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
	put_auxv_key(l, e->id);
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

	put_str(l, "step", e->step, strnlen(e->step, sizeof(e->step)));
	put_s64(l, "error", e->error);
}

static void print_load_end(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_load_end *e = &ev->u.load_end;

	put_s64(l, "result", e->result);
	put_u64(l, "load_ns", e->load_ns);
}

/* seg= and off= say where in the file the page is, when it is in one. */
static void put_fault_place(struct bft_line *l,
			    const struct bft_ev_page_fault *e)
{
	if (e->obj == BFT_OBJ_EXE || e->obj == BFT_OBJ_INTERP)
		put_seg(l, e->seg);
	else
		put_none(l, "seg");
	if (e->file_backed)
		put_hex(l, "off", e->off);
	else
		put_none(l, "off");
}

static void print_page_fault(struct bft_line *l, const struct bft_event *ev)
{
	const struct bft_ev_page_fault *e = &ev->u.page_fault;

	put_u64(l, "since", e->since_ns);
	put_hex(l, "addr", e->addr);
	if (e->ip)
		put_hex(l, "ip", e->ip);
	else
		put_none(l, "ip");
	put_symbol(l, "access", bft_access_names, e->access);
	put_symbol(l, "mode", bft_mode_names, e->mode);
	put_symbol(l, "obj", bft_object_names, e->obj);
	put_fault_place(l, e);
	if (e->obj == BFT_OBJ_LIB)
		put_event_str(l, "file", ev, 0);
	else
		put_none(l, "file");
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
