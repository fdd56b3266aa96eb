"""Deterministic, clearly fictional demo data (the "Demo School of Medicine"), and a scale option
for benchmarks. `model` is the calibrated count model, `works` the fictional people and works,
`sources` what each source supplies of them, `build` writes it all to a cache."""

from lib.demo.build import (
    DEMO_SEED,
    SCALE_COLLECTIONS,
    SCALE_PREFIX,
    UPLOAD_NAME,
    DemoData,
    build_demo,
    build_scale,
    demo_frames,
    is_demo_database,
    scale_frames,
)

__all__ = [
    "DEMO_SEED",
    "SCALE_COLLECTIONS",
    "SCALE_PREFIX",
    "UPLOAD_NAME",
    "DemoData",
    "build_demo",
    "build_scale",
    "demo_frames",
    "is_demo_database",
    "scale_frames",
]
