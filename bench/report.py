#!/usr/bin/env python3
"""Turns the CPU suite's Google Benchmark JSON into markdown tables and a plot.

    report.py RESULTS.json [--compare OTHER.json] [--plot PNG] [--readme README.md] [--markdown OUT.md]

Benchmark names are "<op>/<dtype>/<form>/<impl>/threads:<t>/<n>" (Google Benchmark appends
"/real_time"). op: rsqrt, sqrt, rms_norm, layer_norm, sum, or copy (the baselines); form: oop (a
new tensor), out (into a preallocated output), inplace; impl: radicand, libtorch, eigen, plain,
memcpy (copy/out), rmw (copy/inplace). The normalisations run over the last dimension of
[n / 4096, 4096]; their tables and targets appear when the results have them, the rsqrt and sqrt
ones when the results have those. Times are medians of the repetitions (the "median" aggregate when the run
reported aggregates, else the median of the runs of each name).

--compare adds run-to-run noise: the ratio of each benchmark's median in the two files.
--readme replaces what lies between "<!-- results:begin -->" and "<!-- results:end -->".
--plot draws time per element against size for float32 (rsqrt and sqrt) when matplotlib is
available; without it the plot is skipped with a message.
Python 3 standard library only (matplotlib optional).
"""

import argparse
import os
import json
import math
import re
import statistics
import sys

UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
NAME_RE = re.compile(r"^(\w+)/(\w+)/(\w+)/(\w+)/threads:(\d+)/(\d+)(?:/real_time)?$")
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"
PEERS = ("libtorch", "eigen", "plain")
LABEL = {"radicand": "radicand", "libtorch": "libtorch", "eigen": "Eigen", "plain": "plain loop",
         "memcpy": "memcpy", "rmw": "read-modify-write", "radicand_dispatch": "radicand, runtime dispatch",
         "radicand_sse2": "radicand, SSE2"}


def load(path):
    """Returns (context, {key: median ns}, {key: cv}) with key = (op, dtype, form, impl, t, n)."""
    with open(path) as f:
        data = json.load(f)
    medians, cvs, runs = {}, {}, {}
    for b in data.get("benchmarks", []):
        m = NAME_RE.match(b.get("run_name", b["name"]))
        if not m or b.get("error_occurred"):
            continue
        op, dtype, form, impl, t, n = m.groups()
        key = (op, dtype, form, impl, int(t), int(n))
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[key] = b["real_time"] * UNIT_NS[b.get("time_unit", "ns")]
            elif b.get("aggregate_name") == "cv":
                cvs[key] = b["real_time"]
        else:
            runs.setdefault(key, []).append(b["real_time"] * UNIT_NS[b.get("time_unit", "ns")])
    for key, ts in runs.items():
        medians.setdefault(key, statistics.median(ts))
    return data.get("context", {}), medians, cvs


def fmt_time(ns):
    if ns is None:
        return "–"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def fmt_ratio(r):
    return "–" if r is None else f"{r:.2f}×"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def pow2(n):
    e = int(round(math.log2(n)))
    return f"2^{e}" if 2 ** e == n else str(n)


class Results:
    def __init__(self, ctx, med):
        self.ctx, self.med = ctx, med

    def get(self, op, dtype, form, impl, t, n):
        return self.med.get((op, dtype, form, impl, t, n))

    def base(self, dtype, form, t, n):
        """The bandwidth baseline of a form: memcpy for oop and out, read-modify-write for inplace."""
        if form == "inplace":
            return self.get("copy", dtype, "inplace", "rmw", t, n)
        return self.get("copy", dtype, "out", "memcpy", t, n)

    def sizes(self, dtype, op=None):
        return sorted({k[5] for k in self.med if k[1] == dtype and (op is None or k[0] == op)})

    def has(self, impl, t=None):
        return any(k[3] == impl and (t is None or k[4] == t) for k in self.med)

    def has_op(self, *ops):
        return any(k[0] in ops for k in self.med)


