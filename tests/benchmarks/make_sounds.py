"""Write the app's cue sounds to resources/sounds/*.wav (16-bit mono, 22.05 kHz, tiny).

rep.wav: one short high blip (a rep was counted); hold.wav: two rising tones (the hold target is
reached: lower now); set_end.wav: three falling tones (the set is over). Run:
``python tests/benchmarks/make_sounds.py``.
"""

from __future__ import annotations

import pathlib
import wave

import numpy as np

RATE = 22050
OUT = pathlib.Path(__file__).resolve().parents[2] / "resources" / "sounds"


def tone(freq_hz: float, seconds: float, volume: float = 0.6) -> np.ndarray:
    """A sine with 5 ms fades at both ends (no clicks)."""
    t = np.arange(int(RATE * seconds)) / RATE
    wave_ = np.sin(2 * np.pi * freq_hz * t) * volume
    fade = min(len(t) // 2, int(0.005 * RATE))
    ramp = np.linspace(0.0, 1.0, fade)
    wave_[:fade] *= ramp
    wave_[len(t) - fade :] *= ramp[::-1]
    return wave_


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(RATE * seconds))


CUES = {
    "rep": [tone(1320, 0.09)],
    "hold": [tone(880, 0.14), silence(0.05), tone(1760, 0.22)],
    "set_end": [tone(1320, 0.15), silence(0.05), tone(990, 0.15), silence(0.05), tone(660, 0.3)],
}


def write(path: pathlib.Path, samples: np.ndarray) -> None:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, parts in CUES.items():
        path = OUT / f"{name}.wav"
        write(path, np.concatenate(parts))
        print(f"{path.relative_to(OUT.parents[1])}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
