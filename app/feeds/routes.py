"""Feed routes: the public feed, private token feeds, single-event downloads, feed management."""
import hashlib
import os
from datetime import UTC, datetime, time

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user, login_required
from werkzeug.wsgi import wrap_file

from app import idempotency, storage
from app.auth.routes import public
from app.errors import ValidationFailed
from app.events import access, display, queries
from app.events import release as release_rules
from app.events.models import Event
from app.extensions import db
from app.feeds import build, history, ical, services, tokens, validators
from app.feeds.fastpath import NotModifiedFastPath, feed_headers
from app.feeds.forms import FeedForm, NewFeedForm
from app.feeds.models import ALARM_LABELS, DETAIL_LABELS, FeedToken
from app.i18n import _
from app.timeutil import utcnow
from app.units.models import Unit
from app.web import apply_and_flash

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


# --- calendar files ----------------------------------------------------------------------

def _serve(spec_for, etag: str, last_modified: datetime, cache_control: str) -> Response:
    """Conditional, cached, optionally gzipped delivery of a feed; builds only on a miss.

    ``spec_for()`` gives the FeedSpec; it is called only when the body is needed.
    """
    headers = feed_headers(etag, last_modified, cache_control)
    response = Response(status=304, headers=headers)
    if request.if_none_match:
        if request.if_none_match.contains(etag):
            return response
    elif request.if_modified_since and last_modified.replace(microsecond=0) <= \
            request.if_modified_since:
        return response
    # Accept's `in` takes a value (Werkzeug types Accept as a list of (value, quality) pairs).
    gzipped = "gzip" in request.accept_encodings  # type: ignore[comparison-overlap]
    spec = spec_for()
    if current_app.config.get("ACCEL_REDIRECT"):
        return _accel(spec, etag, gzipped, headers)
    try:
        handle = _open_body(spec, etag, gzipped)
    except FileNotFoundError:  # another worker replaced it between finding and opening
        handle = _open_body(spec, etag, gzipped)
    db.session.commit()  # end the read transaction
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    response = Response(wrap_file(request.environ, handle), status=200, headers=headers,
                        mimetype="text/calendar", direct_passthrough=True)
    response.content_type = "text/calendar; charset=utf-8"
    response.content_length = os.fstat(handle.fileno()).st_size
    return response


def _accel(spec: build.FeedSpec, etag: str, gzipped: bool, headers) -> Response:
    """Nginx sends the cached body (X-Accel-Redirect): the app only checked and named it."""
    path = build.feed_body(spec, etag, utcnow())
    if gzipped:
        path = build.feed_cache().gzipped(path)
        headers["Content-Encoding"] = "gzip"
    db.session.commit()  # end the read transaction
    relative = path.relative_to(build.feed_cache_root()).as_posix()
    response = storage.accel_response(current_app.config["ACCEL_FEEDS_PREFIX"] + relative,
                                      "text/calendar", headers)
    response.content_type = "text/calendar; charset=utf-8"
    return response


def _open_body(spec: build.FeedSpec, etag: str, gzipped: bool):
    """The cached body, opened; the WSGI server closes it after sending (sendfile)."""
    path = build.feed_body(spec, etag, utcnow())
    if gzipped:
        path = build.feed_cache().gzipped(path)
    return open(path, "rb")  # noqa: SIM115  (stays readable if a newer body replaces it)


@bp.route("/public.ics", methods=["GET", "HEAD"])
@public
def public_feed():
    language = request.args.get("lang", "vi")
    spec = build.public_spec(language if language in services.LANGUAGES else "vi")
    etag, last_modified = validators.validators(spec, utcnow())
    return _serve(lambda: spec, etag, last_modified, validators.PUBLIC_CACHE)


@bp.route("/<token>.ics", methods=["GET", "HEAD"])
@public
def token_feed(token: str):
    now = utcnow()
    check = tokens.check_token(token, now)
    if check is None:  # unknown, revoked, expired, inactive owner: one plain, identical answer
        return Response("Not Found\n", status=404, mimetype="text/plain",
                        headers={"Cache-Control": "no-store"})
    if tokens.record_use(check, request.headers.get("User-Agent", ""), now):
        db.session.commit()

    def spec_for():
        return build.token_spec(db.session.get_one(FeedToken, check.feed_id))

    return _serve(spec_for, check.etag, check.last_modified, validators.PRIVATE_CACHE)


@bp.route("/<token>.atom", methods=["GET", "HEAD"])
@public
def token_atom(token: str):
    """What changed in the feed over the last 30 days, as Atom: same token, rules and detail."""
    now = utcnow()
    check = tokens.check_token(token, now)
    if check is None:
        return Response("Not Found\n", status=404, mimetype="text/plain",
                        headers={"Cache-Control": "no-store"})
    etag = hashlib.sha256(f"atom|{check.etag}".encode()).hexdigest()[:40]
    headers = feed_headers(etag, check.last_modified, validators.PRIVATE_CACHE)
    if request.if_none_match.contains(etag):
        return Response(status=304, headers=headers)
    spec = build.token_spec(db.session.get_one(FeedToken, check.feed_id))
    url = current_app.config["BASE_URL"] + request.path
    body = history.atom(spec, history.changes_since(spec, history.atom_window(now), now), url, now)
    return Response(body, status=200, headers=headers,
                    content_type="application/atom+xml; charset=utf-8")


def event_download(event_id: int):
    """One event as a calendar file, for a logged-in user who may see it."""
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    body = ical.event_ics(event, user=current_user, locale=str(get_locale() or "vi"))
    response = Response(body, mimetype="text/calendar")
    response.content_type = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="event-{event_id}.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _install_fast_path(state) -> None:
    state.app.wsgi_app = NotModifiedFastPath(state.app.wsgi_app, state.app)


