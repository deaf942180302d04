"""VirtualDevice: speaks the wire protocol, paced by device time, answers every command."""

import numpy as np
import pytest

from sensors.device import WireDeviceDecoder
from sensors.errors import InputError
from sensors.protocol import (
    AckFrame,
    AckResult,
    FrameDecoder,
    FrameType,
    GetInfoCommand,
    IdentifyCommand,
    InfoFrame,
    SamplesFrame,
    StartCommand,
    StatusFrame,
    StopCommand,
    acc_lsb_mps2,
    encode_frame,
    gyro_lsb_rads,
)
from sensors.samples import SampleBlock
from sensors.virtual_device import VirtualDevice


def recording(n: int = 1000, rate: float = 100.0) -> SampleBlock:
    t = 5.0 + np.arange(n) / rate
    phase = 2 * np.pi * 0.5 * t
    acc = np.column_stack([np.sin(phase), np.cos(phase), 9.81 + np.sin(2 * phase)])
    gyr = np.column_stack([np.cos(phase), -np.sin(phase), 0.1 * np.ones(n)])
    return SampleBlock.from_arrays(t, acc, gyr)


def started(device: VirtualDevice, host: WireDeviceDecoder, rate: int = 100) -> None:
    device.write(host.command_bytes(StartCommand(rate)))


def messages(wire: bytes) -> list:
    return [f.message for f in FrameDecoder().feed(wire)]


def test_stopped_until_start_then_ack_info_and_samples():
    device = VirtualDevice(recording())
    power_up = messages(device.read())
    assert power_up == [device.info]
    assert device.read() == b"" and not device.streaming
    host = WireDeviceDecoder()
    started(device, host)
    first = messages(device.read(now_s=0.0))
    assert first == [AckFrame(FrameType.START, 0), device.info]
    assert device.info.rate_hz == 100 and device.info.battery_pct == 87


def test_round_trip_within_quantisation():
    source = recording()
    device = VirtualDevice(source, t0_us=2**32 - 3_000_000, autostart=True)
    host = WireDeviceDecoder()
    block = host.feed(device.read())
    assert device.finished
    assert len(block) == len(source)
    np.testing.assert_allclose(np.diff(block.t), 0.01, atol=1e-9)
    assert block.t[0] == pytest.approx((2**32 - 3_000_000) * 1e-6)
    assert np.abs(block.acc - source.acc).max() <= acc_lsb_mps2(16) / 2 + 1e-12
    assert np.abs(block.gyr - source.gyr).max() <= gyro_lsb_rads(2000) / 2 + 1e-12
    counters = host.counters()
    assert counters.bad_frames == counters.seq_gaps == counters.dropped_samples == 0


def test_read_is_paced_by_device_time_and_sends_status_each_second():
    device = VirtualDevice(recording(), samples_per_frame=10)
    host = WireDeviceDecoder()
    started(device, host)
    assert len(host.feed(device.read(now_s=0.085))) == 0  # sample 9 is due at 0.09 s
    assert len(host.feed(device.read(now_s=0.09))) == 10
    assert len(host.feed(device.read(now_s=2.5))) == 240
    statuses = [m for m in messages(device.read(now_s=9.99)) if isinstance(m, StatusFrame)]
    assert len(statuses) == 7  # with the frames ending at 3.09 .. 9.09 s
    assert statuses[0].flags & 0x01 and statuses[0].battery_pct == 87


def test_max_bytes_limits_each_read_and_loses_nothing():
    device = VirtualDevice(recording(300), autostart=True)
    host = WireDeviceDecoder()
    blocks = []
    while not device.finished:
        chunk = device.read(max_bytes=50)
        assert len(chunk) <= 50
        blocks.append(host.feed(chunk))
    assert len(SampleBlock.concat(blocks)) == 300


def test_commands_are_acknowledged():
    device = VirtualDevice(recording(), autostart=True)
    device.read(now_s=1.0)
    host = WireDeviceDecoder()
    device.write(host.command_bytes(GetInfoCommand()) + host.command_bytes(IdentifyCommand(3)))
    device.write(host.command_bytes(StartCommand(0)) + host.command_bytes(StopCommand()))
    device.write(encode_frame(StatusFrame(), 40))  # a device frame sent to the device
    replies = messages(device.read(now_s=1.0))
    acks = [m for m in replies if isinstance(m, AckFrame)]
    assert [(a.command_type, a.command_seq, a.result) for a in acks] == [
        (FrameType.GET_INFO, 0, AckResult.OK),
        (FrameType.IDENTIFY, 1, AckResult.OK),
        (FrameType.START, 2, AckResult.BAD_ARGUMENTS),
        (FrameType.STOP, 3, AckResult.OK),
        (FrameType.STATUS, 40, AckResult.UNSUPPORTED),
    ]
    assert sum(isinstance(m, InfoFrame) for m in replies) == 1
    assert not device.streaming
    assert device.read(now_s=50.0) == b""


def test_restart_resumes_where_it_stopped_with_time_from_the_new_start():
    device = VirtualDevice(recording(), autostart=True)
    host = WireDeviceDecoder()
    a = host.feed(device.read(now_s=0.5))
    device.write(host.command_bytes(StopCommand()))
    started(device, host)
    b = host.feed(device.read(now_s=0.095))
    assert len(a) == 50 and len(b) == 10
    assert b.t[0] == pytest.approx(a.t[-1] + 0.01) and not b.gap.any()


def test_clipped_at_full_scale():
    block = recording(10)
    loud = SampleBlock.from_arrays(block.t, block.acc * 100, block.gyr * 1000)
    device = VirtualDevice(loud, acc_range_g=2, gyro_range_dps=125, autostart=True)
    frames = [m for m in messages(device.read()) if isinstance(m, SamplesFrame)]
    raw = np.concatenate([f.raw for f in frames])
    assert raw.max() == 32767 and raw.min() == -32768
    assert frames[0].acc_range_g == 2 and frames[0].gyro_range_dps == 125


def test_loop_continues_time_and_needs_a_bound():
    device = VirtualDevice(recording(25), samples_per_frame=10, loop=True, autostart=True)
    host = WireDeviceDecoder()
    block = host.feed(device.read(now_s=0.995))
    assert len(block) == 100 and not device.finished
    np.testing.assert_allclose(np.diff(block.t), 0.01, atol=1e-9)
    np.testing.assert_allclose(block.acc[25:50], block.acc[:25])
    with pytest.raises(InputError, match="looping"):
        device.read()


@pytest.mark.parametrize(
    ("samples", "kwargs"),
    [
        (recording(1), {}),
        (recording(), {"samples_per_frame": 41}),
        (recording(rate=5.0), {}),
    ],
)
def test_refuses_what_the_protocol_cannot_carry(samples, kwargs):
    with pytest.raises(InputError):
        VirtualDevice(samples, **kwargs)
