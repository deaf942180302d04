"""CSV recordings (docs/formats.md, "CSV recording"): ``read_csv`` and ``write_csv``.

Header ``t,ax,ay,az,gx,gy,gz`` in any order (extra columns ignored); t in seconds with any
origin; a time step of more than 1.5 median periods marks a gap. Units: m/s^2 and rad/s unless
told otherwise. Problems raise RecordingFormatError naming the file line.
"""

from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path

import numpy as np

from sensors.errors import InputError, RecordingFormatError
from sensors.samples import STANDARD_GRAVITY, SampleBlock

COLUMNS = ("t", "ax", "ay", "az", "gx", "gy", "gz")
"""The columns a recording must have (any order; matched without case or spaces)."""

ACC_UNITS = {"m/s^2": 1.0, "g": STANDARD_GRAVITY}
GYRO_UNITS = {"rad/s": 1.0, "deg/s": math.pi / 180.0}

GAP_FACTOR = 1.5
"""A time step longer than this many median periods means samples are missing."""

_WRITE_CHUNK_ROWS = 20000
"""Rows formatted per write, to bound the memory of writing a long recording."""


def read_csv(
    path: str | os.PathLike, *, acc_unit: str = "m/s^2", gyro_unit: str = "rad/s"
) -> SampleBlock:
    """Read a CSV recording into a SampleBlock (SI units; ``gap`` from the time steps)."""
    if acc_unit not in ACC_UNITS:
        raise RecordingFormatError(f"acc_unit {acc_unit!r} is not one of: {', '.join(ACC_UNITS)}")
    if gyro_unit not in GYRO_UNITS:
        raise RecordingFormatError(
            f"gyro_unit {gyro_unit!r} is not one of: {', '.join(GYRO_UNITS)}"
        )
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RecordingFormatError(f"{path}: cannot read the file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RecordingFormatError(
            f"{path}: not a CSV text file (it holds binary data); export the recording as CSV"
        ) from None
    if "\x00" in text:
        raise RecordingFormatError(f"{path}: not a CSV text file (it holds binary data)")
    header_end = text.find("\n")
    header_line = text if header_end < 0 else text[:header_end]
    body = "" if header_end < 0 else text[header_end + 1 :]
    if not header_line.strip():
        raise RecordingFormatError(f"{path}: the file is empty; expected a header line t,ax,...")
    order = _column_order(path, header_line)
    width = len(next(csv.reader([header_line])))
    data = _parse_body(path, body, width)
    if data.shape[0] == 0:
        raise RecordingFormatError(f"{path}: the file has a header but no samples")
    t = data[:, order[0]]
    acc = data[:, order[1:4]] * ACC_UNITS[acc_unit]
    gyr = data[:, order[4:7]] * GYRO_UNITS[gyro_unit]
    steps = np.diff(t)
    bad = np.flatnonzero(steps <= 0)
    if bad.size:
        i = int(bad[0]) + 1
        how = "repeats" if steps[bad[0]] == 0 else "goes backwards"
        raise RecordingFormatError(
            f"{path} line {_line_of(body, i)}: time {float(t[i])} {how} "
            f"(previous {float(t[i - 1])}); timestamps must strictly increase"
        )
    gap = np.zeros(t.shape[0], dtype=bool)
    if steps.size:
        gap[1:] = steps > GAP_FACTOR * np.median(steps)
    return SampleBlock.from_arrays(t, acc, gyr, gap)


def write_csv(path: str | os.PathLike, block: SampleBlock) -> None:
    """Write ``block`` as a CSV recording: t (s, 6 decimals), acc (m/s^2), gyr (rad/s).

    The file appears complete or not at all (written beside it, then renamed); InputError
    if it cannot be written."""
    path = Path(path)
    table = np.column_stack((block.t, block.acc, block.gyr))
    row = "%.6f," + ",".join(["%.6f"] * 3) + "," + ",".join(["%.7f"] * 3) + "\n"
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "w", encoding="utf-8", newline="\n") as out:
            out.write(",".join(COLUMNS) + "\n")
            for lo in range(0, table.shape[0], _WRITE_CHUNK_ROWS):
                part = table[lo : lo + _WRITE_CHUNK_ROWS]
                out.write((row * part.shape[0]) % tuple(part.ravel()))
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InputError(
            f"{path}: cannot write the recording ({exc.strerror}); check the folder exists, "
            "is writable and has free space"
        ) from None


def _column_order(path: Path, header_line: str) -> list[int]:
    """Index of each of COLUMNS in the header."""
    names = [n.strip().lower() for n in next(csv.reader([header_line]))]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise RecordingFormatError(
            f"{path} line 1: missing column(s) {', '.join(missing)}; the header must name "
            f"{','.join(COLUMNS)} (got {header_line.strip()[:80]!r})"
        )
    return [names.index(c) for c in COLUMNS]


def _parse_body(path: Path, body: str, width: int) -> np.ndarray:
    """The numbers below the header as an (N, width) float array, or an error with its line."""
    body = body.rstrip()
    if not body:
        return np.empty((0, width))
    values = _fast_parse(body)
    if values is None or values.shape[1] != width or not np.isfinite(values).all():
        problem = _first_problem(body, width)
        if problem:
            raise RecordingFormatError(f"{path} {problem}")
        # only blank lines holding spaces tripped the fast parser
        values = _fast_parse("\n".join(line for line in body.split("\n") if line.strip()))
    return values


def _fast_parse(body: str) -> np.ndarray | None:
    try:
        return np.loadtxt(
            io.StringIO(body), delimiter=",", dtype=np.float64, ndmin=2, comments=None
        )
    except ValueError:
        return None


def _first_problem(body: str, width: int) -> str | None:
    """Where and what the first bad line of ``body`` is (slow path, after the fast one failed)."""
    for number, line in enumerate(body.split("\n"), start=2):
        if not line.strip():
            continue
        cells = line.split(",")
        if len(cells) != width:
            return f"line {number}: {len(cells)} cells, the header has {width}"
        for column, cell in enumerate(cells, start=1):
            try:
                value = float(cell)
            except ValueError:
                return f"line {number}, column {column}: {cell.strip()[:30]!r} is not a number"
            if not math.isfinite(value):
                return f"line {number}, column {column}: {cell.strip()!r} is not finite"
    return None


def _line_of(body: str, row: int) -> int:
    """File line number of data row ``row`` (0-based; blank lines skipped; header = line 1)."""
    lines = body.split("\n")
    if all(line.strip() for line in lines[: row + 1]):
        return row + 2
    seen = -1
    for number, line in enumerate(lines, start=2):
        seen += bool(line.strip())
        if seen == row:
            return number
    return row + 2
