/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_parse.h - read what binfmt_trace records, in the in-guest tests.
 *
 * tp_parse_line() takes one line of `trace` or `trace_pipe` apart,
 * checking it against docs/trace-format.md as it goes, ftrace's columns
 * with or without the irq-flags one:
 *
 *     "%16s-%-7d [%03d] " ["%c%c%c%c%c "] " %5lu.%06lu: %s:"
 *     then " %s=%s" per field
 *
 * Values keep their text (numbers are checked by tp_hex() and tp_dec(),
 * which insist on the documented base) except that \xNN escapes are
 * undone.  tp_check_format() checks the keys of an event, in order, and
 * the syntax of every page_fault value.  The rest are small helpers:
 * clear and read the buffer, find a pid's session, the sessions and stats
 * files, wrap a program, run a program and capture its output.
 */
#ifndef TRACE_PARSE_H
#define TRACE_PARSE_H

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>

#include "bft_test.h"

/* The module's tracefs instance, through debugfs's tracing automount. */
#define TP_INSTANCE	"/sys/kernel/debug/tracing/instances/binfmt_trace"
#define TP_MAX_FIELDS	24
#define TP_BAD		UINT64_MAX	/* tp_x(): not a 0x number */
#define TP_BADD		INT64_MIN	/* tp_d(): not a decimal number */

struct tp_field {
	char *key;
	char *val;		/* unescaped */
};

struct tp_event {
	char comm[17];
	int tid;
	unsigned int cpu;
	char irq_flags[8];	/* "" when the line has no such column */
	uint64_t ts_us;		/* the timestamp column, in microseconds */
	char name[32];		/* "" for a sessions line */
	uint32_t session;	/* the session= field */
	int nfields;
	struct tp_field f[TP_MAX_FIELDS];
	char *line;		/* the line as read, for logs */
	char *store;		/* keys and values point in here */
};

struct tp_trace {
	struct tp_event *ev;
	size_t n;
	size_t nbad;		/* lines that did not parse */
	char *bad[4];		/* the first of them, with the reason */
};

/* Which \xNN a value may hold raw: 0x21..0x7e except '\' and '='. */
static inline bool tp_raw_ok(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '\\' && c != '=';
}

static inline int tp_hexdigit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The " key=value" fields from @p to the end: keys are [a-z_0-9]+, values
 * are one or more raw bytes or \xNN escapes.  The first field has no
 * leading space if @first_bare (a sessions line).  Returns 0, or -1 with
 * the reason in @why.
 */
static inline int tp_parse_fields(const char *p, struct tp_event *ev,
				  bool first_bare, const char **why)
{
	char *out = ev->store;
	int hi, lo;

	ev->nfields = 0;
	while (*p) {
		if (!(first_bare && ev->nfields == 0)) {
			if (*p != ' ') {
				*why = "fields must be separated by one space";
				return -1;
			}
			p++;
		}
		if (ev->nfields == TP_MAX_FIELDS) {
			*why = "too many fields";
			return -1;
		}
		ev->f[ev->nfields].key = out;
		while ((*p >= 'a' && *p <= 'z') || *p == '_' ||
		       (*p >= '0' && *p <= '9'))
			*out++ = *p++;
		if (out == ev->f[ev->nfields].key || *p != '=') {
			*why = "a field is not key=value";
			return -1;
		}
		*out++ = '\0';
		p++;
		ev->f[ev->nfields].val = out;
		while (*p && *p != ' ') {
			if (*p == '\\') {
				if (p[1] != 'x' ||
				    (hi = tp_hexdigit(p[2])) < 0 ||
				    (lo = tp_hexdigit(p[3])) < 0) {
					*why = "a backslash that is not \\xNN";
					return -1;
				}
				*out++ = (char)(hi << 4 | lo);
				p += 4;
				continue;
			}
			if (!tp_raw_ok(*p)) {
				*why = "a value holds a byte that must be escaped";
				return -1;
			}
			*out++ = *p++;
		}
		if (out == ev->f[ev->nfields].val) {
			*why = "an empty value (absent must be '-')";
			return -1;
		}
		*out++ = '\0';
		ev->nfields++;
	}
	return 0;
}

static inline const char *tp_get(const struct tp_event *ev, const char *key)
{
	int i;

	for (i = 0; i < ev->nfields; i++)
		if (strcmp(ev->f[i].key, key) == 0)
			return ev->f[i].val;
	return NULL;
}

