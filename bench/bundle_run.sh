#!/usr/bin/env bash
# run.sh of the GPU bundle that `bench/run_gpu.sh --bundle DIR` makes (it copies this file there):
# everything that needs a GPU, on a machine with an NVIDIA GPU and its driver and nothing of
# radicand's build dependencies. Uses the machine's nvidia-smi, cuobjdump (on PATH or in
# /usr/local/cuda/bin) and python3 with PyTorch; everything else is in the bundle.
#
#   run.sh [OUTDIR [BENCHMARK FLAGS...]]
#
# Results go to OUTDIR, else $OUT, else results/ beside this file: at most these 8 files, each
# written as its step runs (<gpu> is nvidia-smi's name of GPU 0, <date> today's, UTC):
#   summary.txt                   each step: its status, seconds and time limit
#   nvidia-smi.txt                nvidia-smi, the GPU's clocks and memory, nvidia-smi -q
#   tests.log                     test_cuda_host, test_cuda, test_cuda_exhaustive
#   example.log                   the CUDA example
#   sass.txt                      instruction counts of the contiguous rsqrt/sqrt kernels
#   bench.log                     the benchmark's and the PyTorch script's console output
#   cuda-<gpu>-<date>.json        the benchmark (Google Benchmark JSON: mean, median, stddev, cv)
#   torch-gpu-<gpu>-<date>.json   torch.rsqrt/torch.sqrt timed the same way
# Every step has its own time limit (they add up to under 6 minutes); a step that fails or runs
# out of time is recorded and the next one runs. Exits non-zero when a step failed, or when there
# is no GPU (then the binaries still start, which shows the bundle loads here, and report
# themselves skipped). RADICAND_BENCH_REPS (5) and RADICAND_BENCH_MIN_TIME (0.005 s) set the
# benchmark's repetitions and minimum time per repetition; BENCHMARK FLAGS go to it as well
# (e.g. --benchmark_filter=rsqrt/float).
set -uo pipefail  # not -e: a failed step must not stop the later ones

# run_gpu.sh writes in the commit the bundle was built from and its CUDA runtime's version.
revision="@RADICAND_REVISION@"
cuda_runtime="@RADICAND_CUDA_RUNTIME@"
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-${OUT:-$here/results}}
[ $# -gt 0 ] && shift
if ! mkdir -p "$out" || ! out=$(cd "$out" && pwd); then
  echo "run.sh: cannot write to $out" >&2
  exit 1
fi
if ! command -v timeout >/dev/null; then
  echo "run.sh: needs timeout (coreutils)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

reps=${RADICAND_BENCH_REPS:-5}
min_time=${RADICAND_BENCH_MIN_TIME:-0.005}
# The bundle's libraries for its own binaries only: python3 and PyTorch keep the machine's.
bin_env=(env "LD_LIBRARY_PATH=$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
summary="$out/summary.txt"
tests_log="$out/tests.log"
bench_log="$out/bench.log"
failed=0
gpu=""
no_gpu=""

now() { date +%s.%N; }

# timed LIMIT CMD...: runs CMD (stdin closed) and stops it after LIMIT seconds (TERM, then KILL
# 2 s later); sets rc (124 or 137 when it ran out of time) and secs.
timed() {
  local limit=$1 start
  shift
  start=$(now)
  timeout -k 2 "$limit" "$@" </dev/null
  rc=$?
  secs=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
}

# record NAME LIMIT [NOTE]: one summary line for the step that just ran (rc, secs). Exit code 77
# is how the binaries say they found no CUDA device: a skip without a GPU, a failure with one.
record() {
  local name=$1 limit=$2 note=${3:-} status
  case $rc in
    0) status=ok ;;
    124) status=TIMEOUT ;;
    77) if [ -n "$no_gpu" ]; then status="skipped (no GPU)"; else status="FAILED (found no device)"; fi ;;
    *)
      if [ "$rc" -eq 137 ] && awk -v s="$secs" -v l="$limit" 'BEGIN { exit !(s >= l) }'; then
        status=TIMEOUT
      elif [ "$rc" -gt 128 ]; then
        status="FAILED (signal $((rc - 128)))"
      else
        status="FAILED (exit $rc)"
      fi
      ;;
  esac
  case $status in
    ok | skipped*) ;;
    *) failed=$((failed + 1)) ;;
  esac
  printf '%-22s %-26s %7s s  (limit %s s)%s\n' "$name" "$status" "$secs" "$limit" \
    "${note:+  $note}" | tee -a "$summary"
}

