"""The reports and audit log endpoints, for every kind of person, in every visibility; and
a report and a ban each shown where API.md says and nowhere else.

The people and groups are the groups matrix's (tests/matrix.py): its owners banned the
`banned` persona through the API, so each group's log holds that ban. Here the member also
starts a thread in each group and reports it.
"""

from __future__ import annotations

from tests.groups.helpers import notifications, start_thread
from tests.groups.test_permission_matrix import EXPECTED as GROUPS_EXPECTED
from tests.matrix import (
    API,
    NOBODY,
    NON_MEMBERS,
    PERSONAS,
    VISIBILITIES,
    World,
    build_world,
    restore_tables,
    snapshot_tables,
    walk,
)

# Reports and the log of a group: the same people as its join requests.
MODERATORS_ONLY = GROUPS_EXPECTED["GET /groups/{id}/requests"]
SITE_ADMINS_ONLY = {
    **{persona: (403, 403, 403, 403) for persona in PERSONAS},
    "anonymous": NOBODY,
    "site_admin": (200, 200, 200, 200),
}
NOT_SEEN = (404, 404, 404, 404)
#                               open  restricted private hidden
EXPECTED = {
    "GET /groups/{id}/reports": MODERATORS_ONLY,
    "GET /groups/{id}/audit": MODERATORS_ONLY,
    "GET /admin/reports": SITE_ADMINS_ONLY,
    "GET /admin/audit": SITE_ADMINS_ONLY,
    # Reporting the member's thread: whoever may read it; to anyone else it does not exist.
    "POST /reports": {
        "anonymous": NOBODY,
        "non_member": (201, 404, 404, 404),
        "requester": (201, 404, 404, 404),
        "invitee": (201, 404, 404, 404),
        "member": (409, 409, 409, 409),  # their own report of it is still open
        "moderator": (201, 201, 201, 201),
        "owner": (201, 201, 201, 201),
        "banned": NOT_SEEN,
        "site_admin": (201, 404, 404, 404),
    },
    # Closing the member's report: whoever may see it; to anyone else it does not exist.
    "PATCH /reports/{report}": {
        "anonymous": NOBODY,
        "non_member": NOT_SEEN,
        "requester": NOT_SEEN,
        "invitee": NOT_SEEN,
        "member": NOT_SEEN,
        "moderator": (200, 200, 200, 200),
        "owner": (200, 200, 200, 200),
        "banned": NOT_SEEN,
        "site_admin": (200, 200, 200, 200),
    },
}
PERSONAL = ("GET /admin/reports", "GET /admin/audit")
TABLES = ("reports", "audit_entries", "notifications")
BODIES = {"PATCH /reports/{report}": {"status": "dismissed"}}


def reported_world(app, factory) -> tuple[World, dict, dict]:
    """The world, with a thread of the member's in each group, which the member reported."""
    world = build_world(app, factory)
    threads, reports = {}, {}
    for visibility, group_id in world.groups.items():
        threads[visibility] = start_thread(world.people["member"], group_id)["id"]
        made = world.people["member"].post(
            f"{API}/reports",
            json={"target_type": "thread", "target_id": threads[visibility], "reason": "Spam."},
        )
        assert made.status_code == 201, made.json
        reports[visibility] = made.json["id"]
    return world, threads, reports


def caller(world: World, threads: dict, reports: dict):
    def call(endpoint: str, persona: str, visibility: str):
        method, template = endpoint.split(" ")
        path = API + template.format(id=world.groups[visibility], report=reports[visibility])
        body = BODIES.get(endpoint)
        if endpoint == "POST /reports":
            body = {"target_type": "thread", "target_id": threads[visibility], "reason": "Rude."}
        return world.people[persona].open(method, path, json=body)

    return call


def test_the_table_covers_every_report_and_audit_route(app):
    for endpoint, row in EXPECTED.items():
        assert set(row) == set(PERSONAS), endpoint
        assert row["anonymous"] == NOBODY, endpoint
        if endpoint not in PERSONAL:
            for persona in NON_MEMBERS:
                assert row[persona][VISIBILITIES.index("hidden")] == 404, (endpoint, persona)
    routes = {
        f"{method} {rule.rule.removeprefix(API)}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("reports.", "audit."))
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {
        e.replace("{id}", "<int:group_id>").replace("{report}", "<int:report_id>") for e in EXPECTED
    }
    assert routes == covered


def test_the_endpoints_answer_as_the_table_says(app, factory):
    world, threads, reports = reported_world(app, factory)
    snapshot = snapshot_tables(app, TABLES)
    mismatches = walk(
        world,
        EXPECTED,
        list(EXPECTED),
        caller(world, threads, reports),
        lambda: restore_tables(app, snapshot),
        personal=PERSONAL,
    )
    assert mismatches == []


def test_a_report_and_a_ban_appear_where_the_contract_says_and_nowhere_else(app, factory):
    world, _threads, reports = reported_world(app, factory)
    banned = world.ids["banned"]
    for persona in PERSONAS[1:]:
        person = world.people[persona]
        for visibility, group_id in world.groups.items():
            may_moderate = MODERATORS_ONLY[persona][VISIBILITIES.index(visibility)] == 200
            log = person.get(f"{API}/groups/{group_id}/audit?page_size=100")
            listed = person.get(f"{API}/groups/{group_id}/reports")
            if not may_moderate:
                assert log.status_code in (403, 404) and "action" not in log.get_data(True)
                assert listed.status_code in (403, 404) and "Spam" not in listed.get_data(True)
                continue
            assert {e["group_id"] for e in log.json} == {group_id}
            bans = [e for e in log.json if e["action"] == "member.banned"]
            assert [(e["target_id"], e["actor"]["id"]) for e in bans] == [
                (banned, world.ids["owner"])
            ]
            assert [r["id"] for r in listed.json] == [reports[visibility]]
        told = {n["data"]["report"]["id"] for n in notifications(person) if n["kind"] == "report"}
        if persona in ("moderator", "owner", "site_admin"):
            assert told == set(reports.values()), persona
        else:
            assert told == set(), persona
        site_log = person.get(f"{API}/admin/audit?page_size=100")
        site_reports = person.get(f"{API}/admin/reports")
        if persona == "site_admin":
            bans = {e["group_id"] for e in site_log.json if e["action"] == "member.banned"}
            assert bans == set(world.groups.values())
            assert {r["id"] for r in site_reports.json} == set(reports.values())
        else:
            assert site_log.status_code == 403 and site_reports.status_code == 403


def test_the_audit_log_cannot_be_changed_through_the_api(app, factory):
    world = build_world(app, factory)
    entry = world.people["site_admin"].get(f"{API}/admin/audit").json[0]
    group_id = world.groups["open"]
    for persona in ("owner", "site_admin"):
        person = world.people[persona]
        for path in (f"/admin/audit/{entry['id']}", f"/groups/{group_id}/audit/{entry['id']}"):
            for method in ("PATCH", "DELETE", "PUT"):
                response = person.open(method, API + path, json={"action": "nothing"})
                assert response.status_code in (404, 405), (method, path)
        for path in ("/admin/audit", f"/groups/{group_id}/audit"):
            for method in ("POST", "PATCH", "DELETE"):
                assert person.open(method, API + path, json={}).status_code == 405
    assert world.people["site_admin"].get(f"{API}/admin/audit").json[0] == entry