def machine_lines(ctx):
    caches = ", ".join(
        f"L{c['level']}{'d' if c['type'] == 'Data' else 'i' if c['type'] == 'Instruction' else ''} "
        f"{c['size'] // 1024} KiB" + (f" (shared by {c['num_sharing']})" if c.get("num_sharing", 0) > 1 else "")
        for c in ctx.get("caches", []))
    out = [f"- run: {ctx.get('date', '?')}, {ctx.get('cpu_model', 'CPU model unknown')}, {ctx.get('num_cpus', '?')} CPUs "
           f"at {ctx.get('mhz_per_cpu', '?')} MHz; caches {caches or '?'}; load average at the start "
           f"{', '.join(f'{x:.2f}' for x in ctx.get('load_avg', [])) or '?'}",
           f"- radicand {ctx.get('radicand_version', '?')} (revision {ctx.get('revision', '?')}), CPU backend **{ctx.get('radicand_simd_backend', '?')}**, "
           f"thread API (`rd::set_num_threads`): {ctx.get('radicand_threads_api', '?')}; "
           f"compiled with {ctx.get('compiler', '?')} `{ctx.get('bench_cxx_flags', '?')}`",
           f"- peers: libtorch {ctx.get('libtorch_version', 'absent')}, Eigen {ctx.get('eigen_version', 'absent')}"
           + (f"; libtorch has no CPU kernel for: {ctx['libtorch_unsupported']}" if ctx.get("libtorch_unsupported") else "")]
    acc = [(k[len("accuracy_"):].rsplit("_", 1)[0], v) for k, v in sorted(ctx.items()) if k.startswith("accuracy_")]
    if acc:
        out.append("- peers' float32 results against radicand's correctly rounded ones, on the 65536 benchmark "
                   "inputs: " + "; ".join(f"{LABEL.get(k.split('_')[0], k.split('_')[0])} {k.split('_')[1]}: {v}"
                                          for k, v in acc))
    return out


def verdict(ok):
    return "–" if ok is None else ("**met**" if ok else "**not met**")


def targets(R):
    """The CPU speed targets, from this run's medians (float32, 1 thread, unless said)."""
    rows = []
    f, n64k, big, small = "float", 65536, 1 << 26, 1024

    def row(name, value, limit, text):
        ok = None if value is None else value <= limit
        rows.append(f"| {name} | {text} | {fmt_ratio(value)} | ≤ {limit}× | {verdict(ok)} |")

    def out(op, impl, n, dtype=f):
        return R.get(op, dtype, "out", impl, 1, n)

    row("2^16", ratio(out("rsqrt", "radicand", n64k), out("rsqrt", "eigen", n64k)), 1.2,
        "`rd::rsqrt(x, out)` / Eigen's `rsqrt()` (2 ulp)")
    row("2^16", ratio(out("rsqrt", "radicand", n64k), out("rsqrt", "libtorch", n64k)), 0.4,
        "`rd::rsqrt(x, out)` / libtorch `rsqrt_out`")
    row("2^16", ratio(out("sqrt", "radicand", n64k), out("sqrt", "eigen", n64k)), 0.8,
        "`rd::sqrt(x, out)` / Eigen's `sqrt()`")
    row("2^16", ratio(out("sqrt", "radicand", n64k), out("sqrt", "plain", n64k)), 0.7,
        "`rd::sqrt(x, out)` / the plain `std::sqrt` loop (`vsqrtps`)")
    for op in ("rsqrt", "sqrt"):
        row("2^10", ratio(out(op, "radicand", small), out(op, "libtorch", small)), 0.3,
            f"`rd::{op}(x, out)` / libtorch `{op}_out`")
    for op in ("rsqrt", "sqrt"):
        row("2^26", ratio(R.get(op, f, "oop", "radicand", 1, big), R.base(f, "oop", 1, big)), 1.0,
            f"`rd::{op}(x)` (new tensor) / memcpy")
        row("2^26", ratio(out(op, "radicand", big), R.base(f, "out", 1, big)), 1.0,
            f"`rd::{op}(x, out)` / memcpy")
        row("2^26", ratio(R.get(op, f, "inplace", "radicand", 1, big), R.base(f, "inplace", 1, big)), 1.1,
            f"`x.{op}_()` / read-modify-write pass")
    for dt in ("half", "bfloat16"):
        for op in ("rsqrt", "sqrt"):
            row("2^16", ratio(out(op, "radicand", n64k, dt), out(op, "radicand", n64k)), 1.3,
                f"{dt} `rd::{op}(x, out)` / float's")
    row("2^16", ratio(out("rsqrt", "radicand", n64k, "double"), out("rsqrt", "libtorch", n64k, "double")), 0.6,
        "double `rd::rsqrt(x, out)` / libtorch `rsqrt_out`")
    for op in ("rsqrt", "sqrt"):
        row("2^16", ratio(out(op, "radicand_dispatch", n64k), out(op, "radicand", n64k)), 1.1,
            f"`rd::{op}(x, out)` built for `-march=x86-64` with runtime dispatch / built for `-march=native`")
    head = ["| n | measure | ratio | goal | |", "| --- | --- | ---: | ---: | --- |"]
    return head + rows


