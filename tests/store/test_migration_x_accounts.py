"""Migration 010: Altmetric's account counts stored as `x_posts` move to `x_accounts`."""

from datetime import datetime

import duckdb

from lib import store
from lib.store.migrations import MIGRATIONS

AS_OF = datetime(2026, 11, 1, 9, 0)


def _old_cache(path) -> None:
    """A cache file as the release before migration 010 left it (its SQL, its rows)."""
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE migration "
        "(name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    for name, sql in MIGRATIONS:
        if name.startswith("010_"):
            break
        con.execute(sql)
        con.execute("INSERT INTO migration (name) VALUES (?)", [name])
    rows = [
        ("10.1/a", "altmetric", "x_posts", 138.0, AS_OF),  # accounts, mislabelled
        ("10.1/a", "plos_alm", "x_posts", 40.0, AS_OF),  # backtweets: posts
        ("10.1/a", "altmetric", "news_mentions", 2.0, AS_OF),
    ]
    for table in ("observation", "observation_history"):
        con.executemany(f"INSERT INTO {table} VALUES (?, ?, ?, ?, ?)", rows)
    con.execute("INSERT INTO per_year VALUES ('10.1/a', 'altmetric', 'x_posts', 2020, 5.0)")
    con.close()


def test_altmetric_x_values_become_accounts_and_posts_stay_posts(tmp_path) -> None:
    path = tmp_path / "old.duckdb"
    _old_cache(path)
    with store.connect(path) as con:
        assert "010_altmetric_x_accounts" in store.applied_migrations(con)
        latest = store.observations_long(con, ["10.1/a"])
        history = store.observation_history(con, "10.1/a")
        wide = store.works_wide(con, ["10.1/a"])
        years = store.per_year_long(con, ["10.1/a"])
    by_source = {(r["source"], r["metric"]): r["value"] for r in latest.iter_rows(named=True)}
    assert by_source[("altmetric", "x_accounts")] == 138.0
    assert ("altmetric", "x_posts") not in by_source
    assert by_source[("plos_alm", "x_posts")] == 40.0
    assert set(history.filter(source="altmetric")["metric"].to_list()) == {
        "x_accounts",
        "news_mentions",
    }
    assert set(years["metric"]) == {"x_accounts"}
    assert wide["x_accounts"].to_list() == [138.0]
    assert wide["x_posts"].to_list() == [40.0]
