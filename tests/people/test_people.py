"""Profiles, the people directory, connections and blocks, as people use them."""

from __future__ import annotations

import json

import pytest

API = "/api/v1"


def never_shows_email(body) -> bool:
    """True when no `email` appears anywhere in a JSON body."""
    if isinstance(body, dict):
        return "email" not in body and all(never_shows_email(v) for v in body.values())
    if isinstance(body, list):
        return all(never_shows_email(v) for v in body)
    return True


def assert_error(response, code: int) -> None:
    assert response.status_code == code, response.json
    assert response.json["code"] == code
    assert response.json["status"]
    assert response.json["message"]


def pagination(response) -> dict:
    return json.loads(response.headers["X-Pagination"])


def names(response) -> list[str]:
    return [person["name"] for person in response.json]


def connections(person, status: str = "connected") -> list[int]:
    response = person.get(f"{API}/me/connections?status={status}")
    assert response.status_code == 200, response.json
    return [row["user"]["id"] for row in response.json]


def notifications_of(person) -> list[dict]:
    response = person.get(f"{API}/notifications")
    assert response.status_code == 200, response.json
    return response.json


# --- Your own profile ----------------------------------------------------------------


class TestOwnProfile:
    def test_you_see_your_own_email_and_account_state(self, factory):
        amira = factory.person(name="Amira Khan", email="amira@leeds.gov.uk")

        me = amira.get(f"{API}/me")

        assert me.status_code == 200
        assert me.json["id"] == amira.user_id
        assert me.json["email"] == "amira@leeds.gov.uk"
        assert me.json["name"] == "Amira Khan"
        assert me.json["email_verified"] is True
        assert me.json["approved"] is True

    def test_without_signing_in_there_is_no_profile(self, client):
        response = client.get(f"{API}/me")
        assert_error(response, 401)
        assert response.is_json

    def test_you_fill_in_your_profile(self, factory):
        amira = factory.person(name="Amira Khan")

        response = amira.patch(
            f"{API}/me",
            json={
                "name": "  Amira Khan-Patel ",
                "job_title": "Head of Housing",
                "organisation": "Leeds City Council",
                "region": "Yorkshire and the Humber",
                "bio": "I lead **housing** strategy.",
                "expertise": ["Housing", "homelessness", "housing"],
            },
        )

        assert response.status_code == 200, response.json
        assert response.json["name"] == "Amira Khan-Patel"
        assert response.json["job_title"] == "Head of Housing"
        assert response.json["organisation"] == "Leeds City Council"
        assert response.json["region"] == "Yorkshire and the Humber"
        # Kept as typed, one spelling of each (the first), in order whatever the case.
        assert response.json["expertise"] == ["homelessness", "Housing"]
        # Saved, not just echoed.
        assert amira.get(f"{API}/me").json == response.json

    def test_in_a_browser_changes_need_the_csrf_token(self, factory, client):
        from tests.factories import PASSWORD

        amira = factory.user(name="Amira Khan")
        login = client.post(f"{API}/auth/login", json={"email": amira.email, "password": PASSWORD})
        assert client.get(f"{API}/me").json["name"] == "Amira Khan"

        forged = client.patch(f"{API}/me", json={"name": "Someone Else"})
        genuine = client.patch(
            f"{API}/me",
            json={"name": "Amira K."},
            headers={"X-CSRF-Token": login.json["csrf_token"]},
        )

        assert_error(forged, 403)
        assert genuine.status_code == 200
        assert client.get(f"{API}/me").json["name"] == "Amira K."

    def test_only_the_fields_you_send_change(self, factory):
        amira = factory.person(name="Amira Khan", job_title="Planner", organisation="Leeds")
        amira.patch(f"{API}/me", json={"expertise": ["planning"]})

        response = amira.patch(f"{API}/me", json={"region": "North West"})

        assert response.status_code == 200
        assert response.json["name"] == "Amira Khan"
        assert response.json["job_title"] == "Planner"
        assert response.json["organisation"] == "Leeds"
        assert response.json["expertise"] == ["planning"]
        assert response.json["region"] == "North West"

    def test_you_can_clear_optional_fields_and_expertise(self, factory):
        amira = factory.person(job_title="Planner", region="London")
        amira.patch(f"{API}/me", json={"expertise": ["planning"], "bio": "Hello"})

        response = amira.patch(
            f"{API}/me", json={"job_title": None, "region": None, "expertise": [], "bio": None}
        )

        assert response.status_code == 200, response.json
        assert response.json["job_title"] is None
        assert response.json["region"] is None
        assert response.json["expertise"] == []
        assert response.json["bio"] is None
        assert not response.json["bio_html"]

    def test_your_bio_is_markdown_shown_as_safe_html(self, factory):
        amira = factory.person()
        bio = (
            "I work on **adult social care**.\n\n"
            "<script>alert('x')</script>\n\n"
            "[see my blog](javascript:alert(1)) and [our council](https://leeds.gov.uk)"
        )

        response = amira.patch(f"{API}/me", json={"bio": bio})

        assert response.status_code == 200
        assert response.json["bio"] == bio
        html = response.json["bio_html"]
        assert "<strong>adult social care</strong>" in html
        assert "<script" not in html
        assert "&lt;script&gt;" in html
        assert 'href="javascript' not in html
        assert 'href="https://leeds.gov.uk"' in html

    @pytest.mark.parametrize(
        "changes, field",
        [
            ({"name": ""}, "name"),
            ({"name": None}, "name"),
            ({"name": "x" * 121}, "name"),
            ({"bio": "x" * 5001}, "bio"),
            ({"expertise": "housing"}, "expertise"),
            ({"expertise": ["<b>bold</b>"]}, "expertise"),
            ({"expertise": [f"tag {n}" for n in range(31)]}, "expertise"),
            ({"email": "someone.else@leeds.gov.uk"}, "email"),
            ({"role": "mayor"}, "role"),  # a role may change, but only to one of the three
        ],
    )
    def test_a_bad_change_is_refused_and_says_which_field(self, factory, changes, field):
        amira = factory.person(name="Amira Khan", email="amira@leeds.gov.uk")

        response = amira.patch(f"{API}/me", json=changes)

        assert_error(response, 422)
        assert field in response.json["errors"]["json"]
        me = amira.get(f"{API}/me").json
        assert me["name"] == "Amira Khan"
        assert me["email"] == "amira@leeds.gov.uk"
        assert me["role"] == "officer"

    def test_a_blank_name_is_refused(self, factory):
        amira = factory.person(name="Amira Khan")

        response = amira.patch(f"{API}/me", json={"name": "   "})

        assert_error(response, 422)
        assert "name" in response.json["errors"]["json"]
        assert amira.get(f"{API}/me").json["name"] == "Amira Khan"


