"""Shared setup for the firmware tests: build targets of firmware_stubs/Makefile with gcc."""

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

FIRMWARE = Path(__file__).resolve().parents[2] / "firmware_stubs"


@pytest.fixture(scope="session")
def make_firmware() -> Callable[[str], str]:
    """``make_firmware(target)`` runs make in firmware_stubs/, asserts success, returns stdout.

    Skips (with the reason) when gcc or make is not installed.
    """
    missing = [tool for tool in ("gcc", "make") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed: the C firmware tests need both")

    def run(target: str) -> str:
        result = subprocess.run(
            ["make", "-C", str(FIRMWARE), target, f"PYTHON={sys.executable}"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    return run
