"""The code registry of domain settings: each feature declares its settings once.

A declaration gives the key (``<group>.<name>``), a label, a value type, the default
value and the default legal basis with its verified flag. The database may hold a row
for the key (``domain_settings``), which wins while it parses; see ``services.setting``.
"""
import re
from dataclasses import dataclass
from typing import Any

from app.i18n import _
from app.settings.types import InvalidValue, ValueType

# group key -> lazy label, in the order the admin page shows them
GROUPS: dict[str, Any] = {}
SETTINGS: dict[str, "Setting"] = {}

_KEY = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Setting:
    key: str
    label: Any                   # lazy string
    type: ValueType
    default: Any                 # a typed value, as ``setting()`` returns it
    legal_basis: str = ""        # default basis, as stored (Vietnamese, like the law it cites)
    verified: bool = False       # True only if the rule was read at its source (DOMAIN.md)
    help: Any = ""               # lazy string shown on the edit page
    minimum: int | None = 0      # bounds of the number(s) of numeric types
    maximum: int | None = None

    @property
    def group(self) -> str:
        return self.key.split(".", 1)[0]

    def parse(self, text: str) -> Any:
        """The typed value of ``text``, or InvalidValue with a message for the user."""
        value = self.type.parse(text)
        for number in self.type.numbers(value) if self.type.numbers else ():
            if (self.minimum is not None and number < self.minimum) or \
                    (self.upper is not None and number > self.upper):
                raise InvalidValue(self._bounds_message())
        return value

    @property
    def language(self) -> str:
        """The language a text setting is written in; "" for numbers, days and codes.

        "en" for a key ending in ``_en``, else "vi" (the province's letters and notices).
        """
        if self.type.name != "text":
            return ""
        return "en" if self.key.endswith("_en") else "vi"

    @property
    def upper(self) -> int | None:
        """The largest number allowed: the declared maximum, within the type's own."""
        bounds = [b for b in (self.maximum, self.type.maximum) if b is not None]
        return min(bounds) if bounds else None

    def format(self, value: Any) -> str:
        return self.type.format(value)

    def _bounds_message(self) -> str:
        if self.upper is None:
            return _("Enter a number of at least %(low)d.", low=self.minimum)
        if self.minimum is None:
            return _("Enter a number of at most %(high)d.", high=self.upper)
        return _("Enter a number from %(low)d to %(high)d.", low=self.minimum, high=self.upper)


def group(key: str, label) -> str:
    """Declare a group of settings (a section of the admin page); returns ``key``.

    Features may share a group: the first declaration's label and position hold.
    """
    GROUPS.setdefault(key, label)
    return key


def define(key: str, label, type: ValueType, default: Any, **details) -> Setting:
    """Declare a setting at import time of the module that uses it; returns its definition.

    The key's first part names a declared group. The default must survive its own
    format and parse, so a declaration that could never be stored fails at import.
    """
    if not _KEY.fullmatch(key):
        raise ValueError(f"setting key {key!r} is not '<group>.<name>' in lower case")
    if key in SETTINGS:
        raise ValueError(f"setting {key!r} is declared twice")
    definition = Setting(key, label, type, default, **details)
    if definition.group not in GROUPS:
        raise ValueError(f"setting {key!r}: declare its group with group() first")
    if definition.parse(definition.format(default)) != default:
        raise ValueError(f"setting {key!r}: the default does not survive format and parse")
    SETTINGS[key] = definition
    return definition


def get(key: str) -> Setting:
    try:
        return SETTINGS[key]
    except KeyError:
        raise LookupError(f"unknown setting {key!r}: declare it with define()") from None


def by_group() -> list[tuple[str, Any, list[Setting]]]:
    """(group key, label, its settings in declaration order) for every group with settings."""
    return [(key, label, [s for s in SETTINGS.values() if s.group == key])
            for key, label in GROUPS.items() if any(s.group == key for s in SETTINGS.values())]
