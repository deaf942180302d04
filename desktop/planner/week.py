"""The week around the hip thrust: deadlift days 7 to 10 days apart, hip thrust as the second
posterior-chain session, lower-demand work on shift days, safe substitutes for flagged problems.

``plan_week(start, ...)`` lays out the days from ``start`` with a reason in words for every
choice; ``adapt_plan`` applies the same substitutions to a session's plan; and
``check_deadlift_spacing`` names deadlift days that are too close. The numbers are below.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date as Date
from datetime import timedelta
from itertools import pairwise

from desktop.planner.exercises import DEMANDS, Exercise, ExerciseLibrary
from desktop.planner.plans import Plan, PlannedExercise, PlannedSet

DEADLIFT = "deadlift"
DEADLIFT_DAY_WORK = (DEADLIFT, "glute_ham_raise")
"""The deadlift day: the deadlift, then a hamstring partner."""
DEADLIFT_MIN_GAP_DAYS = 7
"""Deadlift at most once every 7 to 10 days: never closer than this..."""
DEADLIFT_MAX_GAP_DAYS = 10
"""...and no further apart than this unless shifts leave no other day."""
SECOND_SESSION_DAYS = (2, 4)
"""The hip thrust session comes this many days (first, last) after the deadlift day."""
MIN_REST_DAYS = 2
"""Posterior-chain sessions at least this many days apart."""
SHIFT_MAX_DEMAND = "low"
"""Highest nervous-system demand allowed on a day on shift."""
PROBLEM_WORDS = {
    "upper_body": "upper-body problem",
    "low_back": "low-back problem",
    "knee": "knee problem",
}


@dataclass(frozen=True, slots=True)
class Work:
    """One exercise of a day: ``exercise`` (None: skipped) replacing ``replaces``, and why."""

    exercise: str | None
    replaces: str | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class DayPlan:
    """One day: ``focus`` is ``deadlift``, ``hip_thrust`` or ``rest``."""

    date: Date
    on_shift: bool
    focus: str
    work: tuple[Work, ...]
    reasons: tuple[str, ...]


def plan_week(
    start: Date,
    hip_work: Sequence[str],
    library: ExerciseLibrary,
    *,
    last_deadlift: Date | None = None,
    shift_days: Collection[Date] = (),
    problems: Collection[str] = (),
    days: int = 7,
) -> list[DayPlan]:
    """``days`` days from ``start``: one deadlift day if the spacing allows, one hip thrust
    session (the exercises ``hip_work``, ids), rest otherwise."""
    dates = [start + timedelta(days=i) for i in range(days)]
    shift = set(shift_days)
    deadlift_day, deadlift_reason = _deadlift_day(dates, last_deadlift, shift)
    hip_day, hip_reason = _hip_day(dates, last_deadlift, deadlift_day, shift)
    week = []
    for d in dates:
        on_shift = d in shift
        if d == deadlift_day:
            focus, exercises, reasons = "deadlift", list(DEADLIFT_DAY_WORK), [deadlift_reason]
        elif d == hip_day:
            focus, exercises, reasons = "hip_thrust", list(hip_work), [hip_reason]
        else:
            focus, exercises, reasons = "rest", [], []
        if d == dates[0] and deadlift_day is None:
            reasons.append(deadlift_reason)
        choices = [safe_choice(library.get(e), problems, on_shift, library) for e in exercises]
        work = tuple(w for i, w in enumerate(choices) if not _repeats(w, choices[:i]))
        reasons += [w.reason for w in work if w.reason]
        week.append(DayPlan(d, on_shift, focus, work, tuple(reasons)))
    return week


def safe_choice(
    exercise: Exercise, problems: Collection[str], on_shift: bool, library: ExerciseLibrary
) -> Work:
    """The exercise itself, or its first substitute that spares the flagged ``problems`` and,
    on shift, keeps the demand on the nervous system low."""
    flagged = set(problems)
    too_hard = on_shift and exercise.demand_level > DEMANDS.index(SHIFT_MAX_DEMAND)
    hurts = exercise.aggravates(flagged)
    if not (hurts or too_hard):
        return Work(exercise.id)
    if hurts:
        problem = next(p for p in exercise.stresses if p in flagged)
        why = f"{PROBLEM_WORDS[problem]} flagged"
    else:
        why = "on shift, lower demand on the nervous system"
    for sub_id in exercise.substitutes:
        sub = library.get(sub_id)
        if sub.aggravates(flagged):
            continue
        if on_shift and sub.demand_level > DEMANDS.index(SHIFT_MAX_DEMAND):
            continue
        return Work(
            sub.id, exercise.id, f"{why}: {sub.name.lower()} instead of {exercise.name.lower()}"
        )
    return Work(
        None, exercise.id, f"{why}: no safe substitute for {exercise.name.lower()}, skip it"
    )


def adapt_plan(
    plan: Plan,
    library: ExerciseLibrary,
    *,
    problems: Collection[str] = (),
    on_shift: bool = False,
) -> tuple[Plan, list[str]]:
    """The plan with each exercise replaced as ``safe_choice`` says, and the reasons.

    Two-leg sets become a left and a right set when the substitute is single-leg (and the
    other way round one set per pair); the load is dropped when the substitute takes none.
    """
    reasons: list[str] = []
    sessions = []
    for session in plan.sessions:
        exercises = []
        for planned in session.exercises:
            work = safe_choice(library.get(planned.exercise), problems, on_shift, library)
            if work.reason:
                reasons.append(work.reason)
            if work.exercise is None:
                continue
            if work.replaces is None:
                exercises.append(planned)
                continue
            sub = library.get(work.exercise)
            exercises.append(PlannedExercise(sub.id, _sets_for(planned.sets, sub), work.reason))
        sessions.append(replace(session, exercises=_merged(exercises)))
    return replace(plan, sessions=tuple(sessions)), reasons


def _merged(exercises: list[PlannedExercise]) -> tuple[PlannedExercise, ...]:
    """One entry per exercise: the sets of a later twin join the first one."""
    by_id: dict[str, PlannedExercise] = {}
    for e in exercises:
        first = by_id.get(e.exercise)
        by_id[e.exercise] = e if first is None else replace(first, sets=first.sets + e.sets)
    return tuple(by_id.values())


def _sets_for(sets: Iterable[PlannedSet], sub: Exercise) -> tuple[PlannedSet, ...]:
    out: list[PlannedSet] = []
    for s in sets:
        if not sub.loadable:
            s = replace(s, load_kg=0.0)
        if sub.unilateral and s.side == "both":
            out += [replace(s, side="left"), replace(s, side="right")]
        elif not sub.unilateral and s.side != "both":
            if s.side == "left" or not out:
                out.append(replace(s, side="both"))
        else:
            out.append(s)
    return tuple(out)


def _repeats(work: Work, before: Sequence[Work]) -> bool:
    """True when an earlier choice already gives this exercise (a substitute met its twin)."""
    return work.exercise is not None and any(w.exercise == work.exercise for w in before)


def check_deadlift_spacing(dates: Iterable[Date]) -> list[str]:
    """Warnings, in words, for deadlift days closer than 7 or further than 10 days apart."""
    ordered = sorted(set(dates))
    warnings = []
    for a, b in pairwise(ordered):
        gap = (b - a).days
        if gap < DEADLIFT_MIN_GAP_DAYS:
            warnings.append(
                f"deadlift days {a} and {b} are {gap} days apart: keep them "
                f"{DEADLIFT_MIN_GAP_DAYS} to {DEADLIFT_MAX_GAP_DAYS} days apart"
            )
        elif gap > DEADLIFT_MAX_GAP_DAYS:
            warnings.append(
                f"deadlift days {a} and {b} are {gap} days apart, more than "
                f"{DEADLIFT_MAX_GAP_DAYS}: strength fades between them"
            )
    return warnings


def _deadlift_day(
    dates: list[Date], last: Date | None, shift: set[Date]
) -> tuple[Date | None, str]:
    earliest = dates[0] if last is None else last + timedelta(days=DEADLIFT_MIN_GAP_DAYS)
    window = [d for d in dates if d >= earliest]
    if not window:
        return None, (f"no deadlift this week: the last was {last}, the next not before {earliest}")
    off = [d for d in window if d not in shift]
    if not off:
        return window[0], f"every day from {window[0]} is on shift: deadlift day on shift"
    day = off[0]
    if last is None:
        return day, "deadlift on the first day off shift"
    gap = (day - last).days
    reason = f"deadlift {gap} days after the last one ({last})"
    if gap > DEADLIFT_MAX_GAP_DAYS:
        reason += f", later than {DEADLIFT_MAX_GAP_DAYS} days: the days before were on shift"
    return day, reason


def _hip_day(
    dates: list[Date], last: Date | None, deadlift: Date | None, shift: set[Date]
) -> tuple[Date | None, str]:
    def previous_deadlift(d: Date) -> Date | None:
        if deadlift is not None and deadlift < d:
            return deadlift
        return last if last is not None and last < d else None

    def allowed(d: Date) -> bool:
        if deadlift is not None and abs((d - deadlift).days) < MIN_REST_DAYS:
            return False
        prev = previous_deadlift(d)
        return prev is None or (d - prev).days >= MIN_REST_DAYS

    def second_session(d: Date) -> bool:
        prev = previous_deadlift(d)
        first, final = SECOND_SESSION_DAYS
        return prev is not None and first <= (d - prev).days <= final

    candidates = [d for d in dates if allowed(d)]
    if not candidates:
        return None, ""
    # off shift first, then in the days after a deadlift, then the earliest
    best = min(candidates, key=lambda d: (d in shift, not second_session(d), d))
    prev = previous_deadlift(best)
    if prev is None:
        reason = "hip thrust session: no deadlift before it"
    else:
        reason = (
            "hip thrust as the second posterior-chain session, "
            f"{(best - prev).days} days after the deadlift ({prev})"
        )
    if best in shift:
        reason += "; on shift"
    return best, reason
