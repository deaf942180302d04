"""Fixtures for the window tests: a real MainWindow on a data folder of its own."""

import pytest

import desktop.app  # noqa: F401  (protects CPython 3.11 from the PySide6 6.12 refcount bug)


@pytest.fixture
def open_window(qtbot, tmp_path):
    """``open_window(source=..., data_dir=..., planner=False, extras=False)`` builds, shows and
    finally closes the window (without the planner panel and the extra views unless asked:
    tests set their own targets and install what they test)."""
    from desktop.app.main import build_window
    from desktop.app.theme import apply_theme

    windows = []

    def make(
        source: str | None = None, data_dir=None, planner: bool = False, extras=False, **kwargs
    ):
        from PySide6.QtWidgets import QApplication

        apply_theme(QApplication.instance())
        folder = str(data_dir or tmp_path / "data")
        window = build_window(folder, source=source, planner=planner, extras=extras, **kwargs)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