# --- Other people's profiles -----------------------------------------------------------


class TestPublicProfiles:
    def test_you_see_a_colleagues_profile_without_their_email(self, factory):
        ben = factory.person(name="Ben Osei", email="ben@york.gov.uk", job_title="Councillor")
        ben.patch(f"{API}/me", json={"bio": "Ward member for *Acomb*.", "expertise": ["Parks"]})
        amira = factory.person()

        response = amira.get(f"{API}/people/{ben.user_id}")

        assert response.status_code == 200
        assert response.json["name"] == "Ben Osei"
        assert response.json["job_title"] == "Councillor"
        assert response.json["expertise"] == ["Parks"]
        assert "<em>Acomb</em>" in response.json["bio_html"]
        assert never_shows_email(response.json)
        assert "ben@york.gov.uk" not in response.get_data(as_text=True)

    def test_an_unknown_person_is_not_found(self, factory):
        amira = factory.person()
        assert_error(amira.get(f"{API}/people/999999"), 404)

    def test_an_absurdly_large_id_is_simply_not_found(self, factory):
        amira = factory.person()
        assert_error(amira.get(f"{API}/people/{2**64}"), 404)
        assert_error(amira.get(f"{API}/people/{2**31}"), 404)
        last_page = amira.get(f"{API}/people?page={2**31 - 1}")
        assert last_page.status_code == 200 and last_page.json == []
        # Beyond 2^31-1, as every number: 422 (docs/api.md "Numbers, booleans and text").
        assert_error(amira.get(f"{API}/people?page={2**62}"), 422)

    def test_a_deactivated_account_is_not_found_nor_listed(self, factory):
        from hub.db import utcnow

        gone = factory.user(name="Gone Person", deactivated_at=utcnow())
        amira = factory.person()

        assert_error(amira.get(f"{API}/people/{gone.id}"), 404)
        assert "Gone Person" not in names(amira.get(f"{API}/people?q=Gone"))

    def test_deactivating_takes_a_person_out_of_the_finder_and_its_counts_and_back(
        self, factory, app
    ):
        from hub.auth.models import User
        from hub.db import utcnow
        from hub.extensions import db

        amira = factory.person()
        lee = factory.user(name="Lee Turnbull", job_title="Waste Strategy Lead")
        factory.user(name="Lee Marsh", job_title="Waste Officer")

        def finder(q):
            response = amira.get(f"{API}/people", query_string={"q": q})
            return names(response), pagination(response)["total"]

        def set_deactivated(when):
            with app.app_context():
                db.session.get(User, lee.id).deactivated_at = when
                db.session.commit()

        assert finder("waste") == (["Lee Marsh", "Lee Turnbull"], 2)
        set_deactivated(utcnow())
        assert finder("waste") == (["Lee Marsh"], 1)
        assert finder("lee waste") == (["Lee Marsh"], 1)
        assert finder("turnbull") == ([], 0)
        set_deactivated(None)
        assert finder("waste") == (["Lee Marsh", "Lee Turnbull"], 2)
        assert finder("turnbull") == (["Lee Turnbull"], 1)


