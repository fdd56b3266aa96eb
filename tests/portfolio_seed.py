"""Small, explicit caches for the Portfolio and Article tests, written with the store writers."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from lib import store

AS_OF = datetime(2026, 11, 1, 9, 30)
FETCHED = "Fetched portfolio"
UNFETCHED = "Unfetched portfolio"
FAILED = "Failed portfolio"
SINGLE = "Single-work portfolio"
WEB = ("openalex", "icite", "crossref", "europepmc", "semanticscholar", "altmetric")

WORKS = pl.DataFrame(
    {
        "key": ["10.1234/a.1", "10.1234/b.2", "pmid:123456", "10.1234/u.1", "10.1234/f.1"],
        "doi": ["10.1234/a.1", "10.1234/b.2", None, "10.1234/u.1", "10.1234/f.1"],
        "pmid": ["111", None, "123456", None, None],
        "title": [
            "Alpha trial of <script>alert(1)</script> care",
            "Beta cohort study",
            "Gamma review",
            "Unfetched work",
            "Failed work",
        ],
        "journal": ["J One", "J Two", "J One", "J Three", "J Three"],
        "year": [2020, 2020, 2021, 2022, 2022],
        "type": ["article", "article", "review", "article", "article"],
    }
)


def _observations() -> pl.DataFrame:
    rows = [
        ("10.1234/a.1", "openalex", "citations_openalex", 40.0),
        ("10.1234/a.1", "crossref", "citations_crossref", 31.0),
        ("10.1234/a.1", "icite", "rcr", 2.5),
        ("10.1234/a.1", "altmetric", "news_mentions", 3.0),
        ("10.1234/a.1", "altmetric", "x_posts", 12.0),
        ("10.1234/a.1", "altmetric", "mendeley_readers", 80.0),
        ("10.1234/b.2", "openalex", "citations_openalex", 2.0),
        ("10.1234/b.2", "altmetric", "news_mentions", 0.0),
        ("pmid:123456", "openalex", "citations_openalex", 0.0),
    ]
    return pl.DataFrame(
        rows, schema=["key", "source", "metric", "value"], orient="row"
    ).with_columns(as_of=pl.lit(AS_OF))


def _outcomes(keys: list[str], status: str, message: str | None = None) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "key": [k for k in keys for _ in WEB],
            "source": [s for _ in keys for s in WEB],
            "status": status,
            "http_status": 200 if status == "ok" else 503,
            "fetched_at": AS_OF,
            "message": message,
        },
        schema_overrides={"message": pl.String},
    )


def _items(keys: list[str], positions: list[str | None] | None = None) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "input": keys,
            "key": keys,
            "status": "valid",
            "author_position": positions or [None] * len(keys),
        },
        schema_overrides={"author_position": pl.String},
    )


def seed(con) -> None:
    """Four portfolios: fetched, never fetched, every source failed, and a single work."""
    fetched = ["10.1234/a.1", "10.1234/b.2", "pmid:123456"]
    with store.transaction(con):
        store.upsert_works(con, WORKS)
        store.replace_observations(con, _observations())
        store.record_fetch_outcomes(
            con,
            pl.concat(
                [
                    _outcomes(fetched, "ok"),
                    _outcomes(["10.1234/f.1"], "error", "HTTP 503 Service Unavailable"),
                ]
            ),
        )
        store.replace_per_year(
            con,
            pl.DataFrame(
                {
                    "key": "10.1234/a.1",
                    "source": "openalex",
                    "metric": "citations",
                    "year": [2020, 2021, 2022],
                    "value": [0.0, 15.0, 25.0],
                }
            ),
        )
        store.save_collection(
            con,
            FETCHED,
            _items(fetched, ["first", "last", None]),
            kind="portfolio",
            meta={"person": "Dr. Test Person", "career_start": 2015},
        )
        store.save_collection(con, UNFETCHED, _items(["10.1234/u.1"]), kind="portfolio")
        store.save_collection(con, FAILED, _items(["10.1234/f.1"]), kind="portfolio")
        store.save_collection(con, SINGLE, _items(["10.1234/a.1"]), kind="portfolio")
