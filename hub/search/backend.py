"""The search backend interface, and its Whoosh implementation.

The rest of the hub speaks only `SearchBackend`: `index(docs)`, `delete(refs)` and
`search(...)`. Permission is an argument of `search` (the ids of the groups the caller may
read), applied inside the engine before ranking, counting, faceting and suggesting, so a
backend can never return what the caller may not read. A PostgreSQL full-text backend
(tsvector + GIN, `group_id = ANY(:allowed)` in the same WHERE) fits the same interface;
see docs/architecture.md.
"""

from __future__ import annotations

import heapq
import html
import logging
import os
import re
import shutil
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

import numpy as np
from whoosh import collectors, fields, index, qparser, query, scoring
from whoosh.analysis import STOP_WORDS, LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.filedb.filestore import FileStorage
from whoosh.idsets import DocIdSet
from whoosh.lang.porter import stem as porter_stem

from hub.search import accelerator
from hub.search.snippets import Snippets

log = logging.getLogger("hub.search")

PUBLIC = "public"  # the group_id of documents every signed-in person may read
TYPES = ("file", "thread", "post", "group", "person", "suggestion", "session")
TITLE_BOOST = 3.0
STORED_BODY_CHARS = 20_000  # enough for snippets; the whole text is still indexed
SNIPPET_CHARS = 240
# Postings a build writer holds in memory before it commits a segment (see build()).
SEGMENT_POSTINGS = 3_000_000
# Term bitmaps kept per process (~N/8 bytes each for N documents), and permission bitmaps.
TERM_CACHE_BYTES = 48 * 1024 * 1024
# Decoded postings kept for ranking (8 bytes a posting: "council" in 450k documents, ~1 MB).
POSTINGS_CACHE_BYTES = 64 * 1024 * 1024
ALLOWED_CACHE = 64
NEAR_WORDS_CACHE = 4096  # misspelt words whose near words are kept, per searcher
# The groups a search's facets name: those with the most matches. A search a person may
# read all of matches in ~700 groups: naming them all was most of a response's bytes and
# a third of its time, and no one picks a filter from 700.
FACET_GROUPS = 20


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
    group_counts: dict[int, int]  # the FACET_GROUPS groups with most matches
    suggestion: str | None = None
    extra: dict = field(default_factory=dict)


class SearchBackend(Protocol):
    def rebuild(self, batches: Iterable[list[SearchDoc]], progress=None, procs: int = 2) -> int:
        """Replace every document by these batches, searches seeing the old ones until the
        new set is whole; returns the number of documents."""

    def reopen(self) -> None:
        """Forget what is held open, so the next search opens it afresh."""

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
# Markdown emphasis such as **peer challenge** would never match `peer`. Dots split words
# too: www.openkent.org.uk is the words www, openkent, org and uk, found by `openkent`;
# typed as a query, a dotted name or an address becomes the phrase of its words (the
# fields' `multitoken_query`), so `local.gov.uk` finds the documents that hold it.
WORD_PATTERN = r"\w+"
TEXT_ANALYZER = StemmingAnalyzer(expression=WORD_PATTERN)
SPELL_ANALYZER = RegexTokenizer(expression=WORD_PATTERN) | LowercaseFilter()

# Indexing analyses each document once, here, instead of through Whoosh's analyzer chain
# twice (title/body, then spell): the same tokens TEXT_ANALYZER and SPELL_ANALYZER make in
# index mode (the pattern, lower case, stop words and one-letter words out, Porter stem),
# handed to Whoosh as token lists. tests/search/test_analysis.py holds them equal.
_TOKEN = re.compile(WORD_PATTERN)
_STOPS = frozenset(STOP_WORDS)
_STEMS: dict[str, str] = {}


def _words(text: str) -> list[str]:
    """Lower-cased words, as SPELL_ANALYZER makes them."""
    return [w.lower() for w in _TOKEN.findall(text)] if text else []


