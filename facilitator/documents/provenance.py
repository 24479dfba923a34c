"""The clinic's id and each document's provenance (id, kind, time made)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from facilitator.documents.common import DocumentKind, Provenance
from facilitator.storage.models import Setting

CLINIC_ID_SETTING = "clinic.id"


def clinic_id(session: Session) -> str:
    """This clinic's random id, made once and kept in the settings; PDFs name it in their
    manifest so `facilitator verify` can tell a document from another clinic."""
    setting = session.get(Setting, CLINIC_ID_SETTING)
    if setting is None:
        setting = Setting(key=CLINIC_ID_SETTING, value={"id": str(uuid.uuid4())})
        session.add(setting)
        session.flush()
    return str(setting.value["id"])


def provenance(session: Session, kind: DocumentKind, program: str, now: datetime) -> Provenance:
    """A new document id, this clinic's id and the time made (`now`, aware)."""
    return Provenance(
        document_id=uuid.uuid4(),
        kind=kind,
        clinic_id=clinic_id(session),
        made_at=now,
        program=program,
    )
