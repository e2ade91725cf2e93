#!/usr/bin/env bash
# Packs what a GPU machine without FFmpeg needs to build and run the tlbvfi CLI there (bench/gpu/run_round.sh):
#   lib/    every shared library the CLI built here loads (FFmpeg, the codecs), for running it;
#   dev/    FFmpeg's headers, pkg-config files pointing into the bundle, link names, nlohmann_json and
#           a pkg-config program, for building the CLI there with the machine's compiler and LibTorch;
#   bin/    the CLI built here (no model library: one built elsewhere would meet another C++ runtime);
#   glibc/  this machine's loader and C/C++ runtime, for a host whose glibc is older than this one.
# glibc, libstdc++ and libgcc_s stay out of lib/: the host's newer ones serve both builds.
#   bench/pipeline/make_cli_bundle.sh BUILD_DIR OUT.tar.xz
set -eu
build=$1
out=$2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/lib" "$stage/glibc" "$stage/dev/include" "$stage/dev/lib/pkgconfig" "$stage/dev/share/cmake" "$stage/dev/bin"
cp "$build/app/tlbvfi" "$stage/bin/"
host_libs='/(libc|libm|libpthread|libdl|librt|libstdc\+\+|libgcc_s)\.so|/ld-linux'
ldd "$build/app/tlbvfi" | awk '$3 ~ /^\// {print $3}' | while read -r lib; do
    if [[ $lib =~ $host_libs ]]; then cp -L "$lib" "$stage/glibc/"; else cp -L "$lib" "$stage/lib/"; fi
done
cp -L "$(ldd "$build/app/tlbvfi" | awk '/ld-linux/ {print $1}')" "$stage/glibc/"
strip --strip-unneeded "$stage/bin/tlbvfi" "$stage/lib/libvfi_common.so"
ldd --version | head -1 >"$stage/glibc/VERSION"

multiarch=$(gcc -print-multiarch)
for m in libavformat libavcodec libavutil libswscale libswresample; do
    cp -r "/usr/include/$multiarch/$m" "$stage/dev/include/"
    sed -e 's|^prefix=.*|prefix=${pcfiledir}/../..|' -e 's|^libdir=.*|libdir=${prefix}/lib|' \
        -e 's|^includedir=.*|includedir=${prefix}/include|' "/usr/lib/$multiarch/pkgconfig/$m.pc" >"$stage/dev/lib/pkgconfig/$m.pc"
    real=$(readlink -f "/usr/lib/$multiarch/$m.so")   # libswscale: linked by the build, dropped by --as-needed
    soname=$(objdump -p "$real" | awk '/SONAME/ {print $2}')
    [ -f "$stage/lib/$soname" ] || cp "$real" "$stage/lib/$soname"
    ln -s "../../lib/$soname" "$stage/dev/lib/$m.so"
done
cp -r /usr/include/nlohmann "$stage/dev/include/"
cp -r /usr/share/cmake/nlohmann_json "$stage/dev/share/cmake/"
cp "$(command -v pkgconf)" "$stage/dev/bin/pkgconf.bin"
cp -L "$(ldd "$(command -v pkgconf)" | awk '/libpkgconf/ {print $3}')" "$stage/lib/"
printf '%s\n' '#!/bin/sh' 'here=$(dirname "$0")' 'LD_LIBRARY_PATH="$here/../../lib" exec "$here/pkgconf.bin" "$@"' >"$stage/dev/bin/pkg-config"
chmod +x "$stage/dev/bin/pkg-config"
tar -C "$stage" -cf - . | xz -T0 -9e >"$out"
echo "$out: $(du -h "$out" | cut -f1), $(ls "$stage/lib" | wc -l) libraries"
