"""SetModel: hands-free set state, hold timer, cues and per-rep flags from analysis events."""

import math

import pytest

from desktop.app.set_model import SetModel, SetTargets, rep_flags, tempo_text
from sensors.events import (
    HoldEnded,
    HoldTargetReached,
    RepCompleted,
    RepStarted,
    SetEnded,
    SetStarted,
    TopReached,
)
from sensors.metrics import RepMetrics, SetSummary


def rep(index: int, *, rom=0.30, hold=3.1, up=1.0, down=2.5, set_index=1) -> RepMetrics:
    start = 10.0 * index
    return RepMetrics(
        index=index,
        set_index=set_index,
        start_s=start,
        top_s=start + up,
        end_s=start + up + hold + down,
        hold_s=hold,
        rom_m=rom,
        concentric_s=up,
        eccentric_s=down,
        bottom_pause_s=math.nan if index == 1 else 1.0,
        mean_velocity_mps=0.3,
        peak_velocity_mps=0.5,
        forward_at_top_m=0.01,
        tilt_change_deg=math.nan,
    )


def summary(n: int) -> SetSummary:
    return SetSummary(1, 10.0, 80.0, n, 3.0, 0.3, 5.0, 10.0)


def test_a_rep_walks_through_hold_states_and_cues():
    m = SetModel(SetTargets(hold_s=3.0))
    assert m.state == "armed"
    assert m.apply([RepStarted(10.0, 1)]) == []
    assert m.rep_started_s == 10.0
    m.apply([TopReached(11.0, 1)])
    assert m.hold.elapsed_s(12.5) == 1.5 and not m.hold.target_reached
    assert m.apply([HoldTargetReached(14.0, 1, 3.0)]) == ["hold"]
    assert m.hold.target_reached
    m.apply([HoldEnded(14.1, 1, 3.1)])
    assert m.hold.elapsed_s(99.0) == pytest.approx(3.1)  # frozen once the hold ended
    cues = m.apply([SetStarted(10.0, 1), RepCompleted(16.1, rep(1))])
    assert cues == ["rep"] and m.state == "running" and len(m.reps) == 1
    assert m.rep_started_s is None


def test_set_end_then_next_rep_arms_the_next_planned_set():
    first, second = SetTargets(reps=8, hold_s=3.0), SetTargets(reps=12, hold_s=1.0)
    m = SetModel()
    m.set_plan(first, [second])
    m.apply([SetStarted(10.0, 1), RepCompleted(16.0, rep(1))])
    assert m.apply([SetEnded(40.0, summary(1))]) == ["set_end"]
    assert m.state == "done" and m.upcoming == second and m.sets_done == 1
    assert len(m.reps) == 1  # the summary stays until the next set begins
    m.apply([SetStarted(100.0, 2), RepCompleted(106.0, rep(2, set_index=2))])
    assert m.set_number == 2 and m.targets == second and m.state == "running"
    assert [r.index for r in m.reps] == [2]


def test_flags_say_why_a_rep_missed():
    t = SetTargets(hold_s=3.0, tempo_s=(3.0, 1.0, 1.0, 3.0), rom_loss_share=0.15)
    assert rep_flags(rep(1), t, best_rom_m=0.30) == []
    flags = rep_flags(rep(2, rom=0.20, hold=1.2, up=0.4, down=1.0), t, best_rom_m=0.30)
    assert flags == [
        "hold 1.2 s < 3 s",
        "range -33 % of best",
        "rushed up 0.4 s < 1 s",
        "rushed down 1.0 s < 3 s",
    ]


def test_a_new_best_range_reflags_earlier_reps():
    m = SetModel(SetTargets(hold_s=None, tempo_s=None, rom_loss_share=0.1))
    m.apply([RepCompleted(1.0, rep(1, rom=0.25))])
    assert m.flags == [[]]
    revision = m.revision
    m.apply([RepCompleted(2.0, rep(2, rom=0.32))])
    assert m.flags[0] == ["range -22 % of best"] and m.flags[1] == []
    assert m.revision > revision


def test_tempo_texts():
    assert SetTargets(tempo_s=(3.0, 1.0, 1.0, 3.0)).tempo_text() == "3-1-1-3"
    assert SetTargets(tempo_s=None).tempo_text() == "-"
    assert tempo_text((2.04, math.nan, 0.96, 3.0)) == "2.0-?-1.0-3"
