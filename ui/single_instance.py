"""One running app per data folder: its lock, and a local socket to wake that app.

The lock is the one every command takes too (facilitator.instance_lock: an OS file lock that
dies with its process, so a crash never leaves it stale). A second launch on the same folder
finds it held by the app, asks the running app (through a QLocalServer whose name is derived
from the folder) to bring its window to the front, and quits, so the database is never
opened twice. When a command holds it (a restore from the command line), `holder` says so.
"""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QWidget

from facilitator.instance_lock import APP, FolderInUseError, InstanceLock, LockHolder

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
        self._lock = InstanceLock(data_dir, APP)
        self.holder: LockHolder | None = None  # who has the folder, when acquire() says no
        self._name = server_name(data_dir)
        self._server: QLocalServer | None = None
        self.activation_requested.connect(self._on_activation_requested)

    def acquire(self) -> bool:
        """True when this process may open the folder; False when another process has it
        (`holder` says who: an app was asked to come to the front)."""
        try:
            self._data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._lock.acquire()
        except FolderInUseError as error:
            self.holder = error.holder
            if error.holder.is_app or not error.holder.role:
                self._ask_running_app()
            return False
        except OSError:
            return True  # no lock can be made here (read-only folder): the open says why
        self._listen()
        return True

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.release()

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
