"""A deterministic generator of Knowledge Hub-sized data, written with bulk Core inserts.

Every step draws from its own `random.Random(f"{seed}:{step}")`, so the same seed gives the
same data, and adding a step later does not change what the earlier steps make. Rows are
planned in Python with explicit ids and written with SQLAlchemy Core `insert()` in chunks
(executemany), one transaction per table; on SQLite the load runs with `synchronous=OFF`
and foreign-key checks off (the plan is consistent by construction). Every generated
person shares one password, hashed once.

The database must be empty of people: ids start at 1.
"""

from __future__ import annotations

import html
import itertools
import random
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import click
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hub.seeding import vocabulary as v
from hub.tags import tag_key

SEED_PASSWORD = "sector-led-improvement"
CHUNK = 5000


@dataclass(frozen=True)
class Sizes:
    people: int
    groups: int
    posts: int
    conversations: int
    files: int = 0
    live_sessions: int = 0
    # Connections each person asks for, on average (each person ends with about twice that).
    connections_per_person: float = 1.6
    # The member of `bench_groups` groups that benchmarks sign in as (person id 1).
    bench_groups: int = 20


SCALES: dict[str, Sizes] = {
    # A few seconds: for tests of the commands, and a first look.
    "tiny": Sizes(
        people=200,
        groups=10,
        posts=300,
        conversations=40,
        files=20,
        live_sessions=4,
        bench_groups=5,
    ),
    "small": Sizes(
        people=2_000, groups=40, posts=5_000, conversations=600, files=500, live_sessions=20
    ),
    "full": Sizes(
        people=120_000,
        groups=1_400,
        posts=300_000,
        conversations=25_000,
        files=30_000,
        live_sessions=2_000,
    ),
}

VISIBILITY_WEIGHTS = {"open": 50, "restricted": 25, "private": 17, "hidden": 8}


@dataclass
class Result:
    """What was made, for the command's summary and for tests."""

    scale: str
    seed: int
    password: str
    bench_email: str
    admin_email: str
    bench_groups: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)


@dataclass
class _Person:
    id: int
    name: str
    email: str
    organisation: str
    region: str
    role: str


@dataclass
class _Group:
    id: int
    name: str
    subject: str
    tags: list[str]
    visibility: str
    region: str | None
    created_at: datetime
    archived: bool
    members: list[int] = field(default_factory=list)  # user ids; owner first


class _Plan:
    """Shared state between steps: sizes, the people and groups made so far, the clock."""

    def __init__(
        self, conn: Connection, sizes: Sizes, seed: int, now: datetime, progress: bool
    ) -> None:
        self.conn = conn
        self.sizes = sizes
        self.seed = seed
        self.now = now
        self.progress = progress
        self.people: list[_Person] = []
        self.groups: list[_Group] = []
        self.connected: list[tuple[int, int]] = []
        self.pending_connections: list[tuple[int, int, datetime]] = []  # asker, asked, when
        self.notifications: list[dict] = []  # written last, in time order
        self.bench_group_count = 0
        self.threads = 0
        self.posts = 0
        self.counts: dict[str, int] = {}
        self.dialect = conn.dialect.name

    def rng(self, step: str) -> random.Random:
        return random.Random(f"{self.seed}:{step}")

    def when(self, rng: random.Random, days_back: float, after: datetime | None = None) -> datetime:
        """A moment in the last `days_back` days (and after `after`), to the second."""
        start = self.now - timedelta(days=days_back)
        if after is not None and after > start:
            start = after
        span = max(1, int((self.now - start).total_seconds()))
        return start + timedelta(seconds=rng.randrange(span))

    def insert(self, table: sa.Table, rows: Iterable[dict], total: int, label: str) -> int:
        """Write rows in chunks of CHUNK with executemany, in one transaction."""
        written = 0
        bar = (
            click.progressbar(length=total, label=f"{label:<22}", show_pos=True)
            if self.progress
            else nullcontext()
        )
        statement = sa.insert(table)
        with bar:
            for batch in _chunks(rows, CHUNK):
                self.conn.execute(statement, batch)
                written += len(batch)
                if self.progress:
                    bar.update(len(batch))
        self.conn.commit()
        self.counts[table.name] = self.counts.get(table.name, 0) + written
        return written


def _chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _html(text: str) -> str:
    """What render_markdown makes of plain paragraphs (the generated text has no markup)."""
    return "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in text.split("\n\n"))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Slots(dict):
    """Template values made only when a template asks for them."""

    def __init__(self, rng: random.Random, known: dict) -> None:
        super().__init__(known)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        rng = self.rng
        makers = {
            "topic": lambda: rng.choice(v.EXPERTISE),
            "topic2": lambda: rng.choice(v.EXPERTISE),
            "council": lambda: rng.choice(v.COUNCILS)[0],
            "n": lambda: str(rng.randint(3, 40)),
            "pct": lambda: str(rng.randint(5, 45)),
            "year": lambda: str(rng.randint(2015, 2025)),
            "month": lambda: rng.choice(v.MONTHS),
            "name": lambda: "there",
            "title": lambda: "Officer",
            "organisation": lambda: "the council",
        }
        return makers[key]()


