"""Validation report and whole-file limits: bad input never crashes and never loses good rows."""

from __future__ import annotations

import io
import time
import zipfile

import polars as pl
import pytest

from lib.readers import Limits, UploadRejected, read_path, read_upload, validate


def test_ten_thousand_identical_rows_are_one_valid_and_duplicates_of_row_1():
    data = ("DOI\n" + "10.1000/same\n" * 10_000).encode()
    report = validate(read_upload(data))
    assert (report.total, report.valid, report.duplicates) == (10_000, 1, 9_999)
    dupes = report.items.filter(pl.col("status") == "duplicate")
    assert dupes["duplicate_of_row"].unique().to_list() == [1]
    assert dupes["duplicate_of"].unique().to_list() == [1]
    assert report.duplicate_rows(3)["row"].to_list() == [2, 3, 4]


def test_invalid_rows_have_reason_and_row_number_and_good_rows_survive():
    data = b"DOI\n10.1000/ok\nnot-a-doi\n\n10.1000/ok2\n0000-0002-1825-0097\n"
    report = validate(read_upload(data))
    assert report.valid == 2
    invalid = report.invalid_rows()
    assert invalid["row"].to_list() == [2, 5]
    assert invalid["reason"][1] == "an ORCID iD identifies a person, not a work"
    assert all(invalid["reason"].is_not_null())


def test_summary_counts_schemes_and_ids_to_resolve():
    data = b"id\n10.1000/a\nPMID:31000001\nPMC7000001\n"
    report = validate(read_upload(data))
    assert report.by_scheme == {"doi": 1, "pmid": 1, "pmcid": 1}
    assert report.to_resolve == 2
    assert "3 valid" in report.summary_lines()[0]


def test_dois_with_html_entities_and_markup_in_titles():
    data = (
        b"DOI,Title\n"
        b"10.1002/(SICI)1097-4636(199603)30:3&lt;329::AID-JBM7&gt;3.0.CO;2-P,<script>alert(1)</script>\n"
        b"10.1000/x&amp;y,<b>Bold</b> claims\n"
    )
    result = read_upload(data)
    report = validate(result)
    assert report.items["key"].to_list() == [
        "10.1002/(sici)1097-4636(199603)30:3<329::aid-jbm7>3.0.co;2-p",
        "10.1000/x&y",
    ]
    assert result.frame["title"][0] == "<script>alert(1)</script>"  # kept as text, not stripped


def test_header_only_file_is_rejected_with_a_clear_message():
    with pytest.raises(UploadRejected, match=r"header row .* but no data rows"):
        read_upload(b"DOI,Title,Year\n")


def test_a_file_with_no_identifiers_at_all_is_rejected():
    with pytest.raises(UploadRejected, match="No identifiers found"):
        read_upload(b"Name,Colour\nApple,Red\nPear,Green\n")
    with pytest.raises(UploadRejected, match="No valid identifiers"):
        validate(read_upload(b"just some words\nand some more\n"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\n\n   \n", "blank lines"),
        (bytes(range(256)) * 40, "binary"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, "binary"),
    ],
)
def test_empty_and_binary_files_are_rejected(data, message):
    with pytest.raises(UploadRejected, match=message):
        read_upload(data)


def test_size_and_row_limits_are_configurable():
    data = ("DOI\n" + "".join(f"10.1000/{i}\n" for i in range(50))).encode()
    with pytest.raises(UploadRejected, match="upload limit"):
        read_upload(data, limits=Limits(max_bytes=100))
    with pytest.raises(UploadRejected, match="50 records, over the 10 row limit"):
        read_upload(data, limits=Limits(max_rows=10))
    assert Limits().max_rows >= 100_000


def test_zip_bomb_disguised_as_xlsx_is_rejected_before_opening():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (200 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(UploadRejected, match="ZIP bomb"):
        read_upload(data, limits=Limits(max_unzipped_bytes=100 * 1024 * 1024))
    assert time.perf_counter() - started < 15  # rejected before reading, not timed as a benchmark


def test_a_zip_that_is_not_a_spreadsheet_is_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("list.csv", "DOI\n10.1000/a\n")
    with pytest.raises(UploadRejected, match="not a spreadsheet"):
        read_upload(buffer.getvalue())


def test_a_200_mb_file_is_rejected_by_size_before_it_is_read(tmp_path):
    path = tmp_path / "big.csv"
    line = b"10.1000/abcdefghij,some padding text to make the line long enough\n"
    with path.open("wb") as handle:
        handle.write(b"DOI,Note\n")
        handle.write(line * (200 * 1024 * 1024 // len(line) + 1))
    started = time.perf_counter()
    with pytest.raises(UploadRejected, match=r"200\.0 MB, over the 100\.0 MB upload limit"):
        read_path(path, limits=Limits(max_bytes=100 * 1024 * 1024))
    assert time.perf_counter() - started < 15  # rejected before reading, not timed as a benchmark


@pytest.mark.slow
def test_a_200_mb_file_within_limits_is_read_or_rejected_with_a_message(tmp_path):
    path = tmp_path / "big.csv"
    line = b"10.1000/abcdefghij,some padding text to make the line long enough\n"
    with path.open("wb") as handle:
        handle.write(b"DOI,Note\n")
        handle.write(line * (200 * 1024 * 1024 // len(line) + 1))
    with pytest.raises(UploadRejected, match="row limit"):
        read_path(path)


def test_file_columns_named_like_ours_do_not_clash():
    data = b"row,position,key,status,extra,doi\n1,2,k,s,e,10.1000/clash\n"
    result = read_upload(data)
    report = validate(result)
    assert report.items["key"].to_list() == ["10.1000/clash"]
    assert result.fields == ["row", "position", "key", "status", "extra", "doi"]


def test_no_identifier_column_names_the_columns_so_one_can_be_chosen_by_hand():
    data = b"Title,Ref\nOne,pending\nTwo,nothing yet\nThree,10.1000/xyz\nFour,n/a\nFive,tbc\n"
    with pytest.raises(UploadRejected) as rejected:
        read_upload(data, "refs.csv")
    assert rejected.value.fields == ["Title", "Ref"]
    report = validate(read_upload(data, "refs.csv", id_columns=["Ref"]))
    assert (report.total, report.valid, report.invalid) == (5, 1, 4)


def test_no_identifiers_says_what_was_found_and_names_the_next_step():
    from lib.readers import NoIdentifiers

    bib = "".join(
        f"@article{{k{i}, title={{Paper {i}}}, author={{Ann One}}, year={{2020}}}}\n"
        for i in range(494)
    )
    with pytest.raises(NoIdentifiers) as caught:
        validate(read_upload(bib.encode(), "refs.bib"))
    message = str(caught.value)
    assert message.startswith("494 BibTeX entries with titles, authors and years but no DOI")
    assert "triangulate match" in message and "None" not in message
