"""The forum: threads, posts, moderation, mentions and subscriptions, through the API."""

import json

from tests.groups.helpers import (
    API,
    add_member,
    content_kinds,
    make_group,
    notifications,
    queries_for,
    remove_member,
    reply,
    start_thread,
)


def test_a_member_starts_a_thread_with_its_first_post_and_follows_it(factory):
    owner = factory.person(name="Amira Khan")
    group_id = make_group(owner)

    response = owner.post(
        f"{API}/groups/{group_id}/threads",
        json={"title": "  Peer challenge  ", "body": "How did *yours* go?"},
    )

    assert response.status_code == 201
    thread = response.json
    assert thread["title"] == "Peer challenge"
    assert thread["group_id"] == group_id
    assert thread["author"] == {"id": owner.user_id, "name": "Amira Khan"}
    assert thread["post_count"] == 1 and thread["pinned"] is False and thread["locked"] is False
    assert thread["subscribed"] is True
    assert thread["last_post_at"].endswith("Z")
    first = thread["first_post"]
    assert first["body"] == "How did *yours* go?"
    assert first["body_html"] == "<p>How did <em>yours</em> go?</p>\n"
    assert first["thread_id"] == thread["id"] and first["reply_to"] is None
    assert first["edited_at"] is None


def test_starting_a_thread_needs_membership_and_valid_input(factory):
    owner, reader = factory.person(), factory.person()
    open_group = make_group(owner)
    private_group = make_group(owner, "private")
    hidden_group = make_group(owner, "hidden")

    not_member = reader.post(f"{API}/groups/{open_group}/threads", json={"title": "t", "body": "b"})
    assert not_member.status_code == 403
    assert "Join" in not_member.json["message"]
    private = reader.post(f"{API}/groups/{private_group}/threads", json={"title": "t", "body": "b"})
    assert private.status_code == 403
    hidden = reader.post(f"{API}/groups/{hidden_group}/threads", json={"title": "t", "body": "b"})
    assert hidden.status_code == 404
    missing = owner.post(f"{API}/groups/999999/threads", json={"title": "t", "body": "b"})
    assert missing.status_code == 404

    blank = owner.post(f"{API}/groups/{open_group}/threads", json={"title": "   ", "body": "b"})
    assert blank.status_code == 422 and "title" in blank.json["errors"]["json"]
    no_body = owner.post(f"{API}/groups/{open_group}/threads", json={"title": "t"})
    assert no_body.status_code == 422 and "body" in no_body.json["errors"]["json"]
    too_long = owner.post(
        f"{API}/groups/{open_group}/threads", json={"title": "x" * 201, "body": "b"}
    )
    assert too_long.status_code == 422


def test_thread_list_puts_pinned_first_then_latest_activity(factory):
    owner, member = factory.person(), factory.person(name="Ben Jones")
    group_id = make_group(owner)
    add_member(owner, group_id, member)
    older = start_thread(owner, group_id, title="Older")
    newer = start_thread(owner, group_id, title="Newer")
    pinned = start_thread(owner, group_id, title="House rules")
    assert owner.patch(f"{API}/threads/{pinned['id']}", json={"pinned": True}).status_code == 200
    reply(member, older["id"], "Bumping this one.")

    response = member.get(f"{API}/groups/{group_id}/threads")

    assert response.status_code == 200
    assert [t["title"] for t in response.json] == ["House rules", "Older", "Newer"]
    bumped = response.json[1]
    assert bumped["post_count"] == 2
    assert bumped["last_post_at"] >= newer["last_post_at"]
    assert bumped["subscribed"] is False
    assert bumped["author"]["id"] == owner.user_id
    assert json.loads(response.headers["X-Pagination"])["total"] == 3