def float_table(R, op, t):
    """float32, out form: radicand beside each peer and memcpy, every size."""
    impls = ["radicand"] + [p for p in PEERS if R.has(p)]
    head = ["| n | " + " | ".join(LABEL[i] for i in impls) + " | memcpy | "
            + " | ".join(f"radicand / {LABEL[p]}" for p in impls[1:]) + " | radicand / memcpy |",
            "| ---: |" + " ---: |" * (len(impls) + 1) + " ---: |" * len(impls)]
    rows = []
    for n in R.sizes("float", op):
        rd = R.get(op, "float", "out", "radicand", t, n)
        cells = [fmt_time(R.get(op, "float", "out", i, t, n)) for i in impls]
        mc = R.base("float", "out", t, n)
        ratios = [fmt_ratio(ratio(rd, R.get(op, "float", "out", p, t, n))) for p in impls[1:]]
        rows.append(f"| {pow2(n)} | " + " | ".join(cells) + f" | {fmt_time(mc)} | " + " | ".join(ratios)
                    + f" | {fmt_ratio(ratio(rd, mc))} |")
    return head + rows


def forms_table(R, op, t):
    """float32: the new-tensor and in-place forms beside libtorch's and the bandwidth baselines."""
    head = ["| n | `rd::{0}(x)` | torch::{0}(x) | ratio | / memcpy | `x.{0}_()` | torch `x.{0}_()` | ratio | / rmw |".format(op),
            "| ---: |" + " ---: |" * 8]
    rows = []
    for n in R.sizes("float", op):
        o, to = R.get(op, "float", "oop", "radicand", t, n), R.get(op, "float", "oop", "libtorch", t, n)
        i, ti = R.get(op, "float", "inplace", "radicand", t, n), R.get(op, "float", "inplace", "libtorch", t, n)
        rows.append(f"| {pow2(n)} | {fmt_time(o)} | {fmt_time(to)} | {fmt_ratio(ratio(o, to))} | "
                    f"{fmt_ratio(ratio(o, R.base('float', 'oop', t, n)))} | {fmt_time(i)} | {fmt_time(ti)} | "
                    f"{fmt_ratio(ratio(i, ti))} | {fmt_ratio(ratio(i, R.base('float', 'inplace', t, n)))} |")
    return head + rows


