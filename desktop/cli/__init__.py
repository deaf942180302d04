"""The ``hipthrust`` command: no subcommand opens the window, subcommands work headless.

Each subcommand lives in its own module of this package, exposing
``register(subparsers) -> None`` which adds its parser and sets ``func(args) -> int``.
Expected failures are SensorError subclasses: printed as one line on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from sensors.errors import SensorError

COMMAND_MODULES = (
    "desktop.cli.simulate",
    "desktop.cli.analyze",
    "desktop.cli.devices",
    "desktop.cli.record",
    "desktop.cli.sessions",
    "desktop.cli.plan",
)
"""Modules that register a subcommand, in the order --help lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="hipthrust",
        description="Hip thrust and glute bridge coach. With no command, opens the window.",
        epilog=(
            "window options (no COMMAND): --source URI (e.g. serial:///dev/ttyUSB0, "
            "ble:// for the first board in range, sim://hip_thrust_3s_hold), "
            "--athlete NAME (whose sessions are recorded and planned), "
            "--station (full screen, large fonts), "
            "--smoke[=SECONDS] (run on the simulated sensor and exit). "
            "Run 'hipthrust COMMAND --help' for a command's options."
        ),
    )
    parser.add_argument(
        "--data-dir",
        help="session library folder (default: per-user data dir, or $HIPTHRUST_DATA_DIR)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``hipthrust`` console script; returns the exit code."""
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if args.command is None:
        from desktop.app.main import run_app  # Qt only when a window is wanted

        return run_app(rest, data_dir=args.data_dir)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        return int(args.func(args) or 0)
    except SensorError as exc:
        print(f"hipthrust: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("hipthrust: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
