// SPDX-License-Identifier: GPL-2.0
/*
 * report_svg.c - bft report --format svg: a page heat map of each
 * session, as one self-contained SVG 1.1 picture (no script, no font
 * file, nothing fetched).  docs/report-format.md describes it:
 *
 *   - one row per mapping of each object (report_object.maps), in the
 *     model's order: exe and interp segments, libraries, heap, stack,
 *     anonymous mappings, vdso ...;
 *   - one cell per page of the mapping, at most SVG_MAX_CELLS a row: a
 *     bigger mapping gets k pages a cell, and its row says "k pages/cell";
 *   - a touched cell is colored by the time of its first touch (viridis,
 *     linear from the session's first first-touch to its last); an
 *     untouched one light grey; a red frame marks a major fault on the
 *     cell, a white dot a cache miss;
 *   - each cell has a <title> tooltip: its page(s), first-touch time and
 *     the symbol of the first fault.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report_viz.h"

#define SVG_MAX_CELLS	128	/* cells a row, at most */
#define CELL_W		7
#define CELL_H		11
#define CELL_PITCH	8	/* CELL_W and a 1-pixel gap */
#define ROW_PITCH	14
#define OBJ_GAP		5	/* more space where the object changes */
#define FONT_PX		11
#define CHAR_W		6.7	/* DejaVu Sans Mono at 11 px, a little more */
#define MARGIN		16
#define NAME_MAX_CH	28	/* longer object names are cut */
#define CLUSTER_GAP	64	/* pages between two rows of an object
				 * without mappings */
#define UNTOUCHED	"#e4e4e4"
#define MAJOR_COLOR	"#e31a1c"

struct cell {
	uint64_t	first_ns;	/* UINT64_MAX: not touched */
	size_t		first;		/* that fault */
	uint64_t	touched;	/* pages first touched in the cell */
	bool		major, miss;
};

struct row {
	size_t		obj, map;
	uint64_t	start, end;	/* page-aligned */
	bool		sized;		/* the mapping's size is known */
	uint64_t	per_cell;	/* pages a cell */
	size_t		ncells;
	struct cell	*cells;
};

struct heat {
	const struct report_session *s;
	size_t		nrows;
	struct row	*rows;
	size_t		*row_of;	/* of each fault; REPORT_NONE */
	unsigned long	unplaced;	/* faults in no row */
	bool		any;		/* some cell touched */
	uint64_t	t_min, t_max;	/* first-touch times */
	double		y;		/* where it starts */
};

#define PAGE_DOWN(a)	((a) & ~(REPORT_PAGE_SIZE - 1))

static uint64_t page_up(uint64_t a)
{
	uint64_t p = PAGE_DOWN(a);

	return p == a ? a : p + REPORT_PAGE_SIZE;
}

static bool row_holds(const struct row *w, uint64_t addr)
{
	return addr >= w->start && addr < w->end;
}

/* ------------------------------------------------------------------ */
/* Rows and their cells                                                */

/* The row of fault @f: by its attribution, else by address. */
static size_t place_fault(const struct heat *h, const struct report_fault *f)
{
	const struct report_attr *a = &f->at_addr;
	bool has_obj = a->state != RATTR_NONE && a->state != RATTR_NO_OBJECT &&
		       a->object < h->s->nobjects;
	size_t i, unsized = REPORT_NONE;

	for (i = h->nrows; has_obj && i-- > 0;) {
		const struct row *w = &h->rows[i];

		if (w->obj != a->object)
			continue;
		if (w->map == a->mapping && (!w->sized || row_holds(w, f->addr)))
			return i;
		if (w->sized && row_holds(w, f->addr))
			return i;
		if (!w->sized && unsized == REPORT_NONE)
			unsized = i;
	}
	if (unsized != REPORT_NONE)
		return unsized;
	for (i = h->nrows; i-- > 0;)
		if (h->rows[i].sized && row_holds(&h->rows[i], f->addr))
			return i;
	return REPORT_NONE;
}

