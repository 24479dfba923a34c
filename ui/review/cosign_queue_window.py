"""The supervisor's queue: associates' notes to co-sign or return, and those returned."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from facilitator import content
from facilitator.app import Clinic
from facilitator.domain.notes import NoteStatus
from facilitator.domain.users import SignedInUser
from facilitator.services.signing_review import CosignRow
from ui.dialogs.addendum_dialog import AddendumDialog
from ui.dialogs.return_dialog import ReturnDialog
from ui.dialogs.sign_dialog import SignDialog
from ui.models.row_table_model import Column
from ui.review.note_list_window import NoteListWindow
from ui.widgets import count_of, fit_to_screen, page_title


def _awaiting(row: CosignRow) -> bool:
    return row.status is NoteStatus.AWAITING_COSIGN


def _status(row: CosignRow) -> str:
    if row.status is NoteStatus.RETURNED:
        return "Returned, waiting for the author"
    return "Awaiting co-signature" + (
        f" ({count_of(row.addenda, 'addendum', 'addenda')})" if row.addenda else ""
    )


COLUMNS: tuple[Column[CosignRow], ...] = (
    Column("Co-sign", lambda r: "", _awaiting),
    Column("Date", lambda r: f"{r.day:%a} {r.day.isoformat()}", lambda r: r.day.isoformat()),
    Column("Time", lambda r: f"{r.start:%H:%M}"),
    Column("Group", lambda r: r.group),
    Column("Participant", lambda r: r.participant + (" ⚠" if r.risk else "")),
    Column("Chart", lambda r: r.chart_number),
    Column("Author", lambda r: r.author),
    Column("Status", _status, flagged=lambda r: r.status is NoteStatus.RETURNED),
    Column("Comment", lambda r: r.comment),
    Column("Summary", lambda r: r.summary),
)


class CosignQueueWindow(NoteListWindow[CosignRow]):
    """Check notes and co-sign them with the password, or return one with a comment."""

    queue_changed = Signal()

    def __init__(self, clinic: Clinic, user: SignedInUser, parent: QWidget | None = None) -> None:
        super().__init__(clinic, user, self.tr("Co-sign queue"), COLUMNS, _awaiting, parent)
        self._build_widgets()
        self._connect_signals()
        self.setWindowTitle(
            self.tr("Co-sign queue") + f" · {user.display_name} — " + self.tr("Facilitator")
        )
        fit_to_screen(self, 1280, 820)
        self.refresh()

    def _build_widgets(self) -> None:
        self.table.setToolTip(self.tr("Space checks or unchecks a note awaiting co-signature"))
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
        self._lay_out(page_title(self.tr("Notes to co-sign"), self), buttons, [440, 320])

    def refresh(self) -> None:
        self._show_rows(
            self._signing.cosign_queue(self.user),
            240,
            self.tr("<p>No notes are waiting for your co-signature.</p>"),
        )

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
            self._explain(self.tr("Check the notes to co-sign first (Space checks one)."))
            return
        ids = [r.note_id for r in rows]

        def cosign(password: str) -> None:
            signed = self._signing.cosign(self.user, password, ids)
            self.statusBar().showMessage(self.tr("Co-signed ") + count_of(signed, "note"), 10000)

        self._open_dialog(
            SignDialog(
                self.user,
                self.tr("Co-sign ") + count_of(len(rows), "note"),
                [
                    f"{r.day.isoformat()} {r.start:%H:%M} · {r.participant} · {r.author}"
                    for r in rows
                ],
                content.signature_texts()["cosigner"],
                cosign,
                parent=self,
                verb=self.tr("Co-sign"),
            )
        )

    def return_note(self) -> None:
        row = self._current()
        if row is None or row.status is not NoteStatus.AWAITING_COSIGN:
            self._explain(self.tr("Choose a note awaiting co-signature to return."))
            return
        note_id = row.note_id
        self._open_dialog(
            ReturnDialog(
                f"{row.participant} · {row.day.isoformat()} {row.start:%H:%M} to {row.author}",
                lambda comment: self._signing.return_to_author(self.user, note_id, comment),
                self,
            )
        )

    def add_addendum(self) -> None:
        row = self._current()
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