/* @key is "0x" and lowercase hex digits: addresses, sizes, offsets. */
static inline bool tp_hex(const struct tp_event *ev, const char *key,
			  uint64_t *v)
{
	const char *s = tp_get(ev, key);
	char *end;

	if (!s || s[0] != '0' || s[1] != 'x' || !s[2])
		return false;
	for (end = (char *)s + 2; *end; end++)
		if (!isdigit((unsigned char)*end) && (*end < 'a' || *end > 'f'))
			return false;
	errno = 0;
	*v = strtoull(s + 2, &end, 16);
	return errno == 0 && !*end;
}

/* @key is decimal, with '-' for negatives: counts, pids, ns, errnos. */
static inline bool tp_dec(const struct tp_event *ev, const char *key,
			  int64_t *v)
{
	const char *s = tp_get(ev, key);
	char *end;

	if (!s || !*s || (*s == '-' && !s[1]))
		return false;
	if (*s != '-' && !isdigit((unsigned char)*s))
		return false;
	if (s[0] == '0' && s[1])
		return false;		/* no leading zero, no 0x */
	errno = 0;
	*v = strtoll(s, &end, 10);
	return errno == 0 && !*end;
}

static inline uint64_t tp_x(const struct tp_event *ev, const char *key)
{
	uint64_t v;

	return tp_hex(ev, key, &v) ? v : TP_BAD;
}

static inline int64_t tp_d(const struct tp_event *ev, const char *key)
{
	int64_t v;

	return tp_dec(ev, key, &v) ? v : TP_BADD;
}

static inline bool tp_is(const struct tp_event *ev, const char *name)
{
	return strcmp(ev->name, name) == 0;
}

static inline bool tp_eq(const struct tp_event *ev, const char *key,
			 const char *val)
{
	const char *s = tp_get(ev, key);

	return s && strcmp(s, val) == 0;
}

static inline bool tp_is_load(const struct tp_event *ev)
{
	return strncmp(ev->name, "load_", 5) == 0;
}

/* Count decimal digits at @p; they must be there. */
static inline int tp_digits(const char *p, uint64_t *v)
{
	int n = 0;

	*v = 0;
	while (isdigit((unsigned char)p[n])) {
		*v = *v * 10 + (p[n] - '0');
		n++;
	}
	return n;
}

/*
 * One line of `trace` (without its newline) into @ev, which the caller
 * releases with tp_event_free().  Returns 0, or -1 with the reason.
 */
static inline int tp_parse_line(const char *line, struct tp_event *ev,
				const char **why)
{
	const char *p = line, *q;
	uint64_t v, usec;
	int64_t sv;
	int n, i;

	memset(ev, 0, sizeof(*ev));
	ev->line = strdup(line);
	ev->store = malloc(strlen(line) + 1);
	if (!ev->line || !ev->store) {
		*why = "out of memory";
		return -1;
	}
	*why = "the comm column is not 16 bytes then '-'";
	if (strlen(line) < 17 || line[16] != '-')
		return -1;
	for (i = 0; i < 16 && line[i] == ' '; i++)
		;
	if (i == 16)
		return -1;
	memcpy(ev->comm, line + i, 16 - i);

	*why = "the tid is not %-7d then ' ['";
	p = line + 17;
	n = tp_digits(p, &v);
	if (!n || v > INT32_MAX)
		return -1;
	ev->tid = (int)v;
	for (p += n; n < 7; n++, p++)
		if (*p != ' ')
			return -1;
	if (p[0] != ' ' || p[1] != '[')
		return -1;

	*why = "the cpu is not [%03u]";
	p += 2;
	n = tp_digits(p, &v);
	if (n < 3 || (n > 3 && *p == '0') || p[n] != ']' || p[n + 1] != ' ')
		return -1;
	ev->cpu = (unsigned int)v;

	/*
	 * ftrace's irq-info column: irqs-off, need-resched, hard/softirq,
	 * preempt depth, migrate-disable; one character each.
	 */
	*why = "the irq-flags column is not 4 or 5 characters";
	p += n + 2;
	if (*p != ' ' && !isdigit((unsigned char)*p)) {
		for (n = 0; p[n] && p[n] != ' '; n++)
			if (!strchr(".dDXnNpPlLbBhHsSzZ0123456789abcdef", p[n]))
				return -1;
		if (n < 4 || n > 5)
			return -1;
		memcpy(ev->irq_flags, p, n);
		p += n + 1;
		if (p[-1] != ' ')
			return -1;
	}

	/*
	 * "%5lu": blanks and digits make 5 columns, or more digits.  ftrace
	 * writes one more blank before it, our own printer does not.
	 */
	*why = "the timestamp is not %5llu.%06llu: ";
	for (i = 0; p[i] == ' '; i++)
		;
	n = tp_digits(p + i, &v);
	if (!n || (n > 1 && p[i] == '0') ||
	    !(n + i == 5 || (n + i == 6 && i) || (n > 5 && i <= 1)))
		return -1;
	p += i + n;
	if (*p != '.' || tp_digits(p + 1, &usec) != 6 || p[7] != ':' ||
	    p[8] != ' ')
		return -1;
	ev->ts_us = v * 1000000 + usec;

	*why = "the event name is not [a-z_]+:";
	p += 9;
	for (q = p; (*q >= 'a' && *q <= 'z') || *q == '_'; q++)
		;
	if (q == p || *q != ':' || q - p >= (long)sizeof(ev->name))
		return -1;
	memcpy(ev->name, p, q - p);

	if (tp_parse_fields(q + 1, ev, false, why))
		return -1;
	*why = "the first field is not session=N, N > 0";
	if (ev->nfields < 1 || strcmp(ev->f[0].key, "session") ||
	    !tp_dec(ev, "session", &sv) || sv <= 0 || sv > UINT32_MAX)
		return -1;
	ev->session = (uint32_t)sv;
	*why = NULL;
	return 0;
}

