"""Cursors of the API's lists: the last row's ``(moment, id)``, opaque to the caller.

A page seeks past the cursor on the list's index (no OFFSET), so the last page of a long
list costs what the first does.
"""
import base64
import binascii
from datetime import UTC, datetime

from app.api import problems
from app.api.problems import Refused
from app.i18n import _
from app.inputs import INT_MAX


def encode(moment: datetime, row_id: int) -> str:
    raw = f"{moment.astimezone(UTC).isoformat()}|{row_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> tuple[datetime, int]:
    """``(moment, id)``, or a 422 problem for a cursor this API did not give."""
    try:
        text, _sep, number = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)) \
            .decode().partition("|")
        moment, row_id = datetime.fromisoformat(text), int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        moment, row_id = None, -1
    if moment is None or moment.tzinfo is None or not 0 < row_id <= INT_MAX \
            or not 2000 <= moment.year <= 2100:
        raise Refused(problems.problem(422, _("This cursor is not valid: use next_cursor as "
                                              "given."), errors=[{"field": "cursor",
                                                                  "message": _("Not valid.")}]))
    return moment, row_id
