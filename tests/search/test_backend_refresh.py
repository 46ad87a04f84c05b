"""The backend's searcher reuses the readers of unchanged segments after a write: replaced,
deleted and merged documents must still show exactly once, or not at all."""

from __future__ import annotations

import pytest

from hub.search.backend import SearchDoc, WhooshBackend


def _doc(n: int, body: str, group_id: int | None = None) -> SearchDoc:
    return SearchDoc(type="thread", id=n, title=f"Thread {n}", body=body, group_id=group_id)


def _ids(backend: WhooshBackend, text: str, groups: set[int] = frozenset()) -> list[int]:
    result = backend.search(text, set(groups), page_size=100, highlight=False)
    assert result.total == len(result.hits)
    return sorted(hit.id for hit in result.hits)


@pytest.mark.parametrize("accelerate", [True, False])
def test_replaced_deleted_and_merged_documents_show_once(tmp_path, accelerate):
    backend = WhooshBackend(tmp_path / "index", accelerate=accelerate)
    backend.index([_doc(n, "pelican survey") for n in range(1, 6)])
    backend.index([_doc(n, "pelican survey") for n in range(6, 9)])  # a second segment
    assert _ids(backend, "pelican") == list(range(1, 9))

    # Replace a document in the first segment: its old version is deleted there.
    backend.index([_doc(2, "heron survey")])
    assert _ids(backend, "pelican") == [1, 3, 4, 5, 6, 7, 8]
    assert _ids(backend, "heron") == [2]

    # Delete one from the second segment, then one from the first again.
    backend.delete(["thread:7"])
    backend.delete(["thread:4"])
    assert _ids(backend, "pelican") == [1, 3, 5, 6, 8]
    assert _ids(backend, "survey") == [1, 2, 3, 5, 6, 8]

    # Merge everything into one segment: nothing comes back, nothing doubles.
    writer = backend._index().writer()
    writer.commit(optimize=True)
    backend.refresh()
    assert _ids(backend, "pelican") == [1, 3, 5, 6, 8]
    assert len(backend.searcher().leaf_searchers()) == 1

    # And after more writes on the merged index, the same.
    backend.index([_doc(9, "pelican heron", group_id=4)])
    assert _ids(backend, "pelican") == [1, 3, 5, 6, 8]
    assert _ids(backend, "pelican", {4}) == [1, 3, 5, 6, 8, 9]
    backend.delete(["thread:1"])
    assert _ids(backend, "pelican", {4}) == [3, 5, 6, 8, 9]


@pytest.mark.parametrize("accelerate", [True, False])
def test_a_second_process_sees_writes(tmp_path, accelerate):
    """A backend that did not write notices a new generation and reopens."""
    writer = WhooshBackend(tmp_path / "index")
    reader = WhooshBackend(tmp_path / "index", accelerate=accelerate)
    writer.index([_doc(1, "kestrel")])
    assert _ids(reader, "kestrel") == [1]
    writer.index([_doc(1, "osprey")])
    assert _ids(reader, "kestrel") == []
    assert _ids(reader, "osprey") == [1]
