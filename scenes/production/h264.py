"""Just enough H.264 bitstream reading to number a copied frame as the next one.

A held picture (a ``wait``) is the same frame many times over. Once x264 has coded it into a P
frame that changes nothing (every macroblock skipped), that frame's packet can stand for every
further repeat; only two fields of its slice header say where it sits in the stream:
``frame_num`` (counts reference frames) and ``pic_order_cnt_lsb`` (display order). Both are
fixed-width fields, so renumbering rewrites bits in place and the header keeps its length: the
entropy-coded slice data after it is untouched. Everything else about the stream (parameter
sets, profile, the encoder's settings) is x264's own. See ITU-T H.264 sections 7.3.1
(emulation prevention), 7.3.2.1 (SPS), 7.3.2.2 (PPS) and 7.3.3 (slice header).

Only what x264 writes for progressive video is read; anything else raises
:class:`UnsupportedStream`, and the caller encodes every frame instead.
"""

from dataclasses import dataclass

SLICE_TYPES = (1, 5)  # coded slice of a non-IDR picture, of an IDR picture
SPS_TYPE = 7
PPS_TYPE = 8
# Profiles whose SPS carries chroma format, bit depths and scaling matrices (7.3.2.1.1).
HIGH_PROFILES = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135}


class UnsupportedStream(ValueError):
    """A stream this module does not read (interlaced, scaling lists, POC type 1, ...)."""


