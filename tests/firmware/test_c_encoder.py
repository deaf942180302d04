"""The C protocol code (firmware_stubs/) builds with gcc -Werror and passes its host tests,
which check the C encoder byte for byte against the golden vectors shared with Python."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIRMWARE = Path(__file__).resolve().parents[2] / "firmware_stubs"


def test_c_encoder_matches_the_golden_vectors():
    missing = [tool for tool in ("gcc", "make") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed: the C protocol tests need both")
    result = subprocess.run(
        ["make", "-C", str(FIRMWARE), "test", f"PYTHON={sys.executable}"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    summary = re.search(r"(\d+) checks, (\d+) failed", result.stdout)
    assert summary is not None, output
    assert int(summary.group(1)) > 100 and summary.group(2) == "0", output
