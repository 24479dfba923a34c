"""The relational model, one module per concern; every mapped class is importable from here.

Importing this package maps every table on `Base.metadata` (Alembic's env.py relies on it).
"""

from __future__ import annotations

from facilitator.storage.models.accounts import (
    Clinician,
    LoginThrottle,
    SigningAuthority,
    SigningKey,
)
from facilitator.storage.models.base import NAMING, Base, new_id
from facilitator.storage.models.clinic import AuditEvent, Setting
from facilitator.storage.models.corrections import AttendanceCorrection, BlockCorrection
from facilitator.storage.models.measures import (
    Measure,
    MeasureCorrection,
    MeasureResult,
    MeasureVoid,
)
from facilitator.storage.models.notes import Addendum, NoteReview, ParticipantNote, Signature
from facilitator.storage.models.people import (
    Discharge,
    DischargeCosignature,
    DischargeReturn,
    DischargeVoid,
    Enrollment,
    Participant,
    ParticipantChange,
    TreatmentGoal,
)
from facilitator.storage.models.programs import (
    BlockTemplate,
    CurriculumTopic,
    Group,
    Modality,
    NoteTemplateRecord,
    Program,
)
from facilitator.storage.models.sessions import (
    Attendance,
    Block,
    BlockFacilitator,
    GroupSession,
    ScheduleException,
)

__all__ = [
    "NAMING",
    "Addendum",
    "Attendance",
    "AttendanceCorrection",
    "AuditEvent",
    "Base",
    "Block",
    "BlockCorrection",
    "BlockFacilitator",
    "BlockTemplate",
    "Clinician",
    "CurriculumTopic",
    "Discharge",
    "DischargeCosignature",
    "DischargeReturn",
    "DischargeVoid",
    "Enrollment",
    "Group",
    "GroupSession",
    "LoginThrottle",
    "Measure",
    "MeasureCorrection",
    "MeasureResult",
    "MeasureVoid",
    "Modality",
    "NoteReview",
    "NoteTemplateRecord",
    "Participant",
    "ParticipantChange",
    "ParticipantNote",
    "Program",
    "ScheduleException",
    "Setting",
    "Signature",
    "SigningAuthority",
    "SigningKey",
    "TreatmentGoal",
    "new_id",
]
