"""``hipthrust simulate`` writes a CSV recording and its truth JSON; bad input exits 2."""

from __future__ import annotations

import json

import pytest

from desktop.cli import main
from sensors.recording_csv import read_csv
from sensors.simulator import EXERCISES, PRESETS


def test_simulate_writes_csv_and_truth(tmp_path):
    out = tmp_path / "set.csv"
    code = main(
        [
            "simulate",
            "--exercise",
            "glute_bridge",
            "--mount",
            "hips",
            "--reps",
            "4",
            "--tempo",
            "2-1-1-3",
            "--rate",
            "100",
            "--seed",
            "5",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    block = read_csv(out)
    assert block.median_rate_hz() == pytest.approx(100.0)
    truth = json.loads((tmp_path / "set.truth.json").read_text())
    assert len(truth["reps"]) == 4
    assert truth["mount"] == "hips"
    assert truth["scenario"]["tempo"] == "2-1-1-3"
    assert all(abs(r["hold_s"] - 3.0) < 0.4 for r in truth["reps"])
    assert truth["reps"][0]["bottom_pause_s"] is None


def test_simulate_preset_with_overrides(tmp_path):
    out = tmp_path / "p.csv"
    assert (
        main(
            [
                "simulate",
                "--preset",
                "three_sets",
                "--reps",
                "2",
                "--sets",
                "2",
                "--rest",
                "30",
                "--start-time",
                "100",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    truth = json.loads((tmp_path / "p.truth.json").read_text())
    assert [s["rep_count"] for s in truth["sets"]] == [2, 2]
    assert truth["reps"][0]["start_s"] > 100.0
    assert read_csv(out).t[0] == pytest.approx(100.0)


def test_list_names_every_preset_and_exercise(capsys):
    assert main(["simulate", "--list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in [*PRESETS, *EXERCISES])


def test_missing_output_is_a_one_line_error(capsys):
    assert main(["simulate", "--reps", "3"]) == 2
    assert "-o FILE.csv" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["--gyro-range", "99"],
        ["--exercise", "deadlift"],
        ["--tempo", "3-1"],
        ["--preset", "nope"],
        ["--rate", "5"],
    ],
)
def test_bad_options_print_one_line_and_exit_2(tmp_path, capsys, args):
    code = main(["simulate", *args, "-o", str(tmp_path / "x.csv")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("hipthrust: error:") and "\n" not in err