def test_one_word_search_pages_its_holders_in_name_order_as_people_change(factory):
    searcher = factory.person(name="Zoe Searcher", job_title="Clerk")
    holders = {
        name: factory.person(name=name, job_title="Drainage Engineer")
        for name in ("Mia Brook", "Ali Reed", "Tom Fenn", "Eve Marsh")
    }
    bea = factory.person(name="Bea Ford", job_title="Clerk")

    def walk(q="drainage", size=3):
        found, page = [], 1
        while True:
            response = searcher.get(
                f"{API}/people", query_string={"q": q, "page": page, "page_size": size}
            )
            assert response.status_code == 200
            total = pagination(response)["total"]
            if not response.json:
                return found, total
            found += names(response)
            page += 1

    assert walk() == (["Ali Reed", "Eve Marsh", "Mia Brook", "Tom Fenn"], 4)
    assert walk(size=1) == walk(size=100)

    # A rename moves the person in the finder's order.
    assert holders["Tom Fenn"].patch(f"{API}/me", json={"name": "Abe Fenn"}).status_code == 200
    assert walk() == (["Abe Fenn", "Ali Reed", "Eve Marsh", "Mia Brook"], 4)
    # The word from expertise as well as a job title counts the person once.
    assert holders["Mia Brook"].patch(f"{API}/me", json={"expertise": ["Drainage"]}).status_code
    assert bea.patch(f"{API}/me", json={"expertise": ["Drainage", "SuDS"]}).status_code == 200
    assert walk() == (["Abe Fenn", "Ali Reed", "Bea Ford", "Eve Marsh", "Mia Brook"], 5)
    # Losing the word, by job title or expertise, leaves the finder's word and its total.
    assert holders["Eve Marsh"].patch(f"{API}/me", json={"job_title": "Planner"}).status_code
    assert bea.patch(f"{API}/me", json={"expertise": ["SuDS"]}).status_code == 200
    assert walk() == (["Abe Fenn", "Ali Reed", "Mia Brook"], 3)
    assert walk("suds") == (["Bea Ford"], 1)
    assert walk("drainage engineer") == (["Abe Fenn", "Ali Reed", "Mia Brook"], 3)


# --- The directory and peer finder ----------------------------------------------------


