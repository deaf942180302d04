"""Typed errors of the planner; every message says what is wrong and what to fix."""

from sensors.errors import InputError


class ExerciseDataError(InputError):
    """The exercise library file (resources/exercises.json) is missing or malformed."""


class PlanError(InputError):
    """A plan, a set target or a schedule value is not usable."""
