#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Seed inputs for QEMU's generic-fuzz target against the vfpga boards.

generic-fuzz reads its input as commands separated by "FUZZ"; an MMIO
command names a range by its index among the fuzzed MMIO ranges, in
address order.  Which index is which register block depends on where
libqos put the BARs, so the seeds are built in two steps:

  vfpga-seeds.py probe PROBE          an input that reads the first word of
                                      every range (indexes 0..127)
  vfpga-seeds.py seeds TRACE OUTDIR   TRACE is generic-fuzz's qtest log of
                                      PROBE (QTEST_LOG=1); from the BAR
                                      addresses and the range starts in it,
                                      write one seed per scenario to OUTDIR

Each seed is a short guest driver run: program a channel's first
descriptor, give generic-fuzz a DMA pattern holding valid XDMA
descriptors (magic 0xad4b in the top half of the control word), set RUN;
chains, adjacent blocks, poll-mode writeback, interrupts, the interrupt
generator, faults, stops, the timed engine, bad descriptors.  Without
them the fuzzer rarely gets a descriptor past the magic check.
"""

import os
import re
import struct
import sys

SEP = b"FUZZ"
# generic-fuzz's opcodes (enum cmds in tests/qtest/fuzz/generic_fuzz.c)
OP_READ, OP_WRITE, OP_PCI_WRITE, OP_ADD_DMA_PATTERN, OP_CLOCK_STEP = 2, 3, 5, 7, 9
LONG = 2

def read_regs_header(path):
    """The one-line #defines of include/vfpga/vfpga_regs.h, evaluated (casts
    and integer suffixes dropped; a function-like one becomes a lambda)."""
    regs = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"#define\s+([A-Z0-9_]+)(\([a-z, ]+\))?\s+"
                         r"([^/\\]+?)\s*(?:/\*.*)?$", line)
            if not m:
                continue
            name, params, expr = m.groups()
            expr = re.sub(r"\(u?int(8|16|32|64)_t\)", "", expr)
            expr = re.sub(r"\b(0x[0-9a-fA-F]+|[0-9]+)[uUlL]+\b", r"\1", expr)
            if not re.fullmatch(r"[A-Za-z0-9_()<>|&~+*\-, ]+", expr):
                continue
            if params:
                expr = "lambda %s: %s" % (params[1:-1], expr)
            try:
                regs[name] = eval(expr, {"__builtins__": {}}, regs)
            except (NameError, SyntaxError, TypeError):
                pass
    return regs


# The register map, from the header every layer compiles against.
_H = read_regs_header(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                   "..", "..", "include", "vfpga",
                                   "vfpga_regs.h"))
VFPGA_USER_FAULT = _H["VFPGA_USER_FAULT"]
VFPGA_USER_FAULT_VECTOR = _H["VFPGA_USER_FAULT_VECTOR"]
VFPGA_IRQGEN_CTRL = _H["VFPGA_IRQGEN_CTRL"]
VFPGA_IRQGEN_LINE = _H["VFPGA_IRQGEN_LINE"]
VFPGA_IRQGEN_COUNT = _H["VFPGA_IRQGEN_COUNT"]
VFPGA_IRQGEN_ACK = _H["VFPGA_IRQGEN_ACK"]
VFPGA_IRQGEN_MODE = _H["VFPGA_IRQGEN_MODE"]
VFPGA_IRQGEN_RATE = _H["VFPGA_IRQGEN_RATE"]
VFPGA_IRQGEN_DURATION_US = _H["VFPGA_IRQGEN_DURATION_US"]
VFPGA_IRQGEN_QUEUE_DEPTH = _H["VFPGA_IRQGEN_QUEUE_DEPTH"]
XDMA_H2C_BASE = _H["XDMA_H2C_BASE"]
XDMA_C2H_BASE = _H["XDMA_C2H_BASE"]
XDMA_IRQ_BASE = _H["XDMA_IRQ_BASE"]
XDMA_H2C_SGDMA_BASE = _H["XDMA_H2C_SGDMA_BASE"]
XDMA_C2H_SGDMA_BASE = _H["XDMA_C2H_SGDMA_BASE"]
XDMA_CHAN_STRIDE = _H["XDMA_CHAN_STRIDE"]
XDMA_CHAN_CONTROL = _H["XDMA_CHAN_CONTROL"]
XDMA_CHAN_CONTROL_W1C = _H["XDMA_CHAN_CONTROL_W1C"]
XDMA_CHAN_STATUS_RC = _H["XDMA_CHAN_STATUS_RC"]
XDMA_CHAN_COMPLETED_DESC = _H["XDMA_CHAN_COMPLETED_DESC"]
XDMA_CHAN_POLL_WB_LO = _H["XDMA_CHAN_POLL_WB_LO"]
XDMA_CHAN_POLL_WB_HI = _H["XDMA_CHAN_POLL_WB_HI"]
XDMA_CHAN_INTR_ENABLE = _H["XDMA_CHAN_INTR_ENABLE"]
XDMA_IRQ_USER_INT_EN = _H["XDMA_IRQ_USER_INT_EN"]
XDMA_IRQ_CHAN_INT_EN = _H["XDMA_IRQ_CHAN_INT_EN"]
XDMA_SGDMA_DESC_LO = _H["XDMA_SGDMA_DESC_LO"]
XDMA_SGDMA_DESC_HI = _H["XDMA_SGDMA_DESC_HI"]
XDMA_SGDMA_DESC_ADJ = _H["XDMA_SGDMA_DESC_ADJ"]
XDMA_CTRL_RUN = _H["XDMA_CTRL_RUN"]
XDMA_CTRL_POLL_MODE_WB = _H["XDMA_CTRL_POLL_MODE_WB"]
XDMA_STAT_EVENTS = _H["XDMA_STAT_EVENTS"]
XDMA_DESC_MAGIC = _H["XDMA_DESC_MAGIC"]
XDMA_DESC_STOPPED = _H["XDMA_DESC_STOPPED"]
XDMA_DESC_COMPLETED = _H["XDMA_DESC_COMPLETED"]
XDMA_MSIX_TABLE_OFFSET = _H["XDMA_MSIX_TABLE_OFFSET"]
# Every fault the board models, one bit each.
VFPGA_FAULTS = [1 << n for n in range(32) if _H["VFPGA_FAULT_ALL"] >> n & 1]

# Guest RAM the seeds use: descriptors, host buffers, writeback words.
DESC_ADDR = 0x100000
HOST_BUF = 0x200000
WB_ADDR = 0x300000

# The boards of scripts/fuzz.sh: devfn -> (name, channels, card memory).
BOARDS = {0x20: ("board0", 4, 1 << 20), 0x28: ("board1", 1, 64 << 10)}


def cmd(op, payload=b""):
    return bytes([op]) + payload


def write(base, offset, value):
    # struct { uint8_t size, base; uint32_t offset; uint64_t value; }
    return cmd(OP_WRITE, struct.pack("<BBxxIQ", LONG, base, offset, value))


def pci_write(device, offset, value):
    # struct { uint8_t size, base, offset; uint32_t value; }: a dword write
    # to config space of fuzzed PCI device number @device
    return cmd(OP_PCI_WRITE, struct.pack("<BBBxI", LONG, device, offset, value))


def read(base, offset):
    return cmd(OP_READ, struct.pack("<BBxxI", LONG, base, offset))


def dma_pattern(data, index=0, stride=0):
    return cmd(OP_ADD_DMA_PATTERN, bytes([index, stride]) + data)


def clock_step():
    return cmd(OP_CLOCK_STEP)


def desc(length, src, dst, nxt=0, flags=XDMA_DESC_STOPPED | XDMA_DESC_COMPLETED,
         adj=0, magic=XDMA_DESC_MAGIC):
    control = (magic << 16) | ((adj & 0x3f) << 8) | flags
    return struct.pack("<IIQQQ", control, length, src, dst, nxt)


def probe():
    return SEP.join(read(base, 0) for base in range(128))


class Layout:
    """Range starts and BAR addresses seen in a qtest log of the probe."""

    def __init__(self, trace):
        self.bars = {}          # devfn -> {bar: address}
        self.starts = []
        cf8 = None
        pending = {}
        for line in trace.splitlines():
            m = re.search(r"\b(outl|readl) (0x[0-9a-f]+)(?: (0x[0-9a-f]+))?",
                          line)
            if not m:
                continue
            op, addr = m.group(1), int(m.group(2), 16)
            val = int(m.group(3), 16) if m.group(3) else None
            if op == "outl" and addr == 0xcf8:
                cf8 = val
            elif op == "outl" and addr == 0xcfc and cf8 is not None:
                devfn, reg = (cf8 >> 8) & 0xff, cf8 & 0xfc
                if 0x10 <= reg <= 0x24 and val != 0xffffffff:
                    bar = (reg - 0x10) // 4
                    pending.setdefault(devfn, {})[bar] = val & ~0xf
            elif op == "readl" and addr not in self.starts:
                self.starts.append(addr)
        for devfn, bars in pending.items():     # in mapping order
            if devfn in BOARDS:
                self.bars[devfn] = bars
        self.order = sorted(range(len(self.starts)),
                            key=lambda i: self.starts[i])
        if not self.starts or not self.bars:
            sys.exit("vfpga-seeds: no MMIO ranges or BARs in the trace")

    def locate(self, addr):
        """The range index and offset of an absolute address."""
        best = None
        for i in self.order:
            if self.starts[i] <= addr:
                best = i
        if best is None:
            sys.exit("vfpga-seeds: 0x%x is below every range" % addr)
        return best, addr - self.starts[best]


class Board:
    def __init__(self, layout, devfn):
        self.layout = layout
        # generic-fuzz numbers PCI devices in the order it mapped them
        self.pci_index = list(layout.bars).index(devfn)
        self.name, self.channels, self.card = BOARDS[devfn]
        self.user = layout.bars[devfn][0]
        self.dma = layout.bars[devfn][1]

    def user_write(self, offset, value):
        return write(*self.layout.locate(self.user + offset), value)

    def dma_write(self, offset, value):
        return write(*self.layout.locate(self.dma + offset), value)

    def dma_read(self, offset):
        return read(*self.layout.locate(self.dma + offset))

    def chan(self, c2h, ch):
        return (XDMA_C2H_BASE if c2h else XDMA_H2C_BASE) + ch * XDMA_CHAN_STRIDE

    def sgdma(self, c2h, ch):
        return ((XDMA_C2H_SGDMA_BASE if c2h else XDMA_H2C_SGDMA_BASE) +
                ch * XDMA_CHAN_STRIDE)

    def interrupts_on(self, c2h, ch):
        return [self.dma_write(XDMA_IRQ_BASE + XDMA_IRQ_CHAN_INT_EN, 0xff),
                self.dma_write(XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN, 0xffff),
                self.dma_write(self.chan(c2h, ch) + XDMA_CHAN_INTR_ENABLE,
                               XDMA_STAT_EVENTS)]

    def start(self, c2h, ch, first=DESC_ADDR, adj=0, control=0):
        return [self.dma_write(self.sgdma(c2h, ch) + XDMA_SGDMA_DESC_LO,
                               first & 0xffffffff),
                self.dma_write(self.sgdma(c2h, ch) + XDMA_SGDMA_DESC_HI,
                               first >> 32),
                self.dma_write(self.sgdma(c2h, ch) + XDMA_SGDMA_DESC_ADJ, adj),
                self.dma_write(self.chan(c2h, ch) + XDMA_CHAN_CONTROL,
                               XDMA_CTRL_RUN | XDMA_STAT_EVENTS | control)]

    def finish(self, c2h, ch):
        return [self.dma_read(self.chan(c2h, ch) + XDMA_CHAN_COMPLETED_DESC),
                self.dma_read(self.chan(c2h, ch) + XDMA_CHAN_STATUS_RC),
                self.dma_write(self.chan(c2h, ch) + XDMA_CHAN_CONTROL_W1C,
                               XDMA_CTRL_RUN)]


def transfer(b, c2h, ch, descs, adj=0, control=0, extra=()):
    """One run over @descs, given to generic-fuzz as DMA patterns.

    generic-fuzz fills each guest-memory read from the next pattern in
    turn: descriptor fetches, and for H2C the data reads between them, so
    an H2C run gets a data pattern after each descriptor.
    """
    patterns = []
    for n, d in enumerate(descs):
        patterns.append(d)
        if not c2h:
            patterns.append(bytes([0xa5 ^ n]) * 32)
    cmds = [dma_pattern(p) for p in patterns]
    cmds += b.interrupts_on(c2h, ch)
    if control & XDMA_CTRL_POLL_MODE_WB:
        cmds += [b.dma_write(b.chan(c2h, ch) + XDMA_CHAN_POLL_WB_LO, WB_ADDR),
                 b.dma_write(b.chan(c2h, ch) + XDMA_CHAN_POLL_WB_HI, 0)]
    cmds += b.start(c2h, ch, adj=adj, control=control)
    cmds += list(extra)
    cmds += b.finish(c2h, ch)
    return cmds


def seeds(layout):
    out = {}
    for devfn in sorted(layout.bars):
        b = Board(layout, devfn)
        small = min(0x800, b.card // 2)
        for c2h in (False, True):
            d = "c2h" if c2h else "h2c"
            card, host = (0, HOST_BUF)
            src, dst = (card, host) if c2h else (host, card)
            for ch in range(b.channels):
                out["%s-%s%d-one" % (b.name, d, ch)] = transfer(
                    b, c2h, ch, [desc(0x100, src, dst)])
            # A chain of three blocks of one, the next pointers moving.
            chain = [desc(0x40, src, dst, DESC_ADDR + 0x1000, flags=0),
                     desc(0x40, src + 0x40, dst + 0x40, DESC_ADDR + 0x2000,
                          flags=XDMA_DESC_COMPLETED),
                     desc(0x40, src + 0x80, dst + 0x80)]
            out["%s-%s0-chain" % (b.name, d)] = transfer(b, c2h, 0, chain)
            # A block of four: the first descriptor and three adjacent to
            # it (SGDMA DESC_ADJ 3), the last one naming a second block of
            # two (its Nxt_adj 1).
            block = [desc(0x20, src + 0x20 * n, dst + 0x20 * n, flags=0)
                     for n in range(3)]
            block.append(desc(0x20, src + 0x60, dst + 0x60,
                              DESC_ADDR + 0x1000, flags=0, adj=1))
            block += [desc(0x20, src, dst, flags=0), desc(0x20, src, dst)]
            out["%s-%s0-adjacent" % (b.name, d)] = transfer(
                b, c2h, 0, block, adj=3)
            # Poll-mode writeback of the completed count.
            out["%s-%s0-pollwb" % (b.name, d)] = transfer(
                b, c2h, 0, [desc(small, src, dst)],
                control=XDMA_CTRL_POLL_MODE_WB)
            # A ring: the descriptor names itself and never stops.
            out["%s-%s0-ring" % (b.name, d)] = transfer(
                b, c2h, 0, [desc(0x10, src, dst, DESC_ADDR, flags=0)])
            # Bad descriptors: magic, length, card range, host range.
            for name, bad in (("magic", desc(0x10, src, dst, magic=0xad4a)),
                              ("length", desc(0, src, dst)),
                              ("card", desc(0x10, b.card - 8 if c2h else host,
                                            host if c2h else b.card - 8)),
                              ("wrap", desc(0x10, (1 << 64) - 8 if not c2h
                                            else 0, (1 << 64) - 8 if c2h
                                            else 0))):
                out["%s-%s0-bad-%s" % (b.name, d, name)] = transfer(
                    b, c2h, 0, [bad])
            # Every fault, armed before a run.
            for f in VFPGA_FAULTS:
                out["%s-%s0-fault%02x" % (b.name, d, f)] = (
                    [b.user_write(VFPGA_USER_FAULT, f)] +
                    transfer(b, c2h, 0, [desc(0x100, src, dst)]))
            # The clock steps before RUN is cleared: the timed engine
            # (board1) moves only when its descriptor's time is up.
            out["%s-%s0-clock" % (b.name, d)] = transfer(
                b, c2h, 0, [desc(small, src, dst)],
                extra=[clock_step(), clock_step(), clock_step()])
        # The interrupt generator: ping-pong and paced, with acknowledges.
        gen = [b.dma_write(XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN, 0xffff),
               b.user_write(VFPGA_IRQGEN_LINE, 3),
               b.user_write(VFPGA_IRQGEN_COUNT, 4),
               b.user_write(VFPGA_IRQGEN_MODE, 0),
               b.user_write(VFPGA_IRQGEN_CTRL, 1)]
        gen += [b.user_write(VFPGA_IRQGEN_ACK, 1)] * 4
        out["%s-irqgen-pingpong" % b.name] = gen
        paced = [b.dma_write(XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN, 0xffff),
                 b.user_write(VFPGA_IRQGEN_MODE, 3),
                 b.user_write(VFPGA_IRQGEN_RATE, 100000),
                 b.user_write(VFPGA_IRQGEN_COUNT, 0),
                 b.user_write(VFPGA_IRQGEN_DURATION_US, 1000),
                 b.user_write(VFPGA_IRQGEN_QUEUE_DEPTH, 8),
                 b.user_write(VFPGA_IRQGEN_CTRL, 1)]
        paced += [clock_step(), b.user_write(VFPGA_IRQGEN_ACK, 1)] * 4
        paced += [b.user_write(VFPGA_IRQGEN_CTRL, 2)]
        out["%s-irqgen-paced" % b.name] = paced
        # Messages: generic-fuzz cannot read config space back, so the
        # seeds enable MSI-X (board0) or MSI (board1) by writing every
        # capability dword: 0x80000000 sets only MSI-X Enable (bit 15 of
        # its Message Control), 0x00010000 only MSI Enable; elsewhere they
        # hit read-only or write-1-to-clear status bits.  MSI-X entries 0
        # to 3 are then aimed at guest RAM, the LAPIC, this board's own
        # STATUS_RC and the other board's CONTROL, and unmasked.
        enable = 0x80000000 if b.channels > 1 else 0x00010000
        msg = [pci_write(b.pci_index, off, enable)
               for off in range(0x40, 0x100, 4)]
        other = [o for o in layout.bars if o != devfn]
        targets = [WB_ADDR, 0xfee00000, b.dma + XDMA_H2C_BASE +
                   XDMA_CHAN_STATUS_RC]
        if other:
            targets.append(layout.bars[other[0]][1] + XDMA_H2C_BASE +
                           XDMA_CHAN_CONTROL)
        for n, addr in enumerate(targets):
            entry = XDMA_MSIX_TABLE_OFFSET + 16 * n
            msg += [b.dma_write(entry, addr & 0xffffffff),
                    b.dma_write(entry + 4, addr >> 32),
                    b.dma_write(entry + 8, XDMA_CTRL_RUN),
                    b.dma_write(entry + 12, 0)]
        msg += [b.dma_write(XDMA_IRQ_BASE + 0x80 + 4 * n, 0x03020100)
                for n in range(4)]
        out["%s-messages-irqgen" % b.name] = msg + gen
        out["%s-messages-dma" % b.name] = msg + transfer(
            b, False, 0, [desc(0x40, HOST_BUF, 0)])
        out["%s-spurious-msi" % b.name] = [
            b.user_write(VFPGA_USER_FAULT_VECTOR, 1),
            b.user_write(VFPGA_USER_FAULT, 0x10)]
    return out


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "probe":
        with open(sys.argv[2], "wb") as f:
            f.write(probe())
        return
    if len(sys.argv) != 4 or sys.argv[1] != "seeds":
        sys.exit(__doc__)
    with open(sys.argv[2], errors="replace") as f:
        layout = Layout(f.read())
    os.makedirs(sys.argv[3], exist_ok=True)
    for name, cmds in seeds(layout).items():
        with open(os.path.join(sys.argv[3], name), "wb") as f:
            f.write(SEP.join(cmds))


if __name__ == "__main__":
    main()
