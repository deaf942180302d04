"""A recording process killed mid-set, or stopped by a full disk, keeps what it wrote."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from libdata import rep_dicts, same_block
from recording_child import FAST_UNTIL_S, crash_scenario

from desktop.library import Library

CHILD = Path(__file__).with_name("recording_child.py")
KILL_AT_S = FAST_UNTIL_S + 1.5
"""Sample time at which the test kills the child: mid-set, after real-time recording."""

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL and RLIMIT_FSIZE")


def _start(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(CHILD.parent), *sys.path]))
    return subprocess.Popen(
        [sys.executable, str(CHILD), *args], stdout=subprocess.PIPE, text=True, env=env
    )


def test_killed_recording_is_recovered_up_to_the_last_second(tmp_path):
    reported = -1.0
    with _start("crash", str(tmp_path)) as child:
        try:
            session_id = int(child.stdout.readline().split("=")[1])
            for line in child.stdout:
                reported = float(line.split("=")[1])
                if reported >= KILL_AT_S:
                    break
        finally:
            os.kill(child.pid, signal.SIGKILL)
    assert child.returncode == -signal.SIGKILL
    assert reported >= KILL_AT_S, "the child ended before the kill point"

    expected = crash_scenario()
    with Library.open(tmp_path) as library:
        assert [s.id for s in library.recovered] == [session_id]
        info = library.session(session_id)
        assert info.status == "recovered"
        samples = library.samples(session_id)
        reps = library.reps(session_id)
    kept = len(samples)
    assert same_block(samples, expected.block[:kept])
    assert samples.t[-1] >= reported - 1.0
    assert info.sample_count == kept
    complete_long_before = [r for r in expected.truth.reps if r.end_s <= reported - 1.0]
    complete_at_kill = [r for r in expected.truth.reps if r.end_s <= reported]
    assert len(complete_long_before) >= 2
    assert rep_dicts(complete_long_before) == rep_dicts(reps[: len(complete_long_before)])
    assert rep_dicts(reps) == rep_dicts(complete_at_kill[: len(reps)])
    assert {r.set_index for r in reps} == {1}


def test_full_disk_stops_recording_with_a_clear_message_and_keeps_what_was_written(tmp_path):
    with _start("full", str(tmp_path), str(60_000)) as child:
        out, _ = child.communicate(timeout=60)
    assert child.returncode == 0
    lines = out.splitlines()
    session_id = int(lines[0].split("=")[1])
    errors = [line for line in lines if line.startswith("error=")]
    assert len(errors) == 1
    assert "disk may be full" in errors[0]
    assert "What was saved before is kept" in errors[0]
    with Library.open(tmp_path) as library:
        info = library.session(session_id)
        samples = library.samples(session_id)
    assert info.status in ("stopped", "recovered")
    assert 0 < len(samples) < len(crash_scenario().block)
    assert same_block(samples, crash_scenario().block[: len(samples)])
