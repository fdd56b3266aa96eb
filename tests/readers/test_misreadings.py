"""Identifiers and formats read right, or a clear message: no silent misreading."""

from __future__ import annotations

import polars as pl

from lib.ids import Identifier, parse_identifier, parse_identifier_expr
from lib.readers import read_upload, validate
from lib.readers.detect import detect_format


def test_a_truncated_doi_is_not_a_pmid():
    assert not isinstance(parse_identifier("10."), Identifier)
    parsed = pl.DataFrame({"t": ["10.", "10", "10.0"]}).select(parse_identifier_expr("t"))
    assert parsed["t"].struct.field("key").to_list() == [None, "pmid:10", "pmid:10"]
    assert "DOI" in parse_identifier("10.").reason


def test_one_cell_starting_like_an_entry_does_not_make_a_csv_bibtex():
    data = b"doi,note\n10.5555/a.1,plain\n@Word(trick),x\n10.5555/a.2,ok\n"
    assert detect_format(data, "list.csv").format == "csv"
    assert detect_format(b"% JabRef\n@article{k, doi={10.5555/x}}\n").format == "bibtex"


def test_a_file_mixing_utf8_and_cp1252_reads_every_line_in_its_own_encoding():
    utf8 = [f"10.5555/u.{i},Caf\u00e9 na\u00efve M\u00fcller" for i in range(50)]
    cp1252 = [f"10.5555/c.{i},Caf\u00e9 r\u00e9sum\u00e9" for i in range(10)]
    data = ("doi,title\n" + "\n".join(utf8) + "\n").encode() + ("\n".join(cp1252) + "\n").encode(
        "cp1252"
    )
    result = read_upload(data, "mixed.csv")
    titles = result.frame["extra"].struct.field("title").to_list()
    assert all("\u00c3" not in t for t in titles), "no mojibake"
    assert (
        titles[0] == "Caf\u00e9 na\u00efve M\u00fcller"
        and titles[-1] == "Caf\u00e9 r\u00e9sum\u00e9"
    )
    assert any("10 lines are not UTF-8" in w for w in result.warnings), result.warnings


def test_a_negative_cited_by_is_not_stored_as_citations():
    data = (
        b"Authors,Title,Year,Source title,Cited by,DOI,EID\n"
        b"A,One,2020,J,-12,10.5555/n.1,2-s2.0-1\n"
        b"B,Two,2020,J,7,10.5555/n.2,2-s2.0-2\n"
    )
    result = read_upload(data, "scopus.csv")
    assert result.format == "scopus"
    assert result.frame["citations_scopus"].to_list() == [None, 7.0]
    assert any("row 1: -12" in w for w in result.warnings), result.warnings
    assert validate(result).valid == 2
