"""Command-line interface: ``flask --app app …`` or the ``briefdesk`` console script."""
import sys

import click
from flask import Flask
from flask.cli import FlaskGroup

from app.auth.roles import Role
from app.errors import ValidationFailed
from app.extensions import db
from app.oversight.cli import report_group


def register(app: Flask) -> None:
    app.cli.add_command(demo_group)
    app.cli.add_command(users_group)
    app.cli.add_command(feeds_group)
    app.cli.add_command(checklists_group)
    app.cli.add_command(report_group)
    app.cli.add_command(storage_group)


@click.group("demo", help="Demo data.")
def demo_group():
    pass


@demo_group.command("load")
@click.option("--events", "n_events", type=click.IntRange(min=0), default=None,
              help="Number of events to create (default: a realistic year's worth).")
@click.option("--password", default="demo", show_default=True, help="Password of every demo user.")
def demo_load(n_events: int | None, password: str):
    """Load the plan's units, one user per role and sample data. Safe to run twice."""
    from app import demo

    summary = demo.load(password=password, n_events=n_events)
    db.session.commit()
    click.echo(summary.describe())


@click.group("users", help="Manage users.")
def users_group():
    pass


@users_group.command("create")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([r.value for r in Role]), help="May be given several times.")
@click.option("--unit", "unit_slug", default=None, help="Slug of the user's unit.")
@click.option("--name", default=None, help="Full name (default: the part of the e-mail before @).")
def users_create(email: str, roles: tuple[str, ...], unit_slug: str | None, name: str | None):
    """Create a user; the password is read from stdin or asked for twice."""
    from app.auth.services import create_user_from_cli

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = create_user_from_cli(email, password, {Role(r) for r in roles}, unit_slug, name)
    except ValidationFailed as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"created {user.email} ({', '.join(sorted(r.value for r in user.roles))})")


@click.group("feeds", help="Calendar feeds.")
def feeds_group():
    pass


@feeds_group.command("token")
@click.argument("email")
@click.option("--scope", type=click.Choice(["full", "press_safe", "busy_only"]), default="full",
              show_default=True, help="Detail level of the feed.")
@click.option("--mine", is_flag=True, help="Only events the user hosts, briefs at or owes items for.")
@click.option("--deadlines/--no-deadlines", default=None,
              help="The open checklist items of the user and their unit (default: with --mine).")
@click.option("--unit", "unit_slug", default=None, metavar="SLUG",
              help="A shared feed of this unit (EMAIL must be its head or a focal point).")
def feeds_token(email: str, scope: str, mine: bool, deadlines: bool | None,
                unit_slug: str | None):
    """Issue a private feed for EMAIL and print its address (shown once)."""
    from app.feeds.models import DetailLevel
    from app.feeds.services import feed_urls, issue_token_for

    try:
        _feed, token = issue_token_for(email, DetailLevel(scope), mine=mine, deadlines=deadlines,
                                       unit_slug=unit_slug)
    except ValidationFailed as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(feed_urls(token)["https"])


@click.group("checklists", help="Press-briefing checklists.")
def checklists_group():
    pass


@checklists_group.command("seed")
def checklists_seed():
    """Add the default checklist templates of DOMAIN.md (b) that are missing. Safe to run twice."""
    from app.checklists.seed import seed_templates

    added = seed_templates()
    db.session.commit()
    click.echo(f"{added} checklist templates added")


@checklists_group.command("sync")
def checklists_sync():
    """Regenerate the checklists of every event (idempotent)."""
    import sqlalchemy as sa

    from app.checklists.services import load_events_for_sync, sync_checklists
    from app.events.models import Event

    result = sync_checklists(load_events_for_sync(sa.select(Event).order_by(Event.id)))
    db.session.commit()
    click.echo(f"{result.created} items created, {result.updated} updated, {result.closed} closed")


@click.group("storage", help="Stored files (attachments): a local folder or the database.")
def storage_group():
    pass


@storage_group.command("migrate")
@click.option("--to", "to", type=click.Choice(["db", "local"]), required=True,
              help="The backend that receives every file of the other one.")
def storage_migrate(to: str):
    """Move every stored file to the backend named, verifying each one's SHA-256.

    Set STORAGE_BACKEND to the same value on every host (reads look in both backends
    meanwhile). A file whose copy does not verify stays where it was; run it again.
    """
    from app.storage.transfer import migrate

    report = migrate(to)
    click.echo(f"{report.moved} files moved to {to} ({report.bytes} bytes), SHA-256 verified")
    for key in report.skipped:
        click.echo(f"skipped (not a stored file): {key}", err=True)
    for key in report.failed:
        click.echo(f"NOT moved, its copy did not verify: {key}", err=True)
    if report.failed:
        raise SystemExit(1)


def main() -> None:
    """Entry point of the ``briefdesk`` console script."""
    from app import create_app

    FlaskGroup(create_app=create_app)(prog_name="briefdesk")
