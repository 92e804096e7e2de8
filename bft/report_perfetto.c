// SPDX-License-Identifier: GPL-2.0
/*
 * report_perfetto.c - bft report --format perfetto: not built yet.  A placeholder
 * with the signature of report_model.h, replaced by the real writer.
 */
#include <stdio.h>

#include "report_model.h"

int report_write_perfetto(FILE *f, const struct report *r)
{
	(void)f;
	(void)r;
	fprintf(stderr, "bft report: --format perfetto is not built yet\n");
	return 2;
}
