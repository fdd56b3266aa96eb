"""Import into a real DuckDB file, re-import, and export to CSV / XLSX / Parquet read back."""

from __future__ import annotations

import csv
from datetime import datetime

import fastexcel
import polars as pl
import pytest

from lib import store
from lib.cli import main
from lib.exports import (
    CONTRACT_COLUMNS,
    ORIGINAL_PREFIX,
    collection_export_frame,
    export_collection,
)
from lib.ingest import import_file, load_metrics_file
from lib.ingest.imports import import_rows
from lib.readers import UploadRejected, read_upload, validate
from lib.vocabulary import WEB_SOURCES

UPLOAD = (
    "DOI,PMID,Title,Cited by,Note,Score\n"
    '10.1000/one,,<script>alert(1)</script>,12,=HYPERLINK("http://x"),-5\n'
    "not-a-doi,,Broken,,+1+2,3\n"
    ",31000001,Only PMID,4,@SUM(A1),-2+3\n"
    '10.1000/ONE,,Again,,"\tcmd",\n'
    '10.1000/two,,"-minus title",0,-1+1,\n'
)


@pytest.fixture
def db(tmp_path):
    return tmp_path / "cache.duckdb"


@pytest.fixture
def upload(tmp_path):
    path = tmp_path / "my list.csv"
    path.write_text(UPLOAD, encoding="utf-8")
    return path


def test_import_saves_items_in_order_with_statuses_and_works(db, upload):
    with store.connect(db) as con:
        summary = import_file(con, upload, "Librarian list")
        items = store.collection_items(con, "Librarian list")
        works = store.works_frame(con, ["10.1000/one", "pmid:31000001"])
    assert summary == {
        "items": 5,
        "valid": 3,
        "invalid": 1,
        "duplicates": 1,
        "works": 3,
        "observations": 0,
    }
    assert items["status"].to_list() == ["valid", "invalid", "valid", "duplicate", "valid"]
    assert items["duplicate_of"][3] == 1
    assert items["reason"][3] == "duplicate of row 1"
    assert works["title"].to_list() == ["<script>alert(1)</script>", "Only PMID"]
    assert works["pmid"][1] == "31000001"


def test_reimport_replaces_items_but_keeps_fetched_data_and_corrections(db, upload, tmp_path):
    fetched = datetime(2026, 1, 1)
    with store.connect(db) as con:
        import_file(con, upload, "list")
        store.replace_observations(
            con,
            pl.DataFrame(
                {
                    "key": ["10.1000/one"],
                    "source": ["openalex"],
                    "metric": ["citations_openalex"],
                    "value": [7.0],
                    "as_of": [fetched],
                }
            ),
        )
        store.record_fetch_outcomes(
            con,
            pl.DataFrame(
                {
                    "key": ["10.1000/one"],
                    "source": ["openalex"],
                    "status": ["ok"],
                    "fetched_at": [fetched],
                }
            ),
        )
        store.correct_item(con, "list", "10.1000/one", excluded=True, note="not mine")
        second = tmp_path / "v2.csv"
        second.write_text("DOI\n10.1000/three\n10.1000/one\n")
        import_file(con, second, "list")
        items = store.collection_items(con, "list")
        frame = collection_export_frame(con, "list")
    assert items["input"].to_list() == ["10.1000/three", "10.1000/one"]
    assert items["excluded"].to_list() == [False, True]
    # the person removed 10.1000/one: the export leaves it out, as the Portfolio page does
    assert frame["key"].to_list() == ["10.1000/three"]
    assert frame["openalex_status"].to_list() == [None]
    with store.connect(db) as con:
        store.correct_item(con, "list", "10.1000/one", excluded=False)
        frame = collection_export_frame(con, "list")
    assert frame["citations_openalex"].to_list() == [None, 7.0]
    assert frame["openalex_status"].to_list() == [None, "ok"]


def test_export_columns_follow_the_contract(db, upload):
    with store.connect(db) as con:
        import_file(con, upload, "list")
        frame = collection_export_frame(con, "list")
    assert frame.columns[:8] == list(CONTRACT_COLUMNS)
    statuses = [f"{s}_status" for s in WEB_SOURCES]
    metrics = frame.columns[8 : frame.columns.index(statuses[0])]
    assert metrics == []  # no metric has any value yet: no empty metric columns
    after = frame.columns[frame.columns.index(statuses[-1]) + 1 :]
    page = ["author_position", "attention_percentile", "attention_percentile_reference_set"]
    assert after[:3] == page and "quadrant" in after
    after = after[after.index("reason") :]
    assert after[1:] == [
        ORIGINAL_PREFIX + c for c in ("DOI", "PMID", "Title", "Cited by", "Note", "Score")
    ]
    assert frame["input"].to_list()[:2] == ["10.1000/one", "not-a-doi"]