static inline void tp_event_free(struct tp_event *ev)
{
	free(ev->line);
	free(ev->store);
	ev->line = ev->store = NULL;
}

static inline void tp_free(struct tp_trace *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		tp_event_free(&t->ev[i]);
	for (i = 0; i < sizeof(t->bad) / sizeof(t->bad[0]); i++)
		free(t->bad[i]);
	free(t->ev);
	memset(t, 0, sizeof(*t));
}

/*
 * Parse every complete line of @text into @t (which starts zeroed or
 * freed).  Lines that do not parse are counted in t->nbad, the first ones
 * kept in t->bad with the reason.  Returns 0, or -1 out of memory.
 */
static inline int tp_parse_text(const char *text, struct tp_trace *t)
{
	const char *p = text, *nl, *why;
	size_t cap = 0, len;
	char *line;

	memset(t, 0, sizeof(*t));
	for (; (nl = strchr(p, '\n')); p = nl + 1) {
		len = nl - p;
		/* ftrace's header: "# tracer: nop", the column names. */
		if (!len || *p == '#')
			continue;
		line = strndup(p, len);
		if (!line)
			return -1;
		if (t->n == cap) {
			cap = cap ? 2 * cap : 1024;
			t->ev = realloc(t->ev, cap * sizeof(*t->ev));
			if (!t->ev) {
				free(line);
				return -1;
			}
		}
		if (tp_parse_line(line, &t->ev[t->n], &why) == 0) {
			t->n++;
		} else {
			tp_event_free(&t->ev[t->n]);
			if (t->nbad < sizeof(t->bad) / sizeof(t->bad[0]) &&
			    asprintf(&t->bad[t->nbad], "%s: '%s'", why,
				     line) < 0)
				t->bad[t->nbad] = NULL;
			t->nbad++;
		}
		free(line);
	}
	return 0;
}

/* The whole of @path (debugfs files have no size), NUL-terminated. */
static inline char *tp_read_file(const char *path, size_t *lenp)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap + 1);
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			if (!buf)
				break;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0) {
				free(buf);
				buf = NULL;
			}
			break;
		}
		len += n;
	}
	close(fd);
	if (buf)
		buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

/* Copy @src to a new file @dst, mode 0755.  Returns 0 or -1. */
static inline int tp_copy_file(const char *src, const char *dst)
{
	size_t size;
	char *buf = tp_read_file(src, &size);
	int fd, ret = 0;

	if (!buf)
		return -1;
	fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0 || write(fd, buf, size) != (ssize_t)size)
		ret = -1;
	if (fd >= 0)
		close(fd);
	free(buf);
	return ret;
}

/* Write @s to @path in one write().  Returns 0 or -errno. */
static inline int tp_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * Keep the value of file @path in @old (@len bytes, newline and all, as
 * read) and write @value to it.  Returns 0 or -1.
 */
