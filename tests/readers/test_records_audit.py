"""Per format, the number of records in the real exports equals the number of rows reported."""

from __future__ import annotations

import csv
import io
import re

import pytest

from lib.readers import read_path, validate


def _records_in(path, fmt: str) -> int:
    """Records counted independently of our readers: the format's own record markers."""
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    if fmt == "ris":
        return len(re.findall(r"(?m)^TY  - ", text))
    if fmt == "medline":
        return len(re.findall(r"(?m)^PMID- ", text))
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    return len(rows) - 1  # the header


EXPORTS = {
    "litstudy_scopus.csv": "scopus",
    "litstudy_example.ris": "ris",
    "metaknowledge_medline_test.medline": "medline",
}


@pytest.mark.parametrize("name", list(EXPORTS))
def test_records_in_the_file_equal_rows_reported(reference_dir, name, capsys):
    path = reference_dir / "fixtures" / "exports" / name
    result = read_path(path)
    report = validate(result)
    expected = _records_in(path, EXPORTS[name])
    with capsys.disabled():
        print(
            f"\n{name}: format {result.format}, records in file {expected}, rows read "
            f"{result.rows}, reported {report.total} (valid {report.valid}, invalid "
            f"{report.invalid}, duplicates {report.duplicates})"
        )
    assert result.format == EXPORTS[name]
    assert result.rows == expected == report.total
