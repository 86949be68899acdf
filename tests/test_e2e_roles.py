"""Each role's main job, walked in headless Chromium at 375 px and 1366 px, in Vietnamese and English.

Issue 16's "done when": every demo role does its everyday job end to end through the interface
(the menu, links, forms and buttons a person uses), in both languages, on a phone and on a desk,
and reaches a visible result the test asserts. Every page reached on the way is checked with
``tests/e2e_checks.py``: it does not scroll sideways, its ``lang`` is the locale, a Vietnamese
page holds no English interface text, an English page none of the catalog's Vietnamese, and no
page shows a raw value (an enum value such as ``delegation_in``, a time-zone id, an ISO date, a
time with seconds, ``None``/``True``/``False``, a Python repr, a template placeholder).

Text shown raw on purpose (a feed address, a unit's code, a token, a setting's key) is put in
``<code>`` or an element with ``translate="no"``; those, form field values, and URLs and e-mail
addresses in the text are left out of the checks (see ``tests/e2e_checks.py``).

The language is chosen with the header's language switch and switched back at the end (the
live database is shared by the browser tests). Each walk arranges its own event, briefing or
note with a unique name, so the walks do not depend on their order.
"""
import re
import secrets
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.checklists.models import ChecklistItem, ResponsibleRole
from app.events.models import (
    Delegation,
    DelegationDirection,
    DelegationMember,
    Event,
    EventKind,
    EventStatus,
    Visibility,
)
from app.events.signals import event_saved
from app.extensions import db
from app.press.models import Briefing, BriefingStatus
from app.spokespeople import notes
from app.spokespeople.models import (
    AssignmentRole,
    AssignmentStatus,
    SpokespersonAssignment,
)
from app.timeutil import utcnow
from app.units.models import Unit
from tests.e2e_checks import problems

pytestmark = pytest.mark.browser

VIEWPORTS = {"375": {"width": 375, "height": 812}, "1366": {"width": 1366, "height": 900}}
WALKS = pytest.mark.parametrize("locale", ["vi", "en"])
SIZES = pytest.mark.parametrize("size", list(VIEWPORTS))


class Walk:
    """One person's session in the browser; ``check`` after each page reached.

    Leaving the ``with`` block switches the language back, then asserts that no page reached
    had a problem (all of them listed, by step and address).
    """

    def __init__(self, browser, base: str, size: str, locale: str, email: str):
        self.base, self.size, self.locale, self.email = base, size, locale, email
        phone = size == "375"
        self.context = browser.new_context(
            locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=VIEWPORTS[size],
            is_mobile=phone, has_touch=phone)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.found: dict[str, object] = {}
        self.original = "vi"

    def __enter__(self):
        page = self.page
        page.goto(self.base + "/login")
        page.fill("input[name=email]", self.email)
        page.fill("input[name=password]", "demo")
        page.click("button[type=submit].primary")
        page.wait_for_selector("[data-testid=logout]", state="attached")
        self.original = page.get_attribute("button[name=locale][aria-pressed=true]", "value")
        self.switch(self.locale)
        self.check("dashboard")
        return self

    def __exit__(self, exc_type, *_exc):
        try:
            self.switch(self.original)  # the live database is shared: the account as it was
        finally:
            self.context.close()
        if exc_type is None:
            assert self.found == {}, f"{self.email} at {self.size} px in {self.locale}: {self.found}"

    def t(self, vi: str, en: str) -> str:
        """The text a person expects in the walk's language."""
        return vi if self.locale == "vi" else en

    def open_menu(self) -> None:
        """On a phone the header is a menu button: open it."""
        toggle = self.page.locator("[data-testid=menu-toggle]")
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
            # The button works once static/js/menu.js has run (DOMContentLoaded).
            self.page.wait_for_selector("body.has-menu", state="attached")
            toggle.click()
            self.page.locator(".topbar .tools").wait_for(state="visible")

    def switch(self, locale: str) -> None:
        """Choose the language with the header's switch."""
        if self.page.get_attribute("html", "lang") == locale:
            return
        self.open_menu()
        with self.page.expect_navigation():
            self.page.click(f"button[name=locale][value={locale}]")
        assert self.page.get_attribute("html", "lang") == locale

    def menu(self, path: str, step: str) -> None:
        """Follow the menu entry (main or tools) leading to ``path``."""
        self.open_menu()
        with self.page.expect_navigation():
            self.page.locator(f".mainnav a[href='{path}'], .toolsnav a[href='{path}']").first.click()
        self.check(step)

    def click(self, target, step: str) -> None:
        """Click something that loads a page, then check it."""
        locator = self.page.locator(target) if isinstance(target, str) else target
        with self.page.expect_navigation():
            locator.click()
        self.check(step)

    def check(self, step: str) -> None:
        self.page.wait_for_load_state()
        found = problems(self.page, self.locale)
        if found:
            self.found[f"{step} ({self.page.url.removeprefix(self.base)})"] = found

    def save(self, button: str, step: str) -> None:
        """Save a form of the events; a clash (a holiday, a busy host) is overridden.

        With a reason, as the officer would after reading it.
        """
        self.click(button, step)
        if self.page.locator("[data-testid=clashes]").count():
            self.page.check("input[name=override]")
            self.page.fill("textarea[name=override_reason]", "Lãnh đạo tỉnh đã thống nhất lịch")
            self.click(button, f"{step}, clash overridden")

    def flash(self) -> str:
        return self.page.locator(".flash").first.inner_text()


