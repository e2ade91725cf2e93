#!/usr/bin/env bash
# Kill soak (issue 15 §3): a long job SIGKILLed again and again, rerun after every kill, must end
# with exactly the frames of an uninterrupted run.
#
#   bench/soak/kill_soak.sh WORKDIR [SEED] [KILLS] [ENCODERS]     (defaults: random seed, 20, "ffv1 libx264")
#
# Per encoder: a generated 1080p clip of $VFI_SOAK_FRAMES (600) frames, blend backend, 2x, chunks of
# 24 source frames (25 chunks). An uninterrupted reference run first; then the same command on another
# output, killed KILLS times by kill_at.py at a moment drawn from SEED: a random time, the moment a
# finished chunk is renamed into place (before its record exists), a record's or the manifest's temp
# file appearing (their atomic writes), and - once every chunk is recorded, and for the last three
# kills in any case - during the join (when the join's temp file holds a random 5-95 % of the
# reference output's size). Each kill
# is followed by the rerun that the next kill interrupts; the last rerun must finish (exit 0), pass
# `tlbvfi verify`, and decode to the reference's frames (ffmpeg framemd5: every frame's timestamp
# and MD5). Writes WORKDIR/soak-<encoder>.md (the table for docs/benchmarks.md); exit 1 on a mismatch.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${1:?usage: kill_soak.sh WORKDIR [SEED] [KILLS] [ENCODERS]}"
SEED="${2:-$(( $(date +%s) % 100000 ))}"
KILLS="${3:-20}"
ENCODERS="${4:-ffv1 libx264}"
CLI="${VFI_CLI:-$ROOT/build-ci/app/tlbvfi}"
FRAMES="${VFI_SOAK_FRAMES:-600}"
SIZE="${VFI_SOAK_SIZE:-1920x1080}"
CHUNK=24
KILL_AT="$ROOT/bench/soak/kill_at.py"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
RANDOM=$SEED
SRC="$WORK/src.mp4"
[ -f "$SRC" ] || "$CLI" make-sample "$SRC" --frames "$FRAMES" --size "$SIZE" >/dev/null
CHUNKS=$(( (FRAMES + CHUNK - 1) / CHUNK ))
# A last chunk of a single source frame is merged into the one before it (ChunkPlan).
[ $(( FRAMES % CHUNK )) -eq 1 ] && CHUNKS=$(( CHUNKS - 1 ))

framemd5() { ffmpeg -v error -i "$1" -map 0:v -f framemd5 - | grep -v '^#'; }
records() { ls "$1" 2>/dev/null | grep -cE '^chunk_[0-9]+\.json$' || true; }
rnd() { awk -v a="$1" -v b="$2" -v r="$RANDOM" 'BEGIN { printf "%.3f", a + (b - a) * r / 32767 }'; }
since() { awk -v t0="$1" -v t1="$(date +%s.%N)" 'BEGIN { printf "%.0f", t1 - t0 }'; }

status=0
for ENC in $ENCODERS; do
  EXT=mkv; [ "$ENC" = libx264 ] && EXT=mp4
  DIR="$WORK/$ENC"
  rm -rf "$DIR"; mkdir -p "$DIR/ref" "$DIR/out"
  ARGS=(interpolate "$SRC" --backend blend --encoder "$ENC" --chunk-frames $CHUNK --min-free-gb 0)
  # The reference run is watched (never killed) to learn how long its join takes.
  t0=$(date +%s.%N)
  r=$(python3 "$KILL_AT" --watch "$DIR/ref" --at "file:.ref.$EXT.joining" --delay 1e9 -- "$CLI" "${ARGS[@]}" -o "$DIR/ref/ref.$EXT")
  REF_SECONDS=$(since "$t0")
  JOIN_SECONDS=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(round(d["elapsed"] - d["seen_at"], 3))' "$r")
  [ -f "$DIR/ref/ref.$EXT" ] || { echo "reference run failed: $r"; exit 1; }
  REF_BYTES=$(stat -c %s "$DIR/ref/ref.$EXT")
  framemd5 "$DIR/ref/ref.$EXT" > "$DIR/ref.framemd5"
  OUT="$DIR/out/out.$EXT"
  SESSION="$OUT.tlbvfi"
  REPORT="$WORK/soak-$ENC.md"
  {
    echo "Kill soak, $ENC: seed $SEED, $FRAMES source frames ${SIZE}, chunks of $CHUNK ($CHUNKS), $KILLS kills;"
    echo "uninterrupted run $REF_SECONDS s (its join $JOIN_SECONDS s), $(wc -l < "$DIR/ref.framemd5") output frames. $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -m)."
    echo
    echo "| kill | moment | killed at (s) | chunks recorded before → after | temp files left | exit |"
    echo "|---|---|---|---|---|---|"
  } > "$REPORT"
  mkdir -p "$SESSION"
  for ((k = 1; k <= KILLS; k++)); do
    before=$(records "$SESSION")
    if [ "$before" -ge "$CHUNKS" ] || [ $k -gt $(( KILLS - 3 )) ]; then
      fraction=$(rnd 0.05 0.95)
      moment="join, its file at $(awk -v f="$fraction" 'BEGIN { printf "%.0f", 100 * f }') % of the joined size"
      at="grow:.out.$EXT.joining"; delay=0; bytes=$(awk -v f="$fraction" -v s="$REF_BYTES" 'BEGIN { printf "%.0f", f * s }')
    else
      case $(( RANDOM % 4 )) in
        0) moment="random time"; at="time"; delay=$(rnd 0.2 6) ;;
        1) moment="chunk renamed into place"; at="file:chunk_??????.[nm]*"; delay=0 ;;
        2) moment="chunk record being written"; at="file:chunk_*.json.tmp-*"; delay=0 ;;
        3) moment="manifest being written"; at="file:manifest.json.tmp-*"; delay=0 ;;
      esac
    fi
    r=$(python3 "$KILL_AT" --watch "$SESSION" --watch "$DIR/out" --at "$at" --delay "$delay" --bytes "${bytes:-0}" -- "$CLI" "${ARGS[@]}" -o "$OUT")
    killed=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print("yes" if d["killed"] else "no")' "$r")
    when=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["at"])' "$r")
    left=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(", ".join(d["leftovers"]) or "-")' "$r")
    code=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["exit"])' "$r")
    echo "| $k | $moment | $when | $before → $(records "$SESSION") | $left | $code |" >> "$REPORT"
    if [ "$killed" != yes ]; then
      echo "kill $k: the run ended before the moment came: $r" | tee -a "$REPORT"
      status=1
      break
    fi
    [ -f "$OUT" ] && { echo "kill $k: a killed run left $OUT" | tee -a "$REPORT"; status=1; }
  done
  t0=$(date +%s.%N)
  set +e
  "$CLI" "${ARGS[@]}" -o "$OUT" > "$DIR/final.log" 2>&1
  final=$?
  set -e
  FINAL_SECONDS=$(since "$t0")
  resumed=$(grep -oE "chunks resumed: [0-9]+" "$DIR/final.log" || echo "?")
  result="FAIL"
  if [ $final -eq 0 ] && "$CLI" verify "$OUT" >/dev/null && framemd5 "$OUT" | cmp -s - "$DIR/ref.framemd5"; then
    result="PASS: all $(wc -l < "$DIR/ref.framemd5") frames (timestamps and MD5) equal the uninterrupted run's"
  else
    status=1
  fi
  echo >> "$REPORT"
  echo "Final rerun: exit $final in $FINAL_SECONDS s ($resumed); $result." >> "$REPORT"
  cat "$REPORT"
done
exit $status
