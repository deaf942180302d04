"""Score a recorded set against its planned targets, with the reasons in plain words.

``score_set(target, reps)`` takes the set's RepMetrics; ``PerformedSet`` carries a set from the
library (per-rep holds and ranges) into the same scoring. Verdicts: ``met`` (reps, holds and
range as planned), ``partial`` (reps done, something short) or ``failed`` (too few reps or range
lost). Seconds and metres throughout.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any

from desktop.planner.plans import PlannedSet, Tempo
from sensors.metrics import RepMetrics

HOLD_TOLERANCE_S = 0.1
"""A hold this much shorter than the target still counts as achieved."""
HOLDS_NEEDED_SHARE = 0.8
"""Share of the reps whose hold must reach the target for the holds to count as met."""
ROM_LOSS_SHARE = 0.15
"""A rep below the set's best range by more than this share lost range."""
ROM_KEPT_SHARE = 0.8
"""Share of the reps that must keep their range for the set's range to count as kept."""
RUSHED_SHARE = 0.7
"""A phase shorter than this share of its planned seconds is rushed."""


@dataclass(frozen=True, slots=True)
class SetScore:
    """How a set went against its targets; ``reasons`` say it in words for the user."""

    verdict: str
    reps_done: int
    reps_min: int
    reps_max: int
    hold_target_s: float
    holds_met: int
    rom_kept: bool
    rom_loss_pct: float
    rushed_reps: int
    reasons: tuple[str, ...]

    @property
    def top_of_range(self) -> bool:
        """All planned reps done (the top of the rep range), holds and range as planned."""
        return self.verdict == "met" and self.reps_done >= self.reps_max

    def summary(self) -> str:
        """One line: the verdict and the reasons."""
        return f"{self.verdict}: " + "; ".join(self.reasons)


def score_measures(
    target: PlannedSet,
    holds_s: Sequence[float],
    roms_m: Sequence[float],
    concentric_s: Sequence[float] = (),
    eccentric_s: Sequence[float] = (),
    expected_rom_m: tuple[float, float] | None = None,
) -> SetScore:
    """Score per-rep measures (one entry per counted rep; NaN where not measured).

    ``expected_rom_m``: the exercise's expected (min, max) range; a set whose best rep stays
    below the minimum is said to be short. Tempo is judged only when phases are given.
    """
    reps = len(roms_m)
    reasons: list[str] = []
    hold_target = target.hold_s
    holds_met = sum(1 for h in holds_s if math.isfinite(h) and h >= hold_target - HOLD_TOLERANCE_S)

    if reps < target.reps_min:
        reasons.append(f"{reps} of {target.reps_min} reps")
    else:
        reasons.append(f"{reps} reps (target {target.reps_text()})")

    if hold_target > 0 and reps:
        reasons.append(f"{holds_met} of {reps} holds reached {_s(hold_target)} s")

    finite = [r for r in roms_m if math.isfinite(r) and r > 0]
    best = max(finite, default=math.nan)
    kept = sum(1 for r in finite if r >= (1 - ROM_LOSS_SHARE) * best)
    rom_kept = reps > 0 and kept >= ROM_KEPT_SHARE * reps
    last = [r for r in roms_m[-3:] if math.isfinite(r)]
    loss_pct = 100 * (1 - (sum(last) / len(last)) / best) if last and best > 0 else math.nan
    if reps and not rom_kept:
        reasons.append(f"range lost: {reps - kept} of {reps} reps fell >15 % below the best")
    elif reps and math.isfinite(loss_pct) and loss_pct > 5:
        reasons.append(f"range kept (last reps {loss_pct:.0f} % below the best)")
    elif reps:
        reasons.append("range kept")
    if expected_rom_m is not None and math.isfinite(best) and best < expected_rom_m[0]:
        reasons.append(
            f"best range {100 * best:.0f} cm is short of the expected "
            f"{100 * expected_rom_m[0]:.0f} cm: full hip extension?"
        )

    rushed = _rushed(target.tempo, concentric_s, eccentric_s)
    if rushed:
        reasons.append(f"{rushed} reps rushed against tempo {target.tempo.text()}")

    holds_ok = hold_target <= 0 or (reps > 0 and holds_met >= HOLDS_NEEDED_SHARE * reps)
    if reps < target.reps_min or not rom_kept:
        verdict = "failed"
    elif not holds_ok or rushed > reps / 2:
        verdict = "partial"
    else:
        verdict = "met"
    return SetScore(
        verdict=verdict,
        reps_done=reps,
        reps_min=target.reps_min,
        reps_max=target.reps_max,
        hold_target_s=hold_target,
        holds_met=holds_met,
        rom_kept=rom_kept,
        rom_loss_pct=loss_pct,
        rushed_reps=rushed,
        reasons=tuple(reasons),
    )