@pytest.fixture
def walk(browser, live_server):
    """A factory of walks (a size, a locale, an e-mail), each used in a ``with`` block."""
    return lambda size, locale, email: Walk(browser, str(live_server), size, locale, email)


def _tag(size, locale) -> str:
    return f"{size}-{locale}-{secrets.token_hex(2)}"


def _unit(slug: str) -> Unit:
    return db.session.scalar(sa.select(Unit).where(Unit.slug == slug))


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _event(title: str, lead: str, *, days: int = 30, coordinating=(), sensitive=False,
           visibility=Visibility.INTERNAL, delegation: Delegation | None = None) -> Event:
    """A planned event in the live database, with its checklist generated."""
    start = (utcnow() + timedelta(days=days)).replace(hour=1, minute=0, second=0, microsecond=0)
    event = Event(title_vi=title, title_en=title, kind=EventKind.DELEGATION_IN,
                  status=EventStatus.PLANNED, visibility=visibility, is_sensitive=sensitive,
                  starts_at=start, ends_at=start + timedelta(hours=8), lead_unit=_unit(lead),
                  timezone="Asia/Ho_Chi_Minh", delegation=delegation)
    event.coordinating_units = [_unit(slug) for slug in coordinating]
    db.session.add(event)
    db.session.flush()
    event_saved.send(event, actor=None, changes={"status": (None, "planned")}, created=True)
    db.session.commit()
    return event


def _briefing(title: str) -> Briefing:
    """A briefing of a sensitive event led by the People's Committee.

    The demo spokesperson is assigned and has accepted.
    """
    event = _event(f"Sự kiện của {title}", "ubnd-tinh", days=45, sensitive=True)
    briefing = Briefing(event=event, title_vi=title, title_en=title,
                        starts_at=event.starts_at - timedelta(days=1),
                        ends_at=event.starts_at - timedelta(days=1, hours=-1),
                        status=BriefingStatus.SCHEDULED)
    speaker = _user("spokesperson@demo.example")
    db.session.add_all([briefing, SpokespersonAssignment(
        briefing=briefing, user=speaker, unit=_unit("ubnd-tinh"), role=AssignmentRole.LEAD,
        status=AssignmentStatus.ACCEPTED)])
    db.session.commit()
    return briefing


# --- protocol: create a delegation visit, plan it, add its programme, move it -----------

