// SPDX-License-Identifier: GPL-2.0
/*
 * report_svg.c - bft report --format svg: not built yet.  A placeholder
 * with the signature of report_model.h, replaced by the real writer.
 */
#include <stdio.h>

#include "report_model.h"

int report_write_svg(FILE *f, const struct report *r)
{
	(void)f;
	(void)r;
	fprintf(stderr, "bft report: --format svg is not built yet\n");
	return 2;
}
