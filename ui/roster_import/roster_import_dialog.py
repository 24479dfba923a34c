"""File > Import roster: choose a CSV file, check the preview, import it all at once (in the
background, with a busy indicator: thousands of rows take seconds)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.users import SignedInUser
from facilitator.services.roster_csv import COLUMNS
from facilitator.services.roster_import import (
    ImportResult,
    RosterImport,
    RosterPreview,
    RowAction,
)
from ui.background import BackgroundWorker
from ui.colors import warning_style
from ui.roster_import.preview_model import RosterPreviewModel
from ui.widgets import count_of, fit_columns, read_only_table

CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"
MAX_COLUMN_WIDTH = 320


class RosterImportDialog(QDialog):
    """Nothing is written until "Import N participants", offered only for a file with no errors."""

    roster_imported = Signal(object)  # ImportResult

    def __init__(
        self, roster_import: RosterImport, user: SignedInUser, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import roster"))
        self._roster_import = roster_import
        self._user = user
        self.preview: RosterPreview | None = None
        self.worker: BackgroundWorker[ImportResult] | None = None  # the import under way
        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(self.tr("No file chosen"))
        self.choose_button = QPushButton(self.tr("&Choose file…"), self)
        self.choose_button.setShortcut(QKeySequence.StandardKey.Open)
        self.choose_button.setToolTip(self.tr("Choose a roster CSV file (Ctrl+O)"))
        self.help_label = QLabel(self._help_text(), self)
        self.help_label.setWordWrap(True)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.file_problems_label = QLabel(self)
        self.file_problems_label.setWordWrap(True)
        self.file_problems_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.file_problems_label.setStyleSheet(warning_style())
        self.file_problems_label.hide()
        self.model = RosterPreviewModel(self)
        self.table = read_only_table(self.model, self, sortable=False)
        self.table.setToolTip(self.tr("Cells with a problem are shaded; hover for the reason"))
        self.details_label = QLabel(self)
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.import_button = QPushButton(self.tr("&Import"), self)
        self.import_button.setEnabled(False)
        self.import_button.setDefault(True)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # no steps to count: one transaction, all or nothing
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        self._build_layout()
        self._connect_signals()
        self.resize(1240, 640)

    def _build_layout(self) -> None:
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel(self.tr("File:"), self))
        chooser.addWidget(self.path_edit, 1)
        chooser.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.addLayout(chooser)
        layout.addWidget(self.help_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.file_problems_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details_label)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)

    def _help_text(self) -> str:
        required = ", ".join(c.key for c in COLUMNS if c.required)
        optional = ", ".join(c.key for c in COLUMNS if not c.required)
        return self.tr(
            "Columns: {0} (required); {1}. Dates as YYYY-MM-DD or MM/DD/YYYY. Save the file "
            "as UTF-8 (CSV UTF-8). A chart number already in the clinic updates that "
            "participant when the date of birth matches. Nothing is written until you import."
        ).format(required, optional)

    def load(self, path: Path) -> None:
        """Preview `path` (the file chooser calls this; so can tests)."""
        self.path_edit.setText(str(path))
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.show_preview(self._roster_import.preview_file(path))
        finally:
            QGuiApplication.restoreOverrideCursor()

    def show_preview(self, preview: RosterPreview) -> None:
        self.preview = preview
        self.model.set_rows(preview.rows)
        self.summary_label.setText(self._summary(preview))
        problems = [
            (self.tr("Line {0}: ").format(p.line) if p.line else "") + p.message
            for p in preview.problems
        ]
        self.file_problems_label.setText("\n".join(problems))
        self.file_problems_label.setVisible(bool(problems))
        self.details_label.clear()
        count = count_of(preview.changing, "participant")
        self.import_button.setText(self.tr("&Import {0}").format(count))
        self.import_button.setEnabled(preview.importable)
        self._fit_columns()
        first_error = next((i for i, r in enumerate(preview.rows) if r.problems), None)
        if first_error is not None:  # current, not selected: the shaded cells stay visible
            self.table.selectionModel().setCurrentIndex(
                self.model.index(first_error, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def _fit_columns(self) -> None:
        """Columns sized to their contents, none wider than MAX_COLUMN_WIDTH (tooltips and the
        line's details show the rest)."""
        fit_columns(self.table)
        for column in range(self.model.columnCount()):
            if self.table.columnWidth(column) > MAX_COLUMN_WIDTH:
                self.table.setColumnWidth(column, MAX_COLUMN_WIDTH)

    def _summary(self, preview: RosterPreview) -> str:
        text = self.tr("{0}: {1}; {2} new, {3} to update, {4} unchanged.").format(
            preview.source,
            count_of(len(preview.rows), "participant line"),
            preview.count(RowAction.CREATE),
            preview.count(RowAction.UPDATE),
            preview.count(RowAction.UNCHANGED),
        )
        if preview.error_count:
            return (
                text
                + " "
                + self.tr(
                    "{0} to fix before anything can be imported (the file is unchanged; fix it and "
                    "choose it again)."
                ).format(count_of(preview.error_count, "problem"))
            )
        if not preview.importable:
            return text + " " + self.tr("Nothing to import: the clinic's records already match.")
        return text + " " + self.tr("No problems found.")

    def _on_choose_button_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a roster file"), self.path_edit.text(), self.tr(CSV_FILTER)
        )
        if name:
            self.load(Path(name))

    def _on_import_button_clicked(self) -> None:
        """Write the previewed file on a worker thread; the dialog waits, busy, until done."""
        preview, actor = self.preview, self._user.id
        if preview is None or self.worker is not None:
            return
        self.summary_label.setText(
            self.tr("Importing {0}…").format(count_of(preview.changing, "participant"))
        )
        self._set_busy(True)
        self.worker = BackgroundWorker(lambda _report: self._roster_import.apply(preview, actor))
        self.worker.signals.finished.connect(self._on_worker_finished)
        self.worker.signals.failed.connect(self._on_worker_failed)
        self.worker.start()

    def _on_worker_finished(self, result: ImportResult) -> None:
        self._set_busy(False)
        self.import_button.setEnabled(False)
        self.summary_label.setText(self._result_text(result))
        self.roster_imported.emit(result)

    def _on_worker_failed(self, message: str) -> None:
        self._set_busy(False)
        self.import_button.setEnabled(False)
        self.summary_label.setText(message)

    def _set_busy(self, busy: bool) -> None:
        """While importing, nothing else can be started and the dialog stays open."""
        if not busy:
            self.worker = None
        self.busy.setVisible(busy)
        for widget in (self.import_button, self.choose_button, self.buttons):
            widget.setEnabled(not busy)
        if busy:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            QGuiApplication.restoreOverrideCursor()

    def reject(self) -> None:
        if self.worker is None:  # Escape while importing: wait for the result
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.worker is not None:
            event.ignore()
            return
        super().closeEvent(event)

    def _result_text(self, result: ImportResult) -> str:
        return self.tr(
            "Imported: {0} created, {1} updated, {2} unchanged; {3} and {4} added."
        ).format(
            result.created,
            result.updated,
            result.unchanged,
            count_of(result.enrollments, "enrollment"),
            count_of(result.goals, "goal"),
        )

    def _on_table_current_row_changed(self, current: QModelIndex, _: QModelIndex) -> None:
        if not current.isValid():
            self.details_label.clear()
            return
        row = self.model.row_at(current.row())
        problems = [f"• {p.message}" for p in row.problems]
        self.details_label.setText(
            "\n".join([self.tr("Line {0}:").format(row.line), *problems])
            if problems
            else self.tr("Line {0}: no problems.").format(row.line)
        )