def test_reading_threads_follows_group_visibility(factory):
    owner, outsider = factory.person(), factory.person()
    open_group, private_group = make_group(owner), make_group(owner, "private")
    hidden_group = make_group(owner, "hidden")
    open_thread = start_thread(owner, open_group)
    private_thread = start_thread(owner, private_group)
    hidden_thread = start_thread(owner, hidden_group)

    assert outsider.get(f"{API}/groups/{open_group}/threads").status_code == 200
    assert outsider.get(f"{API}/threads/{open_thread['id']}").status_code == 200
    assert outsider.get(f"{API}/threads/{open_thread['id']}/posts").status_code == 200
    assert outsider.get(f"{API}/groups/{private_group}/threads").status_code == 403
    assert outsider.get(f"{API}/threads/{private_thread['id']}").status_code == 403
    assert outsider.get(f"{API}/threads/{private_thread['id']}/posts").status_code == 403
    post_id = private_thread["first_post"]["id"]
    assert outsider.get(f"{API}/posts/{post_id}").status_code == 403
    assert outsider.get(f"{API}/groups/{hidden_group}/threads").status_code == 404
    hidden = outsider.get(f"{API}/threads/{hidden_thread['id']}")
    assert hidden.status_code == 404
    assert hidden.json["message"] == "There is no thread with this id, or you may not see it."
    assert outsider.get(f"{API}/threads/999999").status_code == 404
    assert outsider.get(f"{API}/threads/999999/posts").status_code == 404
    assert outsider.get(f"{API}/posts/999999").status_code == 404
    assert outsider.get(f"{API}/groups/999999/threads").status_code == 404


def test_a_thread_shows_its_first_post(factory):
    owner = factory.person()
    group_id = make_group(owner)
    thread = start_thread(owner, group_id, body="Opening words")
    reply(owner, thread["id"], "Second")

    response = owner.get(f"{API}/threads/{thread['id']}")

    assert response.status_code == 200
    assert response.json["first_post"]["body"] == "Opening words"
    assert response.json["post_count"] == 2


def test_posts_come_oldest_first_and_paginated(factory):
    owner = factory.person()
    group_id = make_group(owner)
    thread = start_thread(owner, group_id, body="First")
    for n in range(2, 6):
        reply(owner, thread["id"], f"Post {n}")

    page1 = owner.get(f"{API}/threads/{thread['id']}/posts?page=1&page_size=2")
    page3 = owner.get(f"{API}/threads/{thread['id']}/posts?page=3&page_size=2")

    assert page1.status_code == 200
    assert [p["body"] for p in page1.json] == ["First", "Post 2"]
    assert [p["body"] for p in page3.json] == ["Post 5"]
    pagination = json.loads(page1.headers["X-Pagination"])
    assert pagination["total"] == 5 and pagination["total_pages"] == 3
    assert owner.get(f"{API}/threads/{thread['id']}/posts?page_size=101").status_code == 422


def test_replying_and_its_refusals(factory):
    owner, member, outsider = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner)
    add_member(owner, group_id, member)
    thread = start_thread(owner, group_id)
    other_thread = start_thread(owner, group_id, title="Other")

    made = member.post(
        f"{API}/threads/{thread['id']}/posts",
        json={"body": "Agreed", "reply_to": thread["first_post"]["id"]},
    )
    assert made.status_code == 201
    assert made.json["reply_to"] == thread["first_post"]["id"]
    assert made.json["author"]["id"] == member.user_id
    assert member.get(f"{API}/posts/{made.json['id']}").json["body"] == "Agreed"

    wrong_thread = member.post(
        f"{API}/threads/{thread['id']}/posts",
        json={"body": "x", "reply_to": other_thread["first_post"]["id"]},
    )
    assert wrong_thread.status_code == 422 and "reply_to" in wrong_thread.json["errors"]["json"]
    assert (
        member.post(f"{API}/threads/{thread['id']}/posts", json={"body": "\n  "}).status_code == 422
    )
    assert member.post(f"{API}/threads/{thread['id']}/posts", json={}).status_code == 422
    refused = outsider.post(f"{API}/threads/{thread['id']}/posts", json={"body": "Hi"})
    assert refused.status_code == 403
    assert "Join" in refused.json["message"]
    assert member.post(f"{API}/threads/999999/posts", json={"body": "x"}).status_code == 404


def test_a_locked_thread_takes_posts_from_moderators_only(factory):
    owner, moderator, member = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner)
    add_member(owner, group_id, moderator, role="moderator")
    add_member(owner, group_id, member)
    thread = start_thread(member, group_id)

    locked = moderator.patch(f"{API}/threads/{thread['id']}", json={"locked": True})
    assert locked.status_code == 200 and locked.json["locked"] is True

    refused = member.post(f"{API}/threads/{thread['id']}/posts", json={"body": "More"})
    assert refused.status_code == 409
    assert "locked" in refused.json["message"]
    assert (
        moderator.post(
            f"{API}/threads/{thread['id']}/posts", json={"body": "Closing this."}
        ).status_code
        == 201
    )
    edit = member.patch(f"{API}/posts/{thread['first_post']['id']}", json={"body": "Changed"})
    assert edit.status_code == 409

    assert owner.patch(f"{API}/threads/{thread['id']}", json={"locked": False}).status_code == 200
    assert (
        member.post(f"{API}/threads/{thread['id']}/posts", json={"body": "More"}).status_code == 201
    )