def threads_table(R):
    """float32, 2 threads: radicand and libtorch in each form, and the 2-thread baselines."""
    head = ["| op | n | radicand out | libtorch out | ratio | radicand new | libtorch new | ratio | "
            "radicand in place | libtorch in place | ratio | memcpy (2 thr.) | libtorch out, 1 thr. |",
            "| --- | ---: |" + " ---: |" * 11]
    rows = []
    for op in ("rsqrt", "sqrt"):
        for n in R.sizes("float", op):
            cells = []
            for form in ("out", "oop", "inplace"):
                a, b = R.get(op, "float", form, "radicand", 2, n), R.get(op, "float", form, "libtorch", 2, n)
                cells += [fmt_time(a), fmt_time(b), fmt_ratio(ratio(a, b))]
            rows.append(f"| {op} | {pow2(n)} | " + " | ".join(cells)
                        + f" | {fmt_time(R.base('float', 'out', 2, n))} | {fmt_time(R.get(op, 'float', 'out', 'libtorch', 1, n))} |")
    return head + rows


def dtype_table(R):
    """Every element type, out form, 1 thread: radicand beside the peers, and against float."""
    impls = ["radicand"] + [p for p in PEERS if R.has(p)]
    head = ["| op | type | n | " + " | ".join(LABEL[i] for i in impls) + " | memcpy | "
            + " | ".join(f"radicand / {LABEL[p]}" for p in impls[1:]) + " | radicand / radicand float |",
            "| --- | --- | ---: |" + " ---: |" * (2 * len(impls) + 1)]
    rows = []
    for op in ("rsqrt", "sqrt"):
        for dt in ("float", "double", "half", "bfloat16"):
            for n in R.sizes(dt, op):
                if dt == "float" and n not in R.sizes("double", op):
                    continue
                rd = R.get(op, dt, "out", "radicand", 1, n)
                cells = [fmt_time(R.get(op, dt, "out", i, 1, n)) for i in impls]
                ratios = [fmt_ratio(ratio(rd, R.get(op, dt, "out", p, 1, n))) for p in impls[1:]]
                rows.append(f"| {op} | {dt} | {pow2(n)} | " + " | ".join(cells) + f" | {fmt_time(R.base(dt, 'out', 1, n))} | "
                            + " | ".join(ratios) + f" | {fmt_ratio(ratio(rd, R.get(op, 'float', 'out', 'radicand', 1, n)))} |")
    return head + rows


def baseline_table(R):
    """radicand from the baseline x86-64 units (runtime dispatch, SSE2 alone) against the
    -march=native build, out form, 1 thread."""
    impls = [i for i in ("radicand_dispatch", "radicand_sse2") if R.has(i)]
    if not impls:
        return ["(no baseline x86-64 units in this run)"]
    head = ["| op | type | n | radicand | " + " | ".join(LABEL[i] for i in impls) + " | "
            + " | ".join(f"{LABEL[i]} / radicand" for i in impls) + " |",
            "| --- | --- | ---: | ---: |" + " ---: |" * (2 * len(impls))]
    rows = []
    for op in ("rsqrt", "sqrt"):
        for dt in ("float", "double", "half"):
            for n in R.sizes(dt, op):
                times = [R.get(op, dt, "out", i, 1, n) for i in impls]
                if all(t is None for t in times):
                    continue
                rd = R.get(op, dt, "out", "radicand", 1, n)
                rows.append(f"| {op} | {dt} | {pow2(n)} | {fmt_time(rd)} | " + " | ".join(fmt_time(t) for t in times)
                            + " | " + " | ".join(fmt_ratio(ratio(t, rd)) for t in times) + " |")
    return head + rows


NORM_COLS = 4096
NORM_OPS = ("rms_norm", "layer_norm")
NORM_PEER = {"rms_norm": "the libtorch expression", "layer_norm": "`torch::layer_norm`"}


def shape(n):
    return f"[{n // NORM_COLS}, {NORM_COLS}]"