def _fill(rng: random.Random, template: str, **known: str | None) -> str:
    return template.format_map(_Slots(rng, {k: val for k, val in known.items() if val}))


def post_text(rng: random.Random, topic: str, council: str | None = None) -> str:
    """A realistic forum post: an opener, one to three points, a closing line."""
    sentences = [_fill(rng, rng.choice(v.OPENERS), topic=topic, council=council)]
    sentences += [_fill(rng, s, topic=topic) for s in rng.sample(v.MIDDLES, rng.randint(1, 3))]
    body = " ".join(sentences)
    return body + "\n\n" + _fill(rng, rng.choice(v.CLOSERS), topic=topic)


def reply_text(rng: random.Random, topic: str) -> str:
    first = _fill(rng, rng.choice(v.REPLIES), topic=topic)
    if rng.random() < 0.6:
        first += " " + _fill(rng, rng.choice(v.MIDDLES), topic=topic)
    return first


def thread_title(rng: random.Random, topic: str) -> str:
    title = _fill(rng, rng.choice(v.THREAD_TITLES), topic=topic)
    return title[0].upper() + title[1:]


# --- Steps ---------------------------------------------------------------------------


def _people(plan: _Plan, password_hash: str) -> None:
    from hub.auth.handles import first_free_handle, handle_base
    from hub.auth.models import User, UserExpertise
    from hub.people.models import PersonTerm, terms_of

    rng = plan.rng("people")
    n = plan.sizes.people
    weights = [_council_weight(name) for name, _, _ in v.COUNCILS]
    councils = rng.choices(v.COUNCILS, weights=weights, k=n)
    seen: dict[str, int] = {}
    handles: set[str] = set()
    rows = []
    expertise = []
    for index in range(n):
        person_id = index + 1
        organisation, region, domain = councils[index]
        role = (
            "officer"
            if index < 2
            else rng.choices(("officer", "councillor", "other"), weights=(75, 20, 5))[0]
        )
        first, last = rng.choice(v.FIRST_NAMES), rng.choice(v.LAST_NAMES)
        local = re.sub(r"[^a-z.]", "", f"{first}.{last}".lower())
        if role == "councillor":
            local = "cllr." + local
        seen[f"{local}@{domain}"] = count = seen.get(f"{local}@{domain}", 0) + 1
        email = f"{local}{count if count > 1 else ''}@{domain}"
        name = f"Cllr {first} {last}" if role == "councillor" else f"{first} {last}"
        titles = {
            "officer": v.OFFICER_TITLES,
            "councillor": v.COUNCILLOR_TITLES,
            "other": v.OTHER_TITLES,
        }[role]
        title = rng.choice(titles)
        tags = rng.sample(v.EXPERTISE, rng.choice((1, 2, 2, 3, 3, 4)))
        bio = (
            _fill(rng, rng.choice(v.BIOS), title=title, organisation=organisation, topic=tags[0])
            if rng.random() < 0.8
            else None
        )
        created = plan.when(rng, 9 * 365)
        handle = first_free_handle(handle_base(name), handles)
        handles.add(handle)
        rows.append(
            {
                "id": person_id,
                "email": email,
                "password_hash": password_hash,
                "name": name,
                "handle": handle,
                "role": role,
                "organisation": organisation,
                "job_title": title,
                "region": region,
                "bio": bio,
                "bio_html": _html(bio) if bio else None,
                "is_admin": index == 1,
                "email_verified_at": created,
                "approved_at": created,
                "deactivated_at": (
                    plan.when(rng, 365) if index > 1 and rng.random() < 0.01 else None
                ),
                "created_at": created,
            }
        )
        expertise += [{"user_id": person_id, "tag": tag, "tag_key": tag_key(tag)} for tag in tags]
        plan.people.append(_Person(person_id, name, email, organisation, region, role))
    plan.insert(User.__table__, rows, n, "people")
    plan.insert(UserExpertise.__table__, expertise, len(expertise), "expertise")
    tags: dict[int, list[str]] = {}
    for row in expertise:
        tags.setdefault(row["user_id"], []).append(row["tag"])
    terms = [
        {"term": term, "user_id": row["id"], "name": row["name"]}
        for row in rows
        if row["deactivated_at"] is None  # the finder's words are of active people only
        for term in sorted(
            terms_of(
                row["name"],
                row["organisation"],
                row["job_title"],
                tags.get(row["id"], ()),
                row["handle"],
            )
        )
    ]
    plan.insert(PersonTerm.__table__, terms, len(terms), "people finder words")


def _council_weight(name: str) -> float:
    if "County Council" in name or "Combined Authority" in name:
        return 3.0
    if "City" in name or "London Borough" in name or "Royal Borough" in name:
        return 2.0
    if "District" in name:
        return 0.6
    return 1.0


