"""CSV exports for spreadsheets (docs/formats.md, "CSV exports"): reps and raw samples.

Reps: one row per rep with its session and set. Samples: ``t,ax,ay,az,gx,gy,gz,gap`` in SI
units with every digit needed to read the same float64 back; ``hipthrust analyze`` reads it.
Empty cells mean "not measured" (NaN).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from desktop.library import chunks
from desktop.library.atomic import atomic_output
from desktop.library.store import Library
from sensors.metrics import RepMetrics

REP_HEADER = (
    "session_id", "started_at", "athlete", "set_idx", "exercise", "side", "load_kg",
    *RepMetrics.field_names(),
)  # fmt: skip
SAMPLE_HEADER = ("t", "ax", "ay", "az", "gx", "gy", "gz", "gap")


def export_reps_csv(library: Library, session_ids: list[int], path: str | Path) -> int:
    """Write every rep of the sessions to ``path``; returns the number of rows."""
    count = 0
    with atomic_output(Path(path), "w") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(REP_HEADER)
        for session_id in session_ids:
            info = library.session(session_id)
            for fields, rep in library.rep_rows(session_id):
                writer.writerow(
                    [
                        info.id,
                        info.started_at,
                        info.athlete or "",
                        fields.get("idx", ""),
                        fields.get("exercise") or "",
                        fields.get("side") or "",
                        _cell(fields.get("load_kg")),
                        *(_cell(v) for v in rep.to_dict().values()),
                    ]
                )
                count += 1
    return count


def export_samples_csv(library: Library, session_id: int, path: str | Path) -> int:
    """Write the session's raw samples to ``path``; returns the number of rows."""
    library.session(session_id)
    count = 0
    with atomic_output(Path(path), "w") as fh:
        fh.write(",".join(SAMPLE_HEADER) + "\n")
        for n, _, blob in library.chunk_blobs(session_id):
            block = chunks.decode(blob, n)
            table = np.column_stack((block.t, block.acc, block.gyr))
            lines = [
                ",".join(map(repr, row)) + f",{int(gap)}"
                for row, gap in zip(table.tolist(), block.gap.tolist(), strict=True)
            ]
            fh.write("\n".join(lines) + "\n")
            count += n
    return count


def _cell(value: float | int | str | None) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return repr(value) if isinstance(value, float) else str(value)
