"""The Whoosh accelerator: the one module that reads whoosh-reloaded's private structures.

Whoosh scores a query by walking every posting of every query word in Python, one call
per posting, too slow for common words (docs/architecture.md, "Search"). The backend
already knows the matches (its bitmaps), so ranking needs only each query word's postings
(document numbers and term weights, one read a word) and each document's field length,
and BM25F in NumPy over whole posting lists: the same formula, constants and field
lengths Whoosh uses (`whoosh.scoring.BM25FScorer`), so the same scores. To get them fast
this module reads Whoosh 3's on-disk format itself: posting blocks (pickled, cut where the
positions begin), positions matched by their pickled bytes, the terms reader
(`reader._terms`), the stored field lengths (`reader._perdoc`), the index's table of
contents (`ix._read_toc()`), and it opens `SegmentReader`s itself to reuse unchanged ones.

None of that is promised by Whoosh. So the backend uses this module only when `check()`
finds no reason not to: the installed fork at the version it was written for
(`WRITTEN_FOR`, the same as setup.cfg's pin), its default codec the one it parses, and a
small index it writes in memory read back here exactly as Whoosh's own matchers read it.
Otherwise, or with `HUB_SEARCH_ACCELERATOR=off`, the backend searches with Whoosh's
public matchers and searcher: the same hits, slower.

Only queries made of terms, prefixes and phrases of the ranked fields, `And` and `Or`
can be ranked this way (`can_rank`); the backend ranks anything else (a negation inside an
Or) with Whoosh itself. A phrase scores as Whoosh scores it, the sum of its words' scores
where the phrase matches; which documents it matches the backend has worked out from the
positions already, and tells the ranker (`phrase_matches`). One difference, on purpose: a
prefix ranks as the Or of its words by BM25F everywhere, where Whoosh gives each match a
constant score in segments of 5,000 documents or fewer (so new documents, which sit in
small segments, sank to the bottom). The backend ranks prefixes that way without the
accelerator too.

Callers hold the backend's lock: the segments' files are read through shared file
objects, and the caches are not locked themselves.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from itertools import chain

import numpy as np
from whoosh import fields, query, scoring
from whoosh.codec import default_codec, whoosh3
from whoosh.codec.whoosh3 import W3Codec, W3TermsReader
from whoosh.filedb.filestore import RamStorage
from whoosh.reading import MultiReader, SegmentReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

# The distribution whose private structures this module reads, at the version it was
# written for (setup.cfg pins the same), and the codec whose files it parses. Moving to
# another version or fork: see docs/architecture.md, "The Whoosh accelerator".
WRITTEN_FOR = {"Whoosh-Reloaded": "2.7.5"}
CODEC = W3Codec

RANKED_FIELDS = ("title", "body")
# byte_to_length for every length byte. (A document with a posting in a field has a
# length there, so the zero byte is never used.)
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_EMPTY = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
# What a cached entry costs besides its arrays (two array headers, a key, a dict slot).
_ENTRY_BYTES = 400
_WORD_BYTES = 64  # a word of a prefix's list: the str and its slot
_BLOCK_SIZE = struct.Struct("!i")


def can_rank(q: query.Query) -> bool:
    """Whether `q` is built only of what `Ranker` scores exactly like Whoosh."""
    if type(q) in (query.Term, query.Prefix):
        return q.fieldname in RANKED_FIELDS and isinstance(q.text, str)
    if type(q) is query.Phrase:
        return (
            q.fieldname in RANKED_FIELDS
            and bool(q.words)
            and all(isinstance(word, str) for word in q.words)
        )
    if type(q) in (query.And, query.Or):
        if isinstance(q, query.Or) and (q.scale or q.minmatch):
            return False
        return bool(q.subqueries) and all(can_rank(child) for child in q.subqueries)
    return False


class PostingsCache:
    """Decoded postings (local docnums, weights) of the ranked fields per (segment, field,
    word), and the words each prefix stands for per (segment, field, prefix), by LRU within
    a byte budget. Segments never change, so entries are valid until their segment is
    merged away (`forget_segments`). A prefix's words come from a walk of the segment's
    term dictionary on disk, a seek and a read a step in Python: a third of a search's
    time before they were kept."""

    def __init__(self, budget_bytes: int) -> None:
        self.budget = budget_bytes
        self._entries: OrderedDict = OrderedDict()  # key -> (value, cost in bytes)
        self._bytes = 0

    def get(self, reader, segment_key: str, fieldname: str, text: str):
        key = (segment_key, fieldname, text)
        found = self._kept(key)
        if found is None:
            found = read_postings(reader, fieldname, text)
            if len(found[0]):  # words a segment lacks cost nothing to look up again
                self._keep(key, found, _cost(found))
        return found

    def prefix_words(self, reader, segment_key: str, q: query.Prefix) -> tuple[str, ...]:
        """The segment's words of `q`'s field that start with its text."""
        key = (segment_key, q.fieldname, q.text, "*")
        words = self._kept(key)
        if words is None:
            field = reader.schema[q.fieldname]
            words = tuple(field.from_bytes(word) for word in _prefix_words(q, reader) if word)
            self._keep(key, words, _ENTRY_BYTES + _WORD_BYTES * len(words))
        return words

    def _kept(self, key):
        found = self._entries.get(key)
        if found is None:
            return None
        self._entries.move_to_end(key)
        return found[0]

    def _keep(self, key, value, cost: int) -> None:
        self._entries[key] = (value, cost)
        self._bytes += cost
        while self._bytes > self.budget:
            _key, (_old, old_cost) = self._entries.popitem(last=False)
            self._bytes -= old_cost

    def forget_segments(self, live_keys: set[str]) -> None:
        for key in [k for k in self._entries if k[0] not in live_keys]:
            self._bytes -= self._entries.pop(key)[1]


def _among(ids: np.ndarray, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of `candidates` are in `ids` (both sorted docnums), as a bool each, and
    where in `ids` those are."""
    if not len(ids):
        return np.zeros(len(candidates), dtype=bool), ids[:0]
    at = np.minimum(np.searchsorted(ids, candidates), len(ids) - 1)
    present = ids[at] == candidates
    return present, at[present]


