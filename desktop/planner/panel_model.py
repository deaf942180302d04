"""The planner panel's state, without Qt: the plans to choose from, the workout under way,
and the progression suggestion with the user's decision on it.

The panel is handed this model and only calls its methods; ``on_decision`` (for example
saving to the library) is called with every accepted or overridden suggestion.
``model_for(data_dir, athlete)`` builds one from the athlete's record in the library.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date as Date
from pathlib import Path

from desktop.library.store import Library, resolve_path
from desktop.planner.errors import PlanError
from desktop.planner.exercises import ExerciseLibrary, load_exercises
from desktop.planner.history import EMPTY, choose_athlete, read_record, save_decision
from desktop.planner.outlook import make_outlook
from desktop.planner.plans import Plan, default_plan
from desktop.planner.progression import (
    LADDER,
    Decision,
    Suggestion,
    accept,
    override,
    stage,
)
from desktop.planner.workout import Workout


class PlannerModel:
    """See the module docstring; ``plans[0]`` is armed first."""

    def __init__(
        self,
        exercises: ExerciseLibrary,
        plans: Sequence[Plan],
        suggestion: Suggestion | None = None,
        *,
        today: Date | None = None,
        on_decision: Callable[[Decision], None] | None = None,
    ) -> None:
        if not plans:
            raise PlanError("the planner needs at least one plan")
        self.exercises = exercises
        self.plans = list(plans)
        self.suggestion = suggestion
        self.today = today or Date.today()
        self.decision: Decision | None = None
        self._on_decision = on_decision
        self.workout = Workout(self.plans[0], exercises)

    def choose(self, index: int) -> None:
        """Start plan ``index`` from its first set (the sets done so far are forgotten)."""
        self.workout = Workout(self.plans[index], self.exercises)

    def accept(self) -> Decision:
        """Take the suggestion as it is."""
        return self._decided(accept(self._suggested(), self.today))

    def override(self, stage_id: str, load_kg: float | None = None) -> Decision:
        """Choose another rung (and load); its plan is added first and armed."""
        decision = override(self._suggested(), self.today, stage_id, load_kg)
        plan = default_plan(stage(decision.stage), decision.load_kg)
        self.plans = [plan, *(p for p in self.plans if p.name != plan.name)]
        self.choose(0)
        return self._decided(decision)

    def _suggested(self) -> Suggestion:
        if self.suggestion is None:
            raise PlanError("there is no suggestion to answer")
        return self.suggestion

    def _decided(self, decision: Decision) -> Decision:
        self.decision = decision
        if self._on_decision is not None:
            self._on_decision(decision)
        return decision


def model_for(
    data_dir: str | Path | None, athlete: str | None = None, today: Date | None = None
) -> PlannerModel:
    """The model for ``athlete`` (default: the library's only one): the suggested rung's plan
    first, then every other rung's; decisions are saved to the library when there is an
    athlete. A missing library means no history: the first rung."""
    exercises = load_exercises()
    today = today or Date.today()
    path = resolve_path(data_dir)
    record = EMPTY
    if path.exists():
        with Library.open(path) as library:
            athlete = choose_athlete(library, athlete)
            record = read_record(library, athlete, exercises)
    outlook = make_outlook(record, today, exercises)
    others = [default_plan(s) for s in LADDER if s.id != outlook.suggestion.stage]

    def save(decision: Decision) -> None:
        with Library.open(path) as library:
            save_decision(library, str(athlete), decision)

    return PlannerModel(
        exercises,
        [outlook.plan, *others],
        outlook.suggestion,
        today=today,
        on_decision=save if athlete else None,
    )
