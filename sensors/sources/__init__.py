"""Sources: every sensor (simulated, serial, BLE, WitMotion, replay) behind one interface.

``open_source(uri)`` picks the implementation by scheme (registry.py); ``run_link`` keeps it
connected and reports blocks and link events (link.py); sensors.runner drives it on a thread.
"""

from sensors.sources.base import HostCommand, Source
from sensors.sources.link import run_link
from sensors.sources.reconnect import ReconnectPolicy
from sensors.sources.registry import SCHEMES, open_source

__all__ = ["SCHEMES", "HostCommand", "ReconnectPolicy", "Source", "open_source", "run_link"]
