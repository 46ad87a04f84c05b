"""The live room in a language with more plural forms than English: the page gives each
form by category and the script picks one by the language's rules (Welsh says two people
otherwise than three, six or seven)."""

from __future__ import annotations

import pytest

from tests.translations import write_catalogue
from tests.web.test_live_room import WAIT_MS, open_room  # noqa: F401 (a fixture)

PEOPLE = ("%(num)d person here", "%(num)d people here")
# Welsh's six forms, in the order of its catalogue (zero, one, two, few, many, other).
PEOPLE_IN_WELSH = (
    "%(num)d o bobl yma",
    "%(num)d person yma",
    "%(num)d berson yma",
    "%(num)d pherson yma",
    "%(num)d o bobl yma (llawer)",
    "%(num)d o bobl yma (eraill)",
)


@pytest.fixture(scope="module")
def welsh_translations(tmp_path_factory) -> str:
    directory = tmp_path_factory.mktemp("translations")
    return write_catalogue(directory, "cy", {PEOPLE: PEOPLE_IN_WELSH})


@pytest.fixture
def app_settings(welsh_translations) -> dict:
    return {"BABEL_DEFAULT_LOCALE": "cy", "BABEL_TRANSLATION_DIRECTORIES": welsh_translations}


def test_two_people_in_the_room_are_counted_with_welshs_form_for_two(open_room):  # noqa: F811
    owner, member = open_room()
    assert owner.evaluate("document.documentElement.lang") == "cy"
    for page in (owner, member):
        page.wait_for_function(
            "() => document.getElementById('live-presence').textContent === '2 berson yma'",
            timeout=WAIT_MS,
        )
