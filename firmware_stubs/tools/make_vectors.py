"""Write firmware_stubs/vectors/vectors.json: golden wire bytes shared by the C and Python tests.

Run from the repository root only when the protocol changes (then bump its version):
    python firmware_stubs/tools/make_vectors.py
Each frame case holds the message fields and the expected wire bytes in hex; the C encoder and
the Python encoder and decoder are checked byte for byte against them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from sensors.protocol import (
    AckFrame,
    GetInfoCommand,
    IdentifyCommand,
    InfoFrame,
    SamplesFrame,
    StartCommand,
    StatusFrame,
    StopCommand,
    cobs_encode,
    crc16_ccitt_false,
    encode_frame,
)

OUT = Path(__file__).resolve().parents[1] / "vectors" / "vectors.json"


def _no_zero_bytes(count: int) -> list[list[int]]:
    """Sample values whose bytes are all non-zero: long COBS blocks (254-byte runs)."""
    values = 0x0101 + 0x0102 * np.arange(count * 6)
    values = values % 0xFE00 + 0x0101
    return ((values.astype(np.int64) ^ 0x8000) - 0x8000).astype(int).reshape(count, 6).tolist()


def frame_cases() -> list[tuple[str, int, object]]:
    """(name, seq, message) for every golden frame."""
    g16 = 2048  # 1 g at +-16 g full scale
    ten = [[10 * i, -5 * i, g16 + i, 3 * i - 7, -i, 1000 - 100 * i] for i in range(10)]
    return [
        ("samples_one", 0, SamplesFrame(1000, 5000, 16, 2000, [[100, -200, g16, -1, 0, 32767]])),
        ("samples_200hz_10", 1, SamplesFrame(5_000_000, 5000, 16, 2000, ten)),
        ("samples_wrap_seq_65535", 65535, SamplesFrame(4_294_967_000, 1000, 8, 500, ten[:5])),
        ("samples_40_long_runs", 42, SamplesFrame(123_456_789, 1000, 4, 1000, _no_zero_bytes(40))),
        (
            "info_xiao",
            3,
            InfoFrame(
                bytes.fromhex("0123456789abcdef"), "xiao-nrf52840-lsm6ds3", (1, 0, 0), 208, 16, 2000
            ),
        ),
        (
            "info_esp32",
            4,
            InfoFrame(
                bytes.fromhex("f412fa6b3c5d0000"), "esp32s3-icm42688", (1, 2, 3), 200, 16, 2000, 76
            ),
        ),
        ("status_streaming", 5, StatusFrame(76, 0x01, 0, 2512)),
        ("status_overflow", 6, StatusFrame(255, 0x0B, 123_456, -32768)),
        ("ack_start_ok", 7, AckFrame(0x81, 0, 0)),
        ("ack_identify_bad_args", 8, AckFrame(0x84, 65535, 1)),
        ("start_200", 0, StartCommand(200)),
        ("start_1000", 7, StartCommand(1000)),
        ("stop", 1, StopCommand()),
        ("get_info", 2, GetInfoCommand()),
        ("identify_5", 3, IdentifyCommand(5)),
    ]


def fields(message: object) -> dict:
    """JSON-friendly fields of a message (bytes as hex, arrays as lists)."""
    out = {}
    for name, value in vars(message).items():
        if isinstance(value, bytes):
            out[name + "_hex"] = value.hex()
        elif isinstance(value, np.ndarray):
            out[name] = value.tolist()
        elif isinstance(value, tuple):
            out[name] = list(value)
        else:
            out[name] = int(value) if not isinstance(value, str) else value
    return out


def main() -> None:
    cobs_inputs = [
        b"",
        b"\x00",
        b"\x00\x00",
        b"\x11\x22\x00\x33",
        b"\x01" * 253,
        b"\x01" * 254,
        b"\x01" * 255,
        b"\x01" * 254 + b"\x00",
        bytes(range(1, 256)) * 2,
    ]
    doc = {
        "protocol_version": 1,
        "about": "Golden vectors: docs/protocol.md; made by firmware_stubs/tools/make_vectors.py",
        "crc16_ccitt_false": [
            {"data_hex": b"123456789".hex(), "crc": crc16_ccitt_false(b"123456789")},
            {"data_hex": "", "crc": crc16_ccitt_false(b"")},
        ],
        "cobs": [{"raw_hex": d.hex(), "cobs_hex": cobs_encode(d).hex()} for d in cobs_inputs],
        "frames": [
            {
                "name": name,
                "type": message.frame_type.name,
                "seq": seq,
                "fields": fields(message),
                "wire_hex": encode_frame(message, seq).hex(),
            }
            for name, seq, message in frame_cases()
        ],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
