"""Fixtures for the checklist tests (registered by ``pytest_plugins`` in conftest.py)."""
import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.checklists.models import ChecklistItem, ChecklistTemplate
from app.checklists.rules import item_key
from app.checklists.seed import seed_templates
from app.checklists.services import sync_checklist
from app.extensions import db


@pytest.fixture
def templates(app):
    """The default templates of DOMAIN.md (b)."""
    seed_templates()
    db.session.commit()


@pytest.fixture
def uploads(app, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    return tmp_path / "uploads" / "checklists"


@pytest.fixture
def setting(app, templates, make_unit, make_user, make_event):
    """A planned event of a lead unit with two coordinating units, and their people."""
    class Setting:
        pass

    s = Setting()
    s.lead, s.coord_a, s.coord_b, s.other = (make_unit(f"u-{n}") for n in ("lead", "a", "b", "other"))
    s.foreign_affairs = make_unit("so-ngoai-vu")
    s.protocol = make_user(Role.PROTOCOL, unit=s.foreign_affairs)
    s.lead_focal = make_user(Role.FOCAL, unit=s.lead)
    s.focal_a = make_user(Role.FOCAL, unit=s.coord_a)
    s.focal_b = make_user(Role.FOCAL, unit=s.coord_b)
    s.focal_other = make_user(Role.FOCAL, unit=s.other)
    s.viewer_a = make_user(Role.VIEWER, unit=s.coord_a)
    s.admin = make_user(Role.ADMIN, unit=s.other)
    s.event = make_event(lead_unit=s.lead, coordinating_units=[s.coord_a, s.coord_b])
    return s


def provide_item(setting, unit):
    """The "provide information" item of ``unit`` on the ``setting`` fixture's event."""
    sync_checklist(setting.event)
    db.session.commit()
    code = db.session.scalar(sa.select(ChecklistTemplate.id).where(
        ChecklistTemplate.code == "core-provide-info"))
    return db.session.scalar(sa.select(ChecklistItem).where(
        ChecklistItem.event_id == setting.event.id, ChecklistItem.key == item_key(code, unit.id)))
