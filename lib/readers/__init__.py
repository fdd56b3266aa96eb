"""Input readers: one module per format, detected by content, and validation. Pure: bytes in,
rows of identifiers and metadata out; importing them into the cache is `lib.ingest.imports`."""

from lib.readers.detect import FORMAT_LABELS, FORMATS, DetectedFormat, detect_format
from lib.readers.limits import Limits, UploadRejected
from lib.readers.read import read_path, read_upload, with_identifier_columns
from lib.readers.result import ReadResult
from lib.readers.validate import NoIdentifiers, ValidationReport, validate

__all__ = [
    "FORMATS",
    "FORMAT_LABELS",
    "DetectedFormat",
    "Limits",
    "NoIdentifiers",
    "ReadResult",
    "UploadRejected",
    "ValidationReport",
    "detect_format",
    "read_path",
    "read_upload",
    "validate",
    "with_identifier_columns",
]
