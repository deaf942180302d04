"""CSV recordings: round trip, free column order, units, gaps and one-line errors."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from sensors.errors import InputError, RecordingFormatError
from sensors.recording_csv import read_csv, write_csv
from sensors.samples import STANDARD_GRAVITY, SampleBlock
from sensors.simulator import PRESETS, simulate


def _write(tmp_path, text, name="rec.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_round_trip_keeps_samples_and_gaps(tmp_path):
    rec = simulate(replace(PRESETS["cheap_sensor_dropouts"], reps=2, dropouts_per_min=40.0))
    path = tmp_path / "r.csv"
    write_csv(path, rec.block)
    back = read_csv(path)
    np.testing.assert_allclose(back.t, rec.block.t, atol=1e-6)
    np.testing.assert_allclose(back.acc, rec.block.acc, atol=1e-6)
    np.testing.assert_allclose(back.gyr, rec.block.gyr, atol=1e-7)
    assert rec.block.gap.sum() > 0
    np.testing.assert_array_equal(back.gap, rec.block.gap)


def test_same_scenario_writes_the_same_bytes(tmp_path):
    scenario = replace(PRESETS["glute_bridge"], reps=2)
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    write_csv(a, simulate(scenario).block)
    write_csv(b, simulate(scenario).block)
    assert a.read_bytes() == b.read_bytes()


def test_columns_in_any_order_extra_columns_and_units(tmp_path):
    text = "gz,gy,gx,temp,t,az,ay,ax\n180,0,0,21.5,100.0,1,0,0\n0,90,0,21.5,100.01,0,1,0\n"
    block = read_csv(_write(tmp_path, text), acc_unit="g", gyro_unit="deg/s")
    np.testing.assert_allclose(block.t, [100.0, 100.01])
    np.testing.assert_allclose(block.acc, [[0, 0, STANDARD_GRAVITY], [0, STANDARD_GRAVITY, 0]])
    np.testing.assert_allclose(block.gyr, [[0, 0, math.pi], [0, math.pi / 2, 0]])


def test_time_jump_marks_a_gap(tmp_path):
    t = [0.0, 0.01, 0.02, 0.05, 0.06, 0.075]
    rows = "".join(f"{x},0,0,9.8,0,0,0\n" for x in t)
    block = read_csv(_write(tmp_path, "t,ax,ay,az,gx,gy,gz\n" + rows))
    np.testing.assert_array_equal(block.gap, [False, False, False, True, False, False])


def test_crlf_line_ends_and_blank_lines(tmp_path):
    text = "t,ax,ay,az,gx,gy,gz\r\n0,1,2,3,4,5,6\r\n\r\n  \r\n0.1,1,2,3,4,5,6\r\n\r\n"
    block = read_csv(_write(tmp_path, text))
    np.testing.assert_allclose(block.t, [0.0, 0.1])


def test_a_time_error_after_blank_lines_names_the_file_line(tmp_path):
    text = "t,ax,ay,az,gx,gy,gz\n0,0,0,0,0,0,0\n\n0.2,0,0,0,0,0,0\n0.1,0,0,0,0,0,0\n"
    with pytest.raises(RecordingFormatError, match=r"line 5: time 0\.1 goes backwards"):
        read_csv(_write(tmp_path, text))


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "empty"),
        ("t,ax,ay,az,gx,gy\n0,0,0,0,0,0\n", "line 1: missing column.*gz"),
        ("t,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,0\n0.1,0,abc,9.8,0,0,0\n", "line 3, column 3.*abc"),
        ("t,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,0\n0.1,0,0,9.8,0,0\n", "line 3: 6 cells"),
        ("t,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,0\n0.1,0,nan,9.8,0,0,0\n", "line 3.*not finite"),
        (
            "t,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,0\n0.1,0,0,9.8,0,0,0\n0.05,0,0,9.8,0,0,0\n",
            "line 4: time 0.05 goes backwards",
        ),
        ("t,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,0\n0,0,0,9.8,0,0,0\n", "line 3: time 0.0 repeats"),
        ("t,ax,ay,az,gx,gy,gz\n", "no samples"),
        ("hello world\nthis is not a recording\n", "missing column"),
    ],
)
def test_bad_files_raise_one_line_errors_with_the_line(tmp_path, text, match):
    with pytest.raises(RecordingFormatError, match=match) as info:
        read_csv(_write(tmp_path, text))
    assert "\n" not in str(info.value)


def test_binary_and_missing_files_are_format_errors(tmp_path):
    path = tmp_path / "blob.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(RecordingFormatError, match="not a CSV"):
        read_csv(path)
    with pytest.raises(RecordingFormatError, match="cannot read"):
        read_csv(tmp_path / "missing.csv")
    with pytest.raises(RecordingFormatError, match="acc_unit"):
        read_csv(path, acc_unit="furlong")


def test_write_empty_block_reads_back_as_no_samples_error(tmp_path):
    path = tmp_path / "e.csv"
    write_csv(path, SampleBlock.empty())
    assert path.read_text() == "t,ax,ay,az,gx,gy,gz\n"
    with pytest.raises(RecordingFormatError, match="no samples"):
        read_csv(path)


def test_writing_into_a_missing_folder_is_an_input_error_and_leaves_nothing(tmp_path):
    block = SampleBlock.from_arrays(np.arange(3) / 100, np.zeros((3, 3)), np.zeros((3, 3)))
    with pytest.raises(InputError, match="cannot write"):
        write_csv(tmp_path / "missing" / "r.csv", block)
    write_csv(tmp_path / "r.csv", block)
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]
