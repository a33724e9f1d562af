import datetime as dt
import itertools
from decimal import Decimal

import pytest

from longbien.formatting import percentage, shares, vn_date, vn_number, vn_percent, vn_share


def test_numbers_use_dot_thousands_and_comma_decimals():
    assert vn_number(1004) == "1.004"
    assert vn_number(1234567) == "1.234.567"
    assert vn_number(95.4, 1) == "95,4"
    assert vn_number(0) == "0"
    assert vn_number(-1500) == "-1.500"


def test_percentage_is_computed_from_counts_and_rounded_half_up():
    # The article's evaluations: 281, 705, 12 and 6 of 1,004.
    assert percentage(281, 1004, 2) == Decimal("27.99")
    assert percentage(705, 1004, 2) == Decimal("70.22")
    assert percentage(12, 1004, 2) == Decimal("1.20")
    assert percentage(6, 1004, 2) == Decimal("0.60")
    assert percentage(493, 502) == Decimal("98.2")
    assert percentage(1, 8, 1) == Decimal("12.5")
    assert percentage(1, 0) is None


def test_shares_of_the_articles_evaluations_add_up_to_exactly_100():
    # 281, 705, 12 and 6 of 1,004: exactly 27.988…, 70.219…, 1.195… and 0.597…
    result = shares([281, 705, 12, 6])
    assert result == [Decimal("28.0"), Decimal("70.2"), Decimal("1.2"), Decimal("0.6")]
    assert sum(result) == Decimal("100.0")
    assert [vn_percent(share) for share in result] == ["28,0%", "70,2%", "1,2%", "0,6%"]


def test_shares_give_the_missing_units_to_the_largest_remainders():
    # Rounded one by one, thirds read 33.3 three times: 99.9 in the total row.
    assert [percentage(1, 3)] * 3 == [Decimal("33.3")] * 3
    assert shares([1, 1, 1]) == [Decimal("33.4"), Decimal("33.3"), Decimal("33.3")]
    # Rounded one by one, 1/6, 1/6 and 4/6 read 16.7 + 16.7 + 66.7 = 100.1; the three
    # remainders tie, so the larger count goes first, then the earlier one.
    assert sum(percentage(n, 6) for n in (1, 1, 4)) == Decimal("100.1")
    assert shares([1, 1, 4]) == [Decimal("16.7"), Decimal("16.6"), Decimal("66.7")]
    # Sixths lose more in rounding down than thirds: they get the missing units.
    assert shares([1, 2, 2, 1]) == [
        Decimal("16.7"), Decimal("33.3"), Decimal("33.3"), Decimal("16.7"),
    ]  # fmt: skip
    assert shares([2, 3, 1, 1]) == [
        Decimal("28.6"), Decimal("42.8"), Decimal("14.3"), Decimal("14.3"),
    ]  # fmt: skip


def test_shares_at_other_precisions():
    assert shares([1, 1, 1], places=0) == [Decimal(34), Decimal(33), Decimal(33)]
    assert shares([281, 705, 12, 6], places=2) == [
        Decimal("27.99"), Decimal("70.22"), Decimal("1.19"), Decimal("0.60"),
    ]  # fmt: skip
    assert shares([5], places=2) == [Decimal("100.00")]


def test_shares_of_nothing_are_none_and_a_zero_count_stays_zero():
    assert shares([0, 0, 0]) == [None, None, None]
    assert shares([]) == []
    assert shares([0, 3, 0]) == [Decimal("0.0"), Decimal("100.0"), Decimal("0.0")]
    with pytest.raises(ValueError):
        shares([1, -1])


def test_shares_always_sum_to_100_and_stay_within_one_unit_of_the_exact_value():
    for counts in itertools.product(range(0, 8), repeat=4):
        total = sum(counts)
        if not total:
            continue
        result = shares(counts)
        assert sum(result) == Decimal("100.0"), counts
        for count, share in zip(counts, result, strict=True):
            exact = Decimal(count) * 100 / Decimal(total)
            assert abs(share - exact) < Decimal("0.1"), counts
            assert share.as_tuple().exponent == -1


def test_percent_and_share_formatting():
    assert vn_percent(Decimal("95.4")) == "95,4%"
    assert vn_share(493, 502) == "98,2%"
    assert vn_share(1, 0) == "–"


def test_dates_are_written_the_vietnamese_way():
    assert vn_date(dt.date(2019, 11, 22)) == "ngày 22 tháng 11 năm 2019"
    assert vn_date(dt.date(2020, 2, 5)) == "ngày 05 tháng 02 năm 2020"
    assert vn_date(dt.date(2020, 7, 9)) == "ngày 09 tháng 7 năm 2020"


def test_shares_of_one_whole_add_up_in_the_indicator_registry(monkeypatch):
    import datetime as dt

    from longbien import indicators

    monkeypatch.setattr(indicators, "_INDICATORS", {})
    monkeypatch.setattr(indicators, "_PROVIDERS", [])

    def provider(*, unit, start, end):
        return {"t.total": 7, "t.a": 2, "t.b": 3, "t.c": 1, "t.d": 1}

    parts = [
        indicators.Indicator(
            f"t.{x}.share", x, "test", numerator=f"t.{x}", denominator="t.total", partition=True
        )
        for x in "abcd"
    ]
    indicators.register("test", provider, indicators.Indicator("t.total", "total", "test"), *parts)
    values = indicators.collect(
        viewer=indicators.SYSTEM,
        unit=None,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        areas={"test"},
    )
    got = [values[f"t.{x}.share"].share for x in "abcd"]
    assert sum(got) == Decimal(
        "100.0"
    )  # one by one they would be 28.6 + 42.9 + 14.3 + 14.3 = 100.1
