"""``hipthrust sessions``: list, show, export, import and delete sessions of the library.

``list`` (filters: --athlete, --from/--to dates), ``show ID``, ``export ID... -o FILE`` (or a
date range; --format session | reps-csv | samples-csv), ``import FILE``, ``delete ID --yes``.
Sessions recovered after a crash are announced on stderr whenever the library is opened.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from datetime import UTC, date, datetime, time, timedelta

from desktop.library import Library, export_sessions, import_file
from desktop.library.csv_export import export_reps_csv, export_samples_csv
from desktop.library.store import SessionInfo
from sensors.errors import InputError

FORMATS = ("session", "reps-csv", "samples-csv")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sessions",
        help="list, show, export, import or delete recorded sessions",
        description="List, show, export (a session file or CSV), import and delete the "
        "sessions of the library. Sessions recovered after a crash are announced on stderr.",
    )
    parser.add_argument(
        "--data-dir", default=argparse.SUPPRESS, help="session library folder (as before COMMAND)"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    ls = actions.add_parser("list", help="sessions, newest first")
    _add_range(ls)
    ls.add_argument("--athlete", help="only this athlete's sessions")
    ls.add_argument("--json", action="store_true", help="JSON on stdout instead of a table")
    ls.set_defaults(func=_list)

    show = actions.add_parser("show", help="one session with its sets and reps")
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true", help="JSON on stdout instead of text")
    show.set_defaults(func=_show)

    export = actions.add_parser(
        "export", help="sessions to one file another station imports (or CSV)"
    )
    export.add_argument("ids", type=int, nargs="*", metavar="ID", help="session ids")
    _add_range(export)
    export.add_argument("-o", "--output", required=True, help="file to write")
    export.add_argument(
        "--format",
        choices=FORMATS,
        default="session",
        help="session file (default), reps as CSV, or raw samples as CSV (one session)",
    )
    export.set_defaults(func=_export)

    imp = actions.add_parser("import", help="add the sessions of an exported file")
    imp.add_argument("file")
    imp.set_defaults(func=_import)

    delete = actions.add_parser("delete", help="remove a session and all its data")
    delete.add_argument("id", type=int)
    delete.add_argument("--yes", action="store_true", help="really delete (required)")
    delete.set_defaults(func=_delete)


def _add_range(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="since", type=_date, help="first day (YYYY-MM-DD, local)")
    parser.add_argument("--to", dest="until", type=_date, help="last day (YYYY-MM-DD, local)")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-31") from None


def _open(args: argparse.Namespace) -> Library:
    library = Library.open(getattr(args, "data_dir", None))
    for s in library.recovered:
        print(
            f"hipthrust: session {s.id} was interrupted (its recording process died) and has "
            f"been recovered: {s.duration_s:.1f} s of samples and {s.rep_count} reps kept",
            file=sys.stderr,
        )
    return library


def _utc_bounds(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """Local calendar days --from..--to (inclusive) as UTC ISO bounds [since, until)."""

    def at_midnight(day: date) -> str:
        local = datetime.combine(day, time()).astimezone()
        return local.astimezone(UTC).isoformat(timespec="seconds")

    since = at_midnight(args.since) if args.since else None
    until = at_midnight(args.until + timedelta(days=1)) if args.until else None
    if since and until and since >= until:
        raise InputError("--from must not be after --to")
    return since, until


def _local(utc_iso: str | None) -> str:
    if not utc_iso:
        return "-"
    return datetime.fromisoformat(utc_iso).astimezone().strftime("%Y-%m-%d %H:%M")


def _list(args: argparse.Namespace) -> int:
    since, until = _utc_bounds(args)
    with _open(args) as library:
        sessions = library.list_sessions(since=since, until=until, athlete=args.athlete)
    if args.json:
        json.dump([_info_dict(s) for s in sessions], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if not sessions:
        print("no sessions")
        return 0
    print(f"{'id':>5}  {'started':16}  {'status':9}  {'duration':>8}  {'sets':>4}  "
          f"{'reps':>4}  athlete")  # fmt: skip
    for s in sessions:
        print(
            f"{s.id:>5}  {_local(s.started_at):16}  {s.status:9}  {_duration(s.duration_s):>8}  "
            f"{s.set_count:>4}  {s.rep_count:>4}  {s.athlete or '-'}"
        )
    return 0


def _show(args: argparse.Namespace) -> int:
    with _open(args) as library:
        details = library.session_details(args.id)
        info = library.session(args.id)
        reps = library.rep_rows(args.id)
        rep_list = [(fields.get("idx"), rep) for fields, rep in reps]
    if args.json:
        out = {**_info_dict(info), **details}
        out["sets"] = [
            {k: v for k, v in s.items() if k not in ("id", "summary")} for s in out["sets"]
        ]
        out["reps"] = [{"set_idx": idx, **rep.to_dict()} for idx, rep in rep_list]
        json.dump(out, sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
        return 0
    device = details["device"] or {}
    lines = [
        f"session {info.id}  ({info.status})  {info.uuid}",
        f"started   {_local(info.started_at)}   duration {_duration(info.duration_s)}   "
        f"{info.sample_count} samples",
        f"athlete   {info.athlete or '-'}",
        f"sensor    {device.get('id', '-')} {device.get('model') or ''} "
        f"{device.get('firmware') or ''}".rstrip(),
        f"source    {info.source or '-'}   mount {info.mount or 'auto'}   "
        f"calibration {'yes' if details['calibration'] else 'none'}",
    ]
    if info.imported_at:
        lines.append(f"imported  {_local(info.imported_at)}")
    for s in details["sets"]:
        load = f"{s['load_kg']:g} kg" if s["load_kg"] is not None else "bodyweight"
        targets = ", ".join(f"{k} {v}" for k, v in s["targets"].items())
        lines.append(
            " ".join(
                part
                for part in (
                    f"set {s['idx']}:",
                    s["exercise"] or "(exercise not given)",
                    s["side"],
                    load,
                    f" targets: {targets}" if targets else "",
                )
                if part
            )
        )
    if rep_list:
        lines.append(f"{'rep':>4} {'set':>4} {'start s':>8} {'hold s':>7} {'ROM cm':>7} "
                     f"{'up s':>5} {'down s':>6}")  # fmt: skip
        for idx, r in rep_list:
            lines.append(
                f"{r.index:>4} {idx or '-':>4} {r.start_s:8.2f} {_num(r.hold_s, 7, 2)} "
                f"{_num(r.rom_m * 100, 7, 1)} {_num(r.concentric_s, 5, 2)} "
                f"{_num(r.eccentric_s, 6, 2)}"
            )
    for note in details["notes"]:
        at = "" if note["t_s"] is None else f" at {note['t_s']:.1f} s"
        lines.append(f"note{at}: {note['text']}")
    print("\n".join(lines))
    return 0


def _export(args: argparse.Namespace) -> int:
    since, until = _utc_bounds(args)
    with _open(args) as library:
        ids = list(args.ids)
        if since or until:
            ids += [s.id for s in reversed(library.list_sessions(since=since, until=until))]
        elif not ids:
            raise InputError("name the session ids to export, or a date range with --from/--to")
        ids = list(dict.fromkeys(ids))  # each once, in the order given
        if not ids:
            raise InputError("no sessions in that date range: nothing exported")
        if args.format == "session":
            samples = export_sessions(library, ids, args.output)
            print(f"exported {len(ids)} session(s), {samples} samples, to {args.output}")
        elif args.format == "reps-csv":
            rows = export_reps_csv(library, ids, args.output)
            print(f"exported {rows} reps of {len(ids)} session(s) to {args.output}")
        else:
            if len(ids) != 1:
                raise InputError("samples-csv exports one session at a time: give one id")
            rows = export_samples_csv(library, ids[0], args.output)
            print(f"exported {rows} samples of session {ids[0]} to {args.output}")
    return 0


def _import(args: argparse.Namespace) -> int:
    with _open(args) as library:
        ids = import_file(library, args.file)
    print(f"imported {len(ids)} session(s) as: {', '.join(map(str, ids))}")
    return 0


def _delete(args: argparse.Namespace) -> int:
    with _open(args) as library:
        info = library.session(args.id)
        if not args.yes:
            raise InputError(
                f"session {info.id} ({_local(info.started_at)}, {info.rep_count} reps) would be "
                "deleted for good: add --yes to confirm"
            )
        library.delete_session(args.id)
    print(f"deleted session {args.id}")
    return 0


def _info_dict(s: SessionInfo) -> dict:
    return dataclasses.asdict(s)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def _num(value: float, width: int, digits: int) -> str:
    return f"{'-':>{width}}" if math.isnan(value) else f"{value:{width}.{digits}f}"
