/* SPDX-License-Identifier: MIT */
/*
 * vfpga user logic: the FPGA application behind the board's XDMA front
 * end, as a shared object QEMU loads (`-device vfpga,user-logic=PATH`).
 *
 * The calls below are the user side of the AMD/Xilinx XDMA IP (PG195),
 * expressed in C:
 *
 *   XDMA IP port                    here
 *   ------------------------------  -----------------------------------------
 *   M_AXI_LITE (PCIe to AXI-Lite    axil_read() / axil_write(): every guest
 *   master, the user BAR)           access to the user BAR, 32 bits at a time
 *   M_AXI (the DMA engine's AXI4    mm_read() / mm_write(): where memory-mapped
 *   memory-mapped master)           H2C transfers write and C2H transfers read;
 *                                   card memory when the logic leaves them NULL
 *   m_axis_h2c_* (an H2C channel in  h2c_stream(): the engine offers the bytes
 *   AXI4-Stream mode)               of its descriptors, tlast on a packet's
 *                                   last byte; accepting fewer is tready low
 *   s_axis_c2h_* (a C2H channel in   c2h_stream(): the engine asks for bytes
 *   AXI4-Stream mode)               to fill its descriptors; none is tvalid low
 *   usr_irq_req[n] / usr_irq_ack[n] host->usr_irq_req() / usr_irq_ack()
 *   axi_aresetn                     reset()
 *   axi_aclk                        host->time_ns(), host->timer_*()
 *
 * AXI-Stream (ABI 1.1).  A channel the board's h2c-stream / c2h-stream
 * properties put in stream mode moves its data through the logic's
 * h2c_stream() sink or c2h_stream() source instead of the AXI4 path.
 * Back-pressure is a short answer: a sink that takes fewer bytes than
 * offered, or a source that has none, stalls that channel's engine until
 * the logic calls host->stream_ready() for it.  A board refuses a logic
 * without the sink (source) when one of its channels is an H2C (C2H)
 * stream.
 *
 * Responses.  Each AXI call answers OKAY, SLVERR or DECERR, and the board
 * shows an error as the XDMA IP does (docs/user-logic.md has the table):
 *   - user BAR (AXI-Lite master): SLVERR completes the request with
 *     Completer Abort, DECERR with Unsupported Request.  A read returns
 *     all-ones to the CPU (the root complex's answer to a failed
 *     completion); a write is discarded.  The function records it in its
 *     config space: Signaled Target Abort (PCI Status) for SLVERR,
 *     Unsupported Request Detected (PCI Express Device Status) for DECERR,
 *     and Non-Fatal Error Detected for both.
 *   - DMA (AXI4 master): the channel stops with its Status register's
 *     error bits: H2C write_error (bit 14 DECERR, bit 15 SLVERR), C2H
 *     read_error (bit 9 DECERR, bit 10 SLVERR), and the poll-mode
 *     writeback's error flag.
 *
 * Rules.  Every call, into the logic or into the host, happens with
 * QEMU's big lock held: on a vCPU thread for a BAR access (and the DMA a
 * doorbell write starts at once), on the main loop's for timers and the
 * rest of DMA.  Calls never overlap, and the logic must not call the host
 * from a thread of its own.  A call may call the
 * host back (raise a line from axil_write(), read card memory from
 * mm_write()).  No call may block: work that takes device time is done
 * later, from a timer.  The host outlives every call it hands out: the
 * logic is destroyed before the board goes.
 *
 * Versioning.  VFPGA_UL_ABI_VERSION is MAJOR << 16 | MINOR.  The board
 * loads a plug-in whose major equals its own and whose minor is not
 * greater; new calls are added at the end of a struct with a minor bump,
 * so a plug-in built against an older minor still loads.
 *
 * docs/user-logic.md describes the interface and how to build and load a
 * plug-in; user-logic/checksum/ is a complete one, `vfpga new-board`
 * writes the skeleton of another.
 */
#ifndef VFPGA_USER_LOGIC_H
#define VFPGA_USER_LOGIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VFPGA_UL_ABI_MAJOR	1
#define VFPGA_UL_ABI_MINOR	1
#define VFPGA_UL_ABI_VERSION	((VFPGA_UL_ABI_MAJOR << 16) | VFPGA_UL_ABI_MINOR)

