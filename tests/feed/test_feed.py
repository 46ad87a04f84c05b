"""The activity feed: my groups and my connections, never a group I cannot read."""

import json

from tests.groups.helpers import API, add_member, make_group, remove_member, reply, start_thread


def connect(a, b) -> None:
    assert a.post(f"{API}/people/{b.user_id}/connect").status_code == 202
    assert b.post(f"{API}/me/connections/{a.user_id}/accept").status_code == 200


def feed(person, **query) -> list[dict]:
    response = person.get(f"{API}/me/feed", query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def test_the_feed_shows_new_threads_and_posts_in_my_groups_newest_first(factory):
    owner, me = factory.person(name="Amira Khan"), factory.person()
    group_id = make_group(owner, "private", name="Audit leads")
    add_member(owner, group_id, me)
    thread = start_thread(owner, group_id, title="Peer challenge", body="How was it?")
    post = reply(owner, thread["id"], "Went well.")

    items = feed(me)

    assert [(i["type"], i["id"]) for i in items] == [("post", post["id"]), ("thread", thread["id"])]
    newest = items[0]
    assert newest["title"] == "Peer challenge"
    assert newest["body"] == "Went well." and newest["body_html"] == "<p>Went well.</p>\n"
    assert newest["author"] == {"id": owner.user_id, "name": "Amira Khan"}
    assert newest["group"] == {"id": group_id, "name": "Audit leads"}
    assert newest["thread"] == {"id": thread["id"], "title": "Peer challenge"}
    assert newest["url"] == f"/api/v1/posts/{post['id']}"
    assert items[1]["url"] == f"/api/v1/threads/{thread['id']}"
    assert me.get(newest["url"]).status_code == 200


def test_the_feed_shows_my_connections_only_where_i_may_read(factory):
    me, friend, stranger = factory.person(), factory.person(), factory.person()
    connect(me, friend)
    open_group = make_group(friend)
    private_group = make_group(friend, "private")
    hidden_group = make_group(friend, "hidden")
    visible = start_thread(friend, open_group, title="Open to all")
    start_thread(friend, private_group, title="Members only")
    start_thread(friend, hidden_group, title="Secret")
    stranger_group = make_group(stranger)
    start_thread(stranger, stranger_group, title="Not followed")

    titles = [i["title"] for i in feed(me)]

    assert titles == ["Open to all"]
    assert feed(me)[0]["id"] == visible["id"]


def test_the_feed_leaves_a_group_when_i_lose_access(factory):
    owner, me = factory.person(), factory.person()
    group_id = make_group(owner, "private")
    add_member(owner, group_id, me)
    start_thread(owner, group_id)
    assert len(feed(me)) == 1

    remove_member(owner, group_id, me)

    assert feed(me) == []


def test_a_banned_member_sees_nothing_of_an_open_group_even_from_connections(factory):
    owner, me = factory.person(), factory.person()
    connect(me, owner)
    group_id = make_group(owner)
    add_member(owner, group_id, me)
    start_thread(owner, group_id)
    remove_member(owner, group_id, me, ban=True)

    assert feed(me) == []


def test_the_feed_is_paginated(factory):
    owner = factory.person()
    group_id = make_group(owner)
    thread = start_thread(owner, group_id)
    for n in range(4):
        reply(owner, thread["id"], f"Post {n}")

    response = owner.get(f"{API}/me/feed?page=2&page_size=2")

    assert response.status_code == 200
    assert [i["body"] for i in response.json] == ["Post 1", "Post 0"]
    assert json.loads(response.headers["X-Pagination"])["total"] == 5
    assert owner.get(f"{API}/me/feed?page_size=0").status_code == 422


def test_the_feed_of_someone_new_is_empty(factory):
    assert feed(factory.person()) == []


def test_the_feed_shows_new_library_files_and_live_sessions(factory):
    from tests.library.helpers import uploaded
    from tests.live.helpers import schedule

    owner, me, outsider = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner, "private", name="Flood leads")
    add_member(owner, group_id, me)
    start_thread(owner, group_id, title="Section 19 reports")
    file = uploaded(owner, group_id, "sample.txt", title="Flood resilience checklist")
    session = schedule(owner, group_id, title="Hotseat: surface water plans")

    items = feed(me)

    assert [(i["type"], i["id"]) for i in items[:2]] == [
        ("session", session["id"]),
        ("file", file["id"]),
    ]
    assert items[0]["title"] == "Hotseat: surface water plans"
    assert items[0]["url"] == f"/api/v1/live-sessions/{session['id']}"
    assert items[1]["title"] == "Flood resilience checklist"
    assert items[1]["group"] == {"id": group_id, "name": "Flood leads"}
    assert me.get(items[1]["url"]).status_code == 200
    assert items[2]["type"] == "thread"
    assert feed(outsider) == []


def feed_total(person) -> int:
    response = person.get(f"{API}/me/feed", query_string={"page_size": 100})
    assert response.status_code == 200, response.json
    total = json.loads(response.headers["X-Pagination"])["total"]
    assert total == len(response.json)  # the total counts exactly what the pages show
    return total


def test_the_feed_total_follows_every_post_file_and_session_added_and_deleted(factory):
    from tests.library.helpers import uploaded
    from tests.live.helpers import schedule

    owner, me = factory.person(), factory.person()
    group_id = make_group(owner, "private")
    other_group = make_group(owner, "private")
    add_member(owner, group_id, me)
    assert feed_total(me) == 0

    kept = start_thread(owner, group_id)
    replies = [reply(owner, kept["id"], f"Reply {n}") for n in range(3)]
    doomed = start_thread(owner, group_id)
    reply(owner, doomed["id"], "Gone with its thread")
    files = [uploaded(owner, group_id, "sample.txt", title=f"File {n}") for n in range(2)]
    schedule(owner, group_id)
    start_thread(owner, other_group)  # not my group: counted for its own members only
    assert feed_total(me) == 4 + 2 + 2 + 1

    assert owner.delete(f"{API}/posts/{replies[0]['id']}").status_code == 204
    assert owner.delete(f"{API}/threads/{doomed['id']}").status_code == 204
    assert owner.delete(f"{API}/library/files/{files[0]['id']}").status_code == 204

    assert feed_total(me) == 3 + 1 + 1
    assert feed_total(owner) == 3 + 1 + 1 + 1
