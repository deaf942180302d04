"""Throughput of the wire protocol on the host: virtual device encoding and device decoding.

    python tests/benchmarks/bench_protocol.py

Prints, for 10 minutes of 1000 Hz samples, how long the VirtualDevice takes to produce the
bytes and the WireDeviceDecoder to turn them back into SampleBlocks (fed in 4 KB chunks, as
a serial port delivers them), and how many times faster than real time that is.
"""

from __future__ import annotations

import time

import numpy as np

from sensors.device import WireDeviceDecoder
from sensors.samples import SampleBlock
from sensors.virtual_device import VirtualDevice

RATE_HZ = 1000
SECONDS = 600
CHUNK = 4096


def recording() -> SampleBlock:
    n = RATE_HZ * SECONDS
    rng = np.random.default_rng(0)
    t = np.arange(n) / RATE_HZ
    acc = rng.normal(0.0, 3.0, (n, 3)) + np.array([0.0, 0.0, 9.81])
    gyr = rng.normal(0.0, 1.0, (n, 3))
    return SampleBlock.from_arrays(t, acc, gyr)


def main() -> None:
    block = recording()
    for per_frame in (10, 40):
        device = VirtualDevice(block, samples_per_frame=per_frame, autostart=True)
        start = time.perf_counter()
        wire = device.read()
        encode_s = time.perf_counter() - start

        decoder = WireDeviceDecoder()
        start = time.perf_counter()
        decoded = sum(len(decoder.feed(wire[i : i + CHUNK])) for i in range(0, len(wire), CHUNK))
        decode_s = time.perf_counter() - start
        assert decoded == len(block)
        print(
            f"{SECONDS} s at {RATE_HZ} Hz, {per_frame} samples/frame, {len(wire) / 1e6:.1f} MB: "
            f"encode {encode_s:.2f} s ({SECONDS / encode_s:.0f}x real time), "
            f"decode {decode_s:.2f} s ({SECONDS / decode_s:.0f}x real time, "
            f"{decode_s / (len(block) / per_frame) * 1e6:.1f} us/frame)"
        )


if __name__ == "__main__":
    main()
