"""``hipthrust analyze INPUT``: reps, holds, range and tempo of a recording.

INPUT is a CSV recording (docs/formats.md), a session id or an exported session file from the
library, or a source URI (``sim://...``, ``serial://...``) recorded for ``--seconds``. Prints a
table by default, ``--json`` (nothing else on stdout) or ``--csv``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

from sensors.calibration import CalibrationRecord
from sensors.errors import InputError
from sensors.metrics import RepMetrics
from sensors.pipeline import AnalysisResult, analyze
from sensors.samples import SampleBlock

ACC_UNITS = {"m/s^2": "m/s^2", "mps2": "m/s^2", "g": "g"}
GYRO_UNITS = {"rad/s": "rad/s", "rads": "rad/s", "dps": "deg/s", "deg/s": "deg/s"}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "analyze",
        help="count reps and measure holds, range and tempo in a recording",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", help="CSV file, session id, exported session file or source URI")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="JSON on stdout, nothing else")
    out.add_argument("--csv", action="store_true", help="one CSV row per rep on stdout")
    p.add_argument("--acc-unit", default="m/s^2", choices=sorted(ACC_UNITS), help="CSV input")
    p.add_argument("--gyro-unit", default="rad/s", choices=sorted(GYRO_UNITS), help="CSV input")
    p.add_argument("--mount", default="auto", choices=["auto", "bar", "hips"])
    p.add_argument(
        "--set-rest",
        type=float,
        default=20.0,
        metavar="S",
        help="rest in seconds that ends a set (default 20)",
    )
    p.add_argument(
        "--seconds",
        type=float,
        default=60.0,
        help="how long to record when INPUT is a source URI (default 60)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.set_rest > 0:
        raise InputError("--set-rest must be a positive number of seconds")
    recording = load_input(args)
    result = analyze(
        recording.block,
        mount=recording.mount if args.mount == "auto" else args.mount,
        calibration=recording.calibration,
        set_rest_s=args.set_rest,
    )
    if args.json:
        json.dump(result.to_dict(), sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
    elif args.csv:
        write_reps_csv(result.reps, sys.stdout)
    else:
        sys.stdout.write(format_table(result))
    return 0


@dataclass(frozen=True)
class Recording:
    """Samples to analyse, with the mount and calibration a library session was recorded
    with (None for CSV files and live sources: detected, and identity)."""

    block: SampleBlock
    mount: str | None = None
    calibration: CalibrationRecord | None = None


def load_input(args: argparse.Namespace) -> Recording:
    """The samples named by ``args.input`` (see the module docstring)."""
    text = args.input
    if "://" in text:
        from sensors.sources import record_blocks

        return Recording(record_blocks(text, args.seconds))
    path = Path(text)
    if path.suffix.lower() == ".csv" or (path.is_file() and _looks_like_csv(path)):
        from sensors.recording_csv import read_csv

        return Recording(
            read_csv(path, acc_unit=ACC_UNITS[args.acc_unit], gyro_unit=GYRO_UNITS[args.gyro_unit])
        )
    if text.isdigit() or path.is_file():
        from desktop.library import load_recording

        block, meta = load_recording(text, getattr(args, "data_dir", None))
        calibration = meta.get("calibration")
        return Recording(
            block,
            mount=meta.get("mount") if meta.get("mount") in ("bar", "hips") else None,
            calibration=CalibrationRecord.from_dict(calibration) if calibration else None,
        )
    if path.exists():
        raise InputError(f"{text}: not a regular file; give a CSV recording or a session file")
    raise InputError(f"{text}: no such file, session id or source URI")


def _looks_like_csv(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(64)
    except OSError:
        return False
    return head.lstrip().lower().startswith(b"t,") or b",ax" in head.lower()


def write_reps_csv(reps: list[RepMetrics], stream) -> None:
    """One row per rep with every metric; empty cells for values not measured."""
    writer = csv.writer(stream, lineterminator="\n")
    names = RepMetrics.field_names()
    writer.writerow(names)
    for rep in reps:
        row = rep.to_dict()
        writer.writerow(["" if row[n] is None else _fmt(row[n]) for n in names])


def _fmt(value: float | int) -> str:
    return str(value) if isinstance(value, int) else f"{value:.4f}"


def format_table(result: AnalysisResult) -> str:
    """The human-readable report: one line per rep, then the sets and any notes."""
    lines = [
        f"{len(result.reps)} reps in {len(result.sets)} sets, "
        f"mount: {result.mount or 'unknown'}, {result.rate_hz:.0f} Hz"
        if not math.isnan(result.rate_hz)
        else f"{len(result.reps)} reps"
    ]
    if result.reps:
        lines.append("")
        lines.append(
            f"{'rep':>4} {'set':>3} {'start s':>8} {'top s':>8} {'hold s':>6} {'ROM cm':>6} "
            f"{'up s':>5} {'down s':>6} {'pause s':>7} {'v mean':>6} {'v peak':>6}"
        )
        for r in result.reps:
            pause = "" if math.isnan(r.bottom_pause_s) else f"{r.bottom_pause_s:.2f}"
            lines.append(
                f"{r.index:>4} {r.set_index:>3} {r.start_s:>8.2f} {r.top_s:>8.2f} "
                f"{r.hold_s:>6.2f} {100 * r.rom_m:>6.1f} {r.concentric_s:>5.2f} "
                f"{r.eccentric_s:>6.2f} {pause:>7} {r.mean_velocity_mps:>6.2f} "
                f"{r.peak_velocity_mps:>6.2f}"
            )
    for s in result.sets:
        loss = "" if math.isnan(s.rom_loss_pct) else f", range lost {s.rom_loss_pct:.0f} %"
        lines.append(
            f"set {s.index}: {s.rep_count} reps, mean hold {s.mean_hold_s:.1f} s, "
            f"mean ROM {100 * s.mean_rom_m:.1f} cm{loss}"
        )
    lines.extend(f"note: {n}" for n in result.notes)
    return "\n".join(lines) + "\n"
