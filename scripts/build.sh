#!/usr/bin/env bash
# Configures and builds with the given CMake preset (default: "default"). ccache keeps rebuilds fast.
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET="${1:-default}"
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-8G}"
# Required for ccache to cache translation units that use the LibTorch precompiled header.
export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}"
# CI builds a fresh clone in another folder: relative paths let it reuse earlier compilations.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
cmake --preset "$PRESET" >/dev/null
# Two LibTorch translation units at once need ~2 GB; keep parallelism to the cores we have.
JOBS="${VFI_BUILD_JOBS:-$(nproc)}"
cmake --build --preset "$PRESET" -j "$JOBS"
