"""The logic behind replay, history, calibration and the self-test imports without Qt."""

import subprocess
import sys

QT_FREE = (
    "desktop.app.replay_analysis",
    "desktop.app.history_model",
    "desktop.app.calibration_steps",
    "desktop.app.calibration_device",
    "desktop.app.auto_calibration",
    "desktop.app.self_test_device",
    "sensors.calibration_fit",
    "sensors.calibration_bench",
    "sensors.self_test",
)


def test_the_models_do_not_import_qt():
    code = (
        "import importlib, sys\n"
        f"for name in {QT_FREE!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
