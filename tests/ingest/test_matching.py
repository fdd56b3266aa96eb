"""The matching pipeline over real HTTP to the mock API and a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from lib import store
from lib.exports import export_collection
from lib.ingest.match_review import apply_review, decide, write_review
from lib.ingest.matching import references_in_file, references_in_text, run_matching
from lib.settings import Settings
from tests.mockapi import CatalogueWork, MockApi

WORKS = [
    CatalogueWork(
        doi="10.1056/nejm.aspirin",
        title="Effect of aspirin on stroke in older adults: a randomised trial",
        year=2019,
        authors=(("Jane", "Smith"), ("Bo", "Jones")),
        journal="New England Journal of Medicine",
        volume="380",
        first_page="1123",
        pmid="30900001",
    ),
    CatalogueWork(
        doi="10.1056/nejm.aspirin.erratum",
        title="Erratum: Effect of aspirin on stroke in older adults: a randomised trial",
        year=2020,
        authors=(("Jane", "Smith"),),
        journal="New England Journal of Medicine",
    ),
    CatalogueWork(
        doi="10.1111/jocs.sleep",
        title="Sleep and recovery after cardiac surgery",
        year=2021,
        authors=(("Jane", "Smith"), ("Dan", "Brown")),
        journal="Journal of Cardiac Surgery",
        volume="36",
        first_page="1200",
    ),
    CatalogueWork(
        doi="10.1016/lancet.other",
        title="Anticoagulation in the very old: an observational cohort",
        year=2018,
        authors=(("Ann", "Other"),),
        journal="Lancet",
    ),
]
CV = """Publications 2019-2024

