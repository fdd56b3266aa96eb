"""Nothing a user brings is lost: damaged rows are repaired or reported, good rows always survive."""

from __future__ import annotations

import re

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from lib.readers import read_upload, validate


def valid_keys(data: bytes, name: str) -> set[str]:
    report = validate(read_upload(data, name))
    return set(report.items.filter(pl.col("status") == "valid")["key"].to_list())


def test_a_stray_quote_no_longer_rejects_the_whole_csv():
    data = (
        b"doi,note\n"
        b'10.5555/good.1,=HYPERLINK("http://evil.example","x")\n'
        b"10.5555/good.2,plain\n"
        b'10.5555/good.3,"quoted, with comma"\n'
    )
    result = read_upload(data, "list.csv")
    assert result.rows == 3
    assert valid_keys(data, "list.csv") == {"10.5555/good.1", "10.5555/good.2", "10.5555/good.3"}
    assert any(w.startswith("line 2:") for w in result.warnings), result.warnings


def test_an_unclosed_quote_does_not_swallow_the_rest_of_the_file():
    data = b'doi,note\n10.5555/a.1,"never closed\n10.5555/a.2,ok\n10.5555/a.3,"multi\nline"\n'
    result = read_upload(data, "list.csv")
    assert result.rows == 3
    assert any(w.startswith("line 2:") and "never closed" in w for w in result.warnings)
    assert valid_keys(data, "list.csv") == {"10.5555/a.1", "10.5555/a.2", "10.5555/a.3"}


def test_every_bibtex_entry_becomes_a_row_and_repeated_keys_are_reported():
    entries = []
    for i in range(464):
        entries.append(f"@article{{k{i}, title={{Paper {i}}}, doi={{10.5555/bib.{i}}}}}")
    for i in range(30):  # 30 repeated keys: 15 identical copies, 15 with other content
        if i < 15:
            entries.append(entries[i])
        else:
            entries.append(f"@article{{k{i}, title={{Other {i}}}, doi={{10.5555/other.{i}}}}}")
    text = "\n".join(entries) + "\n"
    result = read_upload(text.encode(), "refs.bib")
    assert result.rows == 494
    repeats = [w for w in result.warnings if "repeats the entry at line" in w]
    assert len(repeats) == 30
    assert sum("(identical)" in w for w in repeats) == 15
    report = validate(result)
    assert report.valid == 479 and report.duplicates == 15  # identical copies dedupe by DOI


def test_an_unparsable_bibtex_block_is_listed_with_its_line_and_its_doi_kept():
    text = (
        "@article{a, title={A}, doi={10.5555/b.1}}\n"
        "@article{b, title={Broken {brace}, doi={10.5555/b.2}\n"
        "@article{c, title={C}, doi={10.5555/b.3}}\n"
    )
    result = read_upload(text.encode(), "refs.bib")
    assert result.rows == 3
    assert any(w.startswith("line 2: not valid BibTeX") for w in result.warnings), result.warnings
    assert "10.5555/b.2" in valid_keys(text.encode(), "refs.bib")


# ---------------------------------------------------------------- the property test

DAMAGE = ("stray quote", "unclosed quote", "ragged", "bad identifier", "text after quote")
GOOD_NOTES = st.sampled_from(
    ["plain", '"quoted, with the delimiter"', '"doubled ""quotes"""', '"two\nlines"', ""]
)


def _good(i: int, note: str, sep: str) -> str:
    return f"10.5555/good.{i}{sep}{note.replace(',', sep)}{sep}2020"


def _damaged(i: int, kind: str, sep: str) -> str:
    doi = f"10.5555/bad.{i}"
    if kind == "stray quote":
        return f'{doi}{sep}=HYPERLINK("http://evil.example"){sep}2020'
    if kind == "unclosed quote":
        return f'{doi}{sep}"never closed{sep}2020'
    if kind == "ragged":
        return sep.join([doi, "note", "2020", "surplus", "more"])
    if kind == "text after quote":
        return f'{doi}{sep}"quoted"tail{sep}2020'
    return f"not-a-doi-{i}{sep}note{sep}2020"


def _reported(result, report, row: int, line: int, kind: str) -> bool:
    """Reported by line (or row), or read exactly as a spreadsheet reads it (no repair needed)."""
    text = "\n".join(result.warnings)
    if kind == "stray quote":
        note = result.frame.filter(pl.col("row") == row)["extra"].struct.field("Note")[0]
        if note == '=HYPERLINK("http://evil.example")':
            return True
    if kind == "bad identifier":
        return row in report.invalid_rows(10_000)["row"].to_list()
    if re.search(rf"^line {line}:", text, re.M):
        return True
    return kind == "ragged" and bool(re.search(rf"rows [\d, ]*\b{row}\b", text))


@given(
    rows=st.lists(
        st.one_of(
            st.tuples(st.just("good"), GOOD_NOTES),
            st.tuples(st.just("damaged"), st.sampled_from(DAMAGE)),
        ),
        min_size=1,
        max_size=25,
    ),
    sep=st.sampled_from([",", ";", "\t"]),
)
def test_every_good_row_survives_and_every_damaged_one_is_reported(rows, sep):
    # one good row somewhere, so the file as a whole is a list of identifiers
    rows = [*rows[: len(rows) // 2], ("good", "plain"), *rows[len(rows) // 2 :]]
    lines, expected, damaged, line = [sep.join(["DOI", "Note", "Year"])], set(), [], 2
    for i, (what, detail) in enumerate(rows):
        text = _good(i, detail, sep) if what == "good" else _damaged(i, detail, sep)
        if what == "good":
            expected.add(f"10.5555/good.{i}")
        else:
            damaged.append((i + 1, line, detail))
        lines.append(text)
        line += text.count("\n") + 1
    data = ("\n".join(lines) + "\n").encode()
    name = "list.tsv" if sep == "\t" else "list.csv"
    result = read_upload(data, name)
    assert result.rows == len(rows), (result.rows, len(rows))
    report = validate(result) if expected else None
    if report is not None:
        kept = set(report.items.filter(pl.col("status") == "valid")["key"].to_list())
        assert expected <= kept, sorted(expected - kept)
        for row, at_line, kind in damaged:
            assert _reported(result, report, row, at_line, kind), (
                row,
                at_line,
                kind,
                result.warnings,
            )
