"""Whole-file limits for uploads: size, rows, emptiness, binary content and ZIP bombs.

A problem with the whole file raises `UploadRejected` with a message a librarian can act on; a
problem with one row is never an exception, it is an entry in the validation report.
"""

from __future__ import annotations

import io
import zipfile
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
    """Inspect a ZIP (XLSX) central directory before anything decompresses it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UploadRejected(
            f"The file looks like a spreadsheet (ZIP) but cannot be opened: {error}."
        ) from error
    with archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        packed = sum(info.compress_size for info in infos) or 1
    ratio = total / packed
    if total > limits.max_unzipped_bytes or (
        ratio > limits.max_zip_ratio and total > limits.ratio_applies_above
    ):
        raise UploadRejected(
            f"The spreadsheet would expand from {_size(len(data))} to {_size(total)} "
            f"(ratio {ratio:,.0f}:1). That is how a ZIP bomb looks, so it was not opened. "
            "Save it again from your spreadsheet program, or export it as CSV."
        )
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        raise UploadRejected(
            "The file is a ZIP archive but not a spreadsheet (no [Content_Types].xml). "
            "Upload the CSV, XLSX or text file itself, not an archive."
        )
