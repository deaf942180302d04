"""The coaching rules of the hip thrust progression, in one place a coach can read and change.

The ladder: glute bridge (two legs, then one, bodyweight) -> hip thrust unloaded -> single-leg
hip thrust with a variety of tempos -> 12+ reps on each leg with a 3 s hold -> the loaded
two-leg hip thrust, keeping single-leg work. ``suggest(history, decisions, today)`` reads the
measured sets and says what to do next, always with a reason in plain words; the user accepts
or overrides it (``accept`` / ``override``), and that decision is what counts from then on.
The week's rules (deadlift spacing, shift days, injury substitutes) are in ``week``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date as Date
from typing import Any

from desktop.planner.errors import PlanError
from desktop.planner.scoring import PerformedSet, SetScore

# --- the numbers a coach may want to change -------------------------------------------------

SESSIONS_TO_ADVANCE = 2
"""Sessions in a row meeting the stage's goal before moving up a rung (or adding load)."""
FAILED_SESSIONS_TO_REGRESS = 2
"""Sessions in a row with failed sets before stepping back a rung (or taking load off)."""
FAILED_SETS_SHARE = 0.5
"""A session failed when at least this share of its main sets failed (too few reps or
range lost); a single failed set among good ones only means: repeat."""
MISSED_WEEK_DAYS = 10
"""More days than this since the last session: ease back in, no advancing this time."""
LAYOFF_DAYS = 28
"""More days than this since the last session: step back one rung to rebuild."""
START_LOAD_KG = 20.0
"""First load of the barbell hip thrust: the empty bar."""
LOAD_STEP_KG = 5.0
"""Load added after SESSIONS_TO_ADVANCE sessions with every set at the top of its range."""
LOAD_CUT_SHARE = 0.10
"""Share of the load taken off after failed sessions or a missed week."""
LOAD_ROUND_KG = 2.5
"""Loads are rounded to the smallest plate pair."""


@dataclass(frozen=True, slots=True)
class Accessory:
    """Work kept beside a stage's main exercise, e.g. single-leg hip thrusts when loading."""

    exercise: str
    sides: tuple[str, ...]
    sets_per_side: int
    reps_min: int
    reps_max: int
    tempo: str


@dataclass(frozen=True, slots=True)
class Stage:
    """One rung of the ladder: what to do and the goal that opens the next rung.

    ``tempos`` are used in turn set after set (a variety of tempos); the goal is met on a
    side by a set of ``goal_reps`` or more, all holds of ``goal_hold_s`` or longer reached,
    range kept.
    """

    id: str
    title: str
    exercise: str
    sides: tuple[str, ...]
    sets_per_side: int
    reps_min: int
    reps_max: int
    tempos: tuple[str, ...]
    rest_s: float
    goal_reps: int
    goal_hold_s: float
    loaded: bool = False
    keep: tuple[Accessory, ...] = ()

    @property
    def goal_text(self) -> str:
        each = " on each leg" if self.sides != ("both",) else ""
        return f"{self.goal_reps}+ reps{each} with a {self.goal_hold_s:g} s hold, range kept"


LADDER: tuple[Stage, ...] = (
    Stage(
        "bridge", "Glute bridge, both legs", "glute_bridge", ("both",),
        sets_per_side=3, reps_min=10, reps_max=20, tempos=("2-0-1-1",), rest_s=60,
        goal_reps=15, goal_hold_s=1,
    ),
    Stage(
        "single_leg_bridge", "Single-leg glute bridge", "single_leg_glute_bridge",
        ("left", "right"), sets_per_side=2, reps_min=8, reps_max=15, tempos=("2-0-1-1",),
        rest_s=60, goal_reps=12, goal_hold_s=1,
    ),
    Stage(
        "hip_thrust", "Hip thrust, bodyweight", "hip_thrust", ("both",),
        sets_per_side=3, reps_min=10, reps_max=20, tempos=("2-0-1-1", "3-0-1-1"), rest_s=60,
        goal_reps=15, goal_hold_s=1,
    ),
    Stage(
        "single_leg_tempo", "Single-leg hip thrust, tempo variety", "single_leg_hip_thrust",
        ("left", "right"), sets_per_side=2, reps_min=6, reps_max=20,
        tempos=("2-0-1-1", "3-1-1-1", "1-0-1-3", "4-0-2-1"), rest_s=75,
        goal_reps=12, goal_hold_s=1,
    ),
    Stage(
        "single_leg_hold", "Single-leg hip thrust, 3 s hold", "single_leg_hip_thrust",
        ("left", "right"), sets_per_side=2, reps_min=8, reps_max=15, tempos=("2-0-1-3",),
        rest_s=90, goal_reps=12, goal_hold_s=3,
    ),
    Stage(
        "loaded", "Barbell hip thrust, single-leg work kept", "barbell_hip_thrust", ("both",),
        sets_per_side=3, reps_min=6, reps_max=12, tempos=("2-0-1-1",), rest_s=120,
        goal_reps=12, goal_hold_s=1, loaded=True,
        keep=(Accessory("single_leg_hip_thrust", ("left", "right"), 1, 10, 12, "2-0-1-3"),),
    ),
)  # fmt: skip