class TestDirectory:
    @pytest.fixture
    def people(self, factory):
        factory.user(
            name="Amira Khan",
            role="officer",
            organisation="Leeds City Council",
            region="Yorkshire",
            job_title="Housing Officer",
        )
        factory.user(
            name="Ben Osei",
            role="councillor",
            organisation="York Council",
            region="Yorkshire",
            job_title="Ward Councillor",
        )
        factory.user(
            name="Carla Jones",
            role="officer",
            organisation="Camden Council",
            region="London",
            job_title="Planning Lead",
        )
        dan = factory.person(
            name="Dan Smith", role="other", organisation="LGA", region="London", job_title=None
        )
        dan.patch(f"{API}/me", json={"expertise": ["Peer challenge", "Finance"]})
        return dan

    def test_everyone_is_listed_in_name_order(self, people):
        response = people.get(f"{API}/people")

        assert response.status_code == 200
        assert names(response) == ["Amira Khan", "Ben Osei", "Carla Jones", "Dan Smith"]
        assert never_shows_email(response.json)

    def test_search_by_name_organisation_title_or_expertise(self, people):
        assert names(people.get(f"{API}/people?q=osei")) == ["Ben Osei"]
        assert names(people.get(f"{API}/people?q=camden")) == ["Carla Jones"]
        assert names(people.get(f"{API}/people?q=housing officer")) == ["Amira Khan"]
        assert names(people.get(f"{API}/people?q=peer")) == ["Dan Smith"]
        assert names(people.get(f"{API}/people?q=nobody-like-this")) == []

    def test_search_text_with_wildcard_characters_is_taken_literally(self, people):
        assert names(people.get(f"{API}/people?q=%25")) == []
        assert names(people.get(f"{API}/people?q=_")) == []

    def test_filter_by_expertise(self, people):
        assert names(people.get(f"{API}/people?expertise=Finance")) == ["Dan Smith"]
        assert names(people.get(f"{API}/people?expertise=peer challenge")) == ["Dan Smith"]
        # A tag is matched whole, not as part of another.
        assert names(people.get(f"{API}/people?expertise=peer")) == []

    def test_filter_by_organisation(self, people):
        response = people.get(f"{API}/people?organisation=leeds city council")
        assert names(response) == ["Amira Khan"]

    def test_filter_by_role(self, people):
        assert names(people.get(f"{API}/people?role=councillor")) == ["Ben Osei"]
        assert names(people.get(f"{API}/people?role=officer")) == ["Amira Khan", "Carla Jones"]

    def test_an_unknown_role_is_refused(self, people):
        response = people.get(f"{API}/people?role=mayor")
        assert_error(response, 422)
        assert "role" in response.json["errors"]["query"]

    def test_filter_by_region(self, people):
        assert names(people.get(f"{API}/people?region=london")) == ["Carla Jones", "Dan Smith"]

    def test_filters_narrow_together(self, people):
        response = people.get(f"{API}/people?region=Yorkshire&role=officer&q=housing")
        assert names(response) == ["Amira Khan"]
        assert names(people.get(f"{API}/people?region=London&role=councillor")) == []

    def test_the_directory_comes_in_pages(self, people):
        first = people.get(f"{API}/people?page=1&page_size=3")
        second = people.get(f"{API}/people?page=2&page_size=3")

        assert first.status_code == 200
        assert names(first) == ["Amira Khan", "Ben Osei", "Carla Jones"]
        assert names(second) == ["Dan Smith"]
        meta = pagination(first)
        assert meta["total"] == 4
        assert meta["total_pages"] == 2
        assert meta["page"] == 1
        assert meta["page_size"] == 3
        assert pagination(second)["page"] == 2

    def test_filtered_totals_count_only_the_matches(self, people):
        response = people.get(f"{API}/people?region=London&page_size=1")
        assert pagination(response)["total"] == 2
        assert pagination(response)["total_pages"] == 2

    @pytest.mark.parametrize("query", ["page_size=101", "page_size=0", "page=0", "page=x"])
    def test_impossible_pages_are_refused(self, people, query):
        response = people.get(f"{API}/people?{query}")
        assert_error(response, 422)
        assert response.json["errors"]["query"]

    def test_the_largest_page_is_allowed(self, people):
        response = people.get(f"{API}/people?page_size=100")
        assert response.status_code == 200
        assert pagination(response)["page_size"] == 100


# --- Connections ----------------------------------------------------------------------


