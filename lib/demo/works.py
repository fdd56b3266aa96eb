"""Fictional people and works for the demo: faculty profiles, titles, journals, identifiers.

Everything here is invented and says so: names end in "(fictional)", titles in "[fictional]", DOIs
use Crossref's test prefix 10.5555, PMIDs start with 9 (PubMed is in the 40-millions), and ORCIDs
sit in the unallocated 0000-0000 block while still passing the ISO 7064 checksum.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import polars as pl

DEMO_YEAR = 2026
DEMO_PMID_BASE = 99_000_000
SCALE_PMID_BASE = 90_000_000
AUTHOR_POSITIONS = ("first", "middle", "last", "corresponding")


@dataclasses.dataclass(frozen=True)
class Profile:
    """One fictional faculty member and how their work tends to be received."""

    slug: str
    person: str
    field: str
    career_start: int
    works: int
    story: str
    # Spelt out: to a type checker the `field: str` attribute above shadows a bare `field` here.
    offsets: dict[str, float] = dataclasses.field(default_factory=dict)  # factor/metric -> shift
    pmid_share: float = 0.85
    altmetric_share: float = 0.7
    clinical_share: float = 0.08  # expected share of citations from clinical articles
    positions: tuple[float, float, float, float] = (0.3, 0.4, 0.2, 0.1)  # AUTHOR_POSITIONS


PROFILES: tuple[Profile, ...] = (
    Profile(
        "educator", "Dr. Ada Example (fictional)", "Medical Education", 2011, 60,
        "medical educator: high social attention, modest citations",
        {"social": 1.3, "mentions": 0.6, "usage": 0.4, "citations": -0.7, "news_mentions": 0.5},
        pmid_share=0.65, altmetric_share=0.92, clinical_share=0.02,
    ),
    Profile(
        "lab", "Prof. Basil Placeholder (fictional)", "Molecular Biology", 2003, 90,
        "lab scientist: strong citations and readers, little social attention",
        {"citations": 1.0, "captures": 0.7, "social": -1.0, "mentions": -0.3},
        pmid_share=0.97, altmetric_share=0.5, clinical_share=0.01,
        positions=(0.2, 0.35, 0.35, 0.1),
    ),
    Profile(
        "clinician", "Dr. Clara Sample (fictional)", "Cardiology", 2006, 80,
        "clinician whose work reaches guidelines and policy",
        {"citations": 0.3, "policy_mentions": 1.8, "news_mentions": 0.4},
        pmid_share=0.95, altmetric_share=0.8, clinical_share=0.35,
    ),
    Profile(
        "early", "Dr. Dev Mock (fictional)", "Infectious Diseases", 2022, 25,
        "early-career researcher: few, recent works (provisional RCR)",
        {"social": 0.3}, pmid_share=0.85, altmetric_share=0.75,
        positions=(0.6, 0.3, 0.05, 0.05),
    ),
    Profile(
        "epidemiologist", "Prof. Edith Dummy (fictional)", "Epidemiology", 1992, 200,
        "senior epidemiologist with a long record",
        {"citations": 0.5, "mentions": 0.3, "policy_mentions": 0.9},
        pmid_share=0.9, altmetric_share=0.6, clinical_share=0.15,
        positions=(0.15, 0.25, 0.5, 0.1),
    ),
    Profile(
        "surgeon", "Dr. Felix Testcase (fictional)", "Surgery", 2000, 110,
        "surgeon and clinical trialist",
        {"citations": 0.2, "usage": 0.2, "policy_mentions": 0.6},
        pmid_share=0.93, altmetric_share=0.7, clinical_share=0.3,
    ),
)  # fmt: skip

TOPICS: dict[str, tuple[str, ...]] = {
    "Medical Education": ("simulation training", "assessment", "curriculum design", "feedback"),
    "Molecular Biology": (
        "protein folding",
        "gene regulation",
        "cell signalling",
        "CRISPR screens",
    ),
    "Cardiology": ("heart failure", "atrial fibrillation", "hypertension", "cardiac imaging"),
    "Infectious Diseases": ("antimicrobial resistance", "vaccination", "sepsis", "tuberculosis"),
    "Epidemiology": ("cohort studies", "screening", "air pollution", "obesity"),
    "Surgery": ("robotic surgery", "surgical site infection", "enhanced recovery", "trauma"),
}
FIELDS = tuple(TOPICS)
JOURNALS: dict[str, tuple[str, ...]] = {
    "Medical Education": ("Demo Medical Education", "Journal of Pretend Teaching in Medicine"),
    "Molecular Biology": ("Mock Molecular Biology", "Notional Cell Reports"),
    "Cardiology": ("Example Cardiology Letters", "Imaginary Heart Journal"),
    "Infectious Diseases": ("Invented Infectious Diseases", "Placeholder Vaccine Research"),
    "Epidemiology": ("Sample Epidemiology Review", "Journal of Hypothetical Public Health"),
    "Surgery": ("Annals of Placeholder Surgery", "Fictional Clinical Trials"),
}
STUDY_KINDS = np.array(
    [
        "A randomised trial of",
        "A cohort study of",
        "A systematic review of",
        "Outcomes of",
        "A qualitative study of",
        "Mechanisms of",
        "Trends in",
        "A pragmatic evaluation of",
    ]
)
SETTINGS = np.array(
    [
        "in a made-up teaching hospital",
        "in an imaginary region",
        "among invented patients",
        "in a fictional cohort",
        "in simulated primary care",
        "across pretend centres",
    ]
)
WORK_TYPES = np.array(["article", "review", "letter", "editorial"])
WORK_TYPE_P = np.array([0.8, 0.12, 0.05, 0.03])
OA_STATUSES = np.array(["gold", "green", "hybrid", "bronze", "diamond", "closed"])
OA_P = np.array([0.3, 0.2, 0.12, 0.08, 0.05, 0.25])


def orcid_check_digit(base15: str) -> str:
    """ISO 7064 11,2 check character of the first 15 digits of an ORCID iD."""
    total = 0
    for digit in base15:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def fictional_orcid(index: int) -> str:
    """A checksum-valid ORCID iD in the unallocated 0000-0000 block."""
    base = f"00000000000{index:04d}"
    digits = base + orcid_check_digit(base)
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def career_years(rng: np.random.Generator, start: int, n: int) -> np.ndarray:
    """Publication years over a career, denser towards the present (output grows)."""
    span = DEMO_YEAR - start + 1
    return start + np.floor(span * rng.random(n) ** 0.7).astype(np.int32)


def pick(
    rng: np.random.Generator, options: np.ndarray, n: int, p: np.ndarray | None = None
) -> np.ndarray:
    """n choices from options (vectorised)."""
    chosen: np.ndarray = options[rng.choice(options.size, size=n, p=p)]
    return chosen


def _choose(options: Sequence[str] | np.ndarray, index: np.ndarray) -> pl.Series:
    """Strings picked by index from a short list (a gather, so no per-row Python)."""
    return pl.Series(list(options), dtype=pl.String).gather(pl.Series(index, dtype=pl.UInt32))


def works_metadata(
    rng: np.random.Generator,
    years: np.ndarray,
    field_index: np.ndarray,
    pmid_share: np.ndarray,
    *,
    prefix: str = "demo",
    serial_start: int = 1,
    pmid_base: int = DEMO_PMID_BASE,
) -> pl.DataFrame:
    """Work rows (the `work` table's columns) for fictional works, one per year given."""
    n = years.size
    serial = pl.int_range(serial_start, serial_start + n, eager=True, dtype=pl.Int64)
    topic_index = field_index * 4 + rng.integers(0, 4, n)
    journal_index = field_index * 2 + rng.integers(0, 2, n)
    last_day = np.where(years == DEMO_YEAR, 300, 364)
    day = np.floor(rng.random(n) * (last_day + 1)).astype(np.int64)
    topics = [t for f in FIELDS for t in TOPICS[f]]
    journals = [j for f in FIELDS for j in JOURNALS[f]]
    digits = 7 if prefix == "scale" else 5
    frame = pl.DataFrame(
        {
            "year": pl.Series(years, dtype=pl.Int32),
            "serial": serial.cast(pl.String).str.zfill(digits),
            "pmid": (serial + pmid_base).cast(pl.String),
            "has_pmid": rng.random(n) < pmid_share,
            "kind": _choose(STUDY_KINDS, rng.integers(0, STUDY_KINDS.size, n)),
            "topic": _choose(topics, topic_index),
            "setting": _choose(SETTINGS, rng.integers(0, SETTINGS.size, n)),
            "journal": _choose(journals, journal_index),
            "pub_date": pl.Series(
                (years - 1970).astype("datetime64[Y]").astype("datetime64[D]") + day
            ),
            "type": _choose(WORK_TYPES, rng.choice(WORK_TYPES.size, n, p=WORK_TYPE_P)),
            "oa_status": _choose(OA_STATUSES, rng.choice(OA_STATUSES.size, n, p=OA_P)),
            "field": _choose(FIELDS, field_index),
        }
    )
    doi = pl.format(f"10.5555/{prefix}.{{}}.{{}}", "year", "serial")
    return frame.select(
        key=doi,
        doi=doi,
        pmid=pl.when("has_pmid").then("pmid"),
        title=pl.format("{} {} {} [fictional]", "kind", "topic", "setting"),
        journal="journal",
        year="year",
        pub_date=pl.col("pub_date").cast(pl.Date),
        type="type",
        oa_status="oa_status",
        field="field",
        topic="topic",
        is_demo=pl.lit(True),
    )


def author_positions(rng: np.random.Generator, p: tuple[float, ...], n: int) -> np.ndarray:
    """Author position per work, drawn from a profile's probabilities."""
    return pick(rng, np.array(AUTHOR_POSITIONS), n, np.asarray(p))
