/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A few preallocated objects for probes that may not allocate: a probe
 * runs with preemption off, where PREEMPT_RT allows no allocation at all,
 * GFP_NOWAIT and GFP_ATOMIC included.  Process context fills the pool;
 * any context takes from it.
 */
#ifndef BFT_POOL_H
#define BFT_POOL_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#define BFT_POOL_MAX	64

/**
 * struct bft_pool - objects of one size, ready to take
 * @lock: guards @n and @items; a raw spinlock, so any context may take it
 * @n: objects in @items
 * @size: the size of each, for kmalloc()
 * @refill: fills the pool up once bft_pool_take() left it half empty
 * @items: the objects, @n of them
 */
struct bft_pool {
	raw_spinlock_t		lock;
	unsigned int		n;
	size_t			size;
	struct work_struct	refill;
	void			*items[BFT_POOL_MAX];
};

void bft_pool_init(struct bft_pool *pool, size_t size);
void bft_pool_fill(struct bft_pool *pool);
void *bft_pool_take(struct bft_pool *pool);
void bft_pool_destroy(struct bft_pool *pool);

#endif /* BFT_POOL_H */
