#!/usr/bin/env python3
"""Fills tlbvfi_ko.ts from ko_strings.py and tlbvfi_en.ts with the English sources (developer tool;
the build only runs lrelease). Reports sources without a Korean text and exits 1 then."""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here))
from ko_strings import KO, KO_NUMERUS  # noqa: E402


def fill(path, lookup):
    tree = ET.parse(path)
    missing = []
    for msg in tree.getroot().iter('message'):
        src = msg.find('source').text or ''
        tr = msg.find('translation')
        if tr is None:
            tr = ET.SubElement(msg, 'translation')
        for k in list(tr.attrib):
            del tr.attrib[k]
        for child in list(tr):
            tr.remove(child)
        tr.text = None
        value = lookup(src, msg.get('numerus') == 'yes')
        if value is None:
            missing.append(src)
            tr.set('type', 'unfinished')
        elif isinstance(value, list):
            for form in value:
                ET.SubElement(tr, 'numerusform').text = form
        else:
            tr.text = value
    body = ET.tostring(tree.getroot(), encoding='unicode')
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + '\n', encoding='utf-8')
    return missing


def ko(src, numerus):
    return KO_NUMERUS.get(src) if numerus else KO.get(src)


def en(src, numerus):
    return [src.replace('(s)', ''), src.replace('(s)', 's')] if numerus else src


missing = fill(here / 'tlbvfi_ko.ts', ko)
fill(here / 'tlbvfi_en.ts', en)
for m in missing:
    print('untranslated:', repr(m))
sys.exit(1 if missing else 0)
