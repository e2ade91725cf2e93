#!/usr/bin/env bash
# Builds the Debian package from a finished build (default build-ci/) and tests it the way a user
# gets it: the dependencies resolve on this Debian (apt-get --simulate), the private libraries are in
# the package's own folder, and the programs run from an extracted copy (dpkg-deb -x), not from the
# build tree: `tlbvfi --version`, a blend job, `tlbvfi model-check` on a golden case with the model
# library of the package, `tlbvfi-studio --version`. The desktop entry and the AppStream metadata are
# validated. Called by scripts/run-tests.sh after the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build-ci}"
GOLDEN="${VFI_GOLDEN_DIR:-$(cd .. && pwd)/shared/golden}"
t0=$(date +%s)
fail() { echo "check-package: FAIL: $*" >&2; exit 1; }

rm -f "$BUILD"/tlbvfi-studio_*.deb
(cd "$BUILD" && cpack -G DEB > cpack.log) || { cat "$BUILD/cpack.log"; fail "cpack -G DEB failed"; }
deb=$(ls "$BUILD"/tlbvfi-studio_*.deb)
echo "check-package: built $deb ($(du -h "$deb" | cut -f1))"
depends=$(dpkg-deb -f "$deb" Depends)
echo "check-package: Depends: $depends"
grep -q 'libopenblas0-pthread' <<<"$depends" || fail "the package does not depend on libopenblas0-pthread"

# Resolves against this system's apt lists (Debian 12 in CI). Lists that were never fetched (an image
# with everything preinstalled) are fetched once, as root.
simulate() { apt-get install --simulate "$(realpath "$deb")" > "$BUILD/apt-simulate.log" 2>&1; }
if ! simulate && [ "$(id -u)" -eq 0 ] && ! ls /var/lib/apt/lists/*_Packages > /dev/null 2>&1; then
    apt-get update -qq && simulate || true
fi
simulate || { cat "$BUILD/apt-simulate.log"; fail "apt-get install --simulate does not resolve"; }
grep -q '^Inst tlbvfi-studio' "$BUILD/apt-simulate.log" || { cat "$BUILD/apt-simulate.log"; fail "apt-get would not install the package"; }

# Contents: programs in bin, private libraries in a folder of their own, desktop files in share.
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/tlbvfi ./usr/bin/tlbvfi-studio ./usr/share/applications/tlbvfi-studio.desktop \
         ./usr/share/icons/hicolor/scalable/apps/tlbvfi-studio.svg ./usr/share/metainfo/io.github.tlbvfi.Studio.metainfo.xml; do
    grep -qx "$f" <<<"$contents" || fail "$f is not in the package"
done
grep -qE '^\./usr/lib/([^/]+/)?tlbvfi-studio/libvfi_model\.so$' <<<"$contents" || fail "libvfi_model.so is not in the package's library folder"
grep -qE '^\./usr/lib/([^/]+/)?tlbvfi-studio/libvfi_common\.so$' <<<"$contents" || fail "libvfi_common.so is not in the package's library folder"
stray=$(grep 'libvfi_' <<<"$contents" | grep -v '/tlbvfi-studio/libvfi_' || true)
[ -z "$stray" ] || fail "private libraries outside the package's library folder: $stray"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
bin="$root/usr/bin"
unset VFI_MODEL_LIBRARY
# The programs must find libvfi_common through their RPATH inside the extracted tree.
ldd "$bin/tlbvfi" | grep 'libvfi_common' | grep -qF "$root/" || { ldd "$bin/tlbvfi"; fail "tlbvfi does not load its libvfi_common"; }

version=$("$bin/tlbvfi" --version)
echo "check-package: $version"
[[ "$version" =~ ^tlbvfi\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "tlbvfi --version printed '$version'"

"$bin/tlbvfi" make-sample "$root/clip.mp4" --frames 12 --size 160x90 > /dev/null
"$bin/tlbvfi" interpolate "$root/clip.mp4" -o "$root/clip_2x.mp4" --backend blend --min-free-gb 0 > "$root/blend.log" 2>&1 \
    || { cat "$root/blend.log"; fail "the blend job failed"; }
frames=$("$bin/tlbvfi" verify "$root/clip_2x.mp4" | awk '/^video frames:/ {print $3}')
[ "$frames" = 23 ] || fail "the blend job wrote $frames frames, expected 23"

"$bin/tlbvfi" model-check "$GOLDEN/case-a" --checkpoint "$GOLDEN/tiny.pth" --config "$GOLDEN/tiny-config.json" > "$root/check.log" 2>&1 \
    || { cat "$root/check.log"; fail "model-check failed with the installed model library"; }
grep -q '^ALL PASS' "$root/check.log" || { cat "$root/check.log"; fail "model-check did not pass"; }
lib=$(awk '/^model library:/ {print $3}' "$root/check.log")
case "$lib" in
    "$root"/usr/lib/*tlbvfi-studio/libvfi_model.so) echo "check-package: model-check passed with $lib" ;;
    *) fail "model-check used the model library $lib, not the package's" ;;
esac

mkdir -m 700 "$root/run"
studio=$(QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$root/run" "$bin/tlbvfi-studio" --version 2>&1)
echo "check-package: $studio"
grep -qE '^TLBVFI Studio [0-9]+\.[0-9]+\.[0-9]+' <<<"$studio" || fail "tlbvfi-studio --version printed '$studio'"

desktop-file-validate "$root/usr/share/applications/tlbvfi-studio.desktop" || fail "desktop-file-validate"
appstreamcli validate --no-net "$root/usr/share/metainfo/io.github.tlbvfi.Studio.metainfo.xml" || fail "appstreamcli validate"

echo "check-package: all checks passed in $(( $(date +%s) - t0 )) s"