static struct row *add_row(struct heat *h, size_t *cap)
{
	struct row *rows;

	if (h->nrows == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		rows = realloc(h->rows, *cap * sizeof(*rows));
		if (!rows)
			return NULL;
		h->rows = rows;
	}
	memset(&h->rows[h->nrows], 0, sizeof(*h->rows));
	return &h->rows[h->nrows++];
}

static bool in_object(const struct report_attr *a, size_t o)
{
	return a->state != RATTR_NONE && a->state != RATTR_NO_OBJECT &&
	       a->object == o;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Object @o has no mapping (a library the trace has no mmap event for):
 * a row for each run of the pages its faults touched, no two pages of a
 * run more than CLUSTER_GAP pages apart.
 */
static int add_unmapped_rows(struct heat *h, size_t o, size_t *cap)
{
	const struct report_session *s = h->s;
	struct row *w = NULL;
	uint64_t *pages;
	size_t i, n = 0;

	pages = malloc((s->nfaults + 1) * sizeof(*pages));
	if (!pages)
		return -1;
	for (i = 0; i < s->nfaults; i++)
		if (in_object(&s->faults[i].at_addr, o))
			pages[n++] = PAGE_DOWN(s->faults[i].addr);
	qsort(pages, n, sizeof(*pages), cmp_u64);
	for (i = 0; i < n; i++) {
		if (!w || pages[i] - (w->end - REPORT_PAGE_SIZE) >
			  CLUSTER_GAP * REPORT_PAGE_SIZE) {
			w = add_row(h, cap);
			if (!w)
				break;
			w->obj = o;
			w->map = REPORT_NONE;
			w->start = pages[i];
			w->sized = true;
		}
		w->end = pages[i] + REPORT_PAGE_SIZE;
	}
	free(pages);
	return i < n ? -1 : 0;
}

/* Whether object @o has a mapping of known size. */
static bool has_sized_map(const struct report_object *o)
{
	size_t m;

	for (m = 0; m < o->nmaps; m++)
		if (page_up(o->maps[m].end) > PAGE_DOWN(o->maps[m].start))
			return true;
	return false;
}

/*
 * Whether a fault of the session on object @o was taken in the mapping
 * @mp while it was there: a mapping that was replaced later (the
 * reservation of a whole image, the pieces an mprotect split) is drawn
 * only then.
 */
static bool map_has_fault(const struct report_session *s, size_t o,
			  const struct report_mapping *mp)
{
	size_t i;

	for (i = 0; i < s->nfaults; i++)
		if (s->faults[i].at_addr.object == o &&
		    s->faults[i].event >= mp->event &&
		    (mp->end_event == REPORT_NONE ||
		     s->faults[i].event < mp->end_event) &&
		    s->faults[i].addr >= PAGE_DOWN(mp->start) &&
		    s->faults[i].addr < page_up(mp->end))
			return true;
	return false;
}

/*
 * One row per mapping, but none for a mapping that was unmapped or
 * replaced later and has no fault in it; a mapping of unknown size (the trace gave a point:
 * load_brk, load_stack, load_vdso) only when its object has no sized one
 * (a brk event sizes the heap).
 */
static int make_rows(struct heat *h)
{
	const struct report_session *s = h->s;
	size_t o, m, cap = 0;
	struct row *w;

	h->row_of = calloc(s->nfaults ? s->nfaults : 1, sizeof(*h->row_of));
	if (!h->row_of)
		return -1;
	for (o = 0; o < s->nobjects; o++) {
		if (!s->objects[o].nmaps && add_unmapped_rows(h, o, &cap))
			return -1;
		bool sized = has_sized_map(&s->objects[o]);

		for (m = 0; m < s->objects[o].nmaps; m++) {
			const struct report_mapping *mp = &s->objects[o].maps[m];

			if (sized && page_up(mp->end) <= PAGE_DOWN(mp->start))
				continue;
			if (mp->end_event != REPORT_NONE &&
			    !map_has_fault(s, o, mp))
				continue;
			w = add_row(h, &cap);
			if (!w)
				return -1;
			w->obj = o;
			w->map = m;
			w->start = PAGE_DOWN(mp->start);
			w->end = page_up(mp->end);
			w->sized = w->end > w->start;
		}
	}
	return 0;
}

/* An unsized row spans the pages its faults touched (one page if none). */
static void size_rows(struct heat *h)
{
	const struct report_session *s = h->s;
	struct row *w;
	uint64_t p;
	size_t i;

	for (i = 0; i < s->nfaults; i++) {
		h->row_of[i] = place_fault(h, &s->faults[i]);
		if (h->row_of[i] == REPORT_NONE) {
			h->unplaced++;
			continue;
		}
		w = &h->rows[h->row_of[i]];
		if (w->sized)
			continue;
		p = PAGE_DOWN(s->faults[i].addr);
		if (w->end <= w->start) {
			w->start = p;
			w->end = p + REPORT_PAGE_SIZE;
		}
		if (p < w->start)
			w->start = p;
		if (p + REPORT_PAGE_SIZE > w->end)
			w->end = p + REPORT_PAGE_SIZE;
	}
	for (i = 0; i < h->nrows; i++) {
		w = &h->rows[i];
		if (w->end <= w->start)
			w->end = w->start + REPORT_PAGE_SIZE;
	}
}

static int make_cells(struct row *w)
{
	uint64_t pages = (w->end - w->start) / REPORT_PAGE_SIZE;
	size_t i;

	w->per_cell = (pages + SVG_MAX_CELLS - 1) / SVG_MAX_CELLS;
	w->ncells = (pages + w->per_cell - 1) / w->per_cell;
	w->cells = calloc(w->ncells, sizeof(*w->cells));
	if (!w->cells)
		return -1;
	for (i = 0; i < w->ncells; i++)
		w->cells[i].first_ns = UINT64_MAX;
	return 0;
}

static void fill_cells(struct heat *h)
{
	const struct report_session *s = h->s;
	enum viz_class c;
	struct cell *cl;
	struct row *w;
	uint64_t t, k;
	size_t i;

	h->t_min = UINT64_MAX;
	h->t_max = 0;
	for (i = 0; i < s->nfaults; i++) {
		const struct report_fault *f = &s->faults[i];

		if (h->row_of[i] == REPORT_NONE)
			continue;
		w = &h->rows[h->row_of[i]];
		k = (PAGE_DOWN(f->addr) - w->start) / REPORT_PAGE_SIZE /
		    w->per_cell;
		if (f->addr < w->start || k >= w->ncells)
			continue;
		cl = &w->cells[k];
		c = viz_fault_class(f);
		cl->major |= c == VIZ_MAJOR;
		cl->miss |= c == VIZ_MISS;
		if (!f->first_touch)
			continue;
		cl->touched++;
		t = viz_fault_ns(f);
		if (t < cl->first_ns) {
			cl->first_ns = t;
			cl->first = i;
		}
		h->any = true;
		h->t_min = t < h->t_min ? t : h->t_min;
		h->t_max = t > h->t_max ? t : h->t_max;
	}
}

static int heat_build(struct heat *h, const struct report_session *s)
{
	size_t i;

	memset(h, 0, sizeof(*h));
	h->s = s;
	if (make_rows(h))
		return -1;
	size_rows(h);
	for (i = 0; i < h->nrows; i++)
		if (make_cells(&h->rows[i]))
			return -1;
	fill_cells(h);
	return 0;
}

static void heat_free(struct heat *h)
{
	size_t i;

	for (i = 0; i < h->nrows; i++)
		free(h->rows[i].cells);
	free(h->rows);
	free(h->row_of);
}

/* ------------------------------------------------------------------ */
/* Colors                                                              */

/* viridis (matplotlib), 9 stops from 0 to 1. */
static const unsigned char viridis[9][3] = {
	{ 0x44, 0x01, 0x54 }, { 0x47, 0x2d, 0x7b }, { 0x3b, 0x52, 0x8b },
	{ 0x2c, 0x72, 0x8e }, { 0x21, 0x91, 0x8c }, { 0x28, 0xae, 0x80 },
	{ 0x5e, 0xc9, 0x62 }, { 0xad, 0xdc, 0x30 }, { 0xfd, 0xe7, 0x25 },
};

static void put_color(FILE *f, double t)
{
	int i, k, c[3];
	double u;

	t = t < 0 ? 0 : t > 1 ? 1 : t;
	i = (int)(t * 8);
	if (i > 7)
		i = 7;
	u = t * 8 - i;
	for (k = 0; k < 3; k++)
		c[k] = (int)(viridis[i][k] + (viridis[i + 1][k] - viridis[i][k]) * u + 0.5);
	fprintf(f, "#%02x%02x%02x", c[0], c[1], c[2]);
}

static double heat_t(const struct heat *h, uint64_t ns)
{
	if (h->t_max <= h->t_min)
		return 0;
	return (double)(ns - h->t_min) / (double)(h->t_max - h->t_min);
}

/* "+12.345 ms" */
static void put_ms(FILE *f, uint64_t ns)
{
	fprintf(f, "+%" PRIu64 ".%03" PRIu64 " ms", ns / 1000000,
		(ns / 1000) % 1000);
}

/* ------------------------------------------------------------------ */
/* Layout                                                              */

struct layout {
	double	name_w;		/* the object name column */
	double	grid_x;		/* where cells start */
	double	width, height;
};

static size_t name_len(const struct report_object *o)
{
	return viz_xml_str_cut(NULL, o->name, NAME_MAX_CH);
}

/* Rows, object gaps and the header of one session's block. */
static double heat_height(const struct heat *h)
{
	double y = 100;		/* title, subtitle, legend, axis */
	size_t i;

	for (i = 0; i < h->nrows; i++)
		y += ROW_PITCH + (i && h->rows[i].obj != h->rows[i - 1].obj ?
				  OBJ_GAP : 0);
	return y + (h->nrows ? 10 : ROW_PITCH + 10);
}

static void layout(struct layout *l, struct heat *hs, size_t n)
{
	size_t i, k, name = 6;
	double y = MARGIN;

	for (i = 0; i < n; i++)
		for (k = 0; k < hs[i].nrows; k++) {
			size_t len = name_len(&hs[i].s->objects[hs[i].rows[k].obj]);

			name = len > name ? len : name;
		}
	l->name_w = (name + 2) * CHAR_W;
	/* name, "seg 12 " or "+0x1234000 ", prot */
	l->grid_x = MARGIN + l->name_w + 12 * CHAR_W + 5 * CHAR_W;
	/* cells, then "0x7fff12345000-0x7fff12346000 12345 pages, 123/cell" */
	l->width = l->grid_x + SVG_MAX_CELLS * CELL_PITCH + 8 + 56 * CHAR_W +
		   MARGIN;
	for (i = 0; i < n; i++) {
		hs[i].y = y;
		y += heat_height(&hs[i]);
	}
	l->height = y + MARGIN < 64 ? 64 : y + MARGIN;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

static void put_text(FILE *f, double x, double y, const char *attrs,
		     const char *str)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\"%s%s>", x, y,
		attrs ? " " : "", attrs ? attrs : "");
	viz_xml_str(f, str);
	fputs("</text>\n", f);
}

