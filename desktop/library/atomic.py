"""Write a file so that readers see the old one or the whole new one, never half of it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from desktop.library.errors import LibraryError


@contextmanager
def atomic_output(path: Path, mode: str = "wb") -> Iterator[IO]:
    """Open ``path.part`` for writing; on success fsync and rename it over ``path``.

    On any error the partial file is removed; OS errors become LibraryError with advice.
    """
    part = path.with_name(path.name + ".part")
    try:
        with open(
            part, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})
        ) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise LibraryError(
            f"could not write {path}: {exc.strerror or exc}; check the folder and free space"
        ) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
