"""The window's remembered choices (last device, athlete, station mode, mute) in ``app.json``.

Kept in the data folder beside the library. Loading never fails: a missing or unreadable file
gives the defaults. ``save()`` returns an error message instead of raising (a read-only data
folder must not stop the window), and the window shows it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

FILE_NAME = "app.json"


@dataclass(slots=True)
class AppSettings:
    """Remembered between runs; ``path`` is where they are saved (not saved itself)."""

    last_uri: str = ""
    athlete: str = ""
    """Whose sessions the window records and plans for ("" = nobody named yet)."""
    station_mode: bool = False
    muted: bool = False
    path: Path | None = None

    @classmethod
    def load(cls, folder: Path) -> AppSettings:
        """The settings saved in ``folder``, or the defaults (never raises)."""
        path = folder / FILE_NAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path=path)
        known = {f.name: f.type for f in fields(cls) if f.name != "path"}
        values = {}
        for name, value in raw.items() if isinstance(raw, dict) else ():
            if (
                name in known
                and isinstance(value, str | bool)
                and (isinstance(value, bool) == (known[name] == "bool"))
            ):
                values[name] = value
        return cls(path=path, **values)

    def save(self) -> str | None:
        """Write the file atomically; returns None, or what went wrong in words."""
        if self.path is None:
            return None
        data = {k: v for k, v in asdict(self).items() if k != "path"}
        tmp = self.path.with_suffix(".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            return f"settings not saved to {self.path.parent} ({exc.strerror or exc})"
        return None