def test_csv_and_xlsx_neutralise_formulas_and_keep_numbers(db, upload, tmp_path):
    with store.connect(db) as con:
        import_file(con, upload, "list")
        load = tmp_path / "scores.csv"
        load.write_text(
            "Altmetric Attention Score,DOI,News mentions,X mentions\n-1.5,10.1000/one,2,\n"
        )
        load_metrics_file(con, load, "altmetric-explorer", collection="scores")
        csv_path = export_collection(con, "list", "csv", tmp_path / "out.csv")
        xlsx_path = export_collection(con, "list", "xlsx", tmp_path / "out.xlsx")
        parquet_path = export_collection(con, "list", "parquet", tmp_path / "out.parquet")

    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    note = ORIGINAL_PREFIX + "Note"
    assert [r[note] for r in rows] == [
        '\'=HYPERLINK("http://x")',
        "'+1+2",
        "'@SUM(A1)",
        "'\tcmd",
        "'-1+1",
    ]
    assert rows[0]["title"] == "<script>alert(1)</script>"
    assert rows[4]["title"] == "'-minus title"
    assert rows[0][ORIGINAL_PREFIX + "Score"] == "-5"  # a plain number is not a formula
    assert rows[2][ORIGINAL_PREFIX + "Score"] == "'-2+3"
    assert rows[0]["altmetric_score"] == "-1.5"
    assert rows[1]["altmetric_score"] == ""  # missing is an empty cell, never 0

    reader = fastexcel.read_excel(xlsx_path)
    assert reader.sheet_names == ["Data", "README"]
    data = reader.load_sheet("Data").to_polars()
    assert data[note].to_list()[0] == '\'=HYPERLINK("http://x")'
    assert data["altmetric_score"].dtype == pl.Float64
    assert data["altmetric_score"][0] == -1.5
    about = reader.load_sheet("README", header_row=None).to_polars()
    text = " ".join(str(v) for v in about.to_series(1).to_list())
    assert "Attention is not quality" in text
    assert "Altmetric Explorer export" in " ".join(about.to_series(0).to_list())

    parquet = pl.read_parquet(parquet_path)
    assert parquet.height == 5
    assert parquet[note][0] == '=HYPERLINK("http://x")'  # Parquet is data, not a spreadsheet


def test_file_metrics_become_observations_dated_to_the_upload(db, tmp_path):
    path = tmp_path / "scopus.csv"
    path.write_text(
        "Authors,Title,Year,Source title,Cited by,DOI,Link,PubMed ID,Source,EID\n"
        "A,T1,2020,J,12,10.1000/s1,https://www.scopus.com/x,,Scopus,2-s2.0-1\n"
        "B,T2,2021,J,,10.1000/s2,https://www.scopus.com/y,31000002,Scopus,2-s2.0-2\n"
    )
    with store.connect(db) as con:
        summary = import_file(con, path, "scopus")
        observed = store.observations_long(con, ["10.1000/s1", "10.1000/s2"])
    assert summary["observations"] == 1
    assert observed.select("key", "source", "metric", "value").rows() == [
        ("10.1000/s1", "scopus", "citations_scopus", 12.0)
    ]
    assert (datetime.now() - observed["as_of"][0]).total_seconds() < 60


def test_load_metrics_names_the_collection_after_the_file(db, tmp_path):
    path = tmp_path / "explorer 2026.csv"
    path.write_text("Altmetric Attention Score,DOI,Number of Mendeley readers\n10,10.1000/m,33\n")
    with store.connect(db) as con:
        summary = load_metrics_file(con, path, "altmetric-explorer")
        wide = store.works_wide(con, ["10.1000/m"])
        names = store.list_collections(con)["name"].to_list()
    assert summary["observations"] == 2
    assert names == ["explorer 2026"]
    assert wide.row(0, named=True)["mendeley_readers"] == 33.0


