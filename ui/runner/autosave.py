"""Autosave for participant notes: a throttle on the UI thread, the writes on a worker thread."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from facilitator.services.draft_writer import DraftKey, DraftWriter, SaveDraft
from facilitator.services.session_sheet import NoteDraft

SAVE_DELAY_MS = 700
"""A change is handed to the writer at most this long after it is made, however fast one types."""


class Autosave(QObject):
    """Collects the newest draft of each note and writes it within a second, off the UI thread."""

    saved = Signal(object)  # DraftKey
    failed = Signal(object, str)  # DraftKey, message
    state_changed = Signal(str)  # "saving", "saved" or "failed"

    def __init__(
        self,
        save: SaveDraft,
        parent: QObject | None = None,
        describe: Callable[[Exception], str] = str,
    ) -> None:
        """`describe` turns a failed save into the message the user sees."""
        super().__init__(parent)
        self._describe = describe
        self._latest: dict[DraftKey, tuple[uuid.UUID | None, NoteDraft]] = {}
        self._queued: set[DraftKey] = set()
        self._unsaved: set[DraftKey] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.hand_over)
        self._writer = DraftWriter(save, on_saved=self.saved.emit, on_failed=self._report)
        self.saved.connect(self._on_saved)

    def change(self, key: DraftKey, author_id: uuid.UUID | None, draft: NoteDraft) -> None:
        """Record the newest content of a note; it is written shortly without further action."""
        self._latest[key] = (author_id, draft)
        self._queued.add(key)
        self._unsaved.add(key)
        self.state_changed.emit("saving")
        if not self._timer.isActive():
            self._timer.start()

    def latest(self, key: DraftKey) -> NoteDraft | None:
        """The newest draft typed for a note in this window, saved or not."""
        entry = self._latest.get(key)
        return entry[1] if entry else None

    def unsaved(self) -> set[DraftKey]:
        """Notes whose newest draft is not yet confirmed on disk."""
        return set(self._unsaved)

    def hand_over(self) -> None:
        """Pass every changed draft to the writer now (on switching, closing, locking)."""
        self._timer.stop()
        for key in self._queued:
            author_id, draft = self._latest[key]
            self._writer.submit(key, author_id, draft)
        self._queued.clear()

    def save_now(self, timeout: float = 10.0) -> bool:
        """Write every changed draft and wait for it (before locking); writing goes on after."""
        self.hand_over()
        return self._writer.flush(timeout)

    def finish(self, timeout: float = 10.0) -> bool:
        """Write everything and stop; False when some draft could not be written."""
        self.hand_over()
        written = self._writer.close(timeout)
        if written:
            self._unsaved.clear()
        return written

    def _report(self, key: DraftKey, error: Exception) -> None:
        self.failed.emit(key, self._describe(error))
        self.state_changed.emit("failed")

    def _on_saved(self, key: DraftKey) -> None:
        pending = self._writer.pending()
        if key not in self._queued and key not in pending:
            self._unsaved.discard(key)
        if not self._queued and not pending:
            self.state_changed.emit("saved")


def throttled(callback: Callable[[], None], delay_ms: int, parent: QObject) -> Callable[[], None]:
    """Call `callback` once, `delay_ms` after the first of a burst of calls."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(delay_ms)
    timer.timeout.connect(callback)

    def trigger() -> None:
        if not timer.isActive():
            timer.start()

    return trigger
