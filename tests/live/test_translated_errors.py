"""A refusal reaches people in their language, on every edge: the hub with a Welsh
catalogue (made here, as a translator's would be) answers the API's JSON errors and the
live channel's acknowledgements in Welsh, for messages written in a service's code and
for those kept in a module's constants (made at import time, translated when raised)."""

from __future__ import annotations

import pytest

from tests.live.helpers import API
from tests.translations import write_catalogue

NOT_STARTED = "This session has not started yet; wait for a moderator to start it."
ONLY_MODERATORS = "Only the group's moderators and the session's panelists can start it."
WELSH = {
    NOT_STARTED: "Nid yw'r sesiwn hon wedi dechrau eto; arhoswch i gymedrolwr ei dechrau.",
    ONLY_MODERATORS: "Dim ond cymedrolwyr y grŵp a phanelwyr y sesiwn all ei dechrau.",
}


@pytest.fixture(scope="module")
def welsh_translations(tmp_path_factory) -> str:
    return write_catalogue(tmp_path_factory.mktemp("translations"), "cy", WELSH)


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
