"""`flask hub ...`: the operational commands."""

from __future__ import annotations

import os
import secrets

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from hub.extensions import db
from hub.search import cli as search_cli


@click.group("hub")
def hub_cli() -> None:
    """Knowledge Hub operations."""


@hub_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Site admin", show_default=True)
@click.option(
    "--password", envvar="HUB_ADMIN_PASSWORD", help="The password (else one is made and printed)."
)
def create_admin(email: str, name: str, password: str | None) -> None:
    """Make EMAIL a site admin, creating the account if there is none."""
    from hub.auth.models import User
    from hub.auth.passwords import hash_password, password_problem
    from hub.auth.service import normalise_email
    from hub.db import utcnow

    email = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        password = password or secrets.token_urlsafe(15)
        if problem := password_problem(password, email, name):
            raise click.ClickException(problem)
        now = utcnow()
        user = User(
            email=email,
            name=name,
            role="officer",
            password_hash=hash_password(password),
            email_verified_at=now,
            approved_at=now,
        )
        db.session.add(user)
        click.echo(f"Created {email} with password: {password}")
    user.is_admin = True
    db.session.commit()
    click.echo(f"{email} is a site admin.")


@hub_cli.command("seed")
@click.option(
    "--scale",
    type=click.Choice(["demo", "tiny", "small", "full"]),
    default="demo",
    show_default=True,
    help="demo: a few people (hub/demo.py); tiny: 200 people; small: 2,000 people; full: "
    "Knowledge Hub size, 120,000 people in 1,400 groups (needs an empty database).",
)
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has people already.")
@click.option(
    "--seed",
    "random_seed",
    type=int,
    default=42,
    show_default=True,
    help="The random seed of the small and full generators: same seed, same data.",
)
def seed(scale: str, if_empty: bool, random_seed: int) -> None:
    """Fill the database with demo data, or generated data at scale."""
    from hub.auth.models import User

    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("The database has data already; not seeding.")
        return
    if scale == "demo":
        from hub.demo import DEMO_PASSWORD, seed_demo

        email = seed_demo()
        click.echo(f"Demo data seeded. Sign in as {email} with password {DEMO_PASSWORD}")
        return
    from hub.seeding import generate

    result = generate(scale, random_seed)
    click.echo(f"Seeded scale {scale} (seed {random_seed}) in {result.seconds:.1f} s:")
    for table, count in result.counts.items():
        click.echo(f"  {table:<28} {count:>10,}")
    for what in result.skipped:
        click.echo(f"  not generated yet: {what}")
    click.echo(f"Every generated person's password is: {result.password}")
    click.echo(f"A member of {result.bench_groups} groups (for benchmarks): {result.bench_email}")
    click.echo(f"A site admin: {result.admin_email}")
    # The generator writes in bulk, past the ORM's change tracking: index it all now.
    search_cli.rebuild_with_progress()


@hub_cli.command("recount")
@with_appcontext
def recount() -> None:
    """Set the counts kept as people write (each group's posts, files and live sessions,
    each people-finder word's holders) from the rows, and say how many were wrong."""
    from hub.groups.service import recount_group_content
    from hub.people.models import recount_word_holders

    connection = db.session.connection()
    groups = recount_group_content(connection)
    words = recount_word_holders(connection)
    db.session.commit()
    click.echo(f"Groups with wrong counts, now corrected: {groups}.")
    click.echo(f"People-finder words with wrong counts of holders, now corrected: {words}.")


@hub_cli.command("prune")
@with_appcontext
def prune() -> None:
    """Delete audit entries and closed reports older than their retention periods
    (HUB_AUDIT_RETENTION_DAYS, HUB_REPORT_RETENTION_DAYS); open reports are kept."""
    from hub.audit import service as audit
    from hub.reports import service as reports

    entries = audit.prune(current_app.config["HUB_AUDIT_RETENTION_DAYS"])
    closed = reports.prune(current_app.config["HUB_REPORT_RETENTION_DAYS"])
    db.session.commit()
    click.echo(f"Deleted {entries} audit entries and {closed} closed reports.")


@hub_cli.command("worker")
@click.option("--once", is_flag=True, help="Drain what is pending, then stop.")
def worker(once: bool) -> None:
    """Drain the outbox (search index, mail, live events): the one writer in production."""
    import time

    from hub import outbox

    click.echo("Outbox worker started.")
    while True:
        done = outbox.drain_all()
        if done:
            current_app.logger.info("outbox drained", extra={"rows": done})
        if once:
            return
        db.session.remove()
        time.sleep(0.2)


@hub_cli.command("digest")
def digest() -> None:
    """Mail each person who chose a daily digest their unread notifications since the last."""
    from hub import outbox
    from hub.notifications import service

    people = service.daily_digest_recipients()
    sent = 0
    with click.progressbar(people, label="Daily digests") as bar:
        for user_id in bar:
            sent += service.send_digest(user_id)
    if current_app.config["HUB_OUTBOX_DRAIN"] != "worker":
        # No worker runs beside embedded serving to send them; send them now.
        outbox.drain_all()
    click.echo(f"Digests queued for {sent} of {len(people)} people with daily email.")


@hub_cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=None, help="Default: PORT, else 5000.")
def serve(host: str, port: int | None) -> None:
    """Serve HTTP and the live channel in one process (development and demos)."""
    from hub import outbox
    from hub.extensions import socketio

    if current_app.config["HUB_OUTBOX_DRAIN"] == "thread":
        outbox.start_drain_thread(current_app._get_current_object())
    port = port or current_app.config["PORT"]
    # Flask refuses app.run() inside a `flask` command; this command exists to serve.
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    click.echo(f"Knowledge Hub on http://{host}:{port}  (API docs: http://{host}:{port}/api/docs)")
    socketio.run(
        current_app,
        host=host,
        port=port,
        allow_unsafe_werkzeug=True,
        use_reloader=False,
        log_output=False,
    )


def register(app: Flask) -> None:
    for command in (search_cli.reindex, search_cli.search_cli):
        if command.name not in hub_cli.commands:
            hub_cli.add_command(command)
    app.cli.add_command(hub_cli)
