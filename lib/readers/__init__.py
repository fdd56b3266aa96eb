"""Input readers: one module per format, detected by content; validation; import into the cache."""

from lib.readers.detect import FORMAT_LABELS, FORMATS, DetectedFormat, detect_format
from lib.readers.limits import Limits, UploadRejected
from lib.readers.read import read_path, read_upload, with_identifier_columns
from lib.readers.result import ReadResult
from lib.readers.validate import ValidationReport, validate

__all__ = [
    "FORMATS",
    "FORMAT_LABELS",
    "DetectedFormat",
    "Limits",
    "ReadResult",
    "UploadRejected",
    "ValidationReport",
    "detect_format",
    "import_file",
    "import_rows",
    "load_metrics_file",
    "read_path",
    "read_upload",
    "validate",
    "with_identifier_columns",
]


def __getattr__(name: str):  # the importer needs lib.store; load it only when asked for
    if name in ("import_file", "import_rows", "load_metrics_file"):
        from lib.readers import importer

        return getattr(importer, name)
    raise AttributeError(name)