static void put_title_block(FILE *f, const struct heat *h, double y)
{
	const struct report_session *s = h->s;
	const struct report_totals *t = &s->totals;
	char buf[160];

	fputs("<text x=\"16\" y=\"", f);
	fprintf(f, "%.1f\" class=\"title\">", y + 14);
	viz_xml_str(f, viz_session_name(s));
	fprintf(f, " (session %lu", s->id);
	if (s->has_pid)
		fprintf(f, ", pid %ld", s->pid);
	fputs("): pages by first touch", f);
	if (s->file) {
		fputs(" \xe2\x80\x94 ", f);
		viz_xml_str(f, s->file);
	}
	fputs("</text>\n", f);
	snprintf(buf, sizeof(buf),
		 "%lu faults: %lu minor, %lu major, %lu cache misses; %lu pages touched",
		 t->faults, t->by_result[RRES_MINOR], t->by_result[RRES_MAJOR],
		 t->cache_miss, t->pages);
	fprintf(f, "<text x=\"16\" y=\"%.1f\">%s", y + 31, buf);
	if (s->has_load_end)
		fprintf(f, "; load %s, %" PRIu64 ".%03" PRIu64 " ms",
			s->load_result ? "failed" : "ok", s->load_ns / 1000000,
			(s->load_ns / 1000) % 1000);
	else
		fputs("; no load_end", f);
	if (h->unplaced)
		fprintf(f, "; %lu fault%s in no mapping (not shown)",
			h->unplaced, h->unplaced == 1 ? "" : "s");
	fputs("</text>\n", f);
}

