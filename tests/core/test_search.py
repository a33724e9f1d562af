"""The global search: tasks, person codes, document symbols and dates, ranked and counted."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from longbien.core import search
from longbien.org.models import Person
from tests.resolutions.factories import make_document, make_tasks

pytestmark = pytest.mark.django_db


def _person(code: str, unit, name: str) -> Person:
    person = Person(code=code, full_name=name, sex="male", unit=unit)
    person.save()
    return person


@pytest.fixture
def records(users, tree):
    staff = users["staff"]
    exact = make_document(
        staff, tree.root, symbol="12-NQ/QU", signed=dt.date(2026, 3, 15), title="Về chuyển đổi số"
    )
    partial = make_document(
        staff, tree.root, symbol="112-NQ/QU", signed=dt.date(2026, 1, 5), title="Về cải cách"
    )
    other = make_document(
        staff, tree.root, symbol="7-NQ/QU", signed=dt.date(2026, 3, 2), title="Kết luận"
    )
    task_a = make_tasks(
        staff, other, [tree.ward_a], deadline=dt.date(2026, 3, 15), title="Rà soát hồ sơ đảng viên"
    )[0]
    task_b = make_tasks(
        staff, other, [tree.ward_b], deadline=dt.date(2026, 3, 15), title="Rà soát hồ sơ đảng viên"
    )[0]
    return {
        "exact": exact,
        "partial": partial,
        "other": other,
        "task_a": task_a,
        "task_b": task_b,
        "person": _person("LB00012", tree.cell_a1, "Nguyễn Văn Mười Hai"),
        "person_b": _person("LB00013", tree.cell_b1, "Trần Văn Mười Ba"),
    }


def _page(client, q: str) -> str:
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_a_task_is_found_by_a_word_of_its_title(users, records):
    hits = search.search(users["staff"], "ra soat")
    urls = {hit.url for hit in hits}
    assert records["task_a"].get_absolute_url() in urls
    task_hit = next(h for h in hits if h.url == records["task_a"].get_absolute_url())
    assert task_hit.kind == "Nhiệm vụ"
    assert task_hit.date == dt.date(2026, 3, 15)
    assert task_hit.unit == "Đảng ủy phường Ánh Dương"


def test_a_person_is_found_by_code_whole_or_part(users, records):
    url = records["person"].get_absolute_url()
    for typed in ["LB00012", "lb00012", "00012"]:
        hits = search.search(users["staff"], typed)
        assert url in {hit.url for hit in hits}, typed
    exact = search.search(users["staff"], "LB00012")
    assert exact[0].url == url and exact[0].exact
    # "0001" is part of both codes: both found, neither exact.
    found = search.search(users["staff"], "0001")
    assert {records["person"].get_absolute_url(), records["person_b"].get_absolute_url()} <= {
        h.url for h in found
    }
    assert not any(h.exact for h in found)


def test_an_exact_symbol_is_listed_above_partial_matches(users, records, client_for):
    hits = search.search(users["staff"], "12-NQ/QU")
    documents = [h for h in hits if h.kind == "Văn bản"]
    assert [h.url for h in documents] == [
        records["exact"].get_absolute_url(),
        records["partial"].get_absolute_url(),
    ]
    assert documents[0].exact and not documents[1].exact
    assert hits[0].url == records["exact"].get_absolute_url()  # first of all the hits
    text = _page(client_for(users["staff"]), "12-NQ/QU")
    assert text.index("12-NQ/QU – Về chuyển đổi số") < text.index("112-NQ/QU – Về cải cách")
    assert "Khớp chính xác" in text


def test_a_date_finds_the_documents_signed_and_the_tasks_due_that_day(users, records):
    for typed in ["15/3/2026", "15/03/2026", "2026-03-15"]:
        urls = {h.url for h in search.search(users["staff"], typed)}
        assert urls == {
            records["exact"].get_absolute_url(),
            records["task_a"].get_absolute_url(),
            records["task_b"].get_absolute_url(),
        }, typed
    month = {h.url for h in search.search(users["staff"], "3/2026")}
    assert records["other"].get_absolute_url() in month  # signed 02/03/2026
    assert records["exact"].get_absolute_url() in month
    assert records["partial"].get_absolute_url() not in month  # January


def test_the_page_shows_counts_per_kind_and_the_total_with_date_and_unit(
    users, records, client_for
):
    results = search.run(users["staff"], "15/3/2026")
    counts = {g.kind: g.count for g in results.groups}
    assert counts == {"Văn bản": 1, "Nhiệm vụ": 2} and results.total == 3
    text = _page(client_for(users["staff"]), "15/3/2026")
    assert re.search(r"3 kết quả vào ngày 15/03/2026", text)
    counts_html = re.search(r'<ul class="search-counts".*?</ul>', text, re.S).group(0)
    assert re.search(r"Văn bản</span>\s*1\b", counts_html)
    assert re.search(r"Nhiệm vụ</span>\s*2\b", counts_html)
    hits_html = re.search(r'<ul class="hits">.*?</ul>', text, re.S).group(0)
    assert hits_html.count('class="hit-date">15/03/2026') == 3
    assert "Đảng ủy phường Ánh Dương" in hits_html and "Quận ủy Thử" in hits_html


def test_records_out_of_scope_are_not_found(users, records, client_for):
    secretary = users["ward_secretary"]  # ward A
    urls = {h.url for h in search.search(secretary, "15/3/2026")}
    assert records["task_a"].get_absolute_url() in urls
    assert records["task_b"].get_absolute_url() not in urls  # ward B's task
    assert records["person_b"].get_absolute_url() not in {
        h.url for h in search.search(secretary, "LB00013")
    }
    results = search.run(secretary, "ra soat")
    assert {g.kind: g.count for g in results.groups}["Nhiệm vụ"] == 1
    assert "Trần Văn Mười Ba" not in _page(client_for(secretary), "muoi ba")


def test_each_provider_runs_a_fixed_number_of_queries(
    users, records, tree, django_assert_max_num_queries
):
    staff = users["staff"]
    for number in range(20):
        make_document(staff, tree.root, symbol=f"{200 + number}-NQ/QU", title="Về chuyển đổi số")
    search.run(staff, "chuyen doi")  # warm the caches (grants, content types)
    with django_assert_max_num_queries(20):
        results = search.run(staff, "chuyen doi")
    assert {g.kind: g.count for g in results.groups}["Văn bản"] == 21


def test_a_word_that_is_not_a_date_is_searched_as_text(users, records):
    query = search.Query("31/02/2026")
    assert not query.is_date
    assert search.Query("3/2026").period == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def _sql(queryset) -> str:
    return str(queryset.query)


def test_a_search_over_two_tables_asks_each_on_its_own(users, records, monkeypatch):
    """A task's title or its document's: the documents that match are looked up first and the
    tasks are found by their document key (no join whose OR no index serves); the rows are
    those of the plain join, and past RELATED_MATCHES_MAX matches the tables are joined."""
    from resolutions.models import Task

    fields = ("title_folded", "document__title_folded")
    tasks = Task.objects.order_by("id")
    for query in ("ket luan", "ra soat", "chuyen doi", "khong co dau"):
        joined = list(tasks.filter(search.text_q(fields, query)))
        split = tasks.filter(search.text_q(fields, query, Task))
        assert list(split) == joined, query
        assert "JOIN" not in _sql(split) and "resolutions_document" not in _sql(split)
    by_document = tasks.filter(search.text_q(fields, "ket luan", Task))
    assert set(by_document) == {records["task_a"], records["task_b"]}
    monkeypatch.setattr(search, "RELATED_MATCHES_MAX", 0)
    broad = tasks.filter(search.text_q(fields, "ket luan", Task))
    assert "JOIN" in _sql(broad) and set(broad) == set(by_document)


def test_one_related_table_alone_is_joined_as_before(users, records):
    """The evaluations' search (the person's name or code): one table, one join."""
    from cadres.models import Evaluation

    q = search.text_q(("person__name_folded", "person__code"), "nguyen", Evaluation)
    assert "INNER JOIN" in _sql(Evaluation.objects.filter(q))


def test_the_apis_search_as_their_pages(users, records, client_for):
    """?q= on the tasks, evaluations and people APIs finds what the register's page finds."""
    client = client_for(users["admin"])
    tasks = client.get("/api/v1/resolutions/tasks/", {"q": "ket luan"}).json()
    assert {row["id"] for row in tasks["results"]} == {records["task_a"].pk, records["task_b"].pk}
    assert client.get("/api/v1/resolutions/tasks/", {"q": "khong co"}).json()["count"] == 0
    people = client.get("/api/v1/org/people/", {"q": "LB00012"}).json()
    assert [row["code"] for row in people["results"]] == ["LB00012"]
    assert client.get("/api/v1/org/people/", {"q": "muoi ba"}).json()["count"] == 1
    from cadres import services as cadres_services

    for person in (records["person"], records["person_b"]):
        cadres_services.evaluation_create(actor=users["admin"], person=person, year=2026, month=3)
    evaluations = client.get("/api/v1/cadres/evaluations/", {"q": "nguyen van"}).json()
    assert [row["person"] for row in evaluations["results"]] == ["LB00012"]
    by_code = client.get("/api/v1/cadres/evaluations/", {"q": "lb00013"}).json()
    assert [row["person"] for row in by_code["results"]] == ["LB00013"]