def _cost(postings: tuple[np.ndarray, np.ndarray]) -> int:
    return postings[0].nbytes + postings[1].nbytes + _ENTRY_BYTES


def read_postings(reader, fieldname: str, text: str | bytes) -> tuple[np.ndarray, np.ndarray]:
    """One word's postings in one segment (deleted documents included), as arrays.

    Reading the blocks directly (`_blocks`) skips the matcher's per-posting work. A reader
    that is not a plain segment's goes through its ordinary matcher (which leaves deleted
    documents out), and so do postings Whoosh keeps inline in the term's entry."""
    if (fieldname, text) not in reader:
        return _EMPTY
    if not is_plain_segment(reader):
        return _from_matcher(reader.postings(fieldname, text))
    blocks = _blocks(reader, fieldname, text, values=False)
    if blocks is None:
        return _from_matcher(_matcher(reader, fieldname, text))
    return _decoded(blocks)


def _decoded(blocks) -> tuple[np.ndarray, np.ndarray]:
    """Docnums and weights from a posting list's parsed blocks."""
    deltas: list[int] = []
    weights: list[float] = []
    block_starts: list[int] = []
    previous_last_ids: list[int] = []
    previous_last = 0
    for count, last_id, (block_deltas, block_weights, _values) in blocks:
        block_starts.append(len(deltas))
        previous_last_ids.append(previous_last)
        deltas.extend(block_deltas)
        if block_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * count)
        else:
            weights.extend(block_weights)
        previous_last = last_id
    # Each block's first delta counts from 0, not from the previous block's last docnum:
    # take that away, and one cumulative sum gives every docnum.
    ids = np.array(deltas, dtype=np.int64)
    ids[block_starts] -= previous_last_ids
    return np.cumsum(ids).astype(np.int32), np.array(weights, dtype=np.float32)


