// SPDX-License-Identifier: MIT
/* Sample: write a buffer to card memory by DMA, read it back, compare. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvfpga.h>

int main(void)
{
	const size_t len = 1 << 20;
	unsigned char *out = malloc(len), *in = malloc(len);
	struct vfpga_device *dev;
	uint32_t status = 0;
	size_t i;
	int ret;

	if (!out || !in)
		return 1;
	for (i = 0; i < len; i++)
		out[i] = (unsigned char)(i * 13);
	ret = vfpga_open(0, &dev);
	if (ret == 0)
		ret = vfpga_dma_write(dev, 0, 0, out, len, 0, &status);
	if (ret == 0)
		ret = vfpga_dma_read(dev, 0, 0, in, len, 0, &status);
	if (ret < 0)
		fprintf(stderr, "dma: %s (status 0x%x)\n", vfpga_strerror(ret),
			status);
	else
		printf("%zu bytes %s\n", len,
		       memcmp(out, in, len) ? "DIFFER" : "round-tripped");
	vfpga_close(dev);
	free(out);
	free(in);
	return ret < 0;
}