def score_set(
    target: PlannedSet,
    reps: Sequence[RepMetrics],
    expected_rom_m: tuple[float, float] | None = None,
) -> SetScore:
    """Score the counted reps of one recorded set against its targets."""
    return score_measures(
        target,
        [r.hold_s for r in reps],
        [r.rom_m for r in reps],
        [r.concentric_s for r in reps],
        [r.eccentric_s for r in reps],
        expected_rom_m,
    )


def _rushed(tempo: Tempo, up_s: Sequence[float], down_s: Sequence[float]) -> int:
    count = 0
    for up, down in zip(up_s, down_s, strict=False):
        if (tempo.up_s > 0 and math.isfinite(up) and up < RUSHED_SHARE * tempo.up_s) or (
            tempo.down_s > 0 and math.isfinite(down) and down < RUSHED_SHARE * tempo.down_s
        ):
            count += 1
    return count


@dataclass(frozen=True, slots=True)
class PerformedSet:
    """A set the athlete did: its targets and per-rep measures (seconds, metres).

    ``session`` groups the sets of one training session (the library's session id, or any
    key); ``exercise`` is an id of the exercise library.
    """

    date: Date
    session: int | str
    exercise: str
    side: str
    target: PlannedSet
    holds_s: tuple[float, ...]
    roms_m: tuple[float, ...]
    concentric_s: tuple[float, ...] = field(default=())
    eccentric_s: tuple[float, ...] = field(default=())

    @property
    def load_kg(self) -> float:
        return self.target.load_kg

    def score(self, expected_rom_m: tuple[float, float] | None = None) -> SetScore:
        return score_measures(
            self.target,
            self.holds_s,
            self.roms_m,
            self.concentric_s,
            self.eccentric_s,
            expected_rom_m,
        )

    @classmethod
    def from_reps(
        cls,
        date: Date,
        session: int | str,
        exercise: str,
        target: PlannedSet,
        reps: Sequence[RepMetrics],
    ) -> PerformedSet:
        """A set recorded live, from its RepMetrics."""
        return cls(
            date,
            session,
            exercise,
            target.side,
            target,
            tuple(r.hold_s for r in reps),
            tuple(r.rom_m for r in reps),
            tuple(r.concentric_s for r in reps),
            tuple(r.eccentric_s for r in reps),
        )

    @classmethod
    def from_library(cls, row: dict[str, Any], exercise_id: str) -> PerformedSet:
        """A set from ``Library.athlete_sets()``; ``exercise_id`` is the resolved id.

        The stored targets may give ``reps`` or ``reps_min``/``reps_max``, ``hold_s`` and
        ``tempo``; a missing tempo is taken as 2-0-1-<hold>.
        """
        targets = dict(row.get("targets") or {})
        hold = targets.get("hold_s") or 0.0
        tempo = Tempo.parse(targets["tempo"]) if targets.get("tempo") else Tempo(2, 0, 1, hold)
        reps = targets.get("reps") or row.get("rep_count") or 1
        side = row.get("side") or "both"
        planned = PlannedSet.from_dict(
            {
                "reps_min": targets.get("reps_min", reps),
                "reps_max": targets.get("reps_max", reps),
                "tempo": tempo.text(),
                "load_kg": row.get("load_kg") or 0.0,
                "side": side,
            }
        ).with_hold(hold)
        return cls(
            Date.fromisoformat(str(row["date"])[:10]),
            row.get("session_id", str(row["date"])[:10]),
            exercise_id,
            side,
            planned,
            tuple(float(h) for h in row.get("holds_s", ())),
            tuple(float(r) for r in row.get("roms_m", ())),
        )


def _s(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:g}"
