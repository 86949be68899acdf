"""``briefdesk report export``: the periodic report's files for cron and for mailing."""
from pathlib import Path
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa
from flask import current_app

from app.auth.models import User
from app.extensions import db
from app.oversight import content, exports, reports, rollup, services
from app.oversight.periods import ScopeError
from app.timeutil import utcnow


class OutsiderReader:
    """Whom an export without ``--as`` lists events for: a logged-in user of no unit.

    Such a reader sees every event but the confidential ones; the counts include them all.
    """

    is_authenticated = True
    active = True
    roles: frozenset = frozenset()
    unit_id = None
    unit = None


@click.group("report", help="The periodic implementation report.")
def report_group():
    pass


@report_group.command("export")
@click.option("--period", "period_text", required=True, help="2026, 2026-H1, 2026-Q4 or 2026-11.")
@click.option("--format", "file_format", type=click.Choice(["docx", "xlsx"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--as", "as_email", default=None,
              help="List events as this user may see them (default: none of the confidential ones).")
def report_export(period_text: str, file_format: str, output: str, as_email: str | None):
    """Write the report for PERIOD as a Word file or its spreadsheet annex.

    The same documents as the web exports: the saved report of that period (its narrative,
    number and status) when there is one, else the figures alone.
    """
    zone = current_app.config["APP_TIMEZONE"]
    now = utcnow()
    try:
        scope = services.make_scope(period=period_text, zone=zone, now=now)
    except ScopeError as error:
        raise click.UsageError(str(error.message)) from None
    reader: object = OutsiderReader()
    if as_email:
        user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == as_email.lower()))
        if user is None or not services.can_see_dashboard(user):
            raise click.UsageError(f"{as_email}: no such user who may read reports")
        reader = user
    found = reports.for_period(scope.period)
    built = content.build(reader, scope)
    rollup.commit_fills()
    today = now.astimezone(ZoneInfo(zone)).date()
    if file_format == "docx":
        narratives = {code: t.latest.text for code, t in reports.section_texts(found).items()
                      if t.latest} if found else {}
        data = exports.build_docx(built, found, narratives, today)
    else:
        data = exports.build_xlsx(built, found)
    Path(output).write_bytes(data)
    click.echo(f"{output}: {len(data)} bytes, period {scope.period.label}"
               f"{'' if found else ' (no saved report: figures only)'}")
