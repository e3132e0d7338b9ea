"""`decimal_text`: exact numbers for people, worked by hand."""

from fractions import Fraction

import pytest

from sladsl.numbers import decimal_text


@pytest.mark.parametrize("value, text", [
    (12, "12"), (Fraction(-5, 2), "-2.5"), ("99.95", "99.95"), (Fraction(1, 8000), "0.000125"),
    (Fraction(1, 64), "0.015625"),  # six decimals: in full
    (Fraction(1, 128), "0.0078..."),  # seven: cut
    (Fraction(425, 108), "3.9351..."),  # 3.93518...: cut, not rounded up to 3.9352
    (Fraction(-1, 3), "-0.3333..."), (Fraction(2, 3), "0.6666..."),
    (Fraction(593513950925401, 10 ** 11), "5935.1395..."),
])
def test_decimal_text(value, text):
    assert decimal_text(value) == text
