#!/usr/bin/env bash
# Whole-process peak RSS of the tlbvfi CLI interpolating one 2160×3840 pair on CPU in fp32 with the
# official configuration (issue 3, "Whole-process memory": goal ≤ 20 GB): decode, model, encode and
# join in one process, as users run it.
#   bench/model/rss_4k_cli.sh TLBVFI_CLI CHECKPOINT WORK_DIR [extra tlbvfi options...]
# CHECKPOINT: vimeo_unet.pth, or random weights of the same shapes from make_random_checkpoint.py.
# The peak so far (VmHWM) is logged every 10 s to WORK_DIR/rss.log, so a run stopped early still
# tells how far memory went.
set -u
cli=$1
ckpt=$2
work=$3
shift 3
mkdir -p "$work"
src=$work/src4k.mkv
[ -f "$src" ] || ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=3840x2160:rate=30 -frames:v 2 \
    -c:v ffv1 "$src" || exit 1
rm -rf "$work/session" "$work/out.mkv"
start=$(date +%s)
"$cli" interpolate "$src" -o "$work/out.mkv" --backend tlbvfi --model "$ckpt" --encoder ffv1 \
    --session "$work/session" "$@" >"$work/cli.log" 2>&1 &
pid=$!
: >"$work/rss.log"
while kill -0 "$pid" 2>/dev/null; do
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null)
    [ -n "$hwm" ] && echo "$(($(date +%s) - start)) s: peak RSS $((hwm / 1024)) MiB" >>"$work/rss.log"
    last=${hwm:-${last:-0}}
    sleep 10
done
wait "$pid"
rc=$?
echo "exit $rc after $(($(date +%s) - start)) s; peak RSS $((${last:-0} / 1024)) MiB (VmHWM, sampled every 10 s)"
tail -3 "$work/cli.log"
[ $rc -eq 0 ] && ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames,width,height \
    -of default=nw=1 "$work/out.mkv"
exit $rc
