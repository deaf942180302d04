"""A recording process for the crash and disk-full tests (run as a script by the tests).

``python recording_child.py crash DIR``: records the simulated set of ``crash_scenario()``
into the library in DIR, fast up to FAST_UNTIL_S of sample time, then in real time, printing
``t=<last sample time>`` after each block, until killed.
``python recording_child.py full DIR HEADROOM``: same recording with file sizes capped
(RLIMIT_FSIZE) HEADROOM bytes above the largest library file at the start, printing
``error=<message>`` when the recorder reports the write error.
"""

from __future__ import annotations

import resource
import signal
import sys
import time

from desktop.library import Library, LibraryWriteError, Recorder
from sensors.events import RepCompleted
from sensors.simulator import SetScenario, simulate

FAST_UNTIL_S = 10.0
BLOCK = 10


def crash_scenario():
    return simulate(SetScenario(reps=4, setup=False, lead_in_s=1.0, tail_s=1.0, hold_s=0.5, seed=3))


def main(mode: str, folder: str, headroom: str | None = None) -> None:
    recording = crash_scenario()
    library = Library.open(folder)
    session_id = library.create_session(source="sim://crash-test")
    interval = {"crash": 0.5, "full": 0.02}[mode]  # crash: the product's default
    recorder = Recorder(library, session_id, flush_interval_s=interval)
    recorder.begin_set("hip_thrust", None, None, {"reps": 4})
    print(f"session={session_id}", flush=True)
    if headroom is not None:
        largest = max(p.stat().st_size for p in library.path.parent.glob("library.sqlite3*"))
        limit = largest + int(headroom)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    block, reps = recording.block, list(recording.truth.reps)
    for start in range(0, len(block), BLOCK):
        piece = block[start : start + BLOCK]
        try:
            recorder.add_block(piece)
            done = [r for r in reps if r.end_s <= piece.t[-1]]
            reps = reps[len(done) :]
            recorder.add_events(RepCompleted(r.end_s, r) for r in done)
        except LibraryWriteError as exc:
            print(f"error={exc}", flush=True)
            break
        print(f"t={float(piece.t[-1])!r}", flush=True)
        if mode == "full":
            time.sleep(0.005)
        elif piece.t[-1] > FAST_UNTIL_S:
            time.sleep(piece.duration_s + 1 / 200)
    recorder.close()
    library.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
