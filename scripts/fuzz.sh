#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz: clang-14, ASan + UBSan, a separate small build in
# build-fuzz/), makes their seed corpora (tests/fuzz/make_corpus.py: golden files, a real session,
# generated media; needs the CLI of the ci build) and runs each target for SECONDS (default 60) with
# 1 s per input and a 2 GiB RSS limit. Fails on any crash, leak, timeout or sanitizer report; the
# input is left in build-fuzz/artifacts/<target>/ (fix it and keep it in tests/fuzz/regressions/).
# Prints each target's executions. The mutations follow a fixed seed (VFI_FUZZ_SEED, default 1), but
# the seed corpora hold a session rendered by this run (times, paths) and the corpus in build-fuzz/
# grows from run to run, so two runs explore different inputs: reproduce a CI finding from its input,
# or from a fresh clone (empty build-fuzz/). Longer runs are recorded in docs/benchmarks.md.
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
  execs=0 failed=0 stalls=0
  : >"$log"
  # A timeout on a loaded machine can be the machine's (a 2 ms input stalled past 1 s while other
  # builds ran): such an input is replayed twice; if both replays finish within the limit it was a
  # stall, is noted and dropped, and fuzzing goes on for the time left. Anything else fails the run.
  while left=$(( SECONDS_PER_TARGET - ($(date +%s) - start) )); [ "$left" -gt 0 ]; do
    rm -f "$artifacts"*
    # libFuzzer's timeout handler allocates; when the alarm lands while a stalled mmap holds ASan's
    # allocator lock, the process deadlocks (seen at load 10). The wall-clock limit ends such a run.
    rc=0
    ASAN_OPTIONS="$asan" timeout -s KILL $(( left + 120 )) "build-fuzz/fuzz_$t" -max_total_time="$left" -seed="${VFI_FUZZ_SEED:-1}" -timeout=1 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" "build-fuzz/seeds/$t" >"$log.part" 2>&1 || rc=$?
    cat "$log.part" >>"$log"
    if [ "$rc" -eq 0 ]; then
      n=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log.part" | grep -oE "[0-9]+$" || echo 0)
      execs=$(( execs + n ))
      break
    fi
    if [ "$rc" -eq 137 ] && grep -q "ALARM: working on the last Unit for" "$log.part"; then
      stalls=$(( stalls + 1 ))
      echo "fuzz $t: the run deadlocked in libFuzzer's timeout handler (a stall of the machine, see fuzz.sh); going on"
      continue
    fi
    unit=$(ls "$artifacts" 2>/dev/null | head -1)
    if [ -n "$unit" ] && [[ "$unit" == timeout-* ]] && [ "$(ls "$artifacts" | wc -l)" -eq 1 ] &&
       ASAN_OPTIONS="$asan" "build-fuzz/fuzz_$t" -timeout=1 -runs=2 "$artifacts$unit" >/dev/null 2>&1 &&
       ASAN_OPTIONS="$asan" "build-fuzz/fuzz_$t" -timeout=1 -runs=2 "$artifacts$unit" >/dev/null 2>&1; then
      stalls=$(( stalls + 1 ))
      n=$(grep -oE "^#[0-9]+" "$log.part" | tail -1 | tr -d '#' || echo 0)
      execs=$(( execs + ${n:-0} ))
      echo "fuzz $t: a timeout that did not reproduce (replayed within 1 s twice: the machine stalled); going on"
      continue
    fi
    failed=1
    break
  done
  rm -f "$log.part"
  if [ "$failed" -eq 1 ]; then
    status=1
    echo "fuzz $t: FAILED after $(( $(date +%s) - start )) s; input(s) in $artifacts"
    grep -E "ERROR|runtime error|SUMMARY|Test unit written" "$log" | head -20 || true
    continue
  fi
  cov=$(grep -oE "cov: [0-9]+ ft: [0-9]+" "$log" | tail -1 || true)
  note=""
  [ "$stalls" -gt 0 ] && note=", $stalls timeouts not reproduced"
  echo "fuzz $t: ok, $execs executions in $(( $(date +%s) - start )) s ($cov, corpus $(ls "$corpus" | wc -l) files$note)"
done
exit $status
