"""Per-rep and per-set results, in the words of docs/architecture.md ("Measuring").

Times are seconds on the recording's own device clock; heights in metres; velocities in m/s
(upward positive); angles in degrees. NaN means "not measured" (tilt with a bar mount, a
bottom pause before the first rep of a set that started touch-and-go, ...).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True, slots=True)
class RepMetrics:
    """One counted rep; ``index`` counts from 1 across the whole recording."""

    index: int
    set_index: int
    start_s: float
    top_s: float
    end_s: float
    hold_s: float
    rom_m: float
    concentric_s: float
    eccentric_s: float
    bottom_pause_s: float
    mean_velocity_mps: float
    peak_velocity_mps: float
    forward_at_top_m: float
    tilt_change_deg: float

    def to_dict(self) -> dict[str, float | int | None]:
        """JSON-friendly dict; NaN becomes None."""
        return {k: _json_number(v) for k, v in asdict(self).items()}

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


@dataclass(frozen=True, slots=True)
class SetSummary:
    """A set: from its first rep to the last before a rest; ``index`` counts from 1."""

    index: int
    start_s: float
    end_s: float
    rep_count: int
    mean_hold_s: float
    mean_rom_m: float
    rom_loss_pct: float
    velocity_loss_pct: float

    def to_dict(self) -> dict[str, float | int | None]:
        return {k: _json_number(v) for k, v in asdict(self).items()}

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def _json_number(value: float | int) -> float | int | None:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
