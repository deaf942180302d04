"""Session files: move sessions between stations (docs/formats.md, "Session file").

``export_sessions`` writes sessions with their sets, reps, notes, calibration and every raw
chunk, bit for bit, to one self-contained file. ``import_file`` validates everything it reads
and adds it in one transaction: a bad file changes nothing. ``read_sessions`` reads without
importing (``load_recording`` analyses a file this way).
"""

from __future__ import annotations

import json
import os
import struct
import zlib
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import BinaryIO, NamedTuple

from desktop.library import chunks, rows, schema
from desktop.library.atomic import atomic_output
from desktop.library.errors import LibraryError, SessionFileError
from desktop.library.import_checks import check_session
from desktop.library.store import Library
from sensors.errors import InputError

MAGIC = b"HIPTHRST"
FORMAT = 1
"""Version of the container; a file with a higher one is refused."""

SUFFIX = ".hipthrust"
MAX_RECORD = 16 * 2**20
"""Largest record payload accepted (bytes); a bigger claim marks a crafted or broken file."""

MAX_SESSIONS = 10_000


class ChunkEntry(NamedTuple):
    """One validated sample chunk of a session file: count, first/last time (s), blob."""

    n: int
    t_first: float
    t_last: float
    blob: bytes


_HEADER = struct.Struct("<8sHH")
_RECORD = struct.Struct("<4sI")
_CRC = struct.Struct("<I")
_COUNT = struct.Struct("<I")
_TAGS = (b"HEAD", b"SESS", b"CHNK", b"END ")


def export_sessions(library: Library, session_ids: list[int], path: str | Path) -> int:
    """Write the sessions (each once, in the order given) to ``path``, replaced atomically;
    returns the samples written."""
    path = Path(path)
    infos = [library.session(i) for i in dict.fromkeys(session_ids)]
    if not 0 < len(infos) <= MAX_SESSIONS:
        raise InputError(f"a session file holds 1 to {MAX_SESSIONS} sessions, not {len(infos)}")
    busy = [i.id for i in infos if i.status == "recording"]
    if busy:
        raise LibraryError(f"session {busy[0]} is still being recorded: stop it, then export")
    total_chunks = total_samples = 0
    with atomic_output(path) as out:
        out.write(_HEADER.pack(MAGIC, FORMAT, 0))
        _write(out, b"HEAD", _json(_head(len(infos))))
        for info in infos:
            meta, blobs = _describe(library, info.id)
            _write(out, b"SESS", _json(meta))
            for n, blob in blobs:
                _write(out, b"CHNK", _COUNT.pack(n) + blob)
            total_chunks += meta["chunk_count"]
            total_samples += meta["sample_count"]
        end = {"sessions": len(infos), "chunks": total_chunks, "samples": total_samples}
        _write(out, b"END ", _json(end))
    return total_samples


def import_file(library: Library, path: str | Path) -> list[int]:
    """Add every session of the file to the library; returns their new ids.

    All or nothing: on any problem (SessionFileError, duplicate session) nothing changes.
    """
    path = Path(path)
    new_ids: list[int] = []
    with (
        library.transaction(f"importing {path.name}") as conn,
        closing(read_sessions(path)) as sessions,
    ):
        for meta, blobs in sessions:
            new_ids.append(_insert(conn, path, meta, blobs))
    return new_ids


