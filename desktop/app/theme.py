"""The dark theme: Qt palette, resources/style.qss and pyqtgraph colours, in one place.

``apply_theme(app)`` is called once at start. Colours the views need by meaning (height curve,
hold shading, flags) are the constants below, so plots and stylesheet agree.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from desktop.resources import resource_path

BACKGROUND = "#121417"
PANEL = "#1c1f24"
TEXT = "#e8eaed"
MUTED = "#9aa0a6"
HEIGHT = "#4fc3f7"
VELOCITY = "#ffb74d"
TILT = "#ce93d8"
PREVIOUS = "#78909c"
HOLD = "#ffd54f"
HOLD_SHADE = "#3b3620"
"""The hold colour over the plot background, opaque (cheaper to draw than a blend)."""
GOOD = "#66bb6a"
BAD = "#ef5350"

BASE_FONT_PX = 15
"""Text size of ordinary widgets; the big numbers size themselves to their tiles."""


def apply_theme(app: QApplication) -> None:
    """Fusion style, dark palette, the stylesheet and pyqtgraph defaults."""
    app.setStyle("Fusion")
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, PANEL),
        (QPalette.ColorRole.Base, BACKGROUND),
        (QPalette.ColorRole.AlternateBase, PANEL),
        (QPalette.ColorRole.WindowText, TEXT),
        (QPalette.ColorRole.Text, TEXT),
        (QPalette.ColorRole.Button, PANEL),
        (QPalette.ColorRole.ButtonText, TEXT),
        (QPalette.ColorRole.Highlight, "#2e7d32"),
        (QPalette.ColorRole.HighlightedText, TEXT),
        (QPalette.ColorRole.ToolTipBase, PANEL),
        (QPalette.ColorRole.ToolTipText, TEXT),
        (QPalette.ColorRole.PlaceholderText, MUTED),
    ):
        palette.setColor(role, QColor(colour))
    app.setPalette(palette)
    font = app.font()
    font.setPixelSize(BASE_FONT_PX)
    app.setFont(font)
    qss = resource_path("style.qss")
    if qss.is_file():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    pg.setConfigOptions(background=BACKGROUND, foreground=TEXT, antialias=False)
