"""Lists at city scale: the API's keyset pages and the capped counts of the API and the pages."""

from __future__ import annotations

import pytest

from longbien.core import api, generic, search
from longbien.org.models import OrgUnit
from tests.conftest import make_unit

UNITS = "/api/v1/org/units/"


@pytest.fixture
def many_units(tree):
    for number in range(120):
        make_unit(f"CB-X{number:03d}", parent=tree.ward_a, name=f"Chi bộ {number:03d}")
    return list(OrgUnit.objects.order_by("path", "id").values_list("code", flat=True))


def _codes(body) -> list[str]:
    return [row["code"] for row in body["results"]]


def test_next_links_walk_the_whole_list_once_in_order(client_for, users, many_units):
    client = client_for(users["admin"])
    body = client.get(UNITS).json()
    assert body["count"] == len(many_units) and body["count_exact"] is True
    assert body["previous"] is None and "cursor=" in body["next"]
    seen, pages = _codes(body), [body]
    while body["next"]:
        body = client.get(body["next"]).json()
        pages.append(body)
        seen += _codes(body)
    assert seen == many_units  # every unit, once, in the list's order
    assert len(pages) == 3 and [len(p["results"]) for p in pages] == [50, 50, len(many_units) - 100]
    # Back from the second page: the first page again, and no page before it.
    back = client.get(pages[1]["previous"]).json()
    assert _codes(back) == _codes(pages[0]) and back["previous"] is None
    assert back["next"] and _codes(client.get(back["next"]).json()) == _codes(pages[1])


def test_page_numbers_still_work_and_a_bad_cursor_is_a_404(client_for, users, many_units):
    client = client_for(users["admin"])
    second = client.get(UNITS, {"page": 2}).json()
    assert _codes(second) == many_units[50:100] and "page=3" in second["next"]
    refused = client.get(UNITS, {"cursor": "not-a-cursor"})
    assert refused.status_code == 404
    assert refused.json()["detail"] == str(api.KeysetPagination.invalid_cursor_message)


def test_the_api_count_is_capped(client_for, users, many_units, monkeypatch):
    monkeypatch.setattr(api.KeysetPagination, "count_cap", 100)
    body = client_for(users["admin"]).get(UNITS).json()
    assert body["count"] == 101 and body["count_exact"] is False
    assert len(body["results"]) == 50


def test_keyset_ordering_is_the_lists_own_then_the_key():
    from cadres.models import Evaluation

    ordered = Evaluation.objects.order_by("-year", "-month", "person__sort_key", "id")
    assert api.keyset_ordering(ordered) == ["-year", "-month", "person__sort_key", "id"]
    assert api.keyset_ordering(Evaluation.objects.order_by("-year")) == ["-year", "-id"]
    assert api.keyset_ordering(OrgUnit.objects.order_by("code")) == ["code"]  # unique: enough
    # A nullable or related first column: no keyset (paged by number).
    assert api.keyset_ordering(OrgUnit.objects.order_by("valid_to", "id")) is None
    assert api.keyset_ordering(OrgUnit.objects.order_by("parent__path")) is None


def test_the_pages_count_at_most_the_cap(tree, many_units, monkeypatch):
    monkeypatch.setattr(generic.CappedPaginator, "cap", 100)
    paginator = generic.CappedPaginator(OrgUnit.objects.order_by("path", "id"), 50)
    assert paginator.count == 101 and paginator.count_capped
    third = paginator.page(3)
    assert [u.code for u in third.object_list] == many_units[100:150]
    assert not third.has_next() and paginator.page(2).has_next()
    assert list(paginator.page(9).object_list) == []  # past the end: an empty page, no error
    exact = generic.CappedPaginator(OrgUnit.objects.order_by("path"), 50)
    monkeypatch.setattr(generic.CappedPaginator, "cap", 10_000)
    assert exact.count == len(many_units) and not exact.count_capped


def test_a_search_counts_fewer_rows(client_for, users, many_units, monkeypatch):
    """A text search answers "more than 1.000" sooner than a plain list (10.000): a search
    that matches thousands is narrowed, not counted. Pages and API alike."""
    from longbien.core import search
    from longbien.org.models import Person

    monkeypatch.setattr(search, "SEARCH_COUNT_CAP", 100)
    client = client_for(users["admin"])
    searched = client.get(UNITS, {"q": "chi bo"}).json()
    assert searched["count"] == 101 and searched["count_exact"] is False
    plain = client.get(UNITS).json()
    assert plain["count"] == len(many_units) and plain["count_exact"] is True
    Person.objects.bulk_create(
        Person(code=f"NV-{n:03d}", full_name=f"Nguyễn Văn {n:03d}", name_folded=f"nguyen van {n:03d}",
               unit=OrgUnit.objects.get(code=many_units[-1]), sort_key=f"nguyen van {n:03d}")
        for n in range(120)
    )  # fmt: skip
    page = client.get("/to-chuc/can-bo/", {"q": "nguyen"})
    assert page.context["result_count_capped"] and page.context["count_cap"] == 100
    assert page.context["narrow_search"]
    text = page.content.decode()
    assert "hơn 100 kết quả" in text and "thu hẹp kết quả" in text
    every = client.get("/to-chuc/can-bo/")
    assert not every.context["result_count_capped"] and not every.context["narrow_search"]
    assert every.context["result_count"] == Person.objects.count()