def _connections(plan: _Plan) -> None:
    from hub.people.models import Connection as ConnectionModel

    rng = plan.rng("connections")
    people = plan.people
    n = len(people)
    by_org: dict[str, list[int]] = {}
    for person in people:
        by_org.setdefault(person.organisation, []).append(person.id)
    pairs: dict[tuple[int, int], int] = {}
    mean = plan.sizes.connections_per_person
    for person in people:
        wanted = 40 if person.id == 1 else min(12, int(rng.expovariate(1 / mean) + 0.5))
        colleagues = by_org[person.organisation]
        for _ in range(wanted):
            if rng.random() < 0.55 and len(colleagues) > 1:
                other = rng.choice(colleagues)
            else:
                other = rng.randint(1, n)
            if other != person.id:
                pairs.setdefault((min(person.id, other), max(person.id, other)), person.id)
    rows = []
    for (low, high), asker in pairs.items():
        created = plan.when(rng, 5 * 365)
        connected = rng.random() < 0.9
        rows.append(
            {
                "user_low_id": low,
                "user_high_id": high,
                "requested_by_id": asker,
                "status": "connected" if connected else "pending",
                "created_at": created,
                "connected_at": plan.when(rng, 5 * 365, after=created) if connected else None,
            }
        )
        if connected:
            plan.connected.append((low, high))
    plan.insert(ConnectionModel.__table__, rows, len(rows), "connections")
    plan.pending_connections = [
        (
            r["requested_by_id"],
            r["user_low_id"] + r["user_high_id"] - r["requested_by_id"],
            r["created_at"],
        )
        for r in rows
        if r["status"] == "pending"
    ]


def _group_sizes(rng: random.Random, groups: int, people: int) -> list[int]:
    """A few huge groups (8-20% of everyone: 10k+ at full scale), some large, most small."""
    huge = max(1, round(groups * 0.005))
    large = max(1, round(groups * 0.04))
    sizes = [rng.randint(int(people * 0.085), int(people * 0.2)) for _ in range(huge)]
    sizes += [int(10 ** rng.uniform(2.7, 3.7)) for _ in range(large)]  # 500-5,000
    while len(sizes) < groups:
        sizes.append(int(10 ** rng.uniform(1.0, 2.3)))  # 10-200
    return [max(3, min(size, people)) for size in sizes[:groups]]


