"""Known-item search quality: does a document come back from a few of its rarest words?

For N documents (a fixed seed), a query of 3 or 4 of the document's most distinctive
words (the lowest document frequency in the corpus; no stop word of either engine), in a
shuffled order, as a person who may read the document; MRR@10 is the mean of 1/rank of
that document in the first 10 results (0 when it is not among them). The same queries
run through `WhooshBackend.search`, `PostgresBackend.search` and SQLite FTS5 (the search
benchmark's set-up: bm25 with the same title weight, the same permission filter).

Two corpora:

- real prose: the text the hub extracts from the tests' real office documents
  (tests/fixtures/) and the paragraphs and list items of the repository's Markdown
  (docs/*.md, README.md, CHANGELOG.md), each a public document of a small hub made in a
  temp dir (a Whoosh index, and a scratch PostgreSQL database on --postgres-url);
- with --data-dir: the seeded data set in that HUB_DATA_DIR and HUB_DATABASE_URL (its
  Whoosh index and its `search_documents`), as person 1 (a member of 20 groups).

    HUB_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/hub_pgsearch \\
        .venv/bin/python bench/quality_bench.py --data-dir /tmp/hub-pgsearch
    .venv/bin/python bench/quality_bench.py          # real prose only

Saves its report to bench/results/ (`quality`).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import tempfile
import uuid
from collections import Counter
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from machine import describe  # bench/machine.py
from record import save  # bench/record.py
from search_bench import allow_fts, build_fts, fts_hits, fts_query  # bench/search_bench.py

ROOT = Path(__file__).resolve().parents[1]

from hub import create_app  # noqa: E402 (search_bench puts the repository on sys.path)
from hub.search.backend import _STOPS, SearchDoc, WhooshBackend  # noqa: E402

TOP = 10
PROSE_MIN_WORDS = 12  # shorter paragraphs (headings, table rows) are not documents
# Words as the hub's analyzers see them (letters, digits and `_`); a query takes only
# those of three letters or more, so `array_agg` or `HUB_DATA_DIR` is never split in two.
_WORD = re.compile(r"\w+")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_ITEM = re.compile(r"^\s*(?:[-*]|\d+\.)\s+")


@dataclass
class Corpus:
    name: str
    docs: list[SearchDoc]
    allowed: set[int]  # the searcher's readable groups (public documents besides)
    searchers: dict  # engine name -> function(query) -> (refs best first, total matched)


# --- queries ------------------------------------------------------------------------------


def words_of(doc: SearchDoc) -> set[str]:
    found = _WORD.findall(f"{doc.title} {doc.body}")
    return {w.lower() for w in found if len(w) >= 3 and w.isalpha()}


def postgres_stop_words(words: set[str]) -> set[str]:
    """Those of `words` PostgreSQL's `english` dictionary drops (needs an app context)."""
    from hub.extensions import db

    return set(
        db.session.scalars(
            sa.text(
                "SELECT w FROM unnest(CAST(:words AS text[])) AS w "
                "WHERE ts_lexize('english_stem', w) = '{}'"
            ),
            {"words": sorted(words)},
        )
    )


def pick_queries(corpus: Corpus, count: int, seed: int, pg_app) -> list[tuple[str, str]]:
    """(ref, query) for `count` readable documents: each query 3 or 4 of the document's
    words of lowest document frequency, ties broken at random, in a random order."""
    rng = random.Random(seed)
    readable = [
        n
        for n, doc in enumerate(corpus.docs)
        if doc.group_id is None or doc.group_id in corpus.allowed
    ]
    chosen = rng.sample(readable, min(count, len(readable)))
    frequency: Counter = Counter()
    for doc in corpus.docs:
        frequency.update(words_of(doc))
    words = {n: words_of(corpus.docs[n]) for n in chosen}
    with pg_app.app_context():
        stops = _STOPS | postgres_stop_words(set().union(*words.values()))
    queries = []
    for n in chosen:
        usable = sorted(words[n] - stops)
        if len(usable) < 3:
            continue
        rng.shuffle(usable)
        rarest = sorted(usable, key=frequency.__getitem__)[: rng.choice((3, 4))]
        rng.shuffle(rarest)
        queries.append((corpus.docs[n].ref, " ".join(rarest)))
    return queries


def reciprocal_rank(ref: str, refs: list[str]) -> float:
    return 1 / (refs.index(ref) + 1) if ref in refs[:TOP] else 0.0


def measure(corpus: Corpus, queries: list[tuple[str, str]]):
    """Each engine's reciprocal ranks, and its numbers of matches, query by query."""
    scores, totals = {}, {}
    for engine, search in corpus.searchers.items():
        answers = [(ref, *search(text)) for ref, text in queries]
        scores[engine] = [reciprocal_rank(ref, refs) for ref, refs, _total in answers]
        totals[engine] = [total for _ref, _refs, total in answers]
    return scores, totals


