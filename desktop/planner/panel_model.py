"""The planner panel's state, without Qt: the plans to choose from, the workout under way,
the progression suggestion with the user's decision on it, and the week.

The panel is handed this model and only calls its methods; ``on_decision`` (for example
saving to the library) is called with every accepted or overridden suggestion.
``PlannerModel.from_record`` builds one from an athlete's record; ``model_for(data_dir,
athlete)`` reads that record from the library.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date as Date
from pathlib import Path

from desktop.library.store import Library, resolve_path
from desktop.planner.errors import PlanError
from desktop.planner.exercises import ExerciseLibrary, load_exercises
from desktop.planner.history import (
    EMPTY,
    TrainingRecord,
    choose_athlete,
    read_record,
    save_decision,
    saved_plans,
    store_plan,
)
from desktop.planner.outlook import NO_CONDITIONS, Conditions, make_outlook, plan_days
from desktop.planner.plans import Plan, default_plan
from desktop.planner.progression import (
    LADDER,
    Decision,
    Suggestion,
    accept,
    override,
)
from desktop.planner.week import DayPlan
from desktop.planner.workout import Workout


class PlannerModel:
    """See the module docstring; ``plans[0]`` is armed first."""

    def __init__(
        self,
        exercises: ExerciseLibrary,
        plans: Sequence[Plan],
        suggestion: Suggestion | None = None,
        *,
        week: Sequence[DayPlan] = (),
        conditions: Conditions = NO_CONDITIONS,
        today: Date | None = None,
        on_decision: Callable[[Decision], None] | None = None,
        on_save: Callable[[Plan], None] | None = None,
    ) -> None:
        if not plans:
            raise PlanError("the planner needs at least one plan")
        self.exercises = exercises
        self.plans = list(plans)
        self.suggestion = suggestion
        self.week = tuple(week)
        self.conditions = conditions
        self.adapted: tuple[str, ...] = ()
        """Why the first plan differs from its rung's (shift day, flagged problems)."""
        self.today = today or Date.today()
        self.decision: Decision | None = None
        self._on_decision = on_decision
        self._on_save = on_save
        self.workout = Workout(self.plans[0], exercises)

    @property
    def can_save(self) -> bool:
        return self._on_save is not None

    @classmethod
    def from_record(
        cls,
        record: TrainingRecord,
        exercises: ExerciseLibrary,
        today: Date,
        conditions: Conditions = NO_CONDITIONS,
        on_decision: Callable[[Decision], None] | None = None,
        saved: Sequence[Plan] = (),
        on_save: Callable[[Plan], None] | None = None,
    ) -> PlannerModel:
        """The suggested rung's plan (adapted to the week) first, then every other rung's,
        then the ``saved`` plans."""
        outlook = make_outlook(record, today, exercises, conditions)
        others = [default_plan(s) for s in LADDER if s.id != outlook.suggestion.stage]
        model = cls(
            exercises,
            [outlook.plan, *others, *saved],
            outlook.suggestion,
            week=outlook.week,
            conditions=outlook.conditions,
            today=today,
            on_decision=on_decision,
            on_save=on_save,
        )
        model.adapted = outlook.plan_reasons
        return model

    def choose(self, index: int) -> None:
        """Start plan ``index`` from its first set (the sets done so far are forgotten)."""
        self.workout = Workout(self.plans[index], self.exercises)

    def save_as(self, name: str) -> Plan:
        """Keep the plan under way, with its edits, as ``name`` (replacing a plan so named)."""
        name = name.strip()
        if not name:
            raise PlanError("give the plan a name to save it under")
        if self._on_save is None:
            raise PlanError("plans cannot be saved here: no library is open")
        plan = replace(self.workout.plan, name=name)
        self._on_save(plan)
        self.plans = [p for p in self.plans if p.name != name] + [plan]
        self.workout.plan = plan
        return plan

    def accept(self) -> Decision:
        """Take the suggestion as it is."""
        return self._decided(accept(self._suggested(), self.today))

    def override(self, stage_id: str, load_kg: float | None = None) -> Decision:
        """Choose another rung (and load); its plan is put first and armed."""
        decision = override(self._suggested(), self.today, stage_id, load_kg)
        self._decided(decision)
        self._replan()
        return decision

    def set_conditions(self, shift_days: Iterable[Date], problems: Iterable[str]) -> None:
        """New shift days or flagged problems: the week and the first plan are redone and
        armed from its first set."""
        self.conditions = Conditions.of(shift_days, problems, self.conditions.last_deadlift)
        self._replan()

    def _replan(self) -> None:
        chosen = self.decision or self.suggestion
        if chosen is None:
            raise PlanError("no rung to plan the week for: give a suggestion first")
        week, plan, reasons = plan_days(
            chosen.stage, chosen.load_kg, self.today, self.exercises, self.conditions
        )
        self.week, self.adapted = week, reasons
        self.plans = [plan, *(p for p in self.plans if p.stage != plan.stage)]
        self.choose(0)

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
    """The model for ``athlete`` (default: the library's only one); decisions are saved to the
    library when there is an athlete. A missing library means no history: the first rung."""
    exercises = load_exercises()
    path = resolve_path(data_dir)
    record, saved = EMPTY, []
    if path.exists():
        with Library.open(path) as library:
            athlete = choose_athlete(library, athlete)
            record = read_record(library, athlete, exercises)
            saved = saved_plans(library)

    def save_choice(decision: Decision) -> None:
        with Library.open(path) as library:
            save_decision(library, str(athlete), decision)

    def save_plan(plan: Plan) -> None:
        with Library.open(path) as library:
            store_plan(library, plan)

    return PlannerModel.from_record(
        record,
        exercises,
        today or Date.today(),
        on_decision=save_choice if athlete else None,
        saved=saved,
        on_save=save_plan,
    )
