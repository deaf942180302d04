"""Where the session library lives on disk.

Order: the ``--data-dir`` option, else ``$HIPTHRUST_DATA_DIR``, else the per-user data folder
from platformdirs. The library itself is ``library.sqlite3`` in that folder; session lock files
sit in ``locks/`` beside it.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "HIPTHRUST_DATA_DIR"
LIBRARY_FILE = "library.sqlite3"


def data_dir(option: str | os.PathLike | None = None) -> Path:
    """The data folder (not created): ``option`` > $HIPTHRUST_DATA_DIR > platformdirs."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("hipthrust", appauthor=False))


def library_path(option: str | os.PathLike | None = None) -> Path:
    """Path of the library file inside :func:`data_dir`."""
    return data_dir(option) / LIBRARY_FILE
