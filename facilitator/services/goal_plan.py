"""A participant's treatment goals: add, change a goal's text (the old text stays in the
history) and put them in another order, all saved at once from the plan as edited. Each save
is one transaction with one audit entry (ids and counts only)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.domain.admission import AdmissionError, goal_problem
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction, AuditTrail
from facilitator.services.admissions import check_reason, require_may_admit
from facilitator.services.discharge import GoalRow
from facilitator.services.participant_history import record_change
from facilitator.storage.database import Database
from facilitator.storage.models import Participant, TreatmentGoal
from facilitator.storage.unit_of_work import unit_of_work

ADDED = "Goal added"
REORDERED = "Goals put in another order"
PlanItem = tuple[uuid.UUID | None, str]  # (the goal's id, None for a new one; its text)


class GoalPlan:
    def __init__(
        self, database: Database, audit: AuditTrail, today: Callable[[], date] = date.today
    ) -> None:
        self._database = database
        self._audit = audit
        self._today = today

    def goals(self, participant_id: uuid.UUID) -> list[GoalRow]:
        """The goals in plan order, each with its status."""
        with unit_of_work(self._database) as session:
            return [GoalRow(g.id, g.text, g.status) for g in _goals(session, participant_id)]

    def save(
        self,
        user: SignedInUser,
        participant_id: uuid.UUID,
        items: Sequence[PlanItem],
        reason: str = "",
    ) -> int:
        """Save the plan as edited: every existing goal once (goals are never deleted; a
        discharge sets their status), new ones with no id, in the order wanted. A changed
        text needs `reason`. How many goals were added or changed (a new order counts one)."""
        require_may_admit(user)
        with unit_of_work(self._database) as session:
            goals = {g.id: g for g in _goals(session, participant_id)}
            ids = [goal_id for goal_id, _ in items if goal_id is not None]
            if sorted(ids) != sorted(goals) or len(set(ids)) != len(ids):
                raise DomainError("The goals given are not this participant's plan; reload it.")
            texts = [_checked(text) for _, text in items]
            if len({t.casefold() for t in texts}) != len(texts):
                raise AdmissionError([("goals", "The plan already has this goal.")])
            pairs = list(zip(items, texts, strict=True))
            edited = [(goals[i], t) for (i, _), t in pairs if i and goals[i].text != t]
            added = [t for (i, _), t in pairs if i is None]
            before = list(goals)  # plan order
            reordered = ids != before
            if not (edited or added or reordered):
                raise AdmissionError([("goals", "Nothing was changed; there is nothing to save.")])
            why = check_reason(reason) if edited else ""
            old_order = [g.text for g in goals.values()]
            for goal, text in edited:
                record_change(session, participant_id, "goal", goal.text, text, why, user.id)
                goal.text = text
            for sequence, ((goal_id, _), text) in enumerate(pairs, start=1):
                if goal_id is not None:
                    goals[goal_id].sequence = sequence
                    continue
                session.add(
                    TreatmentGoal(
                        participant_id=participant_id,
                        sequence=sequence,
                        text=text,
                        created_on=self._today(),
                    )
                )
                record_change(session, participant_id, "goal", None, text, ADDED, user.id)
            if reordered:
                kept = [goals[i].text for i in ids]
                record_change(
                    session,
                    participant_id,
                    "goal_order",
                    _listed(old_order),
                    _listed(kept),
                    REORDERED,
                    user.id,
                )
            self._audit.record(
                session,
                actor=user.id,
                action=AuditAction.EDIT,
                object_type="participant",
                object_id=str(participant_id),
                detail={
                    "goals_added": len(added),
                    "goals_edited": len(edited),
                    "goals_reordered": reordered,
                },
            )
            return len(added) + len(edited) + int(reordered)

    def add(self, user: SignedInUser, participant_id: uuid.UUID, text: str) -> None:
        """A new goal at the end of the plan."""
        items: list[PlanItem] = [(g.goal_id, g.text) for g in self.goals(participant_id)]
        self.save(user, participant_id, [*items, (None, text)])

    def edit(
        self,
        user: SignedInUser,
        participant_id: uuid.UUID,
        goal_id: uuid.UUID,
        text: str,
        reason: str,
    ) -> None:
        """Change one goal's text; the old text is kept in the participant's history."""
        items = [
            (g.goal_id, text if g.goal_id == goal_id else g.text)
            for g in self.goals(participant_id)
        ]
        self.save(user, participant_id, items, reason)

    def reorder(
        self, user: SignedInUser, participant_id: uuid.UUID, goal_ids: Sequence[uuid.UUID]
    ) -> None:
        """Put the goals in the order of `goal_ids` (every goal of the plan, once)."""
        texts = {g.goal_id: g.text for g in self.goals(participant_id)}
        if set(goal_ids) - set(texts):
            raise DomainError("The goals given are not this participant's plan; reload it.")
        self.save(user, participant_id, [(i, texts[i]) for i in goal_ids])


def _goals(session: Session, participant_id: uuid.UUID) -> list[TreatmentGoal]:
    if session.get(Participant, participant_id) is None:
        raise DomainError("That participant is no longer in the records.")
    return list(
        session.scalars(
            select(TreatmentGoal)
            .where(TreatmentGoal.participant_id == participant_id)
            .order_by(TreatmentGoal.sequence)
        )
    )


def _checked(text: str) -> str:
    problem = goal_problem(text)
    if problem:
        raise AdmissionError([("goals", problem)])
    return text.strip()


def _listed(texts: list[str]) -> str:
    return "\n".join(f"{n}. {t}" for n, t in enumerate(texts, start=1))
