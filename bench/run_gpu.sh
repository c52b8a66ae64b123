#!/usr/bin/env bash
# Everything that needs a GPU, built on one machine and run on another in one short call.
#
#   bench/run_gpu.sh --bundle DIR
#     Needs nvcc, CMake and the test and benchmark dependencies (Catch2, MPFR and Google
#     Benchmark to configure and build; no GPU). Configures and builds the CUDA targets (Release,
#     warnings as errors, sm_90 unless RADICAND_CUDA_ARCH says otherwise) in RADICAND_GPU_BUILD
#     (build/gpu; a folder already configured that way is only built) and makes DIR a bundle of
#     at most 64 MiB for a machine that has a GPU and its driver and nothing of this build:
#       bin/           the CUDA suites, the example and the benchmark, stripped, with the CUDA
#                      runtime linked statically
#       lib/           the shared libraries they need beyond glibc, libstdc++ and libgcc_s
#       torch_gpu.py   bench/torch_gpu.py
#       run.sh         bench/bundle_run.sh: runs every step and says what it writes
#     DIR must be new, empty, or an earlier bundle (which is replaced).
#
#   bench/run_gpu.sh [BENCHMARK FLAGS...]
#     On a machine with a GPU: that bundle, in <RADICAND_GPU_BUILD>/bundle, run at once, its
#     results in bench/results/gpu-<gpu>-<date>/.
#
# Environment: RADICAND_GPU_BUILD (build/gpu, relative to the repository), RADICAND_CUDA_ARCH
# (90), RADICAND_BUILD_JOBS (the CPUs); RADICAND_BENCH_REPS and RADICAND_BENCH_MIN_TIME go to
# run.sh.
set -euo pipefail

die() {
  echo "run_gpu.sh: $*" >&2
  exit 1
}

