"""Turn vectors/vectors.json into a C header for the host unit tests (stdlib only).

    python3 tools/vectors_to_header.py vectors/vectors.json build/vectors.h

The header defines tables of test cases (message fields + expected wire bytes) whose structs
use the types of hipthrust_protocol.h; tests/test_protocol.c includes it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def c_bytes(hex_text: str) -> str:
    data = bytes.fromhex(hex_text)
    return "{" + ", ".join(f"0x{b:02x}" for b in data) + ("" if data else "0") + "}"


def c_string(text: str) -> str:
    return json.dumps(text)  # JSON string escapes are valid C for these ASCII names


def frame_rows(frames: list[dict], kind: str, lines: list[str]) -> list[str]:
    """Emit the arrays each case needs and return its table row initialisers."""
    rows = []
    for i, case in enumerate(c for c in frames if c["type"] == kind):
        f, tag = case["fields"], f"{kind.lower()}_{i}"
        lines.append(f"static const uint8_t wire_{tag}[] = {c_bytes(case['wire_hex'])};")
        head = f"{c_string(case['name'])}, {case['seq']}, wire_{tag}, sizeof wire_{tag}"
        if kind == "SAMPLES":
            values = [v for row in f["raw"] for v in row]
            lines.append(f"static const int16_t raw_{tag}[] = {{{', '.join(map(str, values))}}};")
            msg = (
                f"{{{f['t0_us']}u, {f['period_us']}, {f['acc_range_g']}, {f['gyro_range_dps']}, "
                f"{len(f['raw'])}, raw_{tag}}}"
            )
        elif kind == "INFO":
            fw = f["fw_version"]
            msg = (
                f"{{{c_bytes(f['device_id_hex'])}, {fw[0]}, {fw[1]}, {fw[2]}, {f['rate_hz']}, "
                f"{f['acc_range_g']}, {f['gyro_range_dps']}, {f['battery_pct']}, "
                f"{c_string(f['model'])}}}"
            )
        elif kind == "STATUS":
            msg = (
                f"{{{f['battery_pct']}, {f['flags']}, {f['dropped_samples']}u, "
                f"{f['temperature_cdeg']}}}"
            )
        elif kind == "ACK":
            msg = f"{{{f['command_type']}, {f['command_seq']}, {f['result']}}}"
        else:  # host commands: expected decoder output
            rate, seconds = f.get("rate_hz", 0), f.get("seconds", 0)
            msg = f"{{{case['type_code']}, {case['seq']}, {rate}, {seconds}}}"
        rows.append(f"    {{{head}, {msg}}},")
    return rows


COMMAND_TYPES = {"START": 0x81, "STOP": 0x82, "GET_INFO": 0x83, "IDENTIFY": 0x84}
TABLES = [
    ("SAMPLES", "ht_samples_t", "VEC_SAMPLES"),
    ("INFO", "ht_info_t", "VEC_INFO"),
    ("STATUS", "ht_status_t", "VEC_STATUS"),
    ("ACK", "ht_ack_t", "VEC_ACK"),
]


def main(src: str, dst: str) -> None:
    doc = json.loads(Path(src).read_text())
    lines = [
        "/* Generated from vectors/vectors.json by tools/vectors_to_header.py: do not edit. */",
        "#include <stddef.h>",
        "#include <stdint.h>",
        '#include "hipthrust_protocol.h"',
        "",
    ]
    for kind, ctype, _ in TABLES:
        lines.append(
            f"typedef struct {{ const char *name; uint16_t seq; const uint8_t *wire; "
            f"size_t wire_len; {ctype} msg; }} vec_{kind.lower()}_t;"
        )
    lines.append(
        "typedef struct { const char *name; uint16_t seq; const uint8_t *wire; size_t wire_len; "
        "ht_command_t cmd; } vec_command_t;"
    )
    lines.append(
        "typedef struct { const uint8_t *raw; size_t raw_len; const uint8_t *cobs; "
        "size_t cobs_len; } vec_cobs_t;"
    )
    frames = doc["frames"]
    for case in frames:
        case["type_code"] = COMMAND_TYPES.get(case["type"], 0)
    for kind, _, table in TABLES:
        rows = frame_rows(frames, kind, lines)
        lines += [f"static const vec_{kind.lower()}_t {table}[] = {{", *rows, "};"]
    rows = []
    for kind in COMMAND_TYPES:
        rows += frame_rows(frames, kind, lines)
    lines += ["static const vec_command_t VEC_COMMANDS[] = {", *rows, "};"]
    rows = []
    for i, case in enumerate(doc["cobs"]):
        lines.append(f"static const uint8_t cobs_raw_{i}[] = {c_bytes(case['raw_hex'])};")
        lines.append(f"static const uint8_t cobs_enc_{i}[] = {c_bytes(case['cobs_hex'])};")
        raw_len, enc_len = len(case["raw_hex"]) // 2, len(case["cobs_hex"]) // 2
        rows.append(f"    {{cobs_raw_{i}, {raw_len}, cobs_enc_{i}, {enc_len}}},")
    lines += ["static const vec_cobs_t VEC_COBS[] = {", *rows, "};"]
    crc = doc["crc16_ccitt_false"][0]
    lines.append(f"static const uint8_t CRC_CHECK_DATA[] = {c_bytes(crc['data_hex'])};")
    lines.append(f"#define CRC_CHECK_VALUE 0x{crc['crc']:04x}u")
    lines.append("#define VEC_COUNT(table) (sizeof(table) / sizeof((table)[0]))")
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    Path(dst).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: vectors_to_header.py VECTORS_JSON OUT_HEADER")
    main(sys.argv[1], sys.argv[2])
