"""The exercise library: loaded from resources/exercises.json and checked field by field.

``load_exercises(path=None) -> ExerciseLibrary``; a malformed file raises ExerciseDataError
naming the exercise and the field. Ranges of motion are metres of sensor travel.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from desktop.planner.errors import ExerciseDataError
from desktop.resources import resource_path

DEMANDS = ("low", "moderate", "high")
"""Demand on the nervous system, lowest first."""
PROBLEMS = ("upper_body", "low_back", "knee")
"""Problems a user can flag; exercises list the ones they aggravate."""
FAMILIES = ("bridge", "thrust", "hinge")
MOUNTS = ("hips", "bar", None)


@dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise; ``rom_m`` is the expected (min, max) sensor travel in metres."""

    id: str
    name: str
    family: str
    unilateral: bool
    loadable: bool
    trackable: bool
    mount: str | None
    rom_m: tuple[float, float]
    cns_demand: str
    stresses: tuple[str, ...]
    substitutes: tuple[str, ...]
    cues: tuple[str, ...]

    @property
    def demand_level(self) -> int:
        """0 (low), 1 (moderate) or 2 (high), for comparisons."""
        return DEMANDS.index(self.cns_demand)

    def aggravates(self, problems: frozenset[str] | set[str]) -> bool:
        """True when any of the flagged ``problems`` is one this exercise stresses."""
        return any(p in problems for p in self.stresses)


class ExerciseLibrary:
    """The exercises by id, in file order."""

    def __init__(self, exercises: list[Exercise], source: str) -> None:
        self.source = source
        self._by_id = {e.id: e for e in exercises}

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    def get(self, exercise_id: str) -> Exercise:
        """The exercise ``exercise_id``; ExerciseDataError listing the known ids if absent."""
        try:
            return self._by_id[exercise_id]
        except KeyError:
            known = ", ".join(self._by_id)
            raise ExerciseDataError(
                f"unknown exercise {exercise_id!r}: the library {self.source} has {known}"
            ) from None

    def find(self, text: str | None) -> Exercise | None:
        """The exercise whose id or display name is ``text`` (any case), or None."""
        if not text:
            return None
        key = text.strip().lower()
        for e in self._by_id.values():
            if key in (e.id, e.name.lower(), e.id.replace("_", " ")):
                return e
        return None

    def name(self, exercise_id: str) -> str:
        """The display name of ``exercise_id``, or the id itself when it is unknown."""
        e = self._by_id.get(exercise_id)
        return e.name if e else exercise_id


def load_exercises(path: str | Path | None = None) -> ExerciseLibrary:
    """Read and check the library file (default resources/exercises.json)."""
    if path is None:
        return _default_library()
    return _load(Path(path))


@cache
def _default_library() -> ExerciseLibrary:
    return _load(resource_path("exercises.json"))


def _load(path: Path) -> ExerciseLibrary:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExerciseDataError(
            f"{path}: exercise library not found; is the resources/ folder there?"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExerciseDataError(f"{path}: cannot read the exercise library: {exc}") from None
    items = data.get("exercises") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise ExerciseDataError(f'{path}: expected {{"exercises": [...]}} with at least one entry')
    exercises = [_parse(item, i, path) for i, item in enumerate(items)]
    ids = [e.id for e in exercises]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ExerciseDataError(f"{path}: exercise ids used twice: {', '.join(duplicates)}")
    for e in exercises:
        unknown = [s for s in e.substitutes if s not in ids or s == e.id]
        if unknown:
            raise ExerciseDataError(
                f"{path}: exercise {e.id!r}: substitutes {unknown} are not other exercises "
                "of the library"
            )
    return ExerciseLibrary(exercises, str(path))


def _parse(item: object, position: int, path: Path) -> Exercise:
    where = f"{path}: exercise #{position + 1}"
    if not isinstance(item, dict):
        raise ExerciseDataError(f"{where}: expected an object with id, name, cues, ...")
    if isinstance(item.get("id"), str):
        where = f"{path}: exercise {item['id']!r}"

    def field(name: str, kind: type | tuple[type, ...]):
        if name not in item:
            raise ExerciseDataError(f"{where}: field {name!r} is missing")
        value = item[name]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise ExerciseDataError(f"{where}: field {name!r} has the wrong type ({value!r})")
        return value

    def choice(name: str, allowed: tuple) -> object:
        value = item.get(name, "<missing>")
        if value not in allowed:
            raise ExerciseDataError(f"{where}: {name} {value!r} is not one of {list(allowed)}")
        return value

    def strings(name: str, allowed: tuple | None = None) -> tuple[str, ...]:
        values = field(name, list)
        if not all(isinstance(v, str) and v for v in values):
            raise ExerciseDataError(f"{where}: {name!r} must be a list of non-empty texts")
        if allowed is not None and any(v not in allowed for v in values):
            raise ExerciseDataError(f"{where}: {name} {values} must come from {list(allowed)}")
        return tuple(values)

    ident = field("id", str)
    if not ident.isidentifier():
        raise ExerciseDataError(f"{where}: id {ident!r} must be a lower_case_name")
    rom = field("rom_m", list)
    if (
        len(rom) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in rom)
        or not 0 < rom[0] <= rom[1] < 2
    ):
        raise ExerciseDataError(
            f"{where}: rom_m must be [min, max] in metres with 0 < min <= max < 2, not {rom}"
        )
    cues = strings("cues")
    if not cues:
        raise ExerciseDataError(f"{where}: give at least one technique cue")
    return Exercise(
        id=ident,
        name=field("name", str),
        family=str(choice("family", FAMILIES)),
        unilateral=field("unilateral", bool),
        loadable=field("loadable", bool),
        trackable=field("trackable", bool),
        mount=choice("mount", MOUNTS),  # type: ignore[arg-type]
        rom_m=(float(rom[0]), float(rom[1])),
        cns_demand=str(choice("cns_demand", DEMANDS)),
        stresses=strings("stresses", PROBLEMS),
        substitutes=strings("substitutes"),
        cues=cues,
    )
