"""Session locks: a recording process holds an OS lock on ``locks/session-<id>.lock``.

The OS drops the lock when the process dies, however it dies, so a session still marked
'recording' whose lock can be taken belongs to a dead process and may be recovered. Locks held
by this process are kept in a registry, so a second holder in the same process reuses them.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

if os.name == "nt":  # pragma: no cover - exercised on Windows stations only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


_held: dict[Path, int] = {}
_guard = threading.Lock()


def lock_path(library_file: Path, session_id: int) -> Path:
    """Lock file of one session of the library stored in ``library_file``."""
    return library_file.parent / "locks" / f"session-{session_id}.lock"


def acquire(path: Path) -> bool:
    """Take the lock at ``path`` (absolute) for this process; False if another process has it."""
    with _guard:
        if path in _held:
            return True
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            os.close(fd)
            return False
        _held[path] = fd
        return True


def held_here(path: Path) -> bool:
    """True if this process holds the lock at ``path``."""
    with _guard:
        return path in _held


def release(path: Path, *, remove: bool = True) -> None:
    """Let go of a lock held by this process (no-op otherwise); removes the file by default."""
    with _guard:
        fd = _held.pop(path, None)
        if fd is None:
            return
        if remove:
            path.unlink(missing_ok=True)
        os.close(fd)
