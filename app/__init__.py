"""Briefing Desk: events, press-briefing checklists, spokespeople and calendar feeds."""
import os
import secrets
from pathlib import Path

from flask import Flask
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix

from app import (
    cli,
    docpage,  # noqa: F401  (declares the documents' margins as settings)
    headers,
    logs,
    models,  # noqa: F401  (registers every table)
    navigation,
)
from app.api import spec as api_spec
from app.api.routes import bp as api_pages_bp
from app.auth.admin import bp as users_bp
from app.auth.routes import bp as auth_bp
from app.auth.routes import require_login_by_default
from app.auth.services import load_user
from app.checklists import subscriptions as checklists_subscriptions
from app.checklists.routes import bp as checklists_bp
from app.config import Config
from app.errors import register_error_handlers
from app.events.routes import bp as events_bp
from app.events.routes import calendar_bp
from app.extensions import babel, csrf, db, login_manager, migrate
from app.feeds import changes as feeds_changes
from app.feeds.routes import bp as feeds_bp
from app.i18n import format_day, format_moment, select_locale, select_timezone
from app.imports.routes import bp as imports_bp
from app.main.routes import bp as main_bp
from app.monitoring import subscriptions as monitoring_subscriptions
from app.monitoring.routes import bp as monitoring_bp
from app.notifications import subscriptions as notifications_subscriptions
from app.notifications.routes import bp as notifications_bp
from app.oversight import subscriptions as oversight_subscriptions
from app.oversight.alert_routes import bp as alerts_bp
from app.oversight.report_routes import bp as reports_bp
from app.oversight.routes import bp as oversight_bp
from app.press import subscriptions as press_subscriptions
from app.press.routes import bp as press_bp
from app.settings.routes import bp as settings_bp
from app.spokespeople.note_routes import bp as notes_bp
from app.spokespeople.routes import bp as spokespeople_bp
from app.training.routes import bp as training_bp
from app.units.routes import bp as units_bp
from app.web import IdConverter, Request

# Each feature's receivers of other features' signals, connected explicitly (never as a
# side effect of importing a module).
# feeds_changes: the feeds' change counter, bumped by session events of every write.
# oversight_subscriptions: month rollups made stale by the same session events; alert notices.
SUBSCRIPTIONS = (press_subscriptions.register, checklists_subscriptions.register,
                 notifications_subscriptions.register, feeds_changes.register,
                 monitoring_subscriptions.register, oversight_subscriptions.register)
BLUEPRINTS = (auth_bp, main_bp, users_bp, units_bp, events_bp, calendar_bp, spokespeople_bp, notes_bp,
              notifications_bp, feeds_bp, checklists_bp, press_bp, settings_bp, training_bp,
              api_pages_bp, imports_bp, monitoring_bp, oversight_bp, reports_bp, alerts_bp)


class ConfigurationError(RuntimeError):
    pass


def _secret_key(app: Flask) -> str:
    """SECRET_KEY from the environment; development keeps a generated one in the instance folder."""
    if app.config.get("SECRET_KEY"):
        return app.config["SECRET_KEY"]
    if not (app.debug or app.testing):
        raise ConfigurationError(
            "SECRET_KEY is not set: production refuses to start without it (set FLASK_DEBUG=1 for development)")
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build a configured app. Tests pass TestConfig; nothing runs at import."""
    app = Flask(__name__, instance_relative_config=True,
                instance_path=os.environ.get("INSTANCE_PATH") or None)
    # The edges every input crosses (app/inputs.py): clean parameters, ids that fit a column.
    app.request_class = Request
    app.url_map.converters["int"] = IdConverter
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SECRET_KEY"] = _secret_key(app)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'briefdesk.db'}"
    if app.config.get("STORAGE_BACKEND", "local") not in ("local", "db"):
        raise ConfigurationError("STORAGE_BACKEND must be 'local' or 'db'")
    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask documents this wrap
            app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    # One date style per context (app.i18n): these replace Flask-Babel's filters of the same name.
    app.jinja_env.filters.update(datetimeformat=format_moment, dateformat=format_day)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.user_loader(load_user)

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    api_spec.register(app)  # /api/v1: the JSON API and its OpenAPI document
    app.before_request(require_login_by_default)
    register_error_handlers(app)
    headers.register(app)
    logs.register(app)
    navigation.register(app)
    for register in SUBSCRIPTIONS:
        register(app)
    app.context_processor(lambda: {"current_locale": str(get_locale() or "vi")})
    cli.register(app)
    return app

