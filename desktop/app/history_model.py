"""Progress over weeks from the session library: what the history view draws. No Qt.

``weekly_progress(library, athlete, exercise)`` groups the stored reps by ISO week (Monday,
UTC) and returns one ``WeekPoint`` per week with reps per set, the share of reps that held
the target, range of motion (m), top load (kg) and mean concentric velocity (m/s).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

from desktop.library import Library, SessionInfo

HOLD_SLACK_S = 0.05
"""A hold counts as achieved within this much of its target (as the live flags do)."""


@dataclass(frozen=True, slots=True)
class WeekPoint:
    """One week of training; NaN where nothing was measured (no hold target, no load)."""

    week: date
    sessions: int
    sets: int
    reps: int
    reps_per_set: float
    holds_achieved: float
    """Share 0..1 of the reps with a hold target that met it."""
    rom_m: float
    load_kg: float
    velocity_mps: float


def sessions_of(
    library: Library, athlete: str | None = None, exercise: str | None = None
) -> list[tuple[SessionInfo, list[str]]]:
    """Sessions (newest first) with the exercises of their sets, filtered by athlete name
    and by exercise (sessions with a set of it)."""
    result = []
    for info in library.list_sessions(athlete=athlete or None):
        exercises = sorted({s["exercise"] for s in library.sets(info.id) if s["exercise"]})
        if exercise and exercise not in exercises:
            continue
        result.append((info, exercises))
    return result


def weekly_progress(
    library: Library, athlete: str | None = None, exercise: str | None = None
) -> list[WeekPoint]:
    """One point per week with training, oldest first (see the module docstring)."""
    weeks: dict[date, dict] = {}
    for info, _ in sessions_of(library, athlete, exercise):
        week = week_of(info.started_at)
        entry = weeks.setdefault(week, {"sessions": 0, "sets": set(), "reps": []})
        entry["sessions"] += 1
        for fields, rep in library.rep_rows(info.id):
            if exercise and fields.get("exercise") != exercise:
                continue
            entry["sets"].add((info.id, fields.get("idx")))
            entry["reps"].append((fields, rep))
    return [_point(week, weeks[week]) for week in sorted(weeks)]


def week_of(started_at: str) -> date:
    """The Monday (UTC) of the week a session started in (ISO 8601 text)."""
    moment = datetime.fromisoformat(started_at)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    day = moment.date()
    return day - timedelta(days=day.weekday())


def _point(week: date, entry: dict) -> WeekPoint:
    reps = entry["reps"]
    sets = len(entry["sets"])
    targeted = [
        (rep.hold_s, f["targets"]["hold_s"])
        for f, rep in reps
        if (f.get("targets") or {}).get("hold_s")
    ]
    loads = [f.get("load_kg") for f, _ in reps if f.get("load_kg")]
    return WeekPoint(
        week=week,
        sessions=entry["sessions"],
        sets=sets,
        reps=len(reps),
        reps_per_set=len(reps) / sets if sets else math.nan,
        holds_achieved=(
            float(np.mean([h >= t - HOLD_SLACK_S for h, t in targeted])) if targeted else math.nan
        ),
        rom_m=_mean([rep.rom_m for _, rep in reps]),
        load_kg=max(loads) if loads else math.nan,
        velocity_mps=_mean([rep.mean_velocity_mps for _, rep in reps]),
    )


def _mean(values: list[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return float(np.mean(finite)) if finite else math.nan
