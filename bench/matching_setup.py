"""What the matching fit and benchmark share: the labelled set served by a local mock API."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.labelled_references import LabelledReference, build  # noqa: E402
from lib.settings import Settings  # noqa: E402
from tests.mockapi import MockApi  # noqa: E402

FAST = ("crossref", "openalex", "ecitmatch")


def reference_dir() -> Path:
    return Path(os.environ.get("TRIANGULATE_REFERENCE_DIR", REPO.parent / "shared"))


def serve(seed: int = 12) -> tuple[MockApi, Settings, list[LabelledReference]]:
    """A running mock whose search endpoints know the catalogue, settings pointing at it, the set."""
    labelled, catalogue = build(reference_dir(), seed=seed)
    api = MockApi()
    api.catalogue.add(catalogue)
    # Loopback answers in microseconds: no need for the providers' politeness limits here.
    env = api.environ() | {f"TRIANGULATE_{s.upper()}_RATE": "2000" for s in FAST}
    return api, Settings.from_mapping(env), labelled
