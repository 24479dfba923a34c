"""Documents for the app and the commands: look up what to export, load it in a unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.documents.common import DocumentNotFoundError
from facilitator.documents.participant import find_participant
from facilitator.documents.requests import Document, DocumentRequest, load_document
from facilitator.documents.session import find_groups, find_session
from facilitator.documents.signed_content import shows_signed_notes
from facilitator.domain.errors import DomainError
from facilitator.security.audit import AuditTrail
from facilitator.services.clinic_profile import clinic_now
from facilitator.services.sessions import open_session
from facilitator.storage.database import Database
from facilitator.storage.models import ParticipantNote
from facilitator.storage.unit_of_work import unit_of_work


class Documents:
    def __init__(
        self,
        database: Database,
        now: Callable[[], datetime] | None = None,
        audit: AuditTrail | None = None,
    ) -> None:
        """`now` stands in for the clinic's now (documents print when they were made, in the
        clinic's time zone, and end a chart or a partial week on the clinic's today)."""
        self._database = database
        self._now = now
        self._audit = audit

    def _when(self, session: Session) -> datetime:
        return self._now() if self._now is not None else clinic_now(session)

    def load(self, request: DocumentRequest) -> Document:
        with unit_of_work(self._database) as session:
            return load_document(session, request, self._when(session))

    def shows_signed_notes(self, request: DocumentRequest) -> bool:
        """Whether the document will list signed notes (and so be signed when exported)."""
        with unit_of_work(self._database) as session:
            return shows_signed_notes(session, request, self._when(session))

    def participant_id(self, chart_number: str) -> uuid.UUID:
        with unit_of_work(self._database) as session:
            return find_participant(session, chart_number)

    def note_id(self, block_id: uuid.UUID, participant_id: uuid.UUID) -> uuid.UUID:
        """The participant's note for the block; DocumentNotFoundError when none was written."""
        with unit_of_work(self._database) as session:
            found = session.scalar(
                select(ParticipantNote.id).where(
                    ParticipantNote.block_id == block_id,
                    ParticipantNote.participant_id == participant_id,
                )
            )
        if found is None:
            raise DocumentNotFoundError("No note was written for this block.")
        return found

    def session_id(self, group: str, day: date, actor: uuid.UUID | None = None) -> uuid.UUID:
        """The session of the group (by name or id) on `day`, made from its schedule when
        not made yet (a sign-in sheet printed before the group meets)."""
        with unit_of_work(self._database) as session:
            groups = find_groups(session, group)
            found = find_session(session, group, day)
        if found is not None:
            return found
        try:
            return open_session(self._database, groups[0].id, day, self._audit, actor)
        except DomainError as error:
            raise DocumentNotFoundError(
                f'The group "{groups[0].name}" has no session on {day}: {error}'
            ) from error

    def group_id(self, group: str) -> uuid.UUID:
        with unit_of_work(self._database) as session:
            return find_groups(session, group)[0].id
