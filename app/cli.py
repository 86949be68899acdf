"""Command-line interface: ``flask --app app …`` or the ``briefdesk`` console script."""
import sys
from pathlib import Path

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
    app.cli.add_command(api_group)
    app.cli.add_command(events_group)
    app.cli.add_command(report_group)
    app.cli.add_command(storage_group)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


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
    """Add the default checklist templates and briefing defaults that are missing. Safe to run twice."""
    from app.checklists.seed import seed_templates
    from app.press.defaults import seed_defaults

    added = seed_templates()
    briefing_defaults = seed_defaults()
    db.session.commit()
    click.echo(f"{added} checklist templates added")
    click.echo(f"{briefing_defaults} briefing defaults added")


@checklists_group.command("sync")
def checklists_sync():
    """Regenerate the checklists of every event (idempotent)."""
    import sqlalchemy as sa

    from app.checklists.services import load_events_for_sync, sync_checklists
    from app.events.models import Event

    result = sync_checklists(load_events_for_sync(sa.select(Event).order_by(Event.id)))
    db.session.commit()
    click.echo(f"{result.created} items created, {result.updated} updated, {result.closed} closed")


@click.group("api", help="The JSON API.")
def api_group():
    pass


@api_group.command("token")
@click.argument("email")
@click.option("--scope", type=click.Choice(["read", "write"]), default="read", show_default=True,
              help="read: GET only; write: also change what the user may change.")
@click.option("--name", default="cli", show_default=True, help="Name shown on the user's page.")
def api_token(email: str, scope: str, name: str):
    """Issue a personal API token for EMAIL and print it (shown once)."""
    from app.api.tokens import issue_token_for

    try:
        _token, secret = issue_token_for(email, scope, name)
    except ValidationFailed as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(secret)


@click.group("events", help="Events.")
def events_group():
    pass


@events_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check every row and report; create nothing.")
@click.option("--as", "email", default=None,
              help="The user the events are created as (default: the first active admin).")
def events_import(path: str, dry_run: bool, email: str | None):
    """Import events from a CSV or XLSX file (the template of /events/import/), all or nothing."""
    from pathlib import Path

    from flask import current_app

    from app.imports.sheet import commit, importer_for, preview

    try:
        actor = importer_for(email)
    except ValidationFailed as exc:
        raise click.ClickException(exc.message) from None
    file = Path(path)
    result = preview(actor, file.name, file.read_bytes(), current_app.config["APP_TIMEZONE"])
    if result.problem:
        raise click.ClickException(result.problem)
    known = len(result.rows) - len(result.new_rows) - len(result.errors)
    click.echo(f"{len(result.rows)} rows: {len(result.new_rows)} new, {known} imported before, "
               f"{len(result.errors)} with errors")
    for row in result.errors:
        for error in row.errors:
            click.echo(f"line {row.number}: {error}", err=True)
    if result.errors:
        raise click.ClickException("nothing imported: correct the rows above")
    if dry_run:
        return
    created = commit(actor, result)
    db.session.commit()
    click.echo(f"{len(created)} events created")


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


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def backup_command(file: Path):
    """Write FILE: the database (online) and stored files, with a manifest of counts and SHA-256s."""
    from app.backup import BackupError, backup

    try:
        manifest = backup(file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{file}: {sum(manifest['tables'].values())} rows in {len(manifest['tables'])} "
               f"tables, {len(manifest['files'])} files")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace what the database and storage hold.")
def restore_command(file: Path, force: bool):
    """Load FILE into an empty database and storage, then check every count and SHA-256."""
    from app.backup import BackupError, restore

    try:
        outcome = restore(file, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    for problem in outcome.problems:
        click.echo(problem, err=True)
    if outcome.problems:
        raise SystemExit(1)
    click.echo(f"restored {sum(outcome.tables.values())} rows in {len(outcome.tables)} tables "
               f"and {len(outcome.files)} files; every count and SHA-256 matches the archive")


def main() -> None:
    """Entry point of the ``briefdesk`` console script."""
    from app import create_app

    FlaskGroup(create_app=create_app)(prog_name="briefdesk")
