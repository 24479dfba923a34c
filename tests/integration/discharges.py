"""Discharges for the tests of co-signing and entered in error: a demo clinic copy where every
clinician has one known password, and an open enrollment discharged yesterday."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from facilitator.app import Clinic
from facilitator.domain.discharge import DischargeReason, DischargeRequest, TransitionPlan
from facilitator.services.accounts import default_hasher
from facilitator.storage.models import Clinician, Enrollment
from facilitator.storage.unit_of_work import unit_of_work
from tests.clinic_copies import clinic_copy
from tests.storage_backends import Storage
from tests.users import signed_in

TODAY = date(2026, 11, 23)
PASSWORD = "correct horse battery staple 7"
PLAN = TransitionPlan(next_level_of_care="Standard outpatient")


@contextmanager
def clinic_with_one_password(
    source: Path, folder: Path, storage: Storage | None = None
) -> Iterator[Clinic]:
    """A copy of the clinic in `source` where every clinician's password is PASSWORD (on a
    server, `storage` copies its database too)."""
    with clinic_copy(source, folder, storage) as clinic:
        with unit_of_work(clinic.database) as session:
            for row in session.scalars(select(Clinician)):
                row.password_hash = default_hasher().hash(PASSWORD)
        yield clinic


def discharged(clinic: Clinic, index: int, who: str) -> tuple[uuid.UUID, uuid.UUID]:
    """Discharge the `index`th open enrollment (by admission) yesterday, as `who`: the
    participant's id and the discharge's."""
    with unit_of_work(clinic.database) as session:
        participant_id = session.scalars(
            select(Enrollment.participant_id)
            .where(Enrollment.discharged.is_(None), Enrollment.admitted < TODAY - timedelta(14))
            .order_by(Enrollment.admitted)
        ).all()[index]
    request = DischargeRequest(TODAY - timedelta(days=1), DischargeReason.COMPLETED, PLAN)
    row = clinic.discharges.discharge(
        signed_in(clinic.database, who), participant_id, request, TODAY
    )
    return participant_id, row.discharge_id
