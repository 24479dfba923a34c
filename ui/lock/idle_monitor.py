"""Notices when nobody has touched the keyboard or mouse of any window for a while."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.InputMethod,
    }
)


class IdleMonitor(QObject):
    """An application-wide event filter: `timed_out` after `timeout_ms` without input.

    Input only restarts a clock (cheap for every mouse move); one timer checks the clock when
    the time could be up and waits the rest if there was input since.
    """

    timed_out = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timeout_ms = timeout_ms
        self._since_input = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)
        application = QApplication.instance()
        assert application is not None
        application.installEventFilter(self)

    @property
    def timeout_ms(self) -> int:
        return self._timeout_ms

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self._timeout_ms = timeout_ms
        if self._timer.isActive():
            self.restart()

    def restart(self) -> None:
        """Count from now (after unlocking)."""
        self._since_input.start()
        self._timer.start(self._timeout_ms)

    def stop(self) -> None:
        """Stop counting (while locked)."""
        self._timer.stop()

    def remove(self) -> None:
        self.stop()
        application = QApplication.instance()
        if application is not None:
            application.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self._since_input.start()
        return False

    def _on_timer_timeout(self) -> None:
        remaining = self._timeout_ms - self._since_input.elapsed()
        if remaining > 0:
            self._timer.start(remaining)
        else:
            self.timed_out.emit()
