"""Raw sample chunks: a SampleBlock as one compact, lossless binary blob (no pickle).

Layout before compression (docs/formats.md, "Sample chunk"): ``t`` (n float64), ``acc`` and
``gyr`` (n x 3 float64, row-major), all little-endian and byte-shuffled (every value's byte 0,
then every byte 1, ...), then ``gap`` as n bits (numpy packbits, big bit order). zlib on top.
"""

from __future__ import annotations

import zlib

import numpy as np

from desktop.library.errors import SessionFileError
from sensors.samples import SampleBlock

ENCODING = "f8-shuffle-zlib"
"""Name of the one chunk encoding, stored with every chunk and in every export file."""

MAX_CHUNK_SAMPLES = 1_000_000
"""Refuse chunks above this (about 17 min at 1000 Hz): a sign of a crafted or broken file."""

_F8 = np.dtype("<f8")


def encode(block: SampleBlock) -> bytes:
    """The block as one blob; ``decode(encode(b))`` gives back every bit of ``b``."""
    parts = [
        _shuffle(block.t),
        _shuffle(block.acc),
        _shuffle(block.gyr),
        np.packbits(block.gap).tobytes(),
    ]
    return zlib.compress(b"".join(parts), 1)


def decode(blob: bytes, n: int) -> SampleBlock:
    """The block of ``n`` samples held in ``blob``; SessionFileError if it does not fit."""
    if not 0 < n <= MAX_CHUNK_SAMPLES:
        raise SessionFileError(f"sample chunk claims {n} samples (allowed 1..{MAX_CHUNK_SAMPLES})")
    expected = 56 * n + (n + 7) // 8
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(blob, expected + 1)
    except zlib.error as exc:
        raise SessionFileError(f"sample chunk is damaged ({exc})") from exc
    if len(raw) != expected or not inflater.eof or inflater.unconsumed_tail or inflater.unused_data:
        raise SessionFileError(
            f"sample chunk holds {len(raw)} bytes where {n} samples need {expected}"
        )
    t = _unshuffle(raw[: 8 * n], n)
    acc = _unshuffle(raw[8 * n : 32 * n], 3 * n).reshape(n, 3)
    gyr = _unshuffle(raw[32 * n : 56 * n], 3 * n).reshape(n, 3)
    gap = np.unpackbits(np.frombuffer(raw[56 * n :], dtype=np.uint8), count=n).astype(bool)
    if not (np.all(np.isfinite(t)) and np.all(np.diff(t) > 0)):
        raise SessionFileError("sample chunk times are not finite and strictly increasing")
    return SampleBlock(t, acc, gyr, gap)


def _shuffle(values: np.ndarray) -> bytes:
    as_bytes = np.ascontiguousarray(values, dtype=_F8).reshape(-1).view(np.uint8)
    return as_bytes.reshape(-1, 8).T.tobytes()


def _unshuffle(raw: bytes, count: int) -> np.ndarray:
    planes = np.frombuffer(raw, dtype=np.uint8).reshape(8, count)
    return np.ascontiguousarray(planes.T).view(_F8).reshape(count).astype(np.float64)
