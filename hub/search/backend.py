"""The search backend interface, and its Whoosh implementation.

The rest of the hub speaks only `SearchBackend`: `index(docs)`, `delete(refs)` and
`search(...)`. Permission is an argument of `search` (the ids of the groups the caller may
read), applied inside the engine before ranking, counting, faceting and suggesting, so a
backend can never return what the caller may not read. A PostgreSQL full-text backend
(tsvector + GIN, `group_id = ANY(:allowed)` in the same WHERE) fits the same interface;
see docs/architecture.md.
"""

from __future__ import annotations

import html
import re
import shutil
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from whoosh import fields, highlight, index, qparser, query, scoring
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.codec.whoosh3 import W3LeafMatcher

PUBLIC = "public"  # the group_id of documents every signed-in person may read
TYPES = ("file", "thread", "post", "group", "person", "suggestion", "session")
TITLE_BOOST = 3.0
STORED_BODY_CHARS = 20_000  # enough for snippets; the whole text is still indexed
SNIPPET_CHARS = 240


@dataclass
class SearchDoc:
    """One searchable thing: `ref` is "type:id"; `group_id` None means public."""

    type: str
    id: int
    title: str
    body: str
    group_id: int | None
    group_name: str | None = None
    tags: Sequence[str] = ()
    created_at: datetime | None = None
    url: str = ""
    parents: Sequence[str] = ()  # refs whose deletion deletes this too ("thread:5", "group:3")
    label: str | None = None  # the title shown, when it is not the title indexed

    @property
    def ref(self) -> str:
        return f"{self.type}:{self.id}"

    def stamp(self) -> str:
        """A fingerprint of what is indexed, so `search check` can find stale documents."""
        import hashlib

        parts = (
            self.title,
            self.label or "",
            self.body,
            str(self.group_id),
            self.group_name or "",
            ",".join(self.tags),
            self.url,
            " ".join(self.parents),
            self.created_at.isoformat() if self.created_at else "",
        )
        return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


@dataclass
class Hit:
    type: str
    id: int
    title: str
    snippet: str
    group_id: int | None
    group_name: str | None
    url: str
    score: float
    created_at: datetime | None


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    type_counts: dict[str, int]
    group_counts: dict[int, int]
    suggestion: str | None = None
    extra: dict = field(default_factory=dict)


class SearchBackend(Protocol):
    def index(self, docs: Iterable[SearchDoc], deletes: Iterable[str] = ()) -> None:
        """Add or replace these documents (and delete `deletes`) in one commit."""

    def delete(self, refs: Iterable[str]) -> None:
        """Remove these refs and everything whose parent they are."""

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
        """One page of what the caller may read, with totals, facets and a suggestion."""

    def stamps(self) -> dict[str, str]:
        """Every indexed ref with its stamp (for `search check`)."""

    def ready(self) -> bool:
        """Whether the index answers."""


# --- Whoosh -----------------------------------------------------------------------------

# Porter stemming is right for British spellings too (councils -> council,
# organisations -> organis, like organisation); stop words are English's.
# Words only: Whoosh's default pattern keeps `*` in tokens (for its own wildcards), so
# Markdown emphasis such as **peer challenge** would never match `peer`.
WORD_PATTERN = r"\w+(?:\.?\w+)*"
TEXT_ANALYZER = StemmingAnalyzer(expression=WORD_PATTERN)
SPELL_ANALYZER = RegexTokenizer(expression=WORD_PATTERN) | LowercaseFilter()


def make_schema() -> fields.Schema:
    return fields.Schema(
        ref=fields.ID(unique=True, stored=True),
        type=fields.ID(stored=True),
        id=fields.STORED,
        title=fields.TEXT(analyzer=TEXT_ANALYZER, stored=True, field_boost=TITLE_BOOST),
        body=fields.TEXT(analyzer=TEXT_ANALYZER, stored=True),
        # Unstemmed words of title and body: did-you-mean draws its corrections from here.
        spell=fields.TEXT(analyzer=SPELL_ANALYZER, phrase=False),
        group_id=fields.ID(stored=True),
        group_name=fields.STORED,
        tags=fields.KEYWORD(stored=True, commas=True, lowercase=True),
        created_at=fields.DATETIME(stored=True),
        url=fields.STORED,
        label=fields.STORED,
        parent=fields.KEYWORD(),
        stamp=fields.STORED,
    )


