#!/usr/bin/env bash
# The CPU benchmark suite, end to end: builds it (Release, -O3 -march=native, with whichever
# peers are installed: Eigen 3.4, libtorch) in a scratch folder, runs it (5 repetitions of each
# benchmark, medians), and writes
#   bench/results/cpu-<date>.json   the Google Benchmark JSON
#   bench/cpu_rsqrt.png             time per element against size, float32 rsqrt and sqrt
#   bench/README.md                 the block between "<!-- results:begin -->" and "<!-- results:end -->"
# About 12 minutes on a 2-core machine.
#
#   bench/run_cpu.sh                       the whole suite
#   bench/run_cpu.sh --benchmark_filter=rsqrt/float/out   a part of it: JSON only, tables to stdout
#   bench/run_cpu.sh --norms               rms_norm, layer_norm and sum and the memcpy of their
#                                          bytes only: bench/results/cpu-norm-<date>.json, tables
#                                          to stdout (about 2 minutes)
#
# Environment: RADICAND_BENCH_BUILD (build folder; build/bench-cpu), RADICAND_BENCH_REPS (5),
# RADICAND_BENCH_MIN_TIME (seconds per repetition; 0.1), RADICAND_BENCH_OUT (the JSON's path),
# RADICAND_BENCH_COMPARE (an earlier JSON: adds the run-to-run differences to the tables).
set -euo pipefail
cd "$(dirname "$0")/.."

# --norms: the normalisations' part of the suite (norm_bench.cpp and its peers), with the memcpy
# of the same bytes at their sizes.
suite=cpu
if [ "${1:-}" = "--norms" ]; then
  shift
  suite=cpu-norm
  set -- '--benchmark_filter=^(rms_norm|layer_norm|sum)/|^copy/(float|bfloat16)/out/memcpy/threads:[12]/(131072|16777216)/' "$@"
fi

build=${RADICAND_BENCH_BUILD:-build/bench-cpu}
reps=${RADICAND_BENCH_REPS:-5}
min_time=${RADICAND_BENCH_MIN_TIME:-0.1}
json=${RADICAND_BENCH_OUT:-bench/results/$suite-$(date -u +%Y-%m-%d).json}

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DRADICAND_BUILD_BENCH=ON -DRADICAND_CUDA=OFF \
  -DRADICAND_BUILD_TESTS=OFF -DRADICAND_BUILD_EXAMPLES=OFF -DRADICAND_WERROR=ON
cmake --build "$build" --target radicand_cpu_bench -j "$(nproc)"
bin=$(find "$build" -name radicand_cpu_bench -type f -perm -u+x | head -n 1)

# Context the JSON cannot get by itself: the CPU model and the library's revision.
cpu_model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1 | tr ',' ';')
revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- include 2>/dev/null)" ]; then revision="$revision+uncommitted"; fi

# Random interleaving runs the repetitions of all benchmarks in a shuffled order, so a burst of
# other load on the machine spreads over many benchmarks' repetitions (and the median discards
# it) instead of skewing a few benchmarks' every repetition.
mkdir -p "$(dirname "$json")"
"$bin" --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
  --benchmark_enable_random_interleaving=true \
  --benchmark_min_time="$min_time" --benchmark_out="$json" --benchmark_out_format=json \
  --benchmark_context="cpu_model=${cpu_model:-unknown},revision=$revision" "$@"

# report.py needs only the standard library; matplotlib (for the plot) may live in the system
# Python rather than the first python3 on PATH.
py=python3
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import matplotlib' 2>/dev/null; then
    py=$candidate
    break
  fi
done
compare=()
if [ -n "${RADICAND_BENCH_COMPARE:-}" ]; then compare=(--compare "$RADICAND_BENCH_COMPARE"); fi
if [ "$#" -eq 0 ]; then
  "$py" bench/report.py "$json" "${compare[@]}" --plot bench/cpu_rsqrt.png --readme bench/README.md
  echo "run_cpu.sh: wrote $json, bench/cpu_rsqrt.png and the results in bench/README.md"
else
  "$py" bench/report.py "$json" "${compare[@]}"
fi
