"""Information provision: submit, accept, return; permissions and bad input."""
import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.checklists.models import (
    ChecklistItem,
    ChecklistStep,
    ChecklistSubmission,
    ItemStatus,
    StepAction,
    SubmissionAttachment,
)
from app.events.models import EventStatus
from app.extensions import db
from app.idempotency import issue
from tests.fixtures_checklists import provide_item
from tests.helpers import log_in, nothing_written

NOW = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)
PDF = b"%PDF-1.4 minimal"


@pytest.fixture(autouse=True)
def frozen(clock):
    clock(NOW)


def _version(item) -> str:
    """The item's version as its page shows it now (what the forms carry)."""
    return str(db.session.scalar(sa.select(ChecklistItem.version)
                                 .where(ChecklistItem.id == item.id)))


def _submit(client, item, text="Thông tin của đơn vị", files=()):
    data = {"text": text, "attachments": [(io.BytesIO(content), name) for name, content in files],
            "version": _version(item), "form_token": issue()}
    return client.post(f"/checklists/items/{item.id}/submit", data=data,
                       content_type="multipart/form-data")


def _review(client, item, action, comment=None):
    data = {"version": _version(item)}
    if comment is not None:
        data["comment"] = comment
    return client.post(f"/checklists/items/{item.id}/{action}", data=data)


def test_focal_point_submits_with_a_file_and_the_lead_unit_accepts(client, setting, uploads):
    item = provide_item(setting, setting.coord_a)
    log_in(client, setting.focal_a)
    assert "Cung cấp thông tin" in client.get("/tasks").get_data(as_text=True)
    response = _submit(client, item, files=[("bao-cao.pdf", PDF)])
    assert response.status_code == 302
    db.session.expire_all()
    assert item.status is ItemStatus.SUBMITTED
    submission = item.submissions[0]
    assert not submission.is_late
    assert submission.submitted_by_id == setting.focal_a.id
    attachment = submission.attachments[0]
    assert (uploads / attachment.stored_name).read_bytes() == PDF
    assert attachment.stored_name != "bao-cao.pdf"

    download = client.get(f"/checklists/attachments/{attachment.id}")
    assert download.status_code == 200
    assert download.data == PDF

    client.post("/logout")
    log_in(client, setting.lead_focal)
    assert _review(client, item, "accept", "Tốt").status_code == 302
    db.session.expire_all()
    assert item.status is ItemStatus.DONE
    assert item.completed_by_id == setting.lead_focal.id
    actions = [(s.action, s.actor_id) for s in item.steps]
    assert actions == [(StepAction.SUBMITTED, setting.focal_a.id),
                       (StepAction.ACCEPTED, setting.lead_focal.id)]


def test_return_needs_a_comment_and_reopens_the_item(client, setting, uploads):
    item = provide_item(setting, setting.coord_a)
    log_in(client, setting.focal_a)
    _submit(client, item)
    client.post("/logout")
    log_in(client, setting.protocol)
    refused = _review(client, item, "return", "")
    assert refused.status_code == 400
    assert "Say what is missing" in refused.get_data(as_text=True) or \
        "Nêu rõ" in refused.get_data(as_text=True)
    assert _review(client, item, "return", "Thiếu số liệu").status_code == 302
    db.session.expire_all()
    assert item.status is ItemStatus.RETURNED
    assert item.steps[-1].comment == "Thiếu số liệu"
    # The unit can submit again.
    client.post("/logout")
    log_in(client, setting.focal_a)
    assert _submit(client, item, text="Bổ sung").status_code == 302
    db.session.expire_all()
    assert item.status is ItemStatus.SUBMITTED
    assert len(item.submissions) == 2


def test_late_submission_is_accepted_and_marked_late(client, setting, uploads, clock):
    item = provide_item(setting, setting.coord_a)
    clock(item.due_at + timedelta(hours=1))
    log_in(client, setting.focal_a)
    assert _submit(client, item).status_code == 302
    db.session.expire_all()
    assert item.submissions[0].is_late


# --- denials ---------------------------------------------------------------------------

def test_focal_point_of_another_unit_may_neither_see_nor_submit(client, setting, uploads):
    item = provide_item(setting, setting.coord_a)
    log_in(client, setting.focal_b)
    assert client.get(f"/checklists/items/{item.id}").status_code == 403
    with nothing_written():
        assert _submit(client, item, files=[("bao-cao.pdf", PDF)]).status_code == 403
    assert not uploads.exists() or list(uploads.iterdir()) == []
    assert "Cung cấp thông tin" in client.get("/tasks").get_data(as_text=True)  # their own item
    db.session.expire_all()
    assert item.submissions == []
    assert item.status is ItemStatus.OPEN


def test_a_viewer_of_the_unit_may_not_submit(client, setting, uploads):
    item = provide_item(setting, setting.coord_a)
    log_in(client, setting.viewer_a)
    with nothing_written():
        assert _submit(client, item).status_code == 403