def read_sessions(path: str | Path) -> Iterator[tuple[dict, list[ChunkEntry]]]:
    """Each session of a file as (validated description, its chunks), checking the framing,
    checksums, counts and sample times as it goes."""
    path = Path(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed in the finally below
    except OSError as exc:
        raise SessionFileError(f"{path}: cannot read the file ({exc.strerror})") from None
    try:
        yield from _sessions(_records(fh, path), path)
    except SessionFileError as exc:
        if str(path) in str(exc):
            raise
        raise SessionFileError(f"{path}: {exc}") from None
    finally:
        fh.close()


def _sessions(
    records: Iterator[tuple[bytes, bytes]], path: Path
) -> Iterator[tuple[dict, list[ChunkEntry]]]:
    head = _expect(records, b"HEAD", path)
    count = _check_head(_parse_json(head, path, "header"), path)
    seen_chunks = seen_samples = 0
    for _ in range(count):
        meta = check_session(_parse_json(_expect(records, b"SESS", path), path, "session"))
        blobs = []
        last_t = float("-inf")
        for _ in range(meta["chunk_count"]):
            payload = _expect(records, b"CHNK", path)
            if len(payload) < _COUNT.size:
                raise SessionFileError(f"{path}: a sample chunk record is too short")
            (n,) = _COUNT.unpack_from(payload)
            blob = payload[_COUNT.size :]
            block = chunks.decode(blob, n)
            if block.t[0] <= last_t:
                raise SessionFileError(f"{path}: sample times go backwards between chunks")
            last_t = float(block.t[-1])
            blobs.append(ChunkEntry(n, float(block.t[0]), last_t, blob))
        if sum(c.n for c in blobs) != meta["sample_count"]:
            raise SessionFileError(f"{path}: session sample count does not match its chunks")
        seen_chunks += len(blobs)
        seen_samples += meta["sample_count"]
        yield meta, blobs
    end = _parse_json(_expect(records, b"END ", path), path, "end record")
    if end != {"sessions": count, "chunks": seen_chunks, "samples": seen_samples}:
        raise SessionFileError(f"{path}: the end record does not match the file's content")
    for _ in records:
        raise SessionFileError(f"{path}: data follows the end record")


# --- export helpers -------------------------------------------------------------------------


def _head(count: int) -> dict:
    return {
        "format": FORMAT,
        "schema_version": schema.VERSION,
        "created_at": rows.now_iso(),
        "chunk_encoding": chunks.ENCODING,
        "sessions": count,
    }


def _describe(library: Library, session_id: int) -> tuple[dict, list[tuple[int, bytes]]]:
    details = library.session_details(session_id)
    blobs = []
    for n, encoding, blob in library.chunk_blobs(session_id):
        if encoding != chunks.ENCODING:
            raise LibraryError(f"session {session_id} holds chunks in unknown encoding {encoding}")
        blobs.append((n, bytes(blob)))
    set_idx = {s["id"]: s["idx"] for s in details["sets"]}
    sets = [{k: v for k, v in s.items() if k not in ("id", "summary")} for s in details["sets"]]
    reps = [
        {"set_idx": set_idx.get(fields.get("id")), **rep.to_dict()}
        for fields, rep in library.rep_rows(session_id)
    ]
    meta = {
        "uuid": details["uuid"],
        "started_at": details["started_at"],
        "ended_at": details["ended_at"],
        "status": details["status"],
        "athlete": details["athlete"],
        "source": details["source"],
        "mount": details["mount"],
        "device": details["device"],
        "calibration": details["calibration"],
        "sets": sets,
        "reps": reps,
        "notes": details["notes"],
        "chunk_count": len(blobs),
        "sample_count": sum(n for n, _ in blobs),
    }
    try:
        check_session(json.loads(_json(meta)))
    except SessionFileError as exc:
        raise LibraryError(f"session {session_id} cannot be exported: {exc}") from None
    return meta, blobs


def _json(data: dict) -> bytes:
    return json.dumps(data, allow_nan=False, separators=(",", ":")).encode()


def _write(out: BinaryIO, tag: bytes, payload: bytes) -> None:
    if len(payload) > MAX_RECORD:
        raise LibraryError(f"a {tag.decode().strip()} record of {len(payload)} bytes is too big")
    head = _RECORD.pack(tag, len(payload))
    out.write(head)
    out.write(payload)
    out.write(_CRC.pack(zlib.crc32(payload, zlib.crc32(head))))


# --- import helpers -------------------------------------------------------------------------


def _insert(conn, path: Path, meta: dict, blobs: list[ChunkEntry]) -> int:
    row = conn.execute("SELECT id FROM sessions WHERE uuid = ?", (meta["uuid"],)).fetchone()
    if row:
        raise SessionFileError(
            f"{path}: session {meta['uuid']} is already in this library as session {row[0]}; "
            "nothing was imported"
        )
    athlete = rows.athlete_id(conn, meta["athlete"]) if meta["athlete"] else None
    device = rows.register_device(conn, meta["device"]) if meta["device"] else None
    calibration = None if meta["calibration"] is None else json.dumps(meta["calibration"])
    cur = conn.execute(
        "INSERT INTO sessions (uuid, athlete_id, device_id, started_at, ended_at, status, "
        "source, mount, calibration, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            meta["uuid"],
            athlete,
            device,
            meta["started_at"],
            meta["ended_at"],
            meta["status"],
            meta["source"],
            meta["mount"],
            calibration,
            rows.now_iso(),
        ),
    )
    session_id = int(cur.lastrowid)
    set_ids = {}
    for s in meta["sets"]:
        set_id = rows.insert_set(
            conn,
            session_id,
            exercise=s["exercise"],
            side=s["side"],
            load_kg=s["load_kg"],
            targets=s["targets"],
            idx=s["idx"],
        )
        rows.update_set_fields(conn, set_id, s)
        set_ids[s["idx"]] = set_id
    for r in meta["reps"]:
        rows.insert_rep(conn, session_id, set_ids.get(r["set_idx"]), rows.rep_from_dict(r))
    for note in meta["notes"]:
        conn.execute(
            "INSERT INTO notes (session_id, t_s, created_at, text) VALUES (?, ?, ?, ?)",
            (session_id, note["t_s"], note["created_at"], note["text"]),
        )
    for seq, c in enumerate(blobs):
        rows.insert_chunk_blob(conn, session_id, seq, c.t_first, c.t_last, c.n, c.blob)
    rows.refresh_counts(conn, session_id)
    return session_id