def test_only_moderators_pin_and_lock_and_authors_rename(factory):
    owner, author, member = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner)
    add_member(owner, group_id, author)
    add_member(owner, group_id, member)
    thread = start_thread(author, group_id, title="Draft title")
    path = f"{API}/threads/{thread['id']}"

    assert author.patch(path, json={"pinned": True}).status_code == 403
    assert author.patch(path, json={"locked": True}).status_code == 403
    renamed = author.patch(path, json={"title": "Better title"})
    assert renamed.status_code == 200 and renamed.json["title"] == "Better title"
    assert member.patch(path, json={"title": "Hijacked"}).status_code == 403
    pinned = owner.patch(path, json={"pinned": True, "title": "Moderated"})
    assert pinned.status_code == 200
    assert pinned.json["pinned"] is True and pinned.json["title"] == "Moderated"
    assert owner.patch(path, json={"pinned": "sometimes"}).status_code == 422
    assert owner.patch(path, json={"title": ""}).status_code == 422
    assert owner.patch(f"{API}/threads/999999", json={"pinned": True}).status_code == 404


def test_authors_and_moderators_edit_posts(factory):
    owner, author, member = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner)
    add_member(owner, group_id, author)
    add_member(owner, group_id, member)
    thread = start_thread(owner, group_id)
    post = reply(author, thread["id"], "Frist")
    path = f"{API}/posts/{post['id']}"

    edited = author.patch(path, json={"body": "**First**"})
    assert edited.status_code == 200
    assert edited.json["body"] == "**First**"
    assert edited.json["body_html"] == "<p><strong>First</strong></p>\n"
    assert edited.json["edited_at"] is not None
    assert owner.patch(path, json={"body": "Moderated"}).status_code == 200
    assert member.patch(path, json={"body": "Vandalised"}).status_code == 403
    assert author.patch(path, json={"body": ""}).status_code == 422
    assert author.patch(f"{API}/posts/999999", json={"body": "x"}).status_code == 404
    assert author.get(path).json["body"] == "Moderated"


def test_authors_and_moderators_delete_posts(factory):
    owner, author, member = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner)
    add_member(owner, group_id, author)
    add_member(owner, group_id, member)
    thread = start_thread(owner, group_id)
    first, second = reply(author, thread["id"], "One"), reply(author, thread["id"], "Two")

    assert member.delete(f"{API}/posts/{first['id']}").status_code == 403
    assert author.delete(f"{API}/posts/{first['id']}").status_code == 204
    assert owner.delete(f"{API}/posts/{second['id']}").status_code == 204
    assert author.delete(f"{API}/posts/{first['id']}").status_code == 404
    opening = owner.delete(f"{API}/posts/{thread['first_post']['id']}")
    assert opening.status_code == 409
    assert "delete the thread" in opening.json["message"]

    after = owner.get(f"{API}/threads/{thread['id']}").json
    assert after["post_count"] == 1
    assert after["last_post_at"] == thread["last_post_at"]
    assert [p["body"] for p in owner.get(f"{API}/threads/{thread['id']}/posts").json] == [
        thread["first_post"]["body"]
    ]


def test_deleting_threads(factory):
    owner, author, member = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner)
    add_member(owner, group_id, author)
    add_member(owner, group_id, member)
    lonely = start_thread(author, group_id, title="Nobody answered")
    busy = start_thread(author, group_id, title="Busy")
    reply(member, busy["id"])

    assert member.delete(f"{API}/threads/{lonely['id']}").status_code == 403
    assert author.delete(f"{API}/threads/{lonely['id']}").status_code == 204
    assert author.get(f"{API}/threads/{lonely['id']}").status_code == 404
    assert author.delete(f"{API}/threads/{busy['id']}").status_code == 403
    assert owner.delete(f"{API}/threads/{busy['id']}").status_code == 204
    assert owner.get(f"{API}/threads/{busy['id']}/posts").status_code == 404
    assert owner.delete(f"{API}/threads/{busy['id']}").status_code == 404


