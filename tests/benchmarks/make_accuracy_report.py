"""Accuracy report: the analysis scored against simulator ground truth, beside a naive baseline.

Run:  python tests/benchmarks/make_accuracy_report.py [--write docs/accuracy.md]

Every scenario is simulated (seeded), analysed with sensors.pipeline.analyze, and scored:
sets counted exactly (each true set gets exactly its number of reps), rep F1 (a detected rep
matches a true rep when its top falls inside the true rep), hold MAE and ROM MAE over matched
reps. The baseline counts peaks of the low-passed acceleration magnitude with scipy, as a hobby
project would; it measures neither hold nor range.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.signal import butter, filtfilt, find_peaks

from sensors.pipeline import analyze
from sensors.samples import STANDARD_GRAVITY
from sensors.simulator import SetScenario, Tempo, simulate

EXERCISES = [
    "glute_bridge",
    "single_leg_bridge",
    "hip_thrust",
    "single_leg_hip_thrust",
    "loaded_hip_thrust",
]


def scenarios() -> list[tuple[str, SetScenario]]:
    """The scored scenarios (name, scenario); seeds differ so mountings differ too."""
    out: list[tuple[str, SetScenario]] = []
    seed = 100
    for exercise in EXERCISES:
        for mount in ("bar", "hips"):
            seed += 1
            out.append(
                (
                    f"{exercise} {mount} 3 s hold",
                    SetScenario(exercise=exercise, mount=mount, reps=8, hold_s=3.0, seed=seed),
                )
            )
    for rate in (50, 100, 400):
        for mount in ("bar", "hips"):
            seed += 1
            out.append(
                (
                    f"hip_thrust {mount} {rate} Hz",
                    SetScenario(mount=mount, reps=8, hold_s=2.0, rate_hz=rate, seed=seed),
                )
            )
    for hold in (5.0, 8.0):
        for mount in ("bar", "hips"):
            seed += 1
            out.append(
                (
                    f"loaded_hip_thrust {mount} {hold:.0f} s hold",
                    SetScenario(
                        exercise="loaded_hip_thrust", mount=mount, reps=6, hold_s=hold, seed=seed
                    ),
                )
            )
    for exercise in ("hip_thrust", "glute_bridge"):
        for mount in ("bar", "hips"):
            seed += 1
            out.append(
                (
                    f"{exercise} {mount} no hold",
                    SetScenario(exercise=exercise, mount=mount, reps=10, hold_s=0.0, seed=seed),
                )
            )
            seed += 1
            out.append(
                (
                    f"{exercise} {mount} touch-and-go",
                    SetScenario(
                        exercise=exercise,
                        mount=mount,
                        reps=10,
                        tempo=Tempo(1.5, 0.0, 1.0, 1.0),
                        touch_and_go=True,
                        seed=seed,
                    ),
                )
            )
    for exercise in ("hip_thrust", "loaded_hip_thrust"):
        for mount in ("bar", "hips"):
            seed += 1
            out.append(
                (
                    f"{exercise} {mount} fatigue + failed last + rerack",
                    SetScenario(
                        exercise=exercise,
                        mount=mount,
                        reps=12,
                        hold_s=1.0,
                        fatigue=1.0,
                        failed_last_attempt=True,
                        rerack=True,
                        seed=seed,
                    ),
                )
            )
    for mount in ("bar", "hips"):
        for rate in (100, 200):
            seed += 1
            out.append(
                (
                    f"hip_thrust {mount} cheap sensor {rate} Hz",
                    SetScenario(
                        mount=mount, reps=8, hold_s=3.0, grade="cheap", rate_hz=rate, seed=seed
                    ),
                )
            )
            seed += 1
            out.append(
                (
                    f"hip_thrust {mount} dropouts {rate} Hz",
                    SetScenario(
                        mount=mount,
                        reps=8,
                        hold_s=3.0,
                        dropouts_per_min=8.0,
                        rate_hz=rate,
                        seed=seed,
                    ),
                )
            )
    for mount in ("bar", "hips"):
        seed += 1
        out.append(
            (
                f"loaded_hip_thrust {mount} 3 sets",
                SetScenario(
                    exercise="loaded_hip_thrust",
                    mount=mount,
                    reps=8,
                    sets=3,
                    rest_s=60.0,
                    hold_s=2.0,
                    fatigue=0.5,
                    rerack=True,
                    seed=seed,
                ),
            )
        )
    seed += 1
    out.append(
        (
            "single_leg_bridge hips cheap + dropouts 50 Hz",
            SetScenario(
                exercise="single_leg_bridge",
                mount="hips",
                reps=12,
                hold_s=3.0,
                grade="cheap",
                dropouts_per_min=6.0,
                rate_hz=50,
                seed=seed,
            ),
        )
    )
    return out


@dataclass
class Score:
    sets_exact: int = 0
    sets_total: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    hold_err: list[float] | None = None
    rom_err: list[float] | None = None

    def __post_init__(self) -> None:
        self.hold_err = []
        self.rom_err = []

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0


def match(truth, tops: np.ndarray) -> list[int | None]:
    """For each true rep, the index of the detected top inside it (each used once)."""
    used: set[int] = set()
    out: list[int | None] = []
    for rep in truth:
        inside = [
            i for i in np.flatnonzero((tops >= rep.start_s) & (tops <= rep.end_s)) if i not in used
        ]
        out.append(inside[0] if inside else None)
        if inside:
            used.add(inside[0])
    return out


def score_sets(truth, tops: np.ndarray, score: Score) -> bool:
    """Counts each true set's detected reps; True if every set is exact."""
    exact = True
    for s in truth.sets:
        n = int(((tops >= s.start_s - 1.0) & (tops <= s.end_s + 1.0)).sum())
        score.sets_total += 1
        score.sets_exact += n == s.rep_count
        exact &= n == s.rep_count
    return exact