# --- engines --------------------------------------------------------------------------------


def backend_searcher(backend, allowed: set[int], app=None):
    def search(text: str) -> tuple[list[str], int]:
        with app.app_context() if app is not None else nullcontext():
            result = backend.search(text, allowed, page_size=TOP, highlight=False)
        return [f"{hit.type}:{hit.id}" for hit in result.hits], result.total

    return search


def fts_searcher(docs: list[SearchDoc], allowed: set[int], path: Path):
    conn = build_fts(docs, path)
    allow_fts(conn, allowed)

    def search(text: str) -> tuple[list[str], int]:
        match = fts_query(text)
        total = conn.execute(
            "SELECT count(*) FROM docs WHERE docs MATCH ? AND group_id IN (SELECT id FROM allowed)",
            (match,),
        ).fetchone()[0]
        return [docs[row[0] - 1].ref for row in fts_hits(conn, match, limit=TOP)], total

    return search


# --- real prose -----------------------------------------------------------------------------


def markdown_units(path: Path) -> list[tuple[str, str]]:
    """(heading, text) of each paragraph and list item of a Markdown file, code left out."""
    units: list[tuple[str, str]] = []
    heading, lines, fenced = path.stem, [], False

    def flush() -> None:
        text = " ".join(lines).strip()
        if len(_WORD.findall(text)) >= PROSE_MIN_WORDS:
            units.append((heading, text))
        lines.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
            flush()
        elif fenced:
            continue
        elif match := _HEADING.match(line):
            flush()
            heading = match.group(1).strip()
        elif not line.strip() or _ITEM.match(line):
            flush()
            lines.append(_ITEM.sub("", line))
        else:
            lines.append(line.strip())
    flush()
    return units


def prose_docs(app) -> list[SearchDoc]:
    """The tests' real documents as the hub extracts them, then the Markdown's units."""
    from hub.library.extraction import extract_text
    from hub.library.filetypes import detect

    docs = []
    with app.app_context():
        for path in sorted((ROOT / "tests" / "fixtures").glob("sample.*")):
            text = extract_text(path, detect(path, path.name).name).text
            if text:
                docs.append(SearchDoc("file", len(docs) + 1, path.name, text, None))
    markdown = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md", ROOT / "CHANGELOG.md"]
    for path in markdown:
        for heading, text in markdown_units(path):
            docs.append(SearchDoc("thread", len(docs) + 1, heading, text, None))
    return docs


@contextmanager
def prose_corpus(work: Path, admin_url: str):
    """The small hub: Whoosh in `work`, PostgreSQL in a scratch database; gives the
    corpus and the PostgreSQL app, then drops the database."""
    from hub.extensions import db
    from hub.search import postgres, service

    work.mkdir(parents=True)
    name = f"hub_quality_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    try:
        pg_app = create_app(
            {
                "HUB_DATA_DIR": str(work),
                "SQLALCHEMY_DATABASE_URI": url,
                "HUB_SEARCH_BACKEND": "postgres",
            }
        )
        docs = prose_docs(pg_app)
        whoosh = WhooshBackend(work / "index")
        whoosh.rebuild([docs], procs=1)
        with pg_app.app_context():
            with db.engine.begin() as connection:
                connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
                connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS rum"))
                postgres.METADATA.create_all(connection)
            service.backend().rebuild([docs])
            pg = service.backend()
        corpus = Corpus(
            f"real prose, {len(docs)} documents",
            docs,
            set(),
            {
                "Whoosh": backend_searcher(whoosh, set()),
                "PostgreSQL": backend_searcher(pg, set(), pg_app),
                "SQLite FTS5": fts_searcher(docs, set(), work / "fts.sqlite3"),
            },
        )
        yield corpus, pg_app
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- the seeded data set ----------------------------------------------------------------


def seeded_corpus(data_dir: Path, work: Path):
    """Person 1 on the seeded data set: its Whoosh index and PostgreSQL table."""
    from hub.auth.models import User
    from hub.extensions import db
    from hub.groups.access import readable_group_ids
    from hub.search import documents, service

    w_app = create_app({"HUB_DATA_DIR": str(data_dir), "HUB_SEARCH_BACKEND": "whoosh"})
    pg_app = create_app({"HUB_DATA_DIR": str(data_dir), "HUB_SEARCH_BACKEND": "postgres"})
    with w_app.app_context():
        allowed = readable_group_ids(db.session.get(User, 1))
        print("Reading the documents ...", flush=True)
        docs = [doc for batch in documents.all_batches() for doc in batch]
        whoosh = service.backend()
    with pg_app.app_context():
        pg = service.backend()
    print(f"Building FTS5 over {len(docs):,} documents ...", flush=True)
    corpus = Corpus(
        f"seeded, {len(docs):,} documents",
        docs,
        allowed,
        {
            "Whoosh": backend_searcher(whoosh, allowed, w_app),
            "PostgreSQL": backend_searcher(pg, allowed, pg_app),
            "SQLite FTS5": fts_searcher(docs, allowed, work / "fts.sqlite3"),
        },
    )
    return corpus, pg_app


