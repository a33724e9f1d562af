"""Days off and working days recorded as data: the service, its right, its audit and the page."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from longbien.core.calendar_days import calendar_day_remove, calendar_day_set
from longbien.core.models import CalendarDay
from longbien.deadlines import effective_deadline, is_overdue, is_working_day
from tests.permissions import check_matrix

URL = "/lich-lam-viec/"


def test_a_substitute_day_recorded_as_data_is_a_rest_day(users):
    thursday = dt.date(2026, 12, 31)
    assert is_working_day(thursday)
    day = calendar_day_set(
        actor=users["staff"], date=thursday, kind=CalendarDay.Kind.DAY_OFF, note="Nghỉ bù"
    )
    assert not is_working_day(thursday)
    # 1 January is a holiday, then a weekend: a deadline on 31 December runs to Monday.
    assert effective_deadline(thursday) == dt.date(2027, 1, 4)
    assert not is_overdue(thursday, dt.date(2027, 1, 4))
    entry = LogEntry.objects.get_for_object(day).get()
    assert entry.actor == users["staff"] and entry.action == LogEntry.Action.CREATE
    calendar_day_remove(actor=users["admin"], day=day, reason="Nhập nhầm")
    assert is_working_day(thursday) and not CalendarDay.objects.exists()


def test_a_swapped_working_saturday_is_a_working_day(users):
    saturday = dt.date(2026, 12, 5)
    assert not is_working_day(saturday)
    calendar_day_set(actor=users["admin"], date=saturday, kind=CalendarDay.Kind.WORKING_DAY)
    assert is_working_day(saturday) and effective_deadline(saturday) == saturday
    # A date already recorded is not overwritten silently: the form says what is recorded.
    with pytest.raises(ValidationError, match="đã được ghi"):
        calendar_day_set(actor=users["admin"], date=saturday, kind=CalendarDay.Kind.DAY_OFF)
    assert CalendarDay.objects.get().kind == CalendarDay.Kind.WORKING_DAY
    # Replacing it is an explicit choice (one row per date).
    calendar_day_set(
        actor=users["admin"], date=saturday, kind=CalendarDay.Kind.DAY_OFF, replace=True
    )
    assert CalendarDay.objects.get().kind == CalendarDay.Kind.DAY_OFF
    assert not is_working_day(saturday)


@pytest.mark.parametrize("role", ["leadership", "inspection", "ward_secretary", "no_role"])
def test_only_roles_that_change_the_organisation_record_calendar_days(users, role):
    with pytest.raises(PermissionDenied):
        calendar_day_set(actor=users[role], date=dt.date(2026, 12, 31), kind="day_off")
    assert not CalendarDay.objects.exists()


def test_the_calendar_page_is_for_the_roles_that_may_change_it(client, users):
    check_matrix(client, users, URL, {"admin": 200, "staff": 200})
    check_matrix(client, users, URL + "?year=2019", {"admin": 200, "staff": 200})


def test_the_calendar_page_lists_the_holidays_and_records_a_day(client_for, users):
    client = client_for(users["staff"])
    page = client.get(URL + "?year=2019").content.decode()
    assert "Lịch ngày làm việc năm 2019" in page
    assert "Tết Nguyên Đán" in page and "Ngày Giỗ Tổ Hùng Vương" in page
    assert "<td>04/05/2019</td><td>Ngày làm bù</td>" in page  # the Saturday worked
    response = client.post(
        URL, {"date": "2019-12-30", "kind": "day_off", "note": "Nghỉ thêm theo thông báo"}
    )
    assert response.status_code == 302 and response["Location"] == URL + "?year=2019"
    day = CalendarDay.objects.get()
    assert (day.date, day.kind, day.note) == (
        dt.date(2019, 12, 30),
        "day_off",
        "Nghỉ thêm theo thông báo",
    )
    assert LogEntry.objects.get_for_object(day).get().actor == users["staff"]
    assert "Nghỉ thêm theo thông báo" in client.get(URL + "?year=2019").content.decode()
    assert not is_working_day(dt.date(2019, 12, 30))
    assert client.post(f"{URL}{day.pk}/xoa/").status_code == 302
    assert not CalendarDay.objects.exists()


def test_refused_calendar_writes_change_nothing(client_for, users):
    day = calendar_day_set(actor=users["admin"], date=dt.date(2026, 12, 5), kind="working_day")
    client = client_for(users["ward_secretary"])
    assert client.post(URL, {"date": "2026-12-31", "kind": "day_off"}).status_code == 403
    assert client.post(f"{URL}{day.pk}/xoa/").status_code == 403
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [dt.date(2026, 12, 5)]
    assert client.get(f"{URL}{day.pk}/xoa/").status_code == 405


def test_the_calendar_form_refuses_a_bad_kind(client_for, users):
    client = client_for(users["admin"])
    response = client.post(URL, {"date": "2026-12-31", "kind": "holiday"})
    assert response.status_code == 200 and not CalendarDay.objects.exists()
    assert "holiday" in response.content.decode()  # the choice error names the bad value


def test_the_calendar_page_says_an_invalid_year_is_invalid(client_for, users):
    page = client_for(users["admin"]).get("/lich-lam-viec/", {"year": "20x6"}).content.decode()
    assert "Năm “20x6” không hợp lệ" in page


# --- The recorded days kept in each process, read again only when they changed -----------------


def _calendar_reads(queries) -> int:
    return sum('"core_calendarday"' in q["sql"] for q in queries)


def test_requests_read_the_recorded_days_only_after_a_change(client_for, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from longbien import deadlines

    client = client_for(users["admin"])
    client.get("/")  # the first use reads them
    is_working_day(dt.date(2026, 12, 31))
    with CaptureQueriesContext(connection) as unchanged:
        client.get("/nghi-quyet/nhiem-vu/")
        is_working_day(dt.date(2026, 12, 31))
    assert _calendar_reads(unchanged.captured_queries) == 0
    # Another process records a day: it bumps the shared stamp, and this one reads again.
    CalendarDay.objects.create(date=dt.date(2026, 12, 31), kind=CalendarDay.Kind.DAY_OFF)
    deadlines.recorded_days._days = {}  # this process's copy as it was before the change
    deadlines.recorded_days._rest = {}
    with CaptureQueriesContext(connection) as after_change:
        client.get("/nghi-quyet/nhiem-vu/")
        assert not is_working_day(dt.date(2026, 12, 31))
    assert _calendar_reads(after_change.captured_queries) == 1


def test_rest_days_and_their_effective_deadlines_match_the_day_by_day_rules(users):
    from longbien.deadlines import effective_deadlines, rest_days_between

    calendar_day_set(actor=users["admin"], date=dt.date(2026, 12, 31), kind="day_off")
    calendar_day_set(actor=users["admin"], date=dt.date(2027, 1, 9), kind="working_day")
    start, end = dt.date(2025, 12, 20), dt.date(2027, 3, 1)
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    rest = [day for day in days if not is_working_day(day)]
    assert rest_days_between(start, end) == rest
    assert dt.date(2026, 12, 31) in rest and dt.date(2027, 1, 9) not in rest
    assert effective_deadlines(rest) == [effective_deadline(day) for day in rest]
    assert rest_days_between(dt.date(2026, 12, 31), dt.date(2026, 12, 31)) == [
        dt.date(2026, 12, 31)
    ]


def test_the_moves_of_rest_days_are_worked_out_again_after_a_recorded_change(users):
    """A term's rest days grouped by how far each moves a deadline (the SQL of an effective
    deadline) are kept between figures, and worked out again once a day is recorded."""
    from django.db.models import F

    from longbien.deadlines import EffectiveDeadline, recorded_days

    saturday, sunday, monday = dt.date(2026, 12, 5), dt.date(2026, 12, 6), dt.date(2026, 12, 7)
    assert recorded_days.moved((saturday, sunday)) == {2: [saturday], 1: [sunday]}
    assert EffectiveDeadline(F("deadline"), [sunday, saturday]).moved == {
        2: [saturday],
        1: [sunday],
    }
    calendar_day_set(actor=users["admin"], date=monday, kind=CalendarDay.Kind.DAY_OFF)
    assert recorded_days.moved((saturday, sunday)) == {3: [saturday], 2: [sunday]}
    assert EffectiveDeadline(F("deadline"), [saturday, sunday]).moved == {
        3: [saturday],
        2: [sunday],
    }


@pytest.mark.django_db(transaction=True)
def test_a_change_rolled_back_is_forgotten_by_the_next_request(users):
    from django.core.signals import request_started
    from django.db import transaction

    saturday = dt.date(2026, 12, 5)
    assert not is_working_day(saturday)

    class UndoError(Exception):
        pass

    with pytest.raises(UndoError), transaction.atomic():
        CalendarDay.objects.create(date=saturday, kind=CalendarDay.Kind.WORKING_DAY)
        assert is_working_day(saturday)  # read inside the transaction
        raise UndoError
    request_started.send(sender=None)
    assert not is_working_day(saturday)
