"""The bit-level H.264 reading and renumbering of scenes/production/h264.py, checked against
the standard's exp-Golomb table, random byte strings, and streams x264 wrote (read back by
FFmpeg's decoder where it matters)."""

from fractions import Fraction

import av
import numpy as np
import pytest
from av.video.frame import PictureType

from scenes.production import h264

# ITU-T H.264 table 9-2: bit strings of ue(v) codes 0..8.
EXP_GOLOMB = ["1", "010", "011", "00100", "00101", "00110", "00111", "0001000", "0001001"]


def test_exp_golomb_codes_read_as_the_standard_tabulates_them():
    bits = "".join(EXP_GOLOMB)
    raw = int(bits + "0" * (-len(bits) % 8), 2).to_bytes((len(bits) + 7) // 8, "big")
    reader = h264.BitReader(raw)
    assert [reader.ue() for _ in EXP_GOLOMB] == list(range(9))
    # se(v): codeNum k maps to 0, 1, -1, 2, -2, ... (table 9-3)
    reader = h264.BitReader(raw)
    assert [reader.se() for _ in EXP_GOLOMB] == [0, 1, -1, 2, -2, 3, -3, 4, -4]


def test_write_bits_then_read_back():
    rng = np.random.default_rng(0)
    raw = bytearray(rng.integers(0, 256, 16, dtype=np.uint8).tobytes())
    for position, count in [(0, 4), (3, 9), (17, 6), (60, 12)]:
        value = int(rng.integers(0, 1 << count))
        h264.write_bits(raw, position, count, value)
        assert h264.BitReader(bytes(raw), position).bits(count) == value


def test_emulation_prevention_round_trips_and_hides_start_codes():
    rng = np.random.default_rng(1)
    for _ in range(300):
        # Mostly zeros and small values: where start codes and 03 bytes come from.
        body = bytes(rng.choice([0, 0, 0, 1, 2, 3, 4, 255], size=int(rng.integers(1, 40))))
        # An RBSP ends with its stop bit, then perhaps cabac_zero_words (two zero bytes each).
        raw = body + b"\x80" + b"\x00\x00" * int(rng.integers(0, 3))
        escaped = h264.escape(raw)
        assert bytes(h264.unescape(escaped)) == raw
        for forbidden in (b"\x00\x00\x00", b"\x00\x00\x01", b"\x00\x00\x02"):
            assert forbidden not in escaped
        assert not escaped.endswith(b"\x00")  # a final 03 after cabac_zero_words (7.4.1)


def _x264_stream(frames: int = 40, rate: int = 60):
    """Packets (Annex B) of a held picture x264 coded as IDR + P frames, and its SPS/PPS."""
    codec = av.CodecContext.create("libx264", "w")
    codec.width, codec.height, codec.pix_fmt = 320, 192, "yuv420p"
    codec.time_base, codec.framerate = Fraction(1, rate), Fraction(rate)
    codec.options = {"crf": "23", "preset": "superfast"}
    codec.flags |= av.codec.context.Flags.global_header
    rng = np.random.default_rng(2)
    picture = rng.integers(0, 256, (12, 20, 4), dtype=np.uint8).repeat(16, 0).repeat(16, 1)
    frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(picture), format="rgba")
    frame = frame.reformat(format="yuv420p")
    packets = []
    for number in range(frames):
        frame.pts = number
        frame.pict_type = PictureType.I if number == 0 else PictureType.P
        packets += codec.encode(frame)
    packets += codec.encode(None)
    return [bytes(p) for p in packets], bytes(codec.extradata)


def test_slice_numbers_of_x264_p_frames_count_on():
    packets, parameter_sets = _x264_stream()
    layout = h264.slice_layout(parameter_sets)
    numbers = [h264.packet_numbers(p, layout)[0] for p in packets]
    assert numbers[0].idr and not any(n.idr for n in numbers[1:])
    assert all(n.slice_type == 0 for n in numbers[1:])  # P
    for index, n in enumerate(numbers):
        assert n.frame_num == index % layout.max_frame_num
        if layout.poc_type == 0:
            # x264 counts display order in steps of 2 (one per field).
            assert n.poc_lsb == (2 * index) % layout.max_poc_lsb


def test_renumbered_packets_read_back_with_their_new_numbers_and_decode():
    packets, parameter_sets = _x264_stream(40)
    layout = h264.slice_layout(parameter_sets)
    last = packets[-1]
    assert h264.renumbered(last, layout, *_numbers(last, layout)) == last  # identity
    follow_on = []
    for step in range(1, 3 * layout.max_frame_num):  # past several wraps of frame_num
        number = len(packets) - 1 + step
        data = h264.renumbered(last, layout, number, 2 * number)
        assert _numbers(data, layout) == (
            number % layout.max_frame_num,
            (2 * number) % layout.max_poc_lsb if layout.poc_type == 0 else None,
        )
        follow_on.append(data)
    decoder = av.CodecContext.create("h264", "r")
    decoder.extradata = parameter_sets
    pictures = []
    for index, data in enumerate(packets + follow_on):
        packet = av.Packet(data)
        packet.pts = index
        pictures += decoder.decode(packet)
    pictures += decoder.decode(None)
    assert len(pictures) == len(packets) + len(follow_on)
    assert [p.pts for p in pictures] == list(range(len(pictures)))


def _numbers(packet, layout):
    numbers = h264.packet_numbers(packet, layout)[0]
    return numbers.frame_num, numbers.poc_lsb


def test_an_idr_slice_is_not_renumbered_and_garbage_is_refused():
    packets, parameter_sets = _x264_stream(3)
    layout = h264.slice_layout(parameter_sets)
    with pytest.raises(h264.UnsupportedStream):
        h264.renumbered(packets[0], layout, 5, 10)
    with pytest.raises(h264.UnsupportedStream):
        h264.slice_layout(b"\x00\x00\x01\x09\xf0")  # an access unit delimiter only
    with pytest.raises(h264.UnsupportedStream):
        h264.packet_numbers(b"\x00\x00\x01\x06\x05\x01\x00\x80", layout)  # SEI, no slice
