"""Portfolio from a CV, a reference list or a name: paste and match, review, find in OpenAlex.

Matching runs in a background thread kept in a process-wide registry (like fetches), so a long
paste shows progress with an ETA, can be cancelled, and resumes on the next click.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import polars as pl
import streamlit as st

from lib import store
from lib.ingest import openalex_people
from lib.ingest.match_review import decide
from lib.ingest.matching import (
    MatchProgress,
    MatchSummary,
    references_in_file,
    references_in_text,
    run_matching,
)
from lib.matching import ParsedReference
from lib.readers import UploadRejected
from lib.sources.openalex_authors import AuthorCandidate
from lib.ui import db_path, settings
from lib.ui.portfolio import after_write

REVIEW_PAGE = 20


@dataclass
class MatchJob:
    thread: threading.Thread | None = None
    progress: MatchProgress | None = None
    summary: MatchSummary | None = None
    error: BaseException | None = None
    cancel: threading.Event = field(default_factory=threading.Event)

    @property
    def done(self) -> bool:
        return self.thread is not None and not self.thread.is_alive()


@st.cache_resource
def _jobs() -> tuple[dict[str, MatchJob], threading.Lock]:
    return {}, threading.Lock()


def start_matching(
    name: str, refs: list[ParsedReference], skipped: dict[str, int], meta: dict[str, Any]
) -> MatchJob:
    jobs, lock = _jobs()
    with lock:
        job = jobs.get(name)
        if job is not None and not job.done:
            return job
        jobs.pop(name, None)
        job = MatchJob()
        path, config = db_path(), settings()

        def target() -> None:
            try:
                job.summary = run_matching(
                    path,
                    name,
                    refs,
                    config,
                    skipped=skipped,
                    meta=meta,
                    on_progress=lambda p: setattr(job, "progress", p),
                    cancel=job.cancel,
                )
            except BaseException as error:  # shown on the page through the job
                job.error = error

        job.thread = threading.Thread(target=target, name="triangulate-match", daemon=True)
        jobs[name] = job
        job.thread.start()
    return job


def _eta(progress: MatchProgress | None) -> str:
    if progress is None:
        return "starting…"
    text = f"{progress.done:,} of {progress.total:,} references looked up"
    if progress.eta_seconds:
        text += f", about {progress.eta_seconds:.0f} s left"
    return text


@st.fragment(run_every=1.0)
def _job_status(name: str) -> None:
    jobs, _ = _jobs()
    job = jobs.get(name)
    if job is None:
        return
    if not job.done:
        progress = job.progress
        st.progress(
            progress.done / progress.total if progress and progress.total else 0.0,
            text=_eta(progress),
        )
        if st.button("Cancel matching", key=f"pf_match_cancel_{name}"):
            job.cancel.set()
        return
    if job.error is not None:
        st.error(f"Matching stopped: {job.error}")
    elif job.summary is not None:
        st.success(f"“{name}”: {job.summary.line()}.", icon="✅")
        if st.button("Show the portfolio and the matches to review", key=f"pf_match_open_{name}"):
            jobs.pop(name, None)
            after_write(name)
            st.rerun()


def _name_and_person(prefix: str) -> tuple[str, str]:
    name_col, person_col = st.columns(2)
    name = name_col.text_input("Portfolio name", key=f"{prefix}_name")
    person = person_col.text_input("Person (optional)", key=f"{prefix}_person")
    return name.strip(), person.strip()


@st.cache_data(show_spinner="Reading the references…", max_entries=4)
def _read_paste(text: str) -> tuple[dict[str, int], list[ParsedReference]]:
    # Parsing costs ~0.5 ms a reference: a 5,000-line paste is read once, not on every rerun.
    split, refs = references_in_text(text)
    return dict(split.skipped), refs


def cv_panel() -> None:
    """Paste a CV or reference list: references are matched; nothing unverified is taken."""
    name, person = _name_and_person("pf_cv")
    text = st.text_area(
        "Paste your CV or reference list (one reference per line, or numbered)",
        key="pf_cv_text",
        height=200,
    )
    if not text.strip():
        st.caption(
            "Vancouver/AMA and APA styles are read; headings and page numbers are skipped. "
            "Only matches the model is at least 99 % sure of are taken without asking you."
        )
        return
    skipped_lines, refs = _read_paste(text)
    skipped = ", ".join(f"{why} {n}" for why, n in sorted(skipped_lines.items()))
    st.caption(f"{len(refs):,} references found" + (f"; skipped: {skipped}" if skipped else ""))
    if st.button("Find matches", disabled=not refs or not name, key="pf_cv_go"):
        start_matching(name, refs, skipped_lines, {"person": person or None, "source": "cv"})
    if name:
        _job_status(name)


def match_file_rows(
    name: str, data: bytes, filename: str, person: str | None, *, key: str = "pf_file"
) -> None:
    """The rows of a file without identifiers (a BibTeX file with no DOIs), offered for matching."""
    try:
        refs = references_in_file(data, filename)
    except UploadRejected as error:
        st.error(str(error))
        return
    if not refs:
        return
    st.info(f"{len(refs):,} rows have no DOI or PMID: they can be matched to works instead.")
    if st.button(f"Match these {len(refs):,} references", disabled=not name, key=f"{key}_match"):
        start_matching(name, refs, {}, {"person": person, "source": "file", "file": filename})
    if name:
        _job_status(name)


def _author_label(author: AuthorCandidate) -> str:
    parts = [author.name, ", ".join(author.institutions[:2]) or "no affiliation listed"]
    if author.topics:
        parts.append(", ".join(author.topics[:3]))
    parts.append(f"{author.works_count or 0:,} works")
    return " — ".join(parts)


def openalex_panel() -> None:
    """Find the person in OpenAlex; pick one or more profiles (split profiles are common)."""
    name, person = _name_and_person("pf_oa")
    who_col, where_col = st.columns(2)
    who = who_col.text_input("Name as published", key="pf_oa_who")
    where = where_col.text_input("Institution (optional)", key="pf_oa_where")
    if st.button("Search OpenAlex", disabled=not who.strip(), key="pf_oa_search"):
        try:
            st.session_state["pf_oa_found"] = openalex_people.find_authors(
                who, settings(), institution=where or None
            )
        except openalex_people.LookupFailed as error:
            st.error(str(error))
    found: list[AuthorCandidate] = st.session_state.get("pf_oa_found") or []
    if not found:
        return
    chosen = st.multiselect(
        "Which profiles are this person? (pick all that are)",
        found,
        format_func=_author_label,
        key="pf_oa_pick",
    )
    if st.button("Import their works", disabled=not chosen, key="pf_oa_go"):
        target = name or person or who
        try:
            saved = openalex_people.portfolio_from_openalex_authors(
                db_path(), target, chosen, settings(), person=person or who
            )
        except openalex_people.LookupFailed as error:
            st.error(str(error))
            return
        after_write(target)
        st.success(f"Saved “{target}” with {saved:,} works from OpenAlex. Verify them below.")
        st.rerun()


def _waiting(collection: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    with store.connect(db_path()) as con:
        refs = store.match_references(con, collection)
        cands = store.match_candidates(con, collection, top=3)
    return refs.filter(pl.col("status") == "review"), cands


def waiting_text(waiting: int) -> str:
    return (
        f"{waiting:,} reference needs you" if waiting == 1 else f"{waiting:,} references need you"
    )


def waiting_count(collection: str) -> int:
    with store.connect(db_path()) as con:
        return store.match_counts(con, collection)["waiting_for_review"]


def _side_by_side(cands: pl.DataFrame) -> pl.DataFrame:
    """Rows = fields, columns = the reference and each candidate, with agree/differ marks."""
    marks = {"agrees": "✓", "differs": "✗", "missing": "·"}
    columns: dict[str, list[str]] = {}
    for rank, fields_json in zip(cands["rank"], cands["fields"], strict=True):
        fields = json.loads(fields_json)
        columns.setdefault("field", [f["field"] for f in fields])
        columns.setdefault("reference", [f["reference"] or "—" for f in fields])
        columns[f"candidate {rank}"] = [
            f"{marks[f['verdict']]} {f['candidate'] or '—'}" for f in fields
        ]
    return pl.DataFrame(columns)


def _option_label(labels: dict[str, str], key: str | None) -> str:
    return labels.get(key or "") or "None of these"


def review_panel(collection: str) -> None:
    """Accept, reject, or pick among the top three, seeing which fields agree and which differ."""
    waiting, cands = _waiting(collection)
    if waiting.is_empty():
        st.caption("No suggested match is waiting for you.")
        return
    st.caption(
        f"{waiting_text(waiting.height)}: ✓ agrees, ✗ differs, · one side does not say. "
        "Until you accept a match, the reference stays unmatched and is in no report."
    )
    for row in waiting.head(REVIEW_PAGE).iter_rows(named=True):
        position = int(row["position"])
        mine = cands.filter(pl.col("position") == position)
        with st.container(border=True, key=f"pf_review_{position}"):
            st.markdown(f"**{position}.** {row['input']}")
            st.dataframe(_side_by_side(mine), hide_index=True, width="stretch")
            options = [*mine["key"].to_list(), None]
            labels = {
                k: f"Candidate {r} (p = {p:.2f}): {k}"
                for k, r, p in zip(mine["key"], mine["rank"], mine["probability"], strict=True)
            }
            pick = st.radio(
                "This reference is",
                options,
                format_func=partial(_option_label, labels),
                key=f"pf_review_pick_{position}",
            )
            if st.button("Save decision", key=f"pf_review_save_{position}"):
                decide(db_path(), collection, position, pick)
                after_write()
                st.rerun()