@SIZES
@WALKS
def test_protocol_creates_plans_and_moves_a_visit(walk, live_server, size, locale):
    title = f"Đón đoàn tỉnh Champasak {_tag(size, locale)}"
    with walk(size, locale, "protocol@demo.example") as w:
        page = w.page
        w.menu("/events/", "events")
        w.click(page.locator("main a[href='/events/new']").first, "new event")
        w.click("button[type=submit].primary", "new event refused without a title")
        assert page.locator(".error").count() >= 1
        page.fill("input[name=title_vi]", title)
        page.select_option("select[name=kind]", "delegation_in")
        day = (utcnow() + timedelta(days=60)).date()
        day += timedelta(days=(1 - day.weekday()) % 7)  # a Tuesday
        page.fill("input[name=start_date]", day.isoformat())
        page.fill("input[name=start_time]", "08:00")
        page.fill("input[name=end_date]", day.isoformat())
        page.fill("input[name=end_time]", "17:00")
        page.select_option("select[name=country]", "LA")
        page.fill("input[name=locality]", "Champasak")
        w.save("button[type=submit].primary", "event created")
        assert page.locator("h1").inner_text() == title
        event_url = page.url

        # The delegation: its arrival the evening before, its head.
        w.click(page.locator(".pagehead a[href$='/delegation']"), "delegation")
        page.fill("input[name=arrival_date]", (day - timedelta(days=1)).isoformat())
        page.fill("input[name=arrival_time]", "16:00")
        page.fill("input[name=border_gate]", "Cửa khẩu quốc tế Bờ Y")
        w.click("button[type=submit].primary", "delegation saved")
        page.fill("input[name=name]", "Ông Vilay Phommachanh")
        page.check("input[name=is_head]")
        w.click(page.locator("form[action$='/members'] button[type=submit]"), "member added")
        assert "Vilay Phommachanh" in page.locator("main").inner_text()
        page.goto(event_url)

        # The programme: one item on the day.
        w.click(page.locator(".pagehead a[href$='/programme']"), "programme")
        page.fill("input[name=day]", day.isoformat())
        page.fill("input[name=start_time]", "09:00")
        page.fill("input[name=end_time]", "10:30")
        page.fill("input[name=activity_vi]", "Hội đàm giữa lãnh đạo hai tỉnh")
        w.save("button[type=submit].primary", "programme item added")
        assert "Hội đàm giữa lãnh đạo hai tỉnh" in page.locator("main").inner_text()

        # Planned: the checklist is generated.
        page.goto(event_url)
        w.check("event")
        page.select_option("select[name=status]", "planned")
        w.click(page.locator("form[action$='/status'] button[type=submit]"), "planned")
        assert page.locator("[data-testid=checklist-panel] tr").count() > 1
        w.click(page.locator("[data-testid=checklist-panel] a[href*='/checklists/']").first,
                "checklist item")
        page.goto(event_url)

        # The press conference proposed for a delegation's visit, created; its spokespeople.
        w.click(page.locator("[data-testid=briefing-proposals] a.button").first, "new briefing")
        w.click("main form button[type=submit].primary", "briefing created")
        w.click(page.locator("main a[href*='/spokespeople/briefings/']").first, "spokespeople")
        assert page.locator("[data-testid=assign-form]").count() == 1
        page.goto(event_url)

        # Moved a week later through the preview, the programme and the arrival with it.
        w.click(page.locator(".pagehead a[href$='/edit']"), "edit")
        later = day + timedelta(days=7)
        page.fill("input[name=start_date]", later.isoformat())
        page.fill("input[name=end_date]", later.isoformat())
        w.click("button[type=submit].primary", "reschedule preview")
        moving = page.locator("[data-testid=reschedule-items]").inner_text()
        assert "Hội đàm giữa lãnh đạo hai tỉnh" in moving
        assert w.t("Thời gian đến", "Arrival") in moving
        w.save("[data-testid=reschedule-confirm]", "moved")
        assert page.url == event_url
        assert w.flash() == w.t("Đã lưu thay đổi.", "Changes saved.")
        assert str(later.day) in page.locator("[data-testid=programme] time").first.inner_text()


# --- focal point: find the task waiting for the unit, provide the information ------------

