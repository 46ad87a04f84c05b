"""A refusal reaches people in their language, on every edge: the hub with a Welsh
catalogue (made here, as a translator's would be) answers the API's JSON errors and the
live channel's acknowledgements in Welsh, for messages written in a service's code and
for those kept in a module's constants (made at import time, translated when raised)."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from tests.live.helpers import API

NOT_STARTED = "This session has not started yet; wait for a moderator to start it."
ONLY_MODERATORS = "Only the group's moderators and the session's panelists can start it."
WELSH = {
    NOT_STARTED: "Nid yw'r sesiwn hon wedi dechrau eto; arhoswch i gymedrolwr ei dechrau.",
    ONLY_MODERATORS: "Dim ond cymedrolwyr y grŵp a phanelwyr y sesiwn all ei dechrau.",
}


@pytest.fixture(scope="module")
def welsh_translations(tmp_path_factory) -> str:
    catalog = Catalog(locale="cy", domain="messages")
    for english, welsh in WELSH.items():
        catalog.add(english, welsh)
    directory = tmp_path_factory.mktemp("translations")
    folder = directory / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.mo", "wb") as stream:
        write_mo(stream, catalog)
    return str(directory)


@pytest.fixture
def app_settings(welsh_translations) -> dict:
    return {"BABEL_DEFAULT_LOCALE": "cy", "BABEL_TRANSLATION_DIRECTORIES": welsh_translations}


@pytest.mark.parametrize("database", ["sqlite"])
def test_a_refusal_is_told_in_the_hubs_language_on_the_api_and_the_live_channel(cast, clients):
    refused = cast.member.post(f"{API}/live-sessions/{cast.session_id}/start")
    assert refused.status_code == 403
    assert refused.json["message"] == WELSH[ONLY_MODERATORS]

    member = clients(cast.member.token)
    answer = member.call("ask", {"session_id": cast.session_id, "text": "Early?"})
    assert answer["ok"] is False
    assert answer["error"]["code"] == "not_live"
    assert answer["error"]["message"] == WELSH[NOT_STARTED]
