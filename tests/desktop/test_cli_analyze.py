"""``hipthrust analyze``: table, JSON and CSV on a recording; units; clear errors."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from desktop.cli import main
from sensors.recording_csv import write_csv
from sensors.samples import STANDARD_GRAVITY, SampleBlock
from sensors.simulator import SetScenario, simulate

REP_KEYS = {
    "index", "start_s", "top_s", "end_s", "hold_s", "rom_m", "concentric_s", "eccentric_s",
    "bottom_pause_s", "mean_velocity_mps", "peak_velocity_mps",
}  # fmt: skip


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    sim = simulate(SetScenario(exercise="hip_thrust", mount="bar", reps=4, hold_s=2.0, seed=21))
    path = tmp_path_factory.mktemp("rec") / "set.csv"
    write_csv(path, sim.block)
    return path, sim


def test_json_has_the_reps_in_the_recording_clock_and_nothing_else(recording, capsys):
    path, sim = recording
    assert main(["analyze", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    doc = json.loads(out)  # the whole of stdout is one JSON document
    assert len(doc["reps"]) == len(sim.truth.reps)
    assert set(doc["reps"][0]) >= REP_KEYS
    for rep, true in zip(doc["reps"], sim.truth.reps, strict=True):
        assert rep["top_s"] == pytest.approx(true.top_s, abs=0.1)
    assert doc["sets"][0]["rep_count"] == len(sim.truth.reps)


def test_table_and_csv(recording, capsys):
    path, sim = recording
    assert main(["analyze", str(path)]) == 0
    table = capsys.readouterr().out
    assert f"{len(sim.truth.reps)} reps in 1 sets" in table
    assert "ROM cm" in table
    assert main(["analyze", str(path), "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(sim.truth.reps)
    assert float(rows[0]["rom_m"]) == pytest.approx(sim.truth.reps[0].rom_m, abs=0.02)


def test_g_and_degree_units_give_the_same_reps(recording, tmp_path, capsys):
    path, sim = recording
    b = sim.block
    converted = SampleBlock.from_arrays(b.t, b.acc / STANDARD_GRAVITY, np.degrees(b.gyr), b.gap)
    other = tmp_path / "g_dps.csv"
    write_csv(other, converted)
    assert main(["analyze", str(path), "--json"]) == 0
    si = json.loads(capsys.readouterr().out)
    assert main(["analyze", str(other), "--json", "--acc-unit", "g", "--gyro-unit", "dps"]) == 0
    g = json.loads(capsys.readouterr().out)
    assert [r["index"] for r in g["reps"]] == [r["index"] for r in si["reps"]]
    assert g["reps"][0]["rom_m"] == pytest.approx(si["reps"][0]["rom_m"], abs=1e-3)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("t,ax,ay,az,gx,gy\n0,0,0,9.8,0,0\n", "gz"),
        ("t,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,0\n0.01,0,x,9.8,0,0,0\n", "line 3"),
        ("t,ax,ay,az,gx,gy,gz\n0.02,0,0,9.8,0,0,0\n0.01,0,0,9.8,0,0,0\n", "backward"),
    ],
)
def test_bad_csv_is_one_clear_line(tmp_path, capsys, content, words):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    assert main(["analyze", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert err.startswith("hipthrust: error:") and "\n" not in err
    assert words in err


def test_missing_file_and_unknown_scheme(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "none.csv")]) == 2
    assert "none.csv" in capsys.readouterr().err
    assert main(["analyze", "carrier-pigeon://coop"]) == 2
    assert "carrier-pigeon" in capsys.readouterr().err


def test_a_folder_is_not_a_recording(tmp_path, capsys):
    assert main(["analyze", str(tmp_path)]) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_a_file_without_motion_is_an_empty_result(tmp_path, capsys):
    n = 1000
    block = SampleBlock.from_arrays(
        np.arange(n) / 100, np.tile([0.0, 0.0, STANDARD_GRAVITY], (n, 1)), np.zeros((n, 3))
    )
    path = tmp_path / "still.csv"
    write_csv(path, block)
    assert main(["analyze", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["reps"] == [] and "no reps found" in doc["notes"]
