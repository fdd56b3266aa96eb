"""Each core package, imported alone in a fresh interpreter, loads no Streamlit (and the pure ones no
HTTP client or database): the rule import-linter checks statically, checked at run time too,
so a lazy import inside a function body or a plugin cannot slip past it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORE = (
    "ids",
    "readers",
    "sources",
    "store",
    "ingest",
    "metrics",
    "views",
    "charts",
    "exports",
    "demo",
)
PURE = {"ids", "readers", "matching", "metrics", "charts"}
PROBE = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(info.name)
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def loaded_by(package: str) -> set[str]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, package],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(run.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("package", CORE)
def test_core_packages_load_no_streamlit(package):
    loaded = loaded_by(f"lib.{package}")
    assert "streamlit" not in loaded
    if package in PURE:
        assert not loaded & {"httpx", "duckdb", "aiolimiter"}, f"lib.{package} is not pure"


def test_the_cli_loads_no_streamlit():
    run = subprocess.run(
        [sys.executable, "-c", "import sys, lib.cli; print('streamlit' in sys.modules)"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert run.stdout.strip() == "False"
