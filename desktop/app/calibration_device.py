"""The sensor a calibration runs on, and the key its calibration is stored under.

``RunnerDevice(uri)`` streams raw samples from any source URI through ``sensors.runner``;
``BenchDevice`` is the simulated calibration bench (``sensors.calibration_bench``), which also
acts out the wizard's instructions, for demos and tests. ``device_key(source)`` names a device
in the library: its wire-protocol id, else its URI made safe. No Qt here.
"""

from __future__ import annotations

import re
from typing import Protocol

from sensors.calibration_bench import CalibrationBench
from sensors.runner import Runner
from sensors.samples import SampleBlock

BENCH_URI = "bench://simulated"
"""The wizard's name for the simulated calibration bench."""
BENCH_POLL_S = 0.1
"""Device seconds the bench produces per poll: fixed, so tests do not depend on the clock."""


def device_key(source: object) -> str:
    """The id a source's device is stored under: the 16-hex-digit id it announced (INFO),
    else the source URI with anything but letters, digits and ``:._-`` replaced."""
    info = getattr(getattr(source, "decoder", None), "info", None)
    if info is not None:
        return info.device_id_hex
    uri = str(getattr(source, "uri", "unknown"))
    return re.sub(r"[^A-Za-z0-9:._-]+", "_", uri).lstrip(":._-")[:64] or "unknown"


class CalibrationDevice(Protocol):
    """What the wizard needs: start/stop, the raw samples since the last poll, an id."""

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def poll(self) -> tuple[list[SampleBlock], list[str]]:
        """(new blocks, problems in words) since the previous poll."""
        ...

    @property
    def device_id(self) -> str | None: ...


class RunnerDevice:
    """A real (or simulated wire) sensor, streamed raw: no analysis, no calibration."""

    def __init__(self, uri: str) -> None:
        self.runner = Runner(uri, pipeline=None, keep_connected=True)

    def start(self) -> None:
        self.runner.start()

    def stop(self) -> None:
        self.runner.stop()

    def poll(self) -> tuple[list[SampleBlock], list[str]]:
        batch = self.runner.drain()
        problems = [getattr(e, "reason", "") for e in batch.events if hasattr(e, "reason")]
        return [b for b in batch.blocks if len(b)], [p for p in problems if p] + batch.errors

    @property
    def device_id(self) -> str | None:
        return device_key(self.runner.source) if self.runner.state is not None else None


class BenchDevice:
    """The simulated bench; ``act(step, **params)`` performs what the wizard asks."""

    def __init__(self, bench: CalibrationBench | None = None) -> None:
        self.bench = bench or CalibrationBench(
            gyro_bias_rps=(0.015, -0.01, 0.02),
            acc_offset_mps2=(0.25, -0.18, 0.3),
            acc_scale=(1.02, 0.985, 1.01),
            seed=1,
        )
        self.running = False

    def start(self) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False

    def poll(self) -> tuple[list[SampleBlock], list[str]]:
        return ([self.bench.read(BENCH_POLL_S)] if self.running else []), []

    @property
    def device_id(self) -> str | None:
        return self.bench.device_id

    def act(self, step: str, **params) -> None:
        """Do what a person would: lie still, show a face, a slow rep in place, a lift."""
        bench = self.bench
        if step == "still":
            bench.place_face("+Z")
        elif step == "face":
            bench.place_face(params["face"], tilt_deg=2.0)
        elif step == "mount":
            bench.place_face("-Y", tilt_deg=3.0)
            bench.hold(1.5)
            bench.turn([0.0, 1.0, 0.0], 18.0, 4.0)
        elif step == "lift":
            bench.hold(1.2)
            bench.lift(params["height_m"], 2.0)
