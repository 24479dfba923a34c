"""Any note text round-trips through the encrypted database and into a PDF without a loss.

Text is saved through the session runner's save_draft (the autosave path) and read back
through the session sheet (what the runner shows). The PDF is the participant note layout;
its text is extracted with pypdf and compared as characters. What the comparison normalizes,
and why:
- Whitespace is left out on both sides: the layout wraps lines, trims each field, shows tabs and
  line separators as spaces and line breaks, and extraction adds its own spaces and newlines.
- Control characters (Cc) and lone surrogates (Cs, which no PDF can hold) are left out of the
  expected text: the layout shows them as visible stand-ins (␀…␟, ␡, [U+0080]…, [U+D800]).
- Characters are compared as a multiset, not in order: right-to-left runs are stored in the
  PDF in display order, so their order in the extracted text is visual, not logical.
- Mirrored characters (brackets and the like, Bidi_Mirrored) are counted together: display
  order may swap "(" for ")" inside a right-to-left run, as it should on screen.
- Soft hyphens (U+00AD) are left out: they mark where a word may break and are invisible
  elsewhere; the layout drops them from the text.
Nothing else is normalized: combining marks, variation selectors, zero-width joiners, astral
characters and characters no shipped font can draw must all come back.

A note of 100,000 characters is laid out in about a second (reports.text_block wraps it once,
in time proportional to its length), so it is checked both in the database and in the PDF.
"""

from __future__ import annotations

import io
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import select

from facilitator.app import Clinic, open_clinic
from facilitator.documents.participant import load_participant_note
from facilitator.domain.attendance import AttendanceStatus
from facilitator.services.session_runner import SessionRunner
from facilitator.services.session_sheet import NoteDraft
from facilitator.storage.models import (
    Block,
    BlockFacilitator,
    Group,
    GroupSession,
    Modality,
    Participant,
    ParticipantNote,
)
from facilitator.storage.unit_of_work import unit_of_work
from reports import participant_note
from tests.roster_clinic import MORNING, make_roster_clinic

TODAY = date(2026, 11, 23)
SOFT_HYPHEN = "\u00ad"
FIELDS = ("goal", "intervention", "response", "plan")  # the GIRP template
PROPERTY = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

RIGHT_TO_LEFT = "שלום, המשתתף דיבר על (טריגרים) 3 פעמים. مرحبا بالمشارك [اليوم] ١٢٣"
EMOJI = "🙂👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 ❤️ 🧘‍♀️ 🇺🇸"
COMBINING = "e\u0301 a\u0308\u0323 Z\u0335\u0336 ก\u0e34\u0e4a ᄀ\u1161\u11a8 q\u0307\u0323"
CONTROLS = "a\x00b\x07c\x1bd\x7fe\x85f\x9fg\tline\r\nnext\u2028sep\u2029para\x0bvt\x0cff"
ASTRAL = "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐍈 𓂀 🀄 𠀀𪚥 \U0001fa90 \U000e0041 \U0010fffd"  # noqa: RUF001
MIXED = "Participant said “I’m fine” — then (quietly) ‘not really’… ½ ≥ 7 ∞ ✓ ☐ № ℃ ﬁ"  # noqa: RUF001
HUGE = ("Long note: " + RIGHT_TO_LEFT + EMOJI + COMBINING + ASTRAL + MIXED + "\n") * 450

note_text = st.text(st.characters(blacklist_categories=()), max_size=400)
"""Any code point, lone surrogates included (Qt drops them, but the core must not fail)."""


@dataclass(frozen=True)
class NoteBlock:
    clinic: Clinic
    runner: SessionRunner
    session_id: uuid.UUID
    block_id: uuid.UUID
    participant_id: uuid.UUID
    author: uuid.UUID


@pytest.fixture(scope="module")
def note_block(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NoteBlock]:
    """A morning block today with one participant present, ready for notes."""
    folder = tmp_path_factory.mktemp("note-text") / "clinic"
    author = make_roster_clinic(folder)
    clinic = open_clinic(folder)
    with unit_of_work(clinic.database) as session:
        group = session.scalars(select(Group).where(Group.name == MORNING)).one()
        modality = session.scalars(select(Modality).order_by(Modality.code)).first()
        assert modality is not None
        meeting = GroupSession(group_id=group.id, day=TODAY)
        session.add(meeting)
        session.flush()
        block = Block(
            session_id=meeting.id,
            sequence=1,
            modality_id=modality.id,
            planned_start=time(9),
            planned_end=time(10),
        )
        session.add(block)
        session.flush()
        session.add(BlockFacilitator(block_id=block.id, clinician_id=author))
        participant_id = session.scalars(
            select(Participant.id).where(Participant.chart_number == "K-100")
        ).one()
        ids = (meeting.id, block.id)
    runner = SessionRunner(clinic.database, clinic.audit, author)
    runner.record_attendance(ids[1], participant_id, AttendanceStatus.PRESENT)
    yield NoteBlock(clinic, runner, ids[0], ids[1], participant_id, author)
    clinic.close()


