"""Demo live sessions: one that has ended, with its transcript in the forum, and one to come.

Everything goes through the live service, so the demo has what real use leaves behind:
events with their seq, votes, answers, and the transcript thread (searchable).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hub.auth.models import User
from hub.db import utcnow
from hub.extensions import db
from hub.groups.models import Group, Membership
from hub.live import service
from hub.live.models import LiveSession

QUESTIONS = [
    ("How did you get members signed up to the peer challenge in the first place?", False),
    ("What would you do differently if you ran the programme again?", False),
    ("How did you measure the savings from the shared service, and who audited them?", True),
    ("Did the community budget pilot change how residents engaged with the council?", False),
]
ANSWERS = [
    "We started with the leader and the chief executive together, then every cabinet member "
    "had a one-to-one: nobody heard about it first in a meeting.",
    "Agree the data before the fieldwork. We lost two weeks arguing about benchmarks.",
    "Finance baselined three years of spend first, and internal audit signed the method off "
    "before we reported a single figure.",
]


def seed_live_demo(group: Group | None = None) -> list[LiveSession]:
    """An ended session with its transcript and a scheduled one, in `group` (by default the
    first open group that has an owner and at least three members). Returns both."""
    group = group or _demo_group()
    if group is None:
        return []
    members = list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.group_id == group.id)
            .order_by(Membership.role != "owner", User.id)
        )
    )
    host, *others = members
    panelist = others[0] if others else host
    askers = others[1:] or [host]
    now = utcnow().replace(second=0, microsecond=0)

    ended = service.schedule_session(
        host,
        group.id,
        {
            "title": "Hotseat: lessons from our corporate peer challenge",
            "description": "The project team answers questions about the peer challenge, "
            "from first conversations to the action plan.",
            "starts_at": now - timedelta(days=7),
            "ends_at": now - timedelta(days=7) + timedelta(hours=1),
            "moderated": False,
            "allow_anonymous": True,
            "panelist_ids": [panelist.id],
            "transcript_includes_chat": True,
        },
    )
    service.start_session(host, ended.id)
    asked = []
    for number, (text, anonymous) in enumerate(QUESTIONS):
        asker = askers[number % len(askers)]
        asked.append(service.ask(asker, ended.id, text, anonymous))
    for number, question in enumerate(asked):
        for voter in members[: len(members) - number]:
            service.vote(voter, ended.id, question["id"], up=True)
    for question, text in zip(asked, ANSWERS, strict=False):
        service.answer(panelist, ended.id, question["id"], text)
    service.moderate(host, ended.id, asked[0]["id"], "pin")
    service.chat(askers[0], ended.id, "Really useful, thank you. Slides in the library?")
    service.chat(panelist, ended.id, "Yes, I'll upload them this afternoon.")
    service.end_session(host, ended.id)

    scheduled = service.schedule_session(
        host,
        group.id,
        {
            "title": "Live Q&A: community budgets one year on",
            "description": "Bring your questions about pooled budgets and place-based working.",
            "starts_at": now + timedelta(days=5),
            "ends_at": now + timedelta(days=5, hours=1),
            "moderated": True,
            "allow_anonymous": True,
            "panelist_ids": [panelist.id],
            "transcript_includes_chat": False,
        },
    )
    return [db.session.get(LiveSession, ended.id), scheduled]


def _demo_group() -> Group | None:
    candidates = db.session.scalars(
        select(Group)
        .where(Group.visibility == "open", Group.archived_at.is_(None), Group.member_count >= 3)
        .order_by(Group.id)
    )
    for group in candidates:
        if db.session.scalar(
            select(Membership.user_id).where(
                Membership.group_id == group.id, Membership.role == "owner"
            )
        ):
            return group
    return None
