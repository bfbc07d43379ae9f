"""ROM images: the bytes an HLS project's ROM sources become, for the C simulation to link.

A ROM source (`params/NAME.cpp`, printed by `emitter.emit_rom`) defines a constant array of
`ap_int`/`ap_uint` entries. g++ compiles such an initializer at about 0.1 ms an entry, a
constructor call each: most of the C simulation's compile time for large networks. The C
simulation instead reads the entries' literals and writes the array's object representation
under hls4ml's `ap_int` (`ap_private`: an entry of up to 64 bits is one integer of 1, 2, 4 or 8
bytes holding its value sign- or zero-extended; a wider one is little-endian 64-bit words, the
top one extended the same way) as data under the array's symbol. Nothing else changes: the top
that reads the ROM is the project's C++.

A source is read only if it is exactly what the emitter prints for the entries found in it
(anything else is compiled as C++). `check_source` constructs sampled entries with `ap_int`
from their literals at start-up and compares them with the image, byte for byte, so the image
is checked against `ap_int`'s own reading of the source.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import numpy as np
from bnnc.backends.hls_cpp.emitter import rom_definition

SAMPLES = 64  # entries a ROM checks at start-up, spread over it (and its extremes)
BYTES_PER_LINE = 48

_DEFINITION = re.compile(r'#include "params/(\w+)\.h"\n\nconst (ap_(u?)int<(\d+)>) (\w+)((?:\[\d+\])+) = ')
_ENTRY = re.compile(r'ap_u?int<\d+>\("0x[0-9a-f]+", 16\)|0x[0-9a-f]+ULL|-?[0-9]+')
_WIDE = re.compile(r'(ap_u?int<\d+>)\("0x([0-9a-f]+)", 16\)')
_ESCAPES = [f"\\x{b:02x}" for b in range(256)]  # each byte escaped: no hex digit follows one


@dataclass(frozen=True)
class RomImage:
    """A ROM as data: its array (`ctype name[dims]`), its bytes and sampled entries' literals."""

    name: str
    ctype: str
    width: int
    signed: bool
    dims: tuple[int, ...]
    data: bytes
    samples: tuple[tuple[int, str], ...]  # (row-major index, literal as printed)