def norm_targets(R):
    """The normalisations' targets: LayerNorm not slower than libtorch's fused torch::layer_norm,
    RMSNorm faster than the libtorch expression users write, each type, shape and thread count;
    and the same bits on 1 and 2 threads."""
    rows = []
    for op in NORM_OPS:
        for dt in ("float", "bfloat16"):
            for n in R.sizes(dt, op):
                for t in (1, 2):
                    r = ratio(R.get(op, dt, "oop", "radicand", t, n), R.get(op, dt, "oop", "libtorch", t, n))
                    rows.append(f"| `{op}` | {dt} | {shape(n)} | {t} | radicand / {NORM_PEER[op]} | {fmt_ratio(r)} | "
                                f"{'≤ 1×' if op == 'layer_norm' else '< 1×'} | "
                                f"{verdict(None if r is None else (r <= 1.0 if op == 'layer_norm' else r < 1.0))} |")
    for lib in ("radicand", "libtorch"):
        text = R.ctx.get(f"norms_same_bits_1_and_2_threads_{lib}")
        if text:
            ok = None if lib != "radicand" else all(p.rsplit(": ", 1)[-1] == "yes" for p in text.split(", "))
            rows.append(f"| {lib} | | [4096, 4096] | 1 and 2 | the same bits on 1 and 2 threads: {text} | | "
                        f"{'yes' if lib == 'radicand' else '–'} | {verdict(ok)} |")
    return ["| op | type | shape | threads | measure | ratio | goal | |",
            "| --- | --- | --- | ---: | --- | ---: | ---: | --- |"] + rows


def norm_table(R):
    """Both normalisations, each type, shape and thread count: radicand beside the peers and the
    memcpy of the same bytes."""
    impls = [i for i in ("libtorch", "eigen") if R.has(i)]
    head = ["| op | type | shape | threads | radicand | " + " | ".join(LABEL[i] for i in impls) + " | memcpy | "
            + " | ".join(f"radicand / {LABEL[i]}" for i in impls) + " | radicand / memcpy |",
            "| --- | --- | --- | ---: | ---: |" + " ---: |" * (2 * len(impls) + 2)]
    rows = []
    for op in NORM_OPS:
        for dt in ("float", "bfloat16"):
            for n in R.sizes(dt, op):
                for t in (1, 2):
                    rd = R.get(op, dt, "oop", "radicand", t, n)
                    peers = [R.get(op, dt, "oop", i, t, n) for i in impls]
                    mc = R.base(dt, "out", t, n)
                    rows.append(f"| `{op}` | {dt} | {shape(n)} | {t} | {fmt_time(rd)} | "
                                + " | ".join(fmt_time(p) for p in peers) + f" | {fmt_time(mc)} | "
                                + " | ".join(fmt_ratio(ratio(rd, p)) for p in peers)
                                + f" | {fmt_ratio(ratio(rd, mc))} |")
    return head + rows


def sum_table(R):
    """The sum of every element of [4096, 4096] float, beside the peers and memcpy (which moves
    twice the bytes: it reads and writes them)."""
    impls = [i for i in ("libtorch", "eigen") if R.has(i)]
    head = ["| shape | threads | radicand | " + " | ".join(LABEL[i] for i in impls) + " | memcpy | "
            + " | ".join(f"radicand / {LABEL[i]}" for i in impls) + " | radicand / memcpy |",
            "| --- | ---: | ---: |" + " ---: |" * (2 * len(impls) + 2)]
    rows = []
    for n in R.sizes("float", "sum"):
        for t in (1, 2):
            rd = R.get("sum", "float", "oop", "radicand", t, n)
            peers = [R.get("sum", "float", "oop", i, t, n) for i in impls]
            mc = R.base("float", "out", t, n)
            rows.append(f"| {shape(n)} | {t} | {fmt_time(rd)} | " + " | ".join(fmt_time(p) for p in peers)
                        + f" | {fmt_time(mc)} | " + " | ".join(fmt_ratio(ratio(rd, p)) for p in peers)
                        + f" | {fmt_ratio(ratio(rd, mc))} |")
    return head + rows


def norm_markdown(R):
    out = ["#### Normalisations: targets", ""] + norm_targets(R) + [""]
    out += ["#### `rd::rms_norm` and `rd::layer_norm` over the last dimension (new tensors; libtorch: "
            "the RMSNorm expression, the fused `torch::layer_norm`; Eigen: row-wise expressions, 1 thread)", ""]
    out += norm_table(R) + [""]
    if R.has_op("sum"):
        out += ["#### `rd::sum(x)` (libtorch `x.sum()`, Eigen `x.sum()`)", ""] + sum_table(R) + [""]
    return out


