import datetime as dt

import pytest

from longbien import periods
from longbien.deadlines import add_working_days, days_overdue, is_working_day


def test_quarters_months_and_years():
    q3 = periods.quarter(2019, 3)
    assert (q3.start, q3.end) == (dt.date(2019, 7, 1), dt.date(2019, 9, 30))
    assert dt.date(2019, 8, 15) in q3 and dt.date(2019, 10, 1) not in q3
    assert periods.month(2020, 2).end == dt.date(2020, 2, 29)
    assert periods.year(2018).label == "Năm 2018"
    assert periods.quarter(2019, 4).label == "Quý IV năm 2019"
    assert periods.quarter_of(dt.date(2019, 11, 22)) == (2019, 4)
    with pytest.raises(ValueError):
        periods.quarter(2019, 5)


def test_working_days_skip_weekends_and_public_holidays():
    assert not is_working_day(dt.date(2026, 9, 2))  # Quốc khánh
    assert not is_working_day(dt.date(2026, 2, 17))  # Tết
    assert not is_working_day(dt.date(2026, 11, 28))  # a Saturday
    # Friday 28 August 2026 + 3 working days: Mon 31, (1 and 2 September off), Thu 3, Fri 4.
    assert add_working_days(dt.date(2026, 8, 28), 3) == dt.date(2026, 9, 4)


def test_days_overdue():
    assert days_overdue(dt.date(2026, 3, 1), dt.date(2026, 3, 5)) == 4
    assert days_overdue(dt.date(2026, 3, 1), dt.date(2026, 3, 1)) == 0
    assert days_overdue(dt.date(2026, 3, 1), dt.date(2026, 3, 5), done=True) == 0
    assert days_overdue(None, dt.date(2026, 3, 5)) == 0