/* The color bar, the untouched swatch and the two marks. */
static void put_legend(FILE *f, const struct heat *h, double y)
{
	double x = MARGIN + 13 * CHAR_W;

	fprintf(f, "<text x=\"%d\" y=\"%.1f\">first touch:</text>\n", MARGIN,
		y + 9);
	if (h->any) {
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", x, y + 9);
		put_ms(f, h->t_min);
		fputs("</text>\n", f);
		x += 13 * CHAR_W;
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"160\" height=\"%d\" fill=\"url(#viridis)\"/>\n",
			x, y, CELL_H);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", x + 166, y + 9);
		put_ms(f, h->t_max);
		fputs(" (since the session start; the color scale is linear)</text>\n",
		      f);
	} else {
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">no page touched</text>\n",
			x, y + 9);
	}
	y += 16;
	x = MARGIN;
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"" UNTOUCHED "\"/>\n",
		x, y, CELL_W, CELL_H);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">not touched</text>\n", x + 11, y + 9);
	x += 16 * CHAR_W;
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"#888\"/>\n",
		x, y, CELL_W, CELL_H);
	fprintf(f, "<rect class=\"major\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
		x + 0.8, y + 0.8, CELL_W - 1.6, CELL_H - 1.6);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">major fault</text>\n", x + 11, y + 9);
	x += 16 * CHAR_W;
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"#888\"/>\n",
		x, y, CELL_W, CELL_H);
	fprintf(f, "<circle class=\"miss\" cx=\"%.1f\" cy=\"%.1f\" r=\"1.9\"/>\n",
		x + CELL_W / 2.0, y + CELL_H / 2.0);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">cache miss (page read from disk)</text>\n",
		x + 11, y + 9);
	x += 37 * CHAR_W;
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"note\">one cell = one 4 KiB page; k/cell: k pages a cell (rows of more than %d pages)</text>\n",
		x, y + 9, SVG_MAX_CELLS);
}