def _fields_of(doc: SearchDoc) -> dict:
    return {
        "ref": doc.ref,
        "type": doc.type,
        "id": doc.id,
        "title": doc.title or "",
        "body": doc.body or "",
        "spell": f"{doc.title or ''}\n{doc.body or ''}",
        "group_id": PUBLIC if doc.group_id is None else str(doc.group_id),
        "group_name": doc.group_name,
        "tags": ",".join(t.lower() for t in doc.tags),
        "created_at": doc.created_at,
        "url": doc.url,
        "label": doc.label,
        "parent": " ".join(doc.parents),
        "stamp": doc.stamp(),
    }


class MarkFormatter(highlight.HtmlFormatter):
    """`<mark>word</mark>`, everything else HTML-escaped."""

    def __init__(self) -> None:
        super().__init__(tagname="mark", between=" … ")

    def format_token(self, text, token, replace=False):
        return f"<mark>{html.escape(highlight.get_text(text, token, replace))}</mark>"

    def _text(self, text):
        return html.escape(text)


_NEGATION = re.compile(r'(^|\s)-(?=["\w])')
_WORD = re.compile(r"[^\W_]+")


class WhooshBackend:
    """One index directory; one long-lived searcher per process, refreshed after writes.

    Only the outbox drain (and `flask hub reindex`) write. Searches take a lock because a
    Whoosh searcher is not safe to share between threads mid-query.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._ix: index.Index | None = None
        self._searcher = None
        self._allowed_cache: OrderedDict = OrderedDict()
        self._segment_cache: dict = {}
        self._live_segments: set[str] = set()
        self._columns_for: tuple | None = None
        self._serial = 0  # which searcher the caches belong to
        self._parser = self._make_parser()

    # --- opening and refreshing -----------------------------------------------------

    def _index(self) -> index.Index:
        if self._ix is None:
            self.path.mkdir(parents=True, exist_ok=True)
            if index.exists_in(str(self.path)):
                self._ix = index.open_dir(str(self.path))
            else:
                self._ix = index.create_in(str(self.path), make_schema())
        return self._ix

    def searcher(self):
        """The process's searcher, reopened when another process (or a reindex) wrote."""
        with self._lock:
            if self._searcher is None or not self._searcher.up_to_date():
                self._open_searcher()
            return self._searcher

    def refresh(self) -> None:
        """Open a new searcher on the latest commit.

        Not `Searcher.refresh()`: whoosh-reloaded 2.7.5 reuses segment readers by segment
        id, so a reused reader keeps its old deletions (and merged-away segments come
        back): replaced documents would show twice. A fresh searcher costs a few ms, once
        per drain, never per request.
        """
        with self._lock:
            self._open_searcher()

    def _open_searcher(self) -> None:
        old = self._searcher
        self._searcher = self._index().searcher(weighting=scoring.BM25F())
        self._serial += 1
        self._columns_for = None
        if old is not None:
            old.close()

    def reopen(self) -> None:
        """Forget the open index (after a reindex swapped the directory)."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            self._ix = None
            self._allowed_cache.clear()
            self._segment_cache.clear()
            self._columns_for = None

    def ready(self) -> bool:
        return self.searcher().doc_count_all() >= 0

    # --- writing ----------------------------------------------------------------------

    def index(self, docs: Iterable[SearchDoc], deletes: Iterable[str] = ()) -> None:
        docs = list(docs)
        deletes = list(deletes)
        if not docs and not deletes:
            return
        writer = self._index().writer()
        try:
            for ref in deletes:
                writer.delete_by_term("ref", ref)
                writer.delete_by_term("parent", ref)
            for doc in docs:
                writer.update_document(**_fields_of(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        self.refresh()

    def delete(self, refs: Iterable[str]) -> None:
        self.index((), refs)

    def stamps(self) -> dict[str, str]:
        searcher = self.searcher()
        with self._lock:
            return {f["ref"]: f.get("stamp") for f in searcher.all_stored_fields()}

    # --- reading ----------------------------------------------------------------------

    def _make_parser(self) -> qparser.QueryParser:
        parser = qparser.MultifieldParser(["title", "body"], make_schema(), group=qparser.AndGroup)
        for plugin in (
            qparser.FieldsPlugin,
            qparser.RangePlugin,
            qparser.BoostPlugin,
            qparser.GtLtPlugin,
        ):
            parser.remove_plugin_class(plugin)
        return parser

    def parse(self, text: str) -> query.Query:
        return self._parser.parse(_NEGATION.sub(r"\1NOT ", text))

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
        with self._lock:
            searcher = self.searcher()
            q = self.parse(text)
            allowed = self._allowed_docs(searcher, allowed_group_ids)
            matched = self._docs(searcher, q) & allowed
            if group_id is not None:
                matched &= self._term_docs(searcher, "group_id", str(group_id))
            if tag:
                matched &= self._term_docs(searcher, "tags", tag.strip().lower())
            type_codes, group_codes = self._columns(searcher)
            type_counts = dict(Counter(map(type_codes.__getitem__, matched)))
            if types:
                matched = {d for d in matched if type_codes[d] in types}
            group_counts = Counter(map(group_codes.__getitem__, matched))
            group_counts.pop(PUBLIC, None)
            group_counts.pop(None, None)
            hits = []
            limit = page * page_size
            if matched and (page - 1) * page_size < len(matched):
                results = searcher.search(q, filter=matched, limit=limit, terms=highlight)
                for hit in results[(page - 1) * page_size : limit]:
                    hits.append(self._hit(hit, q, highlight))
            suggestion = self._suggest(searcher, text, allowed)
        return SearchResult(
            total=len(matched),
            hits=hits,
            type_counts=type_counts
            if not types
            else {t: n for t, n in type_counts.items() if t in types},
            group_counts={int(g): n for g, n in group_counts.items()},
            suggestion=suggestion,
        )

    def _hit(self, hit, q: query.Query, with_snippet: bool) -> Hit:
        stored = hit.fields()
        group = stored.get("group_id")
        body = stored.get("body") or ""
        snippet = ""
        if with_snippet:
            terms = {
                text
                for fieldname, text in q.iter_all_terms(phrases=True)
                if fieldname in ("body", "title")
            }
            terms = {t.decode() if isinstance(t, bytes) else t for t in terms}
            snippet = highlight.highlight(
                body,
                terms,
                TEXT_ANALYZER,
                highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60),
                MarkFormatter(),
                top=2,
            )
        if not snippet:
            snippet = html.escape(_shorten(body))
        return Hit(
            type=stored["type"],
            id=stored["id"],
            title=stored.get("label") or stored.get("title") or "",
            snippet=snippet,
            group_id=None if group in (None, PUBLIC) else int(group),
            group_name=stored.get("group_name"),
            url=stored.get("url") or "",
            score=round(hit.score, 4),
            created_at=stored.get("created_at"),
        )

    # --- document sets, cached ------------------------------------------------------
    # A segment's docnums never change while it lives (deletions only mark documents), so
    # term postings and per-document columns are cached per segment and reused across
    # refreshes; only new segments are read after a write.

    def _leaves(self, searcher) -> list[tuple[str, object, int]]:
        leaves = []
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            segment = reader.segment() if hasattr(reader, "segment") else None
            key = segment.segment_id() if segment is not None else f"reader-{id(reader)}"
            leaves.append((key, leaf, offset))
        live = {key for key, _, _ in leaves}
        if live != self._live_segments:
            self._live_segments = live
            for cache_key in list(self._segment_cache):
                if cache_key[0] not in live:
                    del self._segment_cache[cache_key]
        return leaves

    @staticmethod
    def _leaf_term_ids(leaf, fieldname: str, text: str) -> list[int] | tuple:
        """Local docnums of one term in one segment, reading posting blocks whole."""
        reader = leaf.reader()
        if (fieldname, text) not in reader:
            return ()
        matcher = reader.postings(fieldname, text)
        if isinstance(matcher, W3LeafMatcher):
            ids: list[int] = []
            while True:
                matcher._read_ids()
                ids.extend(matcher._ids)
                if matcher._lastblock:
                    return ids
                matcher._next_block()
        return list(matcher.all_ids())

    def _term_docs(self, searcher, fieldname: str, text: str, cache: bool = False) -> set[int]:
        docs: set[int] = set()
        for segment, leaf, offset in self._leaves(searcher):
            key = (segment, fieldname, text)
            local = self._segment_cache.get(key) if cache else None
            if local is None:
                local = self._leaf_term_ids(leaf, fieldname, text)
                if cache:
                    self._segment_cache[key] = local
            docs.update(local if offset == 0 else [d + offset for d in local])
        return docs

    def _allowed_docs(self, searcher, group_ids: set[int]) -> set[int]:
        """The permission filter (group_id in public ∪ groups) as a docnum set, cached per
        searcher and set of groups."""
        key = (self._serial, frozenset(group_ids))
        found = self._allowed_cache.get(key)
        if found is not None:
            self._allowed_cache.move_to_end(key)
            return found
        allowed = self._term_docs(searcher, "group_id", PUBLIC, cache=True)
        for group_id in group_ids:
            allowed |= self._term_docs(searcher, "group_id", str(group_id), cache=True)
        self._allowed_cache[key] = allowed
        while len(self._allowed_cache) > 64:
            self._allowed_cache.popitem(last=False)
        return allowed

    def _columns(self, searcher) -> tuple[list, list]:
        """Per docnum: its type and its group_id (for facets), built once per segment."""
        if self._columns_for is not None and self._columns_for[0] == self._serial:
            return self._columns_for[1]
        types: list = []
        groups: list = []
        for segment, leaf, _offset in self._leaves(searcher):
            cached = self._segment_cache.get((segment, "columns"))
            if cached is None:
                size = leaf.reader().doc_count_all()
                seg_types: list = [None] * size
                seg_groups: list = [None] * size
                for fieldname, target in (("type", seg_types), ("group_id", seg_groups)):
                    for value in leaf.reader().field_terms(fieldname):
                        for docnum in self._leaf_term_ids(leaf, fieldname, value):
                            target[docnum] = value
                cached = (seg_types, seg_groups)
                self._segment_cache[(segment, "columns")] = cached
            types.extend(cached[0])
            groups.extend(cached[1])
        self._columns_for = (self._serial, (types, groups))
        return types, groups

    def _docs(self, searcher, q: query.Query) -> set[int]:
        """Every docnum the query matches: term postings as sets, combined with set algebra."""
        if isinstance(q, query.Term):
            return self._term_docs(searcher, q.fieldname, q.text)
        if isinstance(q, query.Or):
            docs: set[int] = set()
            for child in q.subqueries:
                docs |= self._docs(searcher, child)
            return docs
        if isinstance(q, query.And):
            positive = [c for c in q.subqueries if not isinstance(c, query.Not)]
            negative = [c.query for c in q.subqueries if isinstance(c, query.Not)]
            if positive:
                sets = sorted((self._docs(searcher, c) for c in positive), key=len)
                docs = sets[0]
                for other in sets[1:]:
                    docs = docs & other
            else:
                docs = set(range(searcher.doc_count_all()))
            for child in negative:
                docs = docs - self._docs(searcher, child)
            return docs
        if isinstance(q, query.Not):
            return set(range(searcher.doc_count_all())) - self._docs(searcher, q.query)
        if q is query.NullQuery:
            return set()
        return set(q.docs(searcher))

    # --- did you mean ---------------------------------------------------------------

    def _suggest(self, searcher, text: str, allowed: set[int]) -> str | None:
        """Replace each word found in nothing readable by its nearest readable word."""
        reader = searcher.reader()
        stop = TEXT_ANALYZER.stoplist if hasattr(TEXT_ANALYZER, "stoplist") else set()
        changed = False
        out = text
        for match in list(_WORD.finditer(text))[::-1]:
            word = match.group(0).lower()
            before = text[: match.start()]
            if (
                len(word) < 4
                or word.isdigit()
                or word in _STOP_WORDS
                or word in stop
                or before.endswith("-")
                or text[match.end() : match.end() + 1] == "*"
            ):
                continue
            if self._readable(searcher, word, allowed):
                continue
            maxdist = 1 if len(word) <= 5 else 2
            best = None
            for candidate in reader.terms_within("spell", word, maxdist, prefix=1):
                if candidate == word:
                    continue
                count = len(self._term_docs(searcher, "spell", candidate) & allowed)
                if not count:
                    continue
                rank = (_distance(word, candidate), -count, candidate)
                if best is None or rank < best:
                    best = rank
            if best is None:
                continue
            out = out[: match.start()] + best[2] + out[match.end() :]
            changed = True
        if not changed:
            return None
        corrected = self.parse(out)
        if not (self._docs(searcher, corrected) & allowed):
            return None
        return out

    def _readable(self, searcher, word: str, allowed: set[int]) -> bool:
        docs = self._term_docs(searcher, "spell", word)
        return not docs.isdisjoint(allowed)

    # --- rebuilding -------------------------------------------------------------------

    @staticmethod
    def build(
        path: str | Path, batches: Iterable[list[SearchDoc]], procs: int = 2, progress=None
    ) -> int:
        """Write a whole new index at `path` (which must not exist); returns the doc count."""
        path = Path(path)
        if path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True)
        ix = index.create_in(str(path), make_schema())
        options = (
            {"procs": procs, "multisegment": True, "limitmb": 256}
            if procs > 1
            else {"limitmb": 256}
        )
        writer = ix.writer(**options)
        count = 0
        try:
            for batch in batches:
                for doc in batch:
                    writer.add_document(**_fields_of(doc))
                count += len(batch)
                if progress is not None:
                    progress(len(batch))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        ix.close()
        return count


_STOP_WORDS = frozenset({"and", "the", "for", "with", "from", "that", "this", "not"})


def _shorten(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
