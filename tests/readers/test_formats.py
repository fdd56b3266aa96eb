"""Each input format, detected by content, read with its real-world quirks."""

from __future__ import annotations

import io

import polars as pl
import pytest
import xlsxwriter

from lib.readers import detect_format, read_upload, validate


def _valid_keys(data: bytes, **kwargs) -> list[str]:
    report = validate(read_upload(data, **kwargs))
    return report.items.filter(pl.col("status") == "valid")["key"].to_list()


def test_pasted_text_with_mixed_identifiers_and_several_per_line():
    text = (
        "10.1056/NEJMoa2034577\n"
        "https://doi.org/10.1016/S0140-6736(20)30183-5\n"
        "PMID: 32109013   PMC7092803\n"
        "\n"
        "doi:10.1002/(SICI)1097-4636(199603)30:3<329::AID-JBM7>3.0.CO;2-P\n"
        "Smith J. A paper. JAMA 2020. https://pubmed.ncbi.nlm.nih.gov/31978945/\n"
        "not an identifier\n"
    )
    result = read_upload(text.encode())
    assert result.format == "text"
    report = validate(result)
    items = report.items
    assert items["row"].to_list() == [1, 2, 3, 3, 5, 6, 7]
    assert items["key"].to_list()[:6] == [
        "10.1056/nejmoa2034577",
        "10.1016/s0140-6736(20)30183-5",
        "pmid:32109013",
        "pmcid:PMC7092803",
        "10.1002/(sici)1097-4636(199603)30:3<329::aid-jbm7>3.0.co;2-p",
        "pmid:31978945",
    ]
    assert items["status"][-1] == "invalid" and items["input"][-1] == "not an identifier"


def test_text_heading_line_is_skipped_and_said_so():
    result = read_upload(b"DOIs to check\n10.1000/abc\n10.1000/def\n")
    assert result.rows == 2
    assert any("heading" in note for note in result.notes)


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_delimited_tables_find_the_identifier_column_by_content(delimiter):
    rows = [
        ["Ref", "Notes", "Where"],
        ["1", "first", "10.1000/a1"],
        ["2", "x", "https://doi.org/10.1000/a2"],
    ]
    data = "\n".join(delimiter.join(r) for r in rows).encode()
    result = read_upload(data)
    assert result.format == "csv"
    assert result.identifier_columns == ["Where"]
    assert _valid_keys(data) == ["10.1000/a1", "10.1000/a2"]


def test_identifiers_split_across_doi_and_pmid_columns_take_doi_then_pmid():
    data = (
        b"Title,DOI,PMID\n"
        b"With both,10.1000/both,111\n"
        b"Only PMID,,222\n"
        b"Bad DOI,10.x/broken,333\n"
        b"Neither,,\n"
    )
    result = read_upload(data)
    assert result.identifier_columns == ["DOI", "PMID"]
    items = validate(result).items
    assert items["key"].to_list() == ["10.1000/both", "pmid:222", "pmid:333", None]
    assert items["pmid"].to_list() == ["111", "222", "333", None]
    assert items["reason"][1] == "PMID (to be resolved to a DOI by the sources) from 'PMID'"
    assert items["reason"][3] == "no identifier in this row"


def test_header_names_and_metadata_columns_are_detected():
    data = b"Article Title,Publication Year,Journal,PubMed ID\nA study,2019,BMJ,31000001\n"
    result = read_upload(data)
    assert result.identifier_columns == ["PubMed ID"]
    row = result.frame.row(0, named=True)
    assert (row["title"], row["year"], row["journal"]) == ("A study", 2019, "BMJ")


def test_caller_can_override_identifier_columns():
    data = b"a,b\n10.1000/x,10.1000/y\n"
    assert _valid_keys(data) == ["10.1000/x"]
    assert _valid_keys(data, id_columns=["b"]) == ["10.1000/y"]


def test_a_csv_without_header_keeps_its_first_row():
    data = b"10.1000/one,note\n10.1000/two,note\n"
    result = read_upload(data)
    assert result.rows == 2


def test_utf16_le_with_bom_from_excel_unicode_text():
    text = "DOI\tTitle\r\n10.1000/é1\tRésumé “quoted”\r\n10.1000/x2\tÅngström\r\n"
    data = b"\xff\xfe" + text.encode("utf-16-le")
    result = read_upload(data)
    assert result.encoding == "utf-16"
    assert result.frame["title"].to_list() == ["Résumé “quoted”", "Ångström"]
    assert _valid_keys(data) == ["10.1000/é1", "10.1000/x2"]


