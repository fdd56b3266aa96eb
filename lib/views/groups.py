"""The Groups mode of Compare: 2-8 collections side by side (page model, report input).

Loading reads the collections from the cache (lib.store); the statistics are lib.metrics.groups;
this module only joins them into one frozen model that the page, the HTML/XLSX report and the CLI
all read, so each states the same choices (missing handling, strata, tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

import duckdb
import polars as pl

from lib import store
from lib.metrics.groups import (
    MAX_GROUPS,
    MIN_GROUPS,
    MIN_RELIABLE_N,
    TEST_NAMES,
    UNRELIABLE,
    GroupOptions,
    group_summaries,
    long_values,
    pairwise_effects,
)
from lib.vocabulary import METRIC_NAMES, METRICS

RESPONSIBLE_USE = (
    "A difference between groups describes these works, not why they differ. Groups differ in "
    "field, article type, open access, authorship, journal and promotion; a stratified estimate "
    "removes only the differences in the strata named (publication year, and field where the "
    "cache knows it). Nothing here shows that belonging to a group causes more citations or "
    "attention. Attention is attention, not quality; citations are not quality either. A p-value "
    "says how surprising the difference would be if the two groups were exchangeable, not how "
    "large or important it is: read the effect sizes and their intervals. Groups with fewer than "
    f"{MIN_RELIABLE_N} works with a value are marked '{UNRELIABLE}'."
)


class GroupsRejected(ValueError):
    """The groups asked for cannot be compared; the message says why."""


@dataclass(frozen=True)
class GroupsComparison:
    groups: tuple[str, ...]
    sizes: dict[str, int]
    metrics: tuple[str, ...]
    options: GroupOptions
    summaries: pl.DataFrame
    effects: pl.DataFrame
    warnings: tuple[str, ...] = field(default_factory=tuple)
    demo: bool = False

    @property
    def method(self) -> list[str]:
        """One line per choice, printed in every output."""
        return [
            f"Missing values: {self.options.describe()}.",
            f"Effect size: {TEST_NAMES['effect']}; beside it {TEST_NAMES['rank_effect']}.",
            f"Test: {TEST_NAMES['test']}.",
            f"Stratified: {TEST_NAMES['stratified_effect']}; test {TEST_NAMES['stratified_test']}.",
            "Per group: median with a distribution-free 95 % interval (order statistics); "
            "mean of log(1 + x) with a 95 % normal interval.",
        ]


def check_group_names(names: Sequence[str], known: Sequence[str]) -> list[str]:
    """The distinct names in order; a clear error for too few, too many or unknown ones."""
    chosen = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    if not MIN_GROUPS <= len(chosen) <= MAX_GROUPS:
        raise GroupsRejected(
            f"Compare {MIN_GROUPS} to {MAX_GROUPS} groups (collections); {len(chosen)} given."
        )
    unknown = [n for n in chosen if n not in set(known)]
    if unknown:
        raise GroupsRejected(
            f"No collection named {', '.join(repr(n) for n in unknown)}. "
            "Try `triangulate collections`."
        )
    return chosen


def load_group_frame(con: duckdb.DuckDBPyConnection, names: Sequence[str]) -> pl.DataFrame:
    """One row per (group, work): group, key, year, field, is_demo and every canonical metric."""
    members = pl.concat(
        [
            pl.DataFrame(
                {"group": name, "key": store.collection_keys(con, name)},
                schema={"group": pl.String, "key": pl.String},
            )
            for name in names
        ]
    )
    keys = members["key"].unique(maintain_order=True).to_list()
    wide = store.works_wide(con, keys)
    metrics = [m for m in METRIC_NAMES if m in wide.columns]
    columns = [
        "key",
        "year",
        "field",
        *(["is_demo"] if "is_demo" in wide.columns else []),
        *metrics,
    ]
    return members.join(wide.select(columns), on="key", how="left", maintain_order="left")


def _metrics_with_values(frame: pl.DataFrame) -> list[str]:
    present = [m for m in METRIC_NAMES if m in frame.columns]
    counts = frame.select(pl.col(present).is_not_null().sum()).row(0, named=True)
    return [m for m in present if counts[m]]


def build_groups(
    frame: pl.DataFrame, groups: Sequence[str], options: GroupOptions | None = None
) -> GroupsComparison:
    """The comparison of the groups in `frame` (see load_group_frame), in the order given."""
    options = options or GroupOptions()
    metrics = _metrics_with_values(frame)
    sizes = dict(frame.group_by("group").agg(pl.col("key").n_unique()).iter_rows())
    sizes = {g: int(sizes.get(g, 0)) for g in groups}
    warnings = [
        f"'{g}' has {n} works: estimates for it are {UNRELIABLE}."
        for g, n in sizes.items()
        if n < MIN_RELIABLE_N
    ]
    if not metrics:
        warnings.append("No metric has a value in these groups: fetch or load metrics first.")
    order = {g: i for i, g in enumerate(groups)}
    long = long_values(frame, metrics, options)
    summaries = group_summaries(frame, metrics, options, long).sort(
        pl.col("metric").replace_strict({m: i for i, m in enumerate(metrics)}, default=99),
        pl.col("group").replace_strict(order, default=99),
    )
    metric_order = pl.col("metric").replace_strict(
        {m: i for i, m in enumerate(metrics)}, default=99, return_dtype=pl.Int64
    )
    pair_order = {f"{a}\x00{b}": i for i, (a, b) in enumerate(combinations(groups, 2))}
    effects = pairwise_effects(frame, metrics, groups, options, long).sort(
        pl.concat_str("group_a", pl.lit("\x00"), "group_b").replace_strict(
            pair_order, default=99, return_dtype=pl.Int64
        ),
        metric_order,
    )
    demo = bool(frame["is_demo"].any()) if "is_demo" in frame.columns else False
    return GroupsComparison(
        groups=tuple(groups),
        sizes=sizes,
        metrics=tuple(metrics),
        options=options,
        summaries=summaries,
        effects=effects,
        warnings=tuple(warnings),
        demo=demo,
    )


def metric_label(metric: str) -> str:
    known = METRICS.get(metric)
    return known.label if known else metric


def _interval(value: float | None, low: float | None, high: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    if low is None or high is None:
        return f"{value:.{digits}f}"
    return f"{value:.{digits}f} ({low:.{digits}f}–{high:.{digits}f})"


def _p(value: float | None) -> str:
    if value is None:
        return "—"
    return "< 0.0001" if value < 1e-4 else f"{value:.4f}"


def summary_table(comparison: GroupsComparison) -> pl.DataFrame:
    """Display rows: metric, group, coverage (n), median (95 % CI), geometric mean, flags."""
    rows = []
    for r in comparison.summaries.iter_rows(named=True):
        rows.append(
            {
                "Metric": metric_label(r["metric"]),
                "Group": r["group"],
                "Works": r["n_works"],
                "Coverage (works with a value)": f"{r['coverage']:.0%} ({r['n_with_value']:,})",
                "n used": r["n"],
                "Median (95% CI)": _interval(r["median"], r["median_low"], r["median_high"], 1),
                "Mean log(1+x) (95% CI)": _interval(
                    r["mean_log"], r["mean_log_low"], r["mean_log_high"]
                ),
                "Note": UNRELIABLE if r["unreliable"] else "",
            }
        )
    return (
        pl.DataFrame(rows) if rows else pl.DataFrame({"Metric": []}, schema={"Metric": pl.String})
    )


def effects_table(comparison: GroupsComparison) -> pl.DataFrame:
    """Display rows per pair and metric: raw and stratified estimates side by side, tests named."""
    rows = []
    for r in comparison.effects.iter_rows(named=True):
        rows.append(
            {
                "Metric": metric_label(r["metric"]),
                "A vs B": f"{r['group_a']} vs {r['group_b']}",
                "n (A, B)": f"{r['n_a']:,}, {r['n_b']:,}",
                "Ratio of geometric means (95% CI)": _interval(
                    r["ratio"], r["ratio_low"], r["ratio_high"]
                ),
                "Cliff's delta": f"{r['cliffs_delta']:+.3f}",
                "Mann-Whitney p": _p(r["p_mann_whitney"]),
                "Stratified ratio (95% CI)": _interval(
                    r["ratio_stratified"], r["ratio_stratified_low"], r["ratio_stratified_high"]
                ),
                "van Elteren p": _p(r["p_van_elteren"]),
                "Strata (works)": f"{r['strata'] or 0} ({r['strata_works'] or 0:,})",
                "Note": UNRELIABLE if r["unreliable"] else "",
            }
        )
    return (
        pl.DataFrame(rows) if rows else pl.DataFrame({"Metric": []}, schema={"Metric": pl.String})
    )
