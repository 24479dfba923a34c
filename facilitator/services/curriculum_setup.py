"""Modalities and their curriculum as the clinic edits them: add, change and deactivate
modalities; add, change, reorder and remove topics."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from facilitator.domain.clinic_setup import (
    SetupError,
    check_modality_code,
    check_range,
    limited_text,
    required_text,
    text_list,
)
from facilitator.domain.notes import NoteStatus
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditTrail
from facilitator.services.setup_audit import (
    changes_between,
    record_setup_change,
    require_setup_administrator,
)
from facilitator.storage.models import (
    Block,
    BlockTemplate,
    CurriculumTopic,
    Group,
    Modality,
    ParticipantNote,
)


@dataclass(frozen=True)
class ModalityDetails:
    code: str
    name: str
    description: str = ""
    interventions: tuple[str, ...] = ()  # the pick list offered in the runner


@dataclass(frozen=True)
class TopicDetails:
    title: str
    order: int
    objectives: tuple[str, ...] = ()
    outline: str = ""
    handouts: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopicRow:
    id: uuid.UUID
    details: TopicDetails


@dataclass(frozen=True)
class ModalityRow:
    id: uuid.UUID
    details: ModalityDetails
    active: bool
    topics: tuple[TopicRow, ...]


def modality_details(modality: Modality) -> ModalityDetails:
    return ModalityDetails(
        modality.code,
        modality.name,
        modality.description,
        tuple(str(i) for i in modality.interventions),
    )


def topic_details(topic: CurriculumTopic) -> TopicDetails:
    return TopicDetails(
        topic.title,
        topic.sequence,
        tuple(str(o) for o in topic.objectives),
        topic.outline,
        tuple(str(h) for h in topic.handouts),
    )


def ordered_topics(modality: Modality) -> list[CurriculumTopic]:
    """The modality's topics in curriculum order (title breaking a tie)."""
    return sorted(modality.topics, key=lambda t: (t.sequence, t.title))


def modality_rows(session: Session) -> list[ModalityRow]:
    """Every modality, active or not, by code, with its topics in order."""
    return [
        ModalityRow(
            m.id,
            modality_details(m),
            m.active,
            tuple(TopicRow(t.id, topic_details(t)) for t in ordered_topics(m)),
        )
        for m in session.scalars(select(Modality).order_by(Modality.code))
    ]


def find_modality(session: Session, code: str) -> Modality | None:
    return session.scalars(select(Modality).where(Modality.code == code)).one_or_none()


def _modality_values(details: ModalityDetails) -> dict[str, object]:
    return {
        "code": details.code,
        "name": details.name,
        "description": details.description,
        "interventions": list(details.interventions),
    }


def save_modality(
    session: Session,
    modality_id: uuid.UUID | None,
    details: ModalityDetails,
    user: SignedInUser,
    audit: AuditTrail,
) -> uuid.UUID:
    """Add a modality (modality_id None) or change one (its code never changes)."""
    require_setup_administrator(user)
    code = check_modality_code(details.code)
    clean = ModalityDetails(
        code,
        required_text(f"Modality {code}: the name", details.name, 200),
        limited_text(f"Modality {code}: the description", details.description, 2000),
        text_list(f"Modality {code}: the interventions", list(details.interventions), 300),
    )
    after = _modality_values(clean)
    if modality_id is None:
        if find_modality(session, code) is not None:
            raise SetupError(f"There is already a modality coded {code}.")
        modality = Modality(**after)
        session.add(modality)
        session.flush()
        record_setup_change(
            session, audit, user, "modality", modality.id, "created", changes_between({}, after)
        )
        return modality.id
    stored = session.get(Modality, modality_id)
    if stored is None:
        raise SetupError("That modality no longer exists.")
    modality = stored
    if modality.code != code:
        raise SetupError(
            f"A modality's code never changes ({modality.code}); add a new modality instead."
        )
    changes = changes_between(_modality_values(modality_details(modality)), after)
    if changes:
        modality.name = clean.name
        modality.description = clean.description
        modality.interventions = list(clean.interventions)
        record_setup_change(session, audit, user, "modality", modality.id, "edited", changes)
    return modality.id


