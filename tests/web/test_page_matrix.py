"""Every page with every kind of caller: the status the API's policy says (200, a 303 to
sign in, or the HTML 404), and every form refused without its csrf_token.

A new page adds its row to PAGES; test_every_page_is_in_the_matrix fails until it does.
A page of one thing names it as its rule does (`/groups/<group_id>`): the callers' fixture
makes one that a signed-in person may read. The group pages' roles and visibilities have
their own matrix (test_group_page_matrix.py).
"""

from __future__ import annotations

import re

import pytest

from hub.auth.guard import PAGE_BLUEPRINTS
from tests.groups.helpers import API, make_group, start_thread
from tests.library.helpers import upload
from tests.live.helpers import schedule
from tests.web.conftest import Browser

SIGN_IN = 303  # a page for people signed in, asked for by someone who is not

# path: (signed out, signed in)
PAGES = {
    "/": (200, 200),
    "/sign-in": (200, 200),
    "/register": (200, 200),
    "/password-reset": (200, 200),
    "/password-reset/new?token=x": (200, 200),
    "/verify-email?token=x": (200, 200),
    "/account": (SIGN_IN, 200),
    "/account/export": (SIGN_IN, 200),
    "/groups": (SIGN_IN, 200),
    "/groups?q=council&tag=audit&member=me&page=2": (SIGN_IN, 200),
    "/groups/<group_id>": (SIGN_IN, 200),
    "/threads/<thread_id>": (SIGN_IN, 200),
    "/search": (SIGN_IN, 200),
    "/search?q=council&type=thread,post&group_id=<group_id>&page=2": (SIGN_IN, 200),
    "/search?q=" + "x" * 201: (SIGN_IN, 200),
    "/people": (SIGN_IN, 200),
    "/people?q=ann&expertise=audit&organisation=Leeds&role=officer&region=North&page=2": (
        SIGN_IN,
        200,
    ),
    "/people/<person_id>": (SIGN_IN, 200),
    "/groups/<group_id>/library": (SIGN_IN, 200),
    "/groups/<group_id>/library?folder_id=<folder_id>&page=2": (SIGN_IN, 200),
    "/groups/<group_id>/library?folder_id=999999": (SIGN_IN, 404),
    "/files/<file_id>": (SIGN_IN, 200),
    "/files/<file_id>/delete": (SIGN_IN, 403),  # the reader did not upload it
    "/groups/<group_id>/suggestions": (SIGN_IN, 200),
    "/groups/<group_id>/suggestions?sort=new&page=2": (SIGN_IN, 200),
    "/live/<session_id>": (SIGN_IN, 200),
    "/live/<session_id>?sort=new": (SIGN_IN, 200),
    "/messages": (SIGN_IN, 200),
    "/messages?to=<person_id>&page=2": (SIGN_IN, 200),
    "/messages/<conversation_id>": (SIGN_IN, 200),
    "/messages/<others_conversation_id>": (SIGN_IN, 404),  # not one of theirs
    "/notifications": (SIGN_IN, 200),
    "/notifications?page=2&done=read": (SIGN_IN, 200),
}
CALLERS = ("signed out", "signed in")


def page_rules(app, method: str):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.partition(".")[0] in PAGE_BLUEPRINTS and method in rule.methods:
            if rule.endpoint.endswith(".static"):
                continue
            yield rule


def test_every_page_is_in_the_matrix(app):
    listed = {path.partition("?")[0] for path in PAGES} - {"/messages/<others_conversation_id>"}
    rules = {re.sub(r"<(?:int:)?([^>]+)>", r"<\1>", rule.rule) for rule in page_rules(app, "GET")}
    assert rules == listed


@pytest.fixture
def callers(app, factory) -> dict[str, Browser]:
    signed_in = Browser(app)
    signed_in.user = factory.user()
    signed_in.sign_in(signed_in.user)
    return {"signed out": Browser(app), "signed in": signed_in}


@pytest.fixture
def things(factory, callers) -> dict[str, int]:
    """What the pages of one thing show: an open group (readable by anyone signed in) with
    a thread, a folder, a file and a live session, its owner's profile, the owner's
    conversation with the signed-in caller, and one between two others."""
    owner = factory.person()
    group_id = make_group(owner, "open", tags=["audit"])
    folder = owner.post(f"{API}/groups/{group_id}/library/folders", json={"name": "Minutes"})
    return {
        "group_id": group_id,
        "thread_id": start_thread(owner, group_id)["id"],
        "person_id": owner.user_id,
        "folder_id": folder.json["id"],
        "file_id": upload(owner, group_id, "notes.txt", b"thistle").json["id"],
        "session_id": schedule(owner, group_id)["id"],
        "conversation_id": _conversation(owner, callers["signed in"].user.id),
        "others_conversation_id": _conversation(owner, factory.person().user_id),
    }


def _conversation(sender, recipient_id: int) -> int:
    started = sender.post(
        "/api/v1/conversations", json={"participant_ids": [recipient_id], "text": "Hello"}
    )
    assert started.status_code == 201, started.json
    return started.json["id"]


def test_each_page_answers_each_caller_as_the_policy_says(callers, things):
    for template, expected in PAGES.items():
        path = re.sub(r"<([^>]+)>", lambda m: str(things[m.group(1)]), template)
        for caller, status in zip(CALLERS, expected, strict=True):
            response = callers[caller].client.get(path)
            # A streamed page (the export) holds its request's context until closed: close
            # it, or the next caller's request would run as this one.
            response.close()
            assert response.status_code == status, (path, caller, response.status_code)
            if status == SIGN_IN:
                assert response.location.startswith("/sign-in?next=")


def test_every_form_is_refused_without_its_csrf_token(app, callers):
    posted = 0
    for rule in page_rules(app, "POST"):
        path = re.sub(r"<(?:int:)?[^>]+>", "1", rule.rule)
        for caller in CALLERS:
            response = callers[caller].client.post(path, data={"name": "x"})
            assert response.status_code == 400, (path, caller, response.status_code)
            assert response.mimetype == "text/html"
            posted += 1
    assert posted >= 16
    assert callers["signed in"].signed_in()  # nothing, not even sign-out, was done
