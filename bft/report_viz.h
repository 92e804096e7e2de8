/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report_viz.h - what the two picture writers of bft report (perfetto,
 * svg) share: how a fault is classed and named, its time, its symbol,
 * and how a model string (any bytes) is written into JSON or XML.
 */
#ifndef BFT_REPORT_VIZ_H
#define BFT_REPORT_VIZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report_model.h"

/*
 * The class of a fault, for its name and its mark.  A cache miss is the
 * call that read the page (cache=miss, whatever its result=); a major
 * one is result=major; the rest go by result=.
 */
enum viz_class {
	VIZ_MINOR,
	VIZ_MAJOR,
	VIZ_MISS,
	VIZ_RETRY,
	VIZ_ERROR,	/* sigsegv, sigbus, oom */
	VIZ_OTHER,
};

enum viz_class viz_fault_class(const struct report_fault *f);

/* "minor fault", "major fault", "cache miss", "retry", ... */
const char *viz_class_name(enum viz_class c);

/*
 * When the fault entered handle_mm_fault(), in ns since the session's
 * first line: its since= when the trace has it, else its line's time.
 */
uint64_t viz_fault_ns(const struct report_fault *f);

/*
 * "name+0x1a" (or "name") of @a's symbol into @buf; NULL, and @buf
 * untouched, when @a names no symbol.
 */
const char *viz_symbol(const struct report_attr *a, char *buf, size_t len);

/* The object @a lies in, or NULL. */
const struct report_object *viz_object(const struct report_session *s,
				       const struct report_attr *a);

/* The value of field @key of event @e, or NULL. */
const char *viz_field(const struct report_event *e, const char *key);

/*
 * Write @str, escaped, without quotes.  Both writers show a byte that is
 * not printable UTF-8 (below 0x20, 0x7f, or not part of a valid UTF-8
 * sequence) as the trace does, the four characters \xNN; the rest is
 * copied, with JSON's or XML's own escapes.
 */
void viz_json_str(FILE *f, const char *str);
void viz_xml_str(FILE *f, const char *str);

/*
 * viz_xml_str() of at most @max characters as shown (\xNN is four): a
 * longer @str is cut and ends in "...".  @f NULL writes nothing.
 * Returns the characters shown.
 */
size_t viz_xml_str_cut(FILE *f, const char *str, size_t max);

/* "%llu.%03u": @ns as microseconds with three decimals. */
void viz_put_us(FILE *f, uint64_t ns);

#endif /* BFT_REPORT_VIZ_H */