1. Smith J, Jones B. Effect of aspirin on stroke in older adults: a randomised trial. N Engl J Med. 2019;380(12):1123-1131.
2. Smith, J., & Brown, D. (2021). Sleep and recovery after cardiac surgery. Journal of Cardiac Surgery, 36(4), 1200-1208.
3. Smith J. Anticoagulation in the elderly: a review of the evidence. Lancet. 2022;399:55-66.
4. Notes for the committee without any year
"""


def _settings(api: MockApi) -> Settings:
    return Settings.from_mapping(
        api.environ() | {"TRIANGULATE_CROSSREF_RATE": "500", "TRIANGULATE_OPENALEX_RATE": "500"}
    )


def _run(api: MockApi, db: Path) -> object:
    split, refs = references_in_text(CV)
    return run_matching(db, "cv", refs, _settings(api), skipped=dict(split.skipped))


def test_a_cv_becomes_works_and_unmatched_rows_in_input_order(
    mock_api: MockApi, tmp_path: Path
) -> None:
    mock_api.catalogue.add(WORKS)
    db = tmp_path / "t.duckdb"
    summary = _run(mock_api, db)
    assert summary.references == 4 and summary.skipped == {"heading": 1, "blank line": 2}
    with store.connect(db) as con:
        items = store.collection_items(con, "cv")
        refs = store.match_references(con, "cv")
        works = store.collection_keys(con, "cv")
    # Only verified matches are works (what the reports read); the rest are rows, not works.
    assert works == ["10.1056/nejm.aspirin", "10.1111/jocs.sleep"]
    assert items["status"].to_list() == ["valid", "valid", "unmatched", "unmatched"]
    assert items["key"].to_list()[:2] == ["10.1056/nejm.aspirin", "10.1111/jocs.sleep"]
    assert items["input"][0].startswith("Smith J, Jones B. Effect of aspirin")
    assert refs["status"].to_list() == ["auto", "auto", "review", "unparsed"]
    assert items["reason"][3] == "no year found"
    assert "needs a person" in items["reason"][2]
    # ECitMatch was asked for the reference that has journal, year, volume, page and author.
    assert mock_api.requests("ecitmatch")


def test_export_lists_every_reference_and_the_counts(mock_api: MockApi, tmp_path: Path) -> None:
    mock_api.catalogue.add(WORKS)
    db = tmp_path / "t.duckdb"
    _run(mock_api, db)
    with store.connect(db) as con:
        out = export_collection(con, "cv", "csv", tmp_path / "cv.csv")
        counts = store.match_counts(con, "cv")
    frame = pl.read_csv(out)
    assert frame.height == 4
    assert frame["status"].to_list() == ["valid", "valid", "unmatched", "unmatched"]
    assert counts == {"automatic": 2, "by_hand": 0, "unmatched": 2, "waiting_for_review": 1}


def test_a_lookup_failure_leaves_the_reference_pending_and_a_rerun_resumes(
    mock_api: MockApi, tmp_path: Path
) -> None:
    mock_api.catalogue.add(WORKS)
    for source in ("crossref", "openalex"):
        mock_api.behave(source, down=True)
    db = tmp_path / "t.duckdb"
    _run(mock_api, db)
    with store.connect(db) as con:
        items = store.collection_items(con, "cv")
    assert items["status"].to_list() == ["unmatched"] * 4
    assert items["reason"][0].startswith("lookup failed: ")
    for source in ("crossref", "openalex"):
        mock_api.behave(source, down=False)
    mock_api.reset_counts()
    summary = _run(mock_api, db)
    assert summary.looked_up == 3  # the unparsed reference is not looked up
    assert summary.counts["auto"] == 2
    mock_api.reset_counts()
    assert _run(mock_api, db).looked_up == 0  # decided references are not asked again
    assert not mock_api.requests("crossref")


def test_review_file_round_trip_accepts_by_hand(mock_api: MockApi, tmp_path: Path) -> None:
    mock_api.catalogue.add(WORKS)
    db = tmp_path / "t.duckdb"
    _run(mock_api, db)
    review = tmp_path / "review.csv"
    write_review(db, "cv", review)
    frame = pl.read_csv(review, infer_schema=False)
    assert frame["position"].unique().len() == 4  # every reference, even without candidates
    pick = frame.with_columns(
        decision=pl.when((pl.col("position") == "3") & (pl.col("rank") == "1"))
        .then(pl.lit("accept"))
        .otherwise(pl.lit(""))
    )
    pick.write_csv(review)
    assert apply_review(db, review) == {"accepted": 1, "rejected": 0}
    with store.connect(db) as con:
        items = store.collection_items(con, "cv")
        counts = store.match_counts(con, "cv")
    assert items["status"].to_list()[:3] == ["valid"] * 3
    assert items["reason"][2] == "matched by hand"
    assert counts["by_hand"] == 1
    decide(db, "cv", 3, None)
    with store.connect(db) as con:
        assert store.collection_items(con, "cv")["status"][2] == "unmatched"


BIBTEX_WITHOUT_DOIS = b"""@article{smith2019,
  title = {Effect of aspirin on stroke in older adults: a randomised trial},
  author = {Smith, Jane and Jones, Bo},
  journal = {New England Journal of Medicine},
  year = {2019},
  volume = {380},
  pages = {1123--1131}
}
@article{smith2021,
  title = {Sleep and recovery after cardiac surgery},
  author = {Smith, Jane and Brown, Dan},
  journal = {Journal of Cardiac Surgery},
  year = {2021}
}
"""


def test_a_bibtex_file_without_dois_is_offered_for_matching(
    mock_api: MockApi, tmp_path: Path
) -> None:
    refs = references_in_file(BIBTEX_WITHOUT_DOIS, "refs.bib")
    assert [r.title for r in refs] == [
        "Effect of aspirin on stroke in older adults: a randomised trial",
        "Sleep and recovery after cardiac surgery",
    ]
    assert (
        refs[0].first_author == "Smith" and refs[0].year == 2019
    )  # (the BibTeX reader keeps no volume)
    mock_api.catalogue.add(WORKS)
    summary = run_matching(tmp_path / "t.duckdb", "bib", refs, _settings(mock_api))
    assert summary.counts == {"auto": 2}


def test_find_me_in_openalex_picks_split_profiles_and_imports_their_works(
    mock_api: MockApi, tmp_path: Path
) -> None:
    from lib.ingest.openalex_people import find_authors, portfolio_from_openalex_authors

    profiles = [
        {
            "id": f"https://openalex.org/{aid}",
            "display_name": "Jane Smith",
            "works_count": n,
            "orcid": None,
            "last_known_institutions": [{"display_name": inst}],
            "topics": [],
        }
        for aid, n, inst in (("A1", 2, "Bangor University"), ("A2", 1, "Bangor University"))
    ] + [{"id": "https://openalex.org/A9", "display_name": "Someone Else", "works_count": 5}]
    mock_api.catalogue.authors += profiles
    works = [
        CatalogueWork(**{**w.__dict__, "author_ids": ("A1",) if i < 2 else ("A2",)})
        for i, w in enumerate(WORKS[:3])
    ]
    mock_api.catalogue.add(works)
    settings = _settings(mock_api)
    found = find_authors("Jane Smith", settings)
    assert [a.id for a in found] == ["A1", "A2"]
    assert found[0].institutions == ("Bangor University",)
    saved = portfolio_from_openalex_authors(
        tmp_path / "t.duckdb", "jane", found, settings, person="Jane Smith"
    )
    assert saved == 3
    with store.connect(tmp_path / "t.duckdb") as con:
        assert sorted(store.collection_keys(con, "jane")) == sorted(w.doi for w in works)


def test_a_long_paste_reports_progress_with_eta_and_can_be_cancelled(
    mock_api: MockApi, tmp_path: Path
) -> None:
    import threading

    mock_api.catalogue.add(WORKS)
    lines = [
        f"{i}. Smith J. Outcomes of cohort study number {i} in older adults. J Aging. 2019;{i}:1-9."
        for i in range(1, 46)
    ]
    _split, refs = references_in_text("\n".join(lines))
    assert len(refs) == 45
    cancel = threading.Event()
    seen = []

    def on_progress(progress: object) -> None:
        seen.append(progress)
        cancel.set()  # cancel after the first chunk is stored

    db = tmp_path / "t.duckdb"
    first = run_matching(
        db, "long", refs, _settings(mock_api), on_progress=on_progress, cancel=cancel
    )
    assert first.cancelled and "cancelled" in first.line()
    assert seen[0].done == 20 and seen[0].total == 45 and seen[0].eta_seconds > 0
    assert first.counts.get("pending") == 25  # not looked up yet, still listed
    with store.connect(db) as con:
        assert store.collection_items(con, "long").height == 45
    second = run_matching(db, "long", refs, _settings(mock_api))
    assert not second.cancelled and second.looked_up == 25
    assert "pending" not in second.counts


def test_matching_never_overwrites_a_collection_it_did_not_build(
    mock_api: MockApi, tmp_path: Path
) -> None:
    import pytest

    from lib.ingest.matching import CollectionInUse

    db = tmp_path / "t.duckdb"
    with store.connect(db) as con:
        store.save_collection(
            con, "mine", pl.DataFrame({"input": ["10.1/x"], "key": ["10.1/x"], "status": ["valid"]})
        )
    _split, refs = references_in_text(CV)
    with pytest.raises(CollectionInUse, match="already exists"):
        run_matching(db, "mine", refs, _settings(mock_api))
    with store.connect(db) as con:
        assert store.collection_keys(con, "mine") == ["10.1/x"]
    assert not mock_api.requests("crossref")
