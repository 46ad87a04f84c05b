"""The PostgreSQL full-text backend: search documents in a table of the hub's own database.

Each document is a row of `search_documents` with a weighted `tsvector` (title A, body B,
PostgreSQL's `english` configuration: Snowball stemming, so "councils" finds "council"
and "organisations" "organisation"), written in the same transaction as the content it
comes from (`hub/search/tracking.py` calls `write` before commit). A search right after a
commit finds it, on every host that shares the database: there is no index writer, and
no index directory.

The permission filter is part of the same WHERE as the words (`group_id = ANY(allowed)`,
0 for public documents), so nothing the caller may not read is ranked, counted, faceted
or suggested. Did-you-mean finds words near a query's in `search_spellings` (each word
once) through a `pg_trgm` index, and offers those `search_words` (each word's number of
documents per group, kept by the same writes) says the caller may read.

A page of hits is read best first from a RUM index (the `rum` extension): `ORDER BY tsv
<=> query` takes each match's rank from the positions stored in the index, so only the
page's rows are read from the table; GIN with `ts_rank_cd` had to read and rank every
match of a common word. Counting every match is the other cost, so a total is exact up to
`EXACT_TOTAL` matches and a lower bound beyond (`total_exact: false`, API.md), and the
facets are counted over the same matches.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from whoosh.lang.porter import stem as porter_stem

from hub.errors import HubError
from hub.extensions import db
from hub.search.backend import (
    _STOPS,
    FACET_GROUPS,
    SNIPPET_CHARS,
    STORED_BODY_CHARS,
    TYPES,
    Hit,
    SearchDoc,
    SearchResult,
    _distance,
    _shorten,
    _words,
    correctable_words,
)
from hub.search.snippets import Snippets

EXACT_TOTAL = 10_000
PUBLIC_GROUP = 0  # the group_id of public documents in these tables
# to_tsvector refuses text whose lexemes pass 1 MB; the start of a longer file is indexed.
VECTOR_CHARS = 400_000
# What to install for each extension the backend needs, for the message when one is missing.
EXTENSIONS = {
    "pg_trgm": "PostgreSQL's contrib modules (Debian: postgresql-15; elsewhere postgresql-contrib)",
    "rum": "the RUM index (Debian: postgresql-15-rum, which `make install-postgres-rum` "
    "installs; not a trusted extension: a superuser creates it)",
}

# For the search's transaction: the planner JIT-compiles statements it expects to be
# costly (a common word's matches), and compiling took longer than they run; the RUM
# index sorts a common word's matches by rank, which spilled to disk in 4 MB.
SEARCH_SETTINGS = sa.text(
    "SELECT set_config('jit', 'off', true), set_config('work_mem', '32MB', true)"
)

METADATA = sa.MetaData()

DOCUMENTS = sa.Table(
    "search_documents",
    METADATA,
    sa.Column("ref", sa.String(80), primary_key=True),
    sa.Column("type", sa.String(20), nullable=False),
    sa.Column("item_id", sa.Integer, nullable=False),
    sa.Column("group_id", sa.Integer, nullable=False),  # PUBLIC_GROUP: public
    sa.Column("group_name", sa.Text),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("label", sa.Text),
    sa.Column("body", sa.Text, nullable=False),  # the start, for snippets
    sa.Column("tags", ARRAY(sa.Text), nullable=False),
    sa.Column("parents", ARRAY(sa.Text), nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime),
    sa.Column("stamp", sa.String(16), nullable=False),
    sa.Column("words", ARRAY(sa.Text), nullable=False),  # for search_words' counts
    sa.Column("tsv", TSVECTOR, nullable=False),
    sa.Index("ix_search_documents_tsv", "tsv", postgresql_using="gin"),
    sa.Index(
        "ix_search_documents_rum",
        "tsv",
        postgresql_using="rum",
        postgresql_ops={"tsv": "rum_tsvector_ops"},
    ),
    sa.Index("ix_search_documents_parents", "parents", postgresql_using="gin"),
    sa.Index("ix_search_documents_tags", "tags", postgresql_using="gin"),
    # A search within one group reads that group's rows, not every match of its words.
    sa.Index("ix_search_documents_group_id", "group_id"),
)

WORDS = sa.Table(
    "search_words",
    METADATA,
    sa.Column("word", sa.Text, primary_key=True),
    sa.Column("group_id", sa.Integer, primary_key=True),
    sa.Column("docs", sa.Integer, nullable=False),
)

# Each word once, for did-you-mean's trigram search: search_words repeats a word for every
# group that holds it, and a trigram search over it rechecked each repeat. A word leaves
# when no document holds it; search_words' counts decide whether it is offered.
SPELLINGS = sa.Table(
    "search_spellings",
    METADATA,
    sa.Column("word", sa.Text, primary_key=True),
    sa.Index(
        "ix_search_spellings_trigrams",
        "word",
        postgresql_using="gin",
        postgresql_ops={"word": "gin_trgm_ops"},
    ),
)

TABLES = ("search_spellings", "search_words", "search_documents")


class SearchUnavailable(HubError):
    status = 503
    code = "search_unavailable"


# --- what is written ----------------------------------------------------------------------

# Web and email addresses, dotted names, paths and MIME types are one token to
# PostgreSQL's parser ("www.openkent.org.uk" a host; "docs/screenshots/phone.png", "/proc"
# and "pub/sub" files), and it leaves out a word in angle brackets ("<date>", a tag),
# where Whoosh and FTS5 see words. So the words of every run of text that joins words by
# more than a hyphen or an apostrophe, and the names an address's dots end with, are added
# to the indexed text as well: "openkent" finds the address, "screenshots" the path,
# "leeds.gov.uk" finds "housing@leeds.gov.uk", and each still finds itself whole.
_JOINED = re.compile(r"\S*[^\W_][^\w\s'-]+[^\W_]\S*|/[^\W_]\S*|<[^\W_][^\s<>]*>")
_ADDRESS = re.compile(r"[^\W_][\w-]*(?:[.@][^\W_][\w-]*)+(?:/[\w./-]*)?")
_WORD = re.compile(r"[^\W_]+")
# PostgreSQL leaves out words longer than 2,047 bytes; their start is kept instead,
# so that a prefix still finds them.
_LONG_WORD = re.compile(r"\w{500,}")


def vector_text(text: str) -> str:
    text = _LONG_WORD.sub(lambda m: m.group()[:500], text[:VECTOR_CHARS])
    extra = [" ".join(_WORD.findall(match.group())) for match in _JOINED.finditer(text)]
    for match in _ADDRESS.finditer(text):
        labels = match.group().split("/", 1)[0].rsplit("@", 1)[-1].split(".")
        extra.extend(".".join(labels[i:]) for i in range(len(labels) - 1))
    return text if not extra else text + "\n" + "\n".join(extra)


def spelling_words(doc: SearchDoc) -> list[str]:
    """The words did-you-mean may offer from this document (it only offers words of four
    letters or more)."""
    text = f"{doc.title or ''} {doc.body or ''}".lower()
    return sorted({w for w in _WORD.findall(text) if len(w) >= 4 and not w.isdigit()})


def _row(doc: SearchDoc) -> dict:
    return {
        "ref": doc.ref,
        "type": doc.type,
        "item_id": doc.id,
        "group_id": PUBLIC_GROUP if doc.group_id is None else doc.group_id,
        "group_name": doc.group_name,
        "title": doc.title or "",
        "label": doc.label,
        "body": (doc.body or "")[:STORED_BODY_CHARS],
        "tags": [t.lower() for t in doc.tags],
        "parents": list(doc.parents),
        "url": doc.url or "",
        "created_at": doc.created_at,
        "stamp": doc.stamp(),
        "words": spelling_words(doc),
        "title_text": vector_text(doc.title or ""),
        "body_text": vector_text(doc.body or ""),
    }


_UPSERT = sa.text(
    """
    INSERT INTO search_documents (ref, type, item_id, group_id, group_name, title, label,
        body, tags, parents, url, created_at, stamp, words, tsv)
    VALUES (:ref, :type, :item_id, :group_id, :group_name, :title, :label, :body, :tags,
        :parents, :url, :created_at, :stamp, :words,
        setweight(to_tsvector('english', :title_text), 'A')
        || setweight(to_tsvector('english', :body_text), 'B'))
    ON CONFLICT (ref) DO UPDATE SET type = excluded.type, item_id = excluded.item_id,
        group_id = excluded.group_id, group_name = excluded.group_name,
        title = excluded.title, label = excluded.label, body = excluded.body,
        tags = excluded.tags, parents = excluded.parents, url = excluded.url,
        created_at = excluded.created_at, stamp = excluded.stamp, words = excluded.words,
        tsv = excluded.tsv
    """
)

# Word counts change by deltas, applied in one statement in (word, group) order so that
# two transactions touching the same words lock them in the same order.
_ADD_WORDS = sa.text(
    """
    INSERT INTO search_words (word, group_id, docs)
    SELECT word, group_id, docs FROM unnest(CAST(:words AS text[]), CAST(:groups AS int[]),
        CAST(:deltas AS int[])) AS d(word, group_id, docs)
    ORDER BY word, group_id
    ON CONFLICT (word, group_id) DO UPDATE SET docs = search_words.docs + excluded.docs
    """
)
_ADD_SPELLINGS = sa.text(
    """
    INSERT INTO search_spellings (word)
    SELECT DISTINCT word FROM unnest(CAST(:words AS text[])) AS d(word) ORDER BY word
    ON CONFLICT (word) DO NOTHING
    """
)
_DROP_UNUSED_WORDS = sa.text(
    """
    DELETE FROM search_words w USING unnest(CAST(:words AS text[]), CAST(:groups AS int[]))
        AS d(word, group_id)
    WHERE w.word = d.word AND w.group_id = d.group_id AND w.docs <= 0
    """
)
# A word no document holds any more leaves did-you-mean's list too: a closed account's
# name is not kept there. (Should a write adding the word race this one, the word is
# missing from the list until the next write that adds it.)
_DROP_UNUSED_SPELLINGS = sa.text(
    """
    DELETE FROM search_spellings s WHERE s.word = ANY(CAST(:words AS text[]))
    AND NOT EXISTS (SELECT 1 FROM search_words w WHERE w.word = s.word)
    """
)


# --- the query language ---------------------------------------------------------------------

# "a phrase", -excluded, prefix*, words; NOT and AND as Whoosh reads them, OR between two.
_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse(text: str) -> tuple[str, dict, Snippets]:
    """The tsquery of `text` as SQL (with its parameters), and what snippets mark."""
    parts: list[str] = []
    params: dict = {}
    stems: set[str] = set()
    prefixes: list[str] = []
    negate = join_or = False
    for match in _TERM.finditer(text):
        minus, phrase, word = match.groups()
        if word in ("NOT", "AND", "OR"):
            negate = negate or word == "NOT"
            join_or = join_or or word == "OR"
            continue
        name = f"q{len(params)}"
        if phrase is not None:
            negated = bool(minus)
            sql = f"phraseto_tsquery('english', :{name})"
            params[name] = phrase
            words = _words(phrase)
        else:
            negated = word.startswith("-") and len(word) > 1
            word = word[1:] if negated else word
            if word.endswith("*") and _WORD.fullmatch(word.rstrip("*")):
                prefix = word.rstrip("*").lower()
                sql = f"to_tsquery('simple', :{name})"
                params[name] = f"{prefix}:*"
                words = []
                if not (negated or negate):
                    prefixes.append(prefix)
            else:
                sql = f"plainto_tsquery('english', :{name})"
                params[name] = word
                words = _words(word)
        negated = negated or negate
        if not negated:
            stems.update(porter_stem(w) for w in words if w not in _STOPS)
        sql = f"(!! {sql})" if negated else sql
        if join_or and parts:
            parts[-1] = f"({parts[-1]} || {sql})"
        else:
            parts.append(sql)
        negate = join_or = False
    return " && ".join(parts), params, Snippets(stems, prefixes)


def counts_sql(tsquery: str, where: str) -> str:
    """Matches by type and group, over at most :bound of them."""
    return (
        "SELECT type, group_id, count(*) FROM (SELECT d.type, d.group_id "
        f"FROM search_documents d WHERE {where} LIMIT :bound) m GROUP BY 1, 2"
    )


def hits_sql(tsquery: str, where: str) -> str:
    """One page of matches, best first, read in rank order from the RUM index (the query
    is written out, not joined, so that the planner may order by the index). Equal ranks
    come in the index's order, the same on every page."""
    return (
        "SELECT d.type, d.item_id, d.title, d.label, d.body, d.group_id, d.group_name, "
        f"d.url, d.created_at, rum_ts_score(d.tsv, {tsquery}) AS score "
        f"FROM search_documents d WHERE {where} "
        f"ORDER BY d.tsv <=> ({tsquery}) LIMIT :limit OFFSET :offset"
    )


