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


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding); undecodable bytes become U+FFFD rather than an error."""
    encoding = detect_encoding(data)
    text = data.decode(encoding, errors="replace")
    return text.removeprefix("\ufeff"), encoding