static inline int tp_swap_file(const char *path, const char *value,
			       char *old, size_t len)
{
	char *text = tp_read_file(path, NULL);

	if (!text)
		return -1;
	snprintf(old, len, "%s", text);
	free(text);
	return tp_write_file(path, value) ? -1 : 0;
}

/* Empty the buffer.  Returns 0 or -errno. */
static inline int tp_clear(void)
{
	int fd = open(BFT_DEBUGFS "/trace", O_WRONLY | O_TRUNC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* All of `trace`, parsed.  Returns 0 or -1. */
static inline int tp_read_trace(struct tp_trace *t)
{
	char *text = tp_read_file(BFT_DEBUGFS "/trace", NULL);
	int ret;

	memset(t, 0, sizeof(*t));
	if (!text)
		return -1;
	ret = tp_parse_text(text, t);
	free(text);
	return ret;
}

/* The session of the last load_start with pid=@pid, or 0. */
static inline uint32_t tp_session_of_pid(const struct tp_trace *t, pid_t pid)
{
	uint32_t session = 0;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (tp_is(&t->ev[i], "load_start") &&
		    tp_d(&t->ev[i], "pid") == pid)
			session = t->ev[i].session;
	return session;
}

/* Events of @session named @name (any name if NULL). */
static inline size_t tp_count(const struct tp_trace *t, uint32_t session,
			      const char *name)
{
	size_t i, n = 0;

	for (i = 0; i < t->n; i++)
		if (t->ev[i].session == session &&
		    (!name || tp_is(&t->ev[i], name)))
			n++;
	return n;
}

/* The first event of @session named @name, or NULL. */
static inline const struct tp_event *tp_find(const struct tp_trace *t,
					     uint32_t session,
					     const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->ev[i].session == session && tp_is(&t->ev[i], name))
			return &t->ev[i];
	return NULL;
}

/* Log lines go to stderr as TAP comments, like TH_LOG's. */
static inline void tp_log_line(const char *line)
{
	fprintf(stderr, "#     %s\n", line);
}

/* Log the first lines that did not parse, with the reason. */
static inline void tp_dump_bad(const struct tp_trace *t)
{
	size_t i;

	for (i = 0; i < t->nbad && i < sizeof(t->bad) / sizeof(t->bad[0]);
	     i++)
		fprintf(stderr, "#     UNPARSED %s\n", t->bad[i]);
}

/* Log the events of @session (all if 0) of tid @tid (any if 0). */
static inline void tp_dump(const struct tp_trace *t, uint32_t session,
			   int tid, size_t max)
{
	size_t i, shown = 0, left = 0;

	for (i = 0; i < t->n; i++) {
		if ((session && t->ev[i].session != session) ||
		    (tid && t->ev[i].tid != tid))
			continue;
		if (shown < max) {
			tp_log_line(t->ev[i].line);
			shown++;
		} else {
			left++;
		}
	}
	if (left)
		fprintf(stderr, "#     ... and %zu more\n", left);
	tp_dump_bad(t);
}

/* The keys of each event, in the documented order. */
static inline const char *tp_keys_of(const char *name)
{
	static const char * const keys[][2] = {
		{ "load_start", "session pid file interp argc envc label flags "
				"elf_offset elf_size type phnum entry" },
		{ "load_phdr", "session obj index type offset vaddr paddr "
			       "filesz memsz flags align" },
		{ "load_stack", "session stack_top p exec_stack result" },
		{ "load_map", "session obj seg addr len prot flags off total "
			      "result" },
		{ "load_bss", "session obj seg prot zero anon result" },
		{ "load_interp", "session bias entry result" },
		{ "load_vdso", "session vdso result" },
		{ "load_auxv", "session index key id value" },
		{ "load_brk", "session elf_brk start_brk brk moved randomized" },
		{ "load_entry", "session entry sp exe_entry load_bias" },
		{ "load_error", "session step error" },
		{ "load_end", "session result load_ns" },
		{ "page_fault", "session since addr ip access mode obj seg off "
				"file result lock cache lat minflt majflt" },
		{ "fork", "session child" },
		{ "mm_exit", "session mms_left minflt majflt" },
		{ "mmap", "session addr len prot flags fd file off result" },
		{ "mprotect", "session addr len prot result" },
		{ "munmap", "session addr len result" },
		{ "mremap", "session addr old_len new_len flags new_addr "
			    "result" },
		{ "brk", "session brk result" },
		{ "sessions", "session pid comm file label state result load_ns "
			      "events dropped faults minor major retry "
			      "fallback errors "
			      "cache_hit cache_miss mms maps" },
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i][0], name) == 0)
			return keys[i][1];
	return NULL;
}