def _stemmed(words: list[str]) -> list[str]:
    """TEXT_ANALYZER's tokens from `_words`: stop words and one-letter words out, stemmed."""
    stems = _STEMS
    if len(stems) > 500_000:
        stems.clear()
    out = []
    for word in words:
        if len(word) < 2 or word in _STOPS:
            continue
        found = stems.get(word)
        if found is None:
            found = stems[word] = porter_stem(word)
        out.append(found)
    return out


def make_schema() -> fields.Schema:
    return fields.Schema(
        ref=fields.ID(unique=True, stored=True),
        type=fields.ID(stored=True),
        id=fields.STORED,
        title=fields.TEXT(
            analyzer=TEXT_ANALYZER,
            stored=True,
            field_boost=TITLE_BOOST,
            multitoken_query="phrase",
        ),
        body=fields.TEXT(analyzer=TEXT_ANALYZER, stored=True, multitoken_query="phrase"),
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
    title_words = _words(doc.title or "")
    body_words = _words(doc.body or "")
    return {
        "ref": doc.ref,
        "type": doc.type,
        "id": doc.id,
        "title": _stemmed(title_words),
        "_stored_title": doc.title or "",
        "body": _stemmed(body_words),
        "_stored_body": (doc.body or "")[:STORED_BODY_CHARS],
        # Did-you-mean only asks whether a word occurs: each word once.
        "spell": list(dict.fromkeys(title_words + body_words)),
        "group_id": PUBLIC if doc.group_id is None else str(doc.group_id),
        "group_name": doc.group_name,
        "tags": ",".join(t.lower() for t in doc.tags),
        "created_at": doc.created_at,
        "url": doc.url,
        "label": doc.label,
        "parent": " ".join(doc.parents),
        "stamp": doc.stamp(),
    }


_NEGATION = re.compile(r'(^|\s)-(?=["\w])')
_WORD = re.compile(r"[^\W_]+")


class WhooshBackend:
    """One index directory; one long-lived searcher per process, refreshed after writes.

    Only the outbox drain (and `flask hub reindex`) write. Searches take a lock because a
    Whoosh searcher is not safe to share between threads mid-query.
    """

    def __init__(self, path: str | Path, accelerate: bool = True) -> None:
        self.path = Path(path)
        # Whoosh's private structures are read by the accelerator only, and only when it
        # was written for the installed Whoosh; else Whoosh's own matchers do the work.
        self._accelerator = _accelerator(accelerate)
        self._lock = threading.RLock()
        self._ix: index.Index | None = None
        self._searcher = None
        self._allowed_cache: OrderedDict = OrderedDict()  # frozenset(groups) -> bitmaps
        self._near_words: dict = {}  # (word, distance) -> spelling words, per searcher
        self._segments: dict[str, _Segment] = {}
        self._term_cache: OrderedDict = OrderedDict()  # (segment, field, text) -> bitmap
        self._term_bytes = 0
        self._code_of_group: dict[str, int] = {}
        self._group_of_code: list[str | None] = [None]  # code 0: no group_id
        self._leaves_for: tuple | None = None
        self._serial = 0  # which searcher the caches belong to
        self._parser = self._make_parser()

    # --- opening and refreshing -----------------------------------------------------

    @property
    def accelerated(self) -> bool:
        """Whether the accelerator reads the index (else Whoosh's own matchers do)."""
        return self._accelerator is not None

    def _index(self) -> index.Index:
        if self._ix is None:
            self.path.mkdir(parents=True, exist_ok=True)
            # Read segments through the file, not a memory map: Whoosh copies each mapped
            # segment file into a BytesIO, so every process that searched held the whole
            # index in memory (docs/architecture.md). The operating system's page cache
            # still keeps the hot parts in memory, shared between processes.
            storage = FileStorage(str(self.path), supports_mmap=False)
            if index.exists_in(str(self.path)):
                self._ix = storage.open_index()
            else:
                self._ix = storage.create_index(make_schema())
        return self._ix

    def searcher(self):
        """The process's searcher, reopened when another process (or a reindex) wrote."""
        with self._lock:
            if self._searcher is None or not self._searcher.up_to_date():
                self._open_searcher()
            return self._searcher

    def refresh(self) -> None:
        """Open a new searcher on the latest commit (never `Searcher.refresh()`, which in
        whoosh-reloaded 2.7.5 keeps a reused segment's old deletions)."""
        with self._lock:
            self._open_searcher()

    def _open_searcher(self) -> None:
        """A searcher on the latest commit: the accelerator's, which reuses the readers of
        unchanged segments, or Whoosh's own on readers opened afresh."""
        old = self._searcher
        if self._accelerator is not None:
            self._searcher = accelerator.open_searcher(self._index(), old)
        else:
            self._searcher = self._index().searcher(weighting=scoring.BM25F())
            if old is not None:
                old.close()
        self._serial += 1

    def reopen(self) -> None:
        """Forget the open index (after a reindex swapped the directory)."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            self._ix = None
            self._allowed_cache.clear()
            self._segments.clear()
            self._term_cache.clear()
            self._term_bytes = 0
            if self._accelerator is not None:
                self._accelerator.forget_segments(set())
            self._leaves_for = None

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
        with self._lock:
            searcher = self.searcher()
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
            leaves = self._generation()
            allowed = self._allowed_bits(leaves, allowed_group_ids)
            wanted_types = [t for t in types if t in TYPES]
            total = 0
            type_counts: Counter = Counter()
            group_counts = np.zeros(len(self._group_of_code), dtype=np.int64)
            matched: list[int] = []
            for (seg, leaf, _offset), permitted in zip(leaves, allowed, strict=True):
                bits = self._bits(seg, leaf, q) & permitted if permitted else 0
                if bits and group_id is not None:
                    bits &= self._term_bits(seg, leaf, "group_id", str(group_id))
                if bits and tag:
                    bits &= self._term_bits(seg, leaf, "tags", tag.strip().lower())
                if bits:
                    for type_, type_bits in self._type_bits(seg).items():
                        count = (bits & type_bits).bit_count()
                        if count:
                            type_counts[type_] += count
                    if types:
                        only = 0
                        for type_ in wanted_types:
                            only |= self._type_bits(seg).get(type_, 0)
                        bits &= only
                if bits:
                    total += bits.bit_count()
                    _count_groups(group_counts, seg, bits)
                matched.append(bits)
            hits = []
            limit = page * page_size
            if total and (page - 1) * page_size < total:
                ranked = self._rank(searcher, leaves, q, matched, limit)
                snippets = _snippets_of(q) if highlight else None
                for score, docnum in ranked[(page - 1) * page_size : limit]:
                    hits.append(_hit(searcher.stored_fields(docnum), score, snippets))
            suggestion = self._suggest(searcher, leaves, text, allowed)
            groups = self._top_groups(group_counts)
        return SearchResult(
            total=total,
            hits=hits,
            type_counts=dict(type_counts)
            if not types
            else {t: n for t, n in type_counts.items() if t in types},
            group_counts=groups,
            suggestion=suggestion,
        )

    def _top_groups(self, counts: np.ndarray) -> dict[int, int]:
        """The FACET_GROUPS groups with most matches (ties: lowest id), from counts by
        group code."""
        codes = self._group_of_code
        found = (
            (-int(counts[code]), int(codes[code]))
            for code in np.flatnonzero(counts).tolist()
            if codes[code] not in (None, PUBLIC)
        )
        return {group_id: -negated for negated, group_id in heapq.nsmallest(FACET_GROUPS, found)}

    # --- document sets as bitmaps ---------------------------------------------------
    # Every set of documents is a Python int used as a bitmap per segment (bit d = local
    # docnum d): and, or, and-not and counting (`int.bit_count`) run in C over a few KB,
    # whatever the number of matches. A segment's docnums never change while it lives
    # (deletions only mark documents), so term bitmaps and each document's type and group
    # are cached per segment and survive refreshes; only what a new searcher changes (the
    # deletions, the permission bitmaps) is rebuilt per searcher.

    def _generation(self) -> list[tuple[_Segment, object, int]]:
        """The current searcher's segments: (cached segment data, leaf searcher, offset)."""
        if self._leaves_for is not None and self._leaves_for[0] == self._serial:
            return self._leaves_for[1]
        leaves = []
        for leaf, offset in self._searcher.leaf_searchers():
            reader = leaf.reader()
            segment = reader.segment() if hasattr(reader, "segment") else None
            key = segment.segment_id() if segment is not None else f"reader-{id(reader)}"
            seg = self._segments.get(key)
            if seg is None:
                seg = self._segments[key] = _Segment(key, reader.doc_count_all())
                self._columns(seg, leaf)
            deleted = reader.deleted_docs_set if hasattr(reader, "deleted_docs_set") else ()
            seg.live = seg.full
            if deleted:
                seg.live = seg.full & ~_bits_of(list(deleted), seg.size)
            leaves.append((seg, leaf, offset))
        live = {seg.key for seg, _, _ in leaves}
        for key in list(self._segments):
            if key not in live:
                del self._segments[key]
        for key in [k for k in self._term_cache if k[0] not in live]:
            self._term_bytes -= _size(self._term_cache.pop(key))
        if self._accelerator is not None:
            self._accelerator.forget_segments(live)
        self._allowed_cache.clear()
        self._near_words.clear()
        self._leaves_for = (self._serial, leaves)
        return leaves

    def _columns(self, seg: _Segment, leaf) -> None:
        """Each document's group (as one character of a string) and type, once a segment."""
        reader = leaf.reader()
        codes = np.zeros(seg.size, dtype=np.uint32)
        for value, docnums in self._field_docnums(reader, "group_id"):
            code = self._code_of_group.get(value)
            if code is None:
                code = self._code_of_group[value] = len(self._group_of_code)
                self._group_of_code.append(value)
            codes[docnums] = code
        seg.group_codes = codes
        seg.types = {
            value: _bits_of(docnums, seg.size)
            for value, docnums in self._field_docnums(reader, "type")
        }

    def _field_docnums(self, reader, fieldname: str):
        """Every word of one field of a segment with its documents: the accelerator's
        one pass along the term index, or Whoosh's lexicon and matchers a word."""
        if self._accelerator is not None:
            return self._accelerator.field_docnums(reader, fieldname)
        return (
            (text, _matcher_docnums(reader, fieldname, text))
            for text in reader.field_terms(fieldname)
        )

    def _type_bits(self, seg: _Segment) -> dict[str, int]:
        return seg.types

    def _allowed_bits(self, leaves, group_ids: set[int]) -> list[int]:
        """The permission filter (group_id in public ∪ groups, not deleted) per segment,
        built once per searcher and set of groups: each segment's group codes looked up in
        a table of the caller's groups, a few ms for the whole index."""
        key = frozenset(group_ids)
        found = self._allowed_cache.get(key)
        if found is not None:
            self._allowed_cache.move_to_end(key)
            return found
        readable = {PUBLIC} | {str(g) for g in group_ids}
        table = np.array([value in readable for value in self._group_of_code], dtype=np.uint8)
        found = []
        for seg, _leaf, _offset in leaves:
            found.append(_bits_of_flags(table[seg.group_codes]) & seg.live if seg.size else 0)
        self._allowed_cache[key] = found
        while len(self._allowed_cache) > ALLOWED_CACHE:
            self._allowed_cache.popitem(last=False)
        return found

    def _term_bits(self, seg: _Segment, leaf, fieldname: str, text) -> int:
        """One term's documents in one segment (deleted ones too), cached within a budget.
        The ranked fields' postings come through the ranker's cache, which keeps them."""
        reader = leaf.reader()
        if isinstance(text, bytes):  # as expanded prefixes give them
            text = reader.schema[fieldname].from_bytes(text)
        key = (seg.key, fieldname, text)
        found = self._term_cache.get(key)
        if found is not None:
            self._term_cache.move_to_end(key)
            return found
        if self._accelerator is not None:
            docnums = self._accelerator.docnums(reader, seg.key, fieldname, text)
        else:
            docnums = _matcher_docnums(reader, fieldname, text)
        found = _bits_of(docnums, seg.size)
        self._remember(key, found)
        return found

    def _remember(self, key, bits: int) -> None:
        self._term_cache[key] = bits
        self._term_bytes += _size(bits)
        while self._term_bytes > TERM_CACHE_BYTES and len(self._term_cache) > 1:
            _key, old = self._term_cache.popitem(last=False)
            self._term_bytes -= _size(old)

    def _bits(self, seg: _Segment, leaf, q: query.Query) -> int:
        """The documents of one segment that the query matches, as a bitmap."""
        if isinstance(q, query.Term):
            return self._term_bits(seg, leaf, q.fieldname, q.text)
        if isinstance(q, query.And):
            positive = [c for c in q.subqueries if not isinstance(c, query.Not)]
            negative = [c.query for c in q.subqueries if isinstance(c, query.Not)]
            bits = seg.full
            for child in positive:
                bits &= self._bits(seg, leaf, child)
                if not bits:
                    return 0
            for child in negative:
                bits &= ~self._bits(seg, leaf, child)
            return bits
        if isinstance(q, query.Or):
            bits = 0
            for child in q.subqueries:
                bits |= self._bits(seg, leaf, child)
            return bits
        if isinstance(q, query.Not):
            return seg.full & ~self._bits(seg, leaf, q.query)
        if isinstance(q, query.Every):
            return seg.full
        if isinstance(q, type(query.NullQuery)):
            return 0
        if isinstance(q, query.MultiTerm):  # prefix*, wildcards: the union of their terms
            if isinstance(q, query.Prefix) and self._accelerator is not None:
                # The accelerator keeps a segment's words of a prefix.
                words = self._accelerator.prefix_words(leaf.reader(), seg.key, q)
                terms = ((q.fieldname, text) for text in words)
            else:
                terms = q.expanded_terms(leaf.reader())
            bits = 0
            for fieldname, text in terms:
                bits |= self._term_bits(seg, leaf, fieldname, text)
            return bits
        # Phrases and anything else: computed once, then cached like a term.
        key = (seg.key, "query", repr(q))
        found = self._term_cache.get(key)
        if found is None:
            found = self._phrase_or_other_bits(seg, leaf, q)
            self._remember(key, found)
        return found

    def _phrase_or_other_bits(self, seg: _Segment, leaf, q: query.Query) -> int:
        if isinstance(q, query.Phrase) and self._accelerator is not None:
            candidates = seg.full
            for word in q.words:
                candidates &= self._term_bits(seg, leaf, q.fieldname, word)
            if not candidates:
                return 0
            found = self._accelerator.phrase_docs(leaf.reader(), q, _mask(candidates, seg.size))
            if found is not None:
                return _bits_of(found, seg.size)
        matcher = q.matcher(leaf)  # Whoosh's own, for anything else
        return _bits_of(list(matcher.all_ids()) if matcher.is_active() else (), seg.size)

    # --- ranking ----------------------------------------------------------------------

    def _rank(self, searcher, leaves, q: query.Query, matched: list[int], limit: int):
        """The top `limit` (score, global docnum) of the matching readable documents, by
        BM25F, best first.

        The accelerator ranks a query of words, prefixes and phrases (see
        `_ranking_query`) in arrays over its words' postings, with each phrase's matches
        from the bitmaps; anything else, such as a negation inside an Or, and everything
        without the accelerator, Whoosh's collector ranks."""
        ranked = _ranking_query(q)
        if self._accelerator is not None:
            by_key = {seg.key: (seg, leaf) for seg, leaf, _offset in leaves}

            def phrase_matches(phrase: query.Phrase, key: str) -> np.ndarray:
                seg, leaf = by_key[key]
                return _mask(self._bits(seg, leaf, phrase), seg.size)

            segments = [
                (leaf.reader(), seg.key, offset, _mask(bits, seg.size))
                for (seg, leaf, offset), bits in zip(leaves, matched, strict=True)
                if bits
            ]
            top = self._accelerator.top(searcher, ranked, segments, limit, phrase_matches)
            if top is not None:
                return top
        allow = self._filter(leaves, matched)
        results = _top(searcher, _prefixes_by_bm25(ranked), allow, limit, quality=True)
        return [(hit.score, hit.docnum) for hit in results]

    @staticmethod
    def _filter(leaves, bits: list[int]) -> _Flags:
        return _Flags(
            b"".join(_flag_bytes(b, seg.size) for b, (seg, _, _) in zip(bits, leaves, strict=True))
        )

    # --- did you mean ---------------------------------------------------------------

    def _found_readable(self, leaves, allowed: list[int], fieldname: str, word: str) -> bool:
        """Whether a document the caller may read holds the word. Where the word is in
        more of a segment's documents than the caller may not read there (deleted ones
        counted with those), one of them is readable: its postings need not be read (for
        "council", most of a segment's)."""
        for (seg, leaf, _offset), permitted in zip(leaves, allowed, strict=True):
            if not permitted:
                continue
            holders = leaf.reader().doc_frequency(fieldname, word)
            if not holders:
                continue
            if holders > seg.size - permitted.bit_count():
                return True
            if self._term_bits(seg, leaf, fieldname, word) & permitted:
                return True
        return False

    def _readable_count(self, leaves, allowed: list[int], fieldname: str, word: str) -> int:
        return sum(
            (self._term_bits(seg, leaf, fieldname, word) & permitted).bit_count()
            for (seg, leaf, _offset), permitted in zip(leaves, allowed, strict=True)
            if permitted
        )

    def _words_near(self, reader, word: str, maxdist: int) -> tuple[str, ...]:
        """The spelling words within `maxdist` edits of `word` that share its first letter,
        kept while the searcher lives: Whoosh finds them by walking the term dictionary
        on disk, a seek and a read a step."""
        key = (word, maxdist)
        found = self._near_words.get(key)
        if found is None:
            if len(self._near_words) >= NEAR_WORDS_CACHE:
                self._near_words.clear()
            found = tuple(reader.terms_within("spell", word, maxdist, prefix=1))
            self._near_words[key] = found
        return found

    def _suggest(self, searcher, leaves, text: str, allowed: list[int]) -> str | None:
        """Replace each word found in nothing readable by its nearest readable word."""
        reader = searcher.reader()
        changed = False
        out = text
        for match in correctable_words(text):
            word = match.group(0).lower()
            if self._found_readable(leaves, allowed, "spell", word):
                continue
            maxdist = 1 if len(word) <= 5 else 2
            best = None
            for candidate in self._words_near(reader, word, maxdist):
                if candidate == word:
                    continue
                count = self._readable_count(leaves, allowed, "spell", candidate)
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
        for (seg, leaf, _offset), permitted in zip(leaves, allowed, strict=True):
            if permitted and self._bits(seg, leaf, corrected) & permitted:
                return out
        return None

    # --- rebuilding -------------------------------------------------------------------

    def rebuild(self, batches: Iterable[list[SearchDoc]], progress=None, procs: int = 2) -> int:
        """Build a whole new index beside the one in use, then swap it in and reopen."""
        building = self.path.with_name(f"index.building-{os.getpid()}")
        count = self.build(building, batches, procs=procs, progress=progress)
        old = self.path.with_name(f"index.old-{os.getpid()}-{int(time.time())}")
        if self.path.exists():
            self.path.rename(old)
        building.rename(self.path)
        self.reopen()
        shutil.rmtree(old, ignore_errors=True)
        return count

    @staticmethod
    def build(
        path: str | Path,
        batches: Iterable[list[SearchDoc]],
        procs: int = 2,
        progress=None,
        postings_per_segment: int = SEGMENT_POSTINGS,
    ) -> int:
        """Write a whole new index at `path` (which must not exist); returns the doc count.

        Whoosh's writer sorts postings in memory and, past `limitmb`, pickles sorted runs to
        disk and merges them back: a third of the build time. So the build commits a new
        writer every `postings_per_segment` postings (per writer process) with a limit
        above that, and nothing ever spills: up to ~0.9 GB of each writer process's own
        memory before a commit (docs/architecture.md). With `procs` > 1 each commit writes
        one segment per process
        (`multisegment`), so the index ends with a dozen segments; searches read them as
        one (merging them would cost as much again as the build).
        """
        path = Path(path)
        if path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True)
        ix = index.create_in(str(path), make_schema())
        procs = max(1, procs)
        # Whoosh estimates ~180 bytes a posting; leave room so a segment never spills.
        limitmb = max(64, postings_per_segment * 260 // (1024 * 1024))
        options = (
            {"procs": procs, "multisegment": True, "limitmb": limitmb, "batchsize": 500}
            if procs > 1
            else {"limitmb": limitmb}
        )
        budget = postings_per_segment * procs
        writer = None
        pending = 0
        count = 0
        try:
            for batch in batches:
                if writer is None:
                    writer = ix.writer(**options)
                for doc in batch:
                    fields_ = _fields_of(doc)
                    writer.add_document(**fields_)
                    # Postings: one per distinct term per field (spell words are distinct).
                    pending += 2 * len(fields_["spell"]) + 8
                count += len(batch)
                if progress is not None:
                    progress(len(batch))
                if pending >= budget:
                    writer.commit(merge=False)
                    writer, pending = None, 0
        except BaseException:
            if writer is not None:
                writer.cancel()
            raise
        if writer is not None:
            writer.commit(merge=False)
        ix.close()
        return count


_STOP_WORDS = frozenset({"and", "the", "for", "with", "from", "that", "this", "not"})


def _hit(stored: dict, score: float, snippets: Snippets | None) -> Hit:
    group = stored.get("group_id")
    body = stored.get("body") or ""
    snippet = ""
    if snippets is not None:
        snippet = snippets.cut(body, maxchars=SNIPPET_CHARS, surround=60)
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
        score=round(score, 4),
        created_at=stored.get("created_at"),
    )


