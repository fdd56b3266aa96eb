"""Issue 15: fetch progress said '~? left' until a batch came back; the rate limit gives an ETA
from the start, and the measured pace can never promise more than the limit allows."""

from hypothesis import given
from hypothesis import strategies as st

from lib.ingest.progress import Tally, format_progress
from lib.ingest.run import planned_rate
from lib.settings import load_settings


def test_eta_is_known_before_the_first_batch_from_the_rate_limit():
    tally = Tally("icite", 1000, started=0.0, planned_rate=10.0)
    snapshot = tally.snapshot(now=0.0)
    assert snapshot.eta_seconds == 100.0
    assert "~?" not in str(snapshot.eta_seconds)


def test_planned_rate_is_requests_per_second_times_works_per_request():
    settings = load_settings()
    for source in ("openalex", "icite", "crossref"):
        rate = planned_rate(settings, source)
        assert rate is not None and rate >= float(settings.rates[source])


@given(
    done=st.integers(0, 500),
    extra=st.integers(1, 500),
    elapsed=st.floats(0.1, 1000),
    limit=st.floats(0.01, 100),
)
def test_eta_never_faster_than_the_rate_limit(done, extra, elapsed, limit):
    tally = Tally("openalex", done + extra, started=0.0, planned_rate=limit)
    tally.counts["ok"] = done
    eta = tally.snapshot(now=elapsed).eta_seconds
    assert eta is not None
    assert eta >= extra / limit - 1e-6


def test_progress_line_shows_a_duration_not_a_question_mark():
    from lib.ingest.progress import ProgressEvent

    tally = Tally("icite", 120, started=0.0, planned_rate=2.0)
    event = ProgressEvent("icite", (tally.snapshot(now=0.0),), elapsed=0.0)
    assert "~1m00s left" in format_progress(event)
