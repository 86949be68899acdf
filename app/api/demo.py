"""Demo: a personal API token of the protocol officer, as the province's portal would hold."""
import sqlalchemy as sa

from app.api.models import ApiToken
from app.api.tokens import issue_token
from app.auth.models import User
from app.extensions import db

DEMO_TOKEN_NAME = "Cổng thông tin điện tử tỉnh (demo)"


def ensure_demo_tokens(users: dict[str, User]) -> str | None:
    """A read token for protocol@demo.example, once; returns its secret when it was created."""
    protocol = users.get("protocol@demo.example")
    if protocol is None or db.session.scalar(
            sa.select(ApiToken.id).where(ApiToken.user_id == protocol.id,
                                         ApiToken.name == DEMO_TOKEN_NAME)) is not None:
        return None
    _token, secret = issue_token(protocol, DEMO_TOKEN_NAME, "read")
    return secret
