"""Setup edits never change what a signed note shows, and curricula travel as TOML: on a copy
of the demo clinic (signed notes on shipped topics and templates)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from facilitator import content
from facilitator.app import Clinic
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteStatus
from facilitator.domain.users import SignedInUser
from facilitator.services.curriculum_setup import TopicDetails
from facilitator.storage.models import Block, CurriculumTopic, ParticipantNote
from facilitator.storage.unit_of_work import unit_of_work
from facilitator.toml_writer import dumps
from tests.clinic_copies import clinic_copy
from tests.roster_clinic import table_contents
from tests.users import signed_in

SHIPPED_CBT = Path(__file__).resolve().parents[2] / "resources" / "curriculum" / "cbt.toml"


@pytest.fixture
def clinic(demo_clinic_folder: Path, tmp_path: Path) -> Iterator[Clinic]:
    with clinic_copy(demo_clinic_folder, tmp_path / "demo") as opened:
        yield opened


def _admin(clinic: Clinic) -> SignedInUser:
    row = next(c for c in clinic.accounts.clinicians() if c.role == "administrator")
    return signed_in(clinic.database, row.username)


def test_signed_topics_and_template_fields_keep_their_text(clinic: Clinic) -> None:
    admin = _admin(clinic)
    with unit_of_work(clinic.database) as session:
        topic = session.scalars(
            select(CurriculumTopic)
            .join(Block, Block.topic_id == CurriculumTopic.id)
            .join(ParticipantNote, ParticipantNote.block_id == Block.id)
            .where(ParticipantNote.status != NoteStatus.DRAFT.value)
            .limit(1)
        ).one()
        modality_id, topic_id, title = topic.modality_id, topic.id, topic.title
    row = next(t for m in clinic.setup.modalities() for t in m.topics if t.id == topic_id)
    before = table_contents(clinic.database)
    with pytest.raises(DomainError, match="Signed notes show the title"):
        clinic.setup.save_topic(
            admin, modality_id, topic_id, replace(row.details, title=title + " (new)")
        )
    girp = content.note_templates()["GIRP"]
    relabelled = replace(girp, fields=(replace(girp.fields[0], label="Aim"), *girp.fields[1:]))
    with pytest.raises(DomainError, match="Signed notes use the template GIRP"):
        clinic.setup.save_template(admin, relabelled)
    assert table_contents(clinic.database) == before
    clinic.setup.save_topic(admin, modality_id, topic_id, replace(row.details, outline="New."))
    first = replace(girp.fields[0], help="Say which goal.")
    helped = replace(girp, fields=(first, *girp.fields[1:]))
    clinic.setup.save_template(admin, helped)  # help text is not part of a signed note
    assert next(t for t in clinic.setup.templates() if t.template.code == "GIRP").template == helped


def test_a_curriculum_travels_as_toml(clinic: Clinic) -> None:
    admin = _admin(clinic)
    exported = tomllib.loads(clinic.setup.export_curriculum("cbt"))
    shipped = tomllib.loads(SHIPPED_CBT.read_text(encoding="utf-8"))
    for topic in shipped["topic"]:
        topic["outline"] = topic["outline"].strip()
    assert exported == shipped
    exported["topic"][0]["handouts"] = ["A new handout"]
    exported["topic"].append(
        {"order": 99, "title": "Shared topic", "objectives": ["One"], "outline": "1. Talk."}
    )
    result = clinic.setup.import_curriculum(admin, dumps(exported))
    assert (result.added, result.changed) == (1, 1)
    cbt = next(m for m in clinic.setup.modalities() if m.details.code == "CBT")
    assert cbt.topics[-1].details == TopicDetails("Shared topic", 99, ("One",), "1. Talk.", ())
    before = table_contents(clinic.database)
    exported["topic"][0]["title"] = "Renamed and so new"
    exported["topic"].append({"order": 100, "title": " "})
    count = len(exported["topic"])
    with pytest.raises(DomainError, match=f"topic {count}: title is required"):
        clinic.setup.import_curriculum(admin, dumps(exported))
    assert table_contents(clinic.database) == before


def test_the_demo_clinic_matches_its_own_export(clinic: Clinic) -> None:
    exported = clinic.setup.export_config()
    data = tomllib.loads(exported)
    assert {g["name"] for g in data["group"]} == {g.details.name for g in clinic.setup.groups()}
    assert all(g["schedule"] and g.get("facilitator") for g in data["group"])
    before = table_contents(clinic.database)
    plan = clinic.setup.preview_import(exported)
    assert plan.problems == []
    assert {c.status for c in plan.changes} == {"unchanged"}
    assert table_contents(clinic.database) == before
