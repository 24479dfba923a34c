"""The discharge summary's layout: a section heading never ends a page, whatever the length of
what comes before it."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from io import BytesIO
from itertools import pairwise

from pypdf import PdfReader

from facilitator.documents.common import DocumentKind, Provenance
from facilitator.documents.discharge_summary import DischargeSummaryDocument
from facilitator.domain.discharge_summary import GoalOutcome, TopicDone
from facilitator.domain.trends import Trends
from reports import discharge_summary
from tests.unit.test_discharge_summary_content import ADMITTED, DISCHARGED, summary

HEADINGS = ("Attendance", "Outcome measures", "Treatment plan goals", "Transition plan")
PROVENANCE = Provenance(
    uuid.UUID(int=1), DocumentKind.DISCHARGE_SUMMARY, "clinic", datetime.now(UTC), "Adult IOP"
)
TRENDS = Trends(ADMITTED, DISCHARGED, (), (), (), ())


def headings_ending_a_page(topics: int) -> list[str]:
    content = replace(
        summary(TRENDS),
        topics=tuple(
            TopicDone("CBT", f"Topic {n}", ADMITTED + timedelta(days=n)) for n in range(topics)
        ),
        goals=tuple(GoalOutcome(f"Goal {n}", "active") for n in range(3)),
    )
    document = DischargeSummaryDocument(PROVENANCE, uuid.UUID(int=2), content, None, TRENDS)
    pdf = discharge_summary.build(document)
    found = []
    for page in PdfReader(BytesIO(pdf.data)).pages:
        for line, after in pairwise((page.extract_text() or "").splitlines()):
            heading = line in HEADINGS or line.startswith("Curriculum topics completed")
            if heading and after.startswith("This record"):  # the page's notice
                found.append(line)
    return found


def test_no_section_heading_is_left_at_the_foot_of_a_page() -> None:
    for topics in range(20, 56, 3):  # the goals and the plan move down the pages
        assert headings_ending_a_page(topics) == [], topics