static inline bool tp_one_of(const char *v, const char *const *set)
{
	for (; v && *set; set++)
		if (strcmp(v, *set) == 0)
			return true;
	return false;
}

/* A memory-map system call event: mmap, mprotect, munmap, mremap, brk. */
static inline bool tp_is_mm(const struct tp_event *ev)
{
	static const char *const names[] = { "mmap", "mprotect", "munmap",
		"mremap", "brk", NULL };

	return tp_one_of(ev->name, names);
}

/* prot=: rwx letters, or hex when other bits are set. */
static inline bool tp_prot_ok(const struct tp_event *ev)
{
	static const char *const prot[] = { "---", "r--", "-w-", "--x",
		"rw-", "r-x", "-wx", "rwx", NULL };

	return tp_one_of(tp_get(ev, "prot"), prot) || tp_x(ev, "prot") != TP_BAD;
}

/* result= of mmap, mremap: an address, or a negative decimal errno. */
static inline bool tp_addr_or_errno(const struct tp_event *ev)
{
	return tp_x(ev, "result") != TP_BAD || (tp_d(ev, "result") < 0 &&
						tp_d(ev, "result") != TP_BADD);
}

/* result= of mprotect, munmap: 0 or a negative decimal errno. */
static inline bool tp_zero_or_errno(const struct tp_event *ev)
{
	int64_t v = tp_d(ev, "result");

	return v != TP_BADD && v <= 0;
}

static inline bool tp_mm_values_ok(const struct tp_event *ev)
{
	if (tp_is(ev, "brk"))
		return tp_x(ev, "brk") != TP_BAD && tp_x(ev, "result") != TP_BAD;
	if (tp_x(ev, "addr") == TP_BAD)
		return false;
	if (tp_is(ev, "mremap"))
		return tp_x(ev, "old_len") != TP_BAD &&
		       tp_x(ev, "new_len") != TP_BAD &&
		       tp_x(ev, "new_addr") != TP_BAD &&
		       tp_get(ev, "flags") && tp_addr_or_errno(ev);
	if (tp_x(ev, "len") == TP_BAD)
		return false;
	if (tp_is(ev, "munmap"))
		return tp_zero_or_errno(ev);
	if (!tp_prot_ok(ev))
		return false;
	if (tp_is(ev, "mprotect"))
		return tp_zero_or_errno(ev);
	return tp_d(ev, "fd") != TP_BADD && tp_x(ev, "off") != TP_BAD &&
	       tp_get(ev, "flags") && tp_get(ev, "file") &&
	       tp_addr_or_errno(ev);
}

/* The value syntax of the memory-map events (docs/trace-format.md). */
static inline bool tp_check_mm(const struct tp_event *ev, const char **why)
{
	bool ok = tp_mm_values_ok(ev);

	*why = ok ? NULL :
		"memory-map event: a value out of its documented syntax";
	return ok;
}

/*
 * @ev has the documented keys of its event (@as overrides the name: the
 * sessions file), in order; for page_fault, every value has its
 * documented syntax.  Returns true, or false with the reason.
 */
