"""Demo groups on real local-government subjects, with members, threads, replies and ideas.

Everything goes through the services, so the demo holds what real use leaves behind
(member counts, notifications, search documents).
"""

from __future__ import annotations

from hub.auth.models import User
from hub.forum import service as forum
from hub.groups import service
from hub.suggestions import service as suggestions

# name, visibility, owner (index in the demo people), tags, description
GROUPS = [
    (
        "Health and Wellbeing Strategy",
        "open",
        0,
        ["public health", "health and wellbeing"],
        "Joint strategic needs assessments, health and wellbeing boards and the strategies they "
        "agree: share what has worked in your area.",
    ),
    (
        "Flood Risk Management",
        "open",
        2,
        ["flood risk", "climate adaptation"],
        "Lead local flood authorities comparing surface water plans, Section 19 investigations "
        "and community flood resilience.",
    ),
    (
        "Community Budgets",
        "open",
        5,
        ["community budgets", "place-based working"],
        "Pooling budgets across public services in a place: whole-place and neighbourhood pilots.",
    ),
    (
        "Children's Commissioning Network",
        "restricted",
        3,
        ["children's commissioning"],
        "Commissioners of children's services: placements sufficiency, early help and "
        "market shaping. Ask to join.",
    ),
    (
        "Housing and Homelessness",
        "restricted",
        7,
        ["housing", "homelessness"],
        "Temporary accommodation, prevention duties and housing strategies.",
    ),
    (
        "Police and Crime Panels",
        "private",
        4,
        ["police and crime panels", "scrutiny"],
        "Members and support officers of police and crime panels. By invitation.",
    ),
    (
        "Performance and Benchmarking Leads",
        "private",
        6,
        ["performance", "benchmarking"],
        "Performance leads sharing indicators, LG Inform reports and benchmarking methods.",
    ),
    (
        "Peer Challenge Planning Team",
        "hidden",
        8,
        ["peer challenge"],
        "The team planning next spring's corporate peer challenges.",
    ),
    (
        "Digital Leaders Steering Group",
        "hidden",
        9,
        ["digital"],
        "Steering group for the regional digital leaders programme.",
    ),
]

# group index -> people (indexes) who join; for restricted groups they ask and are approved,
# for private and hidden groups they are invited first.
MEMBERS = {
    0: [1, 3, 6, 8, 9],
    1: [0, 5, 7, 9],
    2: [0, 1, 2, 8],
    3: [0, 6, 8],
    4: [1, 5, 9],
    5: [8, 1, 6],
    6: [0, 8, 9],
    7: [0, 6],
    8: [6, 2],
}
PENDING_REQUESTS = {3: [9], 4: [2]}

THREADS = [
    # group, author, title, body, replies [(author, body)]
    (
        0,
        0,
        "Refreshing the JSNA: what did you change?",
        "We are refreshing our **joint strategic needs assessment** this year. What did you "
        "change the last time round, and what would you drop?",
        [
            (1, "We moved to a rolling JSNA with a chapter a quarter. Far easier to keep current."),
            (6, "Publish the data as open data alongside the narrative: our analysts save days."),
        ],
    ),
    (
        0,
        3,
        "Health and wellbeing board development sessions",
        "Has anyone run development sessions for a new board? Looking for facilitators.",
        [(8, "The LGA's health and wellbeing improvement team ran ours; happy to share notes.")],
    ),
    (
        1,
        2,
        "Section 19 flood investigations: templates",
        "Sharing our Section 19 report template; how do others scope investigations after "
        "surface water flooding?",
        [
            (
                5,
                "We scope by internal property floods first, then critical infrastructure.",
            ),
            (7, "Worth linking to the local flood risk management strategy in every report."),
        ],
    ),
    (
        2,
        5,
        "Measuring savings from a whole-place community budget",
        "How have you evidenced savings from pooled budgets? Our finance team wants a method.",
        [(0, "We used a cost-benefit model agreed with partners before the pilot began.")],
    ),
    (
        3,
        3,
        "Placement sufficiency strategies",
        "Our sufficiency strategy is due. What data did you find most persuasive for members?",
        [(6, "Projected demand against in-house capacity, by age band, made the case.")],
    ),
    (
        5,
        4,
        "Scrutinising the police and crime plan",
        "Ideas for making the annual review of the police and crime plan more than a formality?",
        [(8, "Set key lines of enquiry with the commissioner's office a month before.")],
    ),
    (
        7,
        8,
        "Peer challenge dates for spring",
        "Proposed weeks for the corporate peer challenges are in the library. Any clashes?",
        [(0, "The week of 16 March clashes with our budget council; any other week works.")],
    ),
]

SUGGESTIONS = [
    # group, author, title, body, voters, the statuses the owner moves it through
    (
        0,
        1,
        "A shared library of JSNA chapters",
        "Let's each upload our latest JSNA chapters so that we can compare approaches.",
        [0, 3, 6],
        ["under_review", "accepted"],
    ),
    (
        0,
        6,
        "Quarterly online Q&A with a public health director",
        "A live session each quarter where a director of public health answers questions.",
        [1, 9],
        ["under_review"],
    ),
    (
        1,
        7,
        "Common template for Section 19 reports",
        "Agree one template across lead local flood authorities in the region.",
        [0, 2, 5],
        [],
    ),
    (
        2,
        8,
        "Case studies of community budget pilots",
        "Collect short case studies, one page each, from every pilot area.",
        [0, 1],
        ["under_review", "accepted", "implemented"],
    ),
]


def seed_groups_demo(people: list[User]) -> None:
    """Create the demo groups and their content, acting as the demo people."""
    groups = []
    for name, visibility, owner, tags, description in GROUPS:
        groups.append(
            service.create_group(
                people[owner],
                {"name": name, "visibility": visibility, "tags": tags, "description": description},
            )
        )
    for index, member_indexes in MEMBERS.items():
        _add_members(groups[index], people[GROUPS[index][2]], [people[i] for i in member_indexes])
    for index, requesters in PENDING_REQUESTS.items():
        for requester in requesters:
            service.join_group(people[requester], groups[index].id)
    for group_index, author, title, body, replies in THREADS:
        thread = forum.create_thread(people[author], groups[group_index].id, title, body)
        for replier, text in replies:
            forum.create_post(people[replier], thread.id, text, None)
    for group_index, author, title, body, voters, statuses in SUGGESTIONS:
        idea = suggestions.create_suggestion(people[author], groups[group_index].id, title, body)
        for voter in voters:
            suggestions.vote(people[voter], idea.id)
        for status in statuses:
            suggestions.change_status(people[GROUPS[group_index][2]], idea.id, status)


def _add_members(group, owner: User, members: list[User]) -> None:
    for member in members:
        if group.visibility in ("private", "hidden"):
            service.invite(owner, group.id, member.id)
        outcome = service.join_group(member, group.id)
        if outcome == "pending":
            service.approve_join_request(owner, group.id, member.id)