def baseline_tops(block) -> np.ndarray:
    """Hobby-style counting: peaks of the 2 Hz low-passed acceleration magnitude."""
    rate = block.median_rate_hz()
    mag = np.linalg.norm(block.acc, axis=1) - STANDARD_GRAVITY
    b, a = butter(2, 2.0 / (rate / 2))
    smooth = filtfilt(b, a, mag)
    peaks, _ = find_peaks(smooth, height=0.3, distance=int(1.5 * rate), prominence=0.3)
    return block.t[peaks]


def evaluate(name: str, scenario: SetScenario, ours: Score, base: Score) -> dict:
    rec = simulate(scenario)
    truth = rec.truth
    result = analyze(rec.block)
    tops = np.array([r.top_s for r in result.reps])
    pairs = match(truth.reps, tops)
    ours.tp += sum(p is not None for p in pairs)
    ours.fn += sum(p is None for p in pairs)
    ours.fp += len(tops) - sum(p is not None for p in pairs)
    for rep, p in zip(truth.reps, pairs, strict=True):
        if p is not None:
            ours.hold_err.append(abs(result.reps[p].hold_s - rep.hold_s))
            ours.rom_err.append(abs(result.reps[p].rom_m - rep.rom_m))
    exact = score_sets(truth, tops, ours)
    btops = baseline_tops(rec.block)
    bpairs = [None] * len(truth.reps)
    used: set[int] = set()
    for k, rep in enumerate(truth.reps):
        inside = [
            i
            for i in np.flatnonzero((btops >= rep.start_s - 0.3) & (btops <= rep.end_s))
            if i not in used
        ]
        if inside:
            bpairs[k] = inside[0]
            used.add(inside[0])
    base.tp += sum(p is not None for p in bpairs)
    base.fn += sum(p is None for p in bpairs)
    base.fp += len(btops) - len(used)
    bexact = score_sets(truth, btops, base)
    hold = [
        abs(result.reps[p].hold_s - r.hold_s)
        for r, p in zip(truth.reps, pairs, strict=True)
        if p is not None
    ]
    rom = [
        abs(result.reps[p].rom_m - r.rom_m)
        for r, p in zip(truth.reps, pairs, strict=True)
        if p is not None
    ]
    return {
        "name": name,
        "true": len(truth.reps),
        "ours": len(tops),
        "base": len(btops),
        "exact": exact,
        "bexact": bexact,
        "rate": scenario.rate_hz,
        "hold": float(np.mean(hold)) if hold else float("nan"),
        "rom": float(np.mean(rom)) if rom else float("nan"),
        "mount": result.mount,
        "true_mount": scenario.mount,
    }