# log_step LOG NAME LIMIT CMD...: a timed step whose output is appended to LOG under a header.
# The note is the binary's "N passed, N skipped, N failed" line where it printed one, else,
# when it failed, its last line.
log_step() {
  local log=$1 name=$2 limit=$3 offset note
  shift 3
  offset=$(stat -c %s "$log" 2>/dev/null || echo 0)
  echo "==== $name (limit $limit s)" >>"$log"
  timed "$limit" "$@" >>"$log" 2>&1
  note=$(tail -c +"$((offset + 1))" "$log" | grep -E '^[0-9]+ passed' | tail -n 1)
  if [ -z "$note" ] && [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
    note=$(tail -c +"$((offset + 1))" "$log" | grep -v '^====' | grep . | tail -n 1 | cut -c 1-120)
  fi
  echo "==== $name: exit $rc after $secs s" >>"$log"
  record "$name" "$limit" "$note"
}

# ---- nvidia-smi: is there a GPU, and which --------------------------------------------------
{
  echo "radicand GPU check, bundle of revision $revision (CUDA $cuda_runtime), started" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host $(uname -n), $(uname -sr)"
  echo
} >"$summary"
smi_file="$out/nvidia-smi.txt"
if ! command -v nvidia-smi >/dev/null; then
  no_gpu="nvidia-smi not found"
  echo "$no_gpu" >"$smi_file"
  rc=1 secs=0.0
else
  timed 10 nvidia-smi --query-gpu=name --format=csv,noheader >"$tmp/name" 2>&1
  gpu=$(head -n 1 "$tmp/name")
  if [ "$rc" -ne 0 ] || [ -z "$gpu" ]; then
    no_gpu="nvidia-smi finds none: $(head -c 200 "$tmp/name" | tr '\n' ' ')"
    gpu=""
    [ "$rc" -ne 0 ] || rc=1
    cp "$tmp/name" "$smi_file"
  else
    first=$secs
    timed 10 bash -c 'nvidia-smi; echo
      nvidia-smi --format=csv --query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.mem,power.limit,persistence_mode,compute_mode,mig.mode.current
      echo; nvidia-smi -q' >"$smi_file" 2>&1
    secs=$(awk -v a="$first" -v b="$secs" 'BEGIN { printf "%.1f", a + b }')
  fi
fi
if [ -n "$no_gpu" ]; then
  echo "run.sh: no GPU ($no_gpu): the GPU steps report themselves skipped" >&2
  record nvidia-smi 20 "no GPU ($no_gpu)"
else
  # The static CUDA runtime needs a driver of its CUDA version or later.
  driver_cuda=$(grep -o 'CUDA Version: [0-9.]*' "$smi_file" | head -n 1 | cut -d ' ' -f 3)
  note="$gpu, driver for CUDA ${driver_cuda:-?}, bundle built with CUDA $cuda_runtime"
  if [ -n "$driver_cuda" ] && [ "$(printf '%s\n' "$cuda_runtime" "$driver_cuda" | sort -V |
    head -n 1)" != "$cuda_runtime" ]; then
    note="$note: the driver is too old for it"
  fi
  record nvidia-smi 20 "$note"
fi
tag=$(printf '%s' "${gpu:-no-gpu}" | tr -cs 'A-Za-z0-9' '-' | sed 's/^-*//; s/-*$//')
date=$(date -u +%Y-%m-%d)

# ---- the tests and the example ----------------------------------------------------------------
: >"$tests_log"
log_step "$tests_log" test_cuda_host 15 "${bin_env[@]}" "$here/bin/radicand_test_cuda_host"
log_step "$tests_log" test_cuda 30 "${bin_env[@]}" "$here/bin/radicand_test_cuda"
: >"$out/example.log"
log_step "$out/example.log" example 10 "${bin_env[@]}" "$here/bin/radicand_cuda_quickstart"

# ---- SASS of the contiguous kernels (no GPU needed) -------------------------------------------
# Per kernel: its instructions (without the NOPs that pad it), the 128-bit global loads and stores
# the vectorised path should use, the other global loads and stores (head and tail), local memory
# (spills), and the multi-function unit and double-precision instructions the algorithms issue.
sass="$out/sass.txt"
cuobjdump=$(command -v cuobjdump || true)
if [ -z "$cuobjdump" ] && [ -x /usr/local/cuda/bin/cuobjdump ]; then cuobjdump=/usr/local/cuda/bin/cuobjdump; fi
if [ -z "$cuobjdump" ]; then
  echo "cuobjdump not found (PATH, /usr/local/cuda/bin): no SASS counts" >"$sass"
  rc=127 secs=0.0
  record sass 15 "cuobjdump not found"
else
  timed 15 "$cuobjdump" -sass "$here/bin/radicand_cuda_bench" >"$tmp/sass.raw" 2>"$tmp/sass.err"
  {
    echo "cuobjdump -sass bin/radicand_cuda_bench ($("$cuobjdump" --version 2>/dev/null | tail -n 1))"
    awk '
      /^[ \t]*arch = / { arch = $3 }
      /Function : / {
        name = $NF; cur = ""
        if (name ~ /contiguous_kernel/ && name ~ /(8rsqrt|7sqrt)_op/) {
          op = name ~ /8rsqrt_op/ ? "rsqrt" : "sqrt"
          if (name ~ /4halfE/) type = "half"
          else if (name ~ /8bfloat16E/) type = "bfloat16"
          else if (name ~ /sqrt_opEd/) type = "double"
          else if (name ~ /sqrt_opEf/) type = "float"
          else type = "?"
          cur = arch " " op " " type (name ~ /Lb0E/ ? " (in unaligned)" : "")
          if (!(cur in n)) { order[++k] = cur; n[cur] = 0 }
        }
        next
      }
      /^[ \t]*\/\*[0-9a-f]+\*\// && cur != "" {
        line = $0
        sub(/^[ \t]*\/\*[0-9a-f]+\*\/[ \t]*/, "", line)
        sub(/^@!?U?P[0-9T]+[ \t]+/, "", line)
        split(line, f, /[ \t;]+/); o = f[1]
        if (o == "NOP" || o == "") next
        n[cur]++
        if (o ~ /^LDG\.E\.128/) ldg128[cur]++; else if (o ~ /^LDG/) ldg[cur]++
        if (o ~ /^STG\.E\.128/) stg128[cur]++; else if (o ~ /^STG/) stg[cur]++
        if (o ~ /^LDL/) ldl[cur]++
        if (o ~ /^STL/) stl[cur]++
        if (o ~ /^MUFU/) mufu[cur]++
        if (o ~ /^DADD/) dadd[cur]++
        if (o ~ /^DMUL/) dmul[cur]++
        if (o ~ /^DFMA/) dfma[cur]++
      }
      END {
        printf "%-38s %6s %9s %9s %5s %5s %4s %4s %5s %5s %5s %5s\n", "kernel", "instrs", "LDG.E.128", \
          "STG.E.128", "LDG", "STG", "LDL", "STL", "MUFU", "DADD", "DMUL", "DFMA"
        for (i = 1; i <= k; i++) {
          c = order[i]
          printf "%-38s %6d %9d %9d %5d %5d %4d %4d %5d %5d %5d %5d\n", c, n[c], ldg128[c], stg128[c], \
            ldg[c], stg[c], ldl[c], stl[c], mufu[c], dadd[c], dmul[c], dfma[c]
        }
        printf "%d contiguous rsqrt/sqrt kernels\n", k
        exit (k >= 16 ? 0 : 3)
      }' "$tmp/sass.raw"
  } >"$sass"
  parsed=$?
  note=$(tail -n 1 "$sass")
  head -c 2000 "$tmp/sass.err" >>"$sass"
  if [ "$rc" -eq 0 ] && [ "$parsed" -ne 0 ]; then rc=3; fi
  record sass 15 "$note"
