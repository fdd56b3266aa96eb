"""Typed views of the scalars Polars, DuckDB and frame rows hand back.

`Series.max()`, `DataFrame.item()`, `fetchall()[0][0]` and `row(named=True)[...]` are typed as wide
unions or `Any`; these turn a value that must be a number into `int` or `float` (as `int()` and
`float()` would) and fail loudly on anything else, instead of letting it flow on untyped.
"""

from __future__ import annotations

from decimal import Decimal
from numbers import Integral, Real

Number = Real | Decimal  # what a numeric Polars or DuckDB column gives back (bool included)


def _number(value: object) -> Number:
    if isinstance(value, Real | Decimal):
        return value
    raise TypeError(f"expected a number, got {type(value).__name__}: {value!r}")


def to_float(value: object) -> float:
    """A numeric scalar as `float`; `TypeError` for None or anything else that is not a number."""
    return float(_number(value))


def to_int(value: object) -> int:
    """A numeric scalar as `int` (truncating, as `int()`); `TypeError` for None or a non-number."""
    if isinstance(value, Integral | Decimal):
        return int(value)
    return int(to_float(value))


def to_optional_float(value: object) -> float | None:
    """None stays None (a missing value, never 0); any other value must be a number."""
    return None if value is None else to_float(value)


def to_optional_int(value: object) -> int | None:
    """None stays None (a missing value, never 0); any other value must be a number."""
    return None if value is None else to_int(value)
