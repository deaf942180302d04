"""``hipthrust sessions``: every action, its messages, and exit code 2 for user errors."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest
from libdata import make_block, make_rep, same_block

from desktop.cli import main
from desktop.library import Library, Recorder
from sensors.events import RepCompleted
from sensors.recording_csv import read_csv


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    with Library.open(folder) as library:
        for athlete in ("Jo", "Kim"):
            sid = library.create_session(athlete=athlete, source="sim://x", mount="bar")
            with Recorder(library, sid) as rec:
                rec.begin_set("hip_thrust", "left", 20.0, {"reps": 2, "tempo": "3-1-1-3"})
                rec.add_block(make_block(0, 1000))
                rec.add_events([RepCompleted(4.0, make_rep(1)), RepCompleted(8.0, make_rep(2))])
    return folder


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_and_show(data_dir, capsys):
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "sessions", "list")
    assert code == 0
    assert "Jo" in out and "Kim" in out and "complete" in out
    code, out, _ = run(capsys, "sessions", "--data-dir", str(data_dir), "list", "--json")
    listed = json.loads(out)
    assert [s["athlete"] for s in listed] == ["Kim", "Jo"]
    assert listed[0]["rep_count"] == 2
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "sessions", "list", "--athlete", "Jo")
    assert "Kim" not in out
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "sessions", "show", "1")
    assert code == 0
    assert "hip_thrust left 20 kg" in out and "tempo 3-1-1-3" in out
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "sessions", "show", "1", "--json")
    shown = json.loads(out)
    assert shown["reps"][1]["hold_s"] == make_rep(2).hold_s
    assert shown["reps"][0]["bottom_pause_s"] is None


def test_date_range_filters(data_dir, capsys):
    args = ["--data-dir", str(data_dir), "sessions", "list", "--json"]
    _, out, _ = run(capsys, *args, "--from", "2000-01-01", "--to", "2000-12-31")
    assert json.loads(out) == []
    _, out, _ = run(capsys, *args, "--from", "2000-01-01")
    assert len(json.loads(out)) == 2


def test_export_import_round_trip_between_stations(data_dir, tmp_path, capsys):
    file = tmp_path / "both.hipthrust"
    code, out, _ = run(
        capsys, "--data-dir", str(data_dir), "sessions", "export", "--from", "2000-01-01",
        "-o", str(file),
    )  # fmt: skip
    assert code == 0 and "exported 2 session(s), 2000 samples" in out
    other = tmp_path / "other"
    code, out, _ = run(capsys, "--data-dir", str(other), "sessions", "import", str(file))
    assert code == 0 and "imported 2 session(s) as: 1, 2" in out
    code, _, err = run(capsys, "--data-dir", str(other), "sessions", "import", str(file))
    assert code == 2 and "already in this library" in err and err[-1] == "\n"
    with Library.open(other) as library:
        assert [s.athlete for s in library.list_sessions()] == ["Kim", "Jo"]


def test_csv_exports(data_dir, tmp_path, capsys):
    reps_csv, samples_csv = tmp_path / "reps.csv", tmp_path / "samples.csv"
    base = ["--data-dir", str(data_dir), "sessions", "export"]
    assert run(capsys, *base, "1", "2", "-o", str(reps_csv), "--format", "reps-csv")[0] == 0
    with open(reps_csv, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["session_id"], r["athlete"], r["index"]) for r in rows] == [
        ("1", "Jo", "1"), ("1", "Jo", "2"), ("2", "Kim", "1"), ("2", "Kim", "2"),
    ]  # fmt: skip
    assert rows[0]["bottom_pause_s"] == "" and float(rows[1]["bottom_pause_s"]) == 0.9
    assert rows[0]["side"] == "left" and float(rows[0]["load_kg"]) == 20.0
    assert run(capsys, *base, "1", "-o", str(samples_csv), "--format", "samples-csv")[0] == 0
    block = make_block(0, 1000)
    back = read_csv(samples_csv)
    assert back.t.tobytes() == block.t.tobytes()
    assert back.acc.tobytes() == block.acc.tobytes() and back.gyr.tobytes() == block.gyr.tobytes()
    with open(samples_csv, newline="") as fh:
        gaps = [r["gap"] == "1" for r in csv.DictReader(fh)]
    assert gaps == block.gap.tolist()
    code, _, err = run(capsys, *base, "1", "2", "-o", str(samples_csv), "--format", "samples-csv")
    assert code == 2 and "one session at a time" in err


def test_delete_needs_yes(data_dir, capsys):
    code, _, err = run(capsys, "--data-dir", str(data_dir), "sessions", "delete", "1")
    assert code == 2 and "add --yes" in err
    assert run(capsys, "--data-dir", str(data_dir), "sessions", "delete", "1", "--yes")[0] == 0
    with Library.open(data_dir) as library:
        assert [s.id for s in library.list_sessions()] == [2]
        assert library.reps(1) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "99"], "no session 99"),
        (["import", "missing.hipthrust"], "cannot read the file"),
        (["export", "-o", "x.hipthrust"], "name the session ids"),
        (["export", "--from", "1990-01-01", "--to", "1990-01-02", "-o", "x"], "no sessions"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(data_dir, capsys, argv, message):
    code, _, err = run(capsys, "--data-dir", str(data_dir), "sessions", *argv)
    assert code == 2
    assert message in err and err.count("\n") == 1


def test_a_crashed_session_is_announced_and_listed_as_recovered(data_dir, capsys):
    script = (
        "import os, sys\n"
        "from desktop.library import Library, Recorder\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "from libdata import make_block\n"
        "lib = Library.open(sys.argv[1])\n"
        "rec = Recorder(lib, lib.create_session(athlete='Lou'), flush_interval_s=0.01)\n"
        "rec.add_block(make_block(0, 600))\n"
        "while lib.session(3).sample_count < 600: pass\n"
        "os._exit(0)\n"
    )
    here = str(__import__("pathlib").Path(__file__).parent)
    subprocess.run([sys.executable, "-c", script, str(data_dir), here], check=True, timeout=60)
    code, out, err = run(capsys, "--data-dir", str(data_dir), "sessions", "list")
    assert code == 0
    assert "session 3 was interrupted" in err and "recovered" in err
    assert "recovered" in out.splitlines()[1]
    with Library.open(data_dir) as library:
        assert library.recovered == []
        assert same_block(library.samples(3), make_block(0, 600))


def test_analyze_takes_a_session_id_or_an_exported_file(tmp_path, capsys):
    from sensors.simulator import SetScenario, simulate

    sim = simulate(SetScenario(reps=3, setup=False, lead_in_s=1.0, tail_s=1.0, seed=11))
    folder = tmp_path / "data"
    with Library.open(folder) as library:
        sid = library.create_session(source="sim://set", mount="bar")
        with Recorder(library, sid) as rec:
            rec.add_block(sim.block)
    file = tmp_path / "one.hipthrust"
    assert (
        run(capsys, "--data-dir", str(folder), "sessions", "export", str(sid), "-o", str(file))[0]
        == 0
    )
    counts = []
    for ref in (str(sid), str(file)):
        code, out, _ = run(capsys, "--data-dir", str(folder), "analyze", ref, "--json")
        assert code == 0
        counts.append(len(json.loads(out)["reps"]))
    assert counts == [3, 3]
