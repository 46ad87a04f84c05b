"""Demo documents for the demo groups' libraries (`make run`)."""

from __future__ import annotations

import io

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from hub.auth.models import User
from hub.extensions import db
from hub.groups.models import Group, Membership
from hub.library import service
from hub.library.models import LibraryFile

PEER_CHALLENGE = b"""# Corporate peer challenge: what to expect

A peer challenge team of councillors and officers from other councils spends four days
on site. They read the self-assessment, meet staff, partners and residents, and give
honest feedback on five themes:

1. Local priorities and outcomes
2. Organisational and place leadership
3. Governance and culture
4. Financial planning and management
5. Capacity for improvement

Within eight weeks the council publishes the feedback report and an action plan, and
the team returns about ten months later for a progress review.
"""

BENCHMARKS = b"""indicator,council,2024/25,2025/26,quartile
Household waste recycled (%),Norfolk County Council,42.1,43.8,2
Household waste recycled (%),Somerset Council,55.3,56.0,1
Adult social care: people supported at home (%),Leeds City Council,71.4,72.9,2
Children in care per 10000 under-18s,Manchester City Council,98,95,4
Days to process new housing benefit claims,Cardiff Council,19.2,17.5,3
"""

FLOOD_CHECKLIST = b"""Flood resilience checklist for lead local flood authorities

- Keep the local flood risk management strategy under review every six years.
- Record and investigate significant flooding incidents (section 19 reports).
- Keep an asset register of structures that affect flood risk.
- Agree community flood plans with town and parish councils.
- Check sandbag and pump arrangements with highways and the fire service each autumn.
- Share rainfall and river level alerts with care homes and schools in flood zones.
"""

MENTORING = b"""# Member mentoring programme: notes from the first cohort

Twelve newly elected councillors were paired with experienced members from other
councils. Pairs met monthly, online or in person, for six months.

What worked: agreeing three goals at the first meeting; shadowing a scrutiny committee;
a shared reading list on local government finance.

What to change: match pairs earlier, before the first full council meeting, and give
mentors a short briefing on the mentee's council.
"""

DOCUMENTS = [
    (
        "peer-challenge-guide.md",
        "Corporate peer challenge: what to expect",
        "peer challenge",
        PEER_CHALLENGE,
    ),
    (
        "performance-benchmarks.csv",
        "Performance benchmarks 2025/26",
        "benchmarking,data",
        BENCHMARKS,
    ),
    ("flood-resilience-checklist.txt", "Flood resilience checklist", "flood risk", FLOOD_CHECKLIST),
    ("member-mentoring-notes.md", "Member mentoring: first cohort notes", "mentoring", MENTORING),
]


def seed_library_demo(max_groups: int = 6, per_group: int = 2) -> int:
    """Put a couple of small real documents in each demo group's library; returns how many.

    Each is uploaded by one of the group's owners through the service, so it is checked,
    stored and its text extracted like any upload. Groups that already have files are
    left alone, so running it twice adds nothing.
    """
    groups = db.session.scalars(
        select(Group).where(Group.archived_at.is_(None)).order_by(Group.id).limit(max_groups)
    ).all()
    added = 0
    for index, group in enumerate(groups):
        has_files = db.session.scalar(
            select(LibraryFile.id).where(LibraryFile.group_id == group.id)
        )
        owner = db.session.scalar(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.group_id == group.id, Membership.role == "owner")
            .order_by(User.id)
        )
        if has_files is not None or owner is None:
            continue
        for offset in range(per_group):
            filename, title, tags, data = DOCUMENTS[(index + offset) % len(DOCUMENTS)]
            upload = FileStorage(stream=io.BytesIO(data), filename=filename)
            service.upload_file(owner, group.id, upload, {"title": title, "tags": tags.split(",")})
            added += 1
    return added
