"""Helpers for the group tests: make groups and people in a given state, through the API."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from hub.extensions import db
from tests.factories import ApiClient

API = "/api/v1"


def make_group(owner: ApiClient, visibility: str = "open", **fields) -> int:
    body = {
        "name": f"{visibility.title()} group",
        "description": "About *councils*.",
        "visibility": visibility,
        "tags": ["audit"],
        **fields,
    }
    response = owner.post(f"{API}/groups", json=body)
    assert response.status_code == 201, response.json
    return response.json["id"]


def add_member(owner: ApiClient, group_id: int, person: ApiClient, role: str = "member") -> None:
    """Invite and join (works for every visibility), then set the role."""
    invited = owner.post(f"{API}/groups/{group_id}/invitations", json={"user_id": person.user_id})
    assert invited.status_code == 201, invited.json
    joined = person.post(f"{API}/groups/{group_id}/join")
    assert joined.status_code == 200, joined.json
    if role != "member":
        changed = owner.patch(
            f"{API}/groups/{group_id}/members/{person.user_id}", json={"role": role}
        )
        assert changed.status_code == 200, changed.json


def notification_kinds(person: ApiClient) -> list[str]:
    response = person.get(f"{API}/notifications")
    assert response.status_code == 200, response.json
    return [n["kind"] for n in response.json]


def member_count(person: ApiClient, group_id: int) -> int:
    response = person.get(f"{API}/groups/{group_id}")
    assert response.status_code == 200, response.json
    return response.json["member_count"]


def snapshot_groups(app, group_ids: list[int]) -> dict:
    """The rows that say who is what to these groups, to put back after a test changes them."""
    from sqlalchemy import select

    from hub.extensions import db
    from hub.groups.models import Group, GroupBan, Invitation, JoinRequest, Membership

    with app.app_context():
        rows = {
            model: [
                dict(r)
                for r in db.session.execute(
                    select(model.__table__).where(model.group_id.in_(group_ids))
                ).mappings()
            ]
            for model in (Membership, JoinRequest, Invitation, GroupBan)
        }
        rows[Group] = [
            dict(r)
            for r in db.session.execute(
                select(Group.__table__).where(Group.id.in_(group_ids))
            ).mappings()
        ]
    return rows


def restore_groups(app, snapshot: dict) -> None:
    from sqlalchemy import delete, insert, update

    from hub.extensions import db
    from hub.groups.models import Group

    with app.app_context():
        group_ids = [row["id"] for row in snapshot[Group]]
        for model, rows in snapshot.items():
            if model is Group:
                for row in rows:
                    db.session.execute(update(Group).where(Group.id == row["id"]).values(**row))
                continue
            db.session.execute(delete(model).where(model.group_id.in_(group_ids)))
            if rows:
                db.session.execute(insert(model), rows)
        db.session.commit()


# --- Forum, suggestions and feed helpers ---------------------------------------------


def join(person: ApiClient, group_id: int) -> None:
    joined = person.post(f"{API}/groups/{group_id}/join")
    assert joined.status_code == 200, joined.json


def remove_member(owner: ApiClient, group_id: int, person: ApiClient, ban: bool = False) -> None:
    query = "?ban=true" if ban else ""
    removed = owner.delete(f"{API}/groups/{group_id}/members/{person.user_id}{query}")
    assert removed.status_code == 204, removed.json


def start_thread(
    person: ApiClient,
    group_id: int,
    title: str = "Peer challenge",
    body: str = "How did your *peer challenge* go?",
) -> dict:
    response = person.post(f"{API}/groups/{group_id}/threads", json={"title": title, "body": body})
    assert response.status_code == 201, response.json
    return response.json


def reply(person: ApiClient, thread_id: int, body: str = "It went well.", **fields) -> dict:
    response = person.post(f"{API}/threads/{thread_id}/posts", json={"body": body, **fields})
    assert response.status_code == 201, response.json
    return response.json


def notifications(person: ApiClient) -> list[dict]:
    response = person.get(f"{API}/notifications?page_size=100")
    assert response.status_code == 200, response.json
    return response.json


def content_kinds(person: ApiClient) -> list[str]:
    """The kinds of notifications about content (not invitations and the like), newest first."""
    return [
        n["kind"]
        for n in notifications(person)
        if n["kind"] in ("mention", "reply", "suggestion_status")
    ]


@contextmanager
def counting_queries(app):
    """Collect every SQL statement the app's engine runs inside the block."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def queries_for(app, person: ApiClient, path: str) -> int:
    with counting_queries(app) as statements:
        response = person.get(path)
    assert response.status_code == 200, response.json
    return len(statements)


def sent_mail(app) -> list:
    """The mails Flask-Mailman's locmem backend has 'sent' for this app."""
    return list(getattr(app.extensions["mailman"], "outbox", []))
