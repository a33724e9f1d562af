import datetime as dt

import pytest

from longbien import periods
from longbien.deadlines import (
    add_working_days,
    days_overdue,
    effective_deadline,
    is_overdue,
    is_working_day,
    overdue_cutoff,
)


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


@pytest.mark.django_db
def test_working_days_skip_weekends_and_public_holidays():
    assert not is_working_day(dt.date(2026, 9, 2))  # Quốc khánh
    assert not is_working_day(dt.date(2026, 2, 17))  # Tết
    assert not is_working_day(dt.date(2026, 11, 28))  # a Saturday
    assert is_working_day(dt.date(2026, 11, 27))  # a Friday
    # Friday 28 August 2026 + 3 working days: Monday 31 August is off in exchange for Saturday
    # 22 August, 1 and 2 September are Quốc khánh: Thursday 3, Friday 4, Monday 7.
    assert add_working_days(dt.date(2026, 8, 28), 3) == dt.date(2026, 9, 7)
    assert is_working_day(dt.date(2026, 8, 22))  # the Saturday worked for it


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rest_day",
    [
        dt.date(2016, 2, 8),  # Mùng một Tết Bính Thân (Monday)
        dt.date(2016, 2, 12),  # Mùng năm Tết (Friday)
        dt.date(2016, 4, 18),  # Giỗ Tổ Hùng Vương fell on Saturday 16 April: Monday off in lieu
        dt.date(2019, 2, 4),  # Giao thừa Tết Kỷ Hợi (Monday)
        dt.date(2019, 2, 8),  # Mùng bốn Tết (Friday)
        dt.date(2019, 4, 15),  # Giỗ Tổ Hùng Vương fell on Sunday 14 April: Monday off in lieu
        dt.date(2019, 4, 29),  # off in exchange for Saturday 4 May 2019
    ],
)
def test_lunar_new_year_and_hung_kings_day_are_rest_days_in_the_demo_term(rest_day):
    assert rest_day.weekday() < 5
    assert not is_working_day(rest_day)


@pytest.mark.django_db
def test_the_days_around_tet_and_the_swapped_saturday_are_worked():
    assert is_working_day(dt.date(2016, 2, 15)) and is_working_day(dt.date(2019, 2, 11))
    assert is_working_day(dt.date(2019, 5, 4))  # a Saturday worked, from the national calendar
    # Friday 1 February 2019 + 1 working day skips the weekend and the five days of Tết.
    assert add_working_days(dt.date(2019, 2, 1), 1) == dt.date(2019, 2, 11)


@pytest.mark.django_db
def test_a_deadline_on_a_rest_day_runs_to_the_next_working_day():
    assert effective_deadline(dt.date(2026, 11, 27)) == dt.date(2026, 11, 27)  # Friday
    assert effective_deadline(dt.date(2026, 11, 28)) == dt.date(2026, 11, 30)  # Saturday
    assert effective_deadline(dt.date(2019, 2, 2)) == dt.date(2019, 2, 11)  # Saturday before Tết
    assert effective_deadline(dt.date(2016, 4, 16)) == dt.date(2016, 4, 19)  # Giỗ Tổ, Saturday


@pytest.mark.django_db
def test_days_overdue_count_from_the_effective_deadline():
    saturday, monday, tuesday = dt.date(2026, 11, 28), dt.date(2026, 11, 30), dt.date(2026, 12, 1)
    # Due on Saturday: the deadline runs to the end of Monday.
    assert not is_overdue(saturday, monday) and days_overdue(saturday, monday) == 0
    assert is_overdue(saturday, tuesday) and days_overdue(saturday, tuesday) == 1
    # Due on a working day: overdue from the next day, counted in calendar days.
    friday = dt.date(2026, 11, 27)
    assert days_overdue(friday, friday) == 0
    assert days_overdue(friday, dt.date(2026, 11, 28)) == 1
    assert days_overdue(friday, monday) == 3
    assert days_overdue(dt.date(2026, 3, 2), dt.date(2026, 3, 5)) == 3
    assert days_overdue(friday, tuesday, done=True) == 0
    assert days_overdue(None, tuesday) == 0


@pytest.mark.django_db
def test_the_overdue_cutoff_gives_the_same_answer_as_the_effective_deadline():
    """The SQL filter ``due < overdue_cutoff(today)`` is the Python rule, day for day (Tết 2019)."""
    start = dt.date(2019, 1, 1)
    days = [start + dt.timedelta(days=n) for n in range(75)]
    for today in days:
        cutoff = overdue_cutoff(today)
        for due in days:
            assert is_overdue(due, today) == (due < cutoff), (due, today)
    assert overdue_cutoff(dt.date(2026, 11, 30)) == dt.date(2026, 11, 28)  # Monday: Friday's


def test_a_period_is_read_from_a_query_by_term_year_half_quarter_or_month():
    import datetime as dt
    from types import SimpleNamespace

    from longbien import periods

    term = SimpleNamespace(
        code="2015-2020", start_date=dt.date(2015, 8, 1), end_date=dt.date(2020, 7, 31)
    )
    terms = {"2015-2020": term}
    by_term = periods.from_query({"term": "2015-2020"}, terms=terms)
    assert (by_term.start, by_term.end, by_term.term) == (term.start_date, term.end_date, term)
    assert periods.from_query({"year": "2019"}).start == dt.date(2019, 1, 1)
    q3 = periods.from_query({"year": "2019", "quarter": "3"})
    assert (q3.start, q3.end, q3.label) == (
        dt.date(2019, 7, 1),
        dt.date(2019, 9, 30),
        "Quý III năm 2019",
    )
    h2 = periods.from_query({"year": "2020", "half": "2"})
    assert (h2.start, h2.end) == (dt.date(2020, 7, 1), dt.date(2020, 12, 31))
    feb = periods.from_query({"year": "2020", "month": "2"})
    assert feb.end == dt.date(2020, 2, 29)


def test_an_invalid_period_is_refused_with_every_message_never_replaced_silently():
    import pytest
    from django.core.exceptions import ValidationError

    from longbien import periods

    with pytest.raises(ValidationError) as refused:
        periods.from_query({"year": "20x9", "month": "13"})
    assert set(refused.value.message_dict) == {"year", "month"}
    assert "Tháng “13” không hợp lệ" in refused.value.message_dict["month"][0]
    with pytest.raises(ValidationError) as unknown_term:
        periods.from_query({"term": "1990-1995"}, terms={})
    assert "Không có nhiệm kỳ" in unknown_term.value.message_dict["term"][0]
