"""Running a block: its actual times, its topic and its group note."""

from __future__ import annotations

import uuid
from datetime import time

import pytest
from sqlalchemy import select

from facilitator.app import Clinic
from facilitator.domain.errors import DomainError, InvalidTimesError
from facilitator.storage.models import CurriculumTopic
from tests.integration.runner.session_run import Run

# Block times ------------------------------------------------------------------------------


def test_start_and_end_record_actual_times(today: Run) -> None:
    block_id = today.block_id(1)
    today.runner.start_block(block_id, time(9, 4))
    today.runner.end_block(block_id, time(10, 2))
    sheet = today.sheet()
    block = sheet.blocks[0]
    assert (block.actual_start, block.actual_end) == (time(9, 4), time(10, 2))
    assert (block.planned.start, block.planned.end) == (time(9), time(10))
    assert (block.span.start, block.span.end) == (time(9, 4), time(10, 2))
    assert sheet.blocks[1].actual_start is None  # only that block


def test_end_before_start_is_refused(today: Run) -> None:
    block_id = today.block_id(1)
    today.runner.start_block(block_id, time(9, 10))
    with pytest.raises(InvalidTimesError):
        today.runner.end_block(block_id, time(9, 5))
    assert today.block(1).actual_end is None


def test_end_before_planned_start_is_refused_when_not_started(today: Run) -> None:
    with pytest.raises(InvalidTimesError):
        today.runner.end_block(today.block_id(1), time(8, 30))
    assert today.block(1).actual_end is None


def test_start_after_end_is_refused(today: Run) -> None:
    block_id = today.block_id(1)
    today.runner.start_block(block_id, time(9))
    today.runner.end_block(block_id, time(10))
    with pytest.raises(DomainError, match="already ended"):
        today.runner.start_block(block_id, time(10, 5))
    assert today.block(1).actual_start == time(9)


# Topic and group note ---------------------------------------------------------------------


def topics_by_modality(clinic: Clinic) -> dict[str, list[tuple[uuid.UUID, str]]]:
    with clinic.database.sessions() as session:
        found: dict[str, list[tuple[uuid.UUID, str]]] = {}
        for topic in session.scalars(select(CurriculumTopic)):
            found.setdefault(topic.modality.code, []).append((topic.id, topic.title))
    return found


def test_topic_of_the_blocks_modality_is_set(clinic: Clinic, today: Run) -> None:
    block = today.start.blocks[0]
    choices = [t for t in topics_by_modality(clinic)[block.modality_code] if t[0] != block.topic_id]
    topic_id, title = choices[0]
    today.runner.set_topic(block.block_id, topic_id)
    after = today.block(1)
    assert (after.topic_id, after.topic, after.free_topic) == (topic_id, title, None)


def test_topic_of_another_modality_is_refused(clinic: Clinic, today: Run) -> None:
    block = today.start.blocks[0]
    others = [
        topic
        for code, topics in topics_by_modality(clinic).items()
        if code != block.modality_code
        for topic in topics
    ]
    assert others
    with pytest.raises(DomainError, match="not in this block's curriculum"):
        today.runner.set_topic(block.block_id, others[0][0])
    with pytest.raises(DomainError, match="not in this block's curriculum"):
        today.runner.set_topic(block.block_id, uuid.uuid4())
    after = today.block(1)
    assert (after.topic_id, after.topic) == (block.topic_id, block.topic)


def test_free_topic_replaces_the_curriculum_topic(clinic: Clinic, today: Run) -> None:
    block_id = today.block_id(1)
    today.runner.set_topic(block_id, None, "  Coping with the holidays  ")
    after = today.block(1)
    assert (after.topic_id, after.free_topic) == (None, "Coping with the holidays")
    assert after.topic == "Coping with the holidays"
    topic_id, title = topics_by_modality(clinic)[after.modality_code][0]
    today.runner.set_topic(block_id, topic_id)  # and back to the curriculum
    again = today.block(1)
    assert (again.topic_id, again.topic, again.free_topic) == (topic_id, title, None)


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_empty_free_topic_is_refused(today: Run, empty: str | None) -> None:
    before = today.start.blocks[0]
    with pytest.raises(DomainError, match="Give the topic a title"):
        today.runner.set_topic(before.block_id, None, empty)
    after = today.block(1)
    assert (after.topic_id, after.topic) == (before.topic_id, before.topic)


def test_group_note_round_trip(today: Run) -> None:
    block = today.start.blocks[1]
    chosen = block.intervention_choices[:2]
    summary = "Group identified triggers and practised refusal skills in pairs."
    today.runner.save_group_note(block.block_id, chosen, "Grounding exercise", summary)
    sheet = today.sheet()
    after = sheet.blocks[1]
    assert after.interventions == chosen
    assert (after.other_interventions, after.group_note) == ("Grounding exercise", summary)
    assert sheet.blocks[0].group_note == ""  # the other blocks keep theirs
    today.runner.save_group_note(block.block_id, [], "", "Shortened group.")
    again = today.block(2)
    assert (again.interventions, again.other_interventions) == ((), "")
    assert again.group_note == "Shortened group."