def render(rows: list[dict], ours: Score, base: Score, seconds: float) -> str:
    lines = [
        "# Accuracy",
        "",
        "Generated by `python tests/benchmarks/make_accuracy_report.py --write docs/accuracy.md`"
        f" ({len(rows)} simulated recordings, {ours.tp + ours.fn} true reps, "
        f"{seconds:.0f} s). Do not edit by hand.",
        "",
        "Ground truth comes from the simulator (sensors/simulator), which models the motion "
        "(setup, reps, holds with tremor, fatigue, failed attempts, re-racking), the mounting "
        "and the IMU (noise, biases, scale errors, int16 quantisation, dropouts). Words as in "
        "docs/architecture.md: hold_s from the upward speed falling below 0.05 m/s to the "
        "downward speed exceeding it; rom_m from the rep's start to its peak.",
        "",
        "## Summary",
        "",
        "| | sets counted exactly | rep F1 | hold MAE | ROM MAE |",
        "|---|---|---|---|---|",
        f"| hipthrust | {ours.sets_exact}/{ours.sets_total} | {ours.f1:.3f} | "
        f"{np.mean(ours.hold_err):.3f} s | {100 * np.mean(ours.rom_err):.2f} cm |",
        f"| baseline (acceleration-magnitude peaks) | {base.sets_exact}/{base.sets_total} | "
        f"{base.f1:.3f} | not measured | not measured |",
        "",
        f"Targets: every set exact, F1 >= 0.99, hold MAE <= 0.05 s, ROM MAE <= 1.0 cm. "
        f"Worst single-rep errors: hold {max(ours.hold_err):.3f} s, "
        f"ROM {100 * max(ours.rom_err):.2f} cm.",
        "",
        "## Per recording",
        "",
        "| scenario | rate Hz | true reps | hipthrust | baseline | hold MAE s | ROM MAE cm "
        "| mount found |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        mark = "" if r["exact"] else " ✗"
        lines.append(
            f"| {r['name']} | {r['rate']:.0f} | {r['true']} | {r['ours']}{mark} | {r['base']} "
            f"| {r['hold']:.3f} | {100 * r['rom']:.2f} | {r['mount']} |"
        )
    return "\n".join(lines) + "\n\n" + KNOWN_LIMITS


KNOWN_LIMITS = """## Where it still fails, and why

Written by hand with the analysis as of this report's generator; the table above is the
measurement. Speed figures are in docs/benchmarks.md.

- **Bridges (glute bridge, single-leg bridge): now counted exactly** in every scenario with
  good sensors. Their lowering (about 2 s over 10-16 cm, peaking at 0.1-0.15 m/s) used to pass
  the stillness test, and a rest confirmed mid-lowering cut the rep in two. The stillness test
  now looks at 0.45 s (was 0.3 s), allows a low-passed spread of 0.115 m/s^2 (was 0.15) and a
  live speed of 0.07 m/s (was 0.10): a loaded hold's tremor (+-0.2 m/s^2 at 7.5 Hz, about
  +-0.04 m/s^2 after the 0.1 s low-pass) still passes, a bridge's lowering no longer does.
  The margin is narrow: a spread of 0.125 m/s^2 loses two bridge sets again (single-leg
  bridge on the bar, the cheap 50 Hz single-leg bridge). Gating the
  rescue rule (`rest_sure_s`) by the live speed (0.25 m/s) or a longer duration (3 s) was
  tried: it changed no bridge (their lowering is slower than 0.25 m/s) and lost reps on cheap
  sensors, so it was not kept.
- **Hold and ROM MAE above target** (0.103 s, 1.04 cm) mostly because the 12 reps of
  *single_leg_bridge hips cheap + dropouts 50 Hz*, previously not found at all, are now found
  but with hold errors of about 1.9 s and ROM errors of about 8 cm; without that recording the
  matched reps average about 0.046 s and 0.81 cm. The top of a rep is the first +0.05 m/s
  downward crossing after the peak concentric velocity within 20 % of the rise below the
  peak (was 5 %), so a hold whose height drifts by a centimetre or two keeps its top where the
  rise ended: that alone took the hold MAE from 0.151 to 0.053 s with every count unchanged.
- **Cheap sensors** (biases 0.3 m/s^2 per axis, 2 % scale errors, 2 deg/s gyro bias). The
  vertical rest level moves with the orientation (pelvic tilt of 25 deg between bottom and top,
  the bar's setup roll); the bias model `c . up` learns it from rests at both orientations,
  but during the first reps, and while the orientation filter still converges on the gyro
  bias, the level can be off by 0.1-0.2 m/s^2, so live velocities and rest decisions go wrong.
  *hip_thrust hips cheap sensor 100 Hz* (1 of 8 reps) is the one set still miscounted;
  *hip_thrust bar cheap sensor 200 Hz* gets its first three reps wrong (ROM MAE 9 cm, worse
  than the 2.4 cm before the stillness change). Part of the error is physical: a 2 %
  accelerometer scale error scales the measured displacement by up to 2 % (up to 7 mm of a
  35 cm range), and rests at two orientations cannot reveal it; the six-face calibration
  (docs/calibration.md) can. These scenarios stay in the table.
- **Dropouts.** Gaps up to 1 s are bridged by linear interpolation of the acceleration; a gap
  during a rise or at the start of a lowering loses that part of the motion (ROM errors of
  1-4 cm in the hips dropout scenarios). Not analysed further yet.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="write the markdown report here")
    parser.add_argument("--only", help="run only scenarios whose name contains this")
    args = parser.parse_args()
    ours, base = Score(), Score()
    rows = []
    started = time.perf_counter()
    for name, scenario in scenarios():
        if args.only and args.only not in name:
            continue
        row = evaluate(name, scenario, ours, base)
        rows.append(row)
        print(
            f"{name:55s} true {row['true']:3d} ours {row['ours']:3d} base {row['base']:3d} "
            f"hold {row['hold']:.3f} s rom {100 * row['rom']:.2f} cm mount {row['mount']}",
            flush=True,
        )
    report = render(rows, ours, base, time.perf_counter() - started)
    print(report.split("## Per recording")[0])
    if args.write:
        args.write.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
