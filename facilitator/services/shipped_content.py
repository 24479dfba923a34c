"""Install the curriculum and modalities that ship with the app into a clinic database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator import content
from facilitator.services.note_templates import install_shipped_templates
from facilitator.storage.models import CurriculumTopic, Measure, Modality


def install_shipped_content(session: Session) -> int:
    """Add shipped modalities, topics, measures and note templates the database lacks;
    return how many rows were added.

    Existing rows are never changed, so a clinic's own edits survive an upgrade.
    """
    added = 0
    by_code = {m.code: m for m in session.scalars(select(Modality))}
    for shipped in content.modalities():
        if shipped.code not in by_code:
            modality = Modality(
                code=shipped.code,
                name=shipped.name,
                description=shipped.description,
                interventions=list(shipped.interventions),
            )
            session.add(modality)
            by_code[shipped.code] = modality
            added += 1
    session.flush()
    existing = {(t.modality_id, t.title) for t in session.scalars(select(CurriculumTopic))}
    for topic in content.curriculum():
        modality = by_code[topic.modality]
        if (modality.id, topic.title) in existing:
            continue
        session.add(
            CurriculumTopic(
                modality_id=modality.id,
                sequence=topic.order,
                title=topic.title,
                objectives=list(topic.objectives),
                outline=topic.outline,
                handouts=list(topic.handouts),
            )
        )
        added += 1
    return added + _install_measures(session) + install_shipped_templates(session)


def _install_measures(session: Session) -> int:
    codes = set(session.scalars(select(Measure.code)))
    missing = [m for m in content.measures() if m.code not in codes]
    session.add_all(
        Measure(code=m.code, name=m.name, definition=m.as_dict(), shipped=True) for m in missing
    )
    return len(missing)
