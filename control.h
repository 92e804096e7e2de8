/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who is traced: exec marks (trace_next_exec) and the users parameter.
 * See control.c.
 */
#ifndef BFT_CONTROL_H
#define BFT_CONTROL_H

#include <linux/types.h>

struct bft_wrapper;
struct dentry;

bool bft_mark_take(struct bft_wrapper *wrapper);
bool bft_users_others(void);
bool bft_user_traced(void);
int bft_control_init(struct dentry *dir);
void bft_control_exit(void);

#endif /* BFT_CONTROL_H */
