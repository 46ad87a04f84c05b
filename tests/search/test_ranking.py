"""Search ranks in arrays (hub/search/accelerator.py) instead of Whoosh's matchers: the
order and scores people see must be exactly Whoosh's own BM25F ranking of what they may
read, over several segments, replaced and deleted documents, titles and bodies. Without
the accelerator (HUB_SEARCH_ACCELERATOR=off, or a Whoosh it was not written for) Whoosh's
matchers rank: the same checks hold, and both give the same results."""

from __future__ import annotations

import random

import pytest
from whoosh import query, scoring

from hub.search.backend import PUBLIC, SearchDoc, WhooshBackend

WORDS = [
    "adult",
    "social",
    "care",
    "housing",
    "planning",
    "council",
    "budget",
    "waste",
    "recycling",
    "library",
    "transport",
    "parking",
    "school",
    "children",
    "health",
    "wellbeing",
    "carers",
    "homelessness",
    "flood",
    "climate",
    "energy",
    "procurement",
    "workforce",
    "digital",
    "data",
    "cyber",
    "licensing",
    "career",
    "cars",
    "carbon",
]


def _corpus(seed: int, count: int) -> list[SearchDoc]:
    rng = random.Random(seed)
    docs = []
    for n in range(1, count + 1):
        title = " ".join(rng.choices(WORDS, k=rng.randint(0, 4)))
        body = " ".join(rng.choices(WORDS, k=rng.randint(1, 120 if n > 5000 else 20)))
        group = rng.choice([None, None, 1, 2, 3])
        docs.append(SearchDoc(type="post", id=n, title=title, body=body, group_id=group))
    return docs


@pytest.fixture(scope="module")
def accelerated(tmp_path_factory):
    """A segment of over 5,000 documents (where Whoosh ranks a prefix by BM25F) and four
    small ones (where it gives a prefix's matches a constant score), with replaced and
    deleted documents."""
    backend = WhooshBackend(tmp_path_factory.mktemp("ranking") / "index")
    assert backend.accelerated
    docs = _corpus(7, 5600)
    backend.index(docs[:5000])
    for start in range(5000, len(docs), 150):
        backend.index(docs[start : start + 150])
    rng = random.Random(8)
    replaced = rng.sample(docs, 40)
    for doc in replaced:
        doc.body = " ".join(rng.choices(WORDS, k=rng.randint(3, 60)))
    backend.index(replaced)
    backend.delete([f"post:{n}" for n in rng.sample(range(1, len(docs) + 1), 30)])
    return backend


@pytest.fixture(scope="module")
def plain(accelerated):
    """The same index searched without the accelerator."""
    backend = WhooshBackend(accelerated.path, accelerate=False)
    assert not backend.accelerated
    return backend


@pytest.fixture(params=["accelerated", "plain"])
def backend(request):
    return request.getfixturevalue(request.param)


def _whoosh_ranking(backend: WhooshBackend, text: str, groups: set[int]) -> list[tuple]:
    """Every readable match, as Whoosh itself ranks them with no pruning at all."""
    readable = query.Or(
        [query.Term("group_id", PUBLIC)] + [query.Term("group_id", str(g)) for g in groups]
    )
    with backend._index().searcher(weighting=scoring.BM25F()) as searcher:
        q = _prefixes_by_bm25(backend.parse(text))
        results = searcher.search(q, limit=None, filter=readable)
        return [(hit["ref"], hit.score) for hit in results]


def _prefixes_by_bm25(q: query.Query) -> query.Query:
    """The hub ranks a prefix as the Or of its words by BM25F in every segment; Whoosh
    does so only without `constantscore` (else, in small segments, a constant)."""
    if isinstance(q, query.Prefix):
        return query.Prefix(q.fieldname, q.text, boost=q.boost, constantscore=False)
    return q.apply(_prefixes_by_bm25)


