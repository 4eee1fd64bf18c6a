// SPDX-License-Identifier: MIT
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "vfpga_regs.h"

int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull accepts leading blanks and a minus sign; we do not. */
	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_bar(const char *s, unsigned int *bar)
{
	static const struct {
		const char *name;
		unsigned int bar;
	} names[] = {
		{ "user", VFPGA_BAR_USER },
		{ "dma", VFPGA_BAR_DMA },
		{ "mem", VFPGA_BAR_CARD_MEM },
	};
	uint64_t v;
	size_t i;

	for (i = 0; s && i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i].name)) {
			*bar = names[i].bar;
			return 0;
		}
	}
	if (parse_u64(s, 5, &v))
		return -EINVAL;
	*bar = (unsigned int)v;
	return 0;
}

int parse_width(const char *s, unsigned int *width)
{
	uint64_t v;

	if (parse_u64(s, 8, &v) || (v != 1 && v != 2 && v != 4 && v != 8))
		return -EINVAL;
	*width = (unsigned int)v;
	return 0;
}