class TestConnections:
    def test_asking_to_connect_leaves_a_pending_request_on_both_sides(self, factory):
        amira, ben = factory.person(name="Amira Khan"), factory.person(name="Ben Osei")

        response = amira.post(f"{API}/people/{ben.user_id}/connect")

        assert response.status_code == 202
        assert response.json == {"status": "pending"}
        assert connections(amira, "pending_out") == [ben.user_id]
        assert connections(ben, "pending_in") == [amira.user_id]
        assert connections(amira) == connections(ben) == []
        assert connections(amira, "pending_in") == connections(ben, "pending_out") == []

    def test_the_person_asked_is_notified(self, factory):
        amira, ben = factory.person(name="Amira Khan"), factory.person(name="Ben Osei")

        amira.post(f"{API}/people/{ben.user_id}/connect")

        [note] = notifications_of(ben)
        assert note["kind"] == "connection_request"
        assert note["data"]["user"] == {"id": amira.user_id, "name": "Amira Khan"}
        assert note["read"] is False
        assert notifications_of(amira) == []

    def test_asking_twice_is_still_one_pending_request(self, factory):
        amira, ben = factory.person(), factory.person()

        amira.post(f"{API}/people/{ben.user_id}/connect")
        again = amira.post(f"{API}/people/{ben.user_id}/connect")

        assert again.status_code == 202
        assert again.json == {"status": "pending"}
        assert connections(ben, "pending_in") == [amira.user_id]
        assert len(notifications_of(ben)) == 1

    def test_accepting_connects_you_both_and_tells_them(self, factory):
        amira, ben = factory.person(name="Amira Khan"), factory.person(name="Ben Osei")
        amira.post(f"{API}/people/{ben.user_id}/connect")

        response = ben.post(f"{API}/me/connections/{amira.user_id}/accept")

        assert response.status_code == 200
        assert response.json == {"status": "connected"}
        assert connections(amira) == [ben.user_id]
        assert connections(ben) == [amira.user_id]
        assert connections(amira, "pending_out") == connections(ben, "pending_in") == []
        [note] = notifications_of(amira)
        assert note["kind"] == "connection_accepted"
        assert note["data"]["user"] == {"id": ben.user_id, "name": "Ben Osei"}

    def test_your_connections_show_who_and_since_when_but_no_email(self, factory):
        amira, ben = factory.person(), factory.person(name="Ben Osei")
        amira.post(f"{API}/people/{ben.user_id}/connect")
        ben.post(f"{API}/me/connections/{amira.user_id}/accept")

        response = amira.get(f"{API}/me/connections")

        assert response.status_code == 200
        [row] = response.json
        assert row["user"]["name"] == "Ben Osei"
        assert row["status"] == "connected"
        assert row["since"].endswith("Z")
        assert never_shows_email(response.json)
        assert pagination(response)["total"] == 1

    def test_asking_someone_who_already_asked_you_connects_at_once(self, factory):
        amira, ben = factory.person(), factory.person()
        amira.post(f"{API}/people/{ben.user_id}/connect")

        response = ben.post(f"{API}/people/{amira.user_id}/connect")

        assert response.status_code == 200
        assert response.json == {"status": "connected"}
        assert connections(amira) == [ben.user_id]
        assert connections(ben) == [amira.user_id]

    def test_asking_an_existing_connection_again_says_connected(self, factory):
        amira, ben = factory.person(), factory.person()
        amira.post(f"{API}/people/{ben.user_id}/connect")
        ben.post(f"{API}/me/connections/{amira.user_id}/accept")

        response = amira.post(f"{API}/people/{ben.user_id}/connect")

        assert response.status_code == 200
        assert response.json == {"status": "connected"}

    def test_you_cannot_connect_to_yourself(self, factory):
        amira = factory.person()
        response = amira.post(f"{API}/people/{amira.user_id}/connect")
        assert_error(response, 422)
        assert connections(amira, "pending_out") == []

    def test_you_cannot_connect_to_someone_who_does_not_exist(self, factory):
        amira = factory.person()
        assert_error(amira.post(f"{API}/people/999999/connect"), 404)

    def test_you_cannot_accept_a_request_nobody_sent(self, factory):
        amira, ben = factory.person(), factory.person()
        assert_error(ben.post(f"{API}/me/connections/{amira.user_id}/accept"), 404)
        assert connections(ben) == []

    def test_you_cannot_accept_your_own_request_for_them(self, factory):
        amira, ben = factory.person(), factory.person()
        amira.post(f"{API}/people/{ben.user_id}/connect")

        assert_error(amira.post(f"{API}/me/connections/{ben.user_id}/accept"), 404)
        assert connections(amira) == []
        assert connections(ben, "pending_in") == [amira.user_id]

    def test_declining_a_request_removes_it(self, factory):
        amira, ben = factory.person(), factory.person()
        amira.post(f"{API}/people/{ben.user_id}/connect")

        response = ben.delete(f"{API}/me/connections/{amira.user_id}")

        assert response.status_code == 204
        assert connections(ben, "pending_in") == []
        assert connections(amira, "pending_out") == []
        assert_error(ben.post(f"{API}/me/connections/{amira.user_id}/accept"), 404)

    def test_cancelling_your_request_withdraws_it(self, factory):
        amira, ben = factory.person(), factory.person()
        amira.post(f"{API}/people/{ben.user_id}/connect")

        assert amira.delete(f"{API}/me/connections/{ben.user_id}").status_code == 204
        assert connections(ben, "pending_in") == []
        assert connections(amira, "pending_out") == []

    def test_removing_a_connection_disconnects_you_both(self, factory):
        amira, ben = factory.person(), factory.person()
        amira.post(f"{API}/people/{ben.user_id}/connect")
        ben.post(f"{API}/me/connections/{amira.user_id}/accept")

        assert amira.delete(f"{API}/me/connections/{ben.user_id}").status_code == 204
        assert connections(amira) == connections(ben) == []
        # They may ask again afterwards.
        assert ben.post(f"{API}/people/{amira.user_id}/connect").status_code == 202

    def test_removing_what_is_not_there_is_not_found(self, factory):
        amira, ben = factory.person(), factory.person()
        assert_error(amira.delete(f"{API}/me/connections/{ben.user_id}"), 404)
        assert_error(amira.delete(f"{API}/me/connections/999999"), 404)

    def test_other_peoples_connections_are_not_yours(self, factory):
        amira, ben, carla = factory.person(), factory.person(), factory.person()
        amira.post(f"{API}/people/{ben.user_id}/connect")

        assert connections(carla, "pending_in") == []
        assert connections(carla, "pending_out") == []
        assert_error(carla.post(f"{API}/me/connections/{amira.user_id}/accept"), 404)
        assert_error(carla.delete(f"{API}/me/connections/{amira.user_id}"), 404)
        assert connections(ben, "pending_in") == [amira.user_id]

    def test_an_unknown_status_filter_is_refused(self, factory):
        amira = factory.person()
        response = amira.get(f"{API}/me/connections?status=friends")
        assert_error(response, 422)
        assert "status" in response.json["errors"]["query"]

    def test_connections_come_in_pages(self, factory):
        amira = factory.person()
        others = [factory.person() for _ in range(3)]
        for other in others:
            other.post(f"{API}/people/{amira.user_id}/connect")

        first = amira.get(f"{API}/me/connections?status=pending_in&page_size=2")

        assert len(first.json) == 2
        meta = pagination(first)
        assert (meta["total"], meta["total_pages"], meta["page"]) == (3, 2, 1)
        second = amira.get(f"{API}/me/connections?status=pending_in&page_size=2&page=2")
        everyone = {row["user"]["id"] for row in first.json + second.json}
        assert everyone == {other.user_id for other in others}


