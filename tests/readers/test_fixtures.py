"""The real exports in ../shared/fixtures/exports import with the counts stated in SOURCES.md."""

from __future__ import annotations

import polars as pl
import pytest

from lib.readers import read_path, validate


@pytest.fixture(scope="module")
def exports(reference_dir):
    return reference_dir / "fixtures" / "exports"


def test_scopus_58_records_44_dois_24_pmids_43_cited_by(exports):
    result = read_path(exports / "litstudy_scopus.csv")
    assert result.format == "scopus"
    assert result.rows == 58
    assert result.warnings[0].startswith("56 rows have one more field than the header")
    extra = result.frame.select(pl.col("extra").struct.unnest())
    assert extra["DOI"].is_not_null().sum() == 44
    assert extra["PubMed ID"].is_not_null().sum() == 24  # "about 24 PubMed IDs"
    assert extra["PubMed ID"].drop_nulls().str.contains(r"^\d{7,8}$").all()  # re-aligned
    assert extra["EID"].str.starts_with("2-s2.0-").all()
    assert result.frame["citations_scopus"].is_not_null().sum() == 43
    report = validate(result)
    assert report.by_scheme["doi"] == 44
    assert report.items["doi"].n_unique() - 1 == 44


def test_ris_25_records_25_do_tags(exports):
    result = read_path(exports / "litstudy_example.ris")
    assert result.format == "ris"
    assert result.rows == 25
    text = (exports / "litstudy_example.ris").read_text()
    assert text.count("\nDO  -") + text.startswith("DO  -") == 25
    # One of the 25 DO tags is empty in the file itself, so 24 records carry a DOI.
    report = validate(result)
    assert report.by_scheme == {"doi": 24}
    assert report.invalid_rows()["reason"].to_list() == ["no identifier in this row"]


def test_medline_175_records_171_distinct_dois(exports):
    result = read_path(exports / "metaknowledge_medline_test.medline")
    assert result.format == "medline"
    assert result.rows == 175
    report = validate(result)
    assert report.items["doi"].drop_nulls().n_unique() == 171
    assert report.valid == 175  # the four without a DOI are kept by their PMID
    assert report.by_scheme == {"doi": 171, "pmid": 4}
