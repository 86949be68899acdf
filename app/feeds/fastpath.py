"""Answer a private feed's conditional request with 304 before Flask's request machinery.

Calendar clients poll their subscriptions; most polls find nothing new. For those,
the only work that matters is ``check_token`` (one query); sessions, login,
locale and routing are skipped. Anything else (no match, unknown token, errors)
falls through to the normal route, which applies the same rules.
"""
from flask import Flask
from werkzeug.http import parse_etags

from app.extensions import db
from app.feeds import tokens, validators
from app.timeutil import utcnow

PREFIX, SUFFIX = "/feeds/", ".ics"


def feed_headers(etag: str, last_modified, cache_control: str) -> dict[str, str]:
    """Headers shared by 200 and 304 answers of a feed."""
    from werkzeug.http import http_date

    return {"ETag": f'"{etag}"', "Last-Modified": http_date(last_modified),
            "Cache-Control": cache_control, "Vary": "Accept-Encoding"}


class NotModifiedFastPath:
    def __init__(self, wsgi_app, app: Flask):
        self.wsgi_app, self.app = wsgi_app, app

    def __call__(self, environ, start_response):
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        path = environ.get("PATH_INFO", "")
        if (if_none_match and environ.get("REQUEST_METHOD") in ("GET", "HEAD")
                and path.startswith(PREFIX) and path.endswith(SUFFIX)
                and "/" not in path[len(PREFIX):]):
            answer = self._not_modified(path[len(PREFIX):-len(SUFFIX)], if_none_match, environ)
            if answer is not None:
                start_response("304 NOT MODIFIED", list(answer.items()))
                return []
        return self.wsgi_app(environ, start_response)

    def _not_modified(self, token: str, if_none_match: str, environ) -> dict | None:
        with self.app.app_context():
            now = utcnow()
            check = tokens.check_token(token, now)
            if check is None or not parse_etags(if_none_match).contains(check.etag):
                return None
            if tokens.record_use(check, environ.get("HTTP_USER_AGENT", ""), now):
                db.session.commit()
            return feed_headers(check.etag, check.last_modified, validators.PRIVATE_CACHE)
