"""Indexing analyses text itself (one pass, token lists) instead of through Whoosh's chain:
the tokens must be exactly those the query side's analyzers make, or words would stop
matching. Compared on realistic and awkward text."""

from __future__ import annotations

import importlib
import random

import pytest

from hub.search.backend import (
    SPELL_ANALYZER,
    TEXT_ANALYZER,
    SearchDoc,
    _fields_of,
    _stemmed,
    _words,
)
from hub.seeding import vocabulary as v

# The module, not the function of the same name that hub.seeding exports.
g = importlib.import_module("hub.seeding.generate")

AWKWARD = [
    "",
    "a I x y. The and of",
    "**peer challenge** and _early help_ in `code` -- ~strike~",
    "İstanbul Straße ÉCOLE naïve café façade Ångström",
    "e.g. U.K. a.b.c 3.14 v2.0.1 don't co-operate re-ablement",
    "Hello... world..end __dunder__ _lead trail_ 1st 2nd 10,000 £5m 50%",
    "organisations organisation organising councils council's councillors",
    "\t\nnew\r\nlines\u00a0and\u2003spaces\u200bzero-width",
    "日本語のテキスト 한국어 العربية русский текст",
]


def _realistic(count: int) -> list[str]:
    rng = random.Random(3)
    texts = []
    for _ in range(count):
        topic = rng.choice(v.EXPERTISE)
        council = rng.choice(v.COUNCILS)[0]
        texts.append(g.thread_title(rng, topic) + "\n" + g.post_text(rng, topic, council))
        texts.append(g.reply_text(rng, topic))
    return texts


@pytest.mark.parametrize("text", AWKWARD + _realistic(150))
def test_index_tokens_are_the_analyzers_tokens(text):
    assert _stemmed(_words(text)) == [t.text for t in TEXT_ANALYZER(text)]
    assert _words(text) == [t.text for t in SPELL_ANALYZER(text)]


def test_fields_store_the_text_and_index_its_tokens():
    doc = SearchDoc(
        type="post",
        id=1,
        title="Councils and housing",
        body="The councils' housing strategies",
        group_id=3,
    )
    fields = _fields_of(doc)
    assert fields["title"] == ["council", "hous"]
    assert fields["_stored_title"] == "Councils and housing"
    assert fields["body"] == ["council", "hous", "strategi"]
    assert fields["_stored_body"] == "The councils' housing strategies"
    # Each word once: did-you-mean only asks whether a word occurs.
    assert fields["spell"] == ["councils", "and", "housing", "the", "strategies"]