def field_docnums(reader, fieldname: str) -> Iterator[tuple[str, np.ndarray]]:
    """Every word of one field of a segment with its documents (deleted ones included),
    in one pass along the term index and one read of the field's postings. A segment's
    group and type of each document are built from these when it is first opened:
    ~12,000 words at full scale, too many to look up one at a time (docs/architecture.md)."""
    if not is_plain_segment(reader):
        for text in reader.field_terms(fieldname):
            yield text, read_postings(reader, fieldname, text)[0]
        return
    field = reader.schema[fieldname]
    entries = []
    terms = _segment_terms(reader)
    for (name, btext), info in terms.items_from(fieldname, b""):
        if name != fieldname:
            break
        entries.append((field.from_bytes(btext), info))
    extents = [_extent(info) for _text, info in entries if not info.is_inlined()]
    start = min((offset for offset, _length in extents), default=0)
    end = max((offset + length for offset, length in extents), default=0)
    raw = _postings_bytes(terms, start, end - start) if extents else b""
    for text, info in entries:
        if info.is_inlined():
            yield text, np.array(info.inlined_postings()[0], dtype=np.int32)
        else:
            offset, length = _extent(info)
            blocks = _parse_blocks(raw[offset - start : offset - start + length], values=False)
            yield text, _decoded(blocks)[0]


def _extent(info) -> tuple[int, int]:
    offset, length = info.extent()
    if isinstance(length, tuple):  # whoosh-reloaded 2.7.5 reads it back unpacked
        (length,) = length
    return offset, length


def _blocks(reader, fieldname: str, text: str | bytes, values: bool = True):
    """The blocks of a word's postings in a Whoosh 3 segment, as (posting count, last
    docnum, (docnum deltas from 0, weights or one weight for all, values)); None when
    the postings are kept inline.

    All of the word's postings are read with one read: the segment files are read
    through the file (see `WhooshBackend._index`), where the matcher's reads of each
    block's header cost a call a few bytes."""
    btext = reader.schema[fieldname].to_bytes(text) if isinstance(text, str) else text
    terms = _segment_terms(reader)
    info = terms.term_info(fieldname, btext)
    if info.is_inlined():
        return None
    offset, length = _extent(info)
    raw = _postings_bytes(terms, offset, length)
    return _parse_blocks(raw, values)


def _parse_blocks(raw: bytes, values: bool = True):
    """A Whoosh 3 posting list: a 4-byte tag, then blocks of a signed length (negative
    for the last), a pickled header (count, last id, max weight, compression, min and
    max length) and the data, a pickle, compressed or not. `values=False`: each block's
    values (positions) come as None, unread."""
    stream = io.BytesIO(raw)
    position = 4
    while position < len(raw):
        (size,) = _BLOCK_SIZE.unpack_from(raw, position)
        stream.seek(position + 4)
        count, last_id, _weight, compression, _min, _max = pickle.load(stream)
        end = position + 4 + abs(size)
        data = raw[stream.tell() : end]
        data = zlib.decompress(data) if compression else data
        yield count, last_id, pickle.loads(data) if values else _without_values(data, count)
        if size < 0:
            return
        position = end


# Whoosh pickles a block as (docnum deltas, weights, values) with protocol 2, where each
# value (a document's positions, itself a pickle) is a bytes object rebuilt by a call of
# `_codecs.encode`: nine tenths of the unpickling. Ranking needs no positions, so the
# pickle is cut where the values begin (the first such call; the deltas and weights,
# numbers each behind an opcode byte, cannot hold those 16 bytes), and None stands in.
_FIRST_VALUE = b"c_codecs\nencode\n"
_NONE_TUPLE3_STOP = b"N\x87."


def _without_values(data: bytes, count: int):
    at = data.find(_FIRST_VALUE)
    if at > 0:
        if data[at - 1 : at] == b"(":  # the MARK of a tuple of more than three values
            at -= 1
        try:
            block = pickle.loads(data[:at] + _NONE_TUPLE3_STOP)
            deltas, weights, values = block
            # Had the first value been pickled otherwise (Whoosh writes no empty ones),
            # the cut would fall at the second: the weights would come first, a value next.
            if (
                isinstance(deltas, tuple)
                and len(deltas) == count
                and not isinstance(weights, bytes)
                and values is None
            ):
                return block
        except (pickle.UnpicklingError, EOFError, IndexError, TypeError, ValueError):
            pass  # not the layout above: read it whole
    return pickle.loads(data)


def _matcher(reader, fieldname: str, text: str | bytes):
    btext = reader.schema[fieldname].to_bytes(text) if isinstance(text, str) else text
    terms = _segment_terms(reader)
    return terms.matcher(fieldname, btext, reader.schema[fieldname].format)