bundle=""
case ${1:-} in
  --bundle | --bundle=*)
    if [ "$1" = --bundle ] && [ $# -eq 2 ]; then
      bundle=$2
    elif [ "$1" != --bundle ] && [ $# -eq 1 ]; then
      bundle=${1#--bundle=}
    fi
    [ -n "$bundle" ] || die "usage: bench/run_gpu.sh --bundle DIR"
    case $bundle in /*) ;; *) bundle="$PWD/$bundle" ;; esac
    ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
esac
cd "$(dirname "$0")/.."

if [ -z "${CUDACXX:-}" ] && ! command -v nvcc >/dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then
  export CUDACXX=/usr/local/cuda/bin/nvcc
fi
build=${RADICAND_GPU_BUILD:-build/gpu}
arch=${RADICAND_CUDA_ARCH:-90}
jobs=${RADICAND_BUILD_JOBS:-$(nproc)}
targets=(tests/radicand_test_cuda tests/radicand_test_cuda_exhaustive tests/radicand_test_cuda_host
  examples/radicand_cuda_quickstart bench/radicand_cuda_bench)
# What a machine has without any package of this build: glibc, the C++ runtime, the driver.
base_libs=(linux-vdso.so.1 ld-linux-x86-64.so.2 ld-linux-aarch64.so.1 libc.so.6 libm.so.6
  libpthread.so.0 libdl.so.2 librt.so.1 libstdc++.so.6 libgcc_s.so.1 libcuda.so.1)
limit_bytes=$((64 * 1024 * 1024))

is_base_lib() {
  local lib
  for lib in "${base_libs[@]}"; do [ "$1" != "$lib" ] || return 0; done
  return 1
}

cache_value() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt" | head -n 1; }

# Configures the build folder unless it is configured as wanted already, and builds the targets.
configure_and_build() {
  local want=(CMAKE_BUILD_TYPE=Release RADICAND_CUDA=ON RADICAND_BUILD_TESTS=ON
    RADICAND_BUILD_EXAMPLES=ON RADICAND_BUILD_BENCH=ON RADICAND_WERROR=ON
    "CMAKE_CUDA_ARCHITECTURES=$arch") kv have configure=0
  if [ -f "$build/CMakeCache.txt" ]; then
    for kv in "${want[@]}"; do
      have=$(cache_value "${kv%%=*}")
      if [ "$have" != "${kv#*=}" ]; then
        echo "run_gpu.sh: $build has ${kv%%=*}=${have:-(unset)}, not ${kv#*=}: configuring it again"
        configure=1
      fi
    done
  else
    configure=1
  fi
  if [ "$configure" -eq 1 ]; then cmake -S . -B "$build" "${want[@]/#/-D}"; fi
  cmake --build "$build" -j "$jobs" --target "${targets[@]##*/}"
}

# The libraries ldd finds for a file, one "soname path" per line ("soname not" when not found).
libs_of() { LD_LIBRARY_PATH=${2:-} ldd "$1" | awk '$2 == "=>" { print $1, $3 }'; }

make_bundle() {
  local dir=$1 entry t src name soname path size revision cuda
  if [ -e "$dir" ] && [ ! -d "$dir" ]; then die "$dir is not a folder"; fi
  if [ -d "$dir" ]; then
    for entry in "$dir"/* "$dir"/.[!.]*; do
      [ -e "$entry" ] || continue
      case ${entry##*/} in
        bin | lib | run.sh | torch_gpu.py | results) ;;
        *) die "$dir holds ${entry##*/}, which no bundle has: give a new or empty folder" ;;
      esac
    done
    rm -rf "${dir:?}/bin" "${dir:?}/lib" "${dir:?}/run.sh" "${dir:?}/torch_gpu.py" "${dir:?}/results"
  fi
  mkdir -p "$dir/bin" "$dir/lib"
  dir=$(cd "$dir" && pwd)

  for t in "${targets[@]}"; do
    src="$build/$t"
    name=${t##*/}
    [ -x "$src" ] || die "$src was not built"
    if nm "$src" 2>/dev/null | grep ' [TtDd] mpfr_' >/dev/null; then die "$name contains MPFR"; fi
    while read -r soname path; do
      case $soname in
        libcudart.so*) die "$name links the CUDA runtime dynamically ($path); it must be static" ;;
        libmpfr.so* | libgmp.so*) die "$name needs $soname: the GPU tests must not need MPFR" ;;
      esac
      [ "$path" != not ] || die "$name needs $soname, which ldd does not find here"
      if is_base_lib "$soname"; then continue; fi
      if [ ! -e "$dir/lib/$soname" ]; then
        cp -L "$path" "$dir/lib/$soname"
        chmod u+w "$dir/lib/$soname"
        strip --strip-unneeded "$dir/lib/$soname"
      fi
    done < <(libs_of "$src")
    cp "$src" "$dir/bin/$name"
    strip "$dir/bin/$name"
  done
  cp bench/torch_gpu.py "$dir/torch_gpu.py"
  revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    revision="$revision+uncommitted"
  fi
  cuda=$("$(cache_value CMAKE_CUDA_COMPILER)" --version | sed -n 's/.*release \([0-9.]*\),.*/\1/p')
  sed -e "s|@RADICAND_REVISION@|$revision|" -e "s|@RADICAND_CUDA_RUNTIME@|${cuda:-unknown}|" \
    bench/bundle_run.sh >"$dir/run.sh"
  chmod +x "$dir/run.sh" "$dir/torch_gpu.py"

  # With LD_LIBRARY_PATH=lib, as run.sh runs them, every library resolves to lib/ or the base.
  for entry in "$dir"/bin/* "$dir"/lib/*; do
    [ -e "$entry" ] || continue
    while read -r soname path; do
      [ "$path" != not ] || die "${entry#"$dir"/} needs $soname, which the bundle does not hold"
      case $path in "$dir"/lib/*) continue ;; esac
      if is_base_lib "$soname"; then continue; fi
      die "${entry#"$dir"/} loads $path from outside the bundle"
    done < <(libs_of "$entry" "$dir/lib")
  done
  size=$(du -sb "$dir" | cut -f 1)
  if [ "$size" -ge "$limit_bytes" ]; then
    die "$dir takes $((size / 1024 / 1024)) MiB, more than the 64 MiB a run can carry"
  fi
  echo "run_gpu.sh: the bundle $dir ($revision, CUDA ${cuda:-unknown}, sm_$arch) takes $(awk -v s="$size" \
    'BEGIN { printf "%.1f", s / 1048576 }') MiB:"
  (cd "$dir" && find . -type f -printf '  %-40P %s bytes\n' | sort)
  if command -v objdump >/dev/null; then
    echo "  needs $(objdump -T "$dir"/bin/* "$dir"/lib/* 2>/dev/null |
      grep -o 'GLIBC_[0-9.]*\|GLIBCXX_[0-9.]*' | sort -u -V |
      awk -F_ '{ v[$1] = $2 } END { printf "glibc %s and libstdc++ GLIBCXX_%s", v["GLIBC"], v["GLIBCXX"] }')"
  fi
}

if [ -n "$bundle" ]; then
  configure_and_build
  make_bundle "$bundle"
  echo "run_gpu.sh: on the GPU machine: $bundle/run.sh [OUTDIR] (results in \$OUT or $bundle/results)"
  exit 0
fi

if ! command -v nvidia-smi >/dev/null; then die "no GPU (nvidia-smi not found)"; fi
gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n 1 || true)
[ -n "$gpu" ] || die "no GPU (nvidia-smi finds none)"
configure_and_build
make_bundle "$build/bundle"
tag=$(printf '%s' "$gpu" | tr -cs 'A-Za-z0-9' '-' | sed 's/^-*//; s/-*$//')
exec "$build/bundle/run.sh" "bench/results/gpu-$tag-$(date -u +%Y-%m-%d)" "$@"
