"""What every page a browser test reaches must satisfy (issue 16): checks shared by the e2e tests.

- ``too_wide(page)``: the page scrolls sideways (``scrollWidth`` beyond the viewport).
- ``english_left(text)``: English interface text on a Vietnamese page.
- ``raw_codes(text)``: raw values on screen (enum values, time-zone ids, ISO dates, seconds,
  ``None``/``True``/``False``, Python reprs, template or format placeholders), country codes
  standing alone (``LA``); on a Vietnamese page also the app's one-word enum values
  (``internal``, ``planned``).
- ``vietnamese_left(text)``: Vietnamese interface text on an English page.

Convention for text shown raw on purpose (a feed address, a unit's code, an API token, a
setting's key): put it in ``<code>`` or give its element ``translate="no"`` (as HTML means:
not to be translated). Both are left out of the English and raw-code checks, as are elements
marked as another language (``lang="en"`` on a Vietnamese page and the reverse), form field
values (never part of the text read) and URLs and e-mail addresses.
"""
import enum
import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

CATALOG = Path(__file__).resolve().parent.parent / "app/translations/vi/LC_MESSAGES/messages.po"
# Words of English interface text that never occur in Vietnamese words ("New" of a place's
# name, as CLDR's Vietnamese keeps it: "New York", "New Zealand", is not one).
ENGLISH_WORDS = re.compile(r"\b(the|and|of|with|for|your|this|from|into|yet|no longer|"
                           r"please|save|edit|delete|search|filter|next|previous|page|"
                           r"new(?! [A-Z])|show|hide|back|cancel|submit|approve|return|none)\b", re.I)
# Raw values that never belong on screen, with what each is.
RAW_CODES = {
    "enum value": re.compile(r"\b[a-z]+(?:_[a-z]+)+\b"),
    "enum member": re.compile(r"\b[A-Z][A-Za-z]+\.[A-Z][A-Z_]+\b"),
    "time-zone id": re.compile(r"\b(?:Africa|America|Asia|Atlantic|Australia|Europe|Indian|"
                               r"Pacific|Etc)/[A-Za-z_]+\b"),
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "time with seconds": re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b"),
    # (an English empty list's "None." is a sentence, not a value)
    "Python value": re.compile(r"\b(?:None(?!\.$)|True|False)\b", re.M),
    "Python repr": re.compile(r"<app\.|<[A-Z][A-Za-z]+ |object at 0x"),
    "placeholder": re.compile(r"\{\{|\{%|%\(\w+\)"),
}
# Not interface text: addresses and e-mail addresses (checked by no rule).
ADDRESSES = re.compile(r"\b(?:https?|webcal)://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

_TEXT = """(own) => {
    // The text a person reads: no field values, scripts, code, raw-on-purpose or other-language
    // parts. innerText needs a rendered element, so a copy is laid out off-screen.
    const copy = document.body.cloneNode(true);
    copy.querySelectorAll(`[lang]:not([lang=${own}]), script, style, code, [translate=no],
                           textarea, template`).forEach(e => e.remove());
    copy.style.position = 'absolute';
    copy.style.left = '-100000px';
    document.body.appendChild(copy);
    const text = copy.innerText;
    copy.remove();
    // Words read out or shown on hover: placeholders, titles, labels for screen readers.
    const said = [...document.querySelectorAll('[placeholder], [title], [aria-label]')]
        .filter(e => !e.closest(`[lang]:not([lang=${own}]), code, [translate=no]`))
        .flatMap(e => ['placeholder', 'title', 'aria-label'].map(a => e.getAttribute(a)))
        .filter(Boolean);
    return [text, document.title, ...said].join('\\n'); }"""


def too_wide(page) -> int | None:
    """The page's width when it scrolls sideways, else None."""
    width = page.evaluate("document.documentElement.scrollWidth")
    return width if width > page.viewport_size["width"] else None


def page_text(page, locale: str = "vi") -> str:
    """The interface text on the page, with its title, placeholders, tooltips, labels.

    See the module's doc for what is left out.
    """
    return ADDRESSES.sub(" ", page.evaluate(_TEXT, locale))


@cache
def english_ui() -> frozenset[str]:
    """Interface strings whose Vietnamese differs, long enough not to be a name or a code."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    return frozenset(
        m.id for m in catalog
        if m.id and m.string and not isinstance(m.id, tuple) and m.string != m.id
        and len(m.id) >= 12 and " " in m.id and "%(" not in m.id)


def english_left(text: str) -> list[str]:
    """English interface strings and words in a Vietnamese page's text."""
    return sorted({s for s in english_ui() if s in text}
                  | {m.group(0) for m in ENGLISH_WORDS.finditer(text)})


@cache
def vietnamese_ui() -> frozenset[str]:
    """The catalog's Vietnamese for the strings of ``english_ui``."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    return frozenset(m.string for m in catalog
                     if m.id in english_ui() and len(m.string) >= 12 and " " in m.string)


def vietnamese_left(text: str) -> list[str]:
    """Vietnamese interface strings in an English page's text."""
    return sorted(s for s in vietnamese_ui() if s in text)


def raw_codes(text: str) -> dict[str, list[str]]:
    """Raw values in a page's text, by kind: the lines that hold them (shortened)."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        for kind, pattern in RAW_CODES.items():
            if pattern.search(line) and len(found.setdefault(kind, [])) < 5:
                found[kind].append(line.strip()[:160])
    return found


@cache
def country_codes(locale: str) -> re.Pattern:
    """A country's code standing alone ("LA", not "57-KL/TW" or "HH:MM").

    On a Vietnamese page "CN" is Sunday (Chủ nhật), not China.
    """
    from app.inputs import country_codes as codes

    shown = sorted(codes() - ({"CN"} if locale == "vi" else set()))
    return re.compile(r"(?<![\w/.:-])(?:" + "|".join(shown) + r")(?![\w/.:-])")


@cache
def enum_words() -> re.Pattern:
    """The app's one-word enum values ("internal", "planned"): on a Vietnamese page a raw value.

    "email" is left out: Vietnamese administrative text uses the word.
    """
    import app.models  # noqa: F401  (every model, so every enum, is defined)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    words = {m.value for e in subclasses(enum.StrEnum) if e.__module__.startswith("app.")
             for m in e if m.value.isalpha() and m.value.islower()} - {"email"}
    return re.compile(r"\b(?:" + "|".join(sorted(words)) + r")\b")


def problems(page, locale: str) -> dict[str, object]:
    """Everything wrong with the page shown: sideways scroll, wrong language, raw codes."""
    found: dict[str, object] = {}
    width = too_wide(page)
    if width:
        found["wider than the screen"] = width
    lang = page.evaluate("document.documentElement.lang")
    if lang != locale:
        found["lang"] = lang
    text = page_text(page, locale)
    if locale == "vi" and (english := english_left(text)):
        found["English"] = english[:8]
    if locale == "en" and (vietnamese := vietnamese_left(text)):
        found["Vietnamese"] = vietnamese[:8]
    codes = raw_codes(text)
    if countries := [line.strip()[:160] for line in text.splitlines()
                     if country_codes(locale).search(line)]:
        codes["country code"] = countries[:5]
    if locale == "vi":
        words = [line.strip()[:160] for line in text.splitlines() if enum_words().search(line)]
        if words:
            codes["enum value"] = codes.get("enum value", []) + words[:5]
    if codes:
        found["raw codes"] = codes
    return found
