import math

from plandata import performed, rep, target

from desktop.planner.scoring import PerformedSet, score_set


def test_all_reps_holds_and_range_is_met():
    s = score_set(target((8, 12), hold=3), [rep(i, hold=3.0) for i in range(12)])
    assert s.verdict == "met" and s.top_of_range
    assert s.holds_met == 12 and s.rom_kept and s.rushed_reps == 0
    assert "12 of 12 holds reached 3 s" in s.reasons


def test_hold_tolerance_is_small():
    t = target((8, 12), hold=3)
    assert score_set(t, [rep(i, hold=2.92) for i in range(10)]).holds_met == 10
    short = score_set(t, [rep(i, hold=2.5) for i in range(10)])
    assert short.holds_met == 0 and short.verdict == "partial"
    assert not short.top_of_range


def test_too_few_reps_fail_and_say_so():
    s = score_set(target((8, 12), hold=1), [rep(i) for i in range(5)])
    assert s.verdict == "failed"
    assert s.reasons[0] == "5 of 8 reps"


def test_lost_range_fails_the_set():
    roms = [0.25] * 4 + [0.15] * 6
    s = score_set(target((8, 12), hold=1), [rep(i, rom=r) for i, r in enumerate(roms)])
    assert s.verdict == "failed" and not s.rom_kept
    assert any("range lost: 6 of 10" in r for r in s.reasons)
    assert math.isclose(s.rom_loss_pct, 40.0)


def test_rushed_tempo_and_short_range_against_the_exercise():
    t = target((6, 10), tempo="3-0-2-1")
    s = score_set(t, [rep(i, up=0.8, down=1.0, rom=0.10) for i in range(8)], (0.18, 0.35))
    assert s.rushed_reps == 8 and s.verdict == "partial"
    assert any("rushed against tempo 3-0-2-1" in r for r in s.reasons)
    assert any("short of the expected 18 cm" in r for r in s.reasons)


def test_no_reps_and_unmeasured_holds():
    assert score_set(target((6, 10)), []).verdict == "failed"
    s = score_set(target((1, 3), hold=1), [rep(1, hold=math.nan)])
    assert s.holds_met == 0


def test_library_rows_become_performed_sets():
    row = {
        "session_id": 7,
        "date": "2026-11-03T17:00:00+00:00",
        "side": None,
        "load_kg": None,
        "targets": {"reps": 12, "hold_s": 3, "tempo": "2-1-1-3"},
        "rep_count": 12,
        "holds_s": [3.1] * 12,
        "roms_m": [0.24] * 12,
    }
    p = PerformedSet.from_library(row, "hip_thrust")
    assert (p.side, p.load_kg, p.target.reps_min, p.target.hold_s) == ("both", 0.0, 12, 3)
    assert p.score().verdict == "met"
    no_tempo = PerformedSet.from_library({**row, "targets": {"reps": 10, "hold_s": None}}, "x")
    assert no_tempo.target.hold_s == 0 and no_tempo.session == 7


def test_performed_from_reps_keeps_phases():
    p = PerformedSet.from_reps(
        performed(0, "hip_thrust").date, 1, "hip_thrust", target((6, 10)), [rep(1, up=0.2)]
    )
    assert p.concentric_s == (0.2,)
    assert p.score().rushed_reps == 1
