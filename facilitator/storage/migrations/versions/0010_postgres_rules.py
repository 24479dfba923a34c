"""postgres rules: the protective triggers of 0003-0007 on PostgreSQL

Revision ID: 0010
Revises: 0009

On SQLite, 0003-0007 made 28 triggers that refuse, whatever the code above the database does,
to change or delete signed notes, signatures, signed addenda, review steps, signed or awaiting
discharge summaries, co-signatures, returns, measure corrections and voids, and anything
entered in error. They were skipped on PostgreSQL. Here each one gets a PL/pgSQL trigger
function of the same name, refusing the same statements with the same message (SQLSTATE
23000, an integrity error like SQLite's RAISE(ABORT)). Conditions compare columns as text, so
a JSON column counts as changed exactly when its stored text changes, as on SQLite. On SQLite
this revision does nothing.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOCKED = "('signed', 'awaiting_cosign', 'returned', 'cosigned')"
NOTE_CONTENT = (
    "id", "block_id", "participant_id", "author_id", "template", "fields", "mood", "affect",
    "participation", "goals_addressed", "risk_flags", "content_hash",
)
ALLOWED_STATUS_CHANGE = (
    "NEW.status = OLD.status"
    " OR (OLD.status = 'awaiting_cosign' AND NEW.status IN ('cosigned', 'returned'))"
    " OR (OLD.status = 'returned' AND NEW.status = 'awaiting_cosign')"
)


def _changed(column: str) -> str:
    return f"NEW.{column}::text IS DISTINCT FROM OLD.{column}::text"


def _same(column: str) -> str:
    return f"NEW.{column}::text IS NOT DISTINCT FROM OLD.{column}::text"


NOTE_CHANGED = " OR ".join(_changed(c) for c in NOTE_CONTENT)
AWAITING_ALLOWED = f"""
    (NEW.status = 'signed'
     AND {" AND ".join(_same(c) for c in (
         "content", "content_hash", "signed_by", "signed_at", "reason", "plan", "enrollment_id"))}
     AND EXISTS (SELECT 1 FROM discharge_cosignature
                 WHERE discharge_id = OLD.id AND content_hash = OLD.content_hash))
    OR (NEW.status = 'draft' AND {_same("enrollment_id")}
        AND EXISTS (SELECT 1 FROM discharge_return
                    WHERE discharge_id = OLD.id AND content_hash = OLD.content_hash))
"""
VOIDED_RESULT = "EXISTS (SELECT 1 FROM measure_void WHERE result_id = {row}.id)"
VOIDED_DISCHARGE = "EXISTS (SELECT 1 FROM discharge_void WHERE discharge_id = OLD.id)"

# (trigger and function name, table, event, condition (None: always), message)
RULES: tuple[tuple[str, str, str, str | None, str], ...] = (
    # 0003: signed notes, signatures, signed addenda, review steps
    ("participant_note_locked_update", "participant_note", "UPDATE",
     f"OLD.status IN {LOCKED} AND ({NOTE_CHANGED} OR NOT ({ALLOWED_STATUS_CHANGE}))",
     "a signed note is locked: add an addendum instead"),
    ("participant_note_locked_delete", "participant_note", "DELETE",
     f"OLD.status IN {LOCKED}", "a signed note cannot be deleted"),
    ("signature_update", "signature", "UPDATE", None, "a signature never changes"),
    ("signature_delete", "signature", "DELETE", None, "a signature cannot be deleted"),
    ("addendum_signed_update", "addendum", "UPDATE", "OLD.signed_at IS NOT NULL",
     "a signed addendum never changes"),
    ("addendum_signed_delete", "addendum", "DELETE", "OLD.signed_at IS NOT NULL",
     "a signed addendum cannot be deleted"),
    ("note_review_update", "note_review", "UPDATE", None, "a review step never changes"),
    ("note_review_delete", "note_review", "DELETE", None, "a review step cannot be deleted"),
    # 0005 (as 0007 re-created them): signed discharge summaries
    ("discharge_signed_update", "discharge", "UPDATE", "OLD.status = 'signed'",
     "a signed discharge summary is locked"),
    ("discharge_signed_delete", "discharge", "DELETE", "OLD.status = 'signed'",
     "a signed discharge summary cannot be deleted"),
    # 0006: measure corrections and results entered in error
    ("measure_correction_update", "measure_correction", "UPDATE", None,
     "a measure correction never changes"),
    ("measure_correction_delete", "measure_correction", "DELETE", None,
     "a measure correction cannot be deleted"),
    ("measure_void_update", "measure_void", "UPDATE", None,
     "a measure marked entered in error stays so"),
    ("measure_void_delete", "measure_void", "DELETE", None,
     "a measure marked entered in error stays so"),
    ("measure_result_voided_update", "measure_result", "UPDATE", VOIDED_RESULT.format(row="OLD"),
     "a measure result entered in error never changes"),
    ("measure_result_voided_delete", "measure_result", "DELETE", VOIDED_RESULT.format(row="OLD"),
     "a measure result entered in error is kept"),
    ("measure_correction_voided_insert", "measure_correction", "INSERT",
     "EXISTS (SELECT 1 FROM measure_void WHERE result_id = NEW.result_id)",
     "a measure result entered in error is not corrected"),
    # 0007: summaries awaiting co-signature, co-signatures, returns, discharges in error
    ("discharge_awaiting_update", "discharge", "UPDATE",
     f"OLD.status = 'awaiting_cosign' AND NOT ({AWAITING_ALLOWED})",
     "a discharge summary awaiting co-signature is locked"),
    ("discharge_awaiting_delete", "discharge", "DELETE", "OLD.status = 'awaiting_cosign'",
     "a signed discharge summary cannot be deleted"),
    ("discharge_cosignature_update", "discharge_cosignature", "UPDATE", None,
     "a co-signature never changes"),
    ("discharge_cosignature_delete", "discharge_cosignature", "DELETE", None,
     "a co-signature cannot be deleted"),
    ("discharge_return_update", "discharge_return", "UPDATE", None,
     "a returned discharge summary is kept as returned"),
    ("discharge_return_delete", "discharge_return", "DELETE", None,
     "a returned discharge summary is kept as returned"),
    ("discharge_void_insert", "discharge_void", "INSERT",
     "NOT EXISTS (SELECT 1 FROM discharge WHERE id = NEW.discharge_id AND status = 'draft')",
     "a signed discharge summary is corrected, not voided"),
    ("discharge_void_update", "discharge_void", "UPDATE", None,
     "a discharge entered in error stays so"),
    ("discharge_void_delete", "discharge_void", "DELETE", None,
     "a discharge entered in error stays so"),
    ("discharge_voided_update", "discharge", "UPDATE", VOIDED_DISCHARGE,
     "a discharge entered in error never changes"),
    ("discharge_voided_delete", "discharge", "DELETE", VOIDED_DISCHARGE,
     "a discharge entered in error is kept"),
)  # fmt: skip


def _function(name: str, event: str, condition: str | None, message: str) -> str:
    passes = "OLD" if event == "DELETE" else "NEW"
    refuse = f"RAISE EXCEPTION USING MESSAGE = '{message}', ERRCODE = '23000';"
    body = refuse if condition is None else f"IF {condition} THEN {refuse} END IF;"
    return f"""
        CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $rule$
        BEGIN
            {body}
            RETURN {passes};
        END
        $rule$
    """


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, event, condition, message in RULES:
        op.execute(_function(name, event, condition, message))
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, _event, _condition, _message in reversed(RULES):
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
