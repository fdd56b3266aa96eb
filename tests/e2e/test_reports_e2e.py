"""Issue 15.2: every chart of both HTML reports, rendered in Chromium, shows its labels whole,
keeps legends off titles, and prints to A4 and Letter with the summary on one page."""

import re
from datetime import date

import pytest

from lib import store
from lib.charts.palette import OKABE_ITO
from lib.views.compare import build_comparison, candidate_labels, default_candidate
from lib.views.compare_data import load_candidates
from lib.views.compare_figures import comparison_figures
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_screenshots_e2e import save_small_png

pytestmark = pytest.mark.e2e
CANDIDATES = tuple(
    f"{n} (fictional)" for n in ("Dr. Ada Example", "Dr. Clara Sample", "Dr. Dev Mock")
)

# Per chart: text items that lie outside the figure (cut labels), and legend/title overlaps.
CHECK_CHARTS = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((plot, index) => {
  const box = plot.getBoundingClientRect();
  const cut = [];
  plot.querySelectorAll('.ytick text, .xtick text, .g-ytitle text, .g-xtitle text, .legendtext, .gtitle')
    .forEach(t => {
      const r = t.getBoundingClientRect();
      if (r.width === 0) return;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        cut.push(t.textContent);
    });
  const title = plot.querySelector('.gtitle');
  const legend = plot.querySelector('.legend');
  let overlap = false;
  if (title && legend) {
    const a = title.getBoundingClientRect(), b = legend.getBoundingClientRect();
    overlap = a.width > 0 && b.width > 0 && !(a.bottom <= b.top || b.bottom <= a.top || a.right <= b.left || b.right <= a.left);
  }
  // Axis titles clear of their tick labels, and the legend clear of both.
  const rects = sel => Array.from(plot.querySelectorAll(sel)).map(t => [t.textContent, t.getBoundingClientRect()]).filter(([, r]) => r.width > 0);
  const hit = (a, b) => !(a.bottom <= b.top || b.bottom <= a.top || a.right <= b.left || b.right <= a.left);
  const clashes = [];
  for (const axis of ['x', 'y']) {
    for (const [name, r] of rects(`.g-${axis}title text`))
      for (const [tick, t] of rects(`.${axis}tick text`))
        if (hit(r, t)) clashes.push(`${axis} axis title '${name}' over tick '${tick}'`);
  }
  const legendBox = legend ? legend.getBoundingClientRect() : null;
  if (legendBox && legendBox.width > 0)
    for (const [name, r] of rects('.g-xtitle text, .xtick text'))
      if (hit(legendBox, r)) clashes.push(`legend over '${name}'`);
  return {index, title: title ? title.textContent : '', cut, overlap, clashes};
})
"""


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.fixture(scope="module")
def committee_report(e2e_db):
    # Built as the Compare page builds it: in a process that imported streamlit, which makes its
    # own template plotly's default (the reports came out without axis automargin).
    import streamlit  # noqa: F401

    from lib.exports.committee import committee_html

    with store.connect(e2e_db) as con:
        loaded = load_candidates(con, list(CANDIDATES))
    works = loaded["works"]
    candidates = [
        default_candidate(n, loaded["metas"].get(n), works.filter(works["candidate"] == n))
        for n in CANDIDATES
    ]
    comparison = build_comparison(
        works,
        candidates,
        today=date(2026, 12, 2),
        attention_reference=loaded["reference"],
        citation_reference=loaded["citation_reference"],
        data_date=loaded["data_date"],
        source_dates=loaded["source_dates"],
    )
    figures = comparison_figures(comparison)
    return comparison, figures, committee_html(comparison, figures)


@pytest.fixture(scope="module")
def portfolio_report(e2e_db):
    from lib.ui import portfolio as pf
    from lib.ui.portfolio_exports import summary_html

    data = pf._portfolio(str(e2e_db), CANDIDATES[0], "{}", (0.0, 0.0), None)
    return data, summary_html(data, CANDIDATES[0], data.table, date(2026, 12, 2))


def _open(browser, html: str, scheme: str = "light"):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.set_content(html, wait_until="load")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length > 0")
    return context, page


def _assert_charts_readable(page):
    # Plotly draws each chart, then lays it out again once it has measured its labels and legend
    # (automargin); on a busy machine a chart can sit in its first pass, legend over the ticks,
    # for a while. Check the settled layout, the one a reader sees: every chart drawn, fonts
    # loaded, and the same boxes on three looks in a row.
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.chart'))"
        ".every(c => c.querySelector('.js-plotly-plot .main-svg'))",
        timeout=30_000,
    )
    page.evaluate("document.fonts.ready.then(() => true)")
    looks = [page.evaluate(CHECK_CHARTS)]
    for _ in range(40):
        if len(looks) >= 3 and looks[-1] == looks[-2] == looks[-3]:
            break
        page.wait_for_timeout(250)
        looks.append(page.evaluate(CHECK_CHARTS))
    results = looks[-1]
    assert results, "no chart rendered"
    problems = [
        f"{chart['title'][:60]!r}: {problem}"
        for chart in results
        for problem in [
            *(f"label cut: {text}" for text in chart["cut"]),
            *(["legend over the title"] if chart["overlap"] else []),
            *chart["clashes"],
        ]
    ]
    assert problems == [], "\n".join(problems)


def _assert_light_document(page):
    """A report prints and travels: it stays dark-on-light under a dark system theme too
    (Chromium painted the page black behind the reports' dark text)."""
    canvas, text = page.evaluate(
        "[getComputedStyle(document.documentElement).backgroundColor,"
        " getComputedStyle(document.body).color]"
    )
    assert canvas == "rgb(255, 255, 255)", canvas
    assert text == "rgb(32, 33, 36)", text


def _shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    save_small_png(page.screenshot(), name)


def test_committee_report_charts_are_whole_and_distinguishable(browser, committee_report):
    comparison, figures, html = committee_report
    # Every series of the Spearman chart has its own colour (both were black).
    spearman = [t.marker.color for t in figures["correlations"].data]
    assert len(set(spearman)) == len(spearman) and None not in spearman
    # The composition chart's sources use the colour-blind-safe palette, all different.
    # The composition chart's sources use the colour-blind-safe palette; past eight sources a
    # fill pattern tells the reused colours apart (News, Peer review, Policy were all yellow).
    composition = [(t.marker.color, t.marker.pattern.shape) for t in figures["composition"].data]
    assert len(set(composition)) == len(composition)
    assert {colour for colour, _ in composition} <= set(OKABE_ITO)
    assert html.count("plotly.js v") == 1
    for scheme in ("light", "dark"):
        context, page = _open(browser, html, scheme)
        try:
            _assert_charts_readable(page)
            _assert_light_document(page)
            _shoot(page, f"report-committee-{scheme}")
            # The composition and quadrant charts, the ones the issue found unreadable.
            page.locator(".chart").nth(5).scroll_into_view_if_needed()
            _shoot(page, f"report-committee-charts-{scheme}")
            page.evaluate("window.scrollTo(0, 0)")
            ticks = page.locator(".js-plotly-plot .ytick text").all_text_contents()
            labels = [label for _, label in candidate_labels(comparison)]
            assert any(t.startswith(labels[0]) for t in ticks), (labels, ticks[:20])
            page.emulate_media(media="print")
            # Letter landscape is the narrower page: ~960 px of printable width.
            page.set_viewport_size({"width": 960, "height": 700})
            widest = page.evaluate(
                "Math.max(...Array.from(document.querySelectorAll('.js-plotly-plot'))"
                ".map(p => p.getBoundingClientRect().right))"
            )
            assert widest <= 960, widest
            for paper in ("A4", "Letter"):
                pdf = page.pdf(format=paper, landscape=True)
                assert pdf.startswith(b"%PDF")
                # Six sections, each on a fresh page; a chart never splits, so a few more pages.
                assert 6 <= pdf_pages(pdf) <= 16, (paper, pdf_pages(pdf))
        finally:
            context.close()


def test_portfolio_summary_is_one_page_with_an_appendix(browser, portfolio_report):
    _data, html = portfolio_report
    assert html.count("plotly.js v") == 1
    assert "Attention percentile bins" in html
    assert "Appendix" in html
    context, page = _open(browser, html, "dark")
    try:
        _assert_charts_readable(page)
        _assert_light_document(page)
        _shoot(page, "report-portfolio-dark")
    finally:
        context.close()
    context, page = _open(browser, html)
    try:
        _assert_charts_readable(page)
        _shoot(page, "report-portfolio-light")
        page.emulate_media(media="print")
        for paper in ("A4", "Letter"):
            whole = pdf_pages(page.pdf(format=paper))
            page.add_style_tag(content="section.appendix { display: none !important; }")
            summary = pdf_pages(page.pdf(format=paper))
            page.add_style_tag(content="section.appendix { display: block !important; }")
            assert summary == 1, f"the summary takes {summary} {paper} pages"
            assert whole > 1
    finally:
        context.close()
