"""`flask hub reindex` and `flask hub search check`."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from hub.search import documents, service


@click.command("reindex")
@click.option(
    "--procs",
    type=int,
    default=2,
    show_default=True,
    help="Writer processes (2 suits this machine's 2 cores).",
)
@with_appcontext
def reindex(procs: int) -> None:
    """Rebuild the search index from the database, then swap it in."""
    rebuild_with_progress(procs)


def rebuild_with_progress(procs: int = 2) -> None:
    """Rebuild the index from the database with a progress bar, and say how fast it went."""
    total = documents.count_all()
    started = time.perf_counter()
    with click.progressbar(length=total, label="Indexing", show_pos=True) as bar:
        count = service.rebuild(progress=bar.update, procs=procs)
    seconds = time.perf_counter() - started
    click.echo(
        f"Indexed {count} documents in {seconds:.1f} s "
        f"({count / seconds if seconds else 0:.0f} documents/s)."
    )


@click.group("search")
def search_cli() -> None:
    """The search index."""


@search_cli.command("check")
@click.option("--fix", is_flag=True, help="Index what is missing or stale; drop what is gone.")
@with_appcontext
def check(fix: bool) -> None:
    """Report documents missing from, stale in, or left over in the index."""
    found = service.check(fix=fix)
    for kind in ("missing", "stale", "extra"):
        refs = found[kind]
        shown = ", ".join(refs[:20]) + (" ..." if len(refs) > 20 else "")
        click.echo(f"{kind}: {len(refs)}" + (f" ({shown})" if refs else ""))
    problems = sum(len(v) for v in found.values())
    if not problems:
        click.echo("The index matches the database.")
    elif fix:
        click.echo(f"Repaired {problems} documents.")
    else:
        raise click.ClickException(f"{problems} documents differ; run with --fix to repair.")
