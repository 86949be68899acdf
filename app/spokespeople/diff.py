"""A readable diff between two texts as HTML with <ins>/<del>. Pure: no Flask, no database."""
import difflib
from html import escape

from markupsafe import Markup


def _words(a: str, b: str) -> tuple[str, str]:
    """Mark changed words inside a changed line."""
    sa, sb = a.split(" "), b.split(" ")
    out_a, out_b = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, sa, sb, autojunk=False).get_opcodes():
        left, right = escape(" ".join(sa[i1:i2])), escape(" ".join(sb[j1:j2]))
        if op == "equal":
            out_a.append(left)
            out_b.append(right)
            continue
        if left:
            out_a.append(f"<del>{left}</del>")
        if right:
            out_b.append(f"<ins>{right}</ins>")
    return " ".join(out_a), " ".join(out_b)


def html_diff(old: list[str], new: list[str]) -> Markup:
    """Lines of ``old`` against ``new``: unchanged lines plain, removed in <del>, added in <ins>."""
    rows = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [f'<div class="diff-same">{escape(line) or "&nbsp;"}</div>' for line in old[i1:i2]]
            continue
        removed, added = old[i1:i2], new[j1:j2]
        if op == "replace" and len(removed) == len(added):
            for a, b in zip(removed, added, strict=True):
                left, right = _words(a, b)
                rows.append(f'<div class="diff-del">{left}</div>')
                rows.append(f'<div class="diff-ins">{right}</div>')
            continue
        rows += [f'<div class="diff-del"><del>{escape(line)}</del></div>' for line in removed]
        rows += [f'<div class="diff-ins"><ins>{escape(line)}</ins></div>' for line in added]
    return Markup('<div class="diff">' + "\n".join(rows) + "</div>")
