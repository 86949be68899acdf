"""Press briefings (họp báo) of events."""
import re
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.events.models import Event, EventKind, Venue, Visibility
from app.extensions import Model, Searchable, db, enum_type
from app.i18n import _l
from app.timeutil import UTCDateTime, utcnow


class BriefingStatus(StrEnum):
    PROPOSED = "proposed"    # suggested by the checklist, not yet agreed
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


BRIEFING_STATUS_LABELS = {
    BriefingStatus.PROPOSED: _l("Proposed"),
    BriefingStatus.SCHEDULED: _l("Scheduled"),
    BriefingStatus.HELD: _l("Held"),
    BriefingStatus.CANCELLED: _l("Cancelled"),
}


class BriefingKind(StrEnum):
    """What a briefing is for (the defaults per event kind propose these)."""

    PRE_EVENT = "pre_event"                    # pre-event press conference
    RESULTS = "results"                        # results briefing after the event
    JOINT_AVAILABILITY = "joint_availability"  # joint press availability (a signing)
    RELEASE_ONLY = "release_only"              # a press release, no conference
    JOINT_RELEASE = "joint_release"            # bilingual joint release with the partner


BRIEFING_KIND_LABELS = {
    BriefingKind.PRE_EVENT: _l("Pre-event press conference"),
    BriefingKind.RESULTS: _l("Results briefing"),
    BriefingKind.JOINT_AVAILABILITY: _l("Joint press availability"),
    BriefingKind.RELEASE_ONLY: _l("Press release only"),
    BriefingKind.JOINT_RELEASE: _l("Bilingual joint release"),
}

# Kinds that must take place before the event starts (a later time is refused).
BEFORE_EVENT_KINDS = frozenset({BriefingKind.PRE_EVENT})


class PressForm(StrEnum):
    """The six forms of informing the press (Decree 09/2017/NĐ-CP Art. 4; DOMAIN.md rule 4)."""

    PRESS_CONFERENCE = "press_conference"
    PORTAL = "portal"                    # the portal or official social media
    STATEMENT = "statement"              # a statement or an interview
    RELEASE = "release"                  # a press release or a written answer by letter/e-mail
    PRESS_BRIEFING = "press_briefing"    # press briefings (giao ban báo chí)
    WRITTEN_REQUEST = "written_request"  # a written request for a response or correction


PRESS_FORM_LABELS = {
    PressForm.PRESS_CONFERENCE: _l("Press conference"),
    PressForm.PORTAL: _l("Portal or official social media"),
    PressForm.STATEMENT: _l("Statement or interview"),
    PressForm.RELEASE: _l("Press release or written answer"),
    PressForm.PRESS_BRIEFING: _l("Press briefing"),
    PressForm.WRITTEN_REQUEST: _l("Written request for a response or correction"),
}


class Anchor(StrEnum):
    START = "start"
    END = "end"


ANCHOR_LABELS = {Anchor.START: _l("the event's start"), Anchor.END: _l("the event's end")}


