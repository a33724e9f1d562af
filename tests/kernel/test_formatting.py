import datetime as dt
from decimal import Decimal

from longbien.formatting import percentage, vn_date, vn_number, vn_percent, vn_share


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


def test_percent_and_share_formatting():
    assert vn_percent(Decimal("95.4")) == "95,4%"
    assert vn_share(493, 502) == "98,2%"
    assert vn_share(1, 0) == "–"


def test_dates_are_written_the_vietnamese_way():
    assert vn_date(dt.date(2019, 11, 22)) == "ngày 22 tháng 11 năm 2019"
    assert vn_date(dt.date(2020, 2, 5)) == "ngày 05 tháng 02 năm 2020"
    assert vn_date(dt.date(2020, 7, 9)) == "ngày 09 tháng 7 năm 2020"
