"""One modality's curriculum as a TOML file in the shape of resources/curriculum/*.toml
(`modality = "CBT"` and its [[topic]] tables), so clinics can share a curriculum."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.domain.clinic_setup import SetupError
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditTrail
from facilitator.services.config_document import Reader, read_topic, topic_data
from facilitator.services.curriculum_setup import (
    find_modality,
    ordered_topics,
    save_topic,
    topic_details,
)
from facilitator.storage.models import CurriculumTopic
from facilitator.toml_writer import dumps


@dataclass(frozen=True)
class CurriculumImport:
    modality: str
    added: int
    changed: int
    unchanged: int


def export_curriculum(session: Session, code: str) -> str:
    """The modality's topics, in order, as a curriculum file."""
    modality = find_modality(session, code.strip().upper())
    if modality is None:
        raise SetupError(f"There is no modality coded {code!r}.")
    return dumps(
        {
            "modality": modality.code,
            "topic": [topic_data(topic_details(t)) for t in ordered_topics(modality)],
        }
    )


def import_curriculum(
    session: Session, text: str, user: SignedInUser, audit: AuditTrail
) -> CurriculumImport:
    """Add the file's topics to its modality, or change the ones with the same title, in the
    caller's transaction (SetupError names the topic; the caller rolls everything back)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SetupError(f"This is not a valid TOML file: {error}.") from error
    reader = Reader(data, "The curriculum file", ("modality", "topic"))
    code = reader.required("modality").strip().upper()
    modality = find_modality(session, code)
    if modality is None:
        raise SetupError(f"There is no modality coded {code}: add the modality first.")
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    for index, raw in enumerate(reader.tables("topic"), start=1):
        where = f"topic {index}"
        topic = read_topic(raw, where)
        existing = session.scalars(
            select(CurriculumTopic).where(
                CurriculumTopic.modality_id == modality.id,
                CurriculumTopic.title == topic.title.strip(),
            )
        ).one_or_none()
        before = topic_details(existing) if existing is not None else None
        try:
            topic_id = save_topic(
                session, modality.id, existing.id if existing else None, topic, user, audit
            )
        except SetupError as error:
            raise SetupError(f"{where}: {error}") from error
        after = topic_details(session.get_one(CurriculumTopic, topic_id))
        status = "added" if before is None else "unchanged" if before == after else "changed"
        counts[status] += 1
    return CurriculumImport(code, **counts)