def test_load_metrics_rejects_unknown_formats_and_files_without_metrics(db, tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("DOI\n10.1000/a\n")
    with store.connect(db) as con:
        with pytest.raises(UploadRejected, match="Unknown metrics format"):
            load_metrics_file(con, path, "scival")
        with pytest.raises(UploadRejected, match="No dimensions metric columns"):
            load_metrics_file(con, path, "dimensions")


def test_import_rows_from_pasted_text_keeps_each_line(db):
    result = read_upload(b"10.1000/a 10.1000/b\nPMID: 31000003\n")
    report = validate(result)
    with store.connect(db) as con:
        import_rows(con, result, report, "pasted")
        items = store.collection_items(con, "pasted")
    assert items["key"].to_list() == ["10.1000/a", "10.1000/b", "pmid:31000003"]
    assert items["extra"][0] == items["extra"][0]  # JSON of the line it came from
    assert '"line":"10.1000/a 10.1000/b"' in items["extra"][1]


def test_cli_import_and_export(db, upload, tmp_path, capsys):
    assert main(["import", str(upload), "--collection", "cli", "--db", str(db)]) == 0
    assert "valid 3" in capsys.readouterr().out
    out = tmp_path / "cli.csv"
    assert (
        main(
            ["export", "--collection", "cli", "--format", "csv", "--out", str(out), "--db", str(db)]
        )
        == 0
    )
    assert pl.read_csv(out).height == 5


def test_neutralise_formulas_covers_every_trigger_and_leaves_numbers():
    from lib.exports import neutralise_formulas

    frame = pl.DataFrame(
        {
            "text": [
                "=1+1",
                "+1",
                "-1+1",
                "@x",
                "\tx",
                "\rx",
                "-12",
                "+3.5",
                "1e-3",
                "plain",
                None,
            ],
            "number": [-1.0, 2.0, None, 0.0, 1.0, 1.0, -12.0, 3.5, 0.001, 5.0, None],
        }
    )
    safe = neutralise_formulas(frame)
    assert safe["text"].to_list() == [
        "'=1+1",
        "+1",
        "'-1+1",
        "'@x",
        "'\tx",
        "'\rx",
        "-12",
        "+3.5",
        "1e-3",
        "plain",
        None,
    ]
    assert safe["number"].to_list() == frame["number"].to_list()


def test_load_metrics_from_an_explorer_xlsx_and_a_dimensions_csv(db, tmp_path):
    import xlsxwriter

    explorer = tmp_path / "explorer.xlsx"
    with xlsxwriter.Workbook(explorer) as book:
        sheet = book.add_worksheet("Research Outputs")
        sheet.write_row(0, 0, ["Altmetric Attention Score", "Title", "DOI", "Policy mentions"])
        sheet.write_row(1, 0, [25, "Paper", "10.1000/xl", 3])
    dimensions = tmp_path / "dimensions.csv"
    dimensions.write_text(
        '"About the data: Exported on Jul 13, 2023."\n'
        "Publication ID,DOI,Title,PubYear,Times cited,RCR,FCR,Altmetric\n"
        "pub.1,10.1000/xl,Paper,2020,9,2.5,3.1,\n"
    )
    with store.connect(db) as con:
        load_metrics_file(con, explorer, "altmetric-explorer")
        load_metrics_file(con, dimensions, "dimensions", collection="dims")
        observed = store.observations_long(con, ["10.1000/xl"]).sort("source", "metric")
    assert observed.select("source", "metric", "value").rows() == [
        ("altmetric_explorer", "altmetric_score", 25.0),
        ("altmetric_explorer", "policy_mentions", 3.0),
        ("dimensions", "rcr", 2.5),
    ]


def test_xlsx_cells_are_escaped_and_round_trip(tmp_path):
    import zipfile
    from xml.dom.minidom import parseString

    from lib.exports import write_xlsx

    frame = pl.DataFrame(
        {
            "title": ["a&b <script>", "\rcr", "_x000D_ literal", "\x01control"],
            "views": [1.0, None, -2.5, float("nan")],
        }
    )
    path = write_xlsx(frame, tmp_path / "e.xlsx", [("Caveat", "text")])
    with zipfile.ZipFile(path) as archive:
        parseString(archive.read("xl/worksheets/sheet1.xml"))  # well-formed XML
    data = fastexcel.read_excel(path).load_sheet("Data").to_polars()
    assert data["title"].to_list() == ["a&b <script>", "'\rcr", "_x000D_ literal", "control"]
    assert data["views"].to_list() == [1.0, None, -2.5, None]