def test_subscribers_and_the_thread_author_hear_of_replies(factory):
    owner, follower, replier = factory.person(), factory.person(), factory.person(name="Cara Diaz")
    group_id = make_group(owner)
    for person in (follower, replier):
        add_member(owner, group_id, person)
    thread = start_thread(owner, group_id)

    followed = follower.post(f"{API}/threads/{thread['id']}/subscribe")
    assert followed.status_code == 200 and followed.json == {"subscribed": True}
    assert follower.post(f"{API}/threads/{thread['id']}/subscribe").status_code == 200
    assert follower.get(f"{API}/threads/{thread['id']}").json["subscribed"] is True
    post = reply(replier, thread["id"], "My answer")

    for person in (owner, follower):
        replies = [n for n in notifications(person) if n["kind"] == "reply"]
        assert len(replies) == 1
        assert replies[0]["group_id"] == group_id
        assert replies[0]["data"]["thread"] == {"id": thread["id"], "title": thread["title"]}
        assert replies[0]["data"]["post_id"] == post["id"]
        assert replies[0]["data"]["user"] == {"id": replier.user_id, "name": "Cara Diaz"}
    assert [n for n in notifications(replier) if n["kind"] == "reply"] == []

    assert follower.delete(f"{API}/threads/{thread['id']}/subscribe").status_code == 204
    assert follower.delete(f"{API}/threads/{thread['id']}/subscribe").status_code == 204
    assert follower.get(f"{API}/threads/{thread['id']}").json["subscribed"] is False
    reply(replier, thread["id"], "Another")
    assert len([n for n in notifications(follower) if n["kind"] == "reply"]) == 1
    assert len([n for n in notifications(owner) if n["kind"] == "reply"]) == 2


def test_subscribing_needs_read_access(factory):
    owner, outsider = factory.person(), factory.person()
    private_thread = start_thread(owner, make_group(owner, "private"))
    hidden_thread = start_thread(owner, make_group(owner, "hidden"))
    open_thread = start_thread(owner, make_group(owner))

    assert outsider.post(f"{API}/threads/{private_thread['id']}/subscribe").status_code == 403
    assert outsider.delete(f"{API}/threads/{private_thread['id']}/subscribe").status_code == 403
    assert outsider.post(f"{API}/threads/{hidden_thread['id']}/subscribe").status_code == 404
    assert outsider.post(f"{API}/threads/999999/subscribe").status_code == 404
    assert outsider.delete(f"{API}/threads/999999/subscribe").status_code == 404
    # Readers of an open group may follow it without joining.
    assert outsider.post(f"{API}/threads/{open_thread['id']}/subscribe").status_code == 200


def test_the_author_of_the_post_answered_hears_of_the_answer(factory):
    owner, asker, answerer = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner)
    add_member(owner, group_id, asker)
    add_member(owner, group_id, answerer)
    thread = start_thread(owner, group_id)
    question = reply(asker, thread["id"], "What about budgets?")

    reply(answerer, thread["id"], "Ask finance.", reply_to=question["id"])

    assert content_kinds(asker) == ["reply"]


def test_exact_mentions_notify_and_link_to_the_person(factory):
    owner, member = factory.person(), factory.person(name="Amira Khan")
    group_id = make_group(owner, "private")
    add_member(owner, group_id, member)
    thread = start_thread(owner, group_id)

    post = reply(owner, thread["id"], f"Over to @[Amira Khan](user:{member.user_id}) here.")

    assert f'<a href="/api/v1/people/{member.user_id}"' in post["body_html"]
    assert ">@Amira Khan</a>" in post["body_html"]
    mentions = [n for n in notifications(member) if n["kind"] == "mention"]
    assert len(mentions) == 1
    assert mentions[0]["group_id"] == group_id
    assert mentions[0]["data"]["post_id"] == post["id"]


def test_plain_name_mentions_match_group_members(factory):
    owner = factory.person()
    amira = factory.person(name="Amira Khan")
    amir = factory.person(name="Amira")
    twin_a, twin_b = factory.person(name="Sam Lee"), factory.person(name="Sam Lee")
    stranger = factory.person(name="Olu Ade")
    group_id = make_group(owner, "private")
    for person in (amira, amir, twin_a, twin_b):
        add_member(owner, group_id, person)
    thread = start_thread(owner, group_id)

    reply(
        owner,
        thread["id"],
        "Thanks @amira khan, and @Sam Lee. Not @Olu Ade. Mail a@amira.gov.uk `@Amira`",
    )

    assert content_kinds(amira) == ["mention"]
    assert content_kinds(amir) == []  # the longest matching name wins
    assert content_kinds(twin_a) == content_kinds(twin_b) == []  # ambiguous: nobody
    assert content_kinds(stranger) == []  # not a member


