"""The supervisor's queue: associates' notes and discharge summaries to co-sign or return, and
those returned."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from facilitator import content
from facilitator.app import Clinic
from facilitator.domain.notes import NoteStatus
from facilitator.domain.users import SignedInUser
from facilitator.services.discharge_cosign import SummaryCosignRow
from facilitator.services.signing_review import CosignRow
from ui.dialogs.addendum_dialog import AddendumDialog
from ui.dialogs.return_dialog import ReturnDialog
from ui.dialogs.sign_dialog import SignDialog
from ui.models.row_table_model import Column
from ui.review.note_list_window import NoteListWindow
from ui.review.summary_record_html import summary_record_html
from ui.widgets import count_of, fit_to_screen, page_title

QueueRow = CosignRow | SummaryCosignRow  # a note, or a discharge summary


def _awaiting(row: QueueRow) -> bool:
    if isinstance(row, SummaryCosignRow):
        return row.awaiting
    return row.status is NoteStatus.AWAITING_COSIGN


def _status(row: QueueRow) -> str:
    if not _awaiting(row):
        return "Returned, waiting for the author"
    addenda = row.addenda if isinstance(row, CosignRow) else 0
    return "Awaiting co-signature" + (
        f" ({count_of(addenda, 'addendum', 'addenda')})" if addenda else ""
    )


def _day(row: QueueRow) -> str:
    day = row.discharged if isinstance(row, SummaryCosignRow) else row.day
    return f"{day:%a} {day.isoformat()}"


def _summary(row: QueueRow) -> str:
    if isinstance(row, SummaryCosignRow):
        return f"Discharge: {row.reason}"
    return row.summary


def _participant(row: QueueRow) -> str:
    return row.participant + (" ⚠" if isinstance(row, CosignRow) and row.risk else "")


COLUMNS: tuple[Column[QueueRow], ...] = (
    Column("Co-sign", lambda r: "", _awaiting),
    Column(
        "Document", lambda r: "Discharge summary" if isinstance(r, SummaryCosignRow) else "Note"
    ),
    Column("Date", _day, lambda r: _day(r)[4:]),
    Column("Time", lambda r: "" if isinstance(r, SummaryCosignRow) else f"{r.start:%H:%M}"),
    Column("Group", lambda r: r.group),
    Column("Participant", _participant),
    Column("Chart", lambda r: r.chart_number),
    Column("Author", lambda r: r.author),
    Column("Status", _status, flagged=lambda r: not _awaiting(r)),
    Column("Comment", lambda r: r.comment),
    Column("Summary", _summary),
)


def _about(row: QueueRow) -> str:
    """The row as a dialog names it."""
    if isinstance(row, SummaryCosignRow):
        return f"{row.participant} · discharge summary {row.discharged.isoformat()} · {row.author}"
    return f"{row.participant} · {row.day.isoformat()} {row.start:%H:%M} · {row.author}"


class CosignQueueWindow(NoteListWindow[QueueRow]):
    """Check notes and discharge summaries and co-sign them with the password, or return one
    with a comment."""

    queue_changed = Signal()

    def __init__(self, clinic: Clinic, user: SignedInUser, parent: QWidget | None = None) -> None:
        super().__init__(clinic, user, self.tr("Co-sign queue"), COLUMNS, _awaiting, parent)
        self._discharges = clinic.discharges
        self._build_widgets()
        self._connect_signals()
        self.setWindowTitle(
            self.tr("Co-sign queue") + f" · {user.display_name} — " + self.tr("Facilitator")
        )
        fit_to_screen(self, 1280, 820)
        self.refresh()

    def _build_widgets(self) -> None:
        self.table.setToolTip(
            self.tr("Space checks or unchecks a note or summary awaiting co-signature")
        )
        buttons = self._build_menu(
            self.tr("&Co-sign"),
            [
                (self.tr("Check &all"), "Ctrl+Shift+A", self.model.check_all),
                (self.tr("&Co-sign checked…"), "Ctrl+Return", self.cosign),
                (self.tr("&Return to author…"), "Ctrl+Shift+T", self.return_note),
                (self.tr("&Addendum…"), "Ctrl+Shift+N", self.add_addendum),
            ],
        )
        self.check_all_button, self.cosign_button, self.return_button, self.addendum_button = (
            buttons
        )
        self._lay_out(
            page_title(self.tr("Notes and discharge summaries to co-sign"), self),
            buttons,
            [440, 320],
        )

    def refresh(self) -> None:
        rows: list[QueueRow] = [*self._discharges.cosign_queue(self.user)]
        rows += self._signing.cosign_queue(self.user)
        self._show_rows(
            rows,
            240,
            self.tr("<p>No notes or discharge summaries are waiting for your co-signature.</p>"),
        )

    def _show_detail(self, row: QueueRow) -> None:
        if isinstance(row, SummaryCosignRow):
            document = self._discharges.document(row.discharge_id)
            self.detail.setHtml(summary_record_html(row, document))
        else:
            super()._show_detail(row)

    def _update_counts(self) -> None:
        rows = self.model.rows()
        awaiting = sum(1 for r in rows if _awaiting(r))
        checked = len(self.model.checked_rows())
        self.counts.setText(
            f"{checked} checked · {awaiting} awaiting co-signature · "
            f"{len(rows) - awaiting} returned to the author"
        )
        self.cosign_button.setEnabled(checked > 0)

    def cosign(self) -> None:
        rows = self.model.checked_rows()
        if not rows:
            self._explain(
                self.tr("Check the notes or summaries to co-sign first (Space checks one).")
            )
            return
        notes = [r.note_id for r in rows if isinstance(r, CosignRow)]
        summaries = [r.discharge_id for r in rows if isinstance(r, SummaryCosignRow)]
        what = _count(len(notes), len(summaries))

        def cosign(password: str) -> None:
            if notes:
                self._signing.cosign(self.user, password, notes)
            if summaries:
                self._discharges.cosign(self.user, password, summaries)
            self.statusBar().showMessage(self.tr("Co-signed ") + what, 10000)

        self._open_dialog(
            SignDialog(
                self.user,
                self.tr("Co-sign ") + what,
                [_about(r) for r in rows],
                content.signature_texts()["cosigner"],
                cosign,
                parent=self,
                verb=self.tr("Co-sign"),
            )
        )

    def return_note(self) -> None:
        row = self._current()
        if row is None or not _awaiting(row):
            self._explain(self.tr("Choose a note or summary awaiting co-signature to return."))
            return
        if isinstance(row, SummaryCosignRow):
            discharge_id = row.discharge_id
            dialog = ReturnDialog(
                _about(row),
                lambda comment: self._discharges.return_to_author(self.user, discharge_id, comment),
                self,
            )
            dialog.comment.setPlaceholderText(
                self.tr(
                    "What should the author address? The summary goes back to draft for them "
                    "to change and sign again."
                )
            )
        else:
            note_id = row.note_id
            dialog = ReturnDialog(
                _about(row),
                lambda comment: self._signing.return_to_author(self.user, note_id, comment),
                self,
            )
        self._open_dialog(dialog)

    def add_addendum(self) -> None:
        row = self._current()
        if isinstance(row, SummaryCosignRow):
            self._explain(
                self.tr(
                    "A discharge summary has no addenda: return it, and its author changes it "
                    "and signs it again."
                )
            )
            return
        if row is None:
            return
        note_id = row.note_id
        self._open_dialog(
            AddendumDialog(
                self.user,
                f"{row.participant} · {row.day.isoformat()} {row.start:%H:%M}",
                content.signature_texts()["addendum"],
                lambda text, password, _resubmit: self._signing.add_addendum(
                    self.user, password, note_id, text
                ),
                parent=self,
            )
        )

    def _changed(self) -> None:
        self.queue_changed.emit()


def _count(notes: int, summaries: int) -> str:
    """'2 notes', '1 discharge summary', '2 notes and 1 discharge summary'."""
    parts = [count_of(notes, "note")] if notes else []
    if summaries:
        parts.append(count_of(summaries, "discharge summary", "discharge summaries"))
    return " and ".join(parts)