def noise(R1, R2, label1, label2):
    """Run-to-run variation between two runs of the suite. radicand's rows also change when the
    library changed between the runs, so the absolute noise is taken from the peers and the
    baselines only; the ratios that the targets use are compared too."""

    def spread(keys, f):
        devs = sorted(abs(f(R2, k) / f(R1, k) - 1) for k in keys)
        return devs, (lambda q: devs[min(len(devs) - 1, int(q * len(devs)))])

    lines = []
    for name, t in (("1 thread", 1), ("2 threads", 2)):
        keys = [k for k in R1.med if k in R2.med and k[4] == t and k[3] != "radicand"]
        if not keys:
            continue
        devs, p = spread(keys, lambda R, k: R.med[k])
        lines.append(f"- {name}, peers and baselines ({len(devs)} benchmarks): the two runs' medians differ by "
                     f"{100 * p(0.5):.0f}% (median over benchmarks), {100 * p(0.9):.0f}% (90th percentile), "
                     f"{100 * devs[-1]:.0f}% (worst)")
    # Ratios within a run (what the targets are): libtorch / memcpy, both unchanged between runs.
    rk = [("out", op, n) for op in ("rsqrt", "sqrt") for n in R1.sizes("float", op)
          if all(R.get(op, "float", "out", "libtorch", 1, n) and R.base("float", "out", 1, n) for R in (R1, R2))]
    if rk:
        devs, p = spread(rk, lambda R, k: R.get(k[1], "float", "out", "libtorch", 1, k[2]) / R.base("float", "out", 1, k[2]))
        lines.append(f"- a ratio within one run, float32 libtorch `*_out` / memcpy, 1 thread ({len(devs)} sizes): "
                     f"differs between the runs by {100 * p(0.5):.0f}% (median), {100 * devs[-1]:.0f}% (worst)")
    rk = [(op, n) for op in ("rsqrt", "sqrt") for n in R1.sizes("float", op)
          if all(R.get(op, "float", "out", i, 1, n) for R in (R1, R2) for i in ("radicand", "libtorch"))]
    if rk:
        ratios = ", ".join(
            f"{op} {pow2(n)}: {R1.get(op, 'float', 'out', 'radicand', 1, n) / R1.get(op, 'float', 'out', 'libtorch', 1, n):.2f}"
            f" vs {R2.get(op, 'float', 'out', 'radicand', 1, n) / R2.get(op, 'float', 'out', 'libtorch', 1, n):.2f}"
            for op, n in rk if n in (1024, 65536))
        lines.append(f"- radicand / libtorch (float32 out, 1 thread), this run vs the other (the library may differ between them): {ratios}")
    return [f"Run-to-run noise (`{label1}` vs `{label2}`):", ""] + lines


def markdown(R, R2=None, label1="", label2=""):
    backend = R.ctx.get("radicand_simd_backend", "?")
    out = [f"_Generated by `bench/report.py` from `{label1}`. radicand CPU backend: **{backend}**. "
           "Times are medians of 5 repetitions (wall clock); a ratio below 1× means radicand is faster._", ""]
    out += machine_lines(R.ctx) + [""]
    if R.has_op("rsqrt", "sqrt"):
        out += rsqrt_markdown(R)
    if R.has_op(*NORM_OPS, "sum"):
        out += norm_markdown(R)
    if R2 is not None:
        out += noise(R, R2, label1, label2) + [""]
    return "\n".join(out)


