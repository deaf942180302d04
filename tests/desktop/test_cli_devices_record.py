"""``hipthrust devices`` and ``hipthrust record``: output, and bad input as one-line errors."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from desktop.cli import main
from desktop.cli.devices import ble_lines, serial_lines
from sensors.recording_csv import read_csv
from sensors.sources.ble_source import NUS
from sensors.sources.serial_source import SerialPortInfo


def test_record_writes_the_csv_and_reports_the_link(tmp_path, capsys):
    out = tmp_path / "set.csv"
    assert main(["record", "sim://touch_and_go?speed=max", "--seconds", "5", "-o", str(out)]) == 0
    block = read_csv(out)
    assert block.duration_s == pytest.approx(5.0, abs=0.01)
    text = capsys.readouterr().out
    assert "recorded 1000 samples" in text and "0 bad" in text and "battery 87%" in text


def test_record_into_the_library(tmp_path, capsys):
    from desktop.library.store import Library

    args = ["--data-dir", str(tmp_path), "record", "sim://touch_and_go?speed=max"]
    assert main([*args, "--seconds", "30", "--library"]) == 0
    assert "library session 1" in capsys.readouterr().out
    with Library.open(tmp_path) as lib:
        assert len(lib.reps(1)) >= 1
        assert lib.session(1).status == "complete"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["record", "nope://x", "--seconds", "1", "-o", "x.csv"], "unknown source"),
        (["record", "serial:///dev/ttyNOPE0", "--seconds", "1", "-o", "x.csv"], "does not exist"),
        (["record", "sim://touch_and_go", "--seconds", "1"], "-o FILE.csv, --library"),
        (["record", "sim://", "--seconds", "1", "-o", "/no/such/dir/x.csv"], "/no/such/dir"),
        (["record", "sim://", "--seconds", "-1", "-o", "x.csv"], "positive"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("hipthrust: error:") and words in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_devices_lists_serial_ports_with_their_uris(capsys):
    assert main(["devices", "--no-ble"]) == 0
    assert capsys.readouterr().out.startswith("Serial ports")
    lines = serial_lines([SerialPortInfo("/dev/ttyACM0", "XIAO nRF52840", "USB VID:PID=2886:8045")])
    assert "XIAO nRF52840" in lines[1] and "serial:///dev/ttyACM0" in lines[2]
    assert "none found" in serial_lines([])[0]
    builtin = [SerialPortInfo("/dev/ttyS0", "n/a", "n/a")]
    assert "1 built-in ports hidden" in serial_lines(builtin)[0]
    assert "serial:///dev/ttyS0" in serial_lines(builtin, show_all=True)[2]


def test_devices_ble_section():
    def seen(name, address, rssi, uuids):
        return (
            SimpleNamespace(name=name, address=address),
            SimpleNamespace(local_name=name, rssi=rssi, service_uuids=uuids),
        )

    class Scanner:
        @staticmethod
        async def discover(timeout, return_adv):
            await asyncio.sleep(0)
            return {
                "a": seen("WT901BLE68", "11:22:33:44:55:66", -50, []),
                "b": seen("hipthrust-7", "22:22:22:22:22:22", -70, [NUS.service_uuid]),
                "c": seen("tv", "33:33:33:33:33:33", -30, []),
            }

    class NoAdapter:
        @staticmethod
        async def discover(timeout, return_adv):
            raise FileNotFoundError(2, "No such file or directory")

    lines = ble_lines(0.1, scanner=Scanner)
    assert "witmotion+ble://11:22:33:44:55:66" in lines[1]
    assert "ble://22:22:22:22:22:22" in lines[2]
    assert len(lines) == 3  # the TV is not a sensor
    assert len(ble_lines(0.1, scanner=Scanner, show_all=True)) == 4
    (line,) = ble_lines(0.1, scanner=NoAdapter)
    assert "Bluetooth is not available" in line
