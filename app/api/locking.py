"""Optimistic locking over HTTP: ETags of row versions, If-Match on writes (428, 412)."""
from collections.abc import Callable

from flask import request

from app.api import problems
from app.api.problems import Refused
from app.i18n import _


def etag(kind: str, row_id: int, version: int) -> str:
    return f'"{kind}{row_id}.{version}"'


def check_if_match(current: str, stale: Callable[[], Refused]) -> None:
    """The write's If-Match must name ``current``: 428 when missing (or ``*``), else ``stale()``."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise Refused(problems.problem(428, _("Send If-Match with the ETag of your last GET of "
                                              "this resource.")))
    if current not in [tag.strip() for tag in header.split(",")]:
        raise stale()


IF_MATCH = [{"in": "header", "name": "If-Match", "required": True,
             "description": "The ETag of the resource's last GET", "schema": {"type": "string"}}]
