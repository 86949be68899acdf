"""No feed token in any log line: ``/feeds/<token>.ics`` is written ``/feeds/….ics``.

A token in a log would be a working calendar subscription for whoever reads the log.
``redact`` is applied by the app's own loggers (a filter, installed by ``register``)
and by gunicorn's access log (``app.gunicorn_logging``).
"""
import logging
import re

from flask import Flask

# A feed path (plain or percent-encoded), except the public feed, which has no token.
_FEED_PATHS = [
    (re.compile(r"(/feeds/)(?!public\.)[^/?#\s\"']+?(\.ics|\.atom)\b"), r"\1…\2"),
    (re.compile(r"(%2Ffeeds%2F)(?!public\.)[^/?#\s\"'%]+?(\.ics|\.atom)\b", re.IGNORECASE),
     r"\1…\2"),
]
# The loggers that write request paths: the development server's and the app's own
# (a logger's filters see only the records logged to it, not its children's).
LOGGERS = ("werkzeug",)


def redact(text: str) -> str:
    for pattern, replacement in _FEED_PATHS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites a record whose message names a feed token."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def register(app: Flask) -> None:
    """Install the filter on the loggers that can see request paths (once per logger)."""
    for name in (*LOGGERS, app.logger.name):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