static void put_axis(FILE *f, const struct layout *l, double y)
{
	int k;

	for (k = 0; k <= SVG_MAX_CELLS; k += 16) {
		double x = l->grid_x + k * CELL_PITCH - 0.5;

		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"tick\"/>\n",
			x, y + 3, x, y + 8);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"note\">%d</text>\n",
			x, y, k);
	}
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"note\">page of the mapping</text>\n",
		l->grid_x - 8, y);
}

/* The segment column: "seg N" (exe, interp), "+0xOFF" (file), or "". */
static void row_what(const struct report_session *s, const struct row *w,
		     char *buf, size_t len)
{
	const struct report_mapping *mp;
	const char *seg = NULL;

	buf[0] = 0;
	if (w->map == REPORT_NONE)
		return;
	mp = &s->objects[w->obj].maps[w->map];
	if (mp->event < s->nevents)
		seg = viz_field(&s->events[mp->event], "seg");
	if (seg && strcmp(seg, "-1"))
		snprintf(buf, len, "seg %s", seg);
	else if (mp->has_off && s->objects[w->obj].path)
		snprintf(buf, len, "+0x%" PRIx64, mp->off);
}

static void put_row_labels(FILE *f, const struct layout *l,
			   const struct heat *h, const struct row *w, double y)
{
	const struct report_object *o = &h->s->objects[w->obj];
	const struct report_mapping *mp = w->map == REPORT_NONE ? NULL :
					  &o->maps[w->map];
	uint64_t pages = (w->end - w->start) / REPORT_PAGE_SIZE;
	char buf[64];

	fprintf(f, "<text x=\"%d\" y=\"%.1f\">", MARGIN, y + 9);
	viz_xml_str_cut(f, o->name, NAME_MAX_CH);
	fputs("</text>\n", f);
	row_what(h->s, w, buf, sizeof(buf));
	if (buf[0])
		put_text(f, MARGIN + l->name_w, y + 9, "class=\"note\"", buf);
	if (mp && mp->prot[0])
		put_text(f, l->grid_x - 5 * CHAR_W, y + 9, NULL, mp->prot);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"note\">0x%" PRIx64 "-0x%" PRIx64 " %" PRIu64 " page%s",
		l->grid_x + w->ncells * CELL_PITCH + 6, y + 9, w->start, w->end,
		pages, pages == 1 ? "" : "s");
	if (w->per_cell > 1)
		fprintf(f, ", %" PRIu64 "/cell", w->per_cell);
	if (!w->sized)
		fputs(", size unknown: the pages faulted", f);
	if (!mp)
		fputs(", no mapping event: the pages faulted", f);
	else if (mp->end_event != REPORT_NONE)
		fputs(", unmapped later", f);
	fputs("</text>\n", f);
}

