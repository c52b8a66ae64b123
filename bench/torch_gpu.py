#!/usr/bin/env python3
"""PyTorch's CUDA rsqrt and sqrt, timed as bench/cuda_bench.cu times radicand's.

CUDA events around each call on the current stream; every call works on a fresh window of a
pool of at least four times the L2 cache, so the inputs come from memory; medians of the
repetitions. Forms: "out" (torch.rsqrt(x, out=y)), "oop" (torch.rsqrt(x)), "inplace"
(x.rsqrt_()). Writes JSON shaped like Google Benchmark's ("context" and "benchmarks", names
"<op>/<dtype>/<form>/torch/<n>", real_time in microseconds), so both files read alike. With
--max-seconds, the measurements that would start later than that after the start are left out
(the context says "cut_short") and the file is still written.

    python3 bench/torch_gpu.py --out bench/results/torch-gpu.json [--reps 5] [--iters 20]
"""
import argparse
import datetime
import json
import statistics
import sys
import time

START = time.monotonic()

try:
    import torch
except ImportError:
    sys.exit("torch_gpu.py: PyTorch is not installed")

DTYPES = {"float": torch.float32, "half": torch.float16, "bfloat16": torch.bfloat16,
          "double": torch.float64}
SIZES = [1 << e for e in range(12, 29, 2)]


def windows(n, dtype, l2_bytes):
    """Input/output pairs, together at least four times the L2."""
    elem = torch.tensor([], dtype=dtype).element_size()
    count = (4 * l2_bytes) // (2 * n * elem) + 1
    # Log-uniform on [2^-12, 2^12], as radicand's benchmarks (positive normal numbers in every type).
    expo = torch.rand(count, 2, n, device="cuda", dtype=torch.float32) * 24.0 - 12.0
    pool = torch.exp2(expo).to(dtype)
    return [(pool[i, 0], pool[i, 1]) for i in range(count)]


def time_once(fn, x, y):
    start = torch.cuda.Event(enable_timing=True)
    stop = torch.cuda.Event(enable_timing=True)
    start.record()
    fn(x, y)
    stop.record()
    stop.synchronize()
    return start.elapsed_time(stop) * 1e3  # microseconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="the JSON file to write")
    parser.add_argument("--reps", type=int, default=5, help="repetitions (the median is kept)")
    parser.add_argument("--iters", type=int, default=20, help="timed calls per repetition")
    parser.add_argument("--max-seconds", type=float, default=None,
                        help="start no measurement after this many seconds")
    args = parser.parse_args()
    if not torch.cuda.is_available():
        sys.exit("torch_gpu.py: no CUDA device")
    props = torch.cuda.get_device_properties(0)
    l2_bytes = getattr(props, "L2_cache_size", 50 << 20)
    ops = {
        "rsqrt": {"out": lambda x, y: torch.rsqrt(x, out=y), "oop": lambda x, y: torch.rsqrt(x),
                  "inplace": lambda x, y: x.rsqrt_()},
        "sqrt": {"out": lambda x, y: torch.sqrt(x, out=y), "oop": lambda x, y: torch.sqrt(x),
                 "inplace": lambda x, y: x.sqrt_()},
    }
    results = []
    cut_short = False

    def out_of_time():
        return args.max_seconds is not None and time.monotonic() - START > args.max_seconds

    for dname, dtype in DTYPES.items():
        for n in SIZES:
            if out_of_time():
                cut_short = True
                break
            pairs = windows(n, dtype, l2_bytes)
            elem = pairs[0][0].element_size()
            for op, forms in ops.items():
                for form, fn in forms.items():
                    fn(*pairs[0])  # warm up
                    torch.cuda.synchronize()
                    medians = []
                    k = 1
                    for _ in range(args.reps):
                        times = []
                        for _ in range(args.iters):
                            x, y = pairs[k % len(pairs)]
                            times.append(time_once(fn, x, y))
                            k += 1
                        medians.append(statistics.median(times))
                    t = statistics.median(medians)
                    results.append({
                        "name": f"{op}/{dname}/{form}/torch/{n}",
                        "run_type": "aggregate", "aggregate_name": "median",
                        "real_time": t, "time_unit": "us",
                        "bytes_per_second": 2 * n * elem / (t * 1e-6),
                        "ns_per_element": t * 1e3 / n,
                    })
            del pairs
            torch.cuda.empty_cache()
    context = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "gpu": props.name, "gpu_sm": f"{props.major}{props.minor}",
        "gpu_multiprocessors": props.multi_processor_count, "gpu_l2_bytes": l2_bytes,
        "torch": torch.__version__, "torch_cuda": torch.version.cuda,
        "reps": args.reps, "iters": args.iters, "cut_short": cut_short,
    }
    with open(args.out, "w") as f:
        json.dump({"context": context, "benchmarks": results}, f, indent=1)
    print(f"torch_gpu.py: wrote {len(results)} results to {args.out}"
          + (" (cut short by --max-seconds)" if cut_short else ""))


if __name__ == "__main__":
    main()
