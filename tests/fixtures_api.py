"""API fixtures: personal tokens and a client that sends them."""
import pytest

from app.api import tokens
from app.extensions import db


@pytest.fixture
def make_token(app):
    """Factory: ``make_token(user, scope="write")`` -> the secret (committed)."""
    def _make(user, scope: str = "write", name: str = "script", expires_on=None) -> str:
        _row, secret = tokens.issue_token(user, name, scope, expires_on)
        db.session.commit()
        return secret

    return _make


class Api:
    """Calls /api/v1 with a bearer token (and the language given)."""

    def __init__(self, client, secret: str | None, language: str = "en"):
        self.client, self.secret, self.language = client, secret, language

    def headers(self, extra: dict | None = None) -> dict:
        headers = {"Accept-Language": self.language}
        if self.secret:
            headers["Authorization"] = f"Bearer {self.secret}"
        headers.update(extra or {})
        return headers

    def get(self, path: str, **kwargs):
        return self.client.get("/api/v1" + path, headers=self.headers(kwargs.pop("headers", None)),
                               **kwargs)

    def send(self, method: str, path: str, json=None, headers: dict | None = None, **kwargs):
        return self.client.open("/api/v1" + path, method=method, json=json,
                                headers=self.headers(headers), **kwargs)


@pytest.fixture
def api_as(client, make_user, make_token):
    """``api_as(role_or_user, scope="write", language="en")`` -> an Api client."""
    def _make(who, scope: str = "write", language: str = "en", **fields) -> Api:
        user = make_user(who, **fields) if isinstance(who, str) else who
        return Api(client, make_token(user, scope), language)

    return _make