static inline bool tp_check_format_as(const struct tp_event *ev,
				      const char *as, const char **why)
{
	static const char *const access[] = { "read", "write", "exec", NULL };
	static const char *const mode[] = { "user", "kernel", "remote", NULL };
	static const char *const obj[] = { "exe", "interp", "lib", "heap",
		"stack", "anon", "vdso", "vvar", "none", "unknown", NULL };
	static const char *const result[] = { "minor", "major", "retry",
		"sigsegv", "sigbus", "oom", "-", NULL };
	static const char *const cache[] = { "hit", "miss", "-", NULL };
	static const char *const lock[] = { "mmap", "vma", "-", NULL };
	const char *keys = tp_keys_of(as ? as : ev->name), *k, *seg, *file;
	size_t len;
	int i = 0;

	*why = "unknown event name";
	if (!keys)
		return false;
	*why = "keys differ from the documented ones, in order";
	for (k = keys; *k; k += len + (k[len] == ' ')) {
		len = strcspn(k, " ");
		if (i >= ev->nfields || strlen(ev->f[i].key) != len ||
		    strncmp(ev->f[i].key, k, len))
			return false;
		i++;
	}
	if (i != ev->nfields)
		return false;
	*why = NULL;
	if (!as && tp_is_mm(ev))
		return tp_check_mm(ev, why);
	if (as || !tp_is(ev, "page_fault"))
		return true;

	*why = "page_fault: since, lat, minflt, majflt must be decimal; addr 0x";
	if (tp_d(ev, "since") < 0 || tp_d(ev, "lat") < 0 ||
	    tp_d(ev, "minflt") < 0 || tp_d(ev, "majflt") < 0 ||
	    tp_x(ev, "addr") == TP_BAD)
		return false;
	/* fault_capture=fast: written at the start, nothing measured yet */
	*why = "page_fault: result=- goes with lock=- cache=- lat=0 only";
	if ((tp_eq(ev, "result", "-") || tp_eq(ev, "lock", "-")) &&
	    (!tp_eq(ev, "result", "-") || !tp_eq(ev, "lock", "-") ||
	     !tp_eq(ev, "cache", "-") || tp_d(ev, "lat") != 0))
		return false;
	*why = "page_fault: obj=unknown only with result=-";
	if (tp_eq(ev, "obj", "unknown") && !tp_eq(ev, "result", "-"))
		return false;
	*why = "page_fault: ip must be 0x or '-'";
	if (!tp_eq(ev, "ip", "-") && tp_x(ev, "ip") == TP_BAD)
		return false;
	*why = "page_fault: access, mode, obj, result, lock or cache out of set";
	if (!tp_one_of(tp_get(ev, "access"), access) ||
	    !tp_one_of(tp_get(ev, "mode"), mode) ||
	    !tp_one_of(tp_get(ev, "obj"), obj) ||
	    !tp_one_of(tp_get(ev, "result"), result) ||
	    !tp_one_of(tp_get(ev, "lock"), lock) ||
	    !tp_one_of(tp_get(ev, "cache"), cache))
		return false;
	*why = "page_fault: seg must be decimal for exe/interp, else -1";
	seg = tp_get(ev, "seg");
	if (tp_eq(ev, "obj", "exe") || tp_eq(ev, "obj", "interp") ?
	    tp_d(ev, "seg") < 0 : strcmp(seg, "-1") != 0)
		return false;
	*why = "page_fault: off must be 0x or '-'";
	if (!tp_eq(ev, "off", "-") && tp_x(ev, "off") == TP_BAD)
		return false;
	*why = "page_fault: file must be '-' unless obj=lib";
	file = tp_get(ev, "file");
	if (!tp_eq(ev, "obj", "lib") && strcmp(file, "-") != 0)
		return false;
	*why = NULL;
	return true;
}

static inline bool tp_check_format(const struct tp_event *ev,
				   const char **why)
{
	return tp_check_format_as(ev, NULL, why);
}

/*
 * The last line of the sessions file whose @key is @val, parsed into @ev
 * (free it with tp_event_free()).  Returns 0, or -1 if there is none.
 */
static inline int tp_session_line_where(const char *key, const char *val,
					struct tp_event *ev)
{
	char *text = tp_read_file(BFT_DEBUGFS "/sessions", NULL);
	char *line, *save = NULL;
	struct tp_event cur;
	const char *why;
	int ret = -1;

	memset(ev, 0, sizeof(*ev));
	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		memset(&cur, 0, sizeof(cur));
		cur.line = strdup(line);
		cur.store = malloc(strlen(line) + 1);
		if (cur.line && cur.store &&
		    tp_parse_fields(line, &cur, true, &why) == 0 &&
		    tp_eq(&cur, key, val) && tp_d(&cur, "session") > 0) {
			tp_event_free(ev);
			*ev = cur;
			ev->session = (uint32_t)tp_d(ev, "session");
			strcpy(ev->name, "sessions");
			ret = 0;
		} else {
			tp_event_free(&cur);
		}
	}
	free(text);
	return ret;
}

static inline int tp_session_line(uint32_t session, struct tp_event *ev)
{
	char id[16];

	snprintf(id, sizeof(id), "%u", session);
	return tp_session_line_where("session", id, ev);
}

/* Lines in the sessions file. */
static inline int tp_session_count(void)
{
	char *text = tp_read_file(BFT_DEBUGFS "/sessions", NULL), *p;
	int n = 0;

	if (!text)
		return -1;
	for (p = text; (p = strchr(p, '\n')); p++)
		n++;
	free(text);
	return n;
}