def test_mentions_reach_only_people_who_may_read_the_group(factory):
    owner, outsider = factory.person(), factory.person(name="Nia Obi")
    group_id = make_group(owner, "private")
    open_group = make_group(owner)
    private_thread = start_thread(owner, group_id)
    open_thread = start_thread(owner, open_group)

    reply(owner, private_thread["id"], f"Hi @[Nia Obi](user:{outsider.user_id})")
    assert content_kinds(outsider) == []

    reply(owner, open_thread["id"], f"Hi @[Nia Obi](user:{outsider.user_id})")
    assert content_kinds(outsider) == ["mention"]


def test_a_mention_added_by_an_edit_notifies_once(factory):
    owner, member = factory.person(), factory.person(name="Tom Hale")
    group_id = make_group(owner)
    add_member(owner, group_id, member)
    thread = start_thread(owner, group_id)
    post = reply(owner, thread["id"], "Who knows?")

    owner.patch(f"{API}/posts/{post['id']}", json={"body": "Who knows? @Tom Hale?"})
    owner.patch(f"{API}/posts/{post['id']}", json={"body": "Who knows? @Tom Hale, please."})

    assert content_kinds(member) == ["mention"]


def test_a_mentioned_subscriber_gets_one_notification(factory):
    owner, member = factory.person(name="Raj Patel"), factory.person()
    group_id = make_group(owner)
    add_member(owner, group_id, member)
    thread = start_thread(owner, group_id)

    reply(member, thread["id"], "@Raj Patel see this")

    assert content_kinds(owner) == ["mention"]


def test_a_removed_member_hears_nothing_more_from_the_forum(factory):
    owner, member = factory.person(), factory.person(name="Lee Ray")
    group_id = make_group(owner, "private")
    add_member(owner, group_id, member)
    thread = start_thread(owner, group_id)
    assert member.post(f"{API}/threads/{thread['id']}/subscribe").status_code == 200
    reply(owner, thread["id"], "Before")
    remove_member(owner, group_id, member)

    reply(owner, thread["id"], f"After, @[Lee Ray](user:{member.user_id})")

    # Nothing new arrives, and what arrived before no longer shows the group's content.
    assert content_kinds(member) == []
    unread = member.get(f"{API}/notifications/unread-count").json["unread"]
    assert unread == len(member.get(f"{API}/notifications?unread=true").json)
    assert member.get(f"{API}/threads/{thread['id']}").status_code == 403

    add_member(owner, group_id, member)
    assert content_kinds(member) == ["reply"]


def test_listing_threads_takes_the_same_queries_whatever_the_page_size(app, factory):
    owner = factory.person()
    group_id = make_group(owner)
    people = [factory.person() for _ in range(3)]
    for person in people:
        add_member(owner, group_id, person)
    for n in range(12):
        thread = start_thread(people[n % 3], group_id, title=f"Thread {n}")
        reply(people[(n + 1) % 3], thread["id"])
    path = f"{API}/groups/{group_id}/threads"
    owner.get(path)

    small = queries_for(app, owner, f"{path}?page_size=5")
    large = queries_for(app, owner, f"{path}?page_size=100")

    assert small == large
    # The token's person, the group with your access, the count and the page (with
    # authors and whether you follow each).
    assert small <= 4, small
    assert len(owner.get(f"{path}?page_size=100").json) == 12


def test_listing_posts_takes_the_same_queries_whatever_the_page_size(app, factory):
    owner = factory.person()
    group_id = make_group(owner)
    people = [factory.person() for _ in range(4)]
    for person in people:
        add_member(owner, group_id, person)
    thread = start_thread(owner, group_id)
    for n in range(12):
        reply(people[n % 4], thread["id"], f"Post {n}")
    path = f"{API}/threads/{thread['id']}/posts"
    owner.get(path)

    small = queries_for(app, owner, f"{path}?page_size=5")
    large = queries_for(app, owner, f"{path}?page_size=100")

    assert small == large
    # The token's person, the thread with its group and your access, the count and the
    # page (with authors).
    assert small <= 4, small
    assert len(owner.get(f"{path}?page_size=100").json) == 13
