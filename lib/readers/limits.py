"""Whole-file limits for uploads: size, rows, emptiness, binary content and ZIP bombs.

A problem with the whole file raises `UploadRejected` with a message a librarian can act on; a
problem with one row is never an exception, it is an entry in the validation report.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from lib.settings import Settings

MB = 1024 * 1024


class UploadRejected(ValueError):
    """The file as a whole cannot be used; the message says why and what to do.

    `fields` lists the file's columns when it was readable but no identifier column was found,
    so the person can point at the right one by hand.
    """

    def __init__(self, message: str, *, fields: list[str] | None = None) -> None:
        super().__init__(message)
        self.fields = list(fields or [])


@dataclass(frozen=True)
class Limits:
    """Configurable ceilings; environment variables override the defaults."""

    max_bytes: int = 250 * MB
    max_rows: int = 500_000
    max_unzipped_bytes: int = 1024 * MB
    max_zip_ratio: float = 100.0
    # Small sheets of repetitive XML legitimately compress 100:1; only big expansions are bombs.
    ratio_applies_above: int = 64 * MB

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """Defaults, overridden by TRIANGULATE_MAX_UPLOAD_MB and TRIANGULATE_MAX_ROWS."""
        base = cls()
        mb, rows = settings.max_upload_mb, settings.max_rows
        return cls(
            max_bytes=int(mb * MB) if mb is not None else base.max_bytes,
            max_rows=rows if rows is not None else base.max_rows,
        )


def _size(n: int) -> str:
    return f"{n / MB:,.1f} MB" if n >= MB else f"{n:,} bytes"


def check_size(size: int, limits: Limits) -> None:
    """Reject empty files and files over the size limit before reading them."""
    if size == 0:
        raise UploadRejected("The file is empty: there is nothing to import.")
    if size > limits.max_bytes:
        raise UploadRejected(
            f"The file is {_size(size)}, over the {_size(limits.max_bytes)} upload limit. "
            "Split it into smaller files, or raise TRIANGULATE_MAX_UPLOAD_MB."
        )


def check_rows(rows: int, limits: Limits) -> None:
    """Reject files with more records than the row limit."""
    if rows > limits.max_rows:
        raise UploadRejected(
            f"The file has {rows:,} records, over the {limits.max_rows:,} row limit. "
            "Split it into smaller files, or raise TRIANGULATE_MAX_ROWS."
        )


def looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly control characters in the first 8 KB, and not UTF-16 text."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if head.count(b"\x00") > len(head) // 4:
        # UTF-16 without BOM: NUL in every other byte (one parity), text in the other.
        half = len(head) / 2
        odd, even = head[1::2].count(b"\x00"), head[0::2].count(b"\x00")
        utf16 = (odd > 0.4 * half and even < 0.1 * half) or (even > 0.4 * half and odd < 0.1 * half)
        return not utf16
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control > len(head) // 20


def check_zip(data: bytes, limits: Limits) -> None:
    """Open a ZIP (XLSX) only after decompressing it once, streamed and capped, in memory bounds.

    The sizes an archive declares can be false (a 5 MB file declaring small sizes expanded to
    1.77 GB in the spreadsheet reader), so the bytes that actually come out are counted, chunk by
    chunk, and the reading stops at the limit; an entry whose real size differs from the declared
    one is refused, since the spreadsheet reader would trust neither.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UploadRejected(
            f"The file looks like a spreadsheet (ZIP) but cannot be opened: {error}."
        ) from error
    with archive:
        infos = archive.infolist()
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        raise UploadRejected(
            "The file is a ZIP archive but not a spreadsheet (no [Content_Types].xml). "
            "Upload the CSV, XLSX or text file itself, not an archive."
        )
    # Stop as soon as the output passes what any real spreadsheet of this size expands to: the
    # absolute cap, or the ratio cap once past the size where ratios start to matter.
    ceiling = min(
        limits.max_unzipped_bytes,
        max(limits.ratio_applies_above, int(limits.max_zip_ratio * len(data))),
    )
    total = 0
    for info in infos:
        total += _inflated_size(data, info, ceiling - total, len(data))


def _bomb(size: int, total: int, *, at_least: bool) -> UploadRejected:
    more = "more than " if at_least else ""
    return UploadRejected(
        f"The spreadsheet would expand from {_size(size)} to {more}{_size(total)} "
        f"(ratio {total / max(size, 1):,.0f}:1). That is how a ZIP bomb looks, so it was not "
        "opened. Save it again from your spreadsheet program, or export it as CSV."
    )


_CHUNK = 1 << 16
_LOCAL_HEADER = 30


def _entry_data(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """The entry's compressed bytes, located from its local header (not its declared size)."""
    start = info.header_offset
    header = data[start : start + _LOCAL_HEADER]
    if len(header) < _LOCAL_HEADER or header[:4] != b"PK\x03\x04":
        raise UploadRejected(f"The spreadsheet is damaged (entry '{info.filename}' is missing).")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    return memoryview(data)[start + _LOCAL_HEADER + name_len + extra_len :]


def _inflated_size(data: bytes, info: zipfile.ZipInfo, budget: int, size: int) -> int:
    """Bytes the entry really decompresses to, never holding more than one chunk of them."""
    body = _entry_data(data, info)
    if info.compress_type == zipfile.ZIP_STORED:
        produced = info.compress_size
        if produced > budget:
            raise _bomb(size, produced, at_least=True)
        return produced
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise UploadRejected(
            f"The spreadsheet uses a compression this program does not read ({info.filename}). "
            "Save it again from your spreadsheet program, or export it as CSV."
        )
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced, position = 0, 0
    while not inflater.eof:
        pending = inflater.unconsumed_tail
        if not pending:
            if position >= len(body):
                break
            pending = bytes(body[position : position + _CHUNK])
            position += _CHUNK
        try:
            produced += len(inflater.decompress(pending, _CHUNK))
        except zlib.error as error:
            raise UploadRejected(
                f"The spreadsheet is damaged ({info.filename}: {error}). Save it again."
            ) from error
        if produced > budget:
            raise _bomb(size, produced, at_least=True)
    if not inflater.eof or produced != info.file_size:
        raise UploadRejected(
            f"The spreadsheet declares sizes that are not true ({info.filename}: declares "
            f"{info.file_size:,} bytes, holds {produced:,}{'' if inflater.eof else ' or more'}). "
            "A damaged or crafted file; save it again from your spreadsheet program."
        )
    return produced
