"""Only lib/settings.py reads the environment: every other module asks `load_settings()`, so one
place says which variables exist and tests can scrub them in one fixture."""

import ast
from pathlib import Path

LIB = Path(__file__).resolve().parents[1] / "lib"
READERS = {"environ", "getenv", "environb", "getenvb"}


def environment_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in READERS
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        ):
            found.append(f"{path.relative_to(LIB.parent)}:{node.lineno} os.{node.attr}")
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            names = {alias.name for alias in node.names} & READERS
            found += [
                f"{path.relative_to(LIB.parent)}:{node.lineno} from os import {n}" for n in names
            ]
    return found


def test_only_settings_reads_the_environment():
    reads = [
        read
        for path in sorted(LIB.rglob("*.py"))
        if path != LIB / "settings.py"
        for read in environment_reads(path)
    ]
    assert not reads, "read the environment through lib.settings instead: " + ", ".join(reads)