def phrase_docs(reader, phrase: query.Phrase, candidates: np.ndarray) -> np.ndarray:
    """The docnums among `candidates` (a 0/1 array a docnum, the documents that hold all
    the phrase's words) where the words stand in order, each 1 to `slop` words after the
    one before: what Whoosh's `SpanNear2(ordered=True, mindist=1)` finds, over arrays of
    (docnum, position) keys instead of span objects."""
    if phrase.slop < 1:  # SpanNear2 then finds nothing (the parser never makes one)
        return np.zeros(0, dtype=np.int64)
    ends = None
    for word in phrase.words:
        keys = _position_keys(reader, phrase.fieldname, word, candidates)
        if ends is None:
            ends = keys
            continue
        follows = np.zeros(len(keys), dtype=bool)
        for gap in range(1, phrase.slop + 1):
            follows |= np.isin(keys, ends + gap)
        ends = keys[follows]
        if not len(ends):
            break
    if ends is None:
        return np.zeros(0, dtype=np.int64)
    return np.unique(ends >> 32)


def _position_keys(reader, fieldname: str, text: str, candidates: np.ndarray) -> np.ndarray:
    """docnum << 32 | position for each position of `text` in the candidate documents,
    ascending."""
    if (fieldname, text) not in reader:
        return np.zeros(0, dtype=np.int64)
    docs: list[int] = []
    values: list[bytes] = []
    blocks = _blocks(reader, fieldname, text)
    if blocks is not None:
        for _count, _last_id, (block_deltas, _weights, block_values) in blocks:
            ids = np.cumsum(np.array(block_deltas, dtype=np.int64))
            for i in np.flatnonzero(candidates[ids]).tolist():
                docs.append(int(ids[i]))
                values.append(block_values[i])
    else:
        matcher = _matcher(reader, fieldname, text)
        while matcher.is_active():
            if candidates[matcher.id()]:
                docs.append(matcher.id())
                values.append(matcher.value())
            matcher.next()
    counts, flat = _position_deltas(values)
    running = np.cumsum(flat)
    # Deltas restart from 0 in each document: take away the running sum before it.
    firsts = np.cumsum(counts) - counts
    before = np.zeros(len(counts), dtype=np.int64)
    before[firsts > 0] = running[firsts[firsts > 0] - 1]
    positions = running - np.repeat(before, counts)
    return (np.repeat(np.array(docs, dtype=np.int64), counts) << 32) | positions


# A position value whose list holds one number below 256 or 65,536: its 4-byte count (1),
# then pickle.dumps([n], 2), whose bytes are these ("?": a byte of n, little-endian).
_ONE_POSITION = (b"\x80\x02]q\x00K?a.", b"\x80\x02]q\x00M??a.")


