"""The analysis pipeline: live equals batch, events in order, bad input handled."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sensors.events import (
    HoldEnded,
    HoldTargetReached,
    RepCompleted,
    RepStarted,
    SetEnded,
    TopReached,
)
from sensors.pipeline import LivePipeline, MotionTrace, analyze
from sensors.samples import SampleBlock
from sensors.simulator import SetScenario, simulate

RECORDING = simulate(
    SetScenario(exercise="hip_thrust", reps=4, hold_s=2.0, rate_hz=100, rest_s=5, seed=7)
)


def run_live(block: SampleBlock, sizes: list[int], **kwargs):
    pipeline = LivePipeline(**kwargs)
    events = []
    start = 0
    i = 0
    while start < len(block):
        size = sizes[i % len(sizes)]
        events.extend(pipeline.process(block[start : start + size]).events)
        start += size
        i += 1
    events.extend(pipeline.finish().events)
    return pipeline, events


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=1, max_value=700), min_size=1, max_size=12))
def test_any_split_gives_the_batch_reps(sizes):
    batch = analyze(RECORDING.block)
    live, _ = run_live(RECORDING.block, sizes)
    assert len(batch.reps) == len(RECORDING.truth.reps)
    assert len(live.reps) == len(batch.reps)
    for a, b in zip(live.reps, batch.reps, strict=True):
        for name, value in a.to_dict().items():
            other = b.to_dict()[name]
            if value is None:
                assert other is None, name
            else:
                assert value == pytest.approx(other, rel=1e-9, abs=1e-9), name
    assert [s.rep_count for s in live.sets] == [s.rep_count for s in batch.sets]


def test_live_events_follow_each_rep_in_order():
    _, events = run_live(RECORDING.block, [10], hold_target_s=1.0)
    kinds = [type(e) for e in events if not isinstance(e, SetEnded)]
    completed = [e for e in events if isinstance(e, RepCompleted)]
    assert len(completed) == len(RECORDING.truth.reps)
    for rep_event in completed:
        rep = rep_event.rep
        near = [e for e in events if rep.start_s - 0.3 <= e.t_s <= rep.end_s + 0.01]
        order = [type(e) for e in near]
        assert order.index(RepStarted) < order.index(TopReached) < order.index(HoldEnded)
        target = next(e for e in near if isinstance(e, HoldTargetReached))
        top = next(e for e in near if isinstance(e, TopReached))
        assert target.t_s == pytest.approx(top.t_s + 1.0)
    assert HoldTargetReached in kinds
    assert isinstance(events[-1], SetEnded)


def test_batch_matches_truth_on_a_clean_set():
    result = analyze(RECORDING.block)
    truth = RECORDING.truth.reps
    assert len(result.reps) == len(truth)
    for rep, true in zip(result.reps, truth, strict=True):
        assert rep.rom_m == pytest.approx(_get(true, "rom_m"), abs=0.01)
        assert rep.hold_s == pytest.approx(_get(true, "hold_s"), abs=0.08)
        assert rep.start_s == pytest.approx(_get(true, "start_s"), abs=0.08)


def _get(rep, name):
    return rep[name] if isinstance(rep, dict) else getattr(rep, name)


def _corrupt(block: SampleBlock, **changes) -> SampleBlock:
    arrays = {"t": block.t.copy(), "acc": block.acc.copy(), "gyr": block.gyr.copy()}
    for key, fn in changes.items():
        fn(arrays[key])
    return SampleBlock.from_arrays(arrays["t"], arrays["acc"], arrays["gyr"], block.gap)


def test_nan_and_infinite_samples_are_ignored_and_noted():
    def poison(acc):
        acc[500:510, 0] = np.nan
        acc[900, 2] = np.inf

    result = analyze(_corrupt(RECORDING.block, acc=poison))
    assert len(result.reps) == len(RECORDING.truth.reps)
    assert any("NaN or infinite" in n for n in result.notes)


def test_duplicate_and_backward_timestamps_are_dropped():
    def shuffle(t):
        t[300] = t[299]
        t[700] = t[650]

    result = analyze(_corrupt(RECORDING.block, t=shuffle))
    assert len(result.reps) == len(RECORDING.truth.reps)
    assert any("backward" in n for n in result.notes)


def test_a_gap_of_seconds_restarts_velocity_without_ghost_reps():
    block = RECORDING.block
    first_start = _get(RECORDING.truth.reps[0], "start_s")
    cut = int(np.searchsorted(block.t, first_start)) - 150
    t = block.t.copy()
    t[cut:] += 4.0
    gap = block.gap.copy()
    gap[cut] = True
    result = analyze(SampleBlock.from_arrays(t, block.acc, block.gyr, gap))
    assert len(result.reps) == len(RECORDING.truth.reps)
    assert any("longer than 1 s" in n for n in result.notes)


def test_no_motion_gives_an_empty_result_with_a_note():
    n = 3000
    t = np.arange(n) / 100
    acc = np.tile([0.1, -0.2, 9.79], (n, 1)) + np.random.default_rng(1).normal(0, 0.02, (n, 3))
    result = analyze(SampleBlock.from_arrays(t, acc, np.zeros((n, 3))))
    assert result.reps == [] and result.sets == []
    assert "no reps found" in result.notes


def test_three_samples_say_too_few():
    block = RECORDING.block[:3]
    result = analyze(block)
    assert result.reps == []
    assert any("at least 16" in n for n in result.notes)


def test_saturated_accelerometer_is_noted():
    def clip(acc):
        acc[1000:1012, 2] = 2 * 9.80665  # the bar dropped on the hips: a 2 g range clipped

    result = analyze(_corrupt(RECORDING.block, acc=clip))
    assert any("saturated" in n for n in result.notes)


def test_json_document_has_the_documented_keys():
    doc = analyze(RECORDING.block).to_dict()
    keys = {
        "index",
        "start_s",
        "top_s",
        "end_s",
        "hold_s",
        "rom_m",
        "concentric_s",
        "eccentric_s",
        "bottom_pause_s",
        "mean_velocity_mps",
        "peak_velocity_mps",
    }
    assert keys <= set(doc["reps"][0])
    assert doc["reps"][0]["bottom_pause_s"] is None  # first rep of a set
    assert all(math.isfinite(doc["reps"][1][k]) for k in keys)


def test_refined_motion_revisits_live_samples_with_the_batch_values():
    pipeline = LivePipeline()
    live_t, refined = [], []
    block = RECORDING.block
    for start in range(0, len(block), 25):
        out = pipeline.process(block[start : start + 25])
        live_t.append(out.trace.t)
        refined.append(out.refined)
    released = MotionTrace.concat(refined)
    shown = np.concatenate(live_t)
    assert np.all(np.diff(released.t) > 0)
    # all but the still-open tail is released, each sample once, at a time already shown
    assert np.isin(released.t, shown).all()
    assert len(released) > 0.8 * len(shown)
    batch = analyze(block).trace
    same = np.isin(batch.t, released.t)
    np.testing.assert_allclose(released.height_m, batch.height_m[same], atol=1e-9)
