"""Demo data for `make run`: people from a few councils, their networks, messages, groups,
libraries and live sessions."""

from __future__ import annotations

from hub import outbox
from hub.auth.models import User, UserExpertise
from hub.auth.passwords import hash_password
from hub.db import utcnow
from hub.extensions import db
from hub.groups.demo import seed_groups_demo
from hub.library.demo import seed_library_demo
from hub.live.demo import seed_live_demo
from hub.messages.service import start_conversation
from hub.people.models import Connection

DEMO_PASSWORD = "demo-knowledge-hub"

DEMO_PEOPLE = [
    # email, name, role, organisation, job title, region, expertise
    (
        "amira.khan@camden.gov.uk",
        "Amira Khan",
        "officer",
        "London Borough of Camden",
        "Head of Public Health Strategy",
        "London",
        ["public health", "health and wellbeing"],
    ),
    (
        "cllr.david.price@leeds.gov.uk",
        "Cllr David Price",
        "councillor",
        "Leeds City Council",
        "Executive Member for Adult Social Care",
        "Yorkshire and the Humber",
        ["adult social care", "integration"],
    ),
    (
        "sarah.owen@somerset.gov.uk",
        "Sarah Owen",
        "officer",
        "Somerset Council",
        "Flood Risk Manager",
        "South West",
        ["flood risk", "climate adaptation"],
    ),
    (
        "tom.hughes@manchester.gov.uk",
        "Tom Hughes",
        "officer",
        "Manchester City Council",
        "Commissioning Manager, Children's Services",
        "North West",
        ["children's commissioning", "early help"],
    ),
    (
        "cllr.priya.shah@leicester.gov.uk",
        "Cllr Priya Shah",
        "councillor",
        "Leicester City Council",
        "Chair, Police and Crime Panel",
        "East Midlands",
        ["police and crime panels", "scrutiny"],
    ),
    (
        "gareth.jones@cardiff.gov.uk",
        "Gareth Jones",
        "officer",
        "Cardiff Council",
        "Community Budgets Programme Lead",
        "Wales",
        ["community budgets", "place-based working"],
    ),
    (
        "helen.baker@norfolk.gov.uk",
        "Helen Baker",
        "officer",
        "Norfolk County Council",
        "Performance and Intelligence Manager",
        "East of England",
        ["performance", "benchmarking", "data"],
    ),
    (
        "cllr.james.murray@bristol.gov.uk",
        "Cllr James Murray",
        "councillor",
        "Bristol City Council",
        "Cabinet Member for Housing",
        "South West",
        ["housing", "homelessness"],
    ),
    (
        "fiona.clark@local.gov.uk",
        "Fiona Clark",
        "officer",
        "Local Government Association",
        "Sector-led Improvement Adviser",
        "London",
        ["peer challenge", "sector-led improvement"],
    ),
    (
        "ben.wright@kent.gov.uk",
        "Ben Wright",
        "officer",
        "Kent County Council",
        "Digital Services Manager",
        "South East",
        ["digital", "service design"],
    ),
]

DEMO_CONNECTIONS = [(0, 1), (0, 8), (1, 8), (2, 5), (3, 0), (4, 8), (6, 8), (7, 1), (9, 6)]
DEMO_PENDING = [(2, 0), (9, 0)]  # (asker, asked)


def seed_demo() -> str:
    """Create the demo people, connections and conversations; returns the demo sign-in email."""
    now = utcnow()
    password_hash = hash_password(DEMO_PASSWORD)
    people = []
    for email, name, role, organisation, title, region, expertise in DEMO_PEOPLE:
        person = User(
            email=email,
            name=name,
            role=role,
            organisation=organisation,
            job_title=title,
            region=region,
            password_hash=password_hash,
            email_verified_at=now,
            approved_at=now,
            bio=f"{title} at {organisation}. Happy to share what has worked for us.",
            expertise=[UserExpertise(tag=tag) for tag in expertise],
        )
        people.append(person)
    people[8].is_admin = True
    db.session.add_all(people)
    db.session.flush()
    from hub.text import render_markdown

    for person in people:
        person.bio_html = render_markdown(person.bio)
    for pairs, status in ((DEMO_CONNECTIONS, "connected"), (DEMO_PENDING, "pending")):
        for a, b in pairs:
            asker, asked = people[a], people[b]
            low, high = sorted((asker.id, asked.id))
            db.session.add(
                Connection(
                    user_low_id=low,
                    user_high_id=high,
                    requested_by_id=asker.id,
                    status=status,
                    connected_at=now if status == "connected" else None,
                )
            )
    db.session.commit()
    start_conversation(
        people[1],
        [people[0].id],
        "Amira, could you share the JSNA template you mentioned at the LGA event?",
    )
    start_conversation(
        people[0],
        [people[1].id],
        "Of course, I'll put it in the Health and Wellbeing group library.",
    )
    start_conversation(
        people[8],
        [people[0].id, people[6].id],
        "Planning the **peer challenge** for next spring: are you both free in March?",
    )
    seed_groups_demo(people)
    seed_library_demo()
    seed_live_demo()
    # The demo people are made up: the notification emails their activity queued would
    # only print dozens of mails over the sign-in line.
    outbox.discard_pending("mail")
    return people[0].email