def _matcher_docnums(reader, fieldname: str, text) -> np.ndarray:
    """One word's documents in one segment (deleted ones left out), by Whoosh's matcher."""
    if (fieldname, text) not in reader:
        return np.zeros(0, dtype=np.int64)
    return np.fromiter(reader.postings(fieldname, text).all_ids(), dtype=np.int64)


def _accelerator(wanted: bool) -> accelerator.Accelerator | None:
    """The accelerator when it is wanted and fits the installed Whoosh, saying which."""
    written_for = ", ".join(f"{name} {v}" for name, v in accelerator.WRITTEN_FOR.items())
    if not wanted:
        log.info("search: Whoosh backend without its accelerator (HUB_SEARCH_ACCELERATOR=off)")
        return None
    reason = accelerator.check()
    if reason is not None:
        log.warning(
            "search: Whoosh backend WITHOUT its accelerator, written for %s: %s. Whoosh's "
            "own matchers rank every query: the same results, slower on common words.",
            written_for,
            reason,
        )
        return None
    log.info("search: Whoosh backend with its accelerator (%s)", written_for)
    return accelerator.Accelerator(POSTINGS_CACHE_BYTES)


def _shorten(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def correctable_words(text: str) -> list[re.Match]:
    """The words of a query that did-you-mean may replace, last first (so that replacing
    one leaves the others' positions as they were): four letters or more, not a number,
    not a stop word, not negated and not a prefix."""
    words = []
    for match in reversed(list(_WORD.finditer(text))):
        word = match.group(0).lower()
        if (
            len(word) < 4
            or word.isdigit()
            or word in _STOP_WORDS
            or word in _STOPS
            or text[: match.start()].endswith("-")
            or text[match.end() : match.end() + 1] == "*"
        ):
            continue
        words.append(match)
    return words


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


class _Segment:
    """What searches reuse of one segment while it lives: its size, each document's group
        (a number per docnum, coded by `WhooshBackend._code_of_group`), a bitmap per type, the
    X the bitmap of its documents that are
        not deleted."""

    __slots__ = ("key", "size", "full", "live", "group_codes", "types")

    def __init__(self, key: str, size: int) -> None:
        self.key = key
        self.size = size
        self.full = (1 << size) - 1
        self.live = self.full
        self.group_codes = np.zeros(0, dtype=np.uint32)
        self.types: dict[str, int] = {}


class _Flags(DocIdSet):
    """A filter for `Searcher.search`: one byte (0 or 1) per global docnum."""

    def __init__(self, flags: bytes) -> None:
        self.flags = flags

    def __contains__(self, docnum) -> bool:
        return self.flags[docnum] == 1

    def __len__(self) -> int:
        return self.flags.count(1)

    def __iter__(self):
        return (i for i, flag in enumerate(self.flags) if flag)


_BIT = bytes.maketrans(b"01", b"\x00\x01")


def _flag_bytes(bits: int, size: int) -> bytes:
    """A segment's bitmap as one byte (0 or 1) per docnum."""
    if not bits:
        return bytes(size)
    return format(bits, "b")[::-1].ljust(size, "0").encode().translate(_BIT)


def _count_groups(counts: np.ndarray, seg: _Segment, bits: int) -> None:
    """Add the documents in `bits` to `counts`, indexed by group code."""
    found = np.bincount(seg.group_codes[_mask(bits, seg.size).view(bool)])
    counts[: len(found)] += found


def _bits_of(docnums, size: int) -> int:
    """A bitmap from docnums."""
    flags = np.zeros(size, dtype=np.uint8)
    flags[np.asarray(docnums, dtype=np.int64)] = 1
    return _bits_of_flags(flags)


def _bits_of_flags(flags: np.ndarray) -> int:
    """A bitmap from one 0 or 1 a docnum."""
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def _mask(bits: int, size: int) -> np.ndarray:
    """A segment's bitmap as one uint8 (0 or 1) per docnum."""
    packed = np.frombuffer(bits.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(packed, count=size, bitorder="little")


def _size(bits: int) -> int:
    return bits.bit_length() // 8 + 64


def _ranking_query(q: query.Query, required: bool = True) -> query.Query:
    """The query to rank with, once the bitmaps have decided what matches.

    The matches are exactly the matching readable documents, so ranking needs only the
    scoring part: negations that every match satisfies (those of the And at the top, or
    of an And inside it: `required`) are dropped; Whoosh adds a constant 1 for them,
    which orders nothing differently. A negation inside an Or changes which of the Or's
    parts score, so it stays (and Whoosh ranks that query).
    """
    if isinstance(q, query.And):
        kept = [
            _ranking_query(c, required)
            for c in q.subqueries
            if not (required and isinstance(c, query.Not))
        ]
        if not kept:
            return q
        return kept[0] if len(kept) == 1 else query.And(kept, boost=q.boost)
    if isinstance(q, query.Or):
        parts = [_ranking_query(c, required=False) for c in q.subqueries]
        return query.Or(parts, boost=q.boost)
    return q


def _prefixes_by_bm25(q: query.Query) -> query.Query:
    """`q` with each prefix ranked as the Or of its words by BM25F, as the accelerator
    ranks it (Whoosh gives a prefix's matches a constant score in small segments)."""
    if isinstance(q, query.Prefix):
        return query.Prefix(q.fieldname, q.text, boost=q.boost, constantscore=False)
    return q.apply(_prefixes_by_bm25)


def _snippets_of(q: query.Query) -> Snippets:
    """What a snippet marks: the words searched for in titles and bodies, as stems, and
    the prefixes searched for."""
    searched = ("body", "title")
    stems = {
        text.decode() if isinstance(text, bytes) else text
        for fieldname, text in q.iter_all_terms(phrases=True)
        if fieldname in searched
    }
    prefixes = [
        leaf.text
        for leaf in q.leaves()
        if isinstance(leaf, query.Prefix) and leaf.fieldname in searched
    ]
    return Snippets(stems - set(prefixes), prefixes)


def _top(searcher, q: query.Query, allow: _Flags, limit: int, quality: bool):
    """Whoosh's top `limit` of `q` among `allow`, without matcher replacement.

    `Searcher.search` lets its collector `replace()` matchers as the minimum score rises
    (a union becomes an and-maybe, and so on); in whoosh-reloaded 2.7.5 that loses
    documents: 4 of the benchmark's 220 queries (two words) got a wrong top 20, checked
    against an unpruned ranking. Block-quality skipping alone is exact, and kept.
    """
    top = collectors.TopCollector(limit=limit, usequality=quality, replace=0)
    collector = collectors.FilterCollector(top, allow=allow)
    searcher.search_with_collector(q, collector)
    return collector.results()
