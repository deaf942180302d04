"""Opening a source by URI: one table maps each scheme to its factory and an example.

``open_source("serial:///dev/ttyUSB0")`` returns a Source; an unknown scheme, a bad parameter
or an unknown preset raises InputError saying what is accepted. Opening does no I/O: the
device is reached when the source connects (link.py, runner.py).
"""

from __future__ import annotations

import importlib
from typing import Any

from sensors.errors import InputError
from sensors.sources.base import Source
from sensors.sources.uri import SourceUri

SCHEMES: dict[str, tuple[str, str]] = {
    "sim": ("sensors.sources.sim_source:open_sim", "sim://hip_thrust_3s_hold?rate=200&speed=1"),
    "serial": ("sensors.sources.serial_source:open_serial", "serial:///dev/ttyUSB0?baud=921600"),
    "ble": ("sensors.sources.ble_source:open_ble", "ble://hipthrust-1A2B"),
    "witmotion+serial": (
        "sensors.sources.witmotion_sources:open_witmotion_serial",
        "witmotion+serial:///dev/ttyUSB0?baud=9600",
    ),
    "witmotion+ble": (
        "sensors.sources.witmotion_sources:open_witmotion_ble",
        "witmotion+ble://WT901BLE68",
    ),
    "replay": ("sensors.sources.replay_source:open_replay", "replay://session.csv?speed=2"),
}
"""scheme -> ("module:factory", example URI). Factories take (SourceUri, **options)."""


def scheme_help() -> str:
    """One example per scheme, for error messages and --help texts."""
    return ", ".join(example for _, example in SCHEMES.values())


def open_source(uri: str, **options: Any) -> Source:
    """The Source for ``uri``; ``options`` reach the factory (timeouts, injected fakes)."""
    parsed = SourceUri.parse(uri) if "://" in uri else None
    if parsed is None or parsed.scheme not in SCHEMES:
        raise InputError(
            f"unknown source {uri!r}: use one of the schemes {', '.join(SCHEMES)} "
            f"(for example {scheme_help()})"
        )
    module_name, _, factory = SCHEMES[parsed.scheme][0].partition(":")
    return getattr(importlib.import_module(module_name), factory)(parsed, **options)