class BriefingDefault(Model):
    """Which briefing an event kind proposes, when, and in which form (rules as data).

    Admins edit them at ``/admin/briefing-defaults``. ``required`` marks the briefing an
    event of that kind must have before it starts (``app.press.briefed``).
    """

    __tablename__ = "briefing_defaults"
    __table_args__ = (
        sa.UniqueConstraint("event_kind", "briefing_kind", name="uq_briefing_defaults_kinds"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_kind: Mapped[EventKind] = mapped_column(enum_type(EventKind))
    briefing_kind: Mapped[BriefingKind] = mapped_column(enum_type(BriefingKind))
    form: Mapped[PressForm] = mapped_column(enum_type(PressForm))
    # Calendar days from the anchor (negative: before); the hour is press.proposed_start.
    offset_days: Mapped[int] = mapped_column(default=0)
    anchor: Mapped[Anchor] = mapped_column(enum_type(Anchor), default=Anchor.START)
    bilingual: Mapped[bool] = mapped_column(default=False)
    required: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    legal_basis: Mapped[str] = mapped_column(sa.String(300), default="")
    legal_verified: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class OutletScope(StrEnum):
    DOMESTIC = "domestic"
    FOREIGN = "foreign"


OUTLET_SCOPE_LABELS = {
    OutletScope.DOMESTIC: _l("Domestic"),
    OutletScope.FOREIGN: _l("Foreign"),
}


class InvitationStatus(StrEnum):
    """An invited outlet's answer and presence (tracked per briefing and outlet)."""

    INVITED = "invited"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    ATTENDED = "attended"


INVITATION_STATUS_LABELS = {
    InvitationStatus.INVITED: _l("Invited"),
    InvitationStatus.CONFIRMED: _l("Confirmed"),
    InvitationStatus.DECLINED: _l("Declined"),
    InvitationStatus.ATTENDED: _l("Attended"),
}

EMAIL_PATTERN = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# The languages an outlet's e-mail can be written in (the app's own).
MAIL_LANGUAGES = ("vi", "en")


class PressOutlet(Searchable, Model):
    """A newspaper, broadcaster or agency the province invites to its briefings."""

    __tablename__ = "press_outlets"
    SEARCH_FIELDS = ("name", "contact")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    scope: Mapped[OutletScope] = mapped_column(enum_type(OutletScope), default=OutletScope.DOMESTIC)
    contact: Mapped[str] = mapped_column(sa.String(300), default="")
    languages: Mapped[str] = mapped_column(sa.String(100), default="vi")
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def email(self) -> str:
        """The first e-mail address in ``contact`` ("" when there is none)."""
        found = EMAIL_PATTERN.search(self.contact or "")
        return found.group(0) if found else ""

    @property
    def mail_locale(self) -> str:
        """The outlet's first listed language the app writes (vi, en), else English abroad."""
        for code in re.split(r"[,;\s]+", (self.languages or "").lower()):
            if code in MAIL_LANGUAGES:
                return code
        return "en" if self.scope is OutletScope.FOREIGN else "vi"


briefing_outlets = sa.Table(
    "briefing_outlets", db.metadata,
    sa.Column("briefing_id", sa.ForeignKey("briefings.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("outlet_id", sa.ForeignKey("press_outlets.id"), primary_key=True, index=True),
    # Invited / confirmed / declined / attended (InvitationStatus values).
    sa.Column("status", sa.String(20), nullable=False, default=InvitationStatus.INVITED.value,
              server_default=InvitationStatus.INVITED.value),
    sa.Column("invited_at", UTCDateTime, default=utcnow),
)


class Briefing(Searchable, Model):
    """A press conference about an event; visible to whoever may see the event."""

    __tablename__ = "briefings"
    # Not the release: it stays hidden outside the event's units until its embargo ends.
    SEARCH_FIELDS = ("title_vi", "title_en", "location", "chair")
    __table_args__ = (
        sa.Index("ix_briefings_starts_at", "starts_at"),
        sa.CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        # At most one briefing proposed per checklist template and event.
        sa.UniqueConstraint("event_id", "checklist_key", name="uq_briefings_event_checklist_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title_vi: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Ho_Chi_Minh")
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id"))
    location: Mapped[str] = mapped_column(sa.String(300), default="")
    status: Mapped[BriefingStatus] = mapped_column(enum_type(BriefingStatus),
                                                   default=BriefingStatus.PROPOSED)
    kind: Mapped[BriefingKind] = mapped_column(enum_type(BriefingKind), default=BriefingKind.PRE_EVENT,
                                               server_default=BriefingKind.PRE_EVENT.value)
    form: Mapped[PressForm] = mapped_column(enum_type(PressForm), default=PressForm.PRESS_CONFERENCE,
                                            server_default=PressForm.PRESS_CONFERENCE.value)
    # PUBLIC briefings of public, non-sensitive events appear in the public feed.
    visibility: Mapped[Visibility] = mapped_column(enum_type(Visibility), default=Visibility.INTERNAL)
    version: Mapped[int] = mapped_column(default=1)
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Key of the checklist item that proposed it ("tpl:<id>"); NULL when made by hand.
    checklist_key: Mapped[str | None] = mapped_column(sa.String(100))
    # For the written notice to the press authority (Press Law Art. 41(3)).
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    chair: Mapped[str] = mapped_column(sa.String(300), default="")
    # Press release; hidden outside the event's units until the embargo ends.
    release_vi: Mapped[str] = mapped_column(sa.Text, default="")
    release_en: Mapped[str] = mapped_column(sa.Text, default="")
    release_embargo_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    venue: Mapped[Venue | None] = relationship()
    outlets: Mapped[list[PressOutlet]] = relationship(secondary=briefing_outlets,
                                                      order_by=PressOutlet.name)

    __mapper_args__ = {"version_id_col": version}

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_vi
