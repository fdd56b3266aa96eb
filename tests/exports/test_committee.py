import io
import re
import zipfile
from datetime import date

import polars as pl
import pytest

from lib.exports.committee import committee_html, committee_xlsx
from lib.views.compare import Candidate, build_comparison
from lib.views.compare_figures import comparison_figures
from tests.views.compare_data import three_candidates

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def comparison():
    works, candidates = three_candidates()
    # A title that a spreadsheet would otherwise run as a formula.
    works = works.with_columns(
        title=pl.when(pl.col("key").str.ends_with(".0"))
        .then(pl.lit('=HYPERLINK("http://evil.example","x")'))
        .otherwise(pl.col("title"))
    )
    return build_comparison(works, candidates, today=TODAY, data_date=date(2026, 11, 20))


@pytest.fixture(scope="module")
def html(comparison):
    return committee_html(comparison, comparison_figures(comparison))


def test_html_is_self_contained_with_every_chart(html, comparison):
    figures = comparison_figures(comparison)
    assert html.count('class="plotly-graph-div"') == len(figures) == 9
    # plotly.js inlined exactly once, and nothing is fetched from elsewhere.
    assert len(re.findall(r"plotly\.js v\d", html)) == 1
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=", html)


def test_html_states_the_settings_caveats_warnings_and_data_date(html):
    for text in (
        "Cardiology",
        "Oncology",
        "2005",
        "stated in the collection",
        "Responsible use",
        "Attention is not quality",
        "No journal impact factor",
        "different career stages",
        "2026-11-20",
        "Reference set of each normalised indicator",
        "Coverage and missing data per source per candidate",
        "Clinical and policy impact",
        "Triangulation per candidate",
    ):
        assert text in html, text
    assert "— · " not in html  # cells put n on its own line, not glued to the dash


def test_html_prints_cleanly(html):
    assert "@media print" in html and "break-before: page" in html
    assert "page-break-inside: avoid" in html
    assert '"displayModeBar": false' in html


def test_html_orders_normalised_before_raw_counts(html):
    assert html.index("Field- and year-normalised") < html.index("Raw counts")
    assert "Impact Factor" not in html and "JIF" not in html


def test_html_shows_missing_as_a_dash_and_counts_it(html):
    assert "Works without a value (not plotted, not counted as 0): Dr A" in html
    assert "Cand C 10 of 10" in html
    assert ">—<small>" in html


def test_xlsx_sheets_missing_cells_and_no_formulas(comparison):
    data = committee_xlsx(comparison)
    sheets = pl.read_excel(io.BytesIO(data), sheet_id=0)
    names = list(sheets)
    assert names[0] == "Indicators"
    assert [n for n in names if n.startswith("Works")] == [
        "Works 1 Dr A",
        "Works 2 Dr B",
        "Works 3 Cand C",
    ]
    assert "Caveats and provenance" in names
    indicators = sheets["Indicators"]
    assert indicators.height == comparison.indicators.height
    assert set(indicators["field"].to_list()) == {"Cardiology", "Oncology", "—"}
    c_rows = indicators.filter((pl.col("candidate") == "Cand C") & (pl.col("name") == "h_index"))
    assert c_rows["value"][0] == "—"
    caveats = " ".join(sheets["Caveats and provenance"].to_series())
    assert "Attention is not quality" in caveats and "2026-11-20" in caveats
    assert "Reference set, FWCI" in caveats
    works_c = sheets["Works 3 Cand C"]
    assert works_c.height == 10 and (works_c["citations"] == "—").all()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "".join(
            archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")
        )
    assert "<f>" not in xml
    works_a = sheets["Works 1 Dr A"]
    assert works_a["title"][0].startswith("'=HYPERLINK")


def test_reports_carry_a_candidate_with_an_empty_collection():
    works, candidates = three_candidates()
    result = build_comparison(works, [*candidates, Candidate("Empty", None, None)], today=TODAY)
    html = committee_html(result, comparison_figures(result))
    assert "Empty: the collection has no works" in html
    sheets = pl.read_excel(io.BytesIO(committee_xlsx(result)), sheet_id=0)
    assert sheets["Works 4 Empty"].height == 0


def test_xlsx_number_formats_years_plain_counts_whole_no_float_noise(comparison):
    from tests.exports.xlsx_formats import cell_formats, stored_numbers

    data = committee_xlsx(comparison)
    sheets = pl.read_excel(io.BytesIO(data), sheet_id=0)
    indicators = cell_formats(data, 1, sheets["Indicators"].columns)
    assert indicators["career_start"] <= {"0"}
    works = cell_formats(data, 2, sheets["Works 1 Dr A"].columns)
    assert works["year"] == {"0"}  # 2012, never 2,012
    assert works["citations"] <= {"#,##0"}
    for sheet in (1, 2):
        # xlsxwriter writes %.16g (0.81 as 0.8100000000000001, the same double): compare values
        noisy = [v for v in stored_numbers(data, sheet) if float(v) != round(float(v), 2)]
        assert noisy == [], noisy[:5]
