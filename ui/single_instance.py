"""One running app per data folder: a lock file in it, and a local socket to wake that app.

A second launch on the same folder finds the lock held, asks the running app (through a
QLocalServer whose name is derived from the folder) to bring its window to the front, and
quits, so the database is never opened twice. A lock left by a process that is gone (a
crash, a power cut) is stale and taken over; a lock is never stale by age alone, since the
app holds it for as long as it runs.
"""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QWidget

LOCK_FILENAME = "facilitator.lock"
ACTIVATE = b"activate\n"
TIMEOUT_MS = 2000


def server_name(data_dir: Path) -> str:
    """The local socket's name: the same for every launch of this user on this folder."""
    identity = f"{getpass.getuser()}\n{data_dir.resolve()}".encode()
    return f"facilitator-{hashlib.sha256(identity).hexdigest()[:24]}"


class SingleInstance(QObject):
    """Holds the data folder's lock while the app runs; brings its window up when asked."""

    activation_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._lock = QLockFile(str(data_dir / LOCK_FILENAME))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone
        self._name = server_name(data_dir)
        self._server: QLocalServer | None = None
        self.activation_requested.connect(self._on_activation_requested)

    def acquire(self) -> bool:
        """True when this process may open the folder; False when another app has it open
        (that app was asked to come to the front)."""
        try:
            self._data_dir.mkdir(parents=True, exist_ok=True)
        except OSError:
            return True  # opening the folder fails next, with a message that says why
        if self._lock.tryLock(0):
            self._listen()
            return True
        if self._lock.error() != QLockFile.LockError.LockFailedError:
            return True  # no lock can be made here (read-only folder): the open says why
        self._ask_running_app()
        return False

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _listen(self) -> None:
        QLocalServer.removeServer(self._name)  # a socket file left by a crashed app
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_server_new_connection)
        if server.listen(self._name):
            self._server = server

    def _ask_running_app(self) -> None:
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if socket.waitForConnected(TIMEOUT_MS):
            socket.write(ACTIVATE)
            socket.waitForBytesWritten(TIMEOUT_MS)
            socket.disconnectFromServer()

    def _on_server_new_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._on_socket_ready_read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._on_socket_ready_read(socket)

    def _on_socket_ready_read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(ACTIVATE.strip()):
            self.activation_requested.emit()

    def _on_activation_requested(self) -> None:
        window = front_window()
        if window is None:
            return
        if window.isMinimized():
            window.showNormal()
        window.raise_()
        window.activateWindow()


def front_window() -> QWidget | None:
    """The window a user should see first: an open dialog, else the app's visible window."""
    modal = QApplication.activeModalWidget()
    if modal is not None:
        return modal
    visible = [w for w in QApplication.topLevelWidgets() if w.isWindow() and w.isVisible()]
    return visible[0] if visible else None
