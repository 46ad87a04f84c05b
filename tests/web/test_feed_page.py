"""The signed-in home page: each item of the feed links to what it is about."""

from __future__ import annotations

from tests.groups.helpers import make_group, reply, start_thread
from tests.library.helpers import uploaded
from tests.live.helpers import schedule
from tests.web.conftest import signed_in_member, text


def test_a_person_follows_each_feed_item_to_its_page(app, factory):
    owner = factory.person()
    group_id = make_group(owner)
    thread = start_thread(owner, group_id, title="Damp and mould: what works")
    answer = reply(owner, thread["id"], body="Surveys within ten days.")
    uploaded(owner, group_id, title="Enforcement policy")
    schedule(owner, group_id, title="Ask the housing team")
    member = signed_in_member(app, factory, owner, group_id)

    feed = member.get("/")
    links = {
        item.find("h2").a["href"]: text(item.find("h2"))
        for item in feed.find_all(class_="hub-feed__item")
    }
    thread_page = f"/threads/{thread['id']}"
    assert set(links) >= {thread_page, f"{thread_page}#post-{answer['id']}"}
    assert sorted(links.values()) == sorted(
        ["Damp and mould: what works"] * 2 + ["Enforcement policy", "Ask the housing team"]
    )
    for href, title in links.items():
        path, _hash, anchor = href.partition("#")
        page = member.get(path)
        assert text(page.h1) == title, href
        if anchor:
            assert page.find(id=anchor) is not None, href
