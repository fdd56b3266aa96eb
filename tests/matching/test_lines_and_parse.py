"""Splitting a CV into references and parsing them into fields (lib/matching, pure)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lib.matching import parse_reference, split_references
from lib.matching.parse import ParsedReference

CV = """Jane Q. Smith, MD PhD
Curriculum vitae

Publications 2019\u20132024

1. Smith JQ, Jones B, Lee C. Effect of aspirin on stroke in older adults: a randomised
   trial. N Engl J Med. 2019;380(12):1123-1131.
2. Smith, J. Q., & Brown, D. (2021). Sleep and recovery after cardiac surgery. Journal of
   Cardiac Surgery, 36(4), 1200-1208. https://doi.org/10.1111/jocs.15000

Reviews
3. Smith JQ. Anticoagulation in the elderly: a review of the evidence. Lancet. 2022;399:55-66.

Page 2 of 7
"""


def test_a_cv_gives_its_references_and_counts_what_it_skipped() -> None:
    split = split_references(CV)
    assert [r.position for r in split.references] == [1, 2, 3]
    assert split.references[0].text.endswith("2019;380(12):1123-1131.")
    assert "randomised trial" in split.references[0].text  # the wrapped line is joined
    assert split.skipped["heading"] >= 3  # name line, "Publications 2019-2024", "Reviews"
    assert split.skipped["page number"] == 1
    assert split.skipped["blank line"] >= 3


def test_vancouver_reference_fields() -> None:
    ref = parse_reference(
        "Smith JA, Jones B, Lee C. Effect of aspirin on stroke in older adults: a randomised "
        "trial. N Engl J Med. 2019;380(12):1123-1131."
    )
    assert ref.style == "vancouver"
    assert ref.title == "Effect of aspirin on stroke in older adults: a randomised trial"
    assert ref.authors == ("Smith", "Jones", "Lee")
    assert (ref.year, ref.journal, ref.volume, ref.issue, ref.first_page) == (
        2019,
        "N Engl J Med",
        "380",
        "12",
        "1123",
    )
    assert ref.problem is None


def test_apa_reference_fields_and_the_doi_inside_it() -> None:
    ref = parse_reference(
        "van der Berg, A., & O'Neil, B. (2020). Why sleep matters? A review. Sleep, 43(2), "
        "e1-e9. https://doi.org/10.1093/SLEEP/zsz999"
    )
    assert ref.style == "apa"
    assert ref.title == "Why sleep matters? A review"
    assert ref.authors == ("van der Berg", "O'Neil")
    assert (ref.year, ref.journal, ref.volume, ref.first_page) == (2020, "Sleep", "43", "e1")
    assert ref.doi == "10.1093/sleep/zsz999"


def test_a_line_without_a_year_is_listed_with_why() -> None:
    ref = parse_reference("Some notes about the methods used in the laboratory this term")
    assert ref.problem == "no year found"


def test_rows_with_fields_keep_them() -> None:
    ref = ParsedReference.from_fields(
        "x", title="A study of things", authors="Smith, John and Doe, Jane", year=2001
    )
    assert ref.authors == ("Smith", "Doe")
    assert ref.problem is None


@given(st.text(max_size=300))
def test_any_text_splits_and_parses_without_raising(text: str) -> None:
    for line in split_references(text).references:
        parse_reference(line.text)


@given(
    title=st.from_regex(r"[A-Z][a-z]{3,10}( [a-z]{3,10}){3,8}", fullmatch=True),
    year=st.integers(1950, 2030),
    volume=st.integers(1, 999),
    page=st.integers(1, 9999),
)
def test_a_rendered_vancouver_reference_parses_back(
    title: str, year: int, volume: int, page: int
) -> None:
    ref = parse_reference(
        f"Smith AB, Jones C. {title}. J Clin Med. {year};{volume}:{page}-{page + 9}."
    )
    assert (ref.title, ref.year, ref.volume, ref.first_page) == (
        title,
        year,
        str(volume),
        str(page),
    )
    assert ref.first_author == "Smith"