def _groups(plan: _Plan) -> None:
    from hub.groups.models import Group, GroupTag, Membership

    rng = plan.rng("groups")
    people = plan.people
    n = len(people)
    by_region: dict[str, list[int]] = {}
    for person in people:
        by_region.setdefault(person.region, []).append(person.id)
    sizes = _group_sizes(rng, plan.sizes.groups, n)
    count = len(sizes)
    # The benchmark member (person 1) belongs to bench_groups groups of every visibility.
    bench = set(rng.sample(range(count), min(plan.sizes.bench_groups, count)))
    bench.add(0)
    while len(bench) > min(plan.sizes.bench_groups, count):
        bench.remove(max(bench))
    names: set[str] = set()
    group_rows, tag_rows, member_rows = [], [], []
    for index, size in enumerate(sizes):
        subject, tags = rng.choice(v.SUBJECTS)
        region = rng.choice(v.REGIONS)
        council = rng.choice(v.COUNCILS)[0]
        pattern = rng.choice(v.GROUP_PATTERNS)
        name = pattern.format(subject=subject, region=region, council=council)
        while name in names or len(name) > 120:
            name = f"{subject} Network {len(names) + 1}"
        names.add(name)
        if index < len(sizes) and size >= n * 0.08:
            visibility = "open"
        else:
            visibility = rng.choices(
                list(VISIBILITY_WEIGHTS), weights=list(VISIBILITY_WEIGHTS.values())
            )[0]
        created = plan.when(rng, 8 * 365)
        archived = index not in bench and rng.random() < 0.03
        regional = "{region}" in pattern and len(by_region[region]) >= size * 2
        pool = by_region[region] if regional else None
        if pool is not None:
            members = rng.sample(pool, size)
        else:
            members = [i + 1 for i in rng.sample(range(n), size)]
        if index in bench:
            members = [m for m in members if m != 1]
            members = members[: size - 1] + [1]
        else:
            members = [m for m in members if m != 1] or [2]
        group = _Group(
            index + 1,
            name,
            subject,
            sorted(set(tags)),
            visibility,
            region if regional else None,
            created,
            archived,
            members,
        )
        plan.groups.append(group)
        extra = rng.sample(v.EXPERTISE, rng.randint(0, 2))
        group.tags = sorted(set(tags) | set(extra))
        description = (
            f"{'An' if visibility == 'open' else 'A'} {visibility} group for {subject.lower()} "
            + (f"in {region}. " if regional else "across councils. ")
            + _fill(rng, rng.choice(v.OPENERS), topic=subject.lower())
        )
        group_rows.append(
            {
                "id": group.id,
                "name": name,
                "slug": f"{_slug(name)}-{group.id}",
                "description": description,
                "description_html": _html(description),
                "visibility": visibility,
                "created_by_id": members[0],
                "created_at": created,
                "archived_at": plan.when(rng, 365, after=created) if archived else None,
                "member_count": len(members),
            }
        )
        tag_rows += [
            {"group_id": group.id, "tag": tag, "tag_key": tag_key(tag)} for tag in group.tags
        ]
        moderators = min(5, 1 + len(members) // 500)
        for position, user_id in enumerate(members):
            role = (
                "owner"
                if position == 0
                else ("moderator" if position <= moderators and user_id != 1 else "member")
            )
            member_rows.append(
                {
                    "group_id": group.id,
                    "user_id": user_id,
                    "role": role,
                    "joined_at": plan.when(rng, 8 * 365, after=created),
                }
            )
    plan.bench_group_count = len(bench)
    plan.insert(Group.__table__, group_rows, len(group_rows), "groups")
    plan.insert(GroupTag.__table__, tag_rows, len(tag_rows), "group tags")
    plan.insert(Membership.__table__, member_rows, len(member_rows), "memberships")


def _requests_and_invitations(plan: _Plan) -> None:
    from hub.groups.models import Invitation, JoinRequest

    rng = plan.rng("requests")
    n = len(plan.people)
    requests, invitations = [], []
    for group in plan.groups:
        if group.archived:
            continue
        members = set(group.members)
        if group.visibility in ("restricted", "private"):
            for user_id in {rng.randint(1, n) for _ in range(rng.choice((0, 0, 1, 2, 3, 5)))}:
                if user_id not in members:
                    requests.append(
                        {"group_id": group.id, "user_id": user_id, "created_at": plan.when(rng, 60)}
                    )
        if group.visibility in ("private", "hidden"):
            for user_id in {rng.randint(1, n) for _ in range(rng.choice((0, 1, 1, 2, 3)))}:
                if user_id not in members:
                    invitations.append(
                        {
                            "group_id": group.id,
                            "user_id": user_id,
                            "invited_by_id": group.members[0],
                            "created_at": plan.when(rng, 60),
                        }
                    )
    plan.insert(JoinRequest.__table__, requests, len(requests), "join requests")
    plan.insert(Invitation.__table__, invitations, len(invitations), "invitations")


def _conversations(plan: _Plan) -> None:
    """Conversations mostly between connected people, each message notifying the others."""
    from hub.messages.models import Conversation, ConversationParticipant, Message

    rng = plan.rng("conversations")
    people = plan.people
    n = len(people)
    bench_pairs = [pair for pair in plan.connected if 1 in pair][:15]
    conversations, participants, messages, notes = [], [], [], []
    message_id = itertools.count(1)
    for index in range(plan.sizes.conversations):
        conversation_id = index + 1
        if index < len(bench_pairs):
            everyone = list(bench_pairs[index])
        elif plan.connected and rng.random() < 0.8:
            everyone = list(rng.choice(plan.connected))
        else:
            everyone = rng.sample(range(1, n + 1), 2)
        if rng.random() < 0.12:
            everyone.append(rng.randint(1, n))
        everyone = sorted(set(everyone))
        moment = plan.when(rng, 2 * 365)
        created = moment
        topic = rng.choice(v.EXPERTISE)
        for _ in range(rng.choice((1, 1, 2, 3, 4, 6, 8))):
            sender = rng.choice(everyone)
            text = _fill(
                rng,
                rng.choice(v.MESSAGES),
                topic=topic,
                name=people[rng.choice(everyone) - 1].name.split()[-2],
            )
            mid = next(message_id)
            messages.append(
                {
                    "id": mid,
                    "conversation_id": conversation_id,
                    "sender_id": sender,
                    "body": text,
                    "body_html": _html(text),
                    "created_at": moment,
                }
            )
            for user_id in everyone:
                if user_id != sender:
                    notes.append(
                        {
                            "user_id": user_id,
                            "kind": "message",
                            "group_id": None,
                            "data": {
                                "conversation_id": conversation_id,
                                "user": {"id": sender, "name": people[sender - 1].name},
                            },
                            "created_at": moment,
                            "read_at": moment + timedelta(hours=2) if rng.random() < 0.8 else None,
                        }
                    )
            last = moment
            moment = moment + timedelta(minutes=rng.randint(3, 60 * 48))
        conversations.append(
            {"id": conversation_id, "created_at": created, "last_message_at": last}
        )
        participants += [
            {
                "conversation_id": conversation_id,
                "user_id": user_id,
                "last_read_at": last if rng.random() < 0.7 else created,
            }
            for user_id in everyone
        ]
    plan.insert(Conversation.__table__, conversations, len(conversations), "conversations")
    plan.insert(ConversationParticipant.__table__, participants, len(participants), "participants")
    plan.insert(Message.__table__, messages, len(messages), "messages")
    plan.notifications = notes


def _notifications(plan: _Plan) -> None:
    """Notifications as the services would have written them, in time order."""
    from hub.notifications.models import Notification

    rng = plan.rng("notifications")
    people = plan.people
    notes = list(plan.notifications)
    for asker, asked, created in plan.pending_connections:
        notes.append(
            {
                "user_id": asked,
                "kind": "connection_request",
                "group_id": None,
                "data": {"user": {"id": asker, "name": people[asker - 1].name}},
                "created_at": created,
                "read_at": None,
            }
        )
    for low, high in plan.connected:
        if rng.random() < 0.3:
            created = plan.when(rng, 3 * 365)
            notes.append(
                {
                    "user_id": low,
                    "kind": "connection_accepted",
                    "group_id": None,
                    "data": {"user": {"id": high, "name": people[high - 1].name}},
                    "created_at": created,
                    "read_at": created + timedelta(days=1),
                }
            )
    notes.sort(key=lambda row: row["created_at"])
    for number, row in enumerate(notes, start=1):
        row["id"] = number
    plan.insert(Notification.__table__, notes, len(notes), "notifications")


def generate_forum(plan: _Plan) -> list[str]:
    """Forum threads and their posts (sizes.posts in all) in the groups, and subscriptions.

    Threads fall on groups in proportion to member_count ** 0.7; most threads have 1-10
    posts, a few run long. Authors are members of the group; authors follow their threads.
    """
    from hub.forum.models import Post, Thread, ThreadSubscription

    rng = plan.rng("forum")
    budget = plan.sizes.posts
    groups = plan.groups
    if not groups or budget <= 0:
        return []
    weights = list(itertools.accumulate(len(g.members) ** 0.7 for g in groups))
    threads, posts, subscriptions = [], [], []
    post_id = 0
    while post_id < budget:
        group = rng.choices(groups, cum_weights=weights)[0]
        thread_id = len(threads) + 1
        length = rng.choices(
            (rng.randint(1, 3), rng.randint(4, 10), rng.randint(11, 40), rng.randint(41, 200)),
            weights=(45, 38, 14, 3),
        )[0]
        length = min(length, budget - post_id)
        topic = group.subject.lower() if rng.random() < 0.7 else rng.choice(group.tags)
        started = plan.when(rng, 3 * 365, after=group.created_at)
        moment = started
        authors: list[int] = []
        first_post = post_id + 1
        for position in range(length):
            post_id += 1
            author = rng.choice(group.members)
            if author not in authors:
                authors.append(author)
            body = post_text(rng, topic) if position == 0 else reply_text(rng, topic)
            posts.append(
                {
                    "id": post_id,
                    "thread_id": thread_id,
                    "group_id": group.id,
                    "author_id": author,
                    "is_opening": position == 0,
                    "reply_to_id": (
                        rng.randint(first_post, post_id - 1)
                        if position and rng.random() < 0.3
                        else None
                    ),
                    "body": body,
                    "body_html": _html(body),
                    "created_at": moment,
                    "edited_at": moment + timedelta(minutes=20) if rng.random() < 0.05 else None,
                }
            )
            last = moment
            moment = moment + timedelta(minutes=rng.randint(5, 60 * 24 * 4))
            if moment > plan.now:
                moment = plan.now
        threads.append(
            {
                "id": thread_id,
                "group_id": group.id,
                "author_id": authors[0],
                "title": thread_title(rng, topic)[:200],
                "pinned": rng.random() < 0.02,
                "locked": rng.random() < 0.01,
                "created_at": started,
                "post_count": length,
                "last_post_at": last,
            }
        )
        subscriptions += [
            {"thread_id": thread_id, "user_id": author, "created_at": started} for author in authors
        ]
    plan.insert(Thread.__table__, threads, len(threads), "forum threads")
    plan.insert(Post.__table__, posts, len(posts), "forum posts")
    plan.insert(
        ThreadSubscription.__table__, subscriptions, len(subscriptions), "thread subscriptions"
    )
    plan.threads = len(threads)
    plan.posts = post_id
    return []


def generate_suggestions(plan: _Plan) -> list[str]:
    """About three suggestions a group, with votes from its members."""
    from hub.suggestions.models import STATUSES, Suggestion, SuggestionVote

    rng = plan.rng("suggestions")
    suggestions, votes = [], []
    for group in plan.groups:
        for _ in range(rng.choice((0, 1, 2, 3, 4, 6))):
            suggestion_id = len(suggestions) + 1
            topic = rng.choice(group.tags)
            created = plan.when(rng, 2 * 365, after=group.created_at)
            status = rng.choices(STATUSES, weights=(50, 15, 15, 10, 10))[0]
            body = post_text(rng, topic)
            suggestions.append(
                {
                    "id": suggestion_id,
                    "group_id": group.id,
                    "author_id": rng.choice(group.members),
                    "title": _fill(rng, rng.choice(v.SUGGESTION_TITLES), topic=topic)[:200],
                    "body": body,
                    "body_html": _html(body),
                    "status": status,
                    "created_at": created,
                    "status_changed_at": (
                        plan.when(rng, 365, after=created) if status != "open" else None
                    ),
                }
            )
            voters = rng.sample(group.members, min(len(group.members), int(rng.expovariate(1 / 8))))
            votes += [
                {
                    "suggestion_id": suggestion_id,
                    "user_id": voter,
                    "created_at": plan.when(rng, 365, after=created),
                }
                for voter in voters
            ]
    plan.insert(Suggestion.__table__, suggestions, len(suggestions), "suggestions")
    plan.insert(SuggestionVote.__table__, votes, len(votes), "suggestion votes")
    return []


FILE_KINDS = (
    "report",
    "briefing note",
    "guidance",
    "case study",
    "policy",
    "action plan",
    "evaluation",
    "toolkit",
    "minutes",
    "strategy",
)


def _file_text(rng: random.Random, topic: str, council: str) -> str:
    """A document's extracted text: a few paragraphs of the forum vocabulary (~150-700 words)."""
    paragraphs = [post_text(rng, topic, council) for _ in range(rng.randint(2, 6))]
    paragraphs += [_fill(rng, s, topic=topic) for s in rng.sample(v.MIDDLES, rng.randint(1, 4))]
    return "\n\n".join(paragraphs)


def generate_library(plan: _Plan) -> list[str]:
    """sizes.files library files (one version each, plain text) spread over the groups.

    Each file's version holds generated text as its extracted text, and the same text is
    written as its stored bytes (`text/plain`) under HUB_DATA_DIR/files, so downloads and
    `search check` work like for an upload. Files fall on groups like threads do.
    """
    import hashlib
    import os

    from hub.library import storage
    from hub.library.models import FileVersion, LibraryFile, LibraryFileTag

    rng = plan.rng("library")
    groups = plan.groups
    total = plan.sizes.files
    if not groups or total <= 0:
        return []
    weights = list(itertools.accumulate(len(g.members) ** 0.7 for g in groups))
    root = storage.root()
    files, versions, tags = [], [], []
    made_dirs: set[str] = set()
    for file_id in range(1, total + 1):
        group = rng.choices(groups, cum_weights=weights)[0]
        topic = group.subject.lower() if rng.random() < 0.6 else rng.choice(group.tags)
        council = rng.choice(v.COUNCILS)[0]
        kind = rng.choice(FILE_KINDS)
        title = f"{topic[0].upper()}{topic[1:]} {kind}, {council} {rng.randint(2015, 2025)}"
        description = _fill(rng, rng.choice(v.OPENERS), topic=topic, council=council)
        text = _file_text(rng, topic, council)
        data = text.encode()
        key = f"{rng.getrandbits(128):032x}"
        if key[:2] not in made_dirs:
            (root / key[:2]).mkdir(mode=0o700, exist_ok=True)
            made_dirs.add(key[:2])
        with open(root / key[:2] / key, "wb") as out:
            os.chmod(out.fileno(), 0o600)
            out.write(data)
        uploader = rng.choice(group.members)
        created = plan.when(rng, 3 * 365, after=group.created_at)
        files.append(
            {
                "id": file_id,
                "group_id": group.id,
                "folder_id": None,
                "title": title[:200],
                "description": description,
                "description_html": _html(description),
                "uploaded_by_id": uploader,
                "version": 1,
                "created_at": created,
                "updated_at": created,
            }
        )
        versions.append(
            {
                "id": file_id,
                "file_id": file_id,
                "number": 1,
                "filename": f"{_slug(title)[:80]}.txt",
                "content_type": "text/plain",
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "storage_key": key,
                "uploaded_by_id": uploader,
                "created_at": created,
                "text_extracted": True,
                "text_extraction_error": None,
                "extracted_text": text,
            }
        )
        tags += [
            {"file_id": file_id, "tag": tag, "tag_key": tag_key(tag)}
            for tag in sorted(set(rng.sample(group.tags, min(len(group.tags), 2))))
        ]
    plan.insert(LibraryFile.__table__, files, len(files), "library files")
    plan.insert(FileVersion.__table__, versions, len(versions), "library file versions")
    plan.insert(LibraryFileTag.__table__, tags, len(tags), "library file tags")
    return []


LIVE_STATUS_WEIGHTS = {"ended": 85, "scheduled": 13, "live": 2}


def generate_live(plan: _Plan) -> list[str]:
    """sizes.live_sessions live sessions, mostly ended, with questions, votes and answers.

    Sessions fall on groups like threads do; a panel of one to three members answers.
    An ended session's transcript is a forum thread of its group (as ending one through
    the app makes it), so sessions are searchable; live sessions carry their questions
    too. The replay log (live_events) is not generated: it is for clients that were in a
    session and reconnect.
    """
    from hub.forum.models import Post, Thread
    from hub.live.models import LiveAnswer, LivePanelist, LiveQuestion, LiveSession, LiveVote

    rng = plan.rng("live")
    groups = [g for g in plan.groups if len(g.members) >= 2]
    if not groups or plan.sizes.live_sessions <= 0:
        return []
    weights = list(itertools.accumulate(len(g.members) ** 0.7 for g in groups))
    made: dict[str, list[dict]] = {
        name: [] for name in ("sessions", "panelists", "questions", "votes", "answers")
    }
    transcripts: list[dict] = []
    posts: list[dict] = []
    for session_id in range(1, plan.sizes.live_sessions + 1):
        group = rng.choices(groups, cum_weights=weights)[0]
        topic = group.subject.lower() if rng.random() < 0.6 else rng.choice(group.tags)
        status = rng.choices(list(LIVE_STATUS_WEIGHTS), weights=LIVE_STATUS_WEIGHTS.values())[0]
        panel = rng.sample(group.members, min(len(group.members), rng.randint(1, 3)))
        session = _live_session(plan, rng, session_id, group, topic, status, panel[0])
        made["sessions"].append(session)
        made["panelists"] += [{"session_id": session_id, "user_id": p} for p in panel]
        if status == "scheduled":
            continue
        questions, answers = _live_questions(rng, session, group, topic, panel, made)
        if status == "ended":
            thread_id = plan.threads + len(transcripts) + 1
            session["transcript_thread_id"] = thread_id
            body = _transcript(session, questions, answers)
            transcripts.append(
                {
                    "id": thread_id,
                    "group_id": group.id,
                    "author_id": panel[0],
                    "title": f"Live session transcript: {session['title']}"[:200],
                    "pinned": False,
                    "locked": False,
                    "created_at": session["ended_at"],
                    "post_count": 1,
                    "last_post_at": session["ended_at"],
                }
            )
            posts.append(
                {
                    "id": plan.posts + len(posts) + 1,
                    "thread_id": thread_id,
                    "group_id": group.id,
                    "author_id": panel[0],
                    "is_opening": True,
                    "reply_to_id": None,
                    "body": body,
                    "body_html": _html(body),
                    "created_at": session["ended_at"],
                    "edited_at": None,
                }
            )
    plan.insert(Thread.__table__, transcripts, len(transcripts), "transcript threads")
    plan.insert(Post.__table__, posts, len(posts), "transcript posts")
    for name, model in (
        ("sessions", LiveSession),
        ("panelists", LivePanelist),
        ("questions", LiveQuestion),
        ("votes", LiveVote),
        ("answers", LiveAnswer),
    ):
        plan.insert(model.__table__, made[name], len(made[name]), f"live {name}")
    plan.threads += len(transcripts)
    plan.posts += len(posts)
    return []


def _live_session(plan, rng, session_id, group, topic, status, creator) -> dict:
    description = _fill(rng, rng.choice(v.OPENERS), topic=topic)
    if status == "scheduled":
        starts = plan.now + timedelta(days=rng.randint(1, 60), hours=rng.randint(9, 16))
    else:
        starts = plan.when(rng, 2 * 365, after=group.created_at)
    if status == "live":
        starts = plan.now - timedelta(minutes=rng.randint(5, 50))
    ended = starts + timedelta(minutes=rng.choice((45, 60, 90))) if status == "ended" else None
    title = _fill(rng, rng.choice(v.SESSION_TITLES), topic=topic)
    return {
        "id": session_id,
        "group_id": group.id,
        "created_by_id": creator,
        "title": (title[0].upper() + title[1:])[:200],
        "description": description,
        "description_html": _html(description),
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=1),
        "moderated": rng.random() < 0.3,
        "allow_anonymous": rng.random() < 0.4,
        "transcript_includes_chat": False,
        "status": status,
        "seq": 0,
        "created_at": starts - timedelta(days=rng.randint(3, 30)),
        "started_at": None if status == "scheduled" else starts,
        "ended_at": ended,
        "transcript_thread_id": None,
    }


