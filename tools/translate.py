r"""The translation catalogs: one per language in app/translations, kept merge-friendly.

    python tools/translate.py update     # `make translations`: extract the strings, update the catalogs
    python tools/translate.py missing    # JSON {key: ""} of strings lacking a Vietnamese translation
    python tools/translate.py add JSON   # add/replace Vietnamese translations {key: msgstr}
    python tools/translate.py check      # conflicting, fuzzy or empty translations (a test runs it)
    python tools/translate.py merge      # during a git merge: resolve a conflicted catalog

Source strings are English, so the only catalog is app/translations/vi/LC_MESSAGES/messages.po
(English pages show the source strings). One string with two Vietnamese meanings takes a
context: ``_p("submission", "Accept")`` in Python (``_lp`` lazily), ``pgettext("submission",
"Accept")`` in templates. In the JSON of ``missing`` and ``add``, such a key is the context, the
character U+0004 and the string (gettext's own notation), e.g. "submission\u0004Accept".

The catalog is written so that branches adding strings in parallel merge cleanly: entries
sorted by string, locations without line numbers, no wrapping, a fixed header without dates;
writing it again changes nothing. ``update`` also folds in any catalog that a branch kept in
app/<feature>/translations (the old layout) and deletes it, unless it contradicts this one.
"""
import io
import json
import os
import shutil
import sys
from collections import defaultdict
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "app" / "translations"
LOCALE = "vi"
CATALOG = TRANSLATIONS / LOCALE / "LC_MESSAGES" / "messages.po"
# The names app/i18n.py exports, besides Babel's own (_, gettext, ngettext, pgettext...).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2),
            "_p": ((1, "c"), 2), "_lp": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2)}
HEADER = """\
# {language} translations of Briefing Desk; the source strings are English.
# Written by tools/translate.py (`make translations`): sorted, no line numbers, no dates.
msgid ""
msgstr ""
"Project-Id-Version: Briefing Desk\\n"
"Language: {locale}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: {plural_forms}\\n"

"""
SEPARATOR = "\x04"  # between context and string in keys, as in compiled catalogs


def key(message) -> str:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return f"{message.context}{SEPARATOR}{msgid}" if message.context else msgid


