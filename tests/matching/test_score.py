"""Scoring candidates: the committed model, near misses, the automatic decision."""

from __future__ import annotations

from lib.matching import Candidate, load_model, parse_reference, rank_candidates
from lib.matching.candidates import journal_agrees
from lib.matching.score import automatic

REF = parse_reference(
    "Smith JA, Jones B. Effect of aspirin on stroke in older adults: a randomised trial. "
    "N Engl J Med. 2019;380(12):1123-1131."
)
TRUE = Candidate(
    "crossref",
    doi="10.1056/true",
    title="Effect of aspirin on stroke in older adults: a randomised trial",
    authors=("Smith", "Jones"),
    year=2019,
    journal="New England Journal of Medicine",
    volume="380",
    first_page="1123",
    type="journal-article",
)


def _like(**changes: object) -> Candidate:
    return Candidate(**{**TRUE.__dict__, **changes})  # type: ignore[arg-type]


def test_the_true_work_is_accepted_and_its_fields_agree() -> None:
    ranked = rank_candidates(REF, [TRUE])
    assert automatic(ranked) is not None
    verdicts = {f.field: f.verdict for f in ranked[0].fields}
    assert set(verdicts.values()) == {"agrees"}


def test_near_misses_are_not_accepted_automatically() -> None:
    model = load_model()
    for miss in (
        _like(doi="10.1/later", year=2022, volume="386"),
        _like(doi="10.1/erratum", title="Erratum: " + (TRUE.title or ""), year=2020),
        _like(doi="10.1/abstract", journal="Annual Meeting Abstracts", type="proceedings-article"),
    ):
        ranked = rank_candidates(REF, [miss])
        assert ranked[0].probability < model.threshold, miss


def test_the_true_work_wins_over_its_near_misses() -> None:
    ranked = rank_candidates(
        REF,
        [
            _like(doi="10.1/later", year=2022, volume="386"),
            TRUE,
            _like(doi="10.1/x", title="Other"),
        ],
    )
    assert ranked[0].candidate.doi == "10.1056/true"
    assert automatic(ranked) is not None


def test_two_lookups_of_one_work_become_one_candidate() -> None:
    ranked = rank_candidates(REF, [TRUE, _like(source="openalex", pmid="123")])
    assert len(ranked) == 1
    assert ranked[0].candidate.source == "crossref+openalex"
    assert ranked[0].candidate.pmid == "123"


def test_two_works_both_above_the_threshold_go_to_a_person() -> None:
    ranked = rank_candidates(REF, [TRUE, _like(doi="10.1056/twin")])
    assert automatic(ranked) is None


def test_journal_abbreviations_agree_with_full_names() -> None:
    assert journal_agrees("N Engl J Med", "The New England Journal of Medicine")
    assert journal_agrees("PLoS ONE", "PLOS ONE")
    assert not journal_agrees("Lancet", "Journal of Cardiac Surgery")
