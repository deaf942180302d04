"""``hipthrust record SOURCE --seconds N -o FILE.csv``: record a sensor to CSV or the library.

SOURCE is a source URI (``hipthrust devices`` lists them): sim://PRESET, serial://PORT,
ble://NAME, witmotion+serial://PORT, witmotion+ble://NAME, replay://FILE.csv. With
``--library`` the session (samples and analysed reps) goes into the session library too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sensors.errors import InputError
from sensors.events import Connected, ConnectionLost, Reconnected
from sensors.recording_csv import write_csv
from sensors.runner import RunnerBatch, record_blocks
from sensors.sources import open_source


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``record`` subcommand."""
    p = subparsers.add_parser(
        "record",
        help="record a sensor to a CSV file or the session library",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("source", help="source URI, e.g. serial:///dev/ttyUSB0 or sim://glute_bridge")
    p.add_argument("--seconds", type=float, required=True, metavar="N", help="device seconds")
    p.add_argument("-o", "--output", metavar="FILE.csv", help="CSV file to write")
    p.add_argument("--library", action="store_true", help="store the session in the library")
    p.add_argument("--athlete", help="athlete name for the library session")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.output and not args.library:
        raise InputError("say where to record: -o FILE.csv, --library, or both")
    if args.output and not Path(args.output).parent.is_dir():
        raise InputError(
            f"cannot write {args.output}: folder {Path(args.output).parent} is missing"
        )
    source = open_source(args.source)
    sink = LibrarySink(args, source) if args.library else None

    def on_batch(batch: RunnerBatch) -> None:
        report_link_events(batch.events)
        if sink is not None:
            sink.add(batch)

    try:
        block = record_blocks(
            source, args.seconds, pipeline=sink.pipeline if sink else None, on_batch=on_batch
        )
    finally:
        session = sink.close() if sink else None
    if args.output:
        try:
            write_csv(args.output, block)
        except OSError as exc:
            raise InputError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    c = source.counters()
    where = " and ".join(w for w in (args.output, session and f"library session {session}") if w)
    print(
        f"recorded {len(block)} samples ({block.duration_s:.1f} s) from {args.source} to {where}; "
        f"link: {c.bytes_received} bytes, {c.frames_ok} frames, {c.bad_frames} bad, "
        f"{c.seq_gaps} sequence gaps, {c.dropped_samples} dropped samples, "
        f"{c.reconnects} reconnects, battery {'?' if c.battery_pct is None else c.battery_pct}%"
    )
    return 0


def report_link_events(events: list) -> None:
    """Say on stderr when the link connects, drops and comes back (failures end in an error)."""
    for event in events:
        if isinstance(event, Connected | Reconnected):
            print(f"{type(event).__name__.lower()}: {event.description}", file=sys.stderr)
        elif isinstance(event, ConnectionLost):
            print(f"connection lost: {event.reason}; retrying", file=sys.stderr)


class LibrarySink:
    """Streams a recording into a new library session, with live analysis for its reps.

    The session is created with the first samples, when the device has said who it is.
    """

    def __init__(self, args: argparse.Namespace, source) -> None:
        from desktop.library.store import Library
        from sensors.pipeline import LivePipeline

        self.args = args
        self.source = source
        self.pipeline = LivePipeline()
        self.library = Library.open(getattr(args, "data_dir", None))
        self.session_id: int | None = None
        self.recorder = None

    def add(self, batch: RunnerBatch) -> None:
        if self.recorder is None:
            if not batch.blocks:
                return
            from desktop.library.recorder import Recorder

            self.session_id = self.library.create_session(
                athlete=self.args.athlete, source=self.args.source, device=_device_of(self.source)
            )
            self.recorder = Recorder(self.library, self.session_id)
        for block in batch.blocks:
            self.recorder.add_block(block)
        self.recorder.add_events(batch.events)

    def close(self) -> int | None:
        try:
            if self.recorder is not None:
                self.recorder.close()
        finally:
            self.library.close()
        return self.session_id


def _device_of(source) -> dict | None:
    """What the library stores about the device, when the source knows it yet."""
    info = getattr(getattr(source, "decoder", None), "info", None)
    if info is None:
        return None
    return {
        "id": info.device_id_hex,
        "model": info.model,
        "firmware": ".".join(map(str, info.fw_version)),
    }
