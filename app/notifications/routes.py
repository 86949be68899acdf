"""Notification pages and the `flask reminders send` command. Thin: rules live in services."""
import logging

import click
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from app.auth.permissions import require_admin
from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import _
from app.inputs import search_words
from app.notifications import inbox, outlets, sending
from app.notifications.forms import ConfirmForm, PreferenceForm
from app.notifications.mail import MailSettings
from app.notifications.models import DELIVERY_STATUS_LABELS, KIND_LABELS
from app.notifications.rules import RULE_NAMES, load_rules
from app.notifications.texts import render
from app.settings import registry
from app.settings import services as domain_settings
from app.web import apply_and_flash, kept_args, page_number

bp = Blueprint("notifications", __name__, cli_group="reminders")


@bp.app_context_processor
def bell_context():
    def unread_notifications() -> int:
        return inbox.unread_count(current_user) if current_user.is_authenticated else 0
    return {"unread_notifications": unread_notifications, "outlet_mailings": outlets.mailings_of,
            "outlet_step_label": outlets.step_label,
            "delivery_status_labels": DELIVERY_STATUS_LABELS}


NOTICE_FILTERS = ("unread", "kind", "event", "q")
DELIVERY_FILTERS = ("status", "kind", "event", "q")


@bp.get("/notifications")
def index():
    filters = inbox.NoticeFilters(
        unread=request.args.get("unread") == "1", kind=request.args.get("kind", ""),
        event_id=request.args.get("event", type=int),
        words=search_words(request.args.get("q", "")[:200]))
    page = page_number(request.args)
    items, has_next = inbox.notification_page(current_user, filters, page=page,
                                              size=current_app.config["PAGE_SIZE"])
    locale = str(get_locale() or "vi")
    entries = [(n, render(n.kind, n.params, locale)) for n in items]
    return render_template("notifications/index.html", entries=entries, form=ConfirmForm(),
                           page=page, has_next=has_next, kinds=KIND_LABELS, filters=filters,
                           args=kept_args(request.args, NOTICE_FILTERS))


@bp.post("/notifications/<int:notification_id>/read")
def read(notification_id: int):
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("notifications.index"))
    notification = inbox.mark_read(current_user, notification_id)
    db.session.commit()
    if request.form.get("open") and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect(url_for("notifications.index"))


@bp.post("/notifications/read-all")
def read_all():
    if ConfirmForm().validate_on_submit():
        apply_and_flash(lambda: inbox.mark_all_read(current_user),
                        lambda count: _("%(n)d notifications marked as read.", n=count))
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
def settings():
    preference = inbox.preference_of(current_user)
    form = PreferenceForm(obj=preference if request.method == "GET" else None)
    if form.validate_on_submit() and apply_and_flash(
            lambda: inbox.save_preference(current_user, form.mode.data, form.timezone.data or ""),
            _("Notification settings saved."), form=form):
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form)


@bp.get("/admin/deliveries")
def deliveries():
    filters = inbox.DeliveryFilters(
        status=request.args.get("status", ""), kind=request.args.get("kind", ""),
        event_id=request.args.get("event", type=int), recipient=request.args.get("q", "")[:200])
    page = page_number(request.args)
    rows, has_next = inbox.deliveries(current_user, filters, page=page,
                                      size=current_app.config["PAGE_SIZE"])
    return render_template("notifications/deliveries.html", rows=rows, page=page,
                           has_next=has_next, filters=filters, kinds=KIND_LABELS,
                           args=kept_args(request.args, DELIVERY_FILTERS),
                           statuses=DELIVERY_STATUS_LABELS, mail=MailSettings.from_app(),
                           rules=load_rules(), form=ConfirmForm())


@bp.post("/admin/deliveries/<int:delivery_id>/retry")
def retry(delivery_id: int):
    if ConfirmForm().validate_on_submit():
        apply_and_flash(lambda: inbox.retry_delivery(current_user, delivery_id),
                        _("The delivery will be retried at the next run."))
    return redirect(url_for("notifications.deliveries"))


@bp.get("/admin/reminder-rules")
def rules():
    """The reminder rules are domain settings now: their group on /admin/settings."""
    require_admin(current_user)
    return redirect(url_for("settings.index", _anchor="group-reminders"))


@bp.cli.command("send")
def send_command():
    """Create due reminders and send pending e-mails, each exactly once. Run every few minutes."""
    logger = logging.getLogger("briefdesk")
    if not logger.handlers:  # so that cron's log gets the e-mails written instead of sent
        logger.addHandler(logging.StreamHandler())
        logger.setLevel(logging.INFO)
    report = sending.run()
    if not MailSettings.from_app(current_app).configured:
        click.echo("MAIL_SERVER is not set: e-mails were written to the log.", err=True)
    click.echo(report.describe())


@bp.cli.command("rules")
@click.argument("name", required=False, type=click.Choice(sorted(RULE_NAMES)))
@click.argument("value", required=False)
def rules_command(name: str | None, value: str | None):
    """Show the reminder rules, or set NAME to VALUE (e.g. `due_soon_days 5,2`).

    The same as `settings list` / `settings set reminders.NAME VALUE`.
    """
    if name and value is not None:
        try:
            domain_settings.change(f"reminders.{name}", value=value)
        except ValidationFailed as exc:
            db.session.rollback()
            raise click.ClickException(f"{name}: {exc.message}") from None
        db.session.commit()
    rules = load_rules()
    for rule in RULE_NAMES:
        click.echo(f"{rule} = {registry.get(f'reminders.{rule}').format(getattr(rules, rule))}")
