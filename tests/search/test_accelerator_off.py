"""Search without the accelerator (HUB_SEARCH_ACCELERATOR=off, or a Whoosh it was not
written for): Whoosh's own matchers do the work, and people must see the same: hits,
totals, facets, snippets, suggestions, and nothing from a group they may not read.

The tests that matter for that are run again here with the setting off, on SQLite only
(the database does not change the search backend)."""

from __future__ import annotations

import logging

import pytest

from hub.config import ConfigError
from hub.search import accelerator
from hub.search.backend import SearchDoc, WhooshBackend
from tests.conftest import make_test_app
from tests.search import test_leaks, test_search

OFF = {"HUB_SEARCH_ACCELERATOR": "off"}


@pytest.fixture
def database() -> str:
    return "sqlite"


@pytest.fixture
def app_settings() -> dict:
    return OFF


@pytest.fixture
def hub_logs(caplog):
    """caplog for the hub's loggers, which do not propagate to the root (hub/logs.py)."""
    hub = logging.getLogger("hub")
    hub.addHandler(caplog.handler)
    yield caplog
    hub.removeHandler(caplog.handler)


def test_the_app_searches_without_the_accelerator_and_says_so(app, factory, hub_logs):
    assert not app.extensions["hub_search"].accelerated
    with hub_logs.at_level(logging.INFO, logger="hub.search"):
        make_test_app("sqlite", app.config["HUB_DATA_DIR"] + "-again", **OFF)
    assert "without its accelerator (HUB_SEARCH_ACCELERATOR=off)" in hub_logs.text


test_only_readers_find_a_groups_content = test_leaks.test_only_readers_find_a_groups_content
test_losing_access_hides_content_at_once = test_leaks.test_losing_access_hides_content_at_once
test_suggestions_never_come_from_unreadable_words = (
    test_leaks.test_suggestions_never_come_from_unreadable_words
)
test_search_finds_threads_posts_suggestions_groups_and_people = (
    test_search.test_search_finds_threads_posts_suggestions_groups_and_people
)
test_phrases_prefixes_and_negation = test_search.test_phrases_prefixes_and_negation
test_filters_by_type_group_and_tag_and_counts_facets = (
    test_search.test_filters_by_type_group_and_tag_and_counts_facets
)
test_the_group_facet_names_the_twenty_groups_with_most_matches = (
    test_search.test_the_group_facet_names_the_twenty_groups_with_most_matches
)
test_snippets_mark_the_words_and_escape_the_rest = (
    test_search.test_snippets_mark_the_words_and_escape_the_rest
)
test_pagination = test_search.test_pagination
test_suggestion_offers_the_nearest_readable_word = (
    test_search.test_suggestion_offers_the_nearest_readable_word
)
test_edits_and_deletions_reach_the_index = test_search.test_edits_and_deletions_reach_the_index
test_words_inside_web_and_email_addresses_and_dotted_names_are_words = (
    test_search.test_words_inside_web_and_email_addresses_and_dotted_names_are_words
)


# --- a Whoosh the accelerator was not written for ---------------------------------------


@pytest.fixture
def fresh_check():
    """accelerator.check() answers once a process: ask again, and forget the answer after."""
    accelerator.check.cache_clear()
    yield
    accelerator.check.cache_clear()


def _docs() -> list[SearchDoc]:
    return [
        SearchDoc(type="post", id=1, title="Adult social care", body="Care at home.", group_id=1),
        SearchDoc(type="post", id=2, title="Parking", body="Social care parking.", group_id=None),
    ]


def test_another_whoosh_version_switches_the_accelerator_off(
    monkeypatch, tmp_path, hub_logs, fresh_check
):
    monkeypatch.setitem(accelerator.WRITTEN_FOR, "Whoosh-Reloaded", "2.7.4")
    with hub_logs.at_level(logging.WARNING, logger="hub.search"):
        backend = WhooshBackend(tmp_path / "index")
    assert not backend.accelerated
    assert "WITHOUT its accelerator" in hub_logs.text
    assert "is installed; it was written for 2.7.4" in hub_logs.text
    backend.index(_docs())
    assert [hit.id for hit in backend.search("social care", {1}).hits] == [1, 2]
    assert [hit.id for hit in backend.search("social care", set()).hits] == [2]


def test_a_format_the_accelerator_misreads_switches_it_off(monkeypatch, tmp_path, fresh_check):
    """The check at start-up reads a small index both ways: a parser that no longer
    matches Whoosh's format (here, one that loses each block's last posting) is caught."""
    parse = accelerator._parse_blocks

    def losing_the_last_posting(raw, values=True):
        for count, last_id, (deltas, weights, block_values) in parse(raw, values):
            yield count, last_id, (deltas[:-1], weights, block_values)

    monkeypatch.setattr(accelerator, "_parse_blocks", losing_the_last_posting)
    assert "read differently" in accelerator.check()
    assert not WhooshBackend(tmp_path / "index").accelerated


def test_the_installed_whoosh_is_the_one_the_accelerator_was_written_for(fresh_check):
    assert accelerator.check() is None


def test_the_setting_takes_on_or_off_only(tmp_path):
    with pytest.raises(ConfigError, match="HUB_SEARCH_ACCELERATOR must be 'on' or 'off'"):
        make_test_app("sqlite", tmp_path, HUB_SEARCH_ACCELERATOR="fast")
