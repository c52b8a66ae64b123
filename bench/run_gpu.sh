#!/usr/bin/env bash
# Everything that needs a GPU, in one command on a machine with one: configures and builds the
# CUDA targets (Release, warnings as errors, sm_90 unless RADICAND_CUDA_ARCH says otherwise),
# runs the CUDA tests (which must run, not skip: the suite, the exhaustive float / half /
# bfloat16 checks, more than 2^31 elements, the example), records the contiguous float kernel's
# SASS loads and stores when cuobjdump is installed, then runs the CUDA benchmark and, when
# PyTorch with CUDA is installed, bench/torch_gpu.py. Writes, with <gpu> the device's name and
# <date> today's (UTC):
#   bench/results/cuda-<gpu>-<date>.json        the Google Benchmark JSON (medians of 5)
#   bench/results/torch-gpu-<gpu>-<date>.json   PyTorch's times, the same way
#   bench/results/cuda-tests-<gpu>-<date>.log   the tests' output
#   bench/results/cuda-sass-<gpu>-<date>.txt    the SASS summary
#
# Environment: RADICAND_GPU_BUILD (build folder; build/gpu), RADICAND_CUDA_ARCH (90),
# RADICAND_BENCH_REPS (5), RADICAND_BENCH_MIN_TIME (0.2). Extra arguments go to the benchmark
# (e.g. --benchmark_filter=rsqrt/float).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${CUDACXX:-}" ] && ! command -v nvcc >/dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then
  export CUDACXX=/usr/local/cuda/bin/nvcc
fi
build=${RADICAND_GPU_BUILD:-build/gpu}
arch=${RADICAND_CUDA_ARCH:-90}
reps=${RADICAND_BENCH_REPS:-5}
min_time=${RADICAND_BENCH_MIN_TIME:-0.2}

gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n 1 || true)
if [ -z "$gpu" ]; then
  echo "run_gpu.sh: no GPU (nvidia-smi finds none)" >&2
  exit 1
fi
tag=$(echo "$gpu" | tr -cs 'A-Za-z0-9' '-' | sed 's/^-*//; s/-*$//')
date=$(date -u +%Y-%m-%d)
results=bench/results
mkdir -p "$results"

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DRADICAND_CUDA=ON -DRADICAND_BUILD_BENCH=ON \
  -DRADICAND_WERROR=ON -DCMAKE_CUDA_ARCHITECTURES="$arch"
cmake --build "$build" -j "$(nproc)" --target radicand_test_cuda radicand_test_cuda_exhaustive \
  radicand_test_cuda_host radicand_cuda_quickstart radicand_cuda_bench

# The tests: every one must pass here, and none may be skipped (there is a GPU).
log="$results/cuda-tests-$tag-$date.log"
ctest --test-dir "$build" -L cuda --output-on-failure -V 2>&1 | tee "$log"
if grep -q "\*\*\*Skipped" "$log"; then
  echo "run_gpu.sh: a CUDA test was skipped on a machine with a GPU" >&2
  exit 1
fi

# 128-bit loads and stores, and no local memory, in the contiguous float rsqrt kernel.
sass="$results/cuda-sass-$tag-$date.txt"
bench_bin=$(find "$build" -name radicand_cuda_bench -type f -perm -u+x | head -n 1)
if command -v cuobjdump >/dev/null; then
  cuobjdump -sass "$bench_bin" |
    awk '/Function : .*contiguous_kernel.*rsqrt_op.*Ef/ {p = 1; print; next} /Function :/ {p = 0} p' >"$sass.full"
  {
    echo "contiguous float rsqrt kernel of $bench_bin"
    for op in LDG.E.128 STG.E.128 LDG.E STG.E LDL STL; do
      printf '%-10s %s\n' "$op" "$(grep -c "$op[ .]" "$sass.full" || true)"
    done
  } >"$sass"
  rm -f "$sass.full"
  cat "$sass"
else
  echo "cuobjdump not found: no SASS summary" | tee "$sass"
fi

# The benchmark.
json="$results/cuda-$tag-$date.json"
revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- include 2>/dev/null)" ]; then revision="$revision+uncommitted"; fi
"$bench_bin" --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
  --benchmark_min_time="$min_time" --benchmark_out="$json" --benchmark_out_format=json \
  --benchmark_context="revision=$revision" "$@"
echo "run_gpu.sh: wrote $json"

# PyTorch, when it is there with CUDA.
if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  python3 bench/torch_gpu.py --out "$results/torch-gpu-$tag-$date.json" --reps "$reps"
else
  echo "run_gpu.sh: no PyTorch with CUDA; bench/torch_gpu.py not run"
fi
