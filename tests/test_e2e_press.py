"""Issue 13's "done when", end to end in a real browser with a real SMTP server on loopback.

A protocol officer creates an incoming Lao delegation; its page proposes a pre-event briefing
and a joint release; the officer creates the briefing for the day before, invites a domestic
and a foreign outlet, assigns the lead unit's head (not designated) as speaker, reschedules
the briefing and writes a release under embargo. ``reminders send`` (run here against the
server's database) e-mails each outlet one invitation with the .ics, one update, and the
release only once the embargo has passed.
"""
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from icalendar import Calendar

from app import create_app
from app.auth.models import User
from app.auth.roles import Role
from app.extensions import db
from app.notifications import sending
from app.press.models import PressOutlet
from app.units.models import Unit
from tests.fixtures_reminders import RecordingHandler
from tests.helpers import free_port

pytestmark = pytest.mark.browser

TITLE = "Đón Đoàn đại biểu tỉnh Luang Prabang (Lào)"
DAY = "2027-06-16"  # a Wednesday, no holiday in Viet Nam or Laos
DOMESTIC, FOREIGN = "toasoan@baoquangngai.example", "news@vientianetimes.example"


def _app(database_url: str, **config):
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                       "SECRET_KEY": "e2e", **config})


def _set_up(database_url: str) -> dict:
    """A head of the Dept. of Industry and Trade who is not a designated spokesperson."""
    app = _app(database_url)
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.slug == "so-cong-thuong"))
        head = db.session.scalar(sa.select(User).where(User.email == "head.congthuong@e2e.example"))
        if head is None:
            head = User(email="head.congthuong@e2e.example", name="Trịnh Văn Khải",
                        title="Giám đốc Sở Công Thương", role_rows=[], unit=unit, is_unit_head=True)
            head.roles = {Role.VIEWER}
            head.set_password("demo")
            db.session.add(head)
            db.session.commit()
        outlets = {o.name: o.id for o in db.session.scalars(sa.select(PressOutlet))}
        ids = {"head": head.id, "unit": unit.id, "domestic": outlets["Báo Quảng Ngãi"],
               "foreign": outlets["Vientiane Times"]}
        db.session.remove()
        db.engine.dispose()
    return ids


def _send(database_url: str, base: str, port: int, now: datetime | None = None) -> None:
    """``reminders send`` against the live server's database, through the loopback SMTP server."""
    app = _app(database_url, BASE_URL=base, MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
               MAIL_USE_TLS=False, MAIL_USERNAME="", MAIL_PASSWORD="",
               MAIL_DEFAULT_SENDER="Briefing Desk <desk@example.gov.vn>")
    with app.app_context():
        sending.run(now)
        db.session.remove()
        db.engine.dispose()


def _ours(handler: RecordingHandler, address: str) -> list:
    return [m for m in handler.to(address) if "Luang Prabang" in m["Subject"]]


