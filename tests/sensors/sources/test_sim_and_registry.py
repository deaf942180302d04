"""Opening sources by URI, and the simulated sensor through the real decoder and analysis."""

from __future__ import annotations

import pytest
from runner_helpers import collect

from sensors.errors import InputError
from sensors.events import Closed, Connected, RepCompleted
from sensors.pipeline import LivePipeline, analyze
from sensors.runner import Runner
from sensors.simulator import PRESETS, simulate
from sensors.sources import SCHEMES, open_source


@pytest.mark.parametrize("uri", ["nope://x", "COM3", "/dev/ttyUSB0", ""])
def test_unknown_scheme_lists_the_schemes(uri):
    with pytest.raises(InputError) as info:
        open_source(uri)
    for scheme in SCHEMES:
        assert f"{scheme}" in str(info.value)


@pytest.mark.parametrize(
    ("uri", "words"),
    [
        ("sim://no_such_preset", "hip_thrust_3s_hold"),
        ("sim://glute_bridge?rate=fast", "rate='fast' must be a number"),
        ("sim://glute_bridge?colour=red", "unknown parameter 'colour'"),
        ("serial://", "name the port"),
        ("serial:///dev/ttyUSB0?baud=-3", "baud"),
        ("replay://", "name the recording"),
        ("witmotion+serial://COM3?rate=5000", "rate"),
    ],
)
def test_bad_parameters_say_what_is_accepted(uri, words):
    with pytest.raises(InputError, match=words):
        open_source(uri)


def test_simulated_sensor_reps_match_the_truth_and_the_batch_analysis():
    recording = simulate(PRESETS["touch_and_go"])
    runner = Runner("sim://touch_and_go?speed=max", pipeline=LivePipeline())
    block, events, counters, traces = collect(runner)
    assert isinstance(events[1], Connected) and isinstance(events[-1], Closed)
    reps = [e.rep for e in events if isinstance(e, RepCompleted)]
    # nothing lost or added on the way: the live reps are the batch reps of the simulator block
    batch = analyze(recording.block).reps
    assert len(reps) == len(batch)
    for rep, same in zip(reps, batch, strict=True):
        got, want = rep.to_dict(), same.to_dict()
        assert [k for k, v in got.items() if v is None] == [k for k, v in want.items() if v is None]
        measured = {k: v for k, v in got.items() if v is not None}
        assert measured == pytest.approx({k: want[k] for k in measured}, rel=1e-9, abs=1e-12)
    assert len(reps) == len(recording.truth.reps)
    for rep, true in zip(reps, recording.truth.reps, strict=True):
        assert rep.rom_m == pytest.approx(true.rom_m, abs=0.01)
        assert rep.start_s == pytest.approx(true.start_s, abs=0.08)
    assert len(block) == len(recording.block)
    assert sum(len(tr) for tr in traces) == len(block)
    assert counters.bad_frames == 0 and counters.dropped_samples == 0
