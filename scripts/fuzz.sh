#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz: clang-14, ASan + UBSan, a separate small build in
# build-fuzz/), makes their seed corpora (tests/fuzz/make_corpus.py: golden files, a real session,
# generated media; needs the CLI of the ci build) and runs each target for SECONDS (default 60) with
# 1 s per input and a 2 GiB RSS limit. Fails on any crash, leak, timeout or sanitizer report; the
# input is left in build-fuzz/artifacts/<target>/ (fix it and keep it in tests/fuzz/regressions/).
# Prints each target's executions.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. nice -n 19 scripts/fuzz.sh 1200 media
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(checkpoint pickle npy session media)
CLI="${VFI_CLI:-$PWD/build-ci/app/tlbvfi}"
export VFI_GOLDEN_DIR="${VFI_GOLDEN_DIR:-$(cd .. && pwd)/shared/golden}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"

cmake -S tests/fuzz -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
cmake --build build-fuzz -j "${VFI_BUILD_JOBS:-$(nproc)}"
rm -rf build-fuzz/seeds
python3 tests/fuzz/make_corpus.py --golden "$VFI_GOLDEN_DIR" --cli "$CLI" --out build-fuzz/seeds

# Third-party leaks (explained in the file) do not count.
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitize/lsan.supp:print_suppressions=0"
status=0
for t in "${TARGETS[@]}"; do
  corpus="build-fuzz/corpus/$t"
  artifacts="build-fuzz/artifacts/$t/"
  mkdir -p "$corpus" "$artifacts"
  log="build-fuzz/fuzz_$t.log"
  start=$(date +%s)
  # The one suppressed leak is matched by a frame inside LibTorch, which only the slow unwinder sees.
  asan="${ASAN_OPTIONS:-}"
  [ "$t" = checkpoint ] && asan="fast_unwind_on_malloc=0${asan:+:$asan}"
  if ! ASAN_OPTIONS="$asan" "build-fuzz/fuzz_$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=1 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" "build-fuzz/seeds/$t" >"$log" 2>&1; then
    status=1
    echo "fuzz $t: FAILED after $(( $(date +%s) - start )) s; input(s) in $artifacts"
    grep -E "ERROR|runtime error|SUMMARY|Test unit written" "$log" | head -20 || true
    continue
  fi
  execs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" || echo "?")
  cov=$(grep -oE "cov: [0-9]+ ft: [0-9]+" "$log" | tail -1 || true)
  echo "fuzz $t: ok, $execs executions in $(( $(date +%s) - start )) s ($cov, corpus $(ls "$corpus" | wc -l) files)"
done
exit $status
