"""Exact numbers written for people (the CLI's reports, `sladsl diff`, replays, target texts).

A whole number is written as it is and a decimal that ends within six places in full; any other
fraction is cut, never rounded, after four decimals and marked `...` (`425/108` is `3.9351...`),
so a printed value never claims a digit the exact one does not have. JSON outputs keep the
exact fraction.
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["decimal_text"]

_IN_FULL = 6  # decimals a terminating fraction may have and still be written whole
_CUT = 4  # decimals kept of any other


def decimal_text(value: Fraction | int | str) -> str:
    """`value` in decimal: `12`, `99.95`, `0.000125`, `3.9351...`, `-0.3333...`."""
    exact = Fraction(value)
    if exact.denominator == 1:
        return str(exact.numerator)
    sign, exact = ("-" if exact < 0 else ""), abs(exact)
    for places in range(1, _IN_FULL + 1):
        scaled = exact * 10 ** places
        if scaled.denominator == 1:
            return sign + _fixed(scaled.numerator, places)
    return sign + _fixed(exact.numerator * 10 ** _CUT // exact.denominator, _CUT) + "..."


def _fixed(whole: int, places: int) -> str:
    """`whole` / 10**places with exactly `places` decimals."""
    return f"{whole // 10 ** places}.{whole % 10 ** places:0{places}d}"