def nal_units(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each NAL unit's bytes in an Annex B byte stream, start codes excluded."""
    starts = []
    index = data.find(b"\x00\x00\x01")
    while index >= 0:
        starts.append(index + 3)
        index = data.find(b"\x00\x00\x01", index + 3)
    units = []
    for number, start in enumerate(starts):
        end = starts[number + 1] - 3 if number + 1 < len(starts) else len(data)
        # A four-byte start code leaves a zero byte at the end of the previous unit.
        while number + 1 < len(starts) and end > start and data[end - 1] == 0:
            end -= 1
        units.append((start, end))
    return units


def unescape(payload: bytes) -> bytearray:
    """The raw bits of a NAL unit: every emulation-prevention byte (00 00 03 -> 00 00) removed."""
    raw = bytearray()
    zeros = 0
    for byte in payload:
        if zeros >= 2 and byte == 3:
            zeros = 0
            continue
        raw.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return raw


def escape(raw: bytes) -> bytes:
    """The inverse of :func:`unescape`: a 03 after two zero bytes wherever a start code could be
    read (before 00, 01, 02 or 03), and after a final zero byte (section 7.4.1).
    """
    out = bytearray()
    zeros = 0
    for byte in raw:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    if zeros >= 2:
        out.append(3)
    return bytes(out)


class BitReader:
    """Big-endian bit reader over raw NAL bits (exp-Golomb codes as in section 9.1)."""

    def __init__(self, raw: bytes | bytearray, position: int = 0) -> None:
        self.raw = raw
        self.position = position

    def bit(self) -> int:
        if self.position >= 8 * len(self.raw):
            raise UnsupportedStream("NAL unit ends inside its header")
        value = (self.raw[self.position >> 3] >> (7 - (self.position & 7))) & 1
        self.position += 1
        return value

    def bits(self, count: int) -> int:
        value = 0
        for _ in range(count):
            value = (value << 1) | self.bit()
        return value

    def ue(self) -> int:
        leading = 0
        while self.bit() == 0:
            leading += 1
            if leading > 31:
                raise UnsupportedStream("exp-Golomb code longer than 32 bits")
        return (1 << leading) - 1 + self.bits(leading)

    def se(self) -> int:
        code = self.ue()
        return (code + 1) // 2 if code % 2 else -(code // 2)


def write_bits(raw: bytearray, position: int, count: int, value: int) -> None:
    """Overwrite ``count`` bits of ``raw`` at bit ``position`` with ``value`` (big-endian)."""
    for offset in range(count):
        bit = (value >> (count - 1 - offset)) & 1
        index, shift = divmod(position + offset, 8)
        mask = 1 << (7 - shift)
        raw[index] = (raw[index] | mask) if bit else (raw[index] & ~mask)


@dataclass(frozen=True)
class SliceLayout:
    """What a slice header's layout depends on, read from the stream's parameter sets."""

    log2_max_frame_num: int
    poc_type: int
    log2_max_poc_lsb: int
    max_num_ref_frames: int
    separate_colour_plane: bool
    # Per PPS id: bottom_field_pic_order_in_frame_present_flag.
    bottom_field_pic_order: dict[int, bool]

    @property
    def max_frame_num(self) -> int:
        return 1 << self.log2_max_frame_num

    @property
    def max_poc_lsb(self) -> int:
        return 1 << self.log2_max_poc_lsb


def _sps(raw: bytes | bytearray) -> tuple[int, int, int, int, bool]:
    reader = BitReader(raw, 8)  # after the NAL header byte
    profile = reader.bits(8)
    reader.bits(16)  # constraint flags, level
    reader.ue()  # seq_parameter_set_id
    separate_colour_plane = False
    if profile in HIGH_PROFILES:
        chroma_format = reader.ue()
        if chroma_format == 3:
            separate_colour_plane = bool(reader.bit())
        reader.ue()  # bit_depth_luma_minus8
        reader.ue()  # bit_depth_chroma_minus8
        reader.bit()  # qpprime_y_zero_transform_bypass_flag
        if reader.bit():
            raise UnsupportedStream("SPS with scaling matrices")
    log2_max_frame_num = reader.ue() + 4
    poc_type = reader.ue()
    log2_max_poc_lsb = 0
    if poc_type == 0:
        log2_max_poc_lsb = reader.ue() + 4
    elif poc_type != 2:
        raise UnsupportedStream(f"picture order count type {poc_type}")
    max_num_ref_frames = reader.ue()
    reader.bit()  # gaps_in_frame_num_value_allowed_flag
    reader.ue()  # pic_width_in_mbs_minus1
    reader.ue()  # pic_height_in_map_units_minus1
    if not reader.bit():
        raise UnsupportedStream("interlaced stream (frame_mbs_only_flag = 0)")
    return log2_max_frame_num, poc_type, log2_max_poc_lsb, max_num_ref_frames, separate_colour_plane


def _pps(raw: bytes | bytearray) -> tuple[int, bool]:
    reader = BitReader(raw, 8)
    pps_id = reader.ue()
    reader.ue()  # seq_parameter_set_id
    reader.bit()  # entropy_coding_mode_flag
    return pps_id, bool(reader.bit())


def slice_layout(parameter_sets: bytes) -> SliceLayout:
    """The layout from an Annex B byte string holding one SPS and its PPSs (x264's extradata)."""
    sps = None
    bottom: dict[int, bool] = {}
    for start, end in nal_units(parameter_sets):
        raw = unescape(parameter_sets[start:end])
        kind = raw[0] & 0x1F
        if kind == SPS_TYPE:
            if sps is not None:
                raise UnsupportedStream("more than one SPS")
            sps = _sps(raw)
        elif kind == PPS_TYPE:
            pps_id, flag = _pps(raw)
            bottom[pps_id] = flag
    if sps is None or not bottom:
        raise UnsupportedStream("no SPS or no PPS in the parameter sets")
    return SliceLayout(*sps, bottom_field_pic_order=bottom)


@dataclass(frozen=True)
class SliceNumbers:
    """Where a slice sits in the stream, and where those fields are in its raw bits."""

    idr: bool
    slice_type: int
    frame_num: int
    frame_num_at: int
    poc_lsb: int | None
    poc_lsb_at: int | None


def slice_numbers(raw: bytes | bytearray, layout: SliceLayout) -> SliceNumbers:
    """Read the numbering fields of one slice NAL unit's raw bits (:func:`unescape` d)."""
    kind = raw[0] & 0x1F
    if kind not in SLICE_TYPES:
        raise UnsupportedStream(f"NAL unit type {kind} is not a slice")
    reader = BitReader(raw, 8)
    reader.ue()  # first_mb_in_slice
    slice_type = reader.ue() % 5
    pps_id = reader.ue()
    if pps_id not in layout.bottom_field_pic_order:
        raise UnsupportedStream(f"slice refers to unknown PPS {pps_id}")
    if layout.separate_colour_plane:
        reader.bits(2)
    frame_num_at = reader.position
    frame_num = reader.bits(layout.log2_max_frame_num)
    if kind == 5:
        reader.ue()  # idr_pic_id
    poc_lsb = poc_lsb_at = None
    if layout.poc_type == 0:
        poc_lsb_at = reader.position
        poc_lsb = reader.bits(layout.log2_max_poc_lsb)
    return SliceNumbers(kind == 5, slice_type, frame_num, frame_num_at, poc_lsb, poc_lsb_at)


def packet_numbers(packet: bytes, layout: SliceLayout) -> list[SliceNumbers]:
    """The numbering of every slice of one Annex B packet (one per slice; x264 writes one)."""
    numbers = []
    for start, end in nal_units(packet):
        raw = unescape(packet[start:end])
        if raw and raw[0] & 0x1F in SLICE_TYPES:
            numbers.append(slice_numbers(raw, layout))
    if not numbers:
        raise UnsupportedStream("packet holds no slice")
    return numbers


def renumbered(packet: bytes, layout: SliceLayout, frame_num: int, poc_lsb: int | None) -> bytes:
    """``packet`` (Annex B, non-IDR slices) with every slice's ``frame_num`` and, for POC type 0,
    ``pic_order_cnt_lsb`` set to the given values (taken modulo their ranges).
    """
    out = bytearray()
    previous_end = 0
    for start, end in nal_units(packet):
        out += packet[previous_end:start]
        raw = unescape(packet[start:end])
        if raw and raw[0] & 0x1F in SLICE_TYPES:
            numbers = slice_numbers(raw, layout)
            if numbers.idr:
                raise UnsupportedStream("an IDR slice cannot be renumbered into a copy")
            write_bits(
                raw,
                numbers.frame_num_at,
                layout.log2_max_frame_num,
                frame_num % layout.max_frame_num,
            )
            if numbers.poc_lsb_at is not None and poc_lsb is not None:
                write_bits(
                    raw,
                    numbers.poc_lsb_at,
                    layout.log2_max_poc_lsb,
                    poc_lsb % layout.max_poc_lsb,
                )
            out += escape(bytes(raw))
        else:
            out += packet[start:end]
        previous_end = end
    out += packet[previous_end:]
    return bytes(out)
