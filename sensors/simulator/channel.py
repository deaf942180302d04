"""Smooth scalar motion channels built from minimum-jerk moves and bumps.

A ``Channel`` is a start value plus moves (a change ``delta`` over ``duration`` along the
minimum-jerk profile 10s^3 - 15s^4 + 6s^5) and bumps (out and back, 64 s^3 (1-s)^3). Both
have zero velocity and acceleration at their ends, so any sum is continuous in value,
velocity and acceleration. ``evaluate`` returns value, first and second time derivative.
"""

from __future__ import annotations

import numpy as np


def _min_jerk(s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Value, d/ds and d2/ds2 of 10s^3 - 15s^4 + 6s^5 on [0, 1]."""
    s2 = s * s
    value = s2 * s * (10.0 - 15.0 * s + 6.0 * s2)
    d1 = 30.0 * s2 * (1.0 - s) ** 2
    d2 = 60.0 * s * (1.0 - s) * (1.0 - 2.0 * s)
    return value, d1, d2


def _bump(s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Value, d/ds and d2/ds2 of 64 s^3 (1-s)^3 on [0, 1] (peak 1 at s = 0.5)."""
    u = s * (1.0 - s)
    du = 1.0 - 2.0 * s
    value = 64.0 * u**3
    d1 = 192.0 * u * u * du
    d2 = 192.0 * (2.0 * u * du * du - 2.0 * u * u)
    return value, d1, d2


class Channel:
    """One scalar coordinate of the motion (height, forward, an angle) as a sum of pieces."""

    def __init__(self, start: float = 0.0) -> None:
        self.start = float(start)
        self._moves: list[tuple[float, float, float]] = []
        self._bumps: list[tuple[float, float, float]] = []
        self._shakes: list[tuple[float, float, float, tuple[tuple[float, float], ...]]] = []

    def move(self, t0: float, duration: float, delta: float) -> None:
        """Change the value by ``delta`` between t0 and t0 + duration (seconds)."""
        if delta != 0.0 and duration > 0.0:
            self._moves.append((float(t0), float(duration), float(delta)))

    def bump(self, t0: float, duration: float, amplitude: float) -> None:
        """Go out by ``amplitude`` and back between t0 and t0 + duration (peak at the middle)."""
        if amplitude != 0.0 and duration > 0.0:
            self._bumps.append((float(t0), float(duration), float(amplitude)))

    def shake(
        self, t0: float, duration: float, amplitude: float, waves: tuple[tuple[float, float], ...]
    ) -> None:
        """Tremor between t0 and t0 + duration: ``amplitude`` times the mean of sines
        sin(2 pi f (t - t0) + phase) for (f Hz, phase rad) in ``waves``, faded in and out
        smoothly."""
        if amplitude != 0.0 and duration > 0.0 and waves:
            self._shakes.append((float(t0), float(duration), float(amplitude), tuple(waves)))

    def evaluate(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Value, velocity (per s) and acceleration (per s^2) at the sorted times ``t``."""
        n = t.shape[0]
        value = np.full(n, self.start)
        vel = np.zeros(n)
        acc = np.zeros(n)
        finished = np.zeros(n + 1)
        for pieces, shape, lasting in ((self._moves, _min_jerk, True), (self._bumps, _bump, False)):
            for t0, duration, amount in pieces:
                i0, i1 = np.searchsorted(t, (t0, t0 + duration), side="left")
                if i0 < i1:
                    s = (t[i0:i1] - t0) / duration
                    f0, f1, f2 = shape(s)
                    value[i0:i1] += amount * f0
                    vel[i0:i1] += amount / duration * f1
                    acc[i0:i1] += amount / duration**2 * f2
                if lasting:
                    finished[i1] += amount
        value += np.cumsum(finished[:n])
        for t0, duration, amplitude, waves in self._shakes:
            i0, i1 = np.searchsorted(t, (t0, t0 + duration), side="left")
            if i0 < i1:
                e0, e1, e2 = _fade(t[i0:i1] - t0, duration)
                w0, w1, w2 = _waves(t[i0:i1] - t0, waves)
                value[i0:i1] += amplitude * e0 * w0
                vel[i0:i1] += amplitude * (e1 * w0 + e0 * w1)
                acc[i0:i1] += amplitude * (e2 * w0 + 2.0 * e1 * w1 + e0 * w2)
        return value, vel, acc


def _fade(tau: np.ndarray, duration: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Envelope 0 -> 1 -> 0 over ``duration`` s with minimum-jerk ramps (value, d/dt, d2/dt2)."""
    ramp = min(0.4, duration / 3.0)
    e0, e1, e2 = np.ones_like(tau), np.zeros_like(tau), np.zeros_like(tau)
    for mask, s, sign in (
        (tau < ramp, tau / ramp, 1.0),
        (tau > duration - ramp, (duration - tau) / ramp, -1.0),
    ):
        f0, f1, f2 = _min_jerk(s[mask])
        e0[mask] = f0
        e1[mask] = sign * f1 / ramp
        e2[mask] = f2 / ramp**2
    return e0, e1, e2


def _waves(
    t: np.ndarray, waves: tuple[tuple[float, float], ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean of sin(2 pi f t + phase) over ``waves`` with its two time derivatives."""
    w0, w1, w2 = np.zeros_like(t), np.zeros_like(t), np.zeros_like(t)
    for freq, phase in waves:
        omega = 2.0 * np.pi * freq
        arg = omega * t + phase
        sin, cos = np.sin(arg), np.cos(arg)
        w0 += sin
        w1 += omega * cos
        w2 -= omega * omega * sin
    k = 1.0 / len(waves)
    return k * w0, k * w1, k * w2
