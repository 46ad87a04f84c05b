"""Snippets: the passages of a hit's text around the words searched for, marked.

Whoosh's highlighter runs the whole stored text (up to 20,000 characters) through the
analyzer, a Python object per word, for each hit on the page: about a third of a search's
time at full scale. Here one regular expression finds the few words that could match
(those that start as a searched stem does), only those are stemmed, and the passages are
cut around them: the words the index matched, in its own tokens, at a fraction of the cost.
"""

from __future__ import annotations

import heapq
import html
import re
from collections.abc import Iterable
from functools import lru_cache

from whoosh.lang.porter import stem as porter_stem

SEPARATOR = " … "


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return porter_stem(word)


class Snippets:
    """Cuts the snippets of one query's hits: `stems` as the index holds them (lower case,
    Porter-stemmed), `prefixes` of prefix searches ("hous*") as typed, lower case."""

    def __init__(self, stems: Iterable[str], prefixes: Iterable[str] = ()) -> None:
        self.stems = frozenset(s.lower() for s in stems if s)
        self.prefixes = tuple(sorted({p.lower() for p in prefixes if p}))
        # A stem can end differently from its words ("hope" from "hoping", "duti" from
        # "duty"), never more than its last two letters: candidates start with the rest.
        starts = {s[: max(1, len(s) - 2)] for s in self.stems} | set(self.prefixes)
        self._candidates = None
        if starts:
            alternatives = "|".join(re.escape(s) for s in sorted(starts, key=len, reverse=True))
            # Whole tokens as the index makes them (WORD_PATTERN: a dot ends a word, so
            # "hull" is marked inside "hull.gov.uk").
            self._candidates = re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)

    def _matches(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, what matched) of every searched word in `text`, in order."""
        if self._candidates is None:
            return []
        found = []
        for match in self._candidates.finditer(text):
            word = match.group().lower()
            stem = _stem(word)
            if stem in self.stems:
                found.append((match.start(), match.end(), stem))
            elif word.startswith(self.prefixes):
                found.append((match.start(), match.end(), word))
        return found

    def cut(self, text: str, maxchars: int, surround: int, top: int = 2) -> str:
        """The `top` best passages of at most `maxchars` characters, each with about
        `surround` characters of context around its matches, in text order, HTML-escaped
        with `<mark>` around the matches; "" when nothing in `text` matches."""
        matches = self._matches(text)
        passages = _passages(text, matches, maxchars, surround)
        # Most matches of most different words first, as Whoosh's scorer ranks them;
        # nlargest keeps the earlier of equals.
        best = heapq.nlargest(top, passages, key=lambda p: len(p[2]) * len({m[2] for m in p[2]}))
        best.sort()
        return SEPARATOR.join(_marked(text, start, end, spans) for start, end, spans in best)


def _passages(text: str, matches, maxchars: int, surround: int) -> list:
    """(start, end, matches) of passages: each starts `surround` characters before a match
    (at a word's start) and takes the matches that follow within `surround` of each other
    while it stays within `maxchars`."""
    passages = []
    i = floor = 0
    while i < len(matches):
        # Never back into the passage before: its matches are marked there.
        start = max(_word_start(text, matches[i][0] - surround), floor)
        j = i + 1
        while (
            j < len(matches)
            and matches[j][1] - start <= maxchars
            and matches[j][0] - matches[j - 1][1] <= surround
        ):
            j += 1
        last_end = matches[j - 1][1]
        end = _word_end(text, min(last_end + surround, start + maxchars), last_end)
        passages.append((start, end, matches[i:j]))
        i, floor = j, end
    return passages


_WORD_START = re.compile(r"\b\w")


def _word_start(text: str, position: int) -> int:
    """The start of the first word at or after `position`."""
    if position <= 0:
        return 0
    found = _WORD_START.search(text, position)
    return found.start() if found else position


def _word_end(text: str, position: int, floor: int) -> int:
    """`position`, moved back to the end of a word if it falls inside one (not before
    `floor`)."""
    if position >= len(text):
        return len(text)
    while position > floor and text[position - 1].isalnum() and text[position].isalnum():
        position -= 1
    return position


def _marked(text: str, start: int, end: int, spans) -> str:
    out, at = [], start
    for span_start, span_end, _what in spans:
        span_end = min(span_end, end)  # a match longer than a passage is cut with it
        out.append(html.escape(text[at:span_start]))
        out.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        at = span_end
    out.append(html.escape(text[at:end]))
    return " ".join("".join(out).split())