static void put_tooltip(FILE *f, const struct heat *h, const struct row *w,
			size_t k)
{
	const struct cell *cl = &w->cells[k];
	uint64_t p0 = w->start + k * w->per_cell * REPORT_PAGE_SIZE;
	uint64_t n = (w->end - p0) / REPORT_PAGE_SIZE;
	const struct report_fault *flt;
	char buf[512];
	const char *sym;

	n = n < w->per_cell ? n : w->per_cell;
	fprintf(f, "<title>0x%" PRIx64, p0);
	if (n > 1)
		fprintf(f, "-0x%" PRIx64 " (%" PRIu64 " pages, %" PRIu64 " touched)",
			(uint64_t)(p0 + n * REPORT_PAGE_SIZE), n, cl->touched);
	if (cl->first_ns == UINT64_MAX) {
		fputs(": not touched</title>", f);
		return;
	}
	flt = &h->s->faults[cl->first];
	fputs(": first touch ", f);
	put_ms(f, cl->first_ns);
	fprintf(f, " at 0x%" PRIx64 ", %s %s, %s", flt->addr, flt->access_name,
		flt->mode, viz_class_name(viz_fault_class(flt)));
	sym = viz_symbol(&flt->at_addr, buf, sizeof(buf));
	if (sym) {
		fputs("\nsymbol: ", f);
		viz_xml_str(f, sym);
	}
	sym = viz_symbol(&flt->at_ip, buf, sizeof(buf));
	if (sym) {
		fputs("\nip: ", f);
		viz_xml_str(f, sym);
	}
	if (cl->major || cl->miss)
		fprintf(f, "\n%s%s%s", cl->major ? "major fault" : "",
			cl->major && cl->miss ? ", " : "",
			cl->miss ? "cache miss" : "");
	fputs("</title>", f);
}

