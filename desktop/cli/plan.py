"""``hipthrust plan show | today | next``: the progression and the week, without the window.

``show``: the ladder with the athlete's rung, the rung's sets and the technique cues.
``today``: what today holds (deadlift, hip thrust session with its sets, or rest) and why.
``next``: the suggestion for the next hip session with its reason, and the coming days;
``--accept`` or ``--override STAGE [--load KG]`` records the decision in the library.
The athlete's measured sets come from the library when there is one; else the first rung.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta

from desktop.library.store import Library, resolve_path
from desktop.planner.exercises import PROBLEMS, ExerciseLibrary, load_exercises
from desktop.planner.history import (
    EMPTY,
    TrainingRecord,
    choose_athlete,
    read_record,
    save_decision,
)
from desktop.planner.outlook import Conditions, Outlook, make_outlook
from desktop.planner.plans import Plan, default_plan
from desktop.planner.progression import LADDER, accept, override, rung, stage
from desktop.planner.week import DayPlan
from sensors.errors import InputError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "plan",
        help="the hip thrust progression, today's session and the week",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument(
        "--data-dir", default=argparse.SUPPRESS, help="session library folder (as before COMMAND)"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="the ladder, the current rung's sets and cues")
    show.add_argument("--stage", choices=[s.id for s in LADDER], help="show this rung instead")
    today = actions.add_parser("today", help="what today holds, and why")
    nxt = actions.add_parser("next", help="the suggestion for the next session and the week")
    decide = nxt.add_mutually_exclusive_group()
    decide.add_argument("--accept", action="store_true", help="record the suggestion as taken")
    decide.add_argument(
        "--override", metavar="STAGE", choices=[s.id for s in LADDER], help="choose this rung"
    )
    nxt.add_argument("--load", type=float, metavar="KG", help="with --override: the load")
    nxt.add_argument("--note", default="", help="with --accept/--override: why")
    for p, func in ((show, _show), (today, _today), (nxt, _next)):
        p.add_argument("--athlete", help="whose sets (default: the library's only athlete)")
        p.add_argument("--date", type=_date, help="the day to plan from (default: today)")
        p.add_argument(
            "--shift",
            default="",
            metavar="DAYS",
            help="days on shift: dates (2026-03-31) or weekdays (mon,thu), comma-separated",
        )
        p.add_argument(
            "--problem",
            action="append",
            default=[],
            choices=PROBLEMS,
            help="a flagged problem; repeat for several",
        )
        p.add_argument("--last-deadlift", type=_date, metavar="DATE", help="last deadlift day")
        p.add_argument("--json", action="store_true", help="JSON on stdout instead of text")
        p.set_defaults(func=func)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-31") from None


def shift_days(text: str, start: date, days: int = 7) -> set[date]:
    """The dates of ``text`` (ISO dates and/or weekday names) within ``days`` from ``start``."""
    result: set[date] = set()
    for part in filter(None, (p.strip().lower() for p in text.split(","))):
        if part[:3] in WEEKDAYS and part.isalpha():
            wanted = WEEKDAYS.index(part[:3])
            result |= {
                start + timedelta(days=i)
                for i in range(days)
                if (start + timedelta(days=i)).weekday() == wanted
            }
            continue
        try:
            result.add(date.fromisoformat(part))
        except ValueError:
            raise InputError(
                f"--shift {part!r}: give dates like 2026-03-31 or weekdays like mon,thu"
            ) from None
    return result


def _context(args: argparse.Namespace) -> tuple[ExerciseLibrary, TrainingRecord, Outlook]:
    exercises = load_exercises()
    record = _record(args, exercises)
    today = args.date or date.today()
    conditions = Conditions.of(shift_days(args.shift, today), args.problem, args.last_deadlift)
    outlook = make_outlook(record, today, exercises, conditions)
    return exercises, record, outlook


def _record(args: argparse.Namespace, exercises: ExerciseLibrary) -> TrainingRecord:
    path = resolve_path(getattr(args, "data_dir", None))
    if not path.exists():
        if args.athlete:
            return TrainingRecord(args.athlete, (), (), 0)
        return EMPTY
    with Library.open(path) as library:
        return read_record(library, choose_athlete(library, args.athlete), exercises)


def _show(args: argparse.Namespace) -> int:
    exercises, record, outlook = _context(args)
    current = outlook.standing.stage
    shown = stage(args.stage) if args.stage else current
    plan = default_plan(shown, outlook.standing.load_kg if shown == current else 0.0)
    if args.json:
        _dump(
            {
                "athlete": record.athlete,
                "current_stage": current.id,
                "ladder": [
                    {"id": s.id, "title": s.title, "exercise": s.exercise, "goal": s.goal_text}
                    for s in LADDER
                ],
                "plan": plan.to_dict(),
            }
        )
        return 0
    lines = [f"Athlete: {record.athlete or '(none yet)'}", "", "Progression:"]
    for i, s in enumerate(LADDER, 1):
        mark = ">" if s == current else " "
        lines.append(f" {mark} {i}. {s.title} — goal: {s.goal_text}")
    lines += ["", *_plan_lines(plan, exercises, cues=True)]
    if record.skipped:
        lines.append(
            f"note: {record.skipped} stored sets or decisions were left out "
            "(an exercise the planner does not know, or unreadable targets)"
        )
    _write(lines)
    return 0


def _today(args: argparse.Namespace) -> int:
    exercises, record, outlook = _context(args)
    day = outlook.day
    if args.json:
        _dump(
            {
                "athlete": record.athlete,
                "day": _day_dict(day),
                "suggestion": outlook.suggestion.to_dict(),
                "plan": outlook.plan.to_dict() if day.focus == "hip_thrust" else None,
                "plan_reasons": list(outlook.plan_reasons),
            }
        )
        return 0
    lines = [_day_title(day), *[f"  {r}" for r in day.reasons], ""]
    if day.focus == "hip_thrust":
        lines += _suggestion_lines(outlook)
        lines += _plan_lines(outlook.plan, exercises, cues=True)
    elif day.focus == "deadlift":
        lines += [f"  {_work_text(w, exercises)}" for w in day.work]
    else:
        nxt = outlook.next_training_day
        lines.append("Rest day." + (f" Next: {_day_title(nxt)}" if nxt else ""))
    _write(lines)
    return 0


def _next(args: argparse.Namespace) -> int:
    if args.load is not None and not args.override:
        raise InputError("--load goes with --override STAGE")
    exercises, record, outlook = _context(args)
    decision = None
    if args.accept or args.override:
        if not record.athlete:
            raise InputError("name the athlete with --athlete to record a decision")
        today = outlook.today
        if args.accept:
            decision = accept(outlook.suggestion, today)
        else:
            decision = override(outlook.suggestion, today, args.override, args.load, args.note)
        with Library.open(getattr(args, "data_dir", None)) as library:
            save_decision(library, record.athlete, decision)
    if args.json:
        _dump(
            {
                "athlete": record.athlete,
                "suggestion": outlook.suggestion.to_dict(),
                "decision": decision.to_dict() if decision else None,
                "week": [_day_dict(d) for d in outlook.week],
            }
        )
        return 0
    lines = _suggestion_lines(outlook)
    if decision is not None:
        what = "accepted" if decision.accepted else f"overridden: {stage(decision.stage).title}"
        lines += [f"Recorded for {record.athlete}: {what}.", ""]
    lines.append("The week:")
    for d in outlook.week:
        work = ", ".join(_work_text(w, exercises) for w in d.work)
        lines.append(f"  {_day_title(d)}" + (f": {work}" if work else ""))
        lines += [f"      {r}" for r in d.reasons]
    _write(lines)
    return 0


def _suggestion_lines(outlook: Outlook) -> list[str]:
    s = outlook.suggestion
    st = stage(s.stage)
    load = f", {s.load_kg:g} kg" if st.loaded else ""
    lines = [
        f"Stage {rung(st.id) + 1} of {len(LADDER)}: {st.title}{load} ({s.kind.replace('_', ' ')})",
        f"  Why: {s.reason}",
    ]
    lines += [f"  Adapted: {r}" for r in outlook.plan_reasons]
    return [*lines, ""]


def _plan_lines(plan: Plan, exercises: ExerciseLibrary, cues: bool) -> list[str]:
    lines = [f"Plan: {plan.name}"]
    for session in plan.sessions:
        for ex in session.exercises:
            e = exercises.get(ex.exercise)
            lines.append(f"  {e.name}" + (f" — {ex.note}" if ex.note else ""))
            lines += [f"    {i}. {s.describe()}" for i, s in enumerate(ex.sets, 1)]
            if cues:
                lines += [f"    · {c}" for c in e.cues]
    return lines


def _work_text(work, exercises: ExerciseLibrary) -> str:
    if work.exercise is None:
        return f"skip {exercises.name(work.replaces)}"
    return exercises.name(work.exercise)


def _day_title(day: DayPlan) -> str:
    shift = " (on shift)" if day.on_shift else ""
    focus = {"deadlift": "deadlift day", "hip_thrust": "hip thrust day", "rest": "rest"}
    return f"{day.date:%a} {day.date.isoformat()}{shift}: {focus[day.focus]}"


def _day_dict(day: DayPlan) -> dict:
    return {
        "date": day.date.isoformat(),
        "on_shift": day.on_shift,
        "focus": day.focus,
        "work": [{"exercise": w.exercise, "replaces": w.replaces} for w in day.work],
        "reasons": list(day.reasons),
    }


def _dump(data: dict) -> None:
    json.dump(data, sys.stdout, indent=2)
    sys.stdout.write("\n")


def _write(lines: list[str]) -> None:
    sys.stdout.write("\n".join(lines).rstrip() + "\n")