@SIZES
@WALKS
def test_focal_point_provides_information_for_a_task(walk, live_server, live_db, size, locale):
    title = f"Hội chợ thương mại Việt - Lào {_tag(size, locale)}"
    event = _event(title, "so-ngoai-vu", coordinating=["so-vhttdl"])
    provide = db.session.scalars(sa.select(ChecklistItem).where(
        ChecklistItem.event_id == event.id,
        ChecklistItem.role == ResponsibleRole.COORDINATING_UNIT)).first()
    assert provide is not None
    assert provide.requires_submission
    with walk(size, locale, "focal@demo.example") as w:
        page = w.page
        w.menu("/tasks", "my tasks")
        page.fill("[data-testid=tasks-filters] input[name=q]", title)
        w.click("[data-testid=tasks-filters] button[type=submit]", "tasks of the event")
        row = page.locator(f"tr[data-event='{event.id}'][data-item='{provide.key}']")
        w.click(row.locator("a").first, "task")
        page.fill("textarea[name=text]", "Danh sách doanh nghiệp tham gia và gian hàng.")
        w.click("[data-testid=submit]", "submitted")
        assert page.locator(".flash-success").count() == 1
        assert "Danh sách doanh nghiệp tham gia" in page.locator(
            "[data-testid=submission]").inner_text()


# --- spokesperson: open the assigned briefing, write the note, submit it ----------------

@SIZES
@WALKS
def test_spokesperson_writes_and_submits_a_briefing_note(walk, live_server, live_db, size,
                                                        locale):
    title = f"Họp báo về hội chợ biên giới {_tag(size, locale)}"
    _briefing(title)
    with walk(size, locale, "spokesperson@demo.example") as w:
        page = w.page
        panel = page.locator("[data-testid=my-briefing-assignments] li", has_text=title)
        w.click(panel.locator("a").first, "briefing")
        w.click(page.locator("form button.link", has_text=w.t(
            "Bắt đầu soạn đề cương phát ngôn", "Start the briefing note")), "note started")
        if not re.search(r"/notes/\d+/edit", page.url):
            w.click("[data-testid=edit-note]", "note form")
        page.fill("textarea[name=key_messages_vi]", "Tỉnh tạo điều kiện cho doanh nghiệp hai bên.")
        page.fill("textarea[name=answers-0-question_vi]", "Hội chợ có bao nhiêu gian hàng?")
        page.fill("textarea[name=answers-0-answer_vi]", "Khoảng hai trăm gian hàng.")
        w.click("[data-testid=save-note]", "note saved")
        w.click("[data-testid=submit-note]", "note submitted")
        assert page.locator("[data-testid=note-status]").inner_text().startswith(
            w.t("Đã trình duyệt", "Submitted"))


# --- steering: the submitted note in the bell, approved ---------------------------------

@SIZES
@WALKS
def test_steering_approves_a_note_from_the_bell(walk, live_server, live_db, size, locale):
    title = f"Họp báo về cửa khẩu Bờ Y {_tag(size, locale)}"
    briefing = _briefing(title)
    speaker = _user("spokesperson@demo.example")
    note = notes.start_note(speaker, briefing)
    version = notes.save_version(speaker, note, 0, notes.NoteContent(
        key_messages_vi="Cửa khẩu mở cửa thông thương bình thường."))
    notes.submit(speaker, note, version.number)
    db.session.commit()
    event_title = briefing.event.title_vi
    with walk(size, locale, "steering@demo.example") as w:
        page = w.page
        w.open_menu()
        w.click("[data-testid=bell]", "notifications")
        entry = page.locator("li.notification", has_text=event_title)
        w.click(entry.locator("button[name=open]"), "note")
        w.click("[data-testid=approve]", "approved")
        assert page.locator("[data-testid=note-status]").inner_text().startswith(
            w.t("Đã duyệt", "Approved"))


# --- press liaison: a named feed of one event, its address to copy ----------------------