static void put_row(FILE *f, const struct layout *l, const struct heat *h,
		    const struct row *w, double y)
{
	size_t k;

	fprintf(f, "<g class=\"row\" id=\"s%lu-r%zu\">\n", h->s->id,
		(size_t)(w - h->rows));
	put_row_labels(f, l, h, w, y);
	for (k = 0; k < w->ncells; k++) {
		const struct cell *cl = &w->cells[k];
		double x = l->grid_x + k * CELL_PITCH;

		fprintf(f, "<g class=\"cell\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"",
			x, y, CELL_W, CELL_H);
		if (cl->first_ns == UINT64_MAX)
			fputs(UNTOUCHED, f);
		else
			put_color(f, heat_t(h, cl->first_ns));
		fputs("\">", f);
		put_tooltip(f, h, w, k);
		fputs("</rect>", f);
		if (cl->major)
			fprintf(f, "<rect class=\"major\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
				x + 0.8, y + 0.8, CELL_W - 1.6, CELL_H - 1.6);
		if (cl->miss)
			fprintf(f, "<circle class=\"miss\" cx=\"%.1f\" cy=\"%.1f\" r=\"1.9\"/>",
				x + CELL_W / 2.0, y + CELL_H / 2.0);
		fputs("</g>\n", f);
	}
	fputs("</g>\n", f);
}

static void put_heat(FILE *f, const struct layout *l, const struct heat *h)
{
	double y = h->y;
	size_t i;

	fprintf(f, "<g class=\"session\" id=\"session-%lu\">\n", h->s->id);
	put_title_block(f, h, y);
	put_legend(f, h, y + 42);
	if (h->nrows)
		put_axis(f, l, y + 88);
	y += 96;
	if (!h->nrows)
		put_text(f, MARGIN, y + 9, NULL,
			 "no mapping recorded for this session");
	for (i = 0; i < h->nrows; i++) {
		if (i && h->rows[i].obj != h->rows[i - 1].obj)
			y += OBJ_GAP;
		put_row(f, l, h, &h->rows[i], y);
		y += ROW_PITCH;
	}
	fputs("</g>\n", f);
}

static void put_head(FILE *f, const struct layout *l)
{
	int i;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
		l->width, l->height, l->width, l->height);
	fputs("<style type=\"text/css\">\n"
	      "text { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 11px; fill: #222; }\n"
	      "text.title { font-size: 14px; font-weight: bold; }\n"
	      "text.note { fill: #666; }\n"
	      "line.tick { stroke: #999; stroke-width: 1; }\n"
	      "rect.major { fill: none; stroke: " MAJOR_COLOR "; stroke-width: 1.4; }\n"
	      "circle.miss { fill: #fff; stroke: #000; stroke-width: 0.7; }\n"
	      "</style>\n<defs><linearGradient id=\"viridis\">\n", f);
	for (i = 0; i < 9; i++)
		fprintf(f, "<stop offset=\"%.3f\" stop-color=\"#%02x%02x%02x\"/>\n",
			i / 8.0, viridis[i][0], viridis[i][1], viridis[i][2]);
	fprintf(f, "</linearGradient></defs>\n"
		"<rect width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n",
		l->width, l->height);
}

int report_write_svg(FILE *f, const struct report *r)
{
	struct heat *hs;
	struct layout l;
	size_t i;
	int ret = 0;

	hs = calloc(r->nsessions ? r->nsessions : 1, sizeof(*hs));
	if (!hs)
		goto oom;
	for (i = 0; i < r->nsessions; i++)
		if (heat_build(&hs[i], &r->sessions[i]))
			ret = -1;
	if (ret)
		goto out;
	layout(&l, hs, r->nsessions);
	put_head(f, &l);
	fputs("<title>bft report: ", f);
	viz_xml_str(f, r->trace_path ? r->trace_path : "-");
	fputs("</title>\n", f);
	if (!r->nsessions)
		put_text(f, MARGIN, MARGIN + 14, "class=\"title\"",
			 "no session in this trace");
	for (i = 0; i < r->nsessions; i++)
		put_heat(f, &l, &hs[i]);
	fputs("</svg>\n", f);
out:
	for (i = 0; i < r->nsessions; i++)
		heat_free(&hs[i]);
	free(hs);
	if (ret)
		goto oom;
	if (fflush(f) || ferror(f)) {
		fprintf(stderr, "bft report: cannot write the report\n");
		return 1;
	}
	return 0;
oom:
	fprintf(stderr, "bft report: out of memory\n");
	return 1;
}