def rsqrt_markdown(R):
    out = ["#### Targets (float32 unless said)", ""] + targets(R) + [""]
    for op in ("rsqrt", "sqrt"):
        out += [f"#### float32 `{op}`, 1 thread, into a preallocated out "
                f"(`rd::{op}(x, out)`, libtorch `{op}_out`, Eigen `out = x.{op}()`, plain loop)", ""]
        out += float_table(R, op, 1) + [""]
    for op in ("rsqrt", "sqrt"):
        out += [f"#### float32 `{op}`, 1 thread: new tensor (includes allocating it) and in place", ""]
        out += forms_table(R, op, 1) + [""]
    out += ["#### float32, 2 threads", ""] + threads_table(R) + [""]
    out += ["#### Every element type, 1 thread, into a preallocated out", ""] + dtype_table(R) + [""]
    out += ["#### Built for baseline x86-64 (runtime dispatch; SSE2 alone), 1 thread, into a preallocated out", ""]
    out += baseline_table(R) + [""]
    return out


def plot(R, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("report.py: matplotlib is not installed; no plot (apt-get install python3-matplotlib)", file=sys.stderr)
        return False
    styles = {"radicand": ("C0", "o"), "libtorch": ("C3", "s"), "eigen": ("C2", "^"), "plain": ("C1", "v"),
              "memcpy": ("0.3", None)}

    def line(ax, op, impl, t, ls, label):
        pts = []
        for n in R.sizes("float", "rsqrt" if impl == "memcpy" else op):
            v = R.base("float", "out", t, n) if impl == "memcpy" else R.get(op, "float", "out", impl, t, n)
            if v is not None:
                pts.append((n, v / n))
        if pts:
            color, marker = styles[impl]
            ax.plot([p[0] for p in pts], [p[1] for p in pts], ls, color=color, marker=marker, markersize=4,
                    linewidth=2.2 if impl == "radicand" else 1.4, label=label)

    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8))
    for ax, op in zip(axes, ("rsqrt", "sqrt")):
        for impl in ("radicand", "libtorch", "eigen", "plain", "memcpy"):
            line(ax, op, impl, 1, "-", LABEL[impl])
        ax.set_title(f"{op}, 1 thread, into a preallocated out")
    ax = axes[2]
    for op, ls in (("rsqrt", "-"), ("sqrt", ":")):
        for impl in ("radicand", "libtorch"):
            line(ax, op, impl, 2, ls, f"{LABEL[impl]} {op}")
    line(ax, "rsqrt", "memcpy", 2, "--", "memcpy")
    ax.set_title("2 threads, into a preallocated out")
    for ax in axes:
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("elements (float32)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8, loc="best")
    axes[0].set_ylabel("time per element (ns), median")
    fig.suptitle(f"radicand ({R.ctx.get('radicand_simd_backend', '?')} backend) vs peers, "
                 f"{R.ctx.get('date', '')[:10]}, {R.ctx.get('num_cpus', '?')} CPUs; lower is better", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("--compare", help="a second run of the suite, for run-to-run noise")
    ap.add_argument("--plot", help="PNG to write (float32 rsqrt and sqrt)")
    ap.add_argument("--readme", help="markdown file whose results block to replace")
    ap.add_argument("--markdown", help="write the tables here (default: stdout)")
    ap.add_argument("--label", help="how to name the results file in the text (default: its path)")
    a = ap.parse_args()

    ctx, med, _ = load(a.results)
    if not med:
        sys.exit(f"report.py: no benchmark results in {a.results}")
    R = Results(ctx, med)
    R2 = None
    if a.compare:
        ctx2, med2, _ = load(a.compare)
        R2 = Results(ctx2, med2)
    text = markdown(R, R2, a.label or a.results, os.path.basename(a.compare) if a.compare else "")
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(text + "\n")
    if a.readme:
        with open(a.readme) as f:
            readme = f.read()
        if BEGIN not in readme or END not in readme:
            sys.exit(f"report.py: {a.readme} has no {BEGIN} ... {END} block")
        head, rest = readme.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(a.readme, "w") as f:
            f.write(head + BEGIN + "\n" + text + "\n" + END + tail)
    if not a.markdown and not a.readme:
        print(text)
    if a.plot:
        plot(R, a.plot)


if __name__ == "__main__":
    main()
