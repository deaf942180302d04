"""``hipthrust simulate``: write a simulated recording (CSV) and its truth (FILE.truth.json).

Start from a preset (--preset) or the exercise's typical set; every option given overrides it.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from sensors.errors import InputError
from sensors.recording_csv import write_csv
from sensors.simulator import (
    EXERCISES,
    MOUNTS,
    PRESETS,
    SENSOR_GRADES,
    SIDES,
    SetScenario,
    Tempo,
    get_preset,
    simulate,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``simulate`` subcommand."""
    p = subparsers.add_parser(
        "simulate",
        help="write a simulated recording with ground truth",
        description="Simulate a set (or sets) and write FILE.csv plus FILE.truth.json beside it.",
    )
    p.add_argument("-o", "--output", metavar="FILE.csv", help="CSV to write (required)")
    p.add_argument("--list", action="store_true", help="list the presets and exercises")
    p.add_argument("--preset", help=f"start from a preset: {', '.join(PRESETS)}")
    p.add_argument("--exercise", help=f"one of: {', '.join(EXERCISES)}")
    p.add_argument("--mount", choices=MOUNTS, help="sensor on the bar or on the hips")
    p.add_argument("--side", choices=SIDES, help="working leg of single-leg work")
    p.add_argument("--reps", type=int, help="reps per set")
    p.add_argument("--sets", type=int, help="number of sets")
    p.add_argument("--rest", type=float, metavar="S", help="rest between sets, seconds")
    p.add_argument("--tempo", help="down-pause-up-hold seconds, e.g. 3-1-1-3")
    p.add_argument("--hold", type=float, metavar="S", help="top hold, seconds (0: none)")
    p.add_argument("--rom", type=float, metavar="M", help="range of motion, metres")
    p.add_argument("--rate", type=float, metavar="HZ", help="sample rate, 50-1000 Hz")
    p.add_argument("--grade", choices=tuple(SENSOR_GRADES), help="sensor grade")
    p.add_argument("--noise", type=float, metavar="X", help="multiply the grade's noise by X")
    p.add_argument("--acc-range", type=int, choices=(2, 4, 8, 16), help="accelerometer range, g")
    p.add_argument("--gyro-range", type=int, metavar="DPS", help="gyroscope range, deg/s")
    p.add_argument("--dropouts", type=float, metavar="N", help="BLE dropouts per minute")
    p.add_argument("--fatigue", type=float, metavar="F", help="0..1: range and speed fall")
    p.add_argument("--drift", type=float, metavar="M", help="forward drift per rep, metres")
    p.add_argument("--failed-last", action="store_true", help="end with a failed attempt")
    p.add_argument("--rerack", action="store_true", help="roll the bar off after each set")
    p.add_argument("--no-setup", action="store_true", help="start with the bar in place")
    p.add_argument("--touch-and-go", action="store_true", help="no bottom pause")
    p.add_argument("--start-time", type=float, metavar="S", help="device clock at the start, s")
    p.add_argument("--seed", type=int, help="random seed (same seed, same file)")
    p.set_defaults(func=run)


def scenario_from_args(args: argparse.Namespace) -> SetScenario:
    """The scenario the options describe (InputError on a bad value)."""
    base = get_preset(args.preset) if args.preset else SetScenario(exercise="hip_thrust")
    if args.exercise and not args.preset:
        base = SetScenario(exercise=args.exercise)
    changes = {
        "exercise": args.exercise,
        "mount": args.mount,
        "side": args.side,
        "reps": args.reps,
        "sets": args.sets,
        "rest_s": args.rest,
        "tempo": Tempo.parse(args.tempo) if args.tempo else None,
        "hold_s": args.hold,
        "rom_m": args.rom,
        "rate_hz": args.rate,
        "grade": args.grade,
        "noise_scale": args.noise,
        "dropouts_per_min": args.dropouts,
        "acc_range_g": args.acc_range,
        "gyro_range_dps": args.gyro_range,
        "fatigue": args.fatigue,
        "forward_drift_m": args.drift,
        "start_time_s": args.start_time,
        "seed": args.seed,
        "failed_last_attempt": True if args.failed_last else None,
        "rerack": True if args.rerack else None,
        "setup": False if args.no_setup else None,
        "touch_and_go": True if args.touch_and_go else None,
    }
    if args.touch_and_go and args.tempo is None:
        tempo = base.tempo_resolved
        changes["tempo"] = replace(tempo, bottom_pause_s=0.0)
    return replace(base, **{k: v for k, v in changes.items() if v is not None})


def truth_path(csv_path: Path) -> Path:
    """FILE.csv -> FILE.truth.json (beside the CSV)."""
    return csv_path.with_name(csv_path.stem + ".truth.json")


def run(args: argparse.Namespace) -> int:
    if args.list:
        _print_choices()
        return 0
    if not args.output:
        raise InputError("say where to write the recording: -o FILE.csv")
    scenario = scenario_from_args(args)
    recording = simulate(scenario)
    out = Path(args.output)
    write_csv(out, recording.block)
    truth = recording.truth.to_dict()
    truth["scenario"] = _scenario_dict(scenario)
    truth_path(out).write_text(json.dumps(truth, indent=1), encoding="utf-8")
    reps = len(recording.truth.reps)
    print(
        f"wrote {out} ({len(recording.block)} samples, {recording.block.duration_s:.1f} s, "
        f"{reps} reps in {len(recording.truth.sets)} set(s)) and {truth_path(out)}",
        file=sys.stdout,
    )
    return 0


def _print_choices() -> None:
    print("presets:")
    for name, preset in PRESETS.items():
        print(f"  {name:<24} {preset.description}")
    print("exercises:")
    for name, profile in EXERCISES.items():
        low, high = profile.rom_range_m
        print(
            f"  {name:<24} {profile.title}: {low * 100:.0f}-{high * 100:.0f} cm, "
            f"tempo {profile.tempo}, on the {profile.default_mount}"
        )


def _scenario_dict(scenario: SetScenario) -> dict:
    return {
        "exercise": scenario.exercise,
        "mount": scenario.mount_resolved,
        "reps": scenario.reps,
        "sets": scenario.sets,
        "tempo": str(scenario.tempo_resolved),
        "rom_m": scenario.rom_resolved,
        "rate_hz": scenario.rate_hz,
        "grade": scenario.grade,
        "noise_scale": scenario.noise_scale,
        "dropouts_per_min": scenario.dropouts_per_min,
        "acc_range_g": scenario.acc_range_g,
        "gyro_range_dps": scenario.gyro_range_dps,
        "fatigue": scenario.fatigue,
        "forward_drift_m": scenario.forward_drift_m,
        "failed_last_attempt": scenario.failed_last_attempt,
        "setup": scenario.setup,
        "rerack": scenario.rerack,
        "touch_and_go": scenario.touch_and_go,
        "rest_s": scenario.rest_s,
        "start_time_s": scenario.start_time_s,
        "seed": scenario.seed,
    }
