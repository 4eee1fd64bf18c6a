// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: the cachelines of host memory a board may write.
 *
 * The DMA API allows one mapping at a time of a cacheline for a device to
 * write (DMA_FROM_DEVICE or DMA_BIDIRECTIONAL): on a host whose caches
 * are not coherent with DMA, the CPU's maintenance for one mapping undoes
 * the device's write through the other, and dma-debug reports the second
 * ("overlapping mappings aren't supported").  User memory comes from
 * anywhere: two SG buffers of one range, a C2H transfer into memory
 * another file has mapped, the same page at two addresses.  So before
 * pinned pages are mapped for a board to write, their cachelines are
 * claimed by physical page, for every board and file at once, and a range
 * that shares one with a mapping in use is refused.  Memory the board
 * only reads is never claimed: those mappings may overlap.
 */
#include <linux/cache.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/xarray.h>

#include "vfpga_drv.h"

/*
 * A page's cachelines as bits of xarray value entries, keyed by PFN: a
 * value holds BITS_PER_LONG - 1 bits, so each entry covers half a long's
 * worth of lines (two entries a page on x86-64).
 */
#define LINES_PER_PAGE	(PAGE_SIZE / L1_CACHE_BYTES)
#define LINES_PER_KEY	(BITS_PER_LONG / 2)
#define KEYS_PER_PAGE	DIV_ROUND_UP(LINES_PER_PAGE, LINES_PER_KEY)

static DEFINE_XARRAY(vfpga_claims);
/* Check and claim as one step: two racing maps cannot both pass. */
static DEFINE_MUTEX(vfpga_claim_lock);

/* The bytes [@start, @end) of page @i of a range at @offset, @len long. */
static void vfpga_claim_span(unsigned long i, unsigned long nr,
			     unsigned int offset, u64 len,
			     unsigned int *start, unsigned int *end)
{
	*start = i ? 0 : offset;
	*end = i + 1 < nr ? PAGE_SIZE : offset + len - i * PAGE_SIZE;
}

/*
 * Claim (@set) or give back the cachelines of page @page's bytes
 * [@start, @end).  Claiming fails with -EBUSY, before it changes
 * anything, when one is claimed already.
 */
static int vfpga_claim_page(struct page *page, unsigned int start,
			    unsigned int end, bool set)
{
	unsigned long first = start / L1_CACHE_BYTES;
	unsigned long last = DIV_ROUND_UP(end, L1_CACHE_BYTES);
	unsigned long base = page_to_pfn(page) * KEYS_PER_PAGE;
	unsigned long k, mask[KEYS_PER_PAGE] = { 0 }, old;
	unsigned long line;
	int ret;

	for (line = first; line < last; line++)
		mask[line / LINES_PER_KEY] |= BIT(line % LINES_PER_KEY);
	if (set) {
		for (k = 0; k < KEYS_PER_PAGE; k++)
			if (mask[k] &&
			    (xa_to_value(xa_load(&vfpga_claims, base + k) ?:
					 xa_mk_value(0)) & mask[k]))
				return -EBUSY;
	}
	for (k = 0; k < KEYS_PER_PAGE; k++) {
		if (!mask[k])
			continue;
		old = xa_to_value(xa_load(&vfpga_claims, base + k) ?:
				  xa_mk_value(0));
		old = set ? old | mask[k] : old & ~mask[k];
		if (!old) {
			xa_erase(&vfpga_claims, base + k);
			continue;
		}
		ret = xa_err(xa_store(&vfpga_claims, base + k,
				      xa_mk_value(old), GFP_KERNEL));
		if (ret)
			return ret;
	}
	return 0;
}

/* Give back pages [0, @done) of a claimed range. */
static void vfpga_claim_undo(struct page **pages, unsigned long nr,
			     unsigned long done, unsigned int offset, u64 len)
{
	unsigned int start, end;
	unsigned long i;

	for (i = 0; i < done; i++) {
		vfpga_claim_span(i, nr, offset, len, &start, &end);
		vfpga_claim_page(pages[i], start, end, false);
	}
}

/*
 * Claim the cachelines of @len bytes at @offset into @nr pinned @pages,
 * for the board to write.  Returns 0, -EBUSY when one is claimed already
 * (by any mapping, this one's other pages included), or -ENOMEM.
 */
int vfpga_dma_claim(struct page **pages, unsigned long nr,
		    unsigned int offset, u64 len)
{
	unsigned int start, end;
	unsigned long i;
	int ret = 0;

	mutex_lock(&vfpga_claim_lock);
	for (i = 0; i < nr && !ret; i++) {
		vfpga_claim_span(i, nr, offset, len, &start, &end);
		ret = vfpga_claim_page(pages[i], start, end, true);
	}
	/* A store that failed part-way leaves its own page to undo too. */
	if (ret)
		vfpga_claim_undo(pages, nr, ret == -EBUSY ? i - 1 : i, offset,
				 len);
	mutex_unlock(&vfpga_claim_lock);
	return ret;
}

/* The range is unmapped: its cachelines are free again. */
void vfpga_dma_unclaim(struct page **pages, unsigned long nr,
		       unsigned int offset, u64 len)
{
	mutex_lock(&vfpga_claim_lock);
	vfpga_claim_undo(pages, nr, nr, offset, len);
	mutex_unlock(&vfpga_claim_lock);
}
