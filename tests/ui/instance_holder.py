"""A process that holds a data folder's single-instance lock, for tests.

Prints "holding" once it has the lock (or "refused" and exits 3), then "activated" and exits
when another launch asks it to come to the front; gives up after 30 seconds.
"""

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ui.single_instance import SingleInstance


def main() -> int:
    app = QApplication([])
    instance = SingleInstance(Path(sys.argv[1]))
    if not instance.acquire():
        print("refused", flush=True)
        return 3
    instance.activation_requested.connect(lambda: (print("activated", flush=True), app.quit()))
    print("holding", flush=True)
    QTimer.singleShot(30_000, app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
