/* SPDX-License-Identifier: MIT */
/* Strict parsing of command-line numbers and names for the vfpga tool. */
#ifndef VFPGA_CLI_PARSE_H
#define VFPGA_CLI_PARSE_H

#include <stdint.h>

/*
 * Parse a whole string as an unsigned number (decimal, 0x hex or 0 octal)
 * no larger than @max.  Returns 0, or -EINVAL (empty, sign, trailing
 * characters) or -ERANGE (larger than @max).
 */
int parse_u64(const char *s, uint64_t max, uint64_t *out);

/* A BAR by number (0-5) or name (user, dma, mem).  Returns 0 or -EINVAL. */
int parse_bar(const char *s, unsigned int *bar);

/* An access width in bytes: 1, 2, 4 or 8.  Returns 0 or -EINVAL. */
int parse_width(const char *s, unsigned int *width);

#endif
