"""Parameter checks shared by the package: one message style, declared as tables.

An estimator declares what each parameter accepts once, as a table (the idea
of scikit-learn's ``_parameter_constraints``)::

    >>> TABLE = {"epochs": [Interval(int, 1)], "optimizer": [Options("adam", "sgd")]}
    >>> validate_params({"epochs": 3, "optimizer": "adam"}, TABLE)
    >>> validate_params({"epochs": 0, "optimizer": "adam"}, TABLE)
    Traceback (most recent call last):
    ...
    ValueError: epochs must be an int >= 1, got 0.

A parameter may accept several kinds of value (``[None, Interval(...)]``);
the message then lists each.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

__all__ = [
    "Interval",
    "Options",
    "Check",
    "validate_params",
    "check_positive_int",
    "is_int",
    "is_real",
]


def is_int(value: object) -> bool:
    """True for Python and NumPy integers, False for bools."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def is_real(value: object) -> bool:
    """True for finite Python and NumPy real numbers, False for bools."""
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class Interval:
    """Numbers of *kind* (``int`` or ``float``) between *low* and *high*."""

    kind: type
    low: float | None = None
    high: float | None = None
    closed: str = "both"  # "both", "left", "right" or "neither"

    def accepts(self, value: object) -> bool:
        if not (is_int(value) if self.kind is int else is_real(value)):
            return False
        if self.low is not None:
            if value < self.low or (value == self.low and self.closed not in ("both", "left")):
                return False
        if self.high is not None:
            if value > self.high or (value == self.high and self.closed not in ("both", "right")):
                return False
        return True

    def describe(self) -> str:
        noun = "an int" if self.kind is int else "a finite number"
        left = ">=" if self.closed in ("both", "left") else ">"
        right = "<=" if self.closed in ("both", "right") else "<"
        if self.low is not None and self.high is not None:
            lo, hi = "[" if left == ">=" else "(", "]" if right == "<=" else ")"
            return f"{noun} in {lo}{self.low}, {self.high}{hi}"
        if self.low is not None:
            return f"{noun} {left} {self.low}"
        if self.high is not None:
            return f"{noun} {right} {self.high}"
        return noun


@dataclass(frozen=True)
class Options:
    """One of a fixed set of values: equal, and of the same type or a subclass (``numpy.str_``
    passes
    for a ``str``), a bool never standing in for an int or the other way round."""

    values: tuple[Any, ...]

    def __init__(self, *values: Any) -> None:
        object.__setattr__(self, "values", values)

    def accepts(self, value: object) -> bool:
        return any(
            isinstance(value, type(option))
            and isinstance(value, bool) == isinstance(option, bool)
            and value == option
            for option in self.values
        )

    def describe(self) -> str:
        return "one of " + ", ".join(map(repr, self.values))


@dataclass(frozen=True)
class Check:
    """Any value for which *test* returns True; *description* says what that is."""

    test: Callable[[object], bool]
    description: str

    def accepts(self, value: object) -> bool:
        return bool(self.test(value))

    def describe(self) -> str:
        return self.description


Constraint = Interval | Options | Check | type | None


def _accepts(constraint: Constraint, value: object) -> bool:
    if constraint is None:
        return value is None
    if isinstance(constraint, type):
        return isinstance(value, constraint) and not (
            constraint is not bool and isinstance(value, bool)
        )
    return constraint.accepts(value)


def _describe(constraint: Constraint) -> str:
    if constraint is None:
        return "None"
    if constraint is bool:
        return "True or False"
    if isinstance(constraint, type):
        return f"a {constraint.__name__}"
    return constraint.describe()


def validate_params(
    params: Mapping[str, object], constraints: Mapping[str, Sequence[Constraint]]
) -> None:
    """Raise ``ValueError`` naming the first parameter in *params* that no constraint of its entry
    accepts."""
    for name, allowed in constraints.items():
        if name not in params:
            continue
        value = params[name]
        if not any(_accepts(constraint, value) for constraint in allowed):
            kinds = " or ".join(_describe(constraint) for constraint in allowed)
            raise ValueError(f"{name} must be {kinds}, got {value!r}.")


def check_positive_int(name: str, value: object) -> None:
    """Raise ``ValueError`` unless *value* is an int >= 1 (not a bool).

    Not ``sklearn.utils.check_scalar``: that accepts bools, raises ``TypeError``
    for a value of another type, and would import scikit-learn into the data layer.

    >>> check_positive_int("epochs", 0)
    Traceback (most recent call last):
    ...
    ValueError: epochs must be a positive int, got 0.
    """
    if not is_int(value) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}.")
