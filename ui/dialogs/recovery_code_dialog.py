"""Shows the recovery code of a new database key, once, to be printed or written down."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class RecoveryCodeDialog(QDialog):
    """The code, read-only and selectable, with Copy and Print; closing means "stored"."""

    def __init__(self, code: str, kept_in: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._code = code
        self.setWindowTitle(self.tr("Save the recovery code"))
        self.explanation = QLabel(
            self.tr(
                "The clinic's data is encrypted with a new key, kept in {0}. Below is its "
                "recovery code. It is shown only this once.\n\nPrint it or write it down and "
                "keep it locked away from this computer: it is the only way back into the data "
                "if the key is lost (keyring cleared, new computer, forgotten passphrase). "
                "Anyone holding it and the data folder can read the records."
            ).format(kept_in),
            self,
        )
        self.explanation.setWordWrap(True)
        self.code_edit = QLineEdit(code, self)
        self.code_edit.setReadOnly(True)
        self.code_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.code_edit.setMinimumWidth(self.code_edit.fontMetrics().horizontalAdvance(code) + 24)
        self.buttons = QDialogButtonBox(self)
        self.copy_button = QPushButton(self.tr("&Copy"), self)
        self.print_button = QPushButton(self.tr("&Print…"), self)
        self.done_button = QPushButton(self.tr("I have stored it &safely"), self)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.done_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.code_edit)
        layout.addWidget(self.buttons)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.buttons.accepted.connect(self.accept)

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self._code)

    def _on_print_button_clicked(self) -> None:
        printer = QPrinter()
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        self.document().print_(printer)

    def document(self) -> QTextDocument:
        """The printed page: what the code is for, and the code in large type."""
        page = QTextDocument(self)
        page.setHtml(
            "<h2>{title}</h2><p>{what}</p><p style='font-family: monospace; font-size: 16pt'>"
            "{code}</p>".format(
                title=self.tr("Facilitator recovery code"),
                what=self.tr(
                    "This code restores the key that encrypts the clinic's data (facilitator "
                    "key recover). Keep it locked away: with it and the data folder, anyone "
                    "can read the records."
                ),
                code=self._code,
            )
        )
        return page
