"""Fixed-size numpy ring buffer of the live trace: the window's memory of the last minute.

``extend(columns)`` appends N rows of named float64 columns, overwriting the oldest rows when
full (counted in ``overwritten``); ``revise(key, columns)`` replaces the values of rows already
held, found by their key (device time); ``snapshot()`` returns the rows oldest-first.
Memory is allocated once; nothing grows with session length. No Qt, no threads.
"""

from __future__ import annotations

import numpy as np


class TraceRing:
    """A ring of ``capacity`` rows with one float64 column per name."""

    def __init__(self, names: tuple[str, ...], capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.names = names
        self.capacity = capacity
        self._data = np.full((len(names), capacity), np.nan)
        self._head = 0  # next row to write
        self._size = 0
        self.overwritten = 0
        """Rows pushed out by newer ones since the ring was created."""

    def __len__(self) -> int:
        return self._size

    def clear(self) -> None:
        """Forget every row (a new source, a new session)."""
        self._head = 0
        self._size = 0

    def extend(self, columns: dict[str, np.ndarray]) -> None:
        """Append rows; every name must be given, all columns of the same length."""
        n = len(columns[self.names[0]])
        if n == 0:
            return
        rows = np.empty((len(self.names), n))
        for i, name in enumerate(self.names):
            rows[i] = columns[name]
        if n >= self.capacity:
            self.overwritten += self._size + n - self.capacity
            self._data[:] = rows[:, n - self.capacity :]
            self._head = 0
            self._size = self.capacity
            return
        first = min(n, self.capacity - self._head)
        self._data[:, self._head : self._head + first] = rows[:, :first]
        self._data[:, : n - first] = rows[:, first:]
        self._head = (self._head + n) % self.capacity
        self.overwritten += max(0, self._size + n - self.capacity)
        self._size = min(self.capacity, self._size + n)

    def revise(self, key: str, columns: dict[str, np.ndarray]) -> int:
        """Replace values of held rows whose ``key`` column equals a given key exactly (keys
        ascending, as appended); other keys are ignored. Returns the number of rows revised."""
        keys = np.asarray(columns[key])
        if not keys.size or not self._size:
            return 0
        start = (self._head - self._size) % self.capacity
        idx = (start + np.arange(self._size)) % self.capacity
        held = self._data[self.names.index(key), idx]
        pos = np.clip(np.searchsorted(held, keys), 0, self._size - 1)
        hit = held[pos] == keys
        rows = idx[pos[hit]]
        for name, values in columns.items():
            if name != key:
                self._data[self.names.index(name), rows] = np.asarray(values)[hit]
        return int(hit.sum())

    def snapshot(self, last: int | None = None) -> dict[str, np.ndarray]:
        """The newest ``last`` rows (default: all) oldest-first, one new array per name."""
        n = self._size if last is None else max(0, min(last, self._size))
        start = (self._head - n) % self.capacity
        idx = (start + np.arange(n)) % self.capacity
        block = self._data[:, idx]
        return {name: block[i] for i, name in enumerate(self.names)}

    def first(self, name: str) -> float:
        """The oldest value of one column; NaN when empty."""
        if self._size == 0:
            return float("nan")
        return float(self._data[self.names.index(name), (self._head - self._size) % self.capacity])

    def latest(self, name: str) -> float:
        """The newest value of one column; NaN when empty."""
        if self._size == 0:
            return float("nan")
        return float(self._data[self.names.index(name), (self._head - 1) % self.capacity])
