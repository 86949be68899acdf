"""One-time form tokens: a form that creates something creates it once.

A create form carries a random token (``FormTokenField``), issued when the form is shown.
Its POST claims the token in the database, by inserting its SHA-256 in the same
transaction as what it creates, so the claim and the creation commit together or not at
all. A second POST of the same form (a double click, a browser retry, another worker or
host) finds the token taken: on PostgreSQL its INSERT waits for the first transaction and
then does nothing; SQLite has one writer at a time. It is then sent to what the first POST
created (``AlreadyDone``) instead of creating it again.
"""
import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import HiddenField

from app.errors import AlreadyDone, ValidationFailed
from app.extensions import Model, db, insert_ignoring_conflicts
from app.i18n import _
from app.timeutil import UTCDateTime, utcnow

T = TypeVar("T")
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


class FormToken(Model):
    """A claimed form token and where to find what its POST created.

    Only the token's hash is stored, never the token.
    """

    __tablename__ = "form_tokens"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    purpose: Mapped[str] = mapped_column(sa.String(30))
    result_url: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def issue() -> str:
    return secrets.token_urlsafe(32)


def well_formed(token) -> bool:
    return isinstance(token, str) and TOKEN.fullmatch(token) is not None


class FormTokenField(HiddenField):
    """The create form's token: the one it was sent with, else a fresh one.

    Fresh on the form's first display, and after a form sent without a valid one.
    """

    def _value(self) -> str:
        if not well_formed(self.data):
            self.data: str = issue()
        return self.data


def _expired() -> ValidationFailed:
    return ValidationFailed(_("This form has expired. Your input is kept below: send it again."))


def once(token, user, purpose: str, create: Callable[[], T], url_of: Callable[[T], str]) -> T:
    """Run ``create`` unless ``user`` already sent this form (``token``) for ``purpose``.

    A repeat raises ``AlreadyDone`` with the URL ``url_of`` gave for the first result. A
    missing, malformed or foreign token is refused (ValidationFailed; the form then shows a
    fresh one). Claims the token before creating anything; flushes, the caller commits (or
    rolls back, which frees the token for another try).
    """
    if not well_formed(token):
        raise _expired()
    digest = hashlib.sha256(token.encode("ascii")).hexdigest()
    table = FormToken.__table__
    claimed = db.session.execute(
        insert_ignoring_conflicts(table)
        .values(token_hash=digest, user_id=user.id, purpose=purpose, result_url="",
                created_at=utcnow())
        .on_conflict_do_nothing().returning(table.c.token_hash)).scalar()
    if claimed is None:
        first = db.session.get(FormToken, digest)
        if first is not None and (first.user_id, first.purpose) == (user.id, purpose) \
                and first.result_url:
            raise AlreadyDone(first.result_url)
        raise _expired()
    result = create()
    db.session.execute(sa.update(FormToken).where(FormToken.token_hash == digest)
                       .values(result_url=url_of(result)))
    return result
