"""Demo review panel: three reviewers on the panel of the apartment-repair call, closed and under review
(the call and the panel's sheets and shortlist: devtools/demo/reviews.py; its applications:
devtools/demo/applicants.py), one of them its chair. Each has declared their conflicts of interest
(challenges/conflicts.py); one declared a conflict with an applicant organisation, whose application
they therefore never see nor score (challenges/panels.py).

The reviewers are members of the "Challenge reviewers" group (so `setup_groups` must have run) with an
unusable password: an administrator sets one in Settings > Users to log in as them. Each row is
found again by a stable key (the username; the challenge and the user), so running the demo twice
creates nothing twice, and a declaration a person changed in the admin is left as they saved it.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from challenges.conflicts import organisations
from challenges.models import ChallengePage, Conflict, ConflictDeclaration, PanelMember
from challenges.models.review import REVIEWERS_GROUP
from devtools.demo.applicants import REVIEW_CALL
from devtools.demo.challenges import at

# The call the panel reviews: closed for applications, its stint not started, its applicants in the demo.
PANEL_CALL = REVIEW_CALL

# Days relative to the demo's build day (the call closed 12 days ago; see devtools/demo/reviews.py): the
# panel was appointed before the deadline, and declared its conflicts the day after it.
ASSIGNED_DAYS = -14
DECLARED_DAYS = -11

REVIEWERS = [
    {
        "username": "reviewer.amara",
        "first_name": "Amara",
        "last_name": "Boateng",
        "email": "amara.boateng@example.com",
        "is_chair": True,
        "conflicts": [],
    },
    {
        "username": "reviewer.ben",
        "first_name": "Ben",
        "last_name": "Kowalski",
        "email": "ben.kowalski@example.com",
        "is_chair": False,
        # He advised this applicant on an earlier bid: he does not see or review its application.
        "conflicts": ["Bylaw Bridge Ltd."],
    },
    {
        "username": "reviewer.chloe",
        "first_name": "Chloé",
        "last_name": "Gagnon",
        "email": "chloe.gagnon@example.com",
        "is_chair": False,
        "conflicts": [],
    },
]


def load_reviewer(spec: dict, group: Group):
    """The reviewer's account, created once with an unusable password; always in the reviewers' group."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=spec["username"]).first()
    if user is None:
        user = user_model(
            username=spec["username"],
            first_name=spec["first_name"],
            last_name=spec["last_name"],
            email=spec["email"],
        )
        user.set_unusable_password()
        user.save()
    user.groups.add(group)
    return user


def load_declaration(challenge: ChallengePage, user, conflict_names: list[str]) -> ConflictDeclaration:
    """The reviewer's declaration for `challenge`, covering the applications received until it was made,
    with a Conflict row per application of each organisation named (in any language version of the
    call, whatever the case of its name: as challenges.conflicts.DeclareConflictsView records them)."""
    key = challenge.translation_key
    existing = ConflictDeclaration.objects.filter(user=user, challenge__translation_key=key).first()
    if existing is not None:
        return existing
    declared_at = at(DECLARED_DAYS, 10)
    declaration = ConflictDeclaration.objects.create(
        challenge=challenge, user=user, declared_at=declared_at, covers_until=declared_at
    )
    chosen = {name.casefold() for name in conflict_names}
    Conflict.objects.bulk_create(
        [
            Conflict(declaration=declaration, application_id=pk, user=user)
            for entry in organisations(challenge)
            if entry["name"].casefold() in chosen
            for pk in entry["ids"]
        ]
    )
    return declaration


def load(challenge_index) -> dict:
    """The demo panel (after the applicants and the roles' groups exist). Returns the challenge, its
    members and their declarations, or an empty dict when the call is not in the demo."""
    challenge = ChallengePage.objects.child_of(challenge_index).filter(slug=PANEL_CALL).first()
    if challenge is None:
        return {}
    group = Group.objects.get(name=REVIEWERS_GROUP)
    members, declarations = [], []
    for position, spec in enumerate(REVIEWERS):
        user = load_reviewer(spec, group)
        member, _created = PanelMember.objects.get_or_create(
            challenge=challenge,
            user=user,
            defaults={
                "is_chair": spec["is_chair"],
                "assigned_at": at(ASSIGNED_DAYS, 9) + datetime.timedelta(minutes=position),
            },
        )
        members.append(member)
        declarations.append(load_declaration(challenge, user, spec["conflicts"]))
    return {"challenge": challenge, "members": members, "declarations": declarations}