def save(note_block: NoteBlock, texts: dict[str, str]) -> uuid.UUID:
    draft = NoteDraft("GIRP", fields=texts, mood="Euthymic", participation="Active")
    return note_block.runner.save_draft(
        note_block.block_id, note_block.participant_id, note_block.author, draft
    )


def shown_in_runner(note_block: NoteBlock) -> dict[str, str]:
    sheet = note_block.runner.sheet(note_block.session_id)
    (entry,) = [e for e in sheet.blocks[0].roster if e.participant_id == note_block.participant_id]
    assert entry.note is not None
    return dict(entry.note.draft.fields)


def pdf_text(note_block: NoteBlock, note_id: uuid.UUID) -> str:
    with unit_of_work(note_block.clinic.database) as session:
        document = load_participant_note(session, note_id, datetime(2026, 11, 23, 12, tzinfo=UTC))
    rendered = participant_note.build(document)
    reader = PdfReader(io.BytesIO(rendered.data))
    assert len(reader.pages) == rendered.pages
    return "".join(page.extract_text() for page in reader.pages)


def comparable(text: str) -> Counter[str]:
    """The characters a reader must find, as explained in the module docstring."""
    kept = Counter[str]()
    for char in text:
        if char.isspace() or char == SOFT_HYPHEN or unicodedata.category(char) in ("Cc", "Cs"):
            continue
        kept["(mirrored)" if unicodedata.mirrored(char) else char] += 1
    return kept


def missing_from(expected: str, extracted: str) -> dict[str, int]:
    """{character name: how many are missing} (empty when nothing was lost)."""
    lost = comparable(expected) - comparable(extracted)
    return {
        key if len(key) > 1 else f"U+{ord(key):04X} {unicodedata.name(key, '?')}": count
        for key, count in lost.items()
    }


def test_unicode_samples_round_trip_and_reach_the_pdf(note_block: NoteBlock) -> None:
    texts = dict(
        zip(FIELDS, (RIGHT_TO_LEFT, EMOJI + COMBINING, CONTROLS, ASTRAL + MIXED), strict=True)
    )
    note_id = save(note_block, texts)
    assert shown_in_runner(note_block) == texts
    assert missing_from("".join(texts.values()), pdf_text(note_block, note_id)) == {}


def test_a_note_of_100000_characters_round_trips_through_the_database(
    note_block: NoteBlock,
) -> None:
    assert len(HUGE) > 100_000
    texts = {"goal": "Short goal", "intervention": HUGE, "response": "", "plan": "Plan"}
    note_id = save(note_block, texts)
    assert shown_in_runner(note_block) == texts
    with note_block.clinic.database.sessions() as session:
        assert session.get_one(ParticipantNote, note_id).fields["intervention"] == HUGE


def test_a_note_of_100000_characters_reaches_the_pdf(note_block: NoteBlock) -> None:
    texts = {"goal": "Short goal", "intervention": HUGE, "response": "", "plan": "Plan"}
    note_id = save(note_block, texts)
    assert missing_from("".join(texts.values()), pdf_text(note_block, note_id)) == {}


@PROPERTY
@given(texts=st.fixed_dictionaries({key: note_text for key in FIELDS}))
@example(texts=dict.fromkeys(FIELDS, "\x00"))
@example(texts=dict.fromkeys(FIELDS, " \u200b\u200d\u00ad\ufeff "))
def test_any_note_text_round_trips_through_the_database(
    note_block: NoteBlock, texts: dict[str, str]
) -> None:
    save(note_block, texts)
    assert shown_in_runner(note_block) == texts


@PROPERTY
@given(texts=st.fixed_dictionaries({key: note_text for key in FIELDS}))
@example(texts=dict.fromkeys(FIELDS, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u034f"))
def test_any_note_text_reaches_the_pdf_without_losing_a_character(
    note_block: NoteBlock, texts: dict[str, str]
) -> None:
    note_id = save(note_block, texts)
    assert missing_from("".join(texts.values()), pdf_text(note_block, note_id)) == {}
