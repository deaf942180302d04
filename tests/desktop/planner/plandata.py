"""Builders of performed sets and reps for the planner tests."""

from __future__ import annotations

from datetime import date, timedelta

from desktop.library import Library, Recorder
from desktop.planner.plans import PlannedSet, Tempo
from desktop.planner.scoring import PerformedSet
from sensors.events import RepCompleted
from sensors.metrics import RepMetrics

DAY0 = date(2026, 11, 2)  # a Monday


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


def target(reps=(10, 20), tempo="2-0-1-1", hold=None, side="both", load=0.0) -> PlannedSet:
    t = PlannedSet(reps[0], reps[1], Tempo.parse(tempo), load, side)
    return t if hold is None else t.with_hold(hold)


def performed(
    n_day: int,
    exercise: str,
    side: str = "both",
    reps: int = 15,
    hold: float = 1.0,
    held: float | None = None,
    rom: float = 0.25,
    reps_range=(10, 20),
    load: float = 0.0,
    session: int | str | None = None,
    roms: list[float] | None = None,
) -> PerformedSet:
    """A set of ``reps`` reps each held ``held`` s (default: the target) at range ``rom``."""
    t = target(reps_range, hold=hold, side=side, load=load)
    held = hold if held is None else held
    return PerformedSet(
        day(n_day),
        n_day if session is None else session,
        exercise,
        side,
        t,
        tuple([held] * reps),
        tuple(roms if roms is not None else [rom] * reps),
    )


def rep(i: int, hold=1.0, rom=0.25, up=1.0, down=2.0) -> RepMetrics:
    return RepMetrics(
        index=i, set_index=1, start_s=10.0 * i, top_s=10.0 * i + up, end_s=10.0 * i + 5,
        hold_s=hold, rom_m=rom, concentric_s=up, eccentric_s=down, bottom_pause_s=0.0,
        mean_velocity_mps=0.2, peak_velocity_mps=0.4, forward_at_top_m=0.0, tilt_change_deg=0.0,
    )  # fmt: skip


BRIDGE = {"reps_min": 10, "reps_max": 20, "hold_s": 1.0, "tempo": "2-0-1-1"}
"""Targets of a glute bridge set as the planner stores them."""


def record_session(data_dir, athlete, sets):
    """One session of ``sets``: (exercise, side, reps done, hold held s, targets)."""
    with Library.open(data_dir) as lib:
        sid = lib.create_session(athlete=athlete)
        with Recorder(lib, sid) as rec:
            for k, (exercise, side, reps, held, targets) in enumerate(sets, 1):
                rec.begin_set(exercise, side, None, targets)
                rec.add_events([RepCompleted(i, _rep(i, k, held)) for i in range(1, reps + 1)])


def _rep(i, set_index, held):
    r = rep(i, hold=held, rom=0.2)
    return type(r)(**{**{f: getattr(r, f) for f in r.field_names()}, "set_index": set_index})
