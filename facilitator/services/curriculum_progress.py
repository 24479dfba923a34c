"""Which curriculum topics a participant has covered and which are still to come."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from facilitator.domain.progress import topics_to_cover
from facilitator.storage.models import Block, CurriculumTopic, Group, GroupSession, Modality


class TopicRef(NamedTuple):
    """A curriculum topic as the participant record reads it: plain columns, no ORM object."""

    topic_id: uuid.UUID
    modality_id: uuid.UUID
    modality: str
    sequence: int
    title: str


@dataclass(frozen=True)
class CoveredTopic:
    modality: str
    sequence: int
    title: str
    dates: tuple[date, ...]


@dataclass(frozen=True)
class TopicToCover:
    modality: str
    order: int  # 1 for the next topic of this modality the person has not had
    sequence: int
    title: str


def covered_topics(attended: Sequence[tuple[TopicRef, date]]) -> tuple[CoveredTopic, ...]:
    """Each topic of the blocks attended, in the order first covered, with every date."""
    dates: dict[TopicRef, list[date]] = {}
    for topic, day in attended:
        dates.setdefault(topic, []).append(day)
    return tuple(
        CoveredTopic(topic.modality, topic.sequence, topic.title, tuple(days))
        for topic, days in dates.items()
    )


def still_to_cover(
    session: Session, group: Group, attended: Sequence[tuple[TopicRef, date]], today: date
) -> tuple[TopicToCover, ...]:
    """Topics of the modalities on the group's schedule not yet covered, in cycle order.

    `attended` is in time order. Each modality's cycle resumes after the last topic the person
    covered in it; in a modality they have not had yet, after the topic the group last held, as
    a new admission joins the cycle wherever the group is.
    """
    modality_ids = list(dict.fromkeys(t.modality_id for t in group.schedule))
    topics = [
        TopicRef(*row)
        for row in session.execute(
            select(
                CurriculumTopic.id,
                CurriculumTopic.modality_id,
                Modality.name,
                CurriculumTopic.sequence,
                CurriculumTopic.title,
            )
            .join(Modality, CurriculumTopic.modality_id == Modality.id)
            .where(CurriculumTopic.modality_id.in_(modality_ids))
            .order_by(CurriculumTopic.sequence)
        )
    ]
    covered = {topic.topic_id for topic, _ in attended}
    last = {topic.modality_id: topic.topic_id for topic, _ in attended}
    missing = [m for m in modality_ids if m not in last]
    if missing:
        last |= _group_positions(session, group.id, missing, today)
    by_id = {t.topic_id: t for t in topics}
    found = []
    for modality_id in modality_ids:
        cycle = [t.topic_id for t in topics if t.modality_id == modality_id]
        still = topics_to_cover(cycle, covered, last.get(modality_id))
        for order, topic_id in enumerate(still, start=1):
            topic = by_id[topic_id]
            found.append(TopicToCover(topic.modality, order, topic.sequence, topic.title))
    return tuple(found)


def _group_positions(
    session: Session, group_id: uuid.UUID, modality_ids: Sequence[uuid.UUID], today: date
) -> dict[uuid.UUID, uuid.UUID]:
    """For each modality, the curriculum topic of the group's latest block before today.

    One newest-first, LIMIT 1 lookup per modality, in a single statement: each walks the
    (group, day) index back from today and stops at the first match, however long the history.
    """
    latest = [
        select(Block.modality_id, Block.topic_id)
        .join(GroupSession, Block.session_id == GroupSession.id)
        .where(
            GroupSession.group_id == group_id,
            GroupSession.day < today,
            Block.modality_id == modality_id,
            Block.topic_id.is_not(None),
        )
        .order_by(GroupSession.day.desc(), Block.sequence.desc())
        .limit(1)
        .subquery()
        .select()
        for modality_id in modality_ids
    ]
    return {modality_id: topic_id for modality_id, topic_id in session.execute(union_all(*latest))}
