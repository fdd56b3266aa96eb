"""Turning uploaded bytes into text in the encodings people actually produce.

Order of trust: a byte-order mark (UTF-8, UTF-16 from Excel's "Unicode text"), then strict UTF-8,
then UTF-16 without a BOM (NUL in every other byte), then charset-normalizer's best guess, and
Windows-1252 as the last resort because it decodes any byte and is what Excel on Windows writes.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


_LATIN = {
    "utf_8",
    "ascii",
    "cp1250",
    "cp1252",
    "cp1254",
    "cp1257",
    "latin_1",
    "iso8859_2",
    "iso8859_9",
    "iso8859_15",
    "mac_roman",
    "mac_latin2",
}


def _nul_pattern_encoding(head: bytes) -> str | None:
    if len(head) < 4 or head.count(b"\x00") < len(head) // 3:
        return None
    return "utf-16-le" if head[1::2].count(b"\x00") > head[0::2].count(b"\x00") else "utf-16-be"


def detect_encoding(data: bytes) -> str:
    """The encoding to decode the bytes with (a Python codec name)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if guess := _nul_pattern_encoding(data[:4096]):
        return guess
    best = from_bytes(data[:200_000]).best()
    # Among Latin single-byte code pages a short sample cannot tell them apart; Excel on Windows
    # in Western locales writes cp1252, so that wins unless the guess is another script.
    if best is not None and best.encoding not in _LATIN and _decodes(data, best.encoding):
        return best.encoding
    return "cp1252"


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


MIXED = "utf-8 and cp1252 (mixed)"


def _line_decoded(line: bytes) -> tuple[str, bool]:
    """(text, was UTF-8) for one line of a file whose lines disagree on their encoding."""
    try:
        return line.decode("utf-8"), True
    except UnicodeDecodeError:
        return line.decode("cp1252", errors="replace"), False


def mixed_lines(data: bytes) -> tuple[str, int] | None:
    """(text, lines read as cp1252) when some lines are UTF-8 with accents and others are not.

    A file pasted together from two sources (a UTF-8 export plus rows typed in Excel on
    Windows) decoded whole as cp1252 turns every UTF-8 accent into mojibake; line by line, each
    line is read in the encoding it is in.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        return None
    lines = data.removeprefix(codecs.BOM_UTF8).split(b"\n")
    decoded = [_line_decoded(line) for line in lines]
    utf8_accented = sum(
        1 for line, (_, ok) in zip(lines, decoded, strict=True) if ok and not line.isascii()
    )
    cp1252 = sum(1 for _, ok in decoded if not ok)
    if not utf8_accented or not cp1252:
        return None
    return "\n".join(text for text, _ in decoded), cp1252


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding); undecodable bytes become U+FFFD rather than an error."""
    if not _decodes(data, "utf-8") and (mixed := mixed_lines(data)) is not None:
        return mixed[0], MIXED
    encoding = detect_encoding(data)
    text = data.decode(encoding, errors="replace")
    return text.removeprefix("\ufeff"), encoding
