// SPDX-License-Identifier: GPL-2.0
/*
 * Preallocated objects for the probes: pool.h.  An object taken is the
 * taker's, to kfree() in process context (or in any context but
 * PREEMPT_RT's atomic ones) when done.
 */
#include <linux/slab.h>

#include "pool.h"

static void bft_pool_refill_fn(struct work_struct *work)
{
	bft_pool_fill(container_of(work, struct bft_pool, refill));
}

/**
 * bft_pool_init() - set up an empty pool
 * @pool: the pool
 * @size: the size of its objects
 */
void bft_pool_init(struct bft_pool *pool, size_t size)
{
	raw_spin_lock_init(&pool->lock);
	pool->n = 0;
	pool->size = size;
	INIT_WORK(&pool->refill, bft_pool_refill_fn);
}

/**
 * bft_pool_fill() - fill a pool up; process context
 * @pool: the pool
 *
 * Stops early, leaving the pool as it is, when an allocation fails.
 */
void bft_pool_fill(struct bft_pool *pool)
{
	unsigned long flags;
	void *obj;

	while (READ_ONCE(pool->n) < BFT_POOL_MAX) {
		obj = kmalloc(pool->size, GFP_KERNEL);
		if (!obj)
			return;
		raw_spin_lock_irqsave(&pool->lock, flags);
		if (pool->n < BFT_POOL_MAX) {
			pool->items[pool->n++] = obj;
			obj = NULL;
		}
		raw_spin_unlock_irqrestore(&pool->lock, flags);
		kfree(obj);	/* filled meanwhile by another */
	}
}

/**
 * bft_pool_take() - take an object; any context
 * @pool: the pool
 *
 * Schedules a refill once the pool is half empty.
 *
 * Return: an object of the pool's size, uninitialized, or NULL when the
 * pool is empty.
 */
void *bft_pool_take(struct bft_pool *pool)
{
	unsigned long flags;
	void *obj = NULL;

	raw_spin_lock_irqsave(&pool->lock, flags);
	if (pool->n)
		obj = pool->items[--pool->n];
	if (pool->n < BFT_POOL_MAX / 2)
		schedule_work(&pool->refill);
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	return obj;
}

/**
 * bft_pool_destroy() - free a pool's objects
 * @pool: the pool, which no one takes from any more
 */
void bft_pool_destroy(struct bft_pool *pool)
{
	cancel_work_sync(&pool->refill);
	while (pool->n)
		kfree(pool->items[--pool->n]);
}
