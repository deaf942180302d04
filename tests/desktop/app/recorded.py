"""Simulated sessions recorded into a library the way the live window records them."""

from __future__ import annotations

from desktop.library import Library, Recorder
from sensors.events import SetStarted
from sensors.pipeline import LivePipeline
from sensors.simulator import SetScenario, get_preset, simulate

BLOCK_S = 0.5
"""Seconds per block fed to the pipeline and the recorder (as a live poll would)."""


def record_session(
    data_dir,
    scenario: SetScenario | str = "hip_thrust_3s_hold",
    *,
    athlete: str | None = "Alex",
    exercise: str = "hip_thrust",
    load_kg: float | None = None,
    targets: dict | None = None,
    started_at: str | None = None,
    calibration: dict | None = None,
) -> int:
    """Record one simulated session through LivePipeline and Recorder; returns its id.
    ``started_at`` (UTC ISO) back-dates it, for history over weeks."""
    if isinstance(scenario, str):
        scenario = get_preset(scenario)
    block = simulate(scenario).block
    pipeline = LivePipeline()
    targets = targets or {"reps": scenario.reps, "hold_s": 3.0, "tempo": "2-1-1-3"}
    with Library.open(data_dir) as library:
        session_id = library.create_session(
            athlete=athlete, source="sim://test", calibration=calibration
        )
        recorder = Recorder(library, session_id)
        step = int(BLOCK_S * scenario.rate_hz)
        outputs = []
        for start in range(0, len(block), step):
            chunk = block[start : start + step]
            recorder.add_block(chunk)
            outputs.append(pipeline.process(chunk).events)
        outputs.append(pipeline.finish().events)
        for events in outputs:
            for event in events:
                if isinstance(event, SetStarted):
                    recorder.begin_set(exercise, None, load_kg, targets)
                else:
                    recorder.add_events((event,))
        recorder.close()
        if started_at is not None:
            with library.transaction("back-dating a test session") as conn:
                conn.execute(
                    "UPDATE sessions SET started_at = ? WHERE id = ?", (started_at, session_id)
                )
    return session_id
