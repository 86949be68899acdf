"""gunicorn settings for Briefing Desk: ``gunicorn -c python:app.gunicorn_conf 'app:create_app()'``.

Bind address and workers stay on the command line (``-b``, ``-w``). The access log goes
to stdout with feed tokens redacted (``/feeds/….ics``).
"""
logger_class = "app.gunicorn_logging.RedactingLogger"
accesslog = "-"
