"""HTML forms as a browser sends them, for tests and benchmarks that talk HTTP to real servers."""
import secrets
from html.parser import HTMLParser


class _Forms(HTMLParser):
    """The fields of every form of a page, as a browser would send them (no files)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._select: tuple[str, list[str], list[str]] | None = None  # name, selected, first
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("action", "") if a.get("method", "get").lower() == "post"
                               else "(get)", []))
        elif not self.forms or "disabled" in a:
            return
        elif tag == "input" and a.get("name") and a.get("type", "text") not in ("submit", "file", "button"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.forms[-1][1].append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [], [])
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select[2].append(value)
            if "selected" in a:
                self._select[1].append(value)
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            name, selected, first = self._select
            self.forms[-1][1].extend((name, v) for v in (selected or first[:1]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1][1].append((self._textarea[0], self._textarea[1].lstrip("\n")))
            self._textarea = None


def form_fields(page: bytes, action_ends: str) -> list[tuple[str, str]]:
    """The fields of the page's POST form whose action ends with ``action_ends``.

    Else its first POST form without an action (it posts to the page's own address).
    """
    parser = _Forms()
    parser.feed(page.decode("utf-8"))
    for wanted in (lambda a: a.split("?")[0].endswith(action_ends), lambda a: a == ""):
        for action, fields in parser.forms:
            if wanted(action):
                return fields
    raise AssertionError(f"no form posting to …{action_ends}")


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its Content-Type: fields, then (field, filename, bytes)."""
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     .encode() + value.encode() + b"\r\n")
    for name, filename, data in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                     .encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