bp.record_once(_install_fast_path)


# /events/<id>.ics lives outside the /feeds prefix: register it on the app itself.
bp.record_once(lambda state: state.app.add_url_rule(
    "/events/<int:event_id>.ics", "feeds.event_download", login_required(event_download)))


# --- feed management ---------------------------------------------------------------------

def _unit_choices():
    locale = str(get_locale() or "vi")
    return [(u.id, u.name(locale)) for u in db.session.scalars(sa.select(Unit).order_by(Unit.slug))]


def _event_id(form: FeedForm) -> int | None:
    """The event picked by name: the id the picker set, else the one event the words name."""
    text = (form.event_search.data or "").strip()
    if not text:
        return None
    if form.delegation_event_id.data:
        return form.delegation_event_id.data
    found = queries.lookup(current_user, text.split(" — ")[0], limit=2)  # without the label's day
    if len(found) != 1:
        raise ValidationFailed(_("Choose one event from the list (type more of its name)."),
                               "event_search")
    return found[0].id


def _event_name(event_id: int | None) -> str:
    event = db.session.get(Event, event_id) if event_id else None
    return display.event_label(event) if event and access.can_view(current_user, event) else ""


def _settings(form: FeedForm) -> services.FeedSettings:
    expires = form.expires_on.data
    return services.FeedSettings(
        name=form.name.data or "", language=form.language.data, detail=form.detail.data,
        alarms=form.alarms.data, kinds=list(form.kinds.data or []),
        unit_ids=list(form.unit_ids.data or []), mine=form.mine.data,
        delegation_event_id=_event_id(form),
        days_back=form.days_back.data, days_ahead=form.days_ahead.data,
        deadlines=form.deadlines.data, tasks=bool(form.tasks.data),
        for_unit=bool(getattr(form, "for_unit", None) and form.for_unit.data),
        expires_at=datetime.combine(expires, time(), tzinfo=UTC) if expires else None)


@bp.get("/")
@login_required
def index():
    now = utcnow()
    feeds = services.feeds_of(current_user)
    # What changed since each live feed was last fetched (its calendar has not seen it yet).
    changes = {feed.id: history.changes_since(build.token_spec(feed), feed.last_used_at, now)[:20]
               for feed in feeds if feed.last_used_at is not None and feed.is_usable(now)}
    return render_template("feeds/index.html", feeds=feeds, now=now, changes=changes,
                           change_labels=history.labels(str(get_locale() or "vi")),
                           detail_labels=DETAIL_LABELS, alarm_labels=ALARM_LABELS,
                           public_url=current_app.config["BASE_URL"] + url_for(".public_feed"))


def _show_token(feed: FeedToken, token: str):
    return render_template("feeds/token.html", feed=feed, urls=services.feed_urls(token))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = NewFeedForm(_unit_choices())
    if request.method == "GET":
        form.language.data = current_user.locale if current_user.locale in ("vi", "en") else "vi"
        form.detail.data = "press_safe"
    if form.validate_on_submit() and (created := apply_and_flash(lambda: idempotency.once(
            form.form_token.data, current_user, "feed",
            lambda: services.create_feed(current_user, _settings(form)),
            lambda _created: url_for(".index")), form=form)):
        return _show_token(*created.result)
    return render_template("feeds/form.html", form=form, feed=None,
                           unit_feeds=services.manages_unit_feeds(current_user,
                                                                  current_user.unit_id))


@bp.route("/<int:feed_id>/edit", methods=["GET", "POST"])
@login_required
def edit(feed_id: int):
    feed = services.own_feed(current_user, feed_id)
    form = FeedForm(_unit_choices())
    if request.method == "GET":
        filters = feed.filters or {}
        form.process(data={"name": feed.name, "language": feed.language, "detail": feed.detail.value,
                           "alarms": feed.alarms.value, "kinds": filters.get("kinds", []),
                           "unit_ids": filters.get("unit_ids", []), "mine": filters.get("mine"),
                           "delegation_event_id": filters.get("delegation_event_id"),
                           "event_search": _event_name(filters.get("delegation_event_id")),
                           "days_back": feed.days_back, "days_ahead": feed.days_ahead,
                           "deadlines": filters.get("deadline_mode", "auto"),
                           "tasks": filters.get("tasks", False),
                           "expires_on": feed.expires_at.date() if feed.expires_at else None})
    if form.validate_on_submit() and apply_and_flash(
            lambda: services.update_feed(current_user, feed_id, _settings(form)),
            _("Feed saved."), form=form):
        return redirect(url_for(".index"))
    return render_template("feeds/form.html", form=form, feed=feed)


@bp.post("/<int:feed_id>/rotate")
@login_required
def rotate(feed_id: int):
    rotated = apply_and_flash(lambda: services.rotate_feed(current_user, feed_id))
    if not rotated:
        return redirect(url_for(".index"))
    return _show_token(*rotated.result)


@bp.post("/<int:feed_id>/revoke")
@login_required
def revoke(feed_id: int):
    apply_and_flash(lambda: services.revoke_feed(current_user, feed_id),
                    _("Feed revoked: its address no longer works."))
    return redirect(url_for(".index"))


@bp.app_template_global()
def event_release_panel(event: Event) -> dict:
    """What the event page's calendar panel says about releasing a sensitive event."""
    return {"state": release_rules.release_state(event, utcnow()),
            "can_release": release_rules.can_release(current_user, event)}


@bp.post("/events/<int:event_id>/release")
@login_required
def release(event_id: int):
    apply_and_flash(lambda: release_rules.release_event(current_user, event_id),
                    _("Released: the event's details now reach calendar feeds."))
    return redirect(f"/events/{event_id}")
