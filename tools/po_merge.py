"""Merge a .pot into a .po: keep existing translations, add new terms, drop vanished ones.

Usage: python tools/po_merge.py TEMPLATE.pot LANG.po
"""

import os
import sys

import polib

template = polib.pofile(sys.argv[1])
catalog = polib.pofile(sys.argv[2]) if os.path.exists(sys.argv[2]) else None
translations = {(e.msgctxt, e.msgid): e.msgstr for e in catalog} if catalog else {}
for entry in template:
    entry.msgstr = translations.get((entry.msgctxt, entry.msgid), '')
template.metadata.update({'Language': 'ko', 'Plural-Forms': 'nplurals=1; plural=0;'})
template.save(sys.argv[2])
missing = [entry.msgid for entry in template if not entry.msgstr]
print(f"{sys.argv[2]}: {len(template)} terms, {len(missing)} untranslated")
for msgid in missing:
    print(f"  untranslated: {msgid!r}")