def test_a_lao_delegation_is_briefed_and_the_press_hears_in_time(live_server, page):
    ids = _set_up(live_server.database_url)
    base = str(live_server)
    handler = RecordingHandler()
    smtp = Controller(handler, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        _run(page, base, ids, handler, smtp.port, live_server.database_url)
    finally:
        smtp.stop()


def _run(page, base, ids, handler, port, database_url):
    page.goto(base + "/login")
    page.fill("input[name=email]", "protocol@demo.example")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit].primary")

    # The delegation, led by the Dept. of Industry and Trade.
    page.goto(base + "/events/new")
    page.fill("input[name=title_vi]", TITLE)
    page.select_option("select[name=kind]", "delegation_in")
    page.fill("input[name=start_date]", DAY)
    page.fill("input[name=start_time]", "08:00")
    page.fill("input[name=end_date]", DAY)
    page.fill("input[name=end_time]", "17:00")
    page.select_option("select[name=lead_unit_id]", str(ids["unit"]))
    page.select_option("select[name=country]", "LA")
    page.fill("input[name=locality]", "Luang Prabang")
    page.click("button[type=submit].primary")
    if page.locator("[data-testid=clashes]").count():
        page.check("input[name=override]")
        page.fill("textarea[name=override_reason]", "Đã thống nhất lịch")
        page.click("button[type=submit].primary")
    assert page.locator("h1").inner_text() == TITLE

    # The page proposes a pre-event briefing and a joint release; create the first by hand.
    panel = page.locator("[data-testid=press-panel]")
    assert panel.locator("[data-testid=proposal-pre_event]").count() == 1
    assert panel.locator("[data-testid=proposal-joint_release]").count() == 1
    panel.locator("[data-testid=proposal-pre_event] a").click()
    assert page.input_value("input[name=starts_at]") == "2027-06-15T09:00"  # the day before
    page.click("button[type=submit].primary")
    briefing_url = page.url
    assert "/briefings/" in briefing_url

    # Invite a domestic and a foreign outlet.
    page.click("[data-testid=invite-press]")
    page.check(f"input[name=outlet_ids][value='{ids['domestic']}']")
    page.check(f"input[name=outlet_ids][value='{ids['foreign']}']")
    page.click("button[type=submit].primary")
    invited = page.locator("[data-testid=invitations]").inner_text()
    assert "Báo Quảng Ngãi" in invited
    assert "Vientiane Times" in invited

    # The lead unit's head, not a designated spokesperson, is accepted as speaker.
    briefing_id = int(briefing_url.rstrip("/").rsplit("/", 1)[1])
    page.goto(f"{base}/spokespeople/briefings/{briefing_id}")
    form = page.locator("[data-testid=assign-form]")
    form.locator("select[name=user_id]").select_option(str(ids["head"]))
    form.locator("select[name=role]").select_option("lead")
    form.locator("button[type=submit]").click()
    assert "Trịnh Văn Khải" in page.locator("[data-testid=assignments]").inner_text()

    # Each outlet gets one invitation, in its language, with the briefing's .ics.
    _send(database_url, base, port)
    _send(database_url, base, port)
    domestic, foreign = _ours(handler, DOMESTIC), _ours(handler, FOREIGN)
    assert [m["Subject"].split(":")[0] for m in domestic] == ["Giấy mời họp báo"]
    assert [m["Subject"].split(":")[0] for m in foreign] == ["Invitation to a press conference"]
    ics = next(foreign[0].iter_attachments()).get_content()
    start = next(iter(Calendar.from_ical(ics).walk("VEVENT"))).decoded("DTSTART")
    assert start.astimezone(UTC) == datetime(2027, 6, 15, 2, 0, tzinfo=UTC)

    # Rescheduled: each outlet gets exactly one update.
    page.goto(briefing_url + "/edit")
    page.fill("input[name=starts_at]", "2027-06-14T14:00")
    page.fill("input[name=ends_at]", "2027-06-14T15:00")
    page.click("button[type=submit].primary")
    _send(database_url, base, port)
    _send(database_url, base, port)
    assert [m["Subject"].split(":")[0] for m in _ours(handler, DOMESTIC)] == [
        "Giấy mời họp báo", "Thay đổi"]
    assert [m["Subject"].split(":")[0] for m in _ours(handler, FOREIGN)] == [
        "Invitation to a press conference", "Changed"]

    # The release under embargo goes out only once the embargo has passed.
    page.goto(briefing_url + "/release")
    page.fill("textarea[name=release_vi]", "Thông cáo: tỉnh đón Đoàn Luang Prabang")
    page.fill("textarea[name=release_en]", "PRESS RELEASE: Luang Prabang delegation")
    page.fill("input[name=embargo_until]", "2027-06-14T16:00")
    page.click("button[type=submit].primary")
    _send(database_url, base, port)
    assert len(_ours(handler, FOREIGN)) == 2
    _send(database_url, base, port, now=datetime(2027, 6, 14, 8, 59, tzinfo=UTC))
    assert len(_ours(handler, FOREIGN)) == 2
    _send(database_url, base, port, now=datetime(2027, 6, 14, 9, 0, tzinfo=UTC))
    _send(database_url, base, port, now=datetime(2027, 6, 14, 9, 5, tzinfo=UTC))
    released = _ours(handler, FOREIGN)
    assert len(released) == 3
    assert "PRESS RELEASE: Luang Prabang delegation" in released[2].get_body(("plain",)).get_content()
    assert len(_ours(handler, DOMESTIC)) == 3