/* The one symbol a plug-in exports: VFPGA_USER_LOGIC() defines it. */
#define VFPGA_UL_ENTRY		"vfpga_user_logic_entry"

/* AXI responses (the RRESP/BRESP encoding; EXOKAY has no use here). */
enum vfpga_axi_resp {
	VFPGA_AXI_OKAY = 0,
	VFPGA_AXI_SLVERR = 2,		/* the slave failed the access */
	VFPGA_AXI_DECERR = 3,		/* no slave at that address */
};

/* The board, as the logic sees it: opaque, passed back in host calls. */
struct vfpga_ul_host;
/* A device-time timer of the host's (timer_new()). */
struct vfpga_ul_timer;

/* What the board is, fixed for the plug-in's life. */
struct vfpga_ul_board {
	uint64_t user_bar_size;		/* bytes of AXI-Lite address space */
	uint64_t card_size;		/* bytes of card memory */
	unsigned int irq_lines;		/* usr_irq_req lines, 0..irq_lines-1 */
	const char *args;		/* the "user-logic-args" property, or "" */
	/* ABI 1.1 */
	unsigned int h2c_channels;	/* DMA channels, each way */
	unsigned int c2h_channels;
	uint32_t h2c_stream;		/* bit n: H2C channel n is a stream */
	uint32_t c2h_stream;		/* bit n: C2H channel n is a stream */
};

/* What the XDMA IP gives the user logic. */
struct vfpga_ul_host_ops {
	uint32_t abi_version;		/* the board's VFPGA_UL_ABI_VERSION */

	/*
	 * usr_irq_req[@line]: a level.  The IP sends the line's message
	 * (MSI-X, MSI) on its rising edge, when it is enabled, and answers
	 * with usr_irq_ack(); for INTx the level is the request.  A line
	 * past irq_lines is ignored with a log line.
	 */
	void (*usr_irq_req)(struct vfpga_ul_host *host, unsigned int line,
			    bool level);

	/* Device time: ns since the board was created; runs with the VM. */
	uint64_t (*time_ns)(struct vfpga_ul_host *host);

	/*
	 * A timer on device time.  @fn runs with @opaque once the time
	 * given to timer_arm() has come (not before), from the main loop,
	 * where it may raise lines and touch card memory.  Arming an armed
	 * timer moves it; cancel() of an idle one does nothing.  A timer is
	 * neither saved nor reset by the host: a logic with migration hooks
	 * saves its deadlines and re-arms in load(), and reset() cancels
	 * what it armed.  Timers still allocated at destroy are freed.
	 */
	struct vfpga_ul_timer *(*timer_new)(struct vfpga_ul_host *host,
					    void (*fn)(void *opaque),
					    void *opaque);
	void (*timer_arm)(struct vfpga_ul_timer *timer, uint64_t when_ns);
	void (*timer_cancel)(struct vfpga_ul_timer *timer);
	void (*timer_free)(struct vfpga_ul_timer *timer);

	/*
	 * The board's card memory, for a logic that takes the AXI4 path
	 * (mm_read/mm_write) and still keeps memory behind it: DECERR past
	 * card_size, OKAY otherwise.
	 */
	enum vfpga_axi_resp (*card_read)(struct vfpga_ul_host *host,
					 uint64_t addr, void *buf, size_t len);
	enum vfpga_axi_resp (*card_write)(struct vfpga_ul_host *host,
					  uint64_t addr, const void *buf,
					  size_t len);

	/* One line in QEMU's guest-error log (-d guest_errors). */
	void (*log)(struct vfpga_ul_host *host, const char *msg);

	/*
	 * ABI 1.1.  tready/tvalid went high again: the sink of H2C stream
	 * @chan has room (@c2h false), or the source of C2H stream @chan
	 * has data (@c2h true).  A stalled engine resumes on the main
	 * loop's next turn; a call for a channel that is not stalled, or
	 * not a stream, does nothing.  May be called from any logic call.
	 */
	void (*stream_ready)(struct vfpga_ul_host *host, bool c2h,
			     unsigned int chan);
};