def _position_deltas(values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Each value's number of positions, and all their position deltas in order.

    A value is a 4-byte count, then a pickled list of deltas (its final STOP byte
    sometimes left off, as whoosh.formats.Positions.decode_positions allows). Most words
    stand once in a document, and those values are read straight from their bytes, in
    arrays; the others are unpickled."""
    n = len(values)
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=n)
    data = np.frombuffer(b"".join(values), dtype=np.uint8)
    starts = np.cumsum(lengths) - lengths
    counts = np.zeros(n, dtype=np.int64)
    for i in range(4):  # the count, big-endian
        counts = (counts << 8) | data[starts + i]
    flat = np.zeros(int(counts.sum()), dtype=np.int64)
    firsts = np.cumsum(counts) - counts
    simple = np.zeros(n, dtype=bool)
    for pattern in _ONE_POSITION:
        found = (counts == 1) & (lengths == 4 + len(pattern))
        for i, byte in enumerate(pattern):
            if byte != ord("?"):
                found[found] = data[starts[found] + 4 + i] == byte
        at = starts[found] + 4
        number = np.zeros(len(at), dtype=np.int64)
        for shift, i in enumerate(i for i, byte in enumerate(pattern) if byte == ord("?")):
            number |= data[at + i].astype(np.int64) << (8 * shift)
        flat[firsts[found]] = number
        simple |= found
    _small_lists(data, starts, lengths, counts, firsts, flat, simple)
    rest = np.flatnonzero(~simple)
    if len(rest):
        lists = [pickle.loads(_with_stop(values[i][4:])) for i in rest.tolist()]
        rest_counts = counts[rest]
        within = np.arange(int(rest_counts.sum())) - np.repeat(
            np.cumsum(rest_counts) - rest_counts, rest_counts
        )
        flat[np.repeat(firsts[rest], rest_counts) + within] = np.fromiter(
            chain.from_iterable(lists), dtype=np.int64, count=len(within)
        )
    return counts, flat


# pickle.dumps(list, 2) of several numbers below 256: this head, "K" and a byte for each,
# then b"e.".
_LIST_HEAD = b"\x80\x02]q\x00("


def _small_lists(data, starts, lengths, counts, firsts, flat, simple) -> None:
    """Read the values that pickle several numbers below 256 into `flat`, marking them
    in `simple`."""
    found = ~simple & (counts > 1) & (lengths == 4 + len(_LIST_HEAD) + 2 * counts + 2)
    for i, byte in enumerate(_LIST_HEAD):
        found[found] = data[starts[found] + 4 + i] == byte
    ends = starts + lengths
    found[found] = (data[ends[found] - 2] == ord("e")) & (data[ends[found] - 1] == ord("."))
    chosen = np.flatnonzero(found)
    if not len(chosen):
        return
    chosen_counts = counts[chosen]
    within = np.arange(int(chosen_counts.sum())) - np.repeat(
        np.cumsum(chosen_counts) - chosen_counts, chosen_counts
    )
    opcodes = np.repeat(starts[chosen] + 4 + len(_LIST_HEAD), chosen_counts) + 2 * within
    # A value with any number not pickled as "K" (one byte) is left to pickle.
    wrong = np.repeat(np.arange(len(chosen)), chosen_counts)[data[opcodes] != ord("K")]
    keep = np.ones(len(chosen), dtype=bool)
    keep[wrong] = False
    items = np.repeat(keep, chosen_counts)
    flat[(np.repeat(firsts[chosen], chosen_counts) + within)[items]] = data[opcodes[items] + 1]
    simple[chosen[keep]] = True


def _with_stop(pickled: bytes) -> bytes:
    return pickled if pickled.endswith(b".") else pickled + b"."


def _from_matcher(matcher) -> tuple[np.ndarray, np.ndarray]:
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32)


def field_length_bytes(reader, fieldname: str, size: int) -> np.ndarray:
    """Each document's length of one field as Whoosh stores it: one byte, which
    `_LENGTH_OF_BYTE` decodes as Whoosh's scorer does."""
    codes = np.zeros(size, dtype=np.uint8)
    stored = _stored_length_bytes(reader, fieldname, size)
    codes[: len(stored)] = np.frombuffer(stored, dtype=np.uint8)
    return codes


class Ranker:
    """Scores for one query over one searcher's segments."""

    def __init__(
        self,
        searcher,
        postings: PostingsCache,
        constants: dict,
        phrase_matches: Callable[[query.Phrase, str], np.ndarray],
    ) -> None:
        self.searcher = searcher
        self.postings = postings
        self._constants = constants  # (field, word) -> BM25 constants, for this searcher
        # (phrase, segment key) -> one 0 or 1 per docnum of the segment: where it matches.
        self._phrase_matches = phrase_matches

    def top(self, q: query.Query, segments, limit: int) -> list[tuple[float, int]]:
        """The top `limit` (score, global docnum) of the matches, best first, ties in
        docnum order as Whoosh breaks them. `segments`: (reader, key, lengths by field,
        docnum offset, matching docnums as a bool array) per segment."""
        found: list[tuple[float, int]] = []
        for reader, key, lengths, offset, matches in segments:
            candidates = np.flatnonzero(matches)
            if not len(candidates):
                continue
            scores = self._scores(q, reader, key, lengths, candidates, False)
            if len(candidates) > limit:
                # Everything scoring at least the limit-th best (ties included).
                kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
                keep = scores >= kth
                candidates, scores = candidates[keep], scores[keep]
            found.extend(zip(scores.tolist(), (candidates + offset).tolist(), strict=True))
        found.sort(key=lambda pair: (-pair[0], pair[1]))
        return found[:limit]

    def _scores(self, q, reader, key, lengths, candidates, exact: bool) -> np.ndarray:
        """The score for `q` of each of `candidates` (a segment's matching docnums, in
        order): the sum of the scores of its parts, as Whoosh adds them. `exact`: also 0
        where `q` does not match, which only an `And` inside an `Or` needs work for (where
        the whole query matches, each part of an And does). Only the candidates are
        scored, never the whole segment: a few thousand matches, not 100,000 documents a
        word."""
        if isinstance(q, query.Term):
            scores = self._term_scores(q.fieldname, q.text, reader, key, lengths, candidates)
        elif isinstance(q, query.Prefix):
            # Whoosh ranks a prefix as the Or of the segment's words that start with it.
            scores = np.zeros(len(candidates), dtype=np.float64)
            for text in self.postings.prefix_words(reader, key, q):
                scores += self._term_scores(q.fieldname, text, reader, key, lengths, candidates)
        elif isinstance(q, query.Phrase):
            # Whoosh scores a phrase as the And of its words, where the phrase matches.
            scores = np.zeros(len(candidates), dtype=np.float64)
            for text in q.words:
                scores += self._term_scores(q.fieldname, text, reader, key, lengths, candidates)
            scores[~self._matches(q, reader, key, candidates)] = 0.0
        else:
            is_or = isinstance(q, query.Or)
            scores = np.zeros(len(candidates), dtype=np.float64)
            for child in q.subqueries:
                scores += self._scores(child, reader, key, lengths, candidates, exact or is_or)
            if exact and not is_or:
                scores[~self._matches(q, reader, key, candidates)] = 0.0
        return scores * q.boost if q.boost != 1.0 else scores

    def _matches(self, q, reader, key, candidates) -> np.ndarray:
        """Which of `candidates` `q` matches, as a bool each."""
        if isinstance(q, (query.Term, query.Prefix)):
            texts = (
                [q.text]
                if isinstance(q, query.Term)
                else self.postings.prefix_words(reader, key, q)
            )
            found = np.zeros(len(candidates), dtype=bool)
            for text in texts:
                found |= _among(self.postings.get(reader, key, q.fieldname, text)[0], candidates)[0]
            return found
        if isinstance(q, query.Phrase):
            return self._phrase_matches(q, key)[candidates].astype(bool)
        parts = [self._matches(child, reader, key, candidates) for child in q.subqueries]
        combine = np.logical_or if isinstance(q, query.Or) else np.logical_and
        return combine.reduce(parts)

    def _term_scores(self, fieldname, text, reader, key, lengths, candidates) -> np.ndarray:
        scores = np.zeros(len(candidates), dtype=np.float64)
        ids, weights = self.postings.get(reader, key, fieldname, text)
        present, where = _among(ids, candidates)
        if not len(where):
            return scores
        idf, avgfl, b, k1 = self._bm25_constants(fieldname, text)
        tf = weights[where].astype(np.float64)
        fl = _LENGTH_OF_BYTE[lengths[fieldname][candidates[present]]]
        # whoosh.scoring.bm25, operation for operation.
        scores[present] = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
        return scores

    def _bm25_constants(self, fieldname: str, text: str) -> tuple[float, float, float, float]:
        key = (fieldname, text)
        found = self._constants.get(key)
        if found is None:
            if len(self._constants) > 4096:
                self._constants.clear()
            scorer = self.searcher.weighting.scorer(self.searcher, fieldname, text)
            found = self._constants[key] = (scorer.idf, scorer.avgfl, scorer.B, scorer.K1)
        return found


# --- whether it may be used -----------------------------------------------------------


@cache  # the installed Whoosh does not change while the process runs; tests build many apps
def check() -> str | None:
    """Why the accelerator must not be used with the installed Whoosh, or None when it
    may: the version it was written for, the codec it parses, and a small index read
    back here exactly as Whoosh's own matchers read it."""
    for name, expected in WRITTEN_FOR.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            return f"{name} is not installed as a distribution; it was written for {expected}"
        if installed != expected:
            return f"{name} {installed} is installed; it was written for {expected}"
    codec = default_codec()
    if type(codec) is not CODEC:
        return f"Whoosh writes with {type(codec).__name__}; it reads {CODEC.__name__}'s files"
    try:
        return _reads_as_whoosh_does()
    except Exception as error:  # any failure to parse means the format is not the one known
        return f"reading a test index failed: {error!r}"


def _reads_as_whoosh_does() -> str | None:
    """Write a small index in memory (several posting blocks, positions past 255, inline
    postings, a deletion) and compare what this module reads with Whoosh's matchers."""
    ix = RamStorage().create_index(fields.Schema(body=fields.TEXT(), kind=fields.ID()))
    writer = ix.writer()
    for n in range(200):
        words = ["council"] * (1 + n % 3) + ["care"] * (n % 2)
        words += ["word"] * (300 if n == 5 else n % 4)  # positions past 255 once
        words += ["social", "care"] if n % 7 == 0 else []
        writer.add_document(body=" ".join(words), kind=f"k{n % 5}")
    writer.add_document(body="rare", kind="k9")
    writer.commit()
    writer = ix.writer()
    writer.delete_document(3)
    writer.commit()
    with ix.reader() as reader:
        if not is_plain_segment(reader):
            return "Whoosh's segment reader is not the kind it parses"
        size = reader.doc_count_all()
        live = np.zeros(size, dtype=bool)
        live[list(reader.all_doc_ids())] = True
        everywhere = np.ones(size, dtype=np.uint8)
        for word in ("council", "care", "word", "social", "rare"):
            expected_ids, expected_weights = _from_matcher(reader.postings("body", word))
            ids, weights = read_postings(reader, "body", word)
            kept = live[ids]
            if not (
                np.array_equal(ids[kept], expected_ids)
                and np.array_equal(weights[kept], expected_weights)
            ):
                return f"the postings of {word!r} read differently"
            keys = _position_keys(reader, "body", word, everywhere)
            if keys[live[keys >> 32]].tolist() != _matcher_position_keys(reader, word):
                return f"the positions of {word!r} read differently"
        for kind in ("k0", "k9"):
            docnums = dict(field_docnums(reader, "kind"))[kind]
            if docnums[live[docnums]].tolist() != list(reader.postings("kind", kind).all_ids()):
                return f"the documents of {kind!r} read differently"
        lengths = _LENGTH_OF_BYTE[field_length_bytes(reader, "body", size)]
        for docnum in np.flatnonzero(live).tolist():
            if lengths[docnum] != reader.doc_field_length(docnum, "body"):
                return "the stored field lengths read differently"
    return None


def _matcher_position_keys(reader, word: str) -> list[int]:
    """docnum << 32 | position of each position of `word`, from Whoosh's matcher."""
    found = []
    matcher = reader.postings("body", word)
    while matcher.is_active():
        found.extend((matcher.id() << 32) | p for p in matcher.value_as("positions"))
        matcher.next()
    return found


# --- Whoosh's private structures -------------------------------------------------------


def is_plain_segment(reader) -> bool:
    """Whether the reader is one Whoosh 3 segment, whose postings this module parses."""
    return isinstance(reader, SegmentReader) and isinstance(reader._terms, W3TermsReader)


def _segment_terms(reader):
    """A segment reader's terms reader (term infos, postings file, matchers)."""
    return reader._terms


def _postings_bytes(terms, offset: int, length: int) -> bytes:
    """`length` bytes of the segment's postings file from `offset`, in one read."""
    return terms._postfile.get(offset, length)


def _prefix_words(q: query.Prefix, reader):
    """The segment's words (as bytes) that a prefix query expands to."""
    return q._btexts(reader)


def _stored_length_bytes(reader, fieldname: str, count: int) -> bytes:
    """The first `count` documents' stored lengths of one field, a byte each (b"" when the
    segment keeps none)."""
    column = reader._perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    if column is None:
        return b""
    return column._dbfile.get(column._basepos, min(column._count, count))


def open_searcher(ix, old: Searcher | None) -> Searcher:
    """A searcher on the latest commit, reusing the open readers of unchanged segments.

    Not `Searcher.refresh()`: whoosh-reloaded 2.7.5 reuses segment readers by segment id,
    so a reused reader keeps its old deletions (and merged-away segments come back):
    replaced documents would show twice. Opening a segment reader reads its term index
    and deletions, and the first search on it reads its columns: a drain commit adds a
    small segment and perhaps deletes from one or two, so only those are opened; a
    segment whose deletions changed is opened afresh. The old searcher's readers not
    reused are closed.
    """
    reusable = {}
    if old is not None:
        for reader, _offset in old.reader().leaf_readers():
            segment = reader.segment()
            if segment is not None:
                reusable[segment.segment_id()] = reader
    toc = ix._read_toc()
    readers = []
    for segment in toc.segments:
        reader = reusable.get(segment.segment_id())
        if reader is not None and reader.segment().deleted_count() == segment.deleted_count():
            del reusable[segment.segment_id()]
        else:
            reader = SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation)
        readers.append(reader)
    if not readers:
        top = ix.reader()
    elif len(readers) == 1 and readers[0].generation() == toc.generation:
        top = readers[0]
    else:
        top = MultiReader(readers, generation=toc.generation)
    searcher = Searcher(top, weighting=scoring.BM25F(), fromindex=ix)
    for reader in reusable.values():
        reader.close()
    return searcher


