"""Synthetic people for the demo clinic: invented names, goals and note sentences, and the
roster file that admits them (the CSV a clinic's roster import reads)."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

PER_GROUP = 14
FIRST_ADMISSION_WEEKS = 9  # the earliest admission; the latest is today
DISCHARGED_DAYS_AGO = 6  # each group's earliest admission completed the program then

FIRST_NAMES = (
    "Avery",
    "Blake",
    "Casey",
    "Dakota",
    "Elliot",
    "Finley",
    "Harper",
    "Jesse",
    "Kendall",
    "Logan",
    "Marley",
    "Noel",
    "Oakley",
    "Parker",
    "Quinn",
    "Reese",
    "Rowan",
    "Sawyer",
    "Skyler",
    "Tatum",
    "Emerson",
    "Hollis",
    "Jordan",
    "Lennox",
    "Micah",
    "Peyton",
    "Remy",
    "Shiloh",
    "Sutton",
    "Wren",
)
LAST_NAMES = (
    "Ashdown",
    "Brightwater",
    "Caldmore",
    "Dunlevy",
    "Eastbrook",
    "Fairholm",
    "Glenrowe",
    "Hartwell",
    "Ivesdale",
    "Junipero",
    "Kestrel",
    "Larkspur",
    "Marlowe",
    "Northcote",
    "Oakhurst",
    "Pellham",
    "Quarrington",
    "Redfern",
    "Stonebridge",
    "Thornbury",
    "Underhill",
    "Vantreece",
    "Westmoor",
    "Yardley",
    "Zellwood",
    "Ambrose",
    "Birchall",
    "Coldwell",
    "Dellacourt",
    "Everhart",
)
PREFERRED_NAMES = ("Al", "Bea", "Kit", "Jo", "Lou", "Max", "Tess", "Vic")
PRONOUNS = ("she/her", "he/him", "they/them", "she/her", "he/him")

GOALS = (
    "Identify three personal high-risk situations and a coping plan for each",
    "Attend at least two mutual-support meetings each week",
    "Practice one craving-management skill daily and log it",
    "Reduce days of alcohol use to zero as confirmed by self-report and testing",
    "Build a sober support list of at least four people and contact one weekly",
    "Use thought records to challenge all-or-nothing thinking twice a week",
    "Establish a regular sleep routine of seven hours on most nights",
    "Complete a written relapse-prevention plan and share it with the group",
    "Manage anxiety symptoms using breathing and grounding skills",
    "Re-engage with one meaningful activity unrelated to substance use",
    "Take prescribed medication as directed and discuss side effects with prescriber",
    "Improve communication with family using assertive 'I' statements",
)

RESPONSES = (
    "shared a recent example and linked it to the skill discussed",
    "identified two warning signs from the past week",
    "practised the skill in a role-play and described feeling more confident",
    "listened attentively and offered support to a peer",
    "expressed ambivalence about change but agreed to try the exercise",
    "completed the worksheet and reviewed it with the facilitator",
    "reported using the coping plan successfully over the weekend",
)
PLANS = (
    "Continue attending IOP as scheduled; practise the skill daily and report back.",
    "Complete the homework handout before the next session.",
    "Review the relapse-prevention plan with sponsor this week.",
    "Continue current plan; revisit goal progress at the weekly review.",
    "Track cravings daily on the log and bring it to group.",
)


@dataclass(frozen=True)
class Admission:
    """One participant of the demo's roster: their chart, group, admission, and the day they
    complete the program (None: still enrolled)."""

    chart_number: str
    group: str
    admitted: date
    completes: date | None


def roster(rng: random.Random, groups: Sequence[str], today: date) -> tuple[bytes, list[Admission]]:
    """The roster file admitting PER_GROUP people to each group, with admissions staggered from
    FIRST_ADMISSION_WEEKS weeks ago to today, and each person's admission, by group."""
    names = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    columns = ("chart_number", "first_name", "last_name", "preferred_name", "pronouns")
    writer.writerow((*columns, "date_of_birth", "group", "admitted", "goals"))
    admissions = []
    for group in groups:
        for index in range(PER_GROUP):
            first, last = names.pop()
            weeks_ago = FIRST_ADMISSION_WEEKS * (1 - index / (PER_GROUP - 1))
            admitted = today - timedelta(days=round(weeks_ago * 7))
            chart = f"IOP-{rng.randrange(10000, 99999)}-{index:02d}"
            born = date(rng.randrange(1960, 2004), rng.randrange(1, 13), rng.randrange(1, 29))
            goals = rng.sample(GOALS, k=rng.choice((2, 3)))
            writer.writerow(
                (
                    chart,
                    first,
                    last,
                    rng.choice(PREFERRED_NAMES) if index % 5 == 0 else "",
                    rng.choice(PRONOUNS),
                    born.isoformat(),
                    group,
                    admitted.isoformat(),
                    "|".join(goals),
                )
            )
            completes = today - timedelta(days=DISCHARGED_DAYS_AGO) if index == 0 else None
            admissions.append(Admission(chart, group, admitted, completes))
    return text.getvalue().encode(), admissions
