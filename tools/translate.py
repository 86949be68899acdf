"""Translation helper for Vietnamese catalogs.

    python tools/translate.py missing            # JSON {msgid: ""} of strings lacking a vi translation
    python tools/translate.py add PO_FILE JSON   # add/replace entries {msgid: msgstr} in PO_FILE

Each feature package may keep its own catalog in app/<feature>/translations/vi/LC_MESSAGES/
messages.po (merged at run time), so parallel work does not collide in one file.
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def _key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def extracted() -> set[str]:
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                        "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
                       cwd=ROOT, check=True, capture_output=True)
        with pot.open("rb") as f:
            return {_key(m) for m in read_po(f) if m.id}


def translated() -> set[str]:
    done = set()
    for po in ROOT.glob("app/**/translations/vi/LC_MESSAGES/messages.po"):
        with po.open("rb") as f:
            done |= {_key(m) for m in read_po(f) if m.id and m.string and "fuzzy" not in m.flags
                     and (isinstance(m.string, str) or all(m.string))}
    return done


def add(po_path: Path, entries: dict[str, str]) -> None:
    if po_path.exists():
        with po_path.open("rb") as f:
            catalog = read_po(f, locale="vi")
    else:
        po_path.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale="vi", project="Briefing Desk")
    for msgid, msgstr in entries.items():
        if msgid in catalog:
            catalog[msgid].string = msgstr
            catalog[msgid].flags.discard("fuzzy")
        else:
            catalog.add(msgid, msgstr)
    with po_path.open("wb") as f:
        write_po(f, catalog, width=100, sort_output=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["missing"]:
        print(json.dumps({m: "" for m in sorted(extracted() - translated())}, ensure_ascii=False,
                         indent=1))
    elif sys.argv[1:2] == ["add"] and len(sys.argv) == 4:
        add(Path(sys.argv[2]), json.loads(Path(sys.argv[3]).read_text(encoding="utf-8")))
    else:
        sys.exit(__doc__)