# --- what the backend uses -------------------------------------------------------------


class Accelerator:
    """One backend's reads of postings, positions and field lengths, and its ranking,
    with their caches. Segments this cannot parse (another codec) are read through
    Whoosh's matchers, and a query `can_rank` refuses is left to Whoosh (`top` answers
    None)."""

    def __init__(self, postings_cache_bytes: int) -> None:
        self._postings = PostingsCache(postings_cache_bytes)
        self._lengths: dict[str, dict[str, np.ndarray]] = {}  # segment key -> field lengths
        self._constants: dict = {}  # BM25 constants of words, for `_constants_for`
        self._constants_for: Searcher | None = None

    def docnums(self, reader, segment_key: str, fieldname: str, text: str) -> np.ndarray:
        """One word's documents in one segment (deleted ones included); the ranked
        fields' postings are kept for ranking."""
        if fieldname in RANKED_FIELDS:
            return self._postings.get(reader, segment_key, fieldname, text)[0]
        return read_postings(reader, fieldname, text)[0]

    def prefix_words(self, reader, segment_key: str, q: query.Prefix) -> tuple[str, ...]:
        return self._postings.prefix_words(reader, segment_key, q)

    @staticmethod
    def field_docnums(reader, fieldname: str) -> Iterator[tuple[str, np.ndarray]]:
        return field_docnums(reader, fieldname)

    @staticmethod
    def phrase_docs(reader, phrase: query.Phrase, candidates: np.ndarray) -> np.ndarray | None:
        """The docnums among `candidates` where the phrase stands; None when the segment
        is not one this module parses."""
        if not is_plain_segment(reader):
            return None
        return phrase_docs(reader, phrase, candidates)

    def top(
        self,
        searcher: Searcher,
        q: query.Query,
        segments,
        limit: int,
        phrase_matches: Callable[[query.Phrase, str], np.ndarray],
    ) -> list[tuple[float, int]] | None:
        """The top `limit` (score, global docnum) of the matches, or None when `q` or a
        segment is not one this module ranks. `segments`: (reader, key, docnum offset,
        matching docnums as one 0 or 1 each) per segment with matches."""
        if not can_rank(q) or not all(is_plain_segment(s[0]) for s in segments):
            return None
        if self._constants_for is not searcher:
            self._constants_for, self._constants = searcher, {}
        with_lengths = [
            (reader, key, self._field_lengths(reader, key, len(matches)), offset, matches)
            for reader, key, offset, matches in segments
        ]
        ranker = Ranker(searcher, self._postings, self._constants, phrase_matches)
        return ranker.top(q, with_lengths, limit)

    def _field_lengths(self, reader, key: str, size: int) -> dict[str, np.ndarray]:
        """The segment's title and body lengths, read once while the segment lives."""
        found = self._lengths.get(key)
        if found is None:
            found = self._lengths[key] = {
                name: field_length_bytes(reader, name, size) for name in RANKED_FIELDS
            }
        return found

    def forget_segments(self, live_keys: set[str]) -> None:
        """Drop what is kept of segments no longer in the index."""
        self._postings.forget_segments(live_keys)
        for key in [k for k in self._lengths if k not in live_keys]:
            del self._lengths[key]