# --- the backend ------------------------------------------------------------------------------


class PostgresBackend:
    """Search in the hub's PostgreSQL database, through the app's session."""

    name = "postgres"
    writes_in_transaction = True

    def __init__(self) -> None:
        self._checked = False

    def check_extensions(self) -> None:
        """Fail with a message that says what to do when an extension is missing."""
        if self._checked:
            return
        installed = set(
            db.session.scalars(
                sa.text("SELECT extname FROM pg_extension WHERE extname = ANY(:names)"),
                {"names": list(EXTENSIONS)},
            )
        )
        missing = [name for name in EXTENSIONS if name not in installed]
        if missing:
            raise SearchUnavailable(
                "PostgreSQL search needs the extension(s) "
                + ", ".join(missing)
                + " in the hub's database: install "
                + "; ".join(f"{name}: {EXTENSIONS[name]}" for name in missing)
                + "; then run `flask db upgrade`, or set HUB_SEARCH_BACKEND=whoosh."
            )
        self._checked = True

    def ready(self) -> bool:
        self.check_extensions()
        db.session.execute(sa.text("SELECT 1 FROM search_documents LIMIT 1"))
        return True

    def reopen(self) -> None:
        """Nothing is held open between searches."""
        self._checked = False

    # --- writing ----------------------------------------------------------------------

    def write(self, docs: Iterable[SearchDoc], deletes: Iterable[str] = ()) -> None:
        """Add or replace documents and delete refs (and their children) in the session's
        transaction, keeping the word counts; the caller commits."""
        docs = list(docs)
        deletes = sorted(set(deletes))
        if not docs and not deletes:
            return
        connection = db.session.connection()
        deltas: Counter = Counter()
        if deletes:
            gone = connection.execute(
                sa.text(
                    "DELETE FROM search_documents WHERE ref = ANY(:refs) OR parents && :refs "
                    "RETURNING group_id, words"
                ),
                {"refs": deletes},
            )
            for group_id, words in gone:
                deltas.update({(w, group_id): -1 for w in words})
        if docs:
            rows = [_row(doc) for doc in docs]
            old = connection.execute(
                sa.text(
                    "SELECT group_id, words FROM search_documents WHERE ref = ANY(:refs) "
                    "ORDER BY ref FOR UPDATE"
                ),
                {"refs": sorted(row["ref"] for row in rows)},
            )
            for group_id, words in old:
                deltas.update({(w, group_id): -1 for w in words})
            connection.execute(_UPSERT, rows)
            for row in rows:
                deltas.update({(w, row["group_id"]): 1 for w in row["words"]})
        changed = sorted((key, n) for key, n in deltas.items() if n)
        if changed:
            words = [w for (w, _g), _n in changed]
            groups = [g for (_w, g), _n in changed]
            connection.execute(
                _ADD_WORDS, {"words": words, "groups": groups, "deltas": [n for _k, n in changed]}
            )
            connection.execute(_DROP_UNUSED_WORDS, {"words": words, "groups": groups})
            added = sorted({w for (w, _g), n in changed if n > 0})
            if added:
                connection.execute(_ADD_SPELLINGS, {"words": added})
            removed = sorted({w for (w, _g), n in changed if n < 0})
            if removed:
                connection.execute(_DROP_UNUSED_SPELLINGS, {"words": removed})

    def index(self, docs: Iterable[SearchDoc], deletes: Iterable[str] = ()) -> None:
        """Write and commit (commands and repairs; requests write through `write`)."""
        self.write(docs, deletes)
        db.session.commit()

    def delete(self, refs: Iterable[str]) -> None:
        self.index((), refs)

    def stamps(self) -> dict[str, str]:
        return dict(db.session.execute(sa.text("SELECT ref, stamp FROM search_documents")).all())

    def rebuild(self, batches: Iterable[list[SearchDoc]], progress=None, procs: int = 2) -> int:
        """Replace every document in one transaction: searches see the old ones until it
        commits. The word counts are made once at the end, by one aggregate. (One
        process: `procs` is the Whoosh build's.)"""
        connection = db.session.connection()
        for table in TABLES:
            connection.execute(sa.text(f"DELETE FROM {table}"))
        count = 0
        for batch in batches:
            if batch:
                connection.execute(_UPSERT, [_row(doc) for doc in batch])
            count += len(batch)
            if progress is not None:
                progress(len(batch))
        connection.execute(
            sa.text(
                "INSERT INTO search_words (word, group_id, docs) "
                "SELECT word, group_id, count(*) FROM search_documents, unnest(words) AS word "
                "GROUP BY word, group_id"
            )
        )
        connection.execute(
            sa.text("INSERT INTO search_spellings (word) SELECT DISTINCT word FROM search_words")
        )
        db.session.commit()
        return count

    # --- reading ----------------------------------------------------------------------

    def search(
        self,
        text: str,
        allowed_group_ids: set[int],
        types: Sequence[str] = (),
        group_id: int | None = None,
        tag: str | None = None,
        page: int = 1,
        page_size: int = 20,
        highlight: bool = True,
    ) -> SearchResult:
        self.check_extensions()
        db.session.execute(SEARCH_SETTINGS)
        tsquery, params, snippets = parse(text)
        suggestion = self._suggest(text, allowed_group_ids)
        if not tsquery:
            return SearchResult(0, [], {}, {}, suggestion=suggestion)
        where, params = self.where(tsquery, params, allowed_group_ids, group_id, tag)
        wanted = [t for t in types if t in TYPES]
        counted = db.session.execute(
            sa.text(counts_sql(tsquery, where)), {**params, "bound": EXACT_TOTAL + 1}
        ).all()
        exact = sum(n for _t, _g, n in counted) <= EXACT_TOTAL
        type_counts: Counter = Counter()
        group_counts: Counter = Counter()
        for type_, group, n in counted:
            type_counts[type_] += n
            if not types or type_ in wanted:
                group_counts[group] += n
        total = sum(n for t, n in type_counts.items() if not types or t in wanted)
        hits = []
        if total and (page - 1) * page_size < total:
            hits = self._hits(tsquery, where, params, wanted if types else None, page, page_size)
            hits = [self._hit(row, snippets if highlight else None) for row in hits]
        groups = sorted(
            ((g, n) for g, n in group_counts.items() if g != PUBLIC_GROUP),
            key=lambda gn: (-gn[1], gn[0]),
        )[:FACET_GROUPS]
        result = SearchResult(
            total=total,
            hits=hits,
            type_counts=dict(type_counts) if not types else {t: type_counts[t] for t in wanted},
            group_counts=dict(groups),
            suggestion=suggestion,
        )
        if not exact:
            result.extra["total_exact"] = False
        return result

    @staticmethod
    def where(tsquery, params, allowed, group_id=None, tag=None) -> tuple[str, dict]:
        """The WHERE of a search (words, permission, filters) and its parameters."""
        where = f"d.tsv @@ ({tsquery}) AND d.group_id = ANY(:allowed)"
        params = {**params, "allowed": sorted({PUBLIC_GROUP, *allowed})}
        if group_id is not None:
            where += " AND d.group_id = :group_id"
            params["group_id"] = group_id
        if tag:
            where += " AND d.tags @> ARRAY[CAST(:tag AS text)]"
            params["tag"] = tag.strip().lower()
        return where, params

    @staticmethod
    def _hits(tsquery, where, params, types, page, page_size):
        if types is not None:
            where += " AND d.type = ANY(:types)"
            params = {**params, "types": types}
        return db.session.execute(
            sa.text(hits_sql(tsquery, where)),
            {**params, "limit": page_size, "offset": (page - 1) * page_size},
        ).all()

    @staticmethod
    def _hit(row, snippets: Snippets | None) -> Hit:
        snippet = ""
        if snippets is not None:
            snippet = snippets.cut(row.body, maxchars=SNIPPET_CHARS, surround=60)
        if not snippet:
            snippet = html.escape(_shorten(row.body))
        return Hit(
            type=row.type,
            id=row.item_id,
            title=row.label or row.title,
            snippet=snippet,
            group_id=None if row.group_id == PUBLIC_GROUP else row.group_id,
            group_name=row.group_name,
            url=row.url,
            score=round(float(row.score), 4),
            created_at=row.created_at,
        )

    # --- did you mean ---------------------------------------------------------------

    def _suggest(self, text: str, allowed: set[int]) -> str | None:
        """Replace each word found in nothing readable by its nearest readable word (by
        edit distance, then by how many readable documents hold it), as Whoosh does."""
        groups = sorted({PUBLIC_GROUP, *allowed})
        out = text
        changed = False
        for match in correctable_words(text):
            word = match.group(0).lower()
            if self._readable_word(word, groups):
                continue
            best = self._nearest(word, groups)
            if best is not None:
                out = out[: match.start()] + best + out[match.end() :]
                changed = True
        if not changed:
            return None
        tsquery, params, _snippets = parse(out)
        if not tsquery:
            return None
        where, params = self.where(tsquery, params, set(groups), None, None)
        found = db.session.scalar(
            sa.text(f"SELECT EXISTS (SELECT 1 FROM search_documents d WHERE {where})"),
            params,
        )
        return out if found else None

    @staticmethod
    def _readable_word(word: str, groups: list[int]) -> bool:
        return bool(
            db.session.scalar(
                sa.text(
                    "SELECT EXISTS (SELECT 1 FROM search_words WHERE word = :word "
                    "AND group_id = ANY(:groups) AND docs > 0)"
                ),
                {"word": word, "groups": groups},
            )
        )

    @staticmethod
    def _nearest(word: str, groups: list[int]) -> str | None:
        maxdist = 1 if len(word) <= 5 else 2
        similar = db.session.scalars(
            sa.text(
                "SELECT word FROM search_spellings WHERE word % :word "
                "AND left(word, 1) = left(:word, 1)"
            ),
            {"word": word},
        )
        # Only words within the edit distance have their readable documents counted: each
        # is a look-up per readable group.
        near = [w for w in similar if w != word and _distance(word, w) <= maxdist]
        if not near:
            return None
        rows = db.session.execute(
            sa.text(
                "SELECT word, sum(docs) FROM search_words WHERE word = ANY(:near) "
                "AND group_id = ANY(:groups) AND docs > 0 GROUP BY word"
            ),
            {"near": near, "groups": groups},
        ).all()
        best = None
        for candidate, count in rows:
            rank = (_distance(word, candidate), -int(count), candidate)
            if best is None or rank < best:
                best = rank
        return None if best is None else best[2]
