"""Any table of per-work metrics: mapping, per-row problems, the missing-when rule."""

import io

import polars as pl
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from lib.readers.limits import UploadRejected
from lib.readers.metric_table import (
    TableMapping,
    check_source_name,
    default_source_name,
    parse_map,
    parse_missing_when,
    read_metric_table,
)

CSV = (
    b"DOI,Title,Downloads,Readers,HAS_ALTMETRIC\n"
    b'10.1371/journal.pmed.0020124,Why most,"1,200",15,TRUE\n'
    b"10.1371/journal.pone.0000001,Other,0,0,FALSE\n"
    b"10.1371/journal.pone.0000002,Third,n/a,-3,true\n"
    b"10.1371/journal.pone.0000003,Fourth,,2,TRUE\n"
)
MAPPING = TableMapping(
    "DOI", {"Downloads": "downloads", "Readers": "mendeley_readers"}, "repo_usage"
)


def test_mapped_columns_become_metrics_of_the_named_source():
    read = read_metric_table(CSV, "usage.csv", MAPPING)
    frame = read.result.frame
    assert read.result.metrics == {"downloads": "repo_usage", "mendeley_readers": "repo_usage"}
    assert frame["downloads"].to_list() == [1200.0, 0.0, None, None]
    assert frame["mendeley_readers"].to_list() == [15.0, 0.0, None, 2.0]
    assert read.result.identifier_columns == ["DOI"]


def test_text_and_negative_values_are_reported_per_row_never_coerced():
    read = read_metric_table(CSV, "usage.csv", MAPPING)
    assert read.problems.select("row", "column", "problem").rows() == [
        (3, "Downloads", "not a number"),
        (3, "Readers", "negative"),
    ]
    assert any("'n/a' is not a number; left missing" in w for w in read.result.warnings)


def test_missing_when_rule_turns_the_providers_zeros_into_missing():
    rule = TableMapping(
        MAPPING.id_column, MAPPING.columns, MAPPING.source, ("HAS_ALTMETRIC", "false")
    )
    read = read_metric_table(CSV, "usage.csv", rule)
    assert read.rows_made_missing == 1
    assert read.result.frame["downloads"].to_list() == [1200.0, None, None, None]
    assert read.result.frame["mendeley_readers"][1] is None


def test_an_xlsx_table_reads_the_same_way():
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        sheet = book.add_worksheet()
        for r, row in enumerate([["PMID", "Usage"], ["12345678", 10], ["23456789", "lots"]]):
            sheet.write_row(r, 0, row)
    read = read_metric_table(
        buffer.getvalue(), "u.xlsx", TableMapping("PMID", {"Usage": "views"}, "ir")
    )
    assert read.result.frame["views"].to_list() == [10.0, None]
    assert read.problems.height == 1


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (TableMapping("DOIX", {"Downloads": "downloads"}, "s"), "No column named 'DOIX'"),
        (TableMapping("DOI", {"Nope": "downloads"}, "s"), "No column named 'Nope'"),
        (
            TableMapping("DOI", {"Downloads": "downloads"}, "s", ("HAS", "x")),
            "No column named 'HAS'",
        ),
        (TableMapping("Title", {"Downloads": "downloads"}, "s"), "No valid identifiers"),
    ],
)
def test_bad_mappings_are_clear_messages(mapping, message):
    from lib.readers.validate import validate

    with pytest.raises(UploadRejected, match=message):
        validate(read_metric_table(CSV, "usage.csv", mapping).result)


def test_map_text_is_checked_against_the_canonical_names():
    assert parse_map("Views=views, Mendeley = mendeley_readers") == {
        "Views": "views",
        "Mendeley": "mendeley_readers",
    }
    with pytest.raises(UploadRejected, match="Not a canonical metric name: 'downloadz'"):
        parse_map("Downloads=downloadz")
    with pytest.raises(UploadRejected, match="COLUMN=metric"):
        parse_map("Downloads")
    with pytest.raises(UploadRejected, match="given by two columns"):
        parse_map("A=views,B=views")
    assert parse_missing_when("HAS_ALTMETRIC=FALSE") == ("HAS_ALTMETRIC", "FALSE")
    with pytest.raises(UploadRejected):
        parse_missing_when("HAS_ALTMETRIC")


@given(st.text(min_size=1, max_size=60))
def test_default_source_names_are_always_valid(filename):
    try:
        name = default_source_name(filename)
    except UploadRejected:
        return
    assert check_source_name(name) == name and name.startswith("table")


def test_numbers_with_thousands_separators_are_numbers():
    data = b'doi,v\n10.1000/a,"12,345"\n10.1000/b, 7 \n'
    read = read_metric_table(data, "x.csv", TableMapping("doi", {"v": "views"}, "s"))
    assert read.result.frame["views"].to_list() == [12345.0, 7.0]
    assert read.problems.is_empty()
    assert pl.Series(read.result.frame["row"]).to_list() == [1, 2]
