"""Exports: the HTML summary works offline and escapes titles; CSV and XLSX carry provenance."""

from datetime import datetime

import pytest

from lib import charts, store
from lib.exports.dossier import ReportContext
from lib.exports.summary import portfolio_html
from lib.metrics import CITATION_ORDER, portfolio_indicators, weights_description, weights_table
from lib.store import cohorts
from lib.views import portfolio as logic
from tests import portfolio_seed as seed


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "pf.duckdb"
    with store.connect(path) as con:
        seed.seed(con)
        keys = store.collection_keys(con, seed.FETCHED)
        items = store.collection_items(con, seed.FETCHED)
        works = store.works_wide(con, keys)
        log = store.fetch_log_long(con, keys)
        counts = cohorts.cohort_distributions(
            con,
            ["attention_score", "citations"],
            weights=weights_table(),
            citation_order=CITATION_ORDER,
        )
    references = {m: logic.reference_distribution_of(m, f) for m, f in counts.items()}
    table = logic.portfolio_table(works, items, references=references)
    context = ReportContext(
        collection=seed.FETCHED,
        person="Dr. Test Person",
        is_demo=True,
        data_dates=logic.data_dates(log),
        weights=weights_description(),
        reference_sets=["2020 works in this cache (n = 2)"],
        generated_at=datetime(2026, 11, 2, 10, 0),
    )
    indicators = portfolio_indicators(works, career_start=2015, today=datetime(2026, 11, 2).date())
    return table, context, indicators


def test_html_summary_is_self_contained_and_escapes_titles(exported):
    table, context, indicators = exported
    figures = [
        charts.triangulation_figure(table, None, None),
        charts.attention_composition_figure(logic.attention_composition(table)),
    ]
    page = portfolio_html(context, indicators, table, figures, ["Cited 40 times <b>."])
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Cited 40 times &lt;b&gt;." in page
    assert page.count("plotly.js v") >= 1  # the library itself is inlined, once
    assert "<script src=" not in page  # nothing fetched from a CDN
    assert "Fictional demo data" in page
    assert "Source OpenAlex: fetched 2026-11-01 to 2026-11-01" in page
    assert "2020 works in this cache (n = 2)" in page
    assert "News outlets 8" in page  # the weights
    assert "impact factor is used" in page


def test_summary_is_a_page_and_an_appendix_with_demo_labels_only_on_demo(exported):
    """Issue 15.2/15.6: a real one-page summary (details in the appendix), plotly once, and the
    demo notice only on fictional collections."""
    from dataclasses import replace

    from lib.metrics.triangulation import QUADRANTS

    table, context, indicators = exported
    figures = [
        charts.triangulation_figure(table, None, None),
        charts.attention_composition_figure(logic.attention_composition(table)),
    ]
    page = portfolio_html(replace(context, is_demo=False), indicators, table, figures)
    summary, appendix = page.split('<section class="appendix">')
    assert "Fictional demo data" not in page
    assert all(label.replace("<", "&lt;") in summary for label in QUADRANTS.values())
    assert "plotly.js v" not in summary and appendix.count("plotly.js v") == 1
    assert "Where the numbers come from" in appendix