fi

# ---- every float, half and bfloat16 against the CPU backend; more than 2^31 elements ----------
log_step "$tests_log" test_cuda_exhaustive 85 "${bin_env[@]}" "$here/bin/radicand_test_cuda_exhaustive"

# ---- the benchmark, which starts no benchmark after 95 s, so that its JSON ends properly --------
: >"$bench_log"
json="$out/cuda-$tag-$date.json"
log_step "$bench_log" benchmark 115 "${bin_env[@]}" "$here/bin/radicand_cuda_bench" \
  --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
  --benchmark_min_time="$min_time" --benchmark_out="$json" --benchmark_out_format=json \
  --benchmark_context="revision=$revision" --max_seconds=95 "$@"

# ---- PyTorch, with the machine's python3 ------------------------------------------------------
if [ -n "$no_gpu" ]; then
  rc=77 secs=0.0
  record torch_gpu.py 45
else
  log_step "$bench_log" torch_gpu.py 45 python3 "$here/torch_gpu.py" \
    --out "$out/torch-gpu-$tag-$date.json" --reps "$reps" --max-seconds 30
fi

{
  echo
  if [ -n "$no_gpu" ]; then echo "no GPU ($no_gpu)"; fi
  echo "$failed failed; results in $out"
} | tee -a "$summary"
if [ "$failed" -eq 0 ] && [ -z "$no_gpu" ]; then exit 0; fi
exit 1