/* The value of "@key value" in the stats file, or -1. */
static inline long long tp_stat(const char *key)
{
	char *text = tp_read_file(BFT_DEBUGFS "/stats", NULL), *p;
	size_t len = strlen(key);
	long long v = -1;

	if (!text)
		return -1;
	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, len) == 0 && p[len] == ' ') {
			v = strtoll(p + len + 1, NULL, 0);
			break;
		}
	}
	free(text);
	return v;
}

/* A number file (buffer_size_kb, enable, refcnt...), or -1. */
static inline long long tp_read_number(const char *path)
{
	char *text = tp_read_file(path, NULL), *end;
	long long v;

	if (!text)
		return -1;
	v = strtoll(text, &end, 10);
	if (end == text || (*end && *end != '\n'))
		v = -1;
	free(text);
	return v;
}

/*
 * A buffer size file of ftrace's (buffer_size_kb, buffer_total_size_kb):
 * "N", or "N (expanded: M)" until the top tracefs instance has been
 * expanded (a global flag on 6.1, the instance's own on 6.12); N is the
 * size either way.  -1 if it is neither.
 */
static inline long long tp_read_kb(const char *path)
{
	char *text = tp_read_file(path, NULL), *end;
	long long v, expanded;

	if (!text)
		return -1;
	v = strtoll(text, &end, 10);
	if (end == text)
		v = -1;
	else if (strncmp(end, " (expanded: ", 12) == 0 &&
		 (expanded = strtoll(end + 12, &end, 10)) >= 0 &&
		 strcmp(end, ")\n") == 0)
		;
	else if (strcmp(end, "\n") != 0)
		v = -1;
	free(text);
	return v;
}

/* Our instance's buffer_size_kb: the size of each CPU's buffer. */
static inline long long tp_buffer_kb(void)
{
	return tp_read_kb(BFT_DEBUGFS "/buffer_size_kb");
}

/* Wrap the ELF @src into @dst with @label and @flags.  0 or -errno. */
static inline int tp_wrap(const char *src, const char *dst, const char *label,
			  uint32_t flags)
{
	struct bft_header h;
	size_t size;
	char *elf = tp_read_file(src, &size);
	int ret;

	if (!elf)
		return -ENOENT;
	bft_header_init(&h, size);
	h.flags = htole32(flags);
	memcpy(h.label, label, strnlen(label, sizeof(h.label)));
	ret = bft_write_wrapped(dst, &h, elf, size);
	free(elf);
	return ret;
}

/*
 * Start @path with @argv, stdin from @in_fd and stdout to @out_fd (-1:
 * /dev/null), stderr left alone.  Returns the pid.  Other descriptors
 * are inherited: open pipes with O_CLOEXEC.
 */
static inline pid_t tp_spawn(const char *path, char *const argv[], int in_fd,
			     int out_fd)
{
	char *envp[] = { "PATH=/bin:/sbin", "A=1", NULL };
	pid_t pid = fork();
	int null;

	if (pid)
		return pid;
	null = open("/dev/null", O_RDWR);
	dup2(in_fd >= 0 ? in_fd : null, 0);
	dup2(out_fd >= 0 ? out_fd : null, 1);
	execve(path, argv, envp);
	_exit(127);
}

/*
 * Run @path with @argv to its end; its stdout in *@out (malloc'ed,
 * NUL-terminated), its pid in *@pid.  Returns the wait status, or -1.
 */
static inline int tp_run(const char *path, char *const argv[], char **out,
			 pid_t *pid)
{
	size_t len = 0, cap = 1 << 16;
	int pipefd[2], status;
	ssize_t n;

	*out = malloc(cap + 1);
	if (!*out || pipe2(pipefd, O_CLOEXEC))
		return -1;
	*pid = tp_spawn(path, argv, -1, pipefd[1]);
	close(pipefd[1]);
	for (;;) {
		if (len == cap) {
			cap *= 2;
			*out = realloc(*out, cap + 1);
			if (!*out)
				return -1;
		}
		n = read(pipefd[0], *out + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	(*out)[len] = '\0';
	close(pipefd[0]);
	if (*pid < 0 || waitpid(*pid, &status, 0) != *pid)
		return -1;
	return status;
}

/* The number in a "@key=NUMBER" line of a program's output, or TP_BAD. */
static inline uint64_t tp_out(const char *out, const char *key)
{
	size_t len = strlen(key);
	const char *p;
	char *end;
	uint64_t v;

	for (p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, len) == 0 && p[len] == '=') {
			v = strtoull(p + len + 1, &end, 0);
			return end == p + len + 1 ? TP_BAD : v;
		}
	}
	return TP_BAD;
}