@SIZES
@WALKS
def test_press_liaison_creates_a_feed_of_one_event(walk, live_server, live_db, size, locale):
    title = f"Đón đoàn tỉnh Salavan {_tag(size, locale)}"
    _event(title, "so-vhttdl", days=20, visibility=Visibility.PUBLIC)
    with walk(size, locale, "liaison@demo.example") as w:
        page = w.page
        w.menu("/feeds/", "feeds")
        w.click("[data-testid=new-feed]", "new feed")
        page.fill("input[name=name]", f"Lịch đoàn Salavan {size} {locale}")
        search = page.locator("input[name=event_search]")
        search.press_sequentially(title[:24] + " " + title.split()[-1], delay=20)
        option = page.locator(f"#event-choices option[value*='{title.split()[-1]}']")
        option.wait_for(state="attached")
        search.fill(option.get_attribute("value"))
        page.wait_for_function("document.getElementById('delegation_event_id').value !== ''")
        w.click("[data-testid=save-feed]", "feed created")
        assert page.locator("[data-testid=feed-url]").input_value().startswith("http")
        copy = page.locator("[data-testid=copy-feed-url]")
        assert copy.is_visible()


# --- viewer: the calendar, an internal delegation's event press-safe ---------------------

@SIZES
@WALKS
def test_viewer_sees_an_internal_visit_press_safe(walk, live_server, live_db, size, locale):
    title = f"Đón đoàn tỉnh Sekong {_tag(size, locale)}"
    delegation = Delegation(direction=DelegationDirection.INCOMING, country="LA",
                            locality="Sekong", interpreters="Phiên dịch Nguyễn Văn Bình",
                            logistics="Xe hộ tống từ cửa khẩu", languages="Tiếng Lào")
    delegation.members = [DelegationMember(name="Ông Khamla Phommavong", title="Phó Tỉnh trưởng",
                                           is_head=True)]
    event = _event(title, "so-ngoai-vu", days=2, delegation=delegation)
    with walk(size, locale, "viewer@demo.example") as w:
        page = w.page
        w.menu("/calendar", "calendar")
        w.click(page.locator(".calendar-head a.button[href*='view=agenda']"), "agenda")
        link = page.locator(f"main a[href$='/events/{event.id}']:visible").first
        if not link.count():
            w.click(".calendar-head a[rel=next]", "agenda next")
            link = page.locator(f"main a[href$='/events/{event.id}']:visible").first
        w.click(link, "event")
        assert page.locator("h1").inner_text() == title
        shown = page.locator("main").inner_text()
        assert page.locator("[data-testid=press-safe]").is_visible()
        for secret in ("Khamla", "Phiên dịch Nguyễn Văn Bình", "Xe hộ tống"):
            assert secret not in shown


# --- admin: a focal-point user needs a unit; the audit page filtered ---------------------

@SIZES
@WALKS
def test_admin_creates_a_focal_point_and_reads_the_audit(walk, live_server, size, locale):
    tag = _tag(size, locale)
    with walk(size, locale, "admin@demo.example") as w:
        page = w.page
        w.menu("/admin/users/", "users")
        w.click(page.locator("main a[href$='/admin/users/new']").first, "new user")
        page.fill("input[name=email]", f"dau-moi-{tag}@example.com")
        page.fill("input[name=name]", f"Đầu mối {tag}")
        page.check("input[name=roles][value=focal]")
        page.fill("input[name=password]", "mat-khau-dai-1")
        unit = page.locator("select[name=unit_id]")
        units = unit.locator("option").evaluate_all("os => os.map(o => o.value)")
        if "0" in units or "" in units:  # no unit chosen: refused for a focal point
            unit.select_option(units[0])
            w.click("button[type=submit].primary", "refused without a unit")
            assert page.locator(".error").count() >= 1
            page.fill("input[name=password]", "mat-khau-dai-1")  # never sent back
        unit.select_option(unit.locator("option", has_text=re.compile("Ngoại vụ|Foreign Affairs"))
                           .first.get_attribute("value"))
        w.click("button[type=submit].primary", "user created")
        assert page.locator(".flash-success").count() == 1
        assert f"dau-moi-{tag}@example.com" in page.locator("main").inner_text()

        w.menu("/admin/audit", "audit")
        page.select_option(".filters select[name=kind]", index=1)
        w.click(".filters button[type=submit]", "audit filtered")
        assert page.locator("[data-testid=audit] tbody tr").count() >= 1
