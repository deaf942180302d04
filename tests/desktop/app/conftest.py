"""Fixtures for the window tests: a real MainWindow on a data folder of its own."""

import pytest

import desktop.app  # noqa: F401  (protects CPython 3.11 from the PySide6 6.12 refcount bug)


@pytest.fixture
def open_window(qtbot, tmp_path):
    """``open_window(source=..., data_dir=..., planner=False)`` builds, shows and finally closes
    the window (without the planner panel unless asked: tests set their own targets)."""
    from desktop.app.main import build_window
    from desktop.app.theme import apply_theme

    windows = []

    def make(source: str | None = None, data_dir=None, planner: bool = False):
        from PySide6.QtWidgets import QApplication

        apply_theme(QApplication.instance())
        window = build_window(str(data_dir or tmp_path / "data"), source=source, planner=planner)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
