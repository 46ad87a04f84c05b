"""Closing an account (DELETE /me): the person is erased at once; what they wrote in groups
stays, shown as by "Former member"; nothing changes when the closing is refused."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import sqlalchemy as sa

from hub.auth.models import User
from hub.extensions import db
from hub.live import service as live_service
from hub.people.models import recount_word_holders
from tests.factories import PASSWORD
from tests.groups.helpers import API, add_member, make_group, member_count, reply, start_thread
from tests.library.helpers import fixture, upload
from tests.live.helpers import schedule, start
from tests.search.helpers import drain, search

FORMER_MEMBER = {"id": None, "name": "Former member"}


def close(person, password: str = PASSWORD):
    return person.delete(f"{API}/me", json={"password": password})


def _connect(person, other) -> None:
    assert person.post(f"{API}/people/{other.user_id}/connect").status_code == 202
    accepted = other.post(f"{API}/me/connections/{person.user_id}/accept")
    assert accepted.status_code == 200, accepted.json


def test_what_they_wrote_stays_as_by_a_former_member_and_the_rest_goes(app, factory):
    owner, leaver, friend = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner, "private")
    add_member(owner, group_id, leaver)
    add_member(owner, group_id, friend)
    thread = start_thread(leaver, group_id)
    answer = reply(leaver, thread["id"], "We used a *peer review* panel.")
    idea = leaver.post(
        f"{API}/groups/{group_id}/suggestions", json={"title": "Share notes", "body": "Yes."}
    ).json
    uploaded = upload(leaver, group_id, "sample.docx", fixture("sample.docx"))
    assert uploaded.status_code == 201, uploaded.json
    chat = leaver.post(
        f"{API}/conversations", json={"participant_ids": [friend.user_id], "text": "Hello"}
    )
    conversation_id = chat.json["id"]
    friend.post(f"{API}/conversations/{conversation_id}/messages", json={"text": "Hi back"})
    _connect(leaver, friend)
    members_before = member_count(owner, group_id)

    assert close(leaver).status_code == 204

    assert owner.get(f"{API}/threads/{thread['id']}").json["author"] == FORMER_MEMBER
    listed = owner.get(f"{API}/groups/{group_id}/threads").json
    assert [t["author"] for t in listed] == [FORMER_MEMBER]
    posts = owner.get(f"{API}/threads/{thread['id']}/posts").json
    assert [p["author"] for p in posts] == [FORMER_MEMBER, FORMER_MEMBER]
    assert posts[1]["id"] == answer["id"] and "peer review" in posts[1]["body"]
    ideas = owner.get(f"{API}/groups/{group_id}/suggestions").json
    assert [(s["id"], s["author"]) for s in ideas] == [(idea["id"], FORMER_MEMBER)]
    file = owner.get(f"{API}/library/files/{uploaded.json['id']}").json
    assert file["uploaded_by"] == FORMER_MEMBER
    feed = owner.get(f"{API}/me/feed").json
    assert feed and {item["author"]["name"] for item in feed} == {"Former member"}
    # The other side keeps the whole conversation.
    messages = friend.get(f"{API}/conversations/{conversation_id}/messages").json
    assert [(m["author"], m["body"]) for m in messages] == [
        (FORMER_MEMBER, "Hello"),
        ({"id": friend.user_id, "name": messages[1]["author"]["name"]}, "Hi back"),
    ]
    assert friend.get(f"{API}/me/connections").json == []
    assert owner.get(f"{API}/people/{leaver.user_id}").status_code == 404
    assert member_count(owner, group_id) == members_before - 1
    members = owner.get(f"{API}/groups/{group_id}/members").json
    assert leaver.user_id not in {m["user"]["id"] for m in members}


def test_they_cannot_sign_in_and_the_address_may_register_again(app, factory):
    user = factory.user()
    person = factory.client_for(user)
    browser = app.test_client()
    login = browser.post(f"{API}/auth/login", json={"email": user.email, "password": PASSWORD})
    assert login.status_code == 200

    assert close(person).status_code == 204

    # The bearer token and the signed-in cookie stop working at once.
    assert person.get(f"{API}/me").status_code == 401
    assert browser.get(f"{API}/me").status_code == 401
    again = app.test_client().post(
        f"{API}/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert again.status_code == 401
    registered = app.test_client().post(
        f"{API}/auth/register",
        json={
            "email": user.email,
            "password": "a fresh start for 2027",
            "name": "Someone New",
            "role": "officer",
        },
    )
    assert registered.status_code == 201, registered.json
    assert registered.json["name"] == "Someone New"


@pytest.mark.parametrize("body", [{"password": "not my password at all"}, {}])
def test_a_wrong_or_missing_password_erases_nothing(app, factory, body):
    person = factory.person()
    refused = person.delete(f"{API}/me", json=body)
    assert refused.status_code == 422
    assert refused.json["message"]
    assert "password" in refused.json["errors"]["json"]
    assert person.get(f"{API}/me").status_code == 200


def test_the_last_owner_of_a_group_hands_it_over_first(app, factory):
    owner, deputy = factory.person(), factory.person()
    group_id = make_group(owner, "restricted", name="Adult social care leads")
    add_member(owner, group_id, deputy)

    refused = close(owner)

    assert refused.status_code == 409
    assert "Adult social care leads" in refused.json["message"]
    assert owner.get(f"{API}/me").status_code == 200
    assert member_count(deputy, group_id) == 2
    promoted = owner.patch(
        f"{API}/groups/{group_id}/members/{deputy.user_id}", json={"role": "owner"}
    )
    assert promoted.status_code == 200
    assert close(owner).status_code == 204
    assert member_count(deputy, group_id) == 1


def test_an_archived_group_does_not_hold_its_last_owner(app, factory):
    owner = factory.person()
    group_id = make_group(owner, "open")
    assert owner.delete(f"{API}/groups/{group_id}").status_code in (200, 204)
    assert close(owner).status_code == 204


def test_search_and_the_people_finder_forget_them(app, factory):
    leaver = factory.person(name="Quentin Zebediah", job_title="Head of Marmoset Services")
    other = factory.person()
    drain(app)
    assert search(other, "Zebediah", type="person")["total"] == 1
    assert other.get(f"{API}/people", query_string={"q": "marmoset"}).json

    assert close(leaver).status_code == 204
    drain(app)

    assert search(other, "Zebediah")["total"] == 0
    found = other.get(f"{API}/people", query_string={"q": "marmoset"})
    assert found.json == []
    with app.app_context():
        # The finder's counts of holders were kept right: a recount finds nothing wrong.
        assert recount_word_holders(db.session.connection()) == 0
        db.session.rollback()
        if db.engine.dialect.name == "postgresql":
            # Nor do PostgreSQL search's word lists (did-you-mean's) keep their name.
            assert _postgres_search_words_like("zebedia%") == []


def _postgres_search_words_like(pattern: str) -> list[str]:
    return list(
        db.session.scalars(
            sa.text(
                "SELECT word FROM search_words WHERE word LIKE :p "
                "UNION ALL SELECT word FROM search_spellings WHERE word LIKE :p"
            ),
            {"p": pattern},
        )
    )


def test_live_questions_stay_anonymous_or_by_a_former_member_and_votes_go(app, factory):
    owner, asker = factory.person(), factory.person()
    group_id = make_group(owner, "open")
    add_member(owner, group_id, asker)
    session_id = schedule(owner, group_id)["id"]
    start(owner, session_id)
    questions = f"{API}/live-sessions/{session_id}/questions"
    named = asker.post(questions, json={"text": "Who funds it?"}).json
    hidden = asker.post(questions, json={"text": "Was it late?", "anonymous": True}).json
    theirs = owner.post(questions, json={"text": "Any questions?"}).json
    with app.app_context():
        live_service.vote(db.session.get(User, asker.user_id), session_id, theirs["id"], True)

    assert close(asker).status_code == 204

    shown = {q["id"]: q for q in owner.get(questions).json}
    assert shown[named["id"]]["author"] == FORMER_MEMBER
    assert shown[hidden["id"]]["author"] is None
    assert shown[theirs["id"]]["votes"] == 0


def test_closing_one_account_leaves_everyone_else_s(app, factory):
    """There is no way to name another account: whoever calls closes or exports their own."""
    person, admin = factory.person(), factory.person(is_admin=True)
    exported = zipfile.ZipFile(io.BytesIO(admin.get(f"{API}/me/export").data))
    assert json.loads(exported.read("profile.json"))["id"] == admin.user_id

    assert admin.delete(f"{API}/me", json={"password": PASSWORD}).status_code == 204

    assert person.get(f"{API}/me").status_code == 200
    assert admin.get(f"{API}/me").status_code == 401