def test_deep_pages_read_their_keys_first_and_show_the_same_rows(tree, many_units, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = OrgUnit.objects.select_related("parent").order_by("-depth", "name", "id")
    expected = list(rows.values_list("code", flat=True))
    monkeypatch.setattr(generic, "DEFERRED_JOIN_FROM", 20)
    monkeypatch.setattr(search, "READ_KEYS_UP_TO", 0)  # counted, not read (not a search's cap)
    for cap in (10_000, 60):  # counted exactly, and past the cap
        monkeypatch.setattr(generic.CappedPaginator, "cap", cap)
        paginator = generic.CappedPaginator(rows, 10)
        for number in (1, 3, 7):
            with CaptureQueriesContext(connection) as captured:
                page = [u.code for u in paginator.page(number).object_list]
            assert page == expected[(number - 1) * 10 : number * 10]
            keys, last = (q["sql"] for q in captured.captured_queries[-2:])
            # Deep: the page's keys alone (with the OFFSET), then those rows by key.
            columns = keys.split(" FROM ")[0]
            deferred = columns.startswith('SELECT "org_orgunit"."id"') and "," not in columns
            assert deferred == ("OFFSET" in keys)
            assert deferred == (number > 2), number
            assert ('"org_orgunit"."id" IN (' in last and "OFFSET" not in last) == deferred
    # A grouped or distinct list is paged as it is.
    grouped = generic.CappedPaginator(rows.distinct(), 10)
    assert [u.code for u in grouped.page(5).object_list] == expected[40:50]


def test_a_searchs_count_reads_its_keys_and_its_pages_are_read_among_them(tree, many_units):
    """Counted up to a search's cap, the rows' keys are read instead of counted; when they are
    all there, every page is read among them (``id IN (…)``), the same rows as without."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = OrgUnit.objects.select_related("parent").order_by("-depth", "name", "id")
    expected = list(rows.values_list("code", flat=True))
    assert 20 < len(expected) <= search.READ_KEYS_UP_TO
    for cap, read in ((search.READ_KEYS_UP_TO, True), (len(expected) - 1, False)):
        paginator = generic.CappedPaginator(rows, 10, cap=cap)
        with CaptureQueriesContext(connection) as captured:
            assert paginator.count == min(len(expected), cap + 1)
        (counting,) = (q["sql"] for q in captured.captured_queries)
        assert "COUNT(" not in counting  # the keys, one more than the cap at most
        assert (paginator.keys is not None) == read  # all of them, or more than the cap
        for number in (1, 2, 3):
            with CaptureQueriesContext(connection) as captured:
                page = [u.code for u in paginator.page(number).object_list]
            assert page == expected[(number - 1) * 10 : number * 10]
            (last,) = (q["sql"] for q in captured.captured_queries)
            assert ('"org_orgunit"."id" IN (' in last) == read
    # A grouped or distinct list is counted as it is.
    assert search.count_rows(rows.distinct(), 1_000) == (len(expected), None)


def test_an_ordering_in_two_directions_is_walked_in_order(tree, many_units):
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    ordered = OrgUnit.objects.order_by("-depth", "name")
    assert api.keyset_ordering(ordered) == ["-depth", "name", "id"]
    expected = list(ordered.order_by("-depth", "name", "id").values_list("code", flat=True))
    seen: list[str] = []
    url = "/api/v1/org/units/"
    for _ in range(30):
        paginator = api.KeysetPagination()
        paginator.page_size = 7
        rows = paginator.paginate_queryset(ordered, Request(APIRequestFactory().get(url)))
        seen += [unit.code for unit in rows]
        url = paginator.get_next_link()
        if url is None:
            break
    assert seen == expected


def test_an_ordering_in_two_directions_starts_its_scan_at_the_cursor(tree, many_units):
    """The rows after a cursor in two directions are bounded by the leading keys of one
    direction (``depth <= d``), which an index scan starts at (the OR chain alone is a
    filter: a deep page read every row before it); backwards too, the pages are the list's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    ordered = OrgUnit.objects.order_by("-depth", "name")
    expected = list(ordered.order_by("-depth", "name", "id").values_list("code", flat=True))

    def page(url: str) -> tuple[list[str], api.KeysetPagination, str]:
        paginator = api.KeysetPagination()
        paginator.page_size = 7
        with CaptureQueriesContext(connection) as captured:
            rows = paginator.paginate_queryset(ordered, Request(APIRequestFactory().get(url)))
        return [unit.code for unit in rows], paginator, captured.captured_queries[-1]["sql"]

    url: str | None = "/api/v1/org/units/"
    pages: list[list[str]] = []
    while url is not None:
        codes, paginator, sql = page(url)
        pages.append(codes)
        if len(pages) > 1:
            assert '("org_orgunit"."depth") <= (' in sql.replace("ROW", "")
        url = paginator.get_next_link()
    assert [code for codes in pages for code in codes] == expected
    # From the last page back to the first by the previous links: the same pages.
    back: list[list[str]] = []
    url = paginator.get_previous_link()
    while url is not None:
        codes, paginator, sql = page(url)
        back.append(codes)
        assert '("org_orgunit"."depth") >= (' in sql.replace("ROW", "")
        url = paginator.get_previous_link()
    assert list(reversed(back)) == pages[:-1]