def _records(fh: BinaryIO, path: Path) -> Iterator[tuple[bytes, bytes]]:
    size = os.fstat(fh.fileno()).st_size
    head = fh.read(_HEADER.size)
    if len(head) < _HEADER.size or head[: len(MAGIC)] != MAGIC:
        raise SessionFileError(
            f"{path}: not a hipthrust session file (export one with `hipthrust sessions export`)"
        )
    _, version, _ = _HEADER.unpack(head)
    if version > FORMAT:
        raise SessionFileError(
            f"{path}: written by a newer hipthrust (session file format {version}; this one "
            f"reads up to {FORMAT}): update hipthrust on this station"
        )
    while True:
        raw = fh.read(_RECORD.size)
        if not raw:
            return
        if len(raw) < _RECORD.size:
            raise _truncated(path)
        tag, length = _RECORD.unpack(raw)
        if tag not in _TAGS:
            raise SessionFileError(f"{path}: unknown record {tag!r}: the file is damaged")
        if length > MAX_RECORD:
            raise SessionFileError(
                f"{path}: a record claims {length} bytes (at most {MAX_RECORD} allowed): the file "
                "is damaged or crafted"
            )
        if fh.tell() + length + _CRC.size > size:
            raise _truncated(path)
        payload = fh.read(length)
        (crc,) = _CRC.unpack(fh.read(_CRC.size))
        if crc != zlib.crc32(payload, zlib.crc32(raw)):
            raise SessionFileError(f"{path}: checksum mismatch in a {tag.decode().strip()} record")
        yield tag, payload


def _expect(records: Iterator[tuple[bytes, bytes]], tag: bytes, path: Path) -> bytes:
    found = next(records, None)
    if found is None:
        raise _truncated(path)
    if found[0] != tag:
        raise SessionFileError(
            f"{path}: expected a {tag.decode().strip()} record, found {found[0].decode()}"
        )
    return found[1]


def _check_head(head: dict, path: Path) -> int:
    expected = {"format", "schema_version", "created_at", "chunk_encoding", "sessions"}
    if not isinstance(head, dict) or set(head) != expected:
        raise SessionFileError(f"{path}: the header record is not one hipthrust writes")
    version = head["schema_version"]
    if not isinstance(version, int) or version > schema.VERSION:
        raise SessionFileError(
            f"{path}: exported from a newer library (schema {version}; this hipthrust knows "
            f"up to {schema.VERSION}): update hipthrust on this station"
        )
    if head["chunk_encoding"] != chunks.ENCODING:
        raise SessionFileError(f"{path}: unknown sample encoding {head['chunk_encoding']!r}")
    count = head["sessions"]
    if isinstance(count, bool) or not isinstance(count, int) or not 0 < count <= MAX_SESSIONS:
        raise SessionFileError(f"{path}: the header claims {count!r} sessions")
    return count


def _parse_json(payload: bytes, path: Path, what: str) -> object:
    def refuse(token: str) -> None:
        raise SessionFileError(f"{path}: the {what} holds {token}, which is not allowed")

    try:
        return json.loads(payload.decode("utf-8"), parse_constant=refuse)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise SessionFileError(f"{path}: the {what} is not valid JSON ({exc})") from None


def _truncated(path: Path) -> SessionFileError:
    return SessionFileError(
        f"{path}: the file ends too early (truncated copy?); export it again from the other station"
    )