def entry_bytes(width: int) -> int:
    """sizeof(ap_int<width>) under hls4ml: the smallest of 1, 2, 4, 8 bytes, else 64-bit words."""
    if width <= 64:
        return {1: 1, 2: 2, 3: 4, 4: 4}.get(-(-width // 8), 8)
    return 8 * -(-width // 64)


def literal_values(tokens: list[str], ctype: str) -> list[int]:
    """The integers the entries' literals denote (before their conversion to the entry type).

    The emitter prints one form for all entries of a ROM: `0x…ULL` (unsigned, up to 64 bits),
    decimal (signed, up to 64 bits) or `ap_(u)int<N>("0x…", 16)` (wider); the others fail."""
    joined = "".join(tokens)
    if joined.count("ULL") == len(tokens):
        return [int(t[2:-3], 16) for t in tokens]
    if "x" not in joined:
        return list(map(int, tokens))
    values = []
    for token in tokens:
        match = _WIDE.fullmatch(token)
        if match is None or match.group(1) != ctype:
            raise ValueError(f"an entry of another form or type than {ctype}: {token}")
        values.append(int(match.group(2), 16))
    return values


def encode(values: list[int], width: int, signed: bool) -> bytes:
    """The object representation of entries of `ap_(u)int<width>` holding `values` (taken
    modulo 2**width, as the conversion to the type does), in the host's byte order."""
    size = entry_bytes(width)
    if width <= 64:
        bits = np.array([v & 0xFFFFFFFFFFFFFFFF for v in values], dtype=np.uint64)
        if width < 64:
            bits &= np.uint64((1 << width) - 1)
            if signed:  # sign-extend from bit width - 1
                negative = (bits >> np.uint64(width - 1)) & np.uint64(1) == 1
                bits = np.where(negative, bits | np.uint64(~((1 << width) - 1) & 0xFFFFFFFFFFFFFFFF), bits)
        kind = "i" if signed else "u"
        typed = bits.view(np.int64) if signed else bits
        return typed.astype(np.dtype(f"={kind}{size}")).tobytes()
    out = bytearray()
    words = size // 8
    for v in values:
        v %= 1 << width
        if signed and v >> (width - 1):
            v |= (1 << (64 * words)) - (1 << width)
        for w in range(words):
            out += ((v >> (64 * w)) & 0xFFFFFFFFFFFFFFFF).to_bytes(8, sys.byteorder)
    return bytes(out)


def _samples(values: list[int], tokens: list[str]) -> tuple[tuple[int, str], ...]:
    n = len(values)
    picks = {round(i * (n - 1) / max(1, SAMPLES - 1)) for i in range(SAMPLES)}
    picks |= {values.index(min(values)), values.index(max(values))}
    return tuple((i, tokens[i]) for i in sorted(picks))


def read_rom_source(text: str, header: str | None = None) -> RomImage | None:
    """The image of a ROM source, or None if the source is not exactly as the emitter prints it
    (or its header, if given, does not declare the array it defines)."""
    first_newline = text.find("\n")
    body = text[first_newline + 1 :]
    match = _DEFINITION.match(body)
    if match is None or match.group(1) != match.group(5):
        return None
    ctype, unsigned, width, name = match.group(2), match.group(3), int(match.group(4)), match.group(5)
    dims = tuple(int(d) for d in re.findall(r"\d+", match.group(6)))
    tokens = _ENTRY.findall(body, match.end())
    if len(tokens) != int(np.prod(dims)) or rom_definition(ctype, name, dims, tokens) != body:
        return None
    if header is not None and f"extern const {ctype} {name}{match.group(6)};" not in header:
        return None
    try:
        values = literal_values(tokens, ctype)
    except ValueError:
        return None
    signed = not unsigned
    data = encode(values, width, signed)
    return RomImage(name, ctype, width, signed, dims, data, _samples(values, tokens))


def image_source(images: list[RomImage]) -> str:
    """C++ that defines every ROM's symbol as its bytes (no header needed: only data)."""
    lines = [
        "// ROM images of the C simulation (bnnc/backends/hls_cpp/rom_image.py): each ROM's array",
        "// as ap_int lays it out, defined under the array's symbol.",
        "#define BNNC_STR(x) #x",
        "#define BNNC_XSTR(x) BNNC_STR(x)",
        "#define BNNC_SYMBOL(name) __asm__(BNNC_XSTR(__USER_LABEL_PREFIX__) #name)",
    ]
    for image in images:
        size = len(image.data) + 1  # room for the string literal's terminating NUL
        variable = f"bnnc_image_{image.name}"
        lines.append("")
        lines.append(f"extern const unsigned char {variable}[{size}] BNNC_SYMBOL({image.name});")
        lines.append(f"alignas(16) const unsigned char {variable}[{size}] =")
        escaped = "".join(map(_ESCAPES.__getitem__, image.data))  # 4 characters a byte
        step = 4 * BYTES_PER_LINE
        lines += [f'    "{escaped[i : i + step]}"' for i in range(0, len(escaped), step)]
        lines[-1] += ";"
    return "\n".join(lines) + "\n"


def _sample_table(image: RomImage) -> tuple[str, str]:
    """The C++ type and initializer of a table of the sampled entries' literals, each as the
    constructor of the entry type receives it in the source: an unsigned long long (`0x…ULL`),
    an integer (decimal) or a hex string with radix 16 (the wide entries' `ap_int(s, 16)`)."""
    tokens = [token for _, token in image.samples]
    if all(t.endswith("ULL") for t in tokens):
        return "unsigned long long", ", ".join(tokens)
    if all(t.startswith("ap_") for t in tokens):
        return "char *const", ", ".join(_WIDE.fullmatch(t).group(2).join(('"0x', '"')) for t in tokens)
    return "long long", ", ".join(f"{t}LL" for t in tokens)


def check_source(images: list[RomImage]) -> str:
    """C++ (after the ROMs' declarations) that compares sampled entries of every image with the
    entries ap_int builds from the same literals, before main; a difference is reported on
    stderr and fails the run. The literals are data in tables (a line of C++ a sample would
    cost g++ more than the images save)."""
    lines = [
        "",
        "// The ROM images against ap_int's reading of the ROM sources' literals (sampled entries).",
        "#include <cstdio>",
        "#include <cstdlib>",
        "#include <cstring>",
        "",
        "namespace bnnc_csim {",
        "template <typename T> T entry(unsigned long long literal) { return T(literal); }",
        "template <typename T> T entry(long long literal) { return T(literal); }",
        "template <typename T> T entry(const char *literal) { return T(literal, 16); }",
        "",
        "template <typename T, typename L, int N>",
        "int differs(const char *rom, const T *entries, const unsigned long (&indices)[N], const L (&literals)[N]) {",
        "  int bad = 0;",
        "  for (int i = 0; i < N; i++) {",
        "    const T expected = entry<T>(literals[i]);",
        "    if (std::memcmp(&entries[indices[i]], &expected, sizeof(T)) == 0) continue;",
        '    std::fprintf(stderr, "csim: the image of ROM %s differs from its source at entry %lu\\n", rom, indices[i]);',
        "    bad++;",
        "  }",
        "  return bad;",
        "}",
        "",
        "int check_rom_images() {",
        "  int bad = 0;",
    ]
    for image in images:
        first = image.name + "[0]" * len(image.dims)
        ltype, literals = _sample_table(image)
        indices = ", ".join(str(i) for i, _ in image.samples)
        lines += [
            "  {",
            f"    static_assert(sizeof({image.name}) == {len(image.data)}, \"ap_int's layout changed\");",
            f"    static const unsigned long indices[] = {{{indices}}};",
            f"    static const {ltype} literals[] = {{{literals}}};",
            f'    bad += differs("{image.name}", &{first}, indices, literals);',
            "  }",
        ]
    lines += [
        "  if (bad) std::exit(1);",
        "  return 0;",
        "}",
        "",
        "const int rom_images_checked = check_rom_images();",
        "}  // namespace bnnc_csim",
    ]
    return "\n".join(lines) + "\n"