def extract() -> Catalog:
    """Every translatable string of the code and the templates (babel.cfg says where)."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    template = Catalog(project="Briefing Desk")
    for filename, lineno, message, comments, context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS):
        template.add(message, None, [(filename, lineno)], auto_comments=comments,
                     context=context)
    return template


def read(po: Path) -> Catalog:
    with po.open("rb") as f:
        return read_po(f)


def write(po: Path, catalog: Catalog) -> None:
    """The merge-friendly format; unchanged content gives identical bytes."""
    body = io.BytesIO()
    write_po(body, catalog, width=0, omit_header=True, sort_output=True, ignore_obsolete=True,
             include_lineno=False)
    header = HEADER.format(language=catalog.locale.english_name, locale=catalog.locale,
                           plural_forms=catalog.plural_forms)
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_bytes(header.encode() + body.getvalue())


def _shown(po: Path) -> Path:
    return po.relative_to(ROOT) if po.is_relative_to(ROOT) else po


def feature_catalogs() -> list[Path]:
    """Catalogs in the old per-feature layout, left by a branch merged since."""
    return sorted(ROOT.glob("app/*/translations/*/LC_MESSAGES/messages.po"))


def fold_in(catalog: Catalog, strays: list[Path]) -> list[str]:
    """Copy the translations of ``strays`` into ``catalog``; returns contradictions."""
    contradictions = []
    for po in strays:
        for message in read(po):
            if not message.id or not message.string:
                continue
            mine = catalog.get(message.id, message.context)
            if mine is None or not mine.string:
                catalog[message.id] = message  # context is kept by the message itself
            elif mine.string != message.string:
                contradictions.append(f"{key(message)!r}: {mine.string!r} here, "
                                      f"{message.string!r} in {_shown(po)}")
    return contradictions


def update() -> None:
    catalog = read(CATALOG)
    strays = [po for po in feature_catalogs() if po.parts[-3] == LOCALE]
    contradictions = fold_in(catalog, strays)
    if contradictions:
        sys.exit("Resolve these first (a context where one string needs two meanings):\n"
                 + "\n".join(contradictions))
    catalog.update(extract(), no_fuzzy_matching=True, update_creation_date=False)
    write(CATALOG, catalog)
    for po in feature_catalogs():
        shutil.rmtree(po.parents[2])  # app/<feature>/translations


def missing() -> dict[str, str]:
    catalog = read(CATALOG)
    done = {key(m) for m in catalog if m.id and m.string and "fuzzy" not in m.flags
            and (isinstance(m.string, str) or all(m.string))}
    return {k: "" for k in sorted({key(m) for m in extract() if m.id} - done)}


def add(entries: dict[str, str | list[str]]) -> None:
    """Set the translations of ``entries`` (key: msgstr).

    A plural string (``ngettext``) takes a list of forms, or one string for every form.
    """
    catalog = read(CATALOG)
    for k, msgstr in entries.items():
        context, _sep, msgid = k.rpartition(SEPARATOR)
        message = catalog.get(msgid, context or None)
        if message is None:
            catalog.add(msgid, msgstr, context=context or None)
            continue
        if message.pluralizable:
            message.string = (tuple(msgstr) if isinstance(msgstr, list)
                              else (msgstr,) * catalog.num_plurals)
        else:
            message.string = msgstr
        message.flags.discard("fuzzy")
    write(CATALOG, catalog)


def merge() -> None:
    """Resolve a catalog left conflicted by ``git merge``: the union of both sides' entries.

    Reads both sides from git's index (stages 2 and 3); a string both sides translate
    differently is reported and the merge stays unresolved.
    """
    import subprocess  # only this command talks to git

    def side(stage: int) -> Catalog:
        relative = CATALOG.relative_to(ROOT).as_posix()
        text = subprocess.run(["git", "show", f":{stage}:{relative}"], cwd=ROOT, check=True,
                              capture_output=True).stdout
        return read_po(io.BytesIO(text))

    ours, theirs = side(2), side(3)
    contradictions = []
    for message in theirs:
        if not message.id:
            continue
        mine = ours.get(message.id, message.context)
        if mine is None or not mine.string:
            ours[message.id] = message
        elif message.string and mine.string != message.string:
            contradictions.append(f"{key(message)!r}: {mine.string!r} ours, "
                                  f"{message.string!r} theirs")
    if contradictions:
        sys.exit("Both sides translate these differently (give one a context):\n"
                 + "\n".join(contradictions))
    write(CATALOG, ours)
    subprocess.run(["git", "add", str(CATALOG)], cwd=ROOT, check=True)


def all_catalogs() -> list[Path]:
    return [*sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")), *feature_catalogs()]


def problems(catalogs: list[Path]) -> list[str]:
    """Fuzzy entries, empty translations, and strings translated differently.

    Differently by two of ``catalogs``, compared per language.
    """
    found, seen = [], defaultdict(dict)
    for po in catalogs:
        where = _shown(po)
        catalog = read(po)
        for message in catalog:
            if not message.id:
                continue
            if "fuzzy" in message.flags:
                found.append(f"{where}: fuzzy {key(message)!r}")
            strings = [message.string] if isinstance(message.string, str) else message.string
            if not all(strings):
                found.append(f"{where}: no translation for {key(message)!r}")
            seen[str(catalog.locale), key(message)][str(message.string)] = where
    for (locale, k), translations in sorted(seen.items()):
        if len(translations) > 1:
            found.append(f"{locale} {k!r} has {len(translations)} translations: "
                         + "; ".join(f"{s!r} in {w}" for s, w in translations.items()))
    return found


def compile_catalogs() -> None:
    """Compile each catalog whose .mo is missing or older than it.

    ``pybabel compile`` does the same for production; a bare ``pytest`` calls this.
    """
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        partial = mo.with_suffix(f".{os.getpid()}.tmp")  # two runs at once never read half
        with partial.open("wb") as f:
            write_mo(f, read(po))
        partial.replace(mo)


if __name__ == "__main__":
    command = sys.argv[1:2]
    if command == ["update"] and len(sys.argv) == 2:
        update()
    elif command == ["missing"] and len(sys.argv) == 2:
        print(json.dumps(missing(), ensure_ascii=False, indent=1))
    elif command == ["add"] and len(sys.argv) == 3:
        add(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
    elif command == ["merge"] and len(sys.argv) == 2:
        merge()
    elif command == ["check"] and len(sys.argv) == 2:
        trouble = problems(all_catalogs())
        print("\n".join(trouble) or "No conflicting, fuzzy or empty translations.")
        sys.exit(1 if trouble else 0)
    else:
        sys.exit(__doc__)