static inline uint64_t tp_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static inline void tp_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* insmod binfmt_trace with @params ("" for none): 0 or -errno. */
static inline int tp_load_module(const char *params)
{
	int fd = open(BFT_MODULE_PATH, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

/*
 * rmmod binfmt_trace, retried for two seconds while something still
 * holds it (an exited traced program's mm on its way out): 0 or the
 * errno.
 */
static inline int tp_unload_module(void)
{
	int err, i;

	for (i = 0; i < 20; i++) {
		err = syscall(SYS_delete_module, BFT_MODULE_NAME, O_NONBLOCK) ?
		      errno : 0;
		if (err != EWOULDBLOCK)
			break;
		tp_sleep_ms(100);
	}
	return err;
}

/* Wait until the probes are disarmed, so the next arming reads the mode. */
static inline bool tp_wait_disarmed(void)
{
	int i;

	for (i = 0; i < 300; i++) {
		if (tp_stat("probes_armed") == 0)
			return true;
		tp_sleep_ms(100);
	}
	return false;
}

/* The summary line "KEY: ..." of bft's output @out, or NULL. */
static inline char *tp_summary_line(const char *out, const char *key)
{
	char head[32];
	const char *p;

	snprintf(head, sizeof(head), "\n%s: ", key);
	p = strstr(out, head);
	return p ? strndup(p + 1, strcspn(p + 1, "\n")) : NULL;
}

/**
 * struct tp_waiting - a program started with "wait": loaded, it prints
 * its maps and reads stdin until EOF (progs/loadinfo.c)
 * @pid: its pid, or -1
 * @in: the write end of its stdin
 * @out: the read end of its stdout
 */
struct tp_waiting {
	pid_t	pid;
	int	in;
	int	out;
};

/*
 * Start @path with @argv (which asks it to wait) and read its output up
 * to its maps' [stack] line: then it is loaded and waits.  0, or -1 when
 * it did not get there; either way tp_stop_waiting() reaps it.
 */
static inline int tp_start_waiting(const char *path, char *const argv[],
				   struct tp_waiting *w)
{
	char out[65536];
	int in[2], outp[2], i;
	size_t len = 0;
	ssize_t n;

	w->pid = -1;
	if (pipe2(in, O_CLOEXEC) || pipe2(outp, O_CLOEXEC))
		return -1;
	w->pid = tp_spawn(path, argv, in[0], outp[1]);
	close(in[0]);
	close(outp[1]);
	w->in = in[1];
	w->out = outp[0];
	out[0] = '\0';
	for (i = 0; i < 1000 && len < sizeof(out) - 1; i++) {
		n = read(w->out, out + len, sizeof(out) - 1 - len);
		if (n <= 0)
			break;
		len += n;
		out[len] = '\0';
		if (strstr(out, "[stack]"))
			return w->pid > 0 ? 0 : -1;
	}
	return -1;
}

/* Let @w go (EOF on its stdin) and reap it: its wait status, or -1. */
static inline int tp_stop_waiting(struct tp_waiting *w)
{
	int status;

	close(w->in);
	if (w->pid <= 0 || waitpid(w->pid, &status, 0) != w->pid)
		status = -1;
	close(w->out);
	return status;
}

/*
 * Until its first session a freshly loaded module keeps its buffers at
 * their idle size (stats buffer_idle 1): run one traced program so that
 * they have their full size, for tests that read or set it.  0 or -1.
 */
static inline int tp_buffer_awake(void)
{
	char *argv[] = { "bft-awake", NULL }, *out = NULL;
	const char *prog = "/tmp/bft-awake";
	pid_t pid;
	int ret = 0;

	if (tp_stat("buffer_idle") != 1)
		return 0;
	if (tp_wrap("/selftests/progs/hello-static", prog, "awake", 0) ||
	    tp_run(prog, argv, &out, &pid) || tp_stat("buffer_idle") != 0)
		ret = -1;
	free(out);
	unlink(prog);
	return ret;
}

#endif /* TRACE_PARSE_H */
