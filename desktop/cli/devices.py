"""``hipthrust devices``: serial ports (with their USB descriptions) and BLE devices in range.

Each line ends with the source URI to pass to ``record``, ``analyze`` or the app. A missing
Bluetooth adapter is reported in one line and the serial list is still shown.
"""

from __future__ import annotations

import argparse
import asyncio

from sensors.errors import ConnectionFailedError
from sensors.sources.ble_source import NUS, BleDeviceInfo, scan
from sensors.sources.serial_source import SerialPortInfo, list_serial_ports
from sensors.sources.witmotion_sources import WITMOTION_BLE

BLE_SCHEMES = {"hipthrust": "ble", "witmotion": "witmotion+ble"}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``devices`` subcommand."""
    p = subparsers.add_parser(
        "devices",
        help="list serial ports and BLE sensors in range",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--scan-seconds", type=float, default=5.0, metavar="S", help="BLE scan time (default 5)"
    )
    p.add_argument("--no-ble", action="store_true", help="list serial ports only")
    p.add_argument(
        "--all", action="store_true", help="also list built-in serial ports and other BLE devices"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    for line in serial_lines(list_serial_ports(), show_all=args.all):
        print(line)
    if not args.no_ble:
        for line in ble_lines(args.scan_seconds, show_all=args.all):
            print(line)
    return 0


def serial_lines(ports: list[SerialPortInfo], *, show_all: bool = False) -> list[str]:
    """The serial section: one line per port with its URIs; built-in ports (no hardware id,
    such as /dev/ttyS0) only with ``show_all``."""
    shown = [p for p in ports if show_all or p.hwid not in ("", "n/a")]
    hidden = len(ports) - len(shown)
    note = f" ({hidden} built-in ports hidden, --all lists them)" if hidden else ""
    if not shown:
        return [f"Serial ports: none found{note} (check the USB cable; some cables only charge)"]
    lines = [f"Serial ports{note}:"]
    for p in shown:
        lines.append(f"  {p.device:<16} {p.description}  [{p.hwid}]")
        lines.append(f"      serial://{p.device}   or   witmotion+serial://{p.device}")
    return lines


def ble_lines(scan_seconds: float, *, show_all: bool = False, scanner=None) -> list[str]:
    """The BLE section; a missing adapter becomes a one-line explanation."""
    kwargs = {} if scanner is None else {"scanner": scanner}
    try:
        found: list[BleDeviceInfo] = asyncio.run(scan(scan_seconds, (NUS, WITMOTION_BLE), **kwargs))
    except ConnectionFailedError as exc:
        return [f"BLE: not scanned. {exc}"]
    shown = [d for d in found if d.kind or show_all]
    if not shown:
        hidden = f" ({len(found)} other devices, --all lists them)" if found else ""
        return [f"BLE sensors: none seen in {scan_seconds:g} s{hidden}: is the sensor on and near?"]
    lines = [f"BLE devices ({scan_seconds:g} s scan):"]
    for d in shown:
        rssi = "?" if d.rssi is None else f"{d.rssi} dBm"
        uri = f"{BLE_SCHEMES[d.kind]}://{d.address}" if d.kind else ""
        lines.append(f"  {d.name or '(no name)':<20} {d.address:<18} {rssi:>8}  {uri}")
    return lines
