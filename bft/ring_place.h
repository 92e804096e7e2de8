/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ring_place.h - what the address of a fault_capture=ring record belongs
 * to, worked out from its session's lines (docs/trace-format.md,
 * "fault_capture=ring").
 */
#ifndef BFT_RING_PLACE_H
#define BFT_RING_PLACE_H

#include <stdbool.h>
#include <stdint.h>

#include "bft_ring.h"
#include "trace_report.h"

/* A record's obj=, seg=, off= and file=, as the kernel would have said. */
struct ring_place {
	uint8_t		obj;		/* bft_ring.h's numbers */
	int8_t		seg;
	bool		has_off;
	uint64_t	off;
	const char	*file;		/* obj=lib: the file, unescaped */
};

struct ring_places;

/* The address spaces of @lines' session, before its first line. */
struct ring_places *ring_places_new(const struct session_lines *lines);

/*
 * Place @rec, a fault of the session: first apply every line up to its
 * time.  Call in time order.  @out->file lives as long as @rp.
 */
void ring_places_place(struct ring_places *rp, const struct bft_ring_rec *rec,
		       struct ring_place *out);

void ring_places_free(struct ring_places *rp);

#endif /* BFT_RING_PLACE_H */