# --- Blocks ---------------------------------------------------------------------------


class TestBlocks:
    def test_you_block_someone_and_see_them_in_your_list(self, factory):
        amira, ben = factory.person(), factory.person(name="Ben Osei", email="ben@york.gov.uk")

        response = amira.post(f"{API}/people/{ben.user_id}/block")

        assert response.status_code == 204
        blocks = amira.get(f"{API}/me/blocks")
        assert blocks.status_code == 200
        [row] = blocks.json
        assert row["user"]["id"] == ben.user_id
        assert row["user"]["name"] == "Ben Osei"
        assert row["since"].endswith("Z")
        assert never_shows_email(blocks.json)
        assert pagination(blocks)["total"] == 1
        # Your blocks are yours alone.
        assert ben.get(f"{API}/me/blocks").json == []

    def test_blocking_twice_is_harmless(self, factory):
        amira, ben = factory.person(), factory.person()
        amira.post(f"{API}/people/{ben.user_id}/block")
        assert amira.post(f"{API}/people/{ben.user_id}/block").status_code == 204
        assert len(amira.get(f"{API}/me/blocks").json) == 1

    def test_a_blocked_person_cannot_ask_to_connect(self, factory):
        amira, ben = factory.person(), factory.person()
        amira.post(f"{API}/people/{ben.user_id}/block")

        assert_error(ben.post(f"{API}/people/{amira.user_id}/connect"), 403)
        assert connections(amira, "pending_in") == []
        assert notifications_of(amira) == []

    def test_you_must_unblock_before_asking_to_connect(self, factory):
        amira, ben = factory.person(), factory.person()
        amira.post(f"{API}/people/{ben.user_id}/block")

        assert_error(amira.post(f"{API}/people/{ben.user_id}/connect"), 409)
        assert connections(ben, "pending_in") == []

    def test_blocking_removes_an_existing_connection(self, factory):
        amira, ben = factory.person(), factory.person()
        amira.post(f"{API}/people/{ben.user_id}/connect")
        ben.post(f"{API}/me/connections/{amira.user_id}/accept")

        ben.post(f"{API}/people/{amira.user_id}/block")

        assert connections(amira) == connections(ben) == []

    def test_blocking_removes_a_pending_request(self, factory):
        amira, ben = factory.person(), factory.person()
        amira.post(f"{API}/people/{ben.user_id}/connect")

        ben.post(f"{API}/people/{amira.user_id}/block")

        assert connections(ben, "pending_in") == []
        assert connections(amira, "pending_out") == []
        assert_error(ben.post(f"{API}/me/connections/{amira.user_id}/accept"), 404)

    def test_unblocking_lets_them_ask_again(self, factory):
        amira, ben = factory.person(), factory.person()
        amira.post(f"{API}/people/{ben.user_id}/block")

        assert amira.delete(f"{API}/people/{ben.user_id}/block").status_code == 204

        assert amira.get(f"{API}/me/blocks").json == []
        assert ben.post(f"{API}/people/{amira.user_id}/connect").status_code == 202

    def test_unblocking_someone_not_blocked_is_not_found(self, factory):
        amira, ben = factory.person(), factory.person()
        assert_error(amira.delete(f"{API}/people/{ben.user_id}/block"), 404)

    def test_only_the_blocker_can_lift_a_block(self, factory):
        amira, ben = factory.person(), factory.person()
        amira.post(f"{API}/people/{ben.user_id}/block")

        assert_error(ben.delete(f"{API}/people/{amira.user_id}/block"), 404)
        assert_error(ben.post(f"{API}/people/{amira.user_id}/connect"), 403)

    def test_you_cannot_block_yourself_or_nobody(self, factory):
        amira = factory.person()
        assert_error(amira.post(f"{API}/people/{amira.user_id}/block"), 422)
        assert_error(amira.post(f"{API}/people/999999/block"), 404)
        assert amira.get(f"{API}/me/blocks").json == []


