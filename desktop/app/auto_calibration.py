"""The newest stored calibration of a device, applied to the live analysis as it connects.

``with_calibration(runner_factory, data_dir)`` wraps a factory of ``sensors.runner.Runner``
so that each runner's pipeline, before its first block, looks up
``Library.latest_calibration(device_key(source))`` and sets it on the LivePipeline. A library
that cannot be read leaves the samples uncorrected (``CalibratedPipeline.problem`` says why).
No Qt here; the lookup runs on the runner's thread with its own library connection.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.app.calibration_device import device_key
from desktop.library import Library
from sensors.calibration import CalibrationRecord
from sensors.errors import SensorError


def latest_record(data_dir: str | Path | None, device_id: str) -> CalibrationRecord | None:
    """The newest calibration of ``device_id`` in the library, None if it has none."""
    with Library.open(data_dir) as library:
        data = library.latest_calibration(device_id)
    return None if data is None else CalibrationRecord.from_dict(data)


class CalibratedPipeline:
    """A LivePipeline that takes its device's calibration before the first block.

    Everything else is the wrapped pipeline's (``process``, ``finish``, ``mount``, ...).
    ``device_id`` and ``record`` tell what was looked up and found; ``problem`` why not.
    """

    def __init__(
        self,
        pipeline: Any,
        source: object,
        lookup: Callable[[str], CalibrationRecord | None],
    ) -> None:
        self.pipeline = pipeline
        self.source = source
        self.lookup = lookup
        self.device_id: str | None = None
        self.record: CalibrationRecord | None = None
        self.problem = ""

    def process(self, block):
        if self.device_id is None:
            self.device_id = device_key(self.source)
            try:
                self.record = self.lookup(self.device_id)
            except SensorError as exc:
                self.problem = f"calibration of {self.device_id} not applied: {exc}"
            if self.record is not None:
                self.pipeline.calibration = self.record
        return self.pipeline.process(block)

    def __getattr__(self, name: str):
        return getattr(self.pipeline, name)


def with_calibration(
    runner_factory: Callable[[str], Any], data_dir: str | Path | None
) -> Callable[[str], Any]:
    """A runner factory whose runners apply their device's stored calibration."""

    def make(uri: str):
        runner = runner_factory(uri)
        if runner.pipeline is not None:
            runner.pipeline = CalibratedPipeline(
                runner.pipeline, runner.source, lambda key: latest_record(data_dir, key)
            )
        return runner

    return make
