#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png (English and Korean) with the app's --screenshot mode, offscreen,
# on a generated sample clip with the blend preview backend. Needs a build of tlbvfi-studio
# (BUILD_DIR, default build/) and the `ffmpeg` tool for the sample; fonts-noto-cjk for Korean.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
app="$build/app/tlbvfi-studio"
out="$root/docs/screenshots"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
ffmpeg -v error -f lavfi -i "testsrc2=size=320x180:rate=24:duration=12" -c:v libx264 -pix_fmt yuv420p "$work/sample.mp4"
for lang in en ko; do
  # A private settings/config location per run: the user's queue and settings stay untouched.
  export XDG_CONFIG_HOME="$work/config-$lang" XDG_DATA_HOME="$work/data-$lang"
  # Each language renders its own copy (the output lands next to the source).
  mkdir -p "$work/$lang" && cp "$work/sample.mp4" "$work/$lang/sample.mp4"
  QT_QPA_PLATFORM=offscreen QT_MEDIA_BACKEND=gstreamer "$app" --lang "$lang" --screenshot "$out" "$work/$lang/sample.mp4"
done
ls -l "$out"