/* What a plug-in gives the board: VFPGA_USER_LOGIC() returns it. */
struct vfpga_user_logic {
	uint32_t abi_version;		/* VFPGA_UL_ABI_VERSION it was built with */
	const char *name;		/* short, for messages and migration */

	/*
	 * Required.  Create the logic for one board; NULL with a sentence
	 * in @err (of @err_len bytes) if it cannot be (bad args, no memory).
	 * The result is passed to every other call as @ul.
	 */
	void *(*create)(struct vfpga_ul_host *host,
			const struct vfpga_ul_host_ops *ops,
			const struct vfpga_ul_board *board,
			char *err, size_t err_len);
	/* Required.  Undo create(): free everything, timers included. */
	void (*destroy)(void *ul);
	/*
	 * Required.  axi_aresetn: power-on, PCI reset and FLR.  The host
	 * has already dropped every usr_irq_req line; the logic returns to
	 * its power-on state and cancels its timers.
	 */
	void (*reset)(void *ul);

	/*
	 * Required.  One 32-bit AXI-Lite access at byte offset @addr
	 * (4-aligned, below user_bar_size).  A 64-bit guest access comes as
	 * two, low word first.
	 */
	enum vfpga_axi_resp (*axil_read)(void *ul, uint32_t addr,
					 uint32_t *data);
	enum vfpga_axi_resp (*axil_write)(void *ul, uint32_t addr,
					  uint32_t data);

	/*
	 * Optional (both or neither): the AXI4 slave memory-mapped DMA
	 * reaches, a burst of @len bytes (1 byte to 1 MiB) at card address
	 * @addr, as the engine moves it.  NULL: card memory, which then
	 * also decodes the range (DECERR past card_size) before a byte
	 * moves.  With them, the logic decodes: a transfer stops at the
	 * first burst it does not answer OKAY.
	 */
	enum vfpga_axi_resp (*mm_read)(void *ul, uint64_t addr, void *buf,
				       size_t len);
	enum vfpga_axi_resp (*mm_write)(void *ul, uint64_t addr,
					const void *buf, size_t len);

	/* Optional: usr_irq_ack[@line], the line's interrupt was sent. */
	void (*usr_irq_ack)(void *ul, unsigned int line);

	/*
	 * Optional (all three or none): migration.  state_size() bytes go
	 * into the stream from save(); load() gets what save() wrote, on a
	 * board just created (and reset) from the same plug-in, and returns
	 * 0 or a negative errno to refuse the stream.  Without them the
	 * board refuses to migrate, saying why.
	 */
	size_t (*state_size)(void *ul);
	int (*save)(void *ul, void *buf, size_t len);
	int (*load)(void *ul, const void *buf, size_t len);

	/*
	 * ABI 1.1, optional: the AXI4-Stream ports.
	 *
	 * h2c_stream(): H2C stream @chan offers @len bytes (1 byte to
	 * 64 KiB); @last says the packet ends with the last of them (the
	 * descriptor had EOP).  Returns how many it took, from the start:
	 * fewer than @len is back-pressure, and the engine offers the rest
	 * again (with the same @last) after stream_ready().
	 *
	 * c2h_stream(): C2H stream @chan has room for @len bytes (1 byte to
	 * 64 KiB).  Returns how many were written to @buf; sets *@last when
	 * the packet ends with the last byte written (tlast), which closes
	 * the descriptor.  0 is "no data yet": the engine waits for
	 * stream_ready().  Stream data carries no error response.
	 */
	size_t (*h2c_stream)(void *ul, unsigned int chan, const void *buf,
			     size_t len, bool last);
	size_t (*c2h_stream)(void *ul, unsigned int chan, void *buf,
			     size_t len, bool *last);
};

typedef const struct vfpga_user_logic *(*vfpga_user_logic_entry_fn)(void);

/* Define the plug-in's entry point, returning @desc (a static const). */
#define VFPGA_USER_LOGIC(desc)						\
	__attribute__((visibility("default")))				\
	const struct vfpga_user_logic *vfpga_user_logic_entry(void);	\
	const struct vfpga_user_logic *vfpga_user_logic_entry(void)	\
	{								\
		return &(desc);						\
	}

#ifdef __cplusplus
}
#endif

#endif /* VFPGA_USER_LOGIC_H */
