"""The data generator: counts, consistency, determinism, and that its people can sign in."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from hub.auth.models import User, UserExpertise
from hub.extensions import db
from hub.forum.models import Post, Thread
from hub.groups.models import Group, Membership
from hub.library.models import LibraryFile
from hub.live.models import LivePanelist, LiveQuestion, LiveSession, LiveVote
from hub.messages.models import Conversation, Message
from hub.notifications.models import Notification
from hub.people.models import Connection, PersonTerm, PersonTermCount, write_person_terms
from hub.seeding import SEED_PASSWORD, generate
from hub.suggestions.models import Suggestion

TINY = {"people": 200, "groups": 10, "posts": 300, "conversations": 40}


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _people() -> list[tuple[str, str]]:
    return list(db.session.execute(sa.select(User.name, User.email).order_by(User.id)))


def _empty_every_table() -> None:
    db.session.remove()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def test_small_generator_at_tiny_size(app):
    with app.app_context():
        result = generate("small", seed=7, progress=False, **TINY)

        assert _count(User) == 200 == result.counts["users"]
        assert _count(Group) == 10
        assert _count(UserExpertise) >= 200
        assert _count(Connection) > 0
        assert _count(Conversation) == 40
        assert _count(Message) >= 40
        assert _count(Notification) > 0
        assert _count(Membership) == result.counts["memberships"]
        transcripts = _count(sa.select(LiveSession).where(LiveSession.status == "ended").subquery())
        assert _count(Post) == 300 + transcripts
        assert _count(Suggestion) == result.counts["suggestions"]

        # Each thread's post_count and last_post_at agree with its posts; one opening post.
        threads = db.session.execute(
            sa.select(Thread.id, Thread.post_count, Thread.last_post_at)
        ).all()
        stats = {
            row.thread_id: row
            for row in db.session.execute(
                sa.select(
                    Post.thread_id,
                    sa.func.count().label("posts"),
                    sa.func.max(Post.created_at).label("last"),
                    sa.func.sum(sa.case((Post.is_opening, 1), else_=0)).label("openings"),
                ).group_by(Post.thread_id)
            )
        }
        assert len(threads) == len(stats) > 0
        for thread_id, post_count, last_post_at in threads:
            assert stats[thread_id].posts == post_count
            assert stats[thread_id].last == last_post_at
            assert stats[thread_id].openings == 1
        # Authors of posts are members of the post's group.
        outsiders = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Post)
            .outerjoin(
                Membership,
                sa.and_(Membership.group_id == Post.group_id, Membership.user_id == Post.author_id),
            )
            .where(Membership.user_id.is_(None))
        )
        assert outsiders == 0

        # member_count agrees with the memberships of every group.
        counted = dict(
            db.session.execute(
                sa.select(Membership.group_id, sa.func.count()).group_by(Membership.group_id)
            ).all()
        )
        for group_id, member_count in db.session.execute(sa.select(Group.id, Group.member_count)):
            assert counted.get(group_id, 0) == member_count
        # So do the counts of posts, files and live sessions the feed sums.
        for column, model in (
            (Group.post_count, Post),
            (Group.file_count, LibraryFile),
            (Group.session_count, LiveSession),
        ):
            rows = dict(
                db.session.execute(
                    sa.select(model.group_id, sa.func.count()).group_by(model.group_id)
                ).all()
            )
            kept = dict(db.session.execute(sa.select(Group.id, column)).all())
            assert kept == {group_id: rows.get(group_id, 0) for group_id in kept}
            assert sum(kept.values()) == _count(model) > 0
        # Each group has exactly one owner, who created it.
        owners = db.session.execute(
            sa.select(Membership.group_id, Membership.user_id).where(Membership.role == "owner")
        ).all()
        assert len(owners) == 10
        creators = dict(db.session.execute(sa.select(Group.id, Group.created_by_id)).all())
        assert all(creators[group_id] == user_id for group_id, user_id in owners)

        # The benchmark person belongs to every group here (fewer than 20 exist).
        bench = db.session.scalar(sa.select(User).where(User.email == result.bench_email))
        assert bench.id == 1
        assert result.bench_groups == 10
        assert _count(sa.select(Membership).where(Membership.user_id == 1).subquery()) == 10


def test_generated_finder_words_are_the_ones_the_application_writes(app):
    """Active people's words, none of the deactivated (about 1 in 100 people here)."""
    with app.app_context():
        generate("small", seed=7, progress=False, **{**TINY, "people": 800})

        def finder_words():
            return set(
                db.session.execute(sa.select(PersonTerm.term, PersonTerm.user_id, PersonTerm.name))
            )

        def holders():
            counts = sa.select(PersonTermCount.term, PersonTermCount.holders)
            return dict(db.session.execute(counts).all())

        generated, generated_holders = finder_words(), holders()
        deactivated = set(
            db.session.scalars(sa.select(User.id).where(User.deactivated_at.is_not(None)))
        )
        assert deactivated and generated
        assert not {user_id for _term, user_id, _name in generated} & deactivated
        names = dict(db.session.execute(sa.select(User.id, User.name)).all())
        assert all(name == names[user_id] for _term, user_id, name in generated)
        assert generated_holders == Counter(term for term, _user_id, _name in generated)
        write_person_terms(db.session.connection(), db.session.scalars(sa.select(User.id)))
        assert finder_words() == generated
        assert holders() == generated_holders


