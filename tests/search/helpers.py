"""Helpers for the search tests: content made through the API, searches, leak checks."""

from __future__ import annotations

import json

from tests.factories import ApiClient
from tests.groups.helpers import API, add_member, make_group

__all__ = [
    "API",
    "add_member",
    "make_group",
    "search",
    "start_thread",
    "reply",
    "suggest",
    "leaked",
]


def search(person: ApiClient, q: str, **params) -> dict:
    response = person.get(f"{API}/search", query_string={"q": q, **params})
    assert response.status_code == 200, response.json
    return response.json


def start_thread(person: ApiClient, group_id: int, title: str, body: str) -> int:
    response = person.post(f"{API}/groups/{group_id}/threads", json={"title": title, "body": body})
    assert response.status_code == 201, response.json
    return response.json["id"]


def reply(person: ApiClient, thread_id: int, body: str) -> int:
    response = person.post(f"{API}/threads/{thread_id}/posts", json={"body": body})
    assert response.status_code == 201, response.json
    return response.json["id"]


def suggest(person: ApiClient, group_id: int, title: str, body: str) -> int:
    response = person.post(
        f"{API}/groups/{group_id}/suggestions", json={"title": title, "body": body}
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def refs(result: dict) -> set[tuple[str, int]]:
    return {(item["type"], item["id"]) for item in result["items"]}


def leaked(result: dict, words: list[str], group_id: int) -> list[str]:
    """Every way a search result could give away a private group: what it shows."""
    found = []
    text = json.dumps(result).lower()
    for word in words:
        if word.lower() in text:
            found.append(f"word {word!r} in the response")
    if result["total"]:
        found.append(f"total {result['total']}")
    if result["items"]:
        found.append(f"items {refs(result)}")
    if any(g["id"] == group_id for g in result["facets"]["group"]):
        found.append("group facet")
    if result["facets"]["type"]:
        found.append(f"type facet {result['facets']['type']}")
    if result["suggestion"]:
        found.append(f"suggestion {result['suggestion']!r}")
    return found


def drain(app) -> None:
    """Do the outbox work of commits made outside a request (the factory's users)."""
    from hub import outbox

    with app.app_context():
        outbox.drain_all()
