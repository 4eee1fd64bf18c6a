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

/* The claimed lines of entry @key, 0 for none. */
static unsigned long vfpga_claim_get(unsigned long key)
{
	void *entry = xa_load(&vfpga_claims, key);

	return entry ? xa_to_value(entry) : 0;
}

/*
 * Entry @key holds @lines now.  Emptying or changing an existing entry
 * allocates nothing: only a new one can fail, with -ENOMEM.
 */
static int vfpga_claim_set(unsigned long key, unsigned long lines)
{
	if (!lines) {
		xa_erase(&vfpga_claims, key);
		return 0;
	}
	return xa_err(xa_store(&vfpga_claims, key, xa_mk_value(lines),
			       GFP_KERNEL));
}

/*
 * Claim (@set) or give back the cachelines of page @page's bytes
 * [@start, @end), all or nothing: claiming fails with -EBUSY when one is
 * claimed already, or -ENOMEM, and then leaves the page as it was.
 */
static int vfpga_claim_page(struct page *page, unsigned int start,
			    unsigned int end, bool set)
{
	unsigned long first = start / L1_CACHE_BYTES;
	unsigned long last = DIV_ROUND_UP(end, L1_CACHE_BYTES);
	unsigned long base = page_to_pfn(page) * KEYS_PER_PAGE;
	unsigned long mask[KEYS_PER_PAGE] = { 0 }, old[KEYS_PER_PAGE];
	unsigned long k, line;
	int ret;

	for (line = first; line < last; line++)
		mask[line / LINES_PER_KEY] |= BIT(line % LINES_PER_KEY);
	for (k = 0; k < KEYS_PER_PAGE; k++) {
		old[k] = mask[k] ? vfpga_claim_get(base + k) : 0;
		if (set && (old[k] & mask[k]))
			return -EBUSY;
	}
	for (k = 0; k < KEYS_PER_PAGE; k++) {
		if (!mask[k])
			continue;
		ret = vfpga_claim_set(base + k, set ? old[k] | mask[k] :
						      old[k] & ~mask[k]);
		if (ret)
			goto undo;
	}
	return 0;

undo:
	while (k--)
		if (mask[k])
			vfpga_claim_set(base + k, old[k]);
	return ret;
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
	for (i = 0; i < nr; i++) {
		vfpga_claim_span(i, nr, offset, len, &start, &end);
		ret = vfpga_claim_page(pages[i], start, end, true);
		if (ret) {
			vfpga_claim_undo(pages, nr, i, offset, len);
			break;
		}
	}
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
