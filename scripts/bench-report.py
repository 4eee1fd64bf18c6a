#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Assemble make bench's raw figures into results.json, summary.md and plots.

    bench-report.py --guest RESULTS.txt --host HOST.jsonl --machine MACHINE.json
                    --out DIR

The guest's results channel (RESULTS.txt) and the host's memcpy runs
(HOST.jsonl) hold one JSON object per run; anything else on a line is a
diagnostic.  Each figure here is the median of its runs, with the spread
(min and max).  Standard library only; the plots need gnuplot (skipped,
with a note, when it is missing).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

HANDLERS = ["bare", "kp", "kp-rtl", "user", "vfio", "uio"]
HANDLER_DESC = {
    "bare": "bare in-kernel handler (vfpga_bare.ko), the floor",
    "kp": "sample kernel plugin (vfpga.ko, int_at_irql)",
    "kp-rtl": "sample kernel plugin, the RTL sample's generator (Verilator, RTL bridge)",
    "user": "user mode through vfpga.ko (VFPGA_IRQ_USER_ACK, a wake-up each)",
    "vfio": "vfio-pci, MSI-X eventfd",
    "uio": "uio_pci_generic, INTx",
}
LAT_BUCKETS = 80


def lat_floor(b):
    """Lower bound of log-linear bucket b, as vfpga_kp_sample_lat_floor()."""
    if b < 4:
        return b << 6
    return ((4 + b % 4) << (b // 4 - 1)) << 6


def read_jsonl(path):
    rows, notes = [], []
    if not path or not os.path.exists(path):
        return rows, notes
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                try:
                    rows.append(json.loads(line))
                    continue
                except json.JSONDecodeError:
                    pass
            if line and not line.startswith("vfpga-init:"):
                notes.append(line)
    return rows, notes


def spread(values):
    """Median, min and max of the non-null values, or None."""
    vals = [v for v in values if v is not None]
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": min(vals),
            "max": max(vals), "runs": len(vals)}


def med(s):
    return s["median"] if s else None


def irq_figures(rows):
    out = []
    for h in HANDLERS:
        runs = [r for r in rows if r.get("bench") == "irq" and r.get("handler") == h]
        if not runs:
            continue
        rate = spread([r.get("rate_per_s") for r in runs])
        p50 = spread([r.get("p50") for r in runs])
        p99 = spread([r.get("p99") for r in runs])
        mx = spread([r.get("max") for r in runs])
        hist = [0] * LAT_BUCKETS
        for r in runs:
            for i, c in enumerate(r.get("hist") or []):
                hist[i] += c
        last = max([i + 1 for i, c in enumerate(hist) if c] or [0])
        out.append({
            "handler": h,
            "description": HANDLER_DESC[h],
            "rate_per_s": med(rate),
            "latency_ns": {"p50": med(p50), "p99": med(p99), "max": med(mx)},
            "spread": {"rate_per_s": rate, "p50": p50, "p99": p99, "max": mx},
            "interrupts_per_run": runs[0].get("count"),
            "runs": len(runs),
            "latency_hist": {"floor_ns": [lat_floor(i) for i in range(last)],
                             "count": hist[:last]},
        })
    return out


def dma_figures(rows):
    out = []
    keys = sorted({(r["dir"], r["size"], r["completion"]) for r in rows
                   if r.get("bench") == "dma"},
                  key=lambda k: (k[0], k[1], k[2]))
    for d, size, comp in keys:
        runs = [r for r in rows if r.get("bench") == "dma" and r["dir"] == d
                and r["size"] == size and r["completion"] == comp]
        s = spread([r.get("mb_per_s") for r in runs])
        per = spread([r["total_ns"] / r["iterations"] for r in runs
                      if r.get("total_ns") and r.get("iterations")])
        stages = {st: med(spread([r.get(f"stage_{st}_ns") for r in runs]))
                  for st in DMA_STAGES}
        out.append({"dir": d, "size": size, "completion": comp,
                    "mb_per_s": med(s), "spread": s,
                    "ns_per_transfer": med(per),
                    "stages_ns": stages if any(v is not None for v in stages.values()) else None,
                    "iterations_per_run": runs[0].get("iterations")})
    return out


# The driver's stages of one transfer (driver/vfpga_dma_stages.c).
DMA_STAGES = ("setup", "doorbell", "engine_irq", "wake", "stop", "teardown")
DMA_STAGE_DESC = {
    "setup": "driver set-up: checks, buffer, chain built, registers programmed",
    "doorbell": "the RUN write (a short chain runs inside it)",
    "engine_irq": "RUN written until the handler reads the channel's status",
    "wake": "handler until the waiter runs again",
    "stop": "stopping the channel and checking the result",
    "teardown": "chain freed, buffer released, back to the caller",
}


def memcpy_figures(rows):
    out = []
    keys = sorted({(r["where"], r["size"]) for r in rows
                   if r.get("bench") == "memcpy"})
    for where, size in keys:
        runs = [r for r in rows if r.get("bench") == "memcpy"
                and r["where"] == where and r["size"] == size]
        s = spread([r.get("mb_per_s") for r in runs])
        out.append({"where": where, "size": size, "mb_per_s": med(s), "spread": s})
    return out


def call_figure(rows, what):
    return spread([r.get("ns") for r in rows
                   if r.get("bench") == "call" and r.get("what") == what])


def axil_figures(rows):
    """One user-BAR access, ns: built-in reference design, plug-in, RTL."""
    out = {}
    for logic in ("reference", "plugin", "rtl"):
        for op in ("read", "write"):
            out[f"{logic}_{op}"] = spread([r.get("ns") for r in rows
                                           if r.get("bench") == "axil"
                                           and r.get("logic") == logic
                                           and r.get("op") == op])
    for op in ("read", "write"):
        ref, ul = med(out[f"reference_{op}"]), med(out[f"plugin_{op}"])
        out[f"plugin_extra_{op}_ns"] = (ul - ref) if ref is not None and ul is not None else None
        rtl = med(out[f"rtl_{op}"])
        out[f"rtl_extra_{op}_ns"] = (rtl - ref) if ref is not None and rtl is not None else None
    return out


def stream_figures(rows):
    """Stream loopback per packet size: MB/s, write and read us."""
    out = []
    for size in sorted({r.get("size") for r in rows
                        if r.get("bench") == "stream" and r.get("size")}):
        sel = [r for r in rows if r.get("bench") == "stream" and r.get("size") == size]
        out.append({"size": size,
                    "mb_s": spread([r.get("mb_s") for r in sel]),
                    "write_us": spread([r.get("write_ns") / 1e3 for r in sel
                                        if r.get("write_ns") is not None]),
                    "read_us": spread([r.get("read_ns") / 1e3 for r in sel
                                       if r.get("read_ns") is not None])})
    return out
def rtl_cycles_figure(rows):
    """Cycles per second the verilated RTL sample simulates on the host."""
    return spread([r.get("cycles_per_s") for r in rows
                   if r.get("bench") == "rtl-cycles"])


def paced_figure(rows, depth):
    return spread([r.get("max_rate_per_s") for r in rows
                   if r.get("bench") == "paced" and r.get("queue_depth") == depth])


def fmt(v, unit="", digits=0):
    if v is None:
        return "n/a"
    if digits == 0:
        return f"{v:,.0f}{unit}"
    return f"{v:,.{digits}f}{unit}"


def fmt_spread(s, scale=1.0, digits=0):
    if not s:
        return "n/a"
    return (f"{fmt(s['median'] / scale, digits=digits)} "
            f"({fmt(s['min'] / scale, digits=digits)}–{fmt(s['max'] / scale, digits=digits)})")


def size_name(n):
    for unit, div in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= div and n % div == 0:
            return f"{n // div} {unit}"
    return f"{n} B"


def ratio(a, b):
    if a is None or b is None or not b:
        return None
    return a / b


def find(lst, **kw):
    for x in lst:
        if all(x.get(k) == v for k, v in kw.items()):
            return x
    return None


def aims(res):
    """The issue's "where to aim" figures, measured: never pass/fail."""
    irq = {x["handler"]: x for x in res["irq"]}
    rows = []
    bare, kp, user = irq.get("bare"), irq.get("kp"), irq.get("user")
    r = ratio(kp and kp["rate_per_s"], bare and bare["rate_per_s"])
    rows.append(("kernel plugin rate within 10% of the bare floor",
                 "kp / bare ≥ 0.90", r, r is not None and r >= 0.9))
    r = ratio(kp and kp["rate_per_s"], user and user["rate_per_s"])
    rows.append(("kernel plugin rate at least 3x user-mode delivery",
                 "kp / user ≥ 3", r, r is not None and r >= 3))
    worst = None
    for d in ("h2c", "c2h"):
        k = find(res["dma"], dir=d, size=4096, completion="kernel")
        u = find(res["dma"], dir=d, size=4096, completion="user")
        r = ratio(k and k["mb_per_s"], u and u["mb_per_s"])
        if r is not None:
            worst = r if worst is None else min(worst, r)
    rows.append(("4 KiB DMA: completion in the plugin 2x user mode (worse direction)",
                 "kernel / user ≥ 2", worst, worst is not None and worst >= 2))
    big = max([x["size"] for x in res["dma"]] or [0])
    host = find(res["memcpy"], where="host", size=big)
    worst = None
    for d in ("h2c", "c2h"):
        k = find(res["dma"], dir=d, size=big, completion="kernel")
        r = ratio(k and k["mb_per_s"], host and host["mb_per_s"])
        if r is not None:
            worst = r if worst is None else min(worst, r)
    rows.append((f"bulk DMA ({size_name(big) if big else '-'}) at least half of host memcpy",
                 "DMA / host memcpy ≥ 0.5", worst, worst is not None and worst >= 0.5))
    return rows


def summary_md(res):
    m = res["machine"]
    L = []
    L.append("# vfpga benchmarks\n")
    L.append(f"Measured {m.get('date', '')} on {m.get('cpu_model', '?')}, "
             f"{m.get('host_cores', '?')} host cores, host kernel "
             f"{m.get('host_kernel', '?')}, {m.get('qemu_version', 'QEMU ?')} "
             f"({m.get('accel', '?')}), guest kernel {m.get('guest_kernel', '?')} "
             f"on {m.get('guest_cpus', '?')} vCPUs; host load average (1, 5, 15 min) "
             f"{m.get('host_loadavg', '?')} at the start, {m.get('host_loadavg_end', '?')} "
             "at the end (other work on the host shows up as spread).  Every figure is the median of its runs, "
             "with min–max in brackets.  See docs/benchmarks.md for what each one means.\n")
    L.append("## Interrupts: ping-pong rate and latency\n")
    L.append("| handler | rate (IRQ/s) | p50 latency (µs) | p99 (µs) | max (µs) | runs × IRQs |")
    L.append("|---|---|---|---|---|---|")
    for x in res["irq"]:
        s = x["spread"]
        L.append(f"| {x['handler']}: {x['description']} | {fmt_spread(s['rate_per_s'])} | "
                 f"{fmt_spread(s['p50'], 1e3, 1)} | {fmt_spread(s['p99'], 1e3, 1)} | "
                 f"{fmt_spread(s['max'], 1e3, 0)} | {x['runs']} × {x['interrupts_per_run']:,} |")
    L.append("")
    L.append("## DMA throughput (MB/s, 10^6 bytes), one interrupt per chain\n")
    sizes = sorted({x["size"] for x in res["dma"]} | {x["size"] for x in res["memcpy"]})
    L.append("| size | H2C kernel | H2C user | C2H kernel | C2H user | kernel/user (H2C, C2H) | memcpy guest | memcpy host |")
    L.append("|---|---|---|---|---|---|---|---|")
    for sz in sizes:
        cells = []
        for d in ("h2c", "c2h"):
            for c in ("kernel", "user"):
                e = find(res["dma"], dir=d, size=sz, completion=c)
                cells.append(fmt_spread(e["spread"]) if e else "n/a")
        rs = []
        for d in ("h2c", "c2h"):
            k = find(res["dma"], dir=d, size=sz, completion="kernel")
            u = find(res["dma"], dir=d, size=sz, completion="user")
            r = ratio(k and k["mb_per_s"], u and u["mb_per_s"])
            rs.append(fmt(r, "x", 2))
        g = find(res["memcpy"], where="guest", size=sz)
        h = find(res["memcpy"], where="host", size=sz)
        L.append(f"| {size_name(sz)} | " + " | ".join(cells) + f" | {', '.join(rs)} | "
                 f"{fmt_spread(g['spread']) if g else 'n/a'} | "
                 f"{fmt_spread(h['spread']) if h else 'n/a'} |")
    L.append("")
    small = min([x["size"] for x in res["dma"] if x.get("stages_ns")] or [0])
    if small:
        L.append(f"## One {size_name(small)} transfer, stage by stage (µs, median of the runs' means)\n")
        L.append("Kernel: the sample plugin's loop in the kernel (`vfpga_kp_dma_xfer()`); user: the same plugin "
                 "hosted in the program, one `VFPGA_DMA_XFER` ioctl per transfer.  The rest is what the "
                 "driver does not see: the system call and the plugin's own loop.\n")
        cols = [(d, c) for d in ("h2c", "c2h") for c in ("kernel", "user")]
        L.append("| stage | " + " | ".join(f"{d.upper()} {c}" for d, c in cols) + " |")
        L.append("|---|" + "---|" * len(cols))
        ents = [find(res["dma"], dir=d, size=small, completion=c) for d, c in cols]
        for st in DMA_STAGES:
            cells = [fmt(e["stages_ns"][st] / 1e3, "", 2) if e and e.get("stages_ns") and
                     e["stages_ns"][st] is not None else "n/a" for e in ents]
            L.append(f"| {st}: {DMA_STAGE_DESC[st]} | " + " | ".join(cells) + " |")
        rest, tot = [], []
        for e in ents:
            if e and e.get("stages_ns") and e.get("ns_per_transfer") and \
               all(v is not None for v in e["stages_ns"].values()):
                rest.append(fmt((e["ns_per_transfer"] - sum(e["stages_ns"].values())) / 1e3, "", 2))
                tot.append(fmt(e["ns_per_transfer"] / 1e3, "", 2))
            else:
                rest.append("n/a")
                tot.append("n/a")
        L.append("| rest: outside the driver's stages | " + " | ".join(rest) + " |")
        L.append("| **one transfer** | " + " | ".join(tot) + " |")
        L.append("")
    L.append("## Calls (ns per round trip)\n")
    L.append("| call | ns |")
    L.append("|---|---|")
    for key, name in (("kp_call", "kp_call, sample VERSION (kernel plugin)"),
                      ("kp_call_user_mode", "kp_call, sample VERSION (plugin in user mode)"),
                      ("ioctl_reg_read", "ioctl VFPGA_REG_READ (the same register read)"),
                      ("ioctl_api_version", "ioctl VFPGA_GET_API_VERSION (no argument)")):
        L.append(f"| {name} | {fmt_spread(res['calls'].get(key))} |")
    L.append("")
    L.append("## User-logic register access (ns per guest access, BAR0 mapping)\n")
    a = res["axil"]
    L.append("| user logic | read | write |")
    L.append("|---|---|---|")
    L.append(f"| reference design, built into QEMU | {fmt_spread(a.get('reference_read'))} | "
             f"{fmt_spread(a.get('reference_write'))} |")
    L.append(f"| plug-in (checksum.so, dlopen) | {fmt_spread(a.get('plugin_read'))} | "
             f"{fmt_spread(a.get('plugin_write'))} |")
    L.append(f"| plug-in minus reference (medians) | {fmt(a.get('plugin_extra_read_ns'), ' ns', 1)} | "
             f"{fmt(a.get('plugin_extra_write_ns'), ' ns', 1)} |")
    L.append(f"| RTL sample (Verilator, RTL bridge) | {fmt_spread(a.get('rtl_read'))} | "
             f"{fmt_spread(a.get('rtl_write'))} |")
    L.append(f"| RTL minus reference (medians) | {fmt(a.get('rtl_extra_read_ns'), ' ns', 1)} | "
             f"{fmt(a.get('rtl_extra_write_ns'), ' ns', 1)} |")
    L.append("")
    L.append("## RTL simulation speed (host, one core)\n")
    L.append("| design | simulated cycles per second |")
    L.append("|---|---|")
    L.append(f"| RTL sample (rtl/sample/, verilated -O3, AXI-Lite reads back to back) | "
             f"{fmt_spread(res.get('rtl_cycles_per_s'))} |")
    L.append("")
    L.append("## Stream loopback (H2C stream 0 into C2H stream 0, one packet each way)\n")
    L.append("| packet | loopback MB/s | write (us) | read (us) |")
    L.append("|---|---|---|---|")
    for s in res.get("stream", []):
        L.append(f"| {size_name(s['size'])} | {fmt_spread(s['mb_s'], 1, 1)} | "
                 f"{fmt_spread(s['write_us'], 1, 0)} | {fmt_spread(s['read_us'], 1, 0)} |")
    if not res.get("stream"):
        L.append("| (not measured) | | | |")
    L.append("")
    L.append("## Paced interrupts handled by the kernel plugin\n")
    p = res["paced"]
    L.append("| definition | highest rate with zero overruns, nothing lost (IRQ/s) |")
    L.append("|---|---|")
    L.append(f"| sustained: generator event queue of {p['sustained_queue_depth']} beats "
             f"(`paced_max_rate_per_s`) | {fmt_spread(p['sustained'])} |")
    strict = p["strict"]
    if strict and strict["max"] == 0:
        strict_txt = "below 625: every run overran (one late acknowledge suffices)"
    else:
        strict_txt = fmt_spread(strict)
    L.append(f"| strict: no queue, every beat acknowledged before the next | {strict_txt} |")
    L.append("")
    L.append("## Where the issue aims (figures, not pass/fail)\n")
    L.append("| aim | measure | measured | met |")
    L.append("|---|---|---|---|")
    for what, measure, r, ok in aims(res):
        L.append(f"| {what} | {measure} | {fmt(r, '', 2)} | {'yes' if ok else 'no'} |")
    L.append("")
    if res.get("plots"):
        L.append("## Plots\n")
        for name, path in res["plots"].items():
            L.append(f"- {name}: `{path}`")
        L.append("")
    if res.get("notes"):
        L.append("## Diagnostics from the run\n")
        L.append("```")
        L.extend(res["notes"][:40])
        L.append("```")
    return "\n".join(L) + "\n"


def gnuplot(script, outdir):
    p = subprocess.run(["gnuplot"], input=script, text=True, cwd=outdir,
                       capture_output=True)
    if p.returncode:
        sys.stderr.write(p.stderr)
        raise RuntimeError("gnuplot failed")


def plots(res, outdir):
    if not shutil.which("gnuplot"):
        return {}, "gnuplot not installed (apt-get install gnuplot-nox): no plots"
    made = {}
    term = "set terminal pngcairo size 900,560 noenhanced font ',10'\n"
    if subprocess.run(["gnuplot", "-e", "set terminal pngcairo"],
                      capture_output=True).returncode:
        term = "set terminal png size 900,560 noenhanced\n"
    # Interrupt rate per handler, with min-max bars.
    with open(os.path.join(outdir, "irq_rate.dat"), "w") as f:
        for i, x in enumerate(res["irq"]):
            s = x["spread"]["rate_per_s"]
            f.write(f"{i} {x['handler']} {s['median']} {s['min']} {s['max']}\n")
    if res["irq"]:
        gnuplot(term + """set output 'irq_rate.png'
set title 'Ping-pong interrupt rate per handler (median, min-max)'
set ylabel 'interrupts per second'
set style fill solid 0.6
set boxwidth 0.6
set yrange [0:*]
set grid ytics
unset key
plot 'irq_rate.dat' using 1:3:xtic(2) with boxes, '' using 1:3:4:5 with yerrorbars lc rgb 'black' pt 0
""", outdir)
        made["interrupt rate per handler"] = os.path.join(outdir, "irq_rate.png")
    # Latency histograms: share of interrupts per bucket, every run summed.
    plot_cmds = []
    for x in res["irq"]:
        h = x["latency_hist"]
        total = sum(h["count"]) or 1
        path = f"irq_latency_{x['handler']}.dat"
        with open(os.path.join(outdir, path), "w") as f:
            for fl, c in zip(h["floor_ns"], h["count"]):
                if c:
                    f.write(f"{max(fl, 1) / 1000.0} {c / total}\n")
        if any(h["count"]):
            plot_cmds.append(f"'{path}' using 1:2 with linespoints title '{x['handler']}'")
    if plot_cmds:
        gnuplot(term + """set output 'irq_latency.png'
set title 'Interrupt latency: device clock at the handler minus the raise'
set xlabel 'latency (us, bucket lower bound)'
set ylabel 'share of interrupts'
set logscale xy
set grid
set key top right
plot """ + ", ".join(plot_cmds) + "\n", outdir)
        made["latency histogram"] = os.path.join(outdir, "irq_latency.png")
    # Throughput against transfer size.
    series = []
    for d in ("h2c", "c2h"):
        for c in ("kernel", "user"):
            pts = [x for x in res["dma"] if x["dir"] == d and x["completion"] == c]
            if pts:
                series.append((f"DMA {d.upper()}, completion in {c}", pts))
    for where in ("guest", "host"):
        pts = [x for x in res["memcpy"] if x["where"] == where]
        if pts:
            series.append((f"memcpy, {where}", pts))
    cmds = []
    for i, (title, pts) in enumerate(series):
        path = f"throughput_{i}.dat"
        with open(os.path.join(outdir, path), "w") as f:
            for x in sorted(pts, key=lambda x: x["size"]):
                s = x["spread"]
                f.write(f"{x['size']} {s['median']} {s['min']} {s['max']}\n")
        cmds.append(f"'{path}' using 1:2:3:4 with yerrorlines title '{title}'")
    if cmds:
        sizes = sorted({x["size"] for _, pts in series for x in pts})
        xtics = ", ".join(f'"{size_name(n)}" {n}' for n in sizes)
        gnuplot(term + """set output 'throughput.png'
set title 'Throughput against transfer size (median, min-max)'
set xlabel 'transfer size'
set ylabel 'MB/s'
set logscale xy 2
set xtics (""" + xtics + """)
set xrange [""" + f"{sizes[0] / 1.5}:{sizes[-1] * 1.5}" + """]
set grid
set key outside right
plot """ + ", ".join(cmds) + "\n", outdir)
        made["throughput against transfer size"] = os.path.join(outdir, "throughput.png")
    return made, None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guest", required=True)
    ap.add_argument("--host", required=True)
    ap.add_argument("--machine", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    grows, notes = read_jsonl(a.guest)
    hrows, hnotes = read_jsonl(a.host)
    with open(a.machine) as f:
        machine = json.load(f)
    ginfo = next((r for r in grows if r.get("bench") == "guest"), {})
    machine.update({"guest_kernel": ginfo.get("kernel"),
                    "guest_cpus": ginfo.get("cpus"),
                    "guest_cpu_model": ginfo.get("cpu_model"),
                    "guest_mem_kb": ginfo.get("mem_kb"),
                    "guest_cmdline": ginfo.get("cmdline")})
    calls = {k: call_figure(grows, k) for k in
             ("kp_call", "kp_call_user_mode", "ioctl_reg_read", "ioctl_api_version")}
    depths = sorted({r.get("queue_depth") for r in grows
                     if r.get("bench") == "paced" and r.get("queue_depth")})
    sustained_depth = depths[-1] if depths else None
    res = {
        "machine": machine,
        "irq": irq_figures(grows),
        "dma": dma_figures(grows),
        "memcpy": memcpy_figures(grows + hrows),
        "kp_call_ns": med(calls["kp_call"]),
        "ioctl_ns": med(calls["ioctl_reg_read"]),
        "calls": calls,
        "axil": axil_figures(grows),
        "stream": stream_figures(grows),
        "rtl_cycles_per_s": rtl_cycles_figure(hrows),
        "paced_max_rate_per_s": med(paced_figure(grows, sustained_depth)),
        "paced": {"sustained_queue_depth": sustained_depth,
                  "sustained": paced_figure(grows, sustained_depth),
                  "strict": paced_figure(grows, 0)},
        "notes": [n for n in notes + hnotes
                  if not n.startswith(("bench-step:", "vfpga-exit:"))],
    }
    os.makedirs(a.out, exist_ok=True)
    made, why = plots(res, a.out)
    res["plots"] = made
    if why:
        res["notes"].append(why)
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    md = summary_md(res)
    with open(os.path.join(a.out, "summary.md"), "w") as f:
        f.write(md)
    sys.stdout.write(md)


if __name__ == "__main__":
    main()