def _live_questions(rng, session, group, topic, panel, made) -> tuple[list[dict], dict]:
    """A session's questions (most visible), each with votes and perhaps an answer; returns
    the questions and the answers by question id."""
    questions, answers = [], {}
    started = session["started_at"]
    for _ in range(min(60, int(rng.expovariate(1 / 12)))):
        question_id = len(made["questions"]) + 1
        anonymous = session["allow_anonymous"] and rng.random() < 0.2
        status = "pending" if session["moderated"] and rng.random() < 0.1 else "visible"
        asked = started + timedelta(seconds=rng.randint(30, 2400))
        voters = rng.sample(group.members, min(len(group.members), int(rng.expovariate(1 / 6))))
        answered = status == "visible" and rng.random() < 0.6
        question = {
            "id": question_id,
            "session_id": session["id"],
            "author_id": rng.choice(group.members),
            "text": _fill(rng, rng.choice(v.LIVE_QUESTIONS), topic=topic),
            "anonymous": anonymous,
            "status": status,
            "pinned": status == "visible" and rng.random() < 0.05,
            "answered": answered,
            "vote_count": len(voters),
            "created_at": asked,
        }
        made["questions"].append(question)
        questions.append(question)
        made["votes"] += [
            {"question_id": question_id, "user_id": voter, "created_at": asked} for voter in voters
        ]
        if answered:
            answers[question_id] = {
                "id": len(made["answers"]) + 1,
                "question_id": question_id,
                "author_id": rng.choice(panel),
                "text": _fill(rng, rng.choice(v.LIVE_ANSWERS), topic=topic),
                "created_at": asked + timedelta(seconds=rng.randint(20, 600)),
            }
            made["answers"].append(answers[question_id])
    return questions, answers


