"""Review and sign: every note of the user's day, with its state and missing fields."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from facilitator import content
from facilitator.app import Clinic
from facilitator.domain.attendance import span_text
from facilitator.domain.notes import NoteStatus
from facilitator.domain.users import SignedInUser
from facilitator.services.signing_review import ReviewRow
from facilitator.visible_text import isolated_if_needed
from ui.dialogs.addendum_dialog import AddendumDialog
from ui.dialogs.sign_dialog import SignDialog
from ui.models.row_table_model import Column
from ui.review.note_list_window import NoteListWindow
from ui.widgets import count_of, fit_to_screen, page_title


def _ready(row: ReviewRow) -> bool:
    return row.ready


def _status(row: ReviewRow) -> str:
    if row.status is None:
        return "Not started"
    if row.status is NoteStatus.DRAFT:
        return "Ready to sign" if row.ready else "Draft"
    return row.status.label


COLUMNS: tuple[Column[ReviewRow], ...] = (
    Column("Sign", lambda r: "", _ready),
    Column("Time", lambda r: span_text(r.start, r.end), lambda r: r.start.isoformat()),
    Column("Group", lambda r: r.group),
    Column("Modality", lambda r: r.modality),
    Column("Participant", lambda r: r.participant + (" ⚠" if r.risk else "")),
    Column("Chart", lambda r: r.chart_number),
    Column("Status", _status, flagged=lambda r: r.status is NoteStatus.RETURNED),
    Column(
        "Missing or why not",
        lambda r: r.reason if r.status is None or not r.status.locked else "",
        flagged=lambda r: (
            (bool(r.missing) and (r.status is None or not r.status.locked))
            or (r.ready and bool(r.reason))
        ),  # ready, but names another member
    ),
    Column("Summary", lambda r: r.summary),
    Column("Late entry", lambda r: r.late_entry, flagged=lambda r: bool(r.late_entry)),
)


def note_label_heading(row: ReviewRow) -> str:
    """Who a note is about: name and chart number, each kept to its own direction."""
    return f"{isolated_if_needed(row.participant)} · {isolated_if_needed(row.chart_number)}"


def note_label(row: ReviewRow) -> str:
    """How a note is named in the confirmation list."""
    who, chart = isolated_if_needed(row.participant), isolated_if_needed(row.chart_number)
    return f"{row.start:%H:%M} {row.modality} · {who} ({chart})"


class ReviewWindow(NoteListWindow[ReviewRow]):
    """Check the notes to sign, or sign a whole block or day; the dialog lists them first."""

    notes_signed = Signal()

    def __init__(
        self,
        clinic: Clinic,
        user: SignedInUser,
        day: date,
        block_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(clinic, user, self.tr("Review and sign"), COLUMNS, _ready, parent)
        self.day = day
        self._first_block = block_id
        self._build_widgets()
        self._connect_signals()
        self.setWindowTitle(
            self.tr("Review and sign") + f" · {day:%A %d %B %Y} — " + self.tr("Facilitator")
        )
        fit_to_screen(self, 1280, 820)
        self.refresh()

    # --- building -------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.block_filter = QComboBox(self)
        self.block_filter.setToolTip(self.tr("Show one block or all (Ctrl+B)"))
        self.table.setToolTip(self.tr("Space checks or unchecks a note that is ready to sign"))
        buttons = self._build_menu(
            self.tr("&Sign"),
            [
                (self.tr("&Check all ready"), "Ctrl+Shift+A", self.check_all),
                (self.tr("Sign c&hecked…"), "Ctrl+Return", self.sign_checked),
                (self.tr("Sign &block…"), "Ctrl+Shift+B", self.sign_block),
                (self.tr("Sign &day…"), "Ctrl+Shift+D", self.sign_day),
                (self.tr("&Addendum…"), "Ctrl+Shift+N", self.add_addendum),
            ],
            [(self.tr("Choose b&lock"), "Ctrl+B", self.block_filter.setFocus)],  # Ctrl+L locks
        )
        (
            self.check_all_button,
            self.sign_checked_button,
            self.sign_block_button,
            self.sign_day_button,
            self.addendum_button,
        ) = buttons
        header = QHBoxLayout()
        header.addWidget(page_title(self.tr("Review and sign") + f" · {self.day:%A %d %B}", self))
        header.addStretch(1)
        label = QLabel(self.tr("&Block:"), self)
        label.setBuddy(self.block_filter)
        header.addWidget(label)
        header.addWidget(self.block_filter)
        self._lay_out(header, buttons, [480, 280])
        QWidget.setTabOrder(self.block_filter, self.table)  # top to bottom, as on screen
        QWidget.setTabOrder(self.table, self.detail)

    def _connect_signals(self) -> None:
        super()._connect_signals()
        self.block_filter.activated.connect(self._on_block_filter_activated)

    # --- showing --------------------------------------------------------------------------

    @property
    def rows(self) -> list[ReviewRow]:
        return self.model.rows()

    def refresh(self) -> None:
        self._all_rows = self._signing.review(self.user, self.day)
        chosen = self._chosen_block() or self._first_block
        self.block_filter.clear()
        self.block_filter.addItem(self.tr("All my blocks"), None)
        seen: dict[uuid.UUID, ReviewRow] = {}
        for row in self._all_rows:
            seen.setdefault(row.block_id, row)
        for block_id, row in seen.items():
            self.block_filter.addItem(
                f"{span_text(row.start, row.end)} {row.group} · {row.modality}", str(block_id)
            )
        found = self.block_filter.findData(str(chosen)) if chosen else 0
        self.block_filter.setCurrentIndex(max(found, 0))
        self._show_block()

    def _chosen_block(self) -> uuid.UUID | None:
        """The block the filter shows, or None for all."""
        data = self.block_filter.currentData()
        return uuid.UUID(data) if data else None

    def _show_block(self) -> None:
        block_id = self._chosen_block()
        self._show_rows(
            [r for r in self._all_rows if block_id is None or r.block_id == block_id],
            320,
            self.tr("<p>No notes are due in the blocks you lead on this day.</p>"),
        )

    def _update_counts(self) -> None:
        rows = self.rows
        checked = len(self.model.checked_rows())
        ready = sum(r.ready for r in rows)
        missing = sum(1 for r in rows if r.status is NoteStatus.DRAFT and r.missing)
        not_started = sum(1 for r in rows if r.status is None)
        signed = sum(1 for r in rows if r.status is not None and r.status.locked)
        self.counts.setText(
            f"{checked} checked · {ready} ready · {missing} with missing fields · "
            f"{not_started} not started · {signed} signed"
        )
        self.sign_checked_button.setEnabled(checked > 0)
        self.sign_block_button.setEnabled(bool(rows))
        self.sign_day_button.setEnabled(any(r.ready for r in self._all_rows))

    def _show_detail(self, row: ReviewRow) -> None:
        if row.note_id is None:
            self.detail.setHtml(
                f"<h3>{escape(note_label_heading(row))}</h3>"
                + self.tr("<p>No note has been started for this participant.</p>")
            )
            return
        super()._show_detail(row)

    # --- actions --------------------------------------------------------------------------

    def check_all(self) -> None:
        self.model.check_all()

    def sign_checked(self) -> None:
        rows = self.model.checked_rows()
        if not rows:
            self._explain(self.tr("Check the notes to sign first (Space checks one)."))
            return
        ids = [r.note_id for r in rows if r.note_id]
        self._confirm(
            self.tr("Sign ") + count_of(len(rows), "note"),
            rows,
            "",
            lambda password: self._signing.sign(self.user, password, ids),
        )

    def sign_block(self) -> None:
        block_id = self._chosen_block()
        current = self._current()
        if block_id is None and current is not None:
            block_id = current.block_id
        rows = [r for r in self._all_rows if r.block_id == block_id]
        if not rows:
            return
        first = rows[0]
        ready = [r for r in rows if r.ready]
        if not ready:
            self._explain(self.tr("No note of this block is ready to sign."))
            return
        ids = [r.note_id for r in ready if r.note_id]
        self._confirm(
            self.tr("Sign ") + count_of(len(ready), "note") + f" · {first.start:%H:%M} "
            f"{first.modality}",
            ready,
            self._left_out(rows),
            lambda password: self._signing.sign_block(
                self.user, password, first.block_id, self.day, ids
            ),
        )

    def sign_day(self) -> None:
        ready = [r for r in self._all_rows if r.ready]
        if not ready:
            self._explain(self.tr("No note of this day is ready to sign."))
            return
        ids = [r.note_id for r in ready if r.note_id]
        self._confirm(
            self.tr("Sign ") + count_of(len(ready), "note") + self.tr(" of the day"),
            ready,
            self._left_out(self._all_rows),
            lambda password: self._signing.sign_day(self.user, password, self.day, ids),
        )

    def add_addendum(self) -> None:
        row = self._current()
        if row is None or row.note_id is None or row.status is None or not row.status.locked:
            self._explain(self.tr("An addendum is added to a signed note: choose one first."))
            return
        note_id = row.note_id
        record = self._signing.note_record(note_id)
        comments = [s.comment for s in record.reviews if s.action == "returned"]
        self._open_dialog(
            AddendumDialog(
                self.user,
                f"{row.participant} · {row.start:%H:%M} {row.modality}",
                content.signature_texts()["addendum"],
                lambda text, password, resubmit: self._signing.add_addendum(
                    self.user, password, note_id, text, resubmit
                ),
                can_resubmit=row.status is NoteStatus.RETURNED,
                return_comment=comments[-1] if comments else "",
                parent=self,
            )
        )

    def _confirm(
        self,
        title: str,
        rows: Sequence[ReviewRow],
        remark: str,
        sign: Callable[[str], int],
    ) -> None:
        """Show the list and its count; sign only when the user confirms with the password."""

        def signed(password: str) -> None:
            self.statusBar().showMessage(
                self.tr("Signed ") + count_of(sign(password), "note"), 10000
            )

        self._open_dialog(
            SignDialog(
                self.user,
                title,
                [note_label(r) for r in rows],
                content.signature_texts()["author"],
                signed,
                remark,
                self,
            )
        )

    def _left_out(self, rows: Sequence[ReviewRow]) -> str:
        waiting = [r for r in rows if not r.ready and (r.status is None or not r.status.locked)]
        if not waiting:
            return ""
        return (
            count_of(len(waiting), "note")
            + self.tr(" not ready and left unsigned: ")
            + "; ".join(f"{r.participant} ({r.reason})" for r in waiting)
        )

    # --- slots ----------------------------------------------------------------------------

    def _changed(self) -> None:
        self.notes_signed.emit()

    def _on_block_filter_activated(self, _index: int) -> None:
        self._show_block()
