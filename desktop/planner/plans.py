"""Plans: sessions of exercises of sets, with to_dict/from_dict and tempo text ("3-1-1-3").

A PlannedSet holds a rep range, a tempo (down, bottom pause, up, top hold; seconds), a load
(kg added to bodyweight, 0 for none), a side and a rest (s). Its hold target is the tempo's
fourth number, so the two can never disagree. Everything is frozen: edits return new objects.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from desktop.planner.errors import PlanError

if TYPE_CHECKING:
    from desktop.planner.progression import Stage

SIDES = ("both", "left", "right")
HOLD_CHOICES_S = (1.0, 3.0, 5.0)
"""The hold targets the coaching text uses; plans may hold any value from 0 to MAX_PHASE_S."""
MAX_REPS = 50
MAX_PHASE_S = 20.0
MAX_LOAD_KG = 500.0
MAX_REST_S = 900.0


@dataclass(frozen=True, slots=True)
class Tempo:
    """Seconds of each phase: down (eccentric), bottom pause, up (concentric), top hold."""

    down_s: float
    pause_s: float
    up_s: float
    hold_s: float

    def __post_init__(self) -> None:
        for name in ("down_s", "pause_s", "up_s", "hold_s"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0 <= value <= MAX_PHASE_S):
                raise PlanError(f"tempo {name} {value!r}: give 0 to {MAX_PHASE_S:g} seconds")

    @classmethod
    def parse(cls, text: str) -> Tempo:
        """``"3-1-1-3"`` (down-pause-up-hold, seconds; ``X`` for explosive, i.e. 0)."""
        parts = str(text).strip().upper().split("-")
        if len(parts) != 4:
            raise PlanError(f"tempo {text!r}: write four numbers down-pause-up-hold, like 3-1-1-3")
        try:
            values = [0.0 if p == "X" else float(p) for p in parts]
        except ValueError:
            raise PlanError(f"tempo {text!r}: each part is seconds or X, like 3-1-X-3") from None
        if not all(math.isfinite(v) for v in values):
            raise PlanError(f"tempo {text!r}: each part must be a number of seconds")
        return cls(*values)

    def text(self) -> str:
        """As written in plans: ``3-1-1-3``, halves as ``1.5``."""
        return "-".join(_short(v) for v in self.as_tuple())

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.down_s, self.pause_s, self.up_s, self.hold_s)


@dataclass(frozen=True, slots=True)
class PlannedSet:
    """One set's targets; ``hold_s`` is the tempo's top hold (0: no hold asked)."""

    reps_min: int
    reps_max: int
    tempo: Tempo
    load_kg: float = 0.0
    side: str = "both"
    rest_s: float = 90.0

    def __post_init__(self) -> None:
        if not (isinstance(self.reps_min, int) and isinstance(self.reps_max, int)):
            raise PlanError(f"reps {self.reps_min!r}-{self.reps_max!r}: give whole numbers")
        if not 1 <= self.reps_min <= self.reps_max <= MAX_REPS:
            raise PlanError(
                f"reps {self.reps_min}-{self.reps_max}: give 1 to {MAX_REPS}, "
                "the smaller number first"
            )
        if self.side not in SIDES:
            raise PlanError(f"side {self.side!r}: choose one of {', '.join(SIDES)}")
        if not 0 <= self.load_kg <= MAX_LOAD_KG:
            raise PlanError(f"load {self.load_kg!r} kg: give 0 (bodyweight) to {MAX_LOAD_KG:g}")
        if not 0 <= self.rest_s <= MAX_REST_S:
            raise PlanError(f"rest {self.rest_s!r} s: give 0 to {MAX_REST_S:g} seconds")

    @property
    def hold_s(self) -> float:
        return self.tempo.hold_s

    def with_hold(self, hold_s: float) -> PlannedSet:
        """The same set with another top hold (seconds)."""
        return replace(self, tempo=replace(self.tempo, hold_s=float(hold_s)))

    def reps_text(self) -> str:
        """``12`` or ``8-12``."""
        if self.reps_min == self.reps_max:
            return str(self.reps_min)
        return f"{self.reps_min}-{self.reps_max}"

    def describe(self) -> str:
        """One line in words, e.g. ``left, 8-12 reps, tempo 2-0-1-3, 3 s hold, 20 kg``."""
        parts = [self.side, f"{self.reps_text()} reps", f"tempo {self.tempo.text()}"]
        if self.hold_s:
            parts.append(f"{_short(self.hold_s)} s hold")
        parts.append(f"{_short(self.load_kg)} kg" if self.load_kg else "bodyweight")
        parts.append(f"rest {_short(self.rest_s)} s")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "reps_min": self.reps_min,
            "reps_max": self.reps_max,
            "tempo": self.tempo.text(),
            "load_kg": self.load_kg,
            "side": self.side,
            "rest_s": self.rest_s,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlannedSet:
        """From ``to_dict`` output; ``reps`` alone stands for a fixed count."""
        _need_mapping(data, "a set")
        reps = data.get("reps")
        try:
            return cls(
                reps_min=int(data.get("reps_min", reps)),
                reps_max=int(data.get("reps_max", reps)),
                tempo=Tempo.parse(data.get("tempo", "2-0-1-1")),
                load_kg=float(data.get("load_kg") or 0.0),
                side=str(data.get("side") or "both"),
                rest_s=float(data.get("rest_s", 90.0)),
            )
        except (TypeError, ValueError) as exc:
            raise PlanError(f"set {data!r}: {exc}; expected reps_min, reps_max, tempo") from None


@dataclass(frozen=True, slots=True)
class PlannedExercise:
    """An exercise (an id of the exercise library) and its sets in order."""

    exercise: str
    sets: tuple[PlannedSet, ...]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise,
            "sets": [s.to_dict() for s in self.sets],
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlannedExercise:
        _need_mapping(data, "an exercise")
        if not isinstance(data.get("exercise"), str) or not data["exercise"]:
            raise PlanError(f"exercise entry {data!r}: needs an 'exercise' id")
        return cls(
            data["exercise"],
            tuple(PlannedSet.from_dict(s) for s in _list(data, "sets")),
            str(data.get("note", "")),
        )


@dataclass(frozen=True, slots=True)
class PlannedSession:
    """One training session: a title and its exercises in order."""

    title: str
    exercises: tuple[PlannedExercise, ...]

    def flat_sets(self) -> list[tuple[int, int, PlannedExercise, PlannedSet]]:
        """(exercise index, set index, exercise, set) of every set in the order they are done."""
        return [
            (ei, si, ex, s) for ei, ex in enumerate(self.exercises) for si, s in enumerate(ex.sets)
        ]

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "exercises": [e.to_dict() for e in self.exercises]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlannedSession:
        _need_mapping(data, "a session")
        return cls(
            str(data.get("title", "Session")),
            tuple(PlannedExercise.from_dict(e) for e in _list(data, "exercises")),
        )


@dataclass(frozen=True, slots=True)
class Plan:
    """A named plan of sessions, tagged with the progression stage it was made for."""

    name: str
    sessions: tuple[PlannedSession, ...]
    stage: str | None = None

    def with_set(self, session: int, exercise: int, index: int, new: PlannedSet) -> Plan:
        """The same plan with one set replaced (indices count from 0)."""
        sess = self.sessions[session]
        ex = sess.exercises[exercise]
        sets = (*ex.sets[:index], new, *ex.sets[index + 1 :])
        exercises = (*sess.exercises[:exercise], replace(ex, sets=sets))
        exercises += sess.exercises[exercise + 1 :]
        sessions = (*self.sessions[:session], replace(sess, exercises=exercises))
        return replace(self, sessions=sessions + self.sessions[session + 1 :])

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "stage": self.stage,
            "sessions": [s.to_dict() for s in self.sessions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        """A plan from ``to_dict`` output (e.g. read back from the library); PlanError if not."""
        _need_mapping(data, "a plan")
        sessions = tuple(PlannedSession.from_dict(s) for s in _list(data, "sessions"))
        if not sessions:
            raise PlanError("a plan needs at least one session")
        stage = data.get("stage")
        return cls(str(data.get("name", "Plan")), sessions, None if stage is None else str(stage))


def parse_reps(text: str) -> tuple[int, int]:
    """``"12"`` -> (12, 12); ``"8-12"`` -> (8, 12); PlanError otherwise."""
    parts = str(text).replace(" ", "").split("-")
    if len(parts) in (1, 2) and all(p.isdigit() for p in parts):
        return int(parts[0]), int(parts[-1])
    raise PlanError(f"reps {text!r}: write a count like 12 or a range like 8-12")


def default_plan(stage: Stage, load_kg: float = 0.0) -> Plan:
    """The session a progression stage prescribes: its main exercise (sides alternating, the
    stage's tempos used in turn) then the work it keeps; ``load_kg`` for a loaded stage."""
    main = PlannedExercise(
        stage.exercise,
        _alternating(
            stage.sides, stage.sets_per_side, stage.reps_min, stage.reps_max, stage.tempos,
            load_kg if stage.loaded else 0.0, stage.rest_s,
        ),
        f"Goal: {stage.goal_text}",
    )  # fmt: skip
    kept = tuple(
        PlannedExercise(
            a.exercise,
            _alternating(a.sides, a.sets_per_side, a.reps_min, a.reps_max, (a.tempo,), 0.0, 60),
            "Kept beside the main work",
        )
        for a in stage.keep
    )
    return Plan(stage.title, (PlannedSession(stage.title, (main, *kept)),), stage.id)


def _alternating(
    sides: tuple[str, ...],
    rounds: int,
    reps_min: int,
    reps_max: int,
    tempos: tuple[str, ...],
    load_kg: float,
    rest_s: float,
) -> tuple[PlannedSet, ...]:
    sets = []
    for i in range(rounds):
        tempo = Tempo.parse(tempos[i % len(tempos)])
        sets += [PlannedSet(reps_min, reps_max, tempo, load_kg, side, rest_s) for side in sides]
    return tuple(sets)


def _need_mapping(data: object, what: str) -> None:
    if not isinstance(data, dict):
        raise PlanError(f"expected {what} as a JSON object, got {type(data).__name__}")


def _list(data: dict[str, Any], key: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise PlanError(f"{key!r} must be a list, got {type(value).__name__}")
    return value


def _short(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:g}"