def test_windows_1252_with_smart_quotes():
    text = "DOI;Title\n10.1000/a;“Smart” quotes – and café\n10.1000/b;naïve\n"
    result = read_upload(text.encode("cp1252"))
    assert result.frame["title"].to_list() == ["“Smart” quotes – and café", "naïve"]
    assert result.identifier_columns == ["DOI"]


def test_utf8_bom_and_mixed_line_endings():
    data = "\ufeffDOI,Title\r\n10.1000/a,one\n10.1000/b,two\r10.1000/c,three\r\n".encode()
    result = read_upload(data)
    assert result.fields == ["DOI", "Title"]
    assert _valid_keys(data) == ["10.1000/a", "10.1000/b", "10.1000/c"]


def test_ragged_rows_keep_their_surplus_and_warn():
    data = b"DOI,Title\n10.1000/a,one\n10.1000/b,two,surplus\n10.1000/c\n"
    result = read_upload(data)
    assert "1 rows have one more field than the header" in result.warnings[0]
    assert "extra field 1" in result.fields
    assert result.rows == 3


WOS_TAGGED = """\ufeffFN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Smith, J
   Doe, A
TI A long title that continues
   on the next line
SO JOURNAL OF TESTS
PY 2019
TC 12
DI 10.1000/wos.1
PM 31000002
UT WOS:000000000000001
ER

PT J
AU Roe, R
TI Second
SO LANCET
PY 2020
TC 0
UT WOS:000000000000002
ER

EF
"""


def test_web_of_science_plain_text():
    result = read_upload(WOS_TAGGED.encode())
    assert result.format == "wos"
    frame = result.frame
    assert frame["title"][0] == "A long title that continues on the next line"
    assert frame["authors"][0] == "Smith, J; Doe, A"
    assert frame["citations_wos"].to_list() == [12.0, 0.0]
    assert result.metrics == {"citations_wos": "wos"}
    items = validate(result).items
    assert items["key"].to_list() == ["10.1000/wos.1", None]
    assert items["reason"][1] == "no identifier in this row"


def test_web_of_science_tab_delimited():
    header = "PT\tAU\tTI\tSO\tPY\tTC\tDI\tPM\tUT\t"
    row = "J\tSmith, J\tTitle\tBMJ\t2018\t7\t10.1000/tab\t\tWOS:1\t"
    result = read_upload(f"{header}\n{row}\n".encode("utf-16"))
    assert result.format == "wos-tab"
    assert result.identifier_columns == ["DI", "PM"]
    assert result.frame["citations_wos"].to_list() == [7.0]


MEDLINE = """
PMID- 31000003
OWN - NLM
TI  - A title over
      two lines.
DP  - 2019 Mar
JT  - The Journal
AU  - Doe J
AU  - Roe R
LID - S0140-6736(19)30001-1 [pii]
LID - 10.1016/S0140-6736(19)30001-1 [doi]

PMID- 31000004
TI  - No DOI here.
DP  - 2020
AID - 10.1000/aid.only [doi]
AID - PMC7000001 [pmc]

PMID- 31000005
TI  - Only a PMID.
DP  - 2021 Jan 5
"""


def test_medline_records_lid_aid_and_continuations():
    result = read_upload(MEDLINE.encode())
    assert result.format == "medline"
    assert result.frame["title"][0] == "A title over two lines."
    assert result.frame["year"].to_list() == [2019, 2020, 2021]
    assert result.frame["authors"][0] == "Doe J; Roe R"
    keys = validate(result).items["key"].to_list()
    assert keys == ["10.1016/s0140-6736(19)30001-1", "10.1000/aid.only", "pmid:31000005"]


def test_ris_with_cr_only_and_stray_carriage_returns():
    ris = (
        "TY  - JOUR\rTI  - First\rDO  - 10.1000/ris.1\rAN  - 31000006\rER  - \r\r\n"
        "\rTY  - JOUR\r\nTI  - Second\r\nUR  - https://doi.org/10.1000/ris.2\r\nER  - \r\n"
        "TY  - JOUR\nTI  - Third\nAN  - 31000007\nER  - \n"
    )
    result = read_upload(ris.encode())
    assert result.format == "ris"
    assert result.rows == 3
    keys = validate(result).items["key"].to_list()
    assert keys == ["10.1000/ris.1", "10.1000/ris.2", "pmid:31000007"]


def test_bibtex_fields_and_latex_escapes():
    bib = r"""
@article{one,
  title = {Caf{\'e} culture and {\"u}ber-studies},
  author = {M{\"u}ller, J. and Garc{\'\i}a, A.},
  journal = {Journal},
  year = {2020},
  doi = {10.1000/BIB.1}
}
@misc{two, title={Only PMID}, pmid={31000008}, year=2019}
@online{three, title={URL}, url={https://doi.org/10.1000/bib.3}}
"""
    result = read_upload(bib.encode())
    assert result.format == "bibtex"
    assert result.frame["title"][0] == "Café culture and über-studies"
    assert "Müller" in result.frame["authors"][0]
    keys = validate(result).items["key"].to_list()
    assert keys == ["10.1000/bib.1", "pmid:31000008", "10.1000/bib.3"]


