#!/usr/bin/env bash
# CTest's gpu_bundle: makes the GPU bundle from the build folder BUILD (bench/run_gpu.sh
# --bundle, which finds the targets built) and checks it: under 64 MiB, nothing in it but the
# five binaries, lib/, torch_gpu.py and run.sh, and, where there is no GPU, run.sh says "no GPU",
# exits non-zero, writes at most 8 files, and every binary starts (the host suite passes, the
# others report themselves skipped).
#
#   bench/check_gpu_bundle.sh BUILD
set -euo pipefail
[ $# -eq 1 ] || {
  echo "usage: bench/check_gpu_bundle.sh BUILD" >&2
  exit 2
}
build=$(cd "$1" && pwd)
cd "$(dirname "$0")/.."
dir="$build/gpu-bundle"
results="$build/gpu-bundle-dry-run"
problems=0
fail() {
  echo "gpu_bundle: $*" >&2
  problems=$((problems + 1))
}

RADICAND_GPU_BUILD="$build" bench/run_gpu.sh --bundle "$dir"

size=$(du -sb "$dir" | cut -f 1)
[ "$size" -lt $((64 * 1024 * 1024)) ] || fail "the bundle takes $size bytes, not under 64 MiB"
binaries=(radicand_test_cuda radicand_test_cuda_exhaustive radicand_test_cuda_host
  radicand_cuda_quickstart radicand_cuda_bench)
while IFS= read -r -d '' path; do
  rel=${path#"$dir"/}
  case $rel in
    bin | lib | run.sh | torch_gpu.py | lib/*.so*) ;;
    bin/*) [[ " ${binaries[*]} " == *" ${rel#bin/} "* ]] || fail "unexpected file $rel" ;;
    *) fail "unexpected file $rel" ;;
  esac
done < <(find "$dir" -mindepth 1 -print0)
for f in "${binaries[@]/#/bin/}" run.sh torch_gpu.py; do
  [ -f "$dir/$f" ] || fail "$f is missing"
done

if command -v nvidia-smi >/dev/null && nvidia-smi -L 2>/dev/null | grep '^GPU ' >/dev/null; then
  echo "gpu_bundle: this machine has a GPU; run.sh's dry run is for one without: not run"
else
  rm -rf "$results"
  rc=0
  output=$("$dir/run.sh" "$results" 2>&1) || rc=$?
  echo "$output"
  [ "$rc" -ne 0 ] || fail "run.sh exited 0 without a GPU"
  grep -q "no GPU" <<<"$output" || fail "run.sh did not say \"no GPU\""
  files=$(find "$results" -type f | wc -l)
  [ "$files" -le 8 ] || fail "run.sh wrote $files files, more than 8"
  for step in test_cuda test_cuda_exhaustive example benchmark torch_gpu.py; do
    grep -Eq "^$step +skipped \(no GPU\)" "$results/summary.txt" ||
      fail "the $step step did not report itself skipped"
  done
  grep -Eq "^test_cuda_host +ok" "$results/summary.txt" || fail "test_cuda_host did not pass"
fi
if [ "$problems" -gt 0 ]; then
  echo "gpu_bundle: $problems problems" >&2
  exit 1
fi
echo "gpu_bundle: the bundle ($((size / 1024)) KiB) is complete and its dry run says no GPU"