# --- the report -----------------------------------------------------------------------------


def rows(corpus: Corpus, scores: dict[str, list[float]], totals: dict[str, list[int]]):
    lines = []
    for engine, values in scores.items():
        found = sum(1 for v in values if v)
        first = sum(1 for v in values if v == 1)
        few = sum(1 for total in totals[engine] if total <= TOP)
        lines.append(
            f"| {corpus.name} | {engine} | {len(values)} | {sum(values) / len(values):.3f} | "
            f"{first / len(values):.0%} | {found / len(values):.0%} | "
            f"{statistics.median(totals[engine]):,.0f} | {few / len(values):.0%} |"
        )
    return lines


def verdict(corpus: Corpus, scores: dict[str, list[float]]) -> str:
    mrr = {engine: sum(v) / len(v) for engine, v in scores.items()}
    gap = mrr["Whoosh"] - mrr["PostgreSQL"]
    within = "within" if gap <= 0.05 else "not within"
    return (
        f"- {corpus.name}: PostgreSQL {mrr['PostgreSQL']:.3f} against Whoosh "
        f"{mrr['Whoosh']:.3f} ({-gap:+.3f}): {within} 0.05 of Whoosh."
    )


def examples(queries, scores: dict[str, list[float]], count: int = 5) -> list[str]:
    """Queries where the engines disagree most, to read what made the difference."""
    engines = list(scores)
    spread = sorted(
        range(len(queries)),
        key=lambda n: -(max(scores[e][n] for e in engines) - min(scores[e][n] for e in engines)),
    )
    lines = []
    for n in spread[:count]:
        ref, text = queries[n]
        marks = ", ".join(f"{e} {scores[e][n]:.2f}" for e in engines)
        if max(scores[e][n] for e in engines) != min(scores[e][n] for e in engines):
            lines.append(f"- `{text}` ({ref}): {marks}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", help="a seeded HUB_DATA_DIR on HUB_DATABASE_URL")
    parser.add_argument("--queries", type=int, default=200, help="documents per corpus")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument(
        "--postgres-url",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server where the real prose's scratch database is made and dropped",
    )
    parser.add_argument("--no-save", action="store_true", help="print only; write no result file")
    args = parser.parse_args()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    table = [
        "| corpus | engine | queries | MRR@10 | first | in top 10 | median matches "
        "| queries matching <= 10 |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    verdicts, notes = [], []
    work = Path(tempfile.mkdtemp(prefix="quality-bench-"))
    try:
        with prose_corpus(work / "prose", args.postgres_url) as (corpus, pg_app):
            _one(corpus, pg_app, args, table, verdicts, notes)
        if args.data_dir:
            corpus, pg_app = seeded_corpus(Path(args.data_dir).resolve(), work)
            _one(corpus, pg_app, args, table, verdicts, notes)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    command = ".venv/bin/python bench/quality_bench.py" + (
        f" --data-dir {args.data_dir}" if args.data_dir else ""
    )
    lines = [
        "",
        f"## Known-item search quality, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"- Machine: {describe()}; load average before the run {load}",
        f"- Command: `{command} --queries {args.queries} --seed {args.seed}`"
        + (" (HUB_DATABASE_URL: the seeded PostgreSQL database)" if args.data_dir else ""),
        f"- Each query: 3 or 4 of one document's words of lowest document frequency (no "
        f"stop word of Whoosh or PostgreSQL's `english`), shuffled; MRR@{TOP} of that "
        "document; 'first': found first; 'matches': the readable documents holding every "
        "word of the query (the total each engine gives); where at most 10 do, the document "
        "is in the top 10 whatever the ranking. The real prose is public; the seeded data set is "
        "searched as person 1 (documents drawn from those they may read).",
        "",
        *table,
        "",
        *verdicts,
        "",
        "Queries where the engines differ most:",
        "",
        *notes,
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if not args.no_save:
        print(f"Saved to {save('quality', report)}")


def _one(corpus, pg_app, args, table, verdicts, notes) -> None:
    print(f"Queries on {corpus.name} ...", flush=True)
    queries = pick_queries(corpus, args.queries, args.seed, pg_app)
    scores, totals = measure(corpus, queries)
    table.extend(rows(corpus, scores, totals))
    verdicts.append(verdict(corpus, scores))
    notes.extend(f"- {corpus.name}: {line[2:]}" for line in examples(queries, scores))


if __name__ == "__main__":
    main()