def set_modality_active(
    session: Session, modality_id: uuid.UUID, active: bool, user: SignedInUser, audit: AuditTrail
) -> None:
    """Deactivate a modality no open schedule uses (past blocks keep it), or reactivate it."""
    require_setup_administrator(user)
    modality = session.get(Modality, modality_id)
    if modality is None:
        raise SetupError("That modality no longer exists.")
    if modality.active == active:
        return
    if not active:
        groups = sorted(
            set(
                session.scalars(
                    select(Group.name)
                    .join(BlockTemplate, BlockTemplate.group_id == Group.id)
                    .where(
                        BlockTemplate.modality_id == modality.id,
                        BlockTemplate.effective_until.is_(None),
                        Group.active,
                    )
                )
            )
        )
        if groups:
            raise SetupError(
                f"The schedule of {', '.join(groups)} uses {modality.code}: change the "
                "schedule first."
            )
    modality.active = active
    change = "reactivated" if active else "deactivated"
    record_setup_change(
        session, audit, user, "modality", modality.id, change, {"active": (not active, active)}
    )


def _topic_values(details: TopicDetails) -> dict[str, object]:
    return {
        "title": details.title,
        "order": details.order,
        "objectives": list(details.objectives),
        "outline": details.outline,
        "handouts": list(details.handouts),
    }


def _in_signed_notes(session: Session, topic_id: uuid.UUID) -> bool:
    signed = exists().where(
        ParticipantNote.block_id == Block.id, ParticipantNote.status != NoteStatus.DRAFT.value
    )
    return bool(session.scalar(select(exists().where(Block.topic_id == topic_id, signed))))


def save_topic(
    session: Session,
    modality_id: uuid.UUID,
    topic_id: uuid.UUID | None,
    details: TopicDetails,
    user: SignedInUser,
    audit: AuditTrail,
) -> uuid.UUID:
    """Add a topic to a modality (topic_id None) or change one. A topic whose title signed
    notes show keeps that title (add a new topic instead)."""
    require_setup_administrator(user)
    modality = session.get(Modality, modality_id)
    if modality is None:
        raise SetupError("That modality no longer exists.")
    title = required_text(f"{modality.code}: the topic's title", details.title, 300)
    what = f"{modality.code} topic {title!r}"
    clean = TopicDetails(
        title,
        check_range(f"{what}: the order", details.order, 1, 999),
        text_list(f"{what}: the objectives", list(details.objectives)),
        limited_text(f"{what}: the outline", details.outline, 10000),
        text_list(f"{what}: the handouts", list(details.handouts), 300),
    )
    topic = session.get(CurriculumTopic, topic_id) if topic_id is not None else None
    if topic_id is not None and (topic is None or topic.modality_id != modality.id):
        raise SetupError(f"{what} no longer exists.")
    same = session.scalars(
        select(CurriculumTopic).where(
            CurriculumTopic.modality_id == modality.id, CurriculumTopic.title == title
        )
    ).one_or_none()
    if same is not None and same is not topic:
        raise SetupError(f"{modality.code} already has a topic titled {title!r}.")
    after = _topic_values(clean)
    if topic is None:
        topic = CurriculumTopic(
            modality_id=modality.id,
            sequence=clean.order,
            title=title,
            objectives=list(clean.objectives),
            outline=clean.outline,
            handouts=list(clean.handouts),
        )
        session.add(topic)
        session.flush()
        record_setup_change(
            session,
            audit,
            user,
            "curriculum_topic",
            topic.id,
            "created",
            changes_between({}, after),
        )
        return topic.id
    changes = changes_between(_topic_values(topic_details(topic)), after)
    if not changes:
        return topic.id
    if "title" in changes and _in_signed_notes(session, topic.id):
        raise SetupError(
            f"Signed notes show the title of {modality.code} topic {topic.title!r}: it cannot "
            "change. Add a new topic instead."
        )
    topic.title = title
    topic.sequence = clean.order
    topic.objectives = list(clean.objectives)
    topic.outline = clean.outline
    topic.handouts = list(clean.handouts)
    record_setup_change(session, audit, user, "curriculum_topic", topic.id, "edited", changes)
    return topic.id


def remove_topic(
    session: Session, topic_id: uuid.UUID, user: SignedInUser, audit: AuditTrail
) -> None:
    """Remove a topic no block has covered (one that was covered stays in the records)."""
    require_setup_administrator(user)
    topic = session.get(CurriculumTopic, topic_id)
    if topic is None:
        raise SetupError("That topic no longer exists.")
    if session.scalar(select(exists().where(Block.topic_id == topic.id))):
        raise SetupError(
            f"Sessions have covered {topic.title!r}: it stays in the curriculum so their "
            "records keep it."
        )
    record_setup_change(
        session,
        audit,
        user,
        "curriculum_topic",
        topic.id,
        "removed",
        changes_between(_topic_values(topic_details(topic)), {}),
    )
    session.delete(topic)
