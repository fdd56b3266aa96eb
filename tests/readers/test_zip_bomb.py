"""A ZIP bomb that lies about its sizes is stopped by the bytes really decompressed."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile

import pytest

from lib.readers import Limits, UploadRejected, read_upload

SHEET = "xl/worksheets/sheet1.xml"


def lying_workbook(real_bytes: int, declared: int) -> bytes:
    """A deflated sheet of `real_bytes` zeros whose headers declare `declared` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(SHEET, b"\x00" * real_bytes)
    data = bytearray(buffer.getvalue())
    name = SHEET.encode()
    # the local header (size at +22) and the central directory entry (size at +24)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", data, start + offset, declared)
            start += 4
    return bytes(data)


def test_declared_sizes_are_not_trusted_the_decompressed_bytes_are_counted():
    data = lying_workbook(real_bytes=300 * 1024 * 1024, declared=1000)
    declared = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert declared < 2000 and len(data) < 1024 * 1024  # what the old check summed
    tracemalloc.start()
    with pytest.raises(UploadRejected, match="ZIP bomb"):
        read_upload(data, limits=Limits(max_unzipped_bytes=100 * 1024 * 1024))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 50 * 1024 * 1024, "decompressed in chunks, never held whole"


def test_a_small_lie_about_sizes_is_refused_as_damaged():
    data = lying_workbook(real_bytes=5000, declared=10)
    with pytest.raises(UploadRejected, match="not true"):
        read_upload(data)
