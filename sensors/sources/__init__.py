"""Sources: every sensor (simulated, serial, BLE, WitMotion, replay) behind one interface.

``open_source(uri)`` picks the implementation by scheme (registry.py); ``run_link`` keeps it
connected and reports blocks and link events (link.py); sensors.runner drives it on a thread.
``record_blocks(uri, seconds)`` (from sensors.runner) records a stretch into one SampleBlock.
"""

from sensors.sources.base import HostCommand, Source
from sensors.sources.link import run_link
from sensors.sources.reconnect import ReconnectPolicy
from sensors.sources.registry import SCHEMES, open_source

__all__ = [
    "SCHEMES",
    "HostCommand",
    "ReconnectPolicy",
    "Source",
    "open_source",
    "record_blocks",
    "run_link",
]


def __getattr__(name: str):
    """``record_blocks`` lives in sensors.runner, which imports this package: load it late."""
    if name == "record_blocks":
        from sensors.runner import record_blocks

        return record_blocks
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