def test_generated_people_sign_in_with_the_shared_password(app, client):
    with app.app_context():
        result = generate("small", seed=3, progress=False, **TINY)
    login = client.post(
        "/api/v1/auth/login", json={"email": result.bench_email, "password": SEED_PASSWORD}
    )
    assert login.status_code == 200, login.json
    found = client.get("/api/v1/people", query_string={"q": "council"})
    assert found.status_code == 200
    assert found.json


def test_same_seed_same_data_other_seed_other_data(app):
    with app.app_context():
        generate("small", seed=11, progress=False, **TINY)
        first = _people()
        first_groups = list(db.session.scalars(sa.select(Group.name).order_by(Group.id)))
        first_members = set(db.session.execute(sa.select(Membership.group_id, Membership.user_id)))
        assert len({email for _, email in first}) == 200

        _empty_every_table()
        generate("small", seed=11, progress=False, **TINY)
        assert _people() == first
        assert list(db.session.scalars(sa.select(Group.name).order_by(Group.id))) == first_groups
        members = set(db.session.execute(sa.select(Membership.group_id, Membership.user_id)))
        assert members == first_members

        _empty_every_table()
        generate("small", seed=12, progress=False, **TINY)
        assert _people() != first


def test_seed_command_refuses_a_database_with_people(app):
    runner = app.test_cli_runner()
    with app.app_context():
        generate("small", seed=5, progress=False, **TINY)
        refused = runner.invoke(args=["hub", "seed", "--scale", "small"])
        skipped = runner.invoke(args=["hub", "seed", "--scale", "small", "--if-empty"])
    assert refused.exit_code != 0
    assert "empty" in refused.output
    assert skipped.exit_code == 0
    assert "not seeding" in skipped.output


def test_generated_live_sessions_hold_questions_and_transcripts(app):
    with app.app_context():
        generate("small", seed=7, progress=False, **TINY)

        sessions = db.session.scalars(sa.select(LiveSession)).all()
        assert len(sessions) == 20
        assert {s.status for s in sessions} <= {"scheduled", "live", "ended"}
        assert any(s.status == "ended" for s in sessions)
        assert _count(LiveQuestion) > 0
        # A question's vote_count is its votes.
        votes = dict(
            db.session.execute(
                sa.select(LiveVote.question_id, sa.func.count()).group_by(LiveVote.question_id)
            ).all()
        )
        for question_id, vote_count in db.session.execute(
            sa.select(LiveQuestion.id, LiveQuestion.vote_count)
        ):
            assert votes.get(question_id, 0) == vote_count
        # Panelists and askers are members of the session's group.
        members = set(db.session.execute(sa.select(Membership.group_id, Membership.user_id)))
        for session in sessions:
            for panelist in db.session.scalars(
                sa.select(LivePanelist.user_id).where(LivePanelist.session_id == session.id)
            ):
                assert (session.group_id, panelist) in members
            for author in db.session.scalars(
                sa.select(LiveQuestion.author_id).where(LiveQuestion.session_id == session.id)
            ):
                assert (session.group_id, author) in members
            # An ended session's transcript is a thread of its group listing its questions.
            if session.status == "ended":
                thread = db.session.get(Thread, session.transcript_thread_id)
                assert thread.group_id == session.group_id
                assert thread.title.startswith("Live session transcript: ")
                opening = db.session.scalar(
                    sa.select(Post.body).where(Post.thread_id == thread.id, Post.is_opening)
                )
                shown = db.session.scalar(
                    sa.select(sa.func.count())
                    .select_from(LiveQuestion)
                    .where(LiveQuestion.session_id == session.id, LiveQuestion.status == "visible")
                )
                assert f"## Questions ({shown}," in opening
            else:
                assert session.transcript_thread_id is None


def test_seeding_leaves_search_complete(app):
    runner = app.test_cli_runner()
    with app.app_context():  # as `flask` gives its commands
        seeded = runner.invoke(args=["hub", "seed", "--scale", "tiny"])
        checked = runner.invoke(args=["hub", "search", "check"])
    assert seeded.exit_code == 0, seeded.output
    assert "Indexed" in seeded.output
    assert checked.exit_code == 0, checked.output
    assert "The index matches the database." in checked.output
    assert "missing: 0" in checked.output
