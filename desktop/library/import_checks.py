"""Validation of the session descriptions read from a session file (docs/formats.md).

``check_session(data)`` accepts only the documented keys, types, sizes and characters, and
returns the description with numbers as floats; anything else raises SessionFileError naming
the field. Identifier fields are restricted to plain characters, so text crafted to look like
SQL or markup is refused, not stored.
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import UTC, datetime

from desktop.library import rows
from desktop.library.errors import SessionFileError
from sensors.calibration import CalibrationRecord
from sensors.errors import InputError

MAX_SETS = 1_000
MAX_REPS = 20_000
MAX_NOTES = 10_000
MAX_NOTE_CHARS = 4_000
MAX_TARGETS = 32

_IDENT = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_DEVICE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._-]{0,63}$")
_LABEL = re.compile(r"^[\w.+-][\w .+-]{0,63}$")
_SOURCE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[\w/\\:.~?#@!$&+,=% -]{0,200}$")
_SIDES = (None, "left", "right")
_IMPORTED_STATUSES = ("complete", "recovered", "stopped")

_SESSION_KEYS = {
    "uuid", "started_at", "ended_at", "status", "athlete", "source", "mount", "device",
    "calibration", "sets", "reps", "notes", "chunk_count", "sample_count",
}  # fmt: skip
_SET_KEYS = {"idx", "exercise", "side", "load_kg", "targets", *rows.SUMMARY_COLUMNS}
_REP_KEYS = {"set_idx", *rows.REP_COLUMNS}


def check_session(data: object) -> dict:
    """The validated session description; SessionFileError on the first problem."""
    d = _object(data, _SESSION_KEYS, "session")
    out = {
        "uuid": _uuid(d["uuid"]),
        "started_at": _time(d["started_at"], "started_at"),
        "ended_at": None if d["ended_at"] is None else _time(d["ended_at"], "ended_at"),
        "status": _choice(d["status"], _IMPORTED_STATUSES, "status"),
        "athlete": _text(d["athlete"], rows.ATHLETE_NAME, "athlete", optional=True),
        "source": _text(d["source"], _SOURCE, "source", optional=True),
        "mount": _text(d["mount"], _IDENT, "mount", optional=True),
        "device": _device(d["device"]),
        "calibration": _calibration(d["calibration"]),
        "chunk_count": _int(d["chunk_count"], "chunk_count", 0, 10**7),
        "sample_count": _int(d["sample_count"], "sample_count", 0, 10**11),
    }
    out["sets"] = [_set(s, i) for i, s in enumerate(_list(d["sets"], MAX_SETS, "sets"))]
    idxs = [s["idx"] for s in out["sets"]]
    if len(set(idxs)) != len(idxs):
        raise SessionFileError("two sets share one idx")
    out["reps"] = [_rep(r, i, set(idxs)) for i, r in enumerate(_list(d["reps"], MAX_REPS, "reps"))]
    out["notes"] = [_note(n, i) for i, n in enumerate(_list(d["notes"], MAX_NOTES, "notes"))]
    return out


def _set(data: object, i: int) -> dict:
    where = f"sets[{i}]"
    d = _object(data, _SET_KEYS, where)
    out = {
        "idx": _int(d["idx"], f"{where}.idx", 1, MAX_SETS),
        "exercise": _text(d["exercise"], _LABEL, f"{where}.exercise", optional=True),
        "side": _choice(d["side"], _SIDES, f"{where}.side"),
        "load_kg": _number(d["load_kg"], f"{where}.load_kg", 0, 1000, optional=True),
        "targets": _targets(d["targets"], f"{where}.targets"),
        "analysis_index": _int(d["analysis_index"], f"{where}.analysis_index", 1, 10**6, True),
        "rep_count": _int(d["rep_count"], f"{where}.rep_count", 0, MAX_REPS, True),
    }
    for key in rows.SUMMARY_COLUMNS:
        if key not in out:
            out[key] = _number(d[key], f"{where}.{key}", -1e9, 1e9, optional=True)
    return out


def _rep(data: object, i: int, set_idxs: set[int]) -> dict:
    where = f"reps[{i}]"
    d = _object(data, _REP_KEYS, where)
    out = {"set_idx": _int(d["set_idx"], f"{where}.set_idx", 1, MAX_SETS, optional=True)}
    if out["set_idx"] is not None and out["set_idx"] not in set_idxs:
        raise SessionFileError(f"{where}.set_idx names no set of the session")
    for key in rows.REP_COLUMNS:
        if key in ("index", "set_index"):
            out[key] = _int(d[key], f"{where}.{key}", 1, 10**6)
        else:
            out[key] = _number(d[key], f"{where}.{key}", -1e6, 1e9, optional=True)
    return out


def _note(data: object, i: int) -> dict:
    where = f"notes[{i}]"
    d = _object(data, {"t_s", "created_at", "text"}, where)
    text = d["text"]
    if not isinstance(text, str) or len(text) > MAX_NOTE_CHARS:
        raise SessionFileError(f"{where}.text must be text of at most 4000 chars")
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise SessionFileError(f"{where}.text holds control characters")
    return {
        "t_s": _number(d["t_s"], f"{where}.t_s", -1e9, 1e9, optional=True),
        "created_at": _time(d["created_at"], f"{where}.created_at"),
        "text": text,
    }


def _device(data: object) -> dict | None:
    if data is None:
        return None
    d = _object(data, {"id", "model", "firmware"}, "device")
    return {
        "id": _text(d["id"], _DEVICE, "device.id"),
        "model": _text(d["model"], _LABEL, "device.model", optional=True),
        "firmware": _text(d["firmware"], _LABEL, "device.firmware", optional=True),
    }


def _calibration(data: object) -> dict | None:
    if data is None:
        return None
    d = _object(data, {"gyro_bias_rps", "acc_offset_mps2", "acc_scale", "mounting"}, "calibration")
    try:
        return CalibrationRecord.from_dict(d).to_dict()
    except InputError as exc:
        raise SessionFileError(f"calibration is not usable ({exc})") from None


def _targets(data: object, where: str) -> dict:
    if not isinstance(data, dict) or len(data) > MAX_TARGETS:
        raise SessionFileError(f"{where} must be an object of at most 32 entries")
    out = {}
    for key, value in data.items():
        _text(key, _IDENT, f"{where} key")
        if isinstance(value, str):
            _text(value, _LABEL, f"{where}.{key}")
        elif value is not None and not isinstance(value, bool):
            value = _number(value, f"{where}.{key}", -1e6, 1e6)
        out[key] = value
    return out


def _object(data: object, keys: set[str], where: str) -> dict:
    if not isinstance(data, dict):
        raise SessionFileError(f"{where} must be an object")
    if set(data) != keys:
        extra, missing = sorted(set(data) - keys), sorted(keys - set(data))
        raise SessionFileError(
            f"{where} has unknown fields {extra} or lacks {missing}; "
            "was it written by another program or a newer hipthrust?"
        )
    return data


def _list(data: object, limit: int, where: str) -> list:
    if not isinstance(data, list) or len(data) > limit:
        raise SessionFileError(f"{where} must be a list of at most {limit} items")
    return data


def _text(value: object, pattern: re.Pattern, where: str, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not pattern.match(value):
        shown = repr(value)[:40]
        raise SessionFileError(
            f"{where} {shown} is not allowed (letters, digits and a few "
            "punctuation marks only); the file may have been tampered with"
        )
    return value


def _choice(value: object, allowed: tuple, where: str) -> object:
    if value not in allowed or isinstance(value, bool):
        raise SessionFileError(f"{where} {repr(value)[:40]} is not one of {allowed}")
    return value


def _int(value: object, where: str, lo: int, hi: int, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise SessionFileError(f"{where} must be a whole number in {lo}..{hi}")
    return value


def _number(
    value: object, where: str, lo: float, hi: float, optional: bool = False
) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SessionFileError(f"{where} must be a number")
    value = float(value)
    if not (math.isfinite(value) and lo <= value <= hi):
        raise SessionFileError(f"{where} must be a number in {lo:g}..{hi:g}")
    return value


def _uuid(value: object) -> str:
    try:
        if isinstance(value, str) and str(uuid.UUID(value)) == value:
            return value
    except ValueError:
        pass
    raise SessionFileError(f"uuid {repr(value)[:40]} is not a UUID")


def _time(value: object, where: str) -> str:
    try:
        if isinstance(value, str) and len(value) <= 40:
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is not None:
                return parsed.astimezone(UTC).isoformat(timespec="seconds")
    except ValueError:
        pass
    raise SessionFileError(f"{where} {repr(value)[:40]} is not an ISO time with offset")