QUERIES = [
    "care",
    "adult social care",
    "housing planning",
    "council",
    "homelessness OR flood",
    "social -care",
    "data cyber digital workforce",
    "library (transport OR parking)",
    "plan*",
    "car* -carers",
    "car*",
    "(adult -social) OR flood",
    '"social care"',
    '"adult social care" housing',
    '"care care"',
    '"social care"~3',
    '"the council" budget',
    'flood OR "adult social"',
]


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize(
    ("which", "groups"), [("accelerated", set()), ("accelerated", {1, 3}), ("plain", {1, 3})]
)
def test_ranking_is_whoosh_bm25f_exactly(request, which, text, groups):
    backend = request.getfixturevalue(which)
    expected = _whoosh_ranking(backend, text, groups)
    assert expected, "the query should match something"
    score_of = dict(expected)
    for page_size in (1, 20, len(expected)):
        result = backend.search(text, groups, page_size=page_size, highlight=False)
        got = [f"{hit.type}:{hit.id}" for hit in result.hits]
        assert len(got) == len(set(got)) == min(page_size, len(expected))
        # The same scores in the same order. Documents whose scores are equal may come in
        # either order: Whoosh adds a document's term scores in an order that depends on
        # its segment, so equal scores can differ in the last bit there.
        assert [score_of[ref] for ref in got] == pytest.approx(
            [score for _, score in expected[:page_size]], rel=1e-12
        )
        # Hits carry scores to four decimals (Whoosh adds a constant 1 for a negation,
        # which ranks nothing differently and is left out).
        if "-" not in text:
            assert [hit.score for hit in result.hits] == [round(score_of[ref], 4) for ref in got]


@pytest.mark.parametrize("text", [*QUERIES, "socail care", "housign", "zzz"])
def test_the_accelerator_on_and_off_give_the_same_results(accelerated, plain, text):
    """Hits, totals, facets, snippets and did-you-mean, for a member of two groups;
    documents whose scores are equal may come in either order."""
    on = accelerated.search(text, {1, 3}, page_size=50)
    off = plain.search(text, {1, 3}, page_size=50)
    assert (on.total, on.type_counts, on.group_counts, on.suggestion) == (
        off.total,
        off.type_counts,
        off.group_counts,
        off.suggestion,
    )
    assert len(on.hits) == len(off.hits) == min(50, on.total)

    def by_score(hits):
        return sorted((round(h.score, 3), h.id, h.snippet) for h in hits)

    # Whole ties only: the page may end inside a run of equal scores differently.
    last = round(on.hits[-1].score, 3) if on.hits else 0
    assert [hit for hit in by_score(on.hits) if hit[0] > last] == [
        hit for hit in by_score(off.hits) if hit[0] > last
    ]
    assert [round(h.score, 3) for h in on.hits] == [round(h.score, 3) for h in off.hits]


def test_a_later_page_continues_the_same_order(backend):
    expected = _whoosh_ranking(backend, "social care", {2})
    second = backend.search("social care", {2}, page=2, page_size=20, highlight=False)
    score_of = dict(expected)
    assert [score_of[f"{h.type}:{h.id}"] for h in second.hits] == pytest.approx(
        [score for _, score in expected[20:40]], rel=1e-12
    )
    first = backend.search("social care", {2}, page=1, page_size=20, highlight=False)
    assert not {(h.type, h.id) for h in first.hits} & {(h.type, h.id) for h in second.hits}


@pytest.mark.parametrize("accelerate", [True, False])
def test_the_same_ranking_after_segments_merge(tmp_path, accelerate):
    backend = WhooshBackend(tmp_path / "index", accelerate=accelerate)
    docs = _corpus(9, 450)
    for start in range(0, len(docs), 150):
        backend.index(docs[start : start + 150])
    backend.delete(["post:3", "post:200"])
    before = {text: _whoosh_ranking(backend, text, {1}) for text in ("care", "social care")}
    writer = backend._index().writer()
    writer.commit(optimize=True)
    backend.refresh()
    for text, expected in before.items():
        result = backend.search(text, {1}, page_size=len(expected), highlight=False)
        assert [f"{h.type}:{h.id}" for h in result.hits] == [ref for ref, _ in expected]


@pytest.mark.parametrize("accelerate", [True, False])
def test_phrases_far_into_long_documents_match_as_whoosh_matches_them(tmp_path, accelerate):
    """Positions past 255 and 65,535 are stored differently (and a word standing once or
    several times in a document too): phrases must be found wherever they stand."""
    backend = WhooshBackend(tmp_path / "index", accelerate=accelerate)
    filler = " ".join(["council"] * 70_000)
    bodies = {
        1: "adult social care " + filler,
        2: filler[:3_000] + " adult social care " + filler,
        3: filler + " social care adult social care",
        4: filler + " social council care",
        5: " ".join(["social care"] * 300),
        6: "care social " * 200,
    }
    backend.index(
        [
            SearchDoc(type="post", id=n, title="", body=body, group_id=None)
            for n, body in bodies.items()
        ]
    )
    for text in ('"adult social care"', '"social care"', '"care social"', '"social care"~2'):
        expected = _whoosh_ranking(backend, text, set())
        result = backend.search(text, set(), page_size=20, highlight=False)
        assert sorted(h.id for h in result.hits) == sorted(
            int(r.split(":")[1]) for r, _ in expected
        )
    assert sorted(h.id for h in backend.search('"adult social care"', set()).hits) == [1, 2, 3]
