"""The roles a user can hold."""
from enum import StrEnum

from app.i18n import _l


class Role(StrEnum):
    ADMIN = "admin"
    PROTOCOL = "protocol"
    FOCAL = "focal"
    SPOKESPERSON = "spokesperson"
    LIAISON = "liaison"
    STEERING = "steering"
    VIEWER = "viewer"


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.PROTOCOL: _l("Protocol officer"),
    Role.FOCAL: _l("Unit focal point"),
    Role.SPOKESPERSON: _l("Spokesperson"),
    Role.LIAISON: _l("Press liaison"),
    Role.STEERING: _l("Steering committee"),
    Role.VIEWER: _l("Viewer"),
}