def stage(stage_id: str) -> Stage:
    """The rung called ``stage_id``; PlanError listing the rungs if there is none."""
    for s in LADDER:
        if s.id == stage_id:
            return s
    raise PlanError(f"no stage {stage_id!r}: the ladder is {', '.join(s.id for s in LADDER)}")


def rung(stage_id: str) -> int:
    """Position of a stage on the ladder, 0 for the first."""
    return LADDER.index(stage(stage_id))


def session_stage(sets: Sequence[PerformedSet]) -> Stage | None:
    """The rung a session trained: the highest whose main exercise it holds with every set's
    hold reaching the rung's goal hold; else the lowest rung of an exercise it holds."""
    holds: dict[str, float] = {}
    for p in sets:
        holds[p.exercise] = min(holds.get(p.exercise, p.target.hold_s), p.target.hold_s)
    candidates = [s for s in LADDER if s.exercise in holds]
    qualified = [s for s in candidates if holds[s.exercise] >= s.goal_hold_s]
    if qualified:
        return qualified[-1]
    return candidates[0] if candidates else None


# --- suggestions and decisions --------------------------------------------------------------

KINDS = ("start", "stay", "advance", "regress", "ease_back", "add_load", "reduce_load")


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What to do next: the stage and load (kg) for the coming session, and why."""

    kind: str
    stage: str
    load_kg: float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "stage": self.stage,
            "load_kg": self.load_kg,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Suggestion:
        try:
            s = cls(
                str(data["kind"]), str(data["stage"]), float(data["load_kg"]), str(data["reason"])
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise PlanError(f"suggestion {data!r} is incomplete: {exc}") from None
        if s.kind not in KINDS:
            raise PlanError(f"suggestion kind {s.kind!r} is not one of {', '.join(KINDS)}")
        stage(s.stage)
        return s


@dataclass(frozen=True, slots=True)
class Decision:
    """The user's answer to a suggestion: accepted, or overridden with another stage/load."""

    date: Date
    suggestion: Suggestion
    accepted: bool
    stage: str
    load_kg: float
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "suggestion": self.suggestion.to_dict(),
            "accepted": self.accepted,
            "stage": self.stage,
            "load_kg": self.load_kg,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decision:
        try:
            d = cls(
                Date.fromisoformat(data["date"]),
                Suggestion.from_dict(data["suggestion"]),
                bool(data["accepted"]),
                str(data["stage"]),
                float(data["load_kg"]),
                str(data.get("note", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise PlanError(f"decision {data!r} is incomplete: {exc}") from None
        stage(d.stage)
        return d


def accept(suggestion: Suggestion, on: Date) -> Decision:
    """Take the suggestion as it is."""
    return Decision(on, suggestion, True, suggestion.stage, suggestion.load_kg)


def override(
    suggestion: Suggestion, on: Date, stage_id: str, load_kg: float | None = None, note: str = ""
) -> Decision:
    """Choose another stage and/or load than suggested; recorded as an override."""
    target = stage(stage_id)
    if load_kg is None:
        load_kg = suggestion.load_kg if suggestion.stage == stage_id else _first_load(target)
    if load_kg < 0:
        raise PlanError(f"load {load_kg:g} kg: give 0 or more kilograms")
    if load_kg > 0 and not target.loaded:
        raise PlanError(f"load {load_kg:g} kg: only the {stage('loaded').title} takes a load")
    return Decision(on, suggestion, False, stage_id, float(load_kg), note)


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the athlete is: stage, load (kg), and the date sessions count from (None: all)."""

    stage: Stage
    load_kg: float
    since: Date | None


def current_standing(history: Sequence[PerformedSet], decisions: Sequence[Decision]) -> Standing:
    """The latest decision, unless a later session shows another stage; else the first rung.

    Sessions count towards the rules from the latest decision that moved the athlete or
    refused a move (accepting a "stay" changes nothing, so it does not restart the count).
    """
    sessions = group_sessions(history)
    ordered = sorted(decisions, key=lambda d: d.date)
    last_decision = ordered[-1] if ordered else None
    restarts = [d.date for d in ordered if not (d.accepted and d.suggestion.kind == "stay")]
    since = restarts[-1] if restarts else None
    last_session = sessions[-1] if sessions else None
    if last_decision and (last_session is None or last_decision.date >= last_session.date):
        return Standing(stage(last_decision.stage), last_decision.load_kg, since)
    if last_session is not None and last_session.stage is not None:
        return Standing(last_session.stage, last_session.main_load_kg, since)
    return Standing(LADDER[0], 0.0, None)


@dataclass(frozen=True, slots=True)
class SessionResult:
    """The sets of one training session and how its main work went against its stage."""

    date: Date
    key: int | str
    sets: tuple[PerformedSet, ...]
    stage: Stage | None
    main: tuple[tuple[PerformedSet, SetScore], ...]
    """The sets of the stage's main exercise with their scores."""

    @property
    def main_load_kg(self) -> float:
        return max((p.load_kg for p, _ in self.main), default=0.0)

    def goal_met(self) -> bool:
        """Every side of the stage has a set reaching the goal (loaded: every set at the top
        of its rep range), and no main set failed."""
        if self.stage is None or not self.main or self.failed_sets():
            return False
        if self.stage.loaded:
            return all(score.top_of_range for _, score in self.main)
        return all(self._side_met(side) for side in self.stage.sides)

    def _side_met(self, side: str) -> bool:
        s = self.stage
        assert s is not None
        return any(
            p.side == side
            and p.target.hold_s >= s.goal_hold_s
            and score.verdict == "met"
            and score.reps_done >= s.goal_reps
            for p, score in self.main
        )

    def failed_sets(self) -> list[tuple[PerformedSet, SetScore]]:
        return [(p, score) for p, score in self.main if score.verdict == "failed"]

    def failed(self) -> bool:
        main = self.main
        return bool(main) and len(self.failed_sets()) >= FAILED_SETS_SHARE * len(main)

    def describe(self) -> str:
        """Best set per side in words, e.g. ``left 12 reps, 12/12 holds of 3 s``."""
        parts = []
        for side in dict.fromkeys(p.side for p, _ in self.main):
            score = max((s for p, s in self.main if p.side == side), key=lambda s: s.reps_done)
            text = f"{side} {score.reps_done} reps"
            if score.hold_target_s > 0:
                text += f", {score.holds_met}/{score.reps_done} holds of {score.hold_target_s:g} s"
            if not score.rom_kept:
                text += ", range lost"
            parts.append(text)
        return "; ".join(parts)


def group_sessions(history: Iterable[PerformedSet]) -> list[SessionResult]:
    """The performed sets grouped by session, oldest first; each tagged with its top stage."""
    groups: dict[tuple[Date, int | str], list[PerformedSet]] = {}
    for p in sorted(history, key=lambda p: p.date):
        groups.setdefault((p.date, p.session), []).append(p)
    results = []
    for (_, key), sets in groups.items():
        top = session_stage(sets)
        main = tuple((p, p.score()) for p in sets if top is not None and p.exercise == top.exercise)
        results.append(SessionResult(sets[0].date, key, tuple(sets), top, main))
    return sorted(results, key=lambda r: r.date)


def suggest(
    history: Sequence[PerformedSet], decisions: Sequence[Decision], today: Date
) -> Suggestion:
    """What the next session should be, from the measured sets and past decisions."""
    standing = current_standing(history, decisions)
    here = standing.stage
    sessions = group_sessions(history)
    if not sessions and standing.since is None:
        return Suggestion(
            "start", here.id, _first_load(here),
            f"No measured sets yet: start with the {here.title.lower()}. Goal: {here.goal_text}.",
        )  # fmt: skip

    last_date = max([s.date for s in sessions] + [d.date for d in decisions])
    days_off = (today - last_date).days
    if days_off > LAYOFF_DAYS and rung(here.id) > 0:
        back = LADDER[rung(here.id) - 1]
        return Suggestion(
            "regress", back.id, _first_load(back),
            f"{days_off} days since the last session: step back to the {back.title.lower()} "
            "to rebuild before moving on.",
        )  # fmt: skip
    if days_off > MISSED_WEEK_DAYS:
        load = _cut(standing.load_kg) if here.loaded else 0.0
        lighter = f" at {load:g} kg" if here.loaded else ""
        return Suggestion(
            "ease_back", here.id, load,
            f"{days_off} days since the last session (a missed week): repeat the "
            f"{here.title.lower()}{lighter} before moving on.",
        )  # fmt: skip

    relevant = [
        s
        for s in sessions
        if s.stage == here
        and (standing.since is None or s.date >= standing.since)
        and (not here.loaded or s.main_load_kg == standing.load_kg)
    ]
    if not relevant:
        return Suggestion(
            "stay", here.id, standing.load_kg,
            f"Do the {here.title.lower()}. Goal: {here.goal_text}.",
        )  # fmt: skip

    last = relevant[-1]
    met_in_row = _trailing(relevant, SessionResult.goal_met)
    failed_in_row = _trailing(relevant, SessionResult.failed)
    if met_in_row >= SESSIONS_TO_ADVANCE:
        if here.loaded:
            load = standing.load_kg + LOAD_STEP_KG
            return Suggestion(
                "add_load", here.id, load,
                f"Every set at the top of its range, holds and range kept, {met_in_row} sessions "
                f"in a row ({last.describe()}): add {LOAD_STEP_KG:g} kg, to {load:g} kg.",
            )  # fmt: skip
        up = LADDER[rung(here.id) + 1]
        keep = " Keep single-leg work." if up.keep else ""
        return Suggestion(
            "advance", up.id, _first_load(up),
            f"Goal ({here.goal_text}) met {met_in_row} sessions in a row ({last.describe()}): "
            f"move on to the {up.title.lower()}.{keep}",
        )  # fmt: skip
    if failed_in_row >= FAILED_SESSIONS_TO_REGRESS:
        why = _failures(last)
        if here.loaded and standing.load_kg > START_LOAD_KG:
            load = max(START_LOAD_KG, _cut(standing.load_kg))
            return Suggestion(
                "reduce_load", here.id, load,
                f"{failed_in_row} sessions in a row with failed sets ({why}): "
                f"take the load down to {load:g} kg.",
            )  # fmt: skip
        if rung(here.id) > 0:
            back = LADDER[rung(here.id) - 1]
            return Suggestion(
                "regress", back.id, _first_load(back),
                f"{failed_in_row} sessions in a row with failed sets ({why}): step back to "
                f"the {back.title.lower()} and build up again.",
            )  # fmt: skip
        return Suggestion(
            "stay", here.id, standing.load_kg,
            f"{failed_in_row} sessions in a row with failed sets ({why}): stay here and "
            "choose the lower end of the rep range.",
        )  # fmt: skip
    if met_in_row == 1:
        return Suggestion(
            "stay", here.id, standing.load_kg,
            f"Goal met once ({last.describe()}): one more session like it and you move on.",
        )  # fmt: skip
    if last.failed_sets():
        return Suggestion(
            "stay", here.id, standing.load_kg,
            f"Failed sets last time ({_failures(last)}): repeat the {here.title.lower()}; "
            f"{FAILED_SESSIONS_TO_REGRESS} sessions like that step back.",
        )  # fmt: skip
    return Suggestion(
        "stay", here.id, standing.load_kg,
        f"Keep building ({last.describe()}). Goal: {here.goal_text}.",
    )  # fmt: skip


def _trailing(sessions: Sequence[SessionResult], test) -> int:
    """How many of the latest sessions pass ``test`` in a row; a break of more than
    MISSED_WEEK_DAYS between two sessions ends the row."""
    count = 0
    later = None
    for s in reversed(sessions):
        if not test(s) or (later is not None and (later - s.date).days > MISSED_WEEK_DAYS):
            break
        count += 1
        later = s.date
    return count


def _failures(session: SessionResult) -> str:
    return "; ".join(
        f"{p.side}: {'; '.join(score.reasons[:2])}" for p, score in session.failed_sets()[:2]
    )


def _first_load(s: Stage) -> float:
    return START_LOAD_KG if s.loaded else 0.0


def _cut(load_kg: float) -> float:
    cut = load_kg * (1 - LOAD_CUT_SHARE)
    return max(0.0, LOAD_ROUND_KG * round(cut / LOAD_ROUND_KG))
