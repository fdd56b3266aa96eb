"""Matching on the pages (AppTest): the Upload page offers a BibTeX file without DOIs for
matching; the Portfolio page shows the references waiting for a person and applies a decision."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from lib import store
from lib.ingest.matching import references_in_text, run_matching
from lib.settings import Settings
from tests.ingest.test_matching import BIBTEX_WITHOUT_DOIS, CV, WORKS
from tests.mockapi import MockApi

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _page(page: str, collection: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if collection:
        at.session_state["collection"] = collection
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def test_upload_offers_a_bibtex_file_without_dois_for_matching(empty_db: Path) -> None:
    at = _page("app_pages/upload.py")
    at.file_uploader(key="upload_file").set_value(
        ("refs.bib", BIBTEX_WITHOUT_DOIS, "text/plain")
    ).run()
    assert not at.exception, at.exception
    assert any("2 rows have no DOI or PMID" in i.value for i in at.info)
    assert any(b.label == "Match these 2 references" for b in at.button)


def test_portfolio_review_accepts_a_candidate_by_hand(empty_db: Path, mock_api: MockApi) -> None:
    mock_api.catalogue.add(WORKS)
    settings = Settings.from_mapping(mock_api.environ() | {"TRIANGULATE_CROSSREF_RATE": "500"})
    _split, refs = references_in_text(CV)
    run_matching(empty_db, "cv", refs, settings)
    at = _page("app_pages/portfolio.py", "cv")
    assert any("Review suggested matches (1 reference needs you)" in e.label for e in at.expander)
    pick = at.radio(key="pf_review_pick_3")
    assert pick.options[-1] == "None of these"
    assert pick.value is not None  # the most probable candidate is offered first
    at.button(key="pf_review_save_3").click().run()
    assert not at.exception, at.exception
    with store.connect(empty_db) as con:
        refs_after = store.match_references(con, "cv")
    assert refs_after["status"].to_list()[2] == "accepted"
    assert refs_after["decided_by"].to_list()[2] == "person"


def test_find_me_in_openalex_imports_the_chosen_profiles(
    empty_db: Path, mock_api: MockApi, monkeypatch
) -> None:
    from tests.mockapi import CatalogueWork

    for name, value in mock_api.environ().items():
        monkeypatch.setenv(name, value)
    mock_api.catalogue.authors += [
        {
            "id": "https://openalex.org/A1",
            "display_name": "Jane Smith",
            "works_count": 2,
            "last_known_institutions": [{"display_name": "Bangor University"}],
            "topics": [{"display_name": "Stroke"}],
        },
    ]
    mock_api.catalogue.add(
        [CatalogueWork(**{**w.__dict__, "author_ids": ("A1",)}) for w in WORKS[:2]]
    )
    at = _page("app_pages/portfolio.py")
    at.text_input(key="pf_oa_name").input("jane").run()
    at.text_input(key="pf_oa_who").input("Jane Smith").run()
    at.button(key="pf_oa_search").click().run()
    assert not at.exception, at.exception
    pick = at.multiselect(key="pf_oa_pick")
    assert pick.options == ["Jane Smith — Bangor University — Stroke — 2 works"]
    pick.select(pick.options[0]).run()
    at.button(key="pf_oa_go").click().run()
    assert not at.exception, at.exception
    with store.connect(empty_db) as con:
        assert sorted(store.collection_keys(con, "jane")) == sorted(w.doi for w in WORKS[:2])
        assert store.get_collection(con, "jane")["meta"]["openalex_authors"] == ["A1"]
