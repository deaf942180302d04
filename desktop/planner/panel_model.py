"""The planner panel's state, without Qt: the plans to choose from, the workout under way,
and the progression suggestion with the user's decision on it.

The panel is handed this model and only calls its methods; ``on_decision`` (for example
saving to the library) is called with every accepted or overridden suggestion.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date as Date

from desktop.planner.errors import PlanError
from desktop.planner.exercises import ExerciseLibrary
from desktop.planner.plans import Plan, default_plan
from desktop.planner.progression import Decision, Suggestion, accept, override, stage
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