@pytest.mark.parametrize("who", ["focal_a", "focal_b", "focal_other", "viewer_a"])
def test_only_lead_unit_protocol_or_admin_accept_or_return(client, setting, uploads, who):
    item = provide_item(setting, setting.coord_a)
    log_in(client, setting.focal_a)
    _submit(client, item)
    client.post("/logout")
    log_in(client, getattr(setting, who))
    with nothing_written():
        assert _review(client, item, "accept").status_code in (403, 404)
        assert _review(client, item, "return", "x").status_code in (403, 404)
    db.session.expire_all()
    assert item.status is ItemStatus.SUBMITTED


@pytest.mark.parametrize("who", ["lead_focal", "protocol", "admin"])
def test_reviewers(client, setting, uploads, who):
    item = provide_item(setting, setting.coord_a)
    log_in(client, setting.focal_a)
    _submit(client, item)
    client.post("/logout")
    log_in(client, getattr(setting, who))
    assert _review(client, item, "accept").status_code == 302


def test_attachments_are_not_served_to_other_units(client, setting, uploads):
    item = provide_item(setting, setting.coord_a)
    log_in(client, setting.focal_a)
    _submit(client, item, files=[("a.txt", "Xin chào".encode())])
    attachment = db.session.scalar(sa.select(SubmissionAttachment))
    client.post("/logout")
    log_in(client, setting.focal_other)
    assert client.get(f"/checklists/attachments/{attachment.id}").status_code == 403
    client.post("/logout")
    assert client.get(f"/checklists/attachments/{attachment.id}").status_code == 302  # to login


def test_confidential_event_items_do_not_exist_for_outsiders(client, setting, uploads):
    from app.events.models import Visibility

    item = provide_item(setting, setting.coord_a)
    setting.event.visibility = Visibility.CONFIDENTIAL
    db.session.commit()
    log_in(client, setting.focal_other)
    assert client.get(f"/checklists/items/{item.id}").status_code == 404
    with nothing_written():
        assert _submit(client, item).status_code == 404


# --- bad input ------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "message"), [
    ("virus.exe", b"MZ...", "not accepted"),
    ("fake.pdf", b"not a pdf", "does not contain"),
    ("big.pdf", b"%PDF" + b"0" * 2048, "larger than"),
])
def test_bad_attachments_are_refused_and_nothing_is_written(client, app, setting, uploads,
                                                            name, content, message):
    app.config["CHECKLIST_MAX_UPLOAD_BYTES"] = 1024
    item = provide_item(setting, setting.coord_a)
    log_in(client, setting.focal_a)
    client.post("/locale", data={"locale": "en"})
    response = _submit(client, item, files=[("ok.txt", b"fine"), (name, content)])
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(ChecklistSubmission.id))) == 0
    assert item.status is ItemStatus.OPEN
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_submission_on_a_cancelled_event_is_refused(client, setting, uploads):
    item = provide_item(setting, setting.coord_a)
    setting.event.status = EventStatus.CANCELLED
    db.session.commit()
    log_in(client, setting.focal_a)
    client.post("/locale", data={"locale": "en"})
    response = _submit(client, item)
    assert response.status_code == 400
    assert "The event is cancelled" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ChecklistSubmission.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(ChecklistStep.id))) == 0


def test_empty_submission_is_refused(client, setting, uploads):
    item = provide_item(setting, setting.coord_a)
    log_in(client, setting.focal_a)
    assert _submit(client, item, text="").status_code == 400


def test_an_oversized_request_is_refused_before_it_is_read(client, app, setting, uploads):
    app.config["CHECKLIST_MAX_UPLOAD_BYTES"] = 1024
    item = provide_item(setting, setting.coord_a)
    log_in(client, setting.focal_a)
    client.post("/locale", data={"locale": "en"})
    big = [(f"f{n}.txt", b"x" * 1000) for n in range(2000)]
    response = _submit(client, item, files=big)
    assert response.status_code == 413
    assert "The upload is too large" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ChecklistSubmission.id))) == 0


def test_owners_hear_of_new_items_and_submitters_of_reviews(client, setting, uploads):
    from app.events.signals import event_saved
    from app.notifications.models import Notification

    def kinds(user):
        return [n.kind.value for n in db.session.scalars(
            sa.select(Notification).where(Notification.recipient_id == user.id).order_by(Notification.id))]

    event_saved.send(setting.event, actor=setting.protocol, changes={"status": (None, "planned")},
                     created=False)
    event_saved.send(setting.event, actor=setting.protocol, changes={"title_vi": ("a", "b")},
                     created=False)  # a second save tells nobody twice
    db.session.commit()
    assert kinds(setting.focal_a) == ["item_assigned"]
    assert kinds(setting.focal_other) == []

    item = provide_item(setting, setting.coord_a)
    log_in(client, setting.focal_a)
    _submit(client, item, files=[("bao-cao.pdf", PDF)])
    client.post("/logout")
    log_in(client, setting.lead_focal)
    _review(client, item, "return", "Thiếu số liệu")
    assert kinds(setting.focal_a) == ["item_assigned", "submission_returned"]