def test_orcid_works_json_uses_self_ids_only():
    doc = {
        "group": [
            {
                "external-ids": {
                    "external-id": [
                        {
                            "external-id-type": "issn",
                            "external-id-value": "1234-5678",
                            "external-id-relationship": "part-of",
                        },
                        {
                            "external-id-type": "doi",
                            "external-id-value": "10.1000/orcid.1",
                            "external-id-relationship": "self",
                        },
                    ]
                },
                "work-summary": [
                    {
                        "title": {"title": {"value": "Work"}},
                        "publication-date": {"year": {"value": "2021"}},
                    }
                ],
            },
            {
                "external-ids": {
                    "external-id": [
                        {
                            "external-id-type": "doi",
                            "external-id-value": "10.1000/preprint",
                            "external-id-relationship": "version-of",
                        },
                        {
                            "external-id-type": "pmid",
                            "external-id-value": "31000009",
                            "external-id-relationship": "self",
                        },
                    ]
                },
                "work-summary": [{"title": {"title": {"value": "Other"}}}],
            },
        ]
    }
    import json

    result = read_upload(json.dumps(doc).encode())
    assert result.format == "orcid-json"
    assert validate(result).items["key"].to_list() == ["10.1000/orcid.1", "pmid:31000009"]


EXPLORER = (
    "Altmetric Attention Score,Title,Journal/Collection Title,Publication Date,DOI,PubMed ID,"
    "News mentions,Blog mentions,Policy mentions,Patent mentions,X mentions,Facebook mentions,"
    "Wikipedia mentions,Number of Mendeley readers,Number of Dimensions citations,Google+ mentions\n"
    "152.3,A paper,BMJ,2020-01-02,10.1000/alt.1,,12,3,1,0,85,2,1,300,45,0\n"
    "4,Another,,2019-05-05,,31000010,,,,,4,,,12,,\n"
)


def test_altmetric_explorer_columns_map_to_canonical_metrics():
    result = read_upload(EXPLORER.encode())
    assert result.format == "altmetric-explorer"
    assert set(result.metrics.values()) == {"altmetric_explorer"}
    assert {"altmetric_score", "news_mentions", "x_posts", "mendeley_readers"} <= set(
        result.metrics
    )
    row = result.frame.row(1, named=True)
    assert row["x_posts"] == 4.0 and row["news_mentions"] is None  # blank is missing, not 0
    assert "citations_dimensions" not in result.frame.columns


DIMENSIONS = (
    '"About the data: Exported on Jul 13, 2023. Criteria: ..."\n'
    "Rank,Publication ID,DOI,PMID,PMCID,Title,Source title,PubYear,Times cited,RCR,FCR,Altmetric,Dimensions URL\n"
    "1,pub.1,10.1000/dim.1,,,T,J,2019,10,1.5,2.25,30,https://app.dimensions.ai/x\n"
)


def test_dimensions_export_skips_preamble_and_maps_rcr_and_altmetric():
    result = read_upload(DIMENSIONS.encode())
    assert result.format == "dimensions"
    assert result.metrics == {"rcr": "dimensions", "altmetric_score": "dimensions"}
    assert result.frame.row(0, named=True)["rcr"] == 1.5
    assert "FCR" in result.fields  # kept as an original column
    assert any("FCR" in note for note in result.notes)


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        for name, rows in sheets.items():
            sheet = book.add_worksheet(name)
            for r, row in enumerate(rows):
                sheet.write_row(r, 0, row)
    return buffer.getvalue()


def test_xlsx_with_several_sheets_reads_the_one_with_identifiers():
    data = _workbook(
        {
            "Notes": [["Read me"], ["This workbook lists papers"]],
            "Papers": [["Title", "DOI", "PMID"], ["A", "10.1000/x1", None], ["B", None, 31000011]],
            "Summary": [["Year", "Count"], [2020, 5]],
        }
    )
    assert detect_format(data).format == "xlsx"
    result = read_upload(data)
    assert result.sheet == "Papers"
    assert any("Read sheet 'Papers'" in note for note in result.notes)
    assert validate(result).items["key"].to_list() == ["10.1000/x1", "pmid:31000011"]


def test_detection_explains_itself():
    found = detect_format(MEDLINE.encode(), "export.txt")
    assert found.format == "medline" and found.confidence > 0.9
    assert "PMID-" in found.explanation and "export.txt" in found.explanation
