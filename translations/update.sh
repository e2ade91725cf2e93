#!/usr/bin/env bash
# Refreshes the .ts files from the sources (lupdate) and fills in the texts (apply_ko.py).
# Developer tool: the build only compiles the committed .ts files into .qm.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
lupdate="$(command -v lupdate || echo /usr/lib/qt6/bin/lupdate)"
cd "$root"
"$lupdate" -I "$root" -no-obsolete -locations none ui app/studio \
    -ts translations/tlbvfi_en.ts translations/tlbvfi_ko.ts
python3 translations/apply_ko.py
