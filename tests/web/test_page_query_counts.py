"""The group, thread and search pages run a fixed, small number of SQL statements, however
much the group holds: each part of a page is one statement, and the group and your access
to it are read once (bench/http_bench.py measures these pages at full scale)."""

from __future__ import annotations

from tests.groups.helpers import API, add_member, counting_queries, make_group
from tests.library.helpers import uploaded
from tests.live.helpers import schedule
from tests.search.helpers import drain, reply, start_thread, suggest
from tests.web.conftest import Browser, text

# Statements a page runs for a signed-in member, the browser session's included.
# Every signed-in page also counts what is unread for its header, in one statement:
# unread messages, and unread notifications less those of groups you may no longer read.
HEADER = 1
MOST_STATEMENTS = {
    # the session, the group with your access and its tags, and a statement for each part:
    # threads, members, suggestions, files and live sessions
    "group": 7 + HEADER,
    "thread": 3 + HEADER,  # the session, the thread with its group and your access, its posts
    # the session, the groups you may read, the groups shown, replies' threads, ...
    "search": 5 + HEADER,
}


def _grow(owner, people, group_id: int, thread_id: int) -> None:
    """One more of everything the pages list for each of these people, who join."""
    for person in people:
        add_member(owner, group_id, person)
        name = person.get(f"{API}/me").json["name"]
        start_thread(person, group_id, f"Flooding plan of {name}", "Who has a flooding plan?")
        reply(person, thread_id, f"The flooding plan of {name}.")
        suggest(person, group_id, f"Flooding idea of {name}", "Share flooding plans.")
        uploaded(owner, group_id, title=f"Flooding file of {name}")
        schedule(owner, group_id, title=f"Flooding session of {name}")


def _statements(app, member: Browser, path: str) -> tuple[int, object]:
    member.get(path)  # anything done once (warming up) is not counted
    with counting_queries(app) as statements:
        page = member.get(path)
    return len(statements), page


def test_the_group_thread_and_search_pages_run_a_fixed_few_statements(app, factory):
    owner = factory.person(name="Olive Owner")
    people = [factory.person(name=f"Colleague {n}") for n in range(5)]
    group_id = make_group(owner, "private", name="Flood risk officers")
    thread_id = start_thread(owner, group_id, "Flooding plans", "Share your flooding plan.")
    member = Browser(app)
    member.user = factory.user(name="Mina Member")
    add_member(owner, group_id, factory.client_for(member.user))
    member.sign_in(member.user)
    paths = {
        "group": f"/groups/{group_id}",
        "thread": f"/threads/{thread_id}",
        "search": "/search?q=flooding",
    }
    counts, pages = {}, {}
    for size, joining in (("few", people[:1]), ("many", people[1:])):
        _grow(owner, joining, group_id, thread_id)
        drain(app)
        for name, path in paths.items():
            counts[name, size], pages[name, size] = _statements(app, member, path)
    # What the pages show grew with the data; the statements they ran did not.
    group = pages["group", "many"]
    assert len(group.find(id="forum").find_next("tbody").find_all("tr")) == 6
    assert "Flooding file of Colleague 4" in text(group.find(id="library").find_next("ul"))
    assert "Colleague 4" in text(group.find(id="members").find_next("ul"))
    posts = pages["thread", "many"].find(id="posts").find_all("li", class_="hub-list-item")
    assert len(posts) == 6
    assert "Flooding idea of Colleague 4" in text(pages["search", "many"].find(id="main-content"))
    for name, most in MOST_STATEMENTS.items():
        assert counts[name, "few"] == counts[name, "many"], (name, counts)
        assert counts[name, "many"] <= most, (name, counts)
