"""Warning and confirmation colours that keep their contrast on light and dark palettes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

WARNING_ON_LIGHT = QColor(176, 0, 32)  # a dark red that reads on light backgrounds
WARNING_ON_DARK = QColor(255, 138, 128)  # a light red that reads on dark backgrounds
CONFIRMED_ON_LIGHT = QColor(46, 125, 50)  # a dark green
CONFIRMED_ON_DARK = QColor(129, 199, 132)  # a light green


def is_dark(role: QPalette.ColorRole = QPalette.ColorRole.Base) -> bool:
    """Whether the application palette's `role` (Base: tables and fields; Window: labels)
    is a dark colour."""
    return QGuiApplication.palette().color(role).lightnessF() < 0.5


def warning_color(role: QPalette.ColorRole = QPalette.ColorRole.Base) -> QColor:
    """The red for refusals and flags drawn on the palette's `role`."""
    return WARNING_ON_DARK if is_dark(role) else WARNING_ON_LIGHT


def warning_style(bold: bool = False) -> str:
    """A style sheet for a label that says what went wrong, on the window background."""
    color = warning_color(QPalette.ColorRole.Window).name()
    return f"color: {color};" + (" font-weight: bold;" if bold else "")


def confirmation_style() -> str:
    """A bold green style sheet for a label that confirms a state (a note is signed)."""
    dark = is_dark(QPalette.ColorRole.Window)
    color = (CONFIRMED_ON_DARK if dark else CONFIRMED_ON_LIGHT).name()
    return f"color: {color}; font-weight: bold;"
