"""gunicorn's logger with feed tokens redacted from the access log (``app.logs.redact``).

Used by ``app/gunicorn_conf.py``; or alone:
``gunicorn --logger-class app.gunicorn_logging.RedactingLogger --access-logfile - ...``.
"""
from gunicorn.glogging import Logger

from app.logs import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        """Every value of the access-log line, without feed tokens.

        The request line, path, query, referer and headers alike.
        """
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value
                for key, value in atoms.items()}
