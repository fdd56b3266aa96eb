"""Paste a CV of 30 references in Chromium: suggested matches come back, right ones taken."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench.labelled_references import STYLES, export_records, render
from lib import store
from tests.e2e.browser import wait_for_app
from tests.e2e.conftest import start_streamlit

pytestmark = pytest.mark.e2e


def test_paste_a_cv_of_30_references_and_see_the_matches(
    page, fresh_copy, mock_api, reference_dir: Path
):
    works = export_records(reference_dir)[:30]
    mock_api.catalogue.add(works)
    lines = ["Jane Smith — Curriculum vitae", "", "Publications 2005-2024", ""]
    lines += [f"{i}. {render(w, STYLES[i % 2])}" for i, w in enumerate(works, start=1)]
    lines += ["", "Page 3 of 9"]
    fast = {f"TRIANGULATE_{s}_RATE": "200" for s in ("CROSSREF", "OPENALEX", "ECITMATCH")}
    proc, url = start_streamlit(fresh_copy, mock_api.environ() | fast)
    try:
        page.goto(url)
        wait_for_app(page)
        page.get_by_test_id("stSidebarNav").get_by_text("Portfolio", exact=True).click()
        wait_for_app(page)
        page.get_by_text("Build a new portfolio").click()
        page.get_by_role("tab", name="Paste my CV / reference list").click()
        panel = page.get_by_role("tabpanel", name="Paste my CV / reference list")
        panel.get_by_label("Portfolio name").fill("jane cv")
        panel.get_by_label("Portfolio name").press("Enter")
        box = panel.get_by_label(
            "Paste your CV or reference list (one reference per line, or numbered)"
        )
        box.fill("\n".join(lines))
        box.press("Control+Enter")
        wait_for_app(page)
        expect(panel.get_by_text(re.compile(r"^30 references found; skipped: "))).to_be_visible()
        panel.get_by_role("button", name="Find matches").click()
        expect(page.get_by_text(re.compile(r"“jane cv”: 30 references"))).to_be_visible(
            timeout=240_000
        )
        page.get_by_role("button", name="Show the portfolio and the matches to review").click()
        wait_for_app(page)
        expect(page.get_by_role("heading", name="jane cv")).to_be_visible(timeout=120_000)
        with store.connect(fresh_copy) as con:
            refs = store.match_references(con, "jane cv")
            items = store.collection_items(con, "jane cv")
        assert refs.height == 30 and items.height == 30
        auto = refs.filter(refs["status"] == "auto")
        truth = {i + 1: w.doi for i, w in enumerate(works)}
        assert auto.height >= 24  # most are taken without asking
        assert all(truth[p] == k for p, k in zip(auto["position"], auto["chosen_key"], strict=True))
        waiting = refs.filter(refs["status"] == "review").height
        if waiting:
            expect(
                page.get_by_text(re.compile(rf"Review suggested matches \({waiting} reference"))
            ).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        proc.terminate()
        proc.wait(timeout=15)
