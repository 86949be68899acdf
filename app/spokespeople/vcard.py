"""vCard 3.0 (RFC 2426) and 4.0 (RFC 6350) for one spokesperson. Pure: no Flask, no database."""
from dataclasses import dataclass


@dataclass
class Card:
    uid: str
    name: str
    title: str
    organisation: str
    phone: str = ""
    email: str = ""


def escape_text(value: str) -> str:
    """TEXT escaping: backslash first, then comma, semicolon and newlines."""
    return (value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str, limit: int = 75) -> str:
    """Fold at 75 octets of UTF-8 without splitting a character; continuation starts with a space."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def _family_given(name: str) -> tuple[str, str]:
    """Vietnamese names put the family name first: "Phạm Minh Tuấn" → family Phạm, given Minh Tuấn."""
    family, _sep, given = name.strip().partition(" ")
    return family, given


def build(card: Card, version: str = "3.0") -> bytes:
    if version not in ("3.0", "4.0"):
        raise ValueError(version)
    family, given = _family_given(card.name)
    lines = ["BEGIN:VCARD", f"VERSION:{version}", "PRODID:-//Briefing Desk//Spokespeople//VI",
             f"UID:{escape_text(card.uid)}",
             f"FN:{escape_text(card.name)}",
             f"N:{escape_text(family)};{escape_text(given)};;;",
             f"TITLE:{escape_text(card.title)}",
             f"ORG:{escape_text(card.organisation)}"]
    if card.phone:
        lines.append(f"TEL;TYPE=work,voice;VALUE=uri:tel:{card.phone.replace(' ', '')}"
                     if version == "4.0" else f"TEL;TYPE=WORK,VOICE:{escape_text(card.phone)}")
    if card.email:
        lines.append(f"EMAIL;TYPE=work:{escape_text(card.email)}" if version == "4.0"
                     else f"EMAIL;TYPE=INTERNET,WORK:{escape_text(card.email)}")
    lines.append("END:VCARD")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
