"""GET /api/asyncapi.json describes the live channel as the server runs it: the same event
names as the handlers, payload schemas that accept what the server accepts and refuse what
it refuses, and acknowledgements and live_events that match what real clients receive."""

from __future__ import annotations

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from hub.extensions import socketio
from hub.live import personal
from hub.live.service import EVENT_TYPES, NAMESPACE
from tests.live.helpers import API, start


@pytest.fixture
def document(client):
    response = client.get("/api/asyncapi.json")
    assert response.status_code == 200
    return response.json


def _validator(document, message: str):
    """A validator of one message's payload, resolving the document's `#/...` references."""
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:asyncapi", resource)
    pointer = f"urn:asyncapi#/channels/live/messages/{message}/payload"
    return jsonschema.Draft202012Validator({"$ref": pointer}, registry=registry)


def _message(document, name: str) -> dict:
    return document["channels"]["live"]["messages"][name]["payload"]


def test_it_names_every_event_the_server_handles_and_no_other(app, document):
    assert document["asyncapi"].startswith("3.")
    assert document["channels"]["live"]["address"] == NAMESPACE
    handled = set(socketio.server.handlers[NAMESPACE]) - {"connect", "disconnect", "*"}
    received = {n for n, op in document["operations"].items() if op["action"] == "receive"}
    sent = {n for n, op in document["operations"].items() if op["action"] == "send"}
    assert received == handled
    assert sent == {"live_event", "personal_event"}
    assert _message(document, "live_event")["properties"]["type"]["enum"] == list(EVENT_TYPES)
    assert _message(document, "personal_event")["properties"]["type"]["enum"] == list(
        personal.TYPES
    )


def test_every_reference_resolves(document):
    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    found = list(refs(document))
    assert len(found) > 20
    for ref in found:
        target = document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        assert isinstance(target, dict), ref


def test_payload_schemas_agree_with_the_server(cast, clients, document):
    """Each payload the server accepts validates; each it refuses as invalid does not."""
    start(cast.owner, cast.session_id)
    member = clients(cast.member.token)
    sid = cast.session_id
    accepted = [
        ("join", {"session_id": sid, "since_seq": 0}),
        ("ask", {"session_id": sid, "text": "How was it paid for?", "anonymous": True}),
        ("chat", {"session_id": sid, "text": "Hello all"}),
        ("leave", {"session_id": sid}),
    ]
    refused = [
        ("join", {"session_id": sid, "since": 0}),
        ("join", {"session_id": "seven"}),
        ("ask", {"session_id": sid}),
        ("chat", {"session_id": 0, "text": "x"}),
        ("vote", {"session_id": sid, "question_id": 1, "extra": True}),
    ]
    for name, payload in accepted:
        jsonschema.validate(payload, _message(document, name))
        answer = member.call(name, payload)
        assert answer["ok"] is True, (name, answer)
        _validator(document, f"{name}.ack").validate(answer)
    for name, payload in refused:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(payload, _message(document, name))
        answer = member.call(name, payload)
        assert answer["error"]["code"] == "invalid", (name, answer)
        _validator(document, f"{name}.ack").validate(answer)


def test_live_events_match_their_schema(cast, clients, document):
    start(cast.owner, cast.session_id)
    member = clients(cast.member.token)
    member.ok("join", {"session_id": cast.session_id})
    asked = member.ok("ask", {"session_id": cast.session_id, "text": "Who pays?"})
    member.ok("vote", {"session_id": cast.session_id, "question_id": asked["question"]["id"]})
    member.ok("chat", {"session_id": cast.session_id, "text": "Thanks"})
    events = member.wait_for_types("question.created", "question.voted", "chat.message")
    validator = _validator(document, "live_event")
    for event in events:
        validator.validate(event)


def test_personal_events_match_their_schema(factory, clients, document):
    alice, bob = factory.person(), factory.person()
    hears = clients(bob.token)
    sent = alice.post(
        f"{API}/conversations", json={"participant_ids": [bob.user_id], "text": "Hello"}
    )
    assert sent.status_code == 201
    events = hears.wait_for_personal(2)
    assert {e["type"] for e in events} == {"message", "notification"}
    validator = _validator(document, "personal_event")
    for event in events:
        validator.validate(event)
    wrong = {"type": "message", "data": {**events[0]["data"], "unexpected": 1}}
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(wrong)