# --- Email verification ---------------------------------------------------------------


class TestUnverifiedAccounts:
    @pytest.fixture
    def app_settings(self):
        return {"HUB_EMAIL_VERIFICATION": "required"}

    def test_an_unverified_account_can_sign_in_and_read(self, factory):
        newcomer = factory.client_for(factory.user(name="New Person", email_verified_at=None))
        colleague = factory.person(name="Ben Osei")

        me = newcomer.get(f"{API}/me")
        assert me.status_code == 200
        assert me.json["email_verified"] is False
        assert newcomer.get(f"{API}/people/{colleague.user_id}").status_code == 200
        assert "Ben Osei" in names(newcomer.get(f"{API}/people"))

    def test_an_unverified_account_cannot_ask_to_connect(self, factory):
        newcomer = factory.client_for(factory.user(email_verified_at=None))
        colleague = factory.person()

        response = newcomer.post(f"{API}/people/{colleague.user_id}/connect")

        assert_error(response, 403)
        assert "confirm" in response.json["message"].lower()
        assert connections(colleague, "pending_in") == []
        assert notifications_of(colleague) == []

    def test_an_account_awaiting_approval_cannot_ask_to_connect(self, factory):
        waiting = factory.client_for(factory.user(email="me@example.com", approved_at=None))
        colleague = factory.person()

        assert_error(waiting.post(f"{API}/people/{colleague.user_id}/connect"), 403)

    def test_a_verified_account_connects_as_usual(self, factory):
        amira, ben = factory.person(), factory.person()
        assert amira.post(f"{API}/people/{ben.user_id}/connect").status_code == 202
