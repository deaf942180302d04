"""Wire protocol: CRC, COBS, messages, golden vectors, and the streaming framer under damage."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sensors.errors import ProtocolError
from sensors.protocol import (
    MAX_ENCODED_FRAME,
    MESSAGE_CLASSES,
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
    cobs_decode,
    cobs_encode,
    crc16_ccitt_false,
    decode_frame,
    encode_frame,
)


def samples_frame(count: int = 10, t0_us: int = 1000, seed: int = 0) -> SamplesFrame:
    raw = np.random.default_rng(seed).integers(-32768, 32768, size=(count, 6), dtype=np.int16)
    return SamplesFrame(t0_us, 5000, 16, 2000, raw)


ALL_MESSAGES = [
    samples_frame(),
    InfoFrame(bytes(range(8)), "xiao-nrf52840-lsm6ds3", (1, 2, 3), 200, 16, 2000, 91),
    StatusFrame(55, 0x03, 12, -1234),
    AckFrame(0x81, 65535, AckResult.BUSY),
    StartCommand(1000),
    StopCommand(),
    GetInfoCommand(),
    IdentifyCommand(5),
]


VECTORS = json.loads(
    (Path(__file__).resolve().parents[2] / "firmware_stubs/vectors/vectors.json").read_text()
)


def message_from_vector(case: dict):
    fields = dict(case["fields"])
    if "device_id_hex" in fields:
        fields["device_id"] = bytes.fromhex(fields.pop("device_id_hex"))
    if "fw_version" in fields:
        fields["fw_version"] = tuple(fields["fw_version"])
    if "raw" in fields:
        fields["raw"] = np.array(fields["raw"], dtype=np.int16)
    return MESSAGE_CLASSES[FrameType[case["type"]]](**fields)


@pytest.mark.parametrize("case", VECTORS["frames"], ids=lambda c: c["name"])
def test_golden_vectors_encode_and_decode(case):
    message = message_from_vector(case)
    wire = bytes.fromhex(case["wire_hex"])
    assert encode_frame(message, case["seq"]) == wire
    assert decode_frame(wire[:-1]) == (case["seq"], message)


def test_golden_vectors_cover_every_frame_type_and_cobs_edge():
    assert {c["type"] for c in VECTORS["frames"]} == {t.name for t in FrameType}
    for case in VECTORS["cobs"]:
        raw, encoded = bytes.fromhex(case["raw_hex"]), bytes.fromhex(case["cobs_hex"])
        assert cobs_encode(raw) == encoded and cobs_decode(encoded) == raw
    for case in VECTORS["crc16_ccitt_false"]:
        assert crc16_ccitt_false(bytes.fromhex(case["data_hex"])) == case["crc"]


def test_crc_check_value():
    assert crc16_ccitt_false(b"123456789") == 0x29B1


@pytest.mark.parametrize(
    ("raw", "encoded"),
    [
        (b"", b"\x01"),
        (b"\x00", b"\x01\x01"),
        (b"\x11\x22\x00\x33", b"\x03\x11\x22\x02\x33"),
        (b"\x11\x00\x00", b"\x02\x11\x01\x01"),
        (b"\x01" * 254, b"\xff" + b"\x01" * 254),
        (b"\x01" * 255, b"\xff" + b"\x01" * 254 + b"\x02\x01"),
        (b"\x01" * 254 + b"\x00", b"\xff" + b"\x01" * 254 + b"\x01\x01"),
    ],
)
def test_cobs_known_encodings(raw, encoded):
    assert cobs_encode(raw) == encoded
    assert cobs_decode(encoded) == raw


def test_cobs_decoder_accepts_the_non_minimal_final_block():
    assert cobs_decode(b"\xff" + b"\x01" * 254 + b"\x01") == b"\x01" * 254


@pytest.mark.parametrize("bad", [b"\x05\x01", b"\x00", b"\x03\x01\x00"])
def test_cobs_decode_rejects_malformed(bad):
    with pytest.raises(ProtocolError):
        cobs_decode(bad)


@given(st.binary(max_size=1200))
def test_cobs_round_trip(data):
    encoded = cobs_encode(data)
    assert 0 not in encoded
    assert cobs_decode(encoded) == data


@pytest.mark.parametrize("message", ALL_MESSAGES, ids=lambda m: type(m).__name__)
def test_every_message_round_trips(message):
    wire = encode_frame(message, 513)
    assert wire.endswith(b"\x00") and 0 not in wire[:-1]
    assert decode_frame(wire[:-1]) == (513, message)


def test_samples_layout_matches_the_spec():
    frame = SamplesFrame(0x01020304, 1000, 8, 500, np.array([[1, -1, 2, -2, 3, -32768]]))
    payload = frame.encode_payload()
    assert payload[:10] == bytes.fromhex("04030201e8030108f401")
    assert payload[10:] == bytes.fromhex("0100ffff0200feff03000080")


@pytest.mark.parametrize(
    "build",
    [
        lambda: SamplesFrame(0, 1000, 16, 2000, np.zeros((0, 6))),
        lambda: SamplesFrame(0, 1000, 16, 2000, np.zeros((41, 6))),
        lambda: SamplesFrame(0, 0, 16, 2000, np.zeros((1, 6))),
        lambda: SamplesFrame(2**32, 1000, 16, 2000, np.zeros((1, 6))),
        lambda: SamplesFrame(0, 1000, 16, 2000, np.full((1, 6), 40000)),
        lambda: InfoFrame(bytes(7), "x", (1, 0, 0), 100, 16, 2000),
        lambda: InfoFrame(bytes(8), "x" * 33, (1, 0, 0), 100, 16, 2000),
        lambda: AckFrame(0x81, 0, 9),
        lambda: StartCommand(70000),
    ],
)
def test_messages_refuse_values_the_wire_cannot_carry(build):
    with pytest.raises(ProtocolError):
        build()


def test_frame_split_anywhere_decodes_once():
    wire = b"".join(encode_frame(m, i) for i, m in enumerate(ALL_MESSAGES))
    for cut in range(len(wire) + 1):
        decoder = FrameDecoder()
        frames = decoder.feed(wire[:cut]) + decoder.feed(wire[cut:])
        assert [f.message for f in frames] == ALL_MESSAGES
    assert decoder.bad_frames == decoder.seq_gaps == decoder.discarded_bytes == 0


def test_byte_by_byte_and_many_frames_per_feed_agree():
    wire = b"".join(encode_frame(samples_frame(seed=i), i) for i in range(20))
    one = FrameDecoder().feed(wire)
    decoder = FrameDecoder()
    many = [f for i in range(len(wire)) for f in decoder.feed(wire[i : i + 1])]
    assert one == many and len(one) == 20
    assert decoder.bytes_received == len(wire) and decoder.frames_ok == 20


def test_sequence_gaps_counted_across_the_wrap():
    decoder = FrameDecoder()
    message = StatusFrame()
    for seq in (65533, 65534, 1, 2, 5):  # missing 65535, 0, 3, 4
        decoder.feed(encode_frame(message, seq))
    assert decoder.seq_gaps == 4 and decoder.frames_ok == 5


def test_sequence_restart_is_not_a_gap():
    decoder = FrameDecoder()
    for seq in (100, 101, 0, 1, 1):  # device reset to 0, then a duplicate
        decoder.feed(encode_frame(StatusFrame(), seq))
    assert decoder.seq_gaps == 0 and decoder.frames_ok == 5


def test_mid_stream_start_discards_the_partial_frame_without_counting_it_bad():
    first, second = encode_frame(samples_frame(seed=1), 7), encode_frame(samples_frame(), 8)
    decoder = FrameDecoder()
    frames = decoder.feed(first[40:] + second)
    assert [f.seq for f in frames] == [8]
    assert decoder.bad_frames == 0 and decoder.discarded_bytes == len(first) - 41


def test_damaged_frame_costs_only_itself():
    frames = [encode_frame(samples_frame(seed=i), i) for i in range(3)]
    damaged = bytearray(frames[1])
    damaged[20] ^= 0x10
    decoder = FrameDecoder()
    got = decoder.feed(frames[0] + bytes(damaged) + frames[2])
    assert [f.seq for f in got] == [0, 2]
    assert decoder.bad_frames == 1 and decoder.seq_gaps == 1
    assert decoder.discarded_bytes == len(damaged) - 1


def test_valid_crc_with_unknown_type_is_bad_but_not_a_gap():
    body = bytes([0x7E, 1, 0, 0xAA])
    body += crc16_ccitt_false(body).to_bytes(2, "little")
    stream = encode_frame(StatusFrame(), 0) + cobs_encode(body) + b"\x00"
    stream += encode_frame(StatusFrame(), 2)
    decoder = FrameDecoder()
    assert [f.seq for f in decoder.feed(stream)] == [0, 2]
    assert decoder.bad_frames == 1 and decoder.seq_gaps == 0


def test_endless_garbage_is_bounded_and_counted_once():
    decoder = FrameDecoder()
    decoder.feed(b"\x00")
    for _ in range(50):
        decoder.feed(b"\x55" * 1000)
    assert len(decoder._pending) <= MAX_ENCODED_FRAME
    got = decoder.feed(b"\x00" + encode_frame(StatusFrame(), 3))
    assert [f.seq for f in got] == [3]
    assert decoder.bad_frames == 1 and decoder.discarded_bytes == 50_000


def test_resync_drops_the_half_frame():
    wire = encode_frame(samples_frame(), 0)
    decoder = FrameDecoder()
    decoder.feed(wire[:30])
    decoder.resync()
    assert decoder.feed(wire[30:]) == []
    assert decoder.bad_frames == 0 and decoder.discarded_bytes == len(wire) - 1
    assert [f.seq for f in decoder.feed(encode_frame(StatusFrame(), 1))] == [1]


# --- property: damage costs at most the damaged frames ------------------------------------------

int16s = st.integers(-32768, 32767)
messages = st.one_of(
    st.builds(
        lambda rows, t0: SamplesFrame(t0, 1000, 16, 2000, np.array(rows, dtype=np.int16)),
        st.lists(st.lists(int16s, min_size=6, max_size=6), min_size=1, max_size=40),
        st.integers(0, 2**32 - 1),
    ),
    st.builds(StatusFrame, st.integers(0, 255), st.integers(0, 255), st.integers(0, 2**32 - 1)),
    st.builds(AckFrame, st.integers(0, 255), st.integers(0, 65535), st.sampled_from(AckResult)),
    st.builds(StartCommand, st.integers(0, 65535)),
)
damages = st.lists(
    st.tuples(
        st.sampled_from(["flip", "cut", "garbage"]),
        st.integers(0, 10**6),  # which frame (mod count)
        st.integers(0, 10**6),  # where in it (mod its length)
        st.integers(0, 10**6),  # bit, cut length
        st.binary(min_size=1, max_size=40),  # garbage to insert
    ),
    max_size=6,
)


@settings(max_examples=120, deadline=None)
@given(
    st.lists(messages, min_size=1, max_size=25),
    st.integers(0, 65535),
    damages,
    st.lists(st.integers(1, 300), min_size=1, max_size=20),
)
def test_decoder_survives_damage_and_reports_it(msgs, seq0, damage, chunk_sizes):
    seqs = [(seq0 + i) & 0xFFFF for i in range(len(msgs))]
    wires = [bytearray(encode_frame(m, s)) for m, s in zip(msgs, seqs, strict=True)]
    damaged: set[int] = set()
    for kind, which, where, amount, garbage in damage:
        i = which % len(wires)
        wire = wires[i]
        if not wire:
            continue
        pos = where % len(wire)
        last = len(wire) - 1
        if kind == "flip":
            wire[pos] ^= 1 << (amount % 8)
            hits_delimiter = pos == last
        elif kind == "cut":
            end = pos + 1 + amount % 30
            del wire[pos:end]
            hits_delimiter = end > last
        else:
            wire[pos:pos] = garbage
            hits_delimiter = False
            if pos == 0 and garbage.endswith(b"\x00"):
                continue  # garbage chunks of their own: the frame after them is untouched
        damaged.add(i)
        if hits_delimiter:
            damaged.add(i + 1)  # this frame's remains merge into the next one
    stream = b"".join(wires) + b"\x00"  # a final lone delimiter flushes the receiver

    decoder = FrameDecoder()
    got = []
    start = 0
    for size in chunk_sizes * (len(stream) // sum(chunk_sizes) + 1):
        got += decoder.feed(stream[start : start + size])
        start += size
    assert start >= len(stream)

    by_seq = dict(zip(seqs, msgs, strict=True))
    for frame in got:
        assert by_seq[frame.seq] == frame.message
    decoded = [seqs.index(f.seq) for f in got]
    assert decoded == sorted(decoded)
    for i in range(len(msgs)):
        assert i in damaged or i in decoded, f"undamaged frame {i} was lost"
    assert decoder.frames_ok == len(got)
    assert decoder.bytes_received == len(stream)
    if decoded:
        assert decoder.seq_gaps == decoded[-1] - decoded[0] + 1 - len(decoded)
    good_bytes = sum(len(encode_frame(f.message, f.seq)) - 1 for f in got)
    assert decoder.discarded_bytes + good_bytes == len(stream) - stream.count(0)
    lost = [i for i in range(len(msgs)) if i not in decoded]
    if decoded and any(i > decoded[0] and wires[i].strip(b"\x00") for i in lost):
        assert decoder.bad_frames > 0  # after the first good frame, damaged remains are bad
