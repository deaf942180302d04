"""``witmotion+serial://PORT`` and ``witmotion+ble://NAME-or-ADDRESS``: WitMotion IMUs.

Same transports as hipthrust boards, with the WitMotion decoder (witmotion.py). On connect the
output rate is set (RRATE register) so that sample times follow a known rate. BLE models use
service FFE5 (notify FFE4, write FFE9) and advertise names starting with "WT".
"""

from __future__ import annotations

from typing import Any

import serial

from sensors.sources.ble_source import BleService, BleTransport, ble_options
from sensors.sources.device_source import DeviceSource
from sensors.sources.serial_source import SerialTransport, serial_target
from sensors.sources.uri import SourceUri
from sensors.sources.witmotion import WitMotionDecoder

WITMOTION_BLE = BleService(
    "witmotion",
    "0000ffe5-0000-1000-8000-00805f9a34fb",
    "0000ffe4-0000-1000-8000-00805f9a34fb",
    "0000ffe9-0000-1000-8000-00805f9a34fb",
    "WT",
)
FACTORY_BAUD = 9600
"""WT901 serial models leave the factory at 9600 baud: enough for about 20 Hz."""


def _serial_default_rate(baud: int) -> int:
    """The highest output rate the baud rate carries with the factory packet set (4 x 11 B)."""
    return 100 if baud >= 115200 else 50 if baud >= 38400 else 20


def open_witmotion_serial(uri: SourceUri, **options: Any) -> DeviceSource:
    """``witmotion+serial://PORT?baud=9600&rate=20``: a WT901-family sensor over serial."""
    uri.check_keys(("baud", "rate"))
    baud = uri.get_int("baud", FACTORY_BAUD, low=2400, high=921600)
    rate = uri.get_int("rate", _serial_default_rate(baud), low=10, high=200)
    transport = SerialTransport(
        serial_target(uri),
        baudrate=baud,
        serial_factory=options.pop("serial_factory", serial.Serial),
    )
    hint = (
        f"check the baud rate (now {baud}; WitMotion ships at 9600, set with ?baud=) and that "
        "the sensor outputs acceleration and angular rate packets"
    )
    decoder = WitMotionDecoder(ble=False, rate_hz=rate, **_clock(options))
    return DeviceSource(uri.text, transport, decoder, start_rate_hz=rate, hint=hint, **options)


def open_witmotion_ble(uri: SourceUri, **options: Any) -> DeviceSource:
    """``witmotion+ble://NAME-or-ADDRESS?rate=100``: a WitMotion BLE 5.0 sensor."""
    uri.check_keys(("rate", "scan"))
    rate = uri.get_int("rate", 100, low=10, high=200)
    transport = BleTransport(uri.target, WITMOTION_BLE, **ble_options(uri, options))
    hint = "check it is a WitMotion BLE 5.0 model (WT901BLE, WT9011DCL) and charged"
    decoder = WitMotionDecoder(ble=True, rate_hz=rate, **_clock(options))
    return DeviceSource(uri.text, transport, decoder, start_rate_hz=rate, hint=hint, **options)


def _clock(options: dict[str, Any]) -> dict[str, Any]:
    """The decoder's injectable host clock, taken out of the source options."""
    return {"clock": options.pop("clock")} if "clock" in options else {}