def _transcript(session: dict, questions: list[dict], answers: dict) -> str:
    """The Markdown the app writes when a session ends (hub.live.service.transcript_body),
    without names: the seeded transcript is for searching and reading."""
    visible = [q for q in questions if q["status"] == "visible"]
    visible.sort(key=lambda q: (not q["pinned"], -q["vote_count"], q["id"]))
    when = session["started_at"]
    lines = [
        f"Live session held on {when:%d %B %Y}, {when:%H:%M} to {session['ended_at']:%H:%M} UTC.",
        "",
        session["description"],
        "",
        f"## Questions ({len(visible)}, {sum(q['vote_count'] for q in visible)} votes)",
        "",
    ]
    if not visible:
        lines.append("No questions were asked.")
    for number, question in enumerate(visible, 1):
        votes = question["vote_count"]
        status = ", answered" if question["answered"] else ""
        lines += [
            f"### Question {number} ({votes} vote{'s' if votes != 1 else ''}{status})",
            "",
            f"> {question['text']}",
            "",
        ]
        answer = answers.get(question["id"])
        if answer is not None:
            lines += ["**Answer from the panel:**", "", answer["text"], ""]
    return "\n".join(lines).strip() + "\n"


# --- The entry point ------------------------------------------------------------------


def sizes_for(scale: str, **overrides: int) -> Sizes:
    return replace(SCALES[scale], **{k: val for k, val in overrides.items() if val is not None})


