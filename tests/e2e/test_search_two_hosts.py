"""Two web processes on two data directories, one PostgreSQL database and one Redis: the
PostgreSQL search backend keeps nothing on a host, so both serve the same results,
including what was written through the other, at once."""

from __future__ import annotations

import sys

import pytest
import requests

from tests.conftest import require_redis
from tests.e2e.conftest import start_server  # noqa: F401  (a fixture)
from tests.search.helpers import API, add_member, make_group

QUERIES = ("kingfisher", "kingfisher survey", '"river survey"', "kingf*", "kingfisher -otters")


@pytest.mark.parametrize("database", ["postgresql"])
def test_two_hosts_serve_the_same_search_results(app, factory, tmp_path, start_server):  # noqa: F811
    env = {
        "HUB_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "HUB_REDIS_URL": require_redis(),
    }
    command = [sys.executable, "-m", "tests.live.serve"]
    first = start_server(command, env={**env, "HUB_DATA_DIR": str(tmp_path / "one")})
    second = start_server(command, env={**env, "HUB_DATA_DIR": str(tmp_path / "two")})
    owner, member, outsider = factory.person(), factory.person(), factory.person()
    group = make_group(owner, "private", name="River wardens")
    add_member(owner, group, member)

    def call(server, person, method, path, **kwargs):
        headers = {"Authorization": f"Bearer {person.token}"}
        response = requests.request(method, server.url + API + path, headers=headers, **kwargs)
        assert response.status_code < 300, response.text
        return response.json() if response.content else None

    def results(server, person, q):
        found = call(server, person, "GET", "/search", params={"q": q})
        return found["total"], [(i["type"], i["id"], i["snippet"]) for i in found["items"]]

    # Written through the first process, searched at once on both.
    thread = call(
        first,
        owner,
        "POST",
        f"/groups/{group}/threads",
        json={"title": "Kingfisher survey", "body": "The river survey counted kingfishers."},
    )["id"]
    # ...and through the second.
    post = call(
        second,
        member,
        "POST",
        f"/threads/{thread}/posts",
        json={"body": "A kingfisher nests by the weir, and otters too."},
    )["id"]
    for q in QUERIES:
        assert results(first, member, q) == results(second, member, q), q
    total, items = results(first, member, "kingfisher")
    assert total == 2 and {(t, i) for t, i, _ in items} == {("thread", thread), ("post", post)}
    assert results(second, member, "kingfisher -otters")[1][0][:2] == ("thread", thread)
    for server in (first, second):
        assert results(server, outsider, "kingfisher") == (0, [])
        ready = requests.get(server.url + "/readyz").json()
        assert ready["search"] == {"backend": "postgres"}
    # Deleted through one, gone from both.
    call(first, member, "DELETE", f"/posts/{post}")
    assert results(first, member, "otters") == results(second, member, "otters") == (0, [])
