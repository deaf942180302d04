"""Test helper: a VirtualDevice behind a pseudo-terminal, as a USB board would appear.

The board thread writes the device's bytes to the pty master as fast as the reader takes them
and feeds host commands back to the device. The port is reached through a stable symlink, so
an unplug (master closed) and replug (a new pty behind the same path) look like a real cable.
Garbage can be injected between chunks, seeded, to exercise resync.
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import tty
from pathlib import Path

import numpy as np

from sensors.virtual_device import VirtualDevice


class PtyBoard:
    """Plays ``device`` on ``link_path``; ``unplug_after`` bytes then ``down_bytes`` lost."""

    def __init__(
        self,
        device: VirtualDevice,
        link_path: Path,
        *,
        chunk: int = 997,
        garbage_chunks: int = 0,
        unplug_after: int | None = None,
        down_bytes: int = 0,
        seed: int = 0,
    ):
        self.device = device
        self.link_path = Path(link_path)
        self.chunk = chunk
        self.garbage_chunks = garbage_chunks
        self.unplug_after = unplug_after
        self.down_bytes = down_bytes
        self.rng = np.random.default_rng(seed)
        self.written = 0
        self.unplugged = threading.Event()
        self.replugged = threading.Event()
        self._stop = threading.Event()
        self._master: int | None = None
        self._slave: int | None = None
        self._thread = threading.Thread(target=self._run, name="pty-board", daemon=True)

    def __enter__(self) -> PtyBoard:
        self._plug()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._unplug()

    def _plug(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        self._master, self._slave = master, slave
        tmp = self.link_path.with_suffix(".new")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        tmp.symlink_to(os.ttyname(slave))
        tmp.replace(self.link_path)

    def _unplug(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.link_path.unlink()
        for fd in (self._master, self._slave):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = None

    def _run(self) -> None:
        pending = b""
        while not self._stop.is_set():
            master = self._master
            readable, writable, _ = select.select([master], [master] if pending else [], [], 0.01)
            if readable:
                with contextlib.suppress(BlockingIOError, OSError):
                    self.device.write(os.read(master, 4096))
            if not pending:
                pending = self.device.read(self.chunk)
                if pending and self.garbage_chunks and self.rng.random() < 0.05:
                    self.garbage_chunks -= 1
                    pending = self.rng.bytes(int(self.rng.integers(1, 40))) + pending
            elif writable:
                try:
                    sent = os.write(master, pending)
                except (BlockingIOError, OSError):
                    continue
                pending = pending[sent:]
                self.written += sent
                if self.unplug_after is not None and self.written >= self.unplug_after:
                    self.unplug_after = None
                    self._unplug_for_a_while()
                    pending = b""

    def _unplug_for_a_while(self) -> None:
        """Pull the cable: the device keeps sampling, its bytes are lost; then plug back."""
        self._unplug()
        self.unplugged.set()
        self.device.read(self.down_bytes)
        self._stop.wait(0.3)
        self._plug()
        self.replugged.set()