def generate(
    scale: str = "small",
    seed: int = 42,
    *,
    people: int | None = None,
    groups: int | None = None,
    posts: int | None = None,
    conversations: int | None = None,
    now: datetime | None = None,
    progress: bool = True,
    echo: Callable[[str], None] = click.echo,
) -> Result:
    """Fill the (empty) database of the current app at `scale`; sizes may be overridden."""
    from hub.auth.models import User
    from hub.auth.passwords import hash_password
    from hub.db import utcnow
    from hub.extensions import db

    sizes = sizes_for(scale, people=people, groups=groups, posts=posts, conversations=conversations)
    if sizes.people < 2 or sizes.groups < 1:
        raise ValueError("Generate at least 2 people and 1 group.")
    now = now or utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    started = time.perf_counter()
    db.session.remove()
    engine = sa.create_engine(db.engine.url)  # its own pool, so the pragmas do not leak
    try:
        with engine.connect() as conn:
            if conn.scalar(sa.select(User.id).limit(1)) is not None:
                raise click.ClickException(
                    "The database has people already: generated data needs an empty one "
                    "(a fresh HUB_DATA_DIR, or a new database)."
                )
            missing = sorted(set(db.metadata.tables) - set(sa.inspect(conn).get_table_names()))
            if missing:
                raise click.ClickException(
                    f"The schema lacks tables {', '.join(missing)}: run `flask db upgrade` "
                    "(or, while migrations lag the models, create the tables with "
                    "db.create_all()) first."
                )
            conn.rollback()
            if conn.dialect.name == "sqlite":
                for pragma in (
                    "synchronous=OFF",
                    "foreign_keys=OFF",
                    "cache_size=-262144",
                    "temp_store=MEMORY",
                ):
                    conn.exec_driver_sql(f"PRAGMA {pragma}")
            plan = _Plan(conn, sizes, seed, now, progress)
            password_hash = hash_password(SEED_PASSWORD)
            _people(plan, password_hash)
            _connections(plan)
            _groups(plan)
            _requests_and_invitations(plan)
            _conversations(plan)
            _notifications(plan)
            skipped = []
            for step in (generate_forum, generate_suggestions, generate_library, generate_live):
                skipped += step(plan)
            _recount(conn)
            _finish(conn)
    finally:
        engine.dispose()
    return Result(
        scale=scale,
        seed=seed,
        password=SEED_PASSWORD,
        bench_email=plan.people[0].email,
        admin_email=plan.people[1].email,
        bench_groups=plan.bench_group_count,
        counts=plan.counts,
        seconds=time.perf_counter() - started,
        skipped=skipped,
    )


def _recount(conn: Connection) -> None:
    """The counts the services keep as people write (a group's posts, files and sessions;
    each finder word's holders), from the rows written in bulk."""
    from hub.groups.service import recount_group_content
    from hub.people.models import recount_word_holders

    recount_group_content(conn)
    recount_word_holders(conn)
    conn.commit()


def _finish(conn: Connection) -> None:
    """Move PostgreSQL's id sequences past the explicit ids; gather planner statistics."""
    from hub.extensions import db

    if conn.dialect.name == "postgresql":
        for table in db.metadata.sorted_tables:
            pk = list(table.primary_key.columns)
            if len(pk) == 1 and isinstance(pk[0].type, sa.Integer) and pk[0].autoincrement:
                conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                        f"COALESCE((SELECT max({pk[0].name}) FROM {table.name}), 0) + 1, false)"
                    )
                )
        conn.commit()
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    else:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
