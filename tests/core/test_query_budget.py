"""The queries a register costs per request (issue 15: pages ≤ 8, API ≤ 5), whatever the rows.

A request pays for its user (with their person, one query: ``PersonModelBackend``) and their
roles; the session comes from the shared cache (``cached_db``) and the working calendar's
recorded days from this process (read again only when their version stamp changes). The rest
is the page's own: the count, the rows and what they draw.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cadres.conftest import make_person
from tests.dialogues.conftest import receive
from tests.resolutions.factories import make_document, make_tasks

BACKEND = "longbien.org.backends.PersonModelBackend"
PAGES = ("/nghi-quyet/nhiem-vu/", "/dan-van/vu-viec/", "/can-bo-danh-gia/", "/to-chuc/can-bo/")
APIS = ("/api/v1/resolutions/tasks/", "/api/v1/dialogues/cases/", "/api/v1/cadres/evaluations/",
        "/api/v1/org/people/")  # fmt: skip


def _records(users, tree, count: int) -> None:
    from cadres import services as cadres

    document = make_document(users["staff"], tree.root, symbol=f"{count:02d}-NQ/QU")
    for number in range(count):
        make_tasks(users["staff"], document, [tree.cell_a1], title=f"Nhiệm vụ {number}",
                   deadline=dt.date(2026, 3, 1) + dt.timedelta(days=number))  # fmt: skip
        receive(users["staff"], tree.cell_a1, f"Vụ việc số {number} ở tổ dân phố")
        person = make_person(f"CB{count}-{number}", tree.cell_a1)
        cadres.evaluation_create(actor=users["staff"], person=person, year=2026, month=3)


def _counts(client) -> dict[str, int]:
    found = {}
    for url in PAGES + APIS:
        client.get(url)  # the first request of a process reads what it keeps
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        found[url] = len(captured)
    return found


@pytest.mark.parametrize("who", ["ward_secretary", "admin"])
def test_registers_stay_within_their_query_budget_whatever_the_rows(client, users, tree, who):
    person = make_person("CB-SELF", tree.ward_a)
    users[who].person = person
    users[who].save()
    client.force_login(users[who], backend=BACKEND)
    _records(users, tree, 3)
    few = _counts(client)
    _records(users, tree, 12)
    many = _counts(client)
    assert few == many  # nothing per row
    for url in PAGES:
        assert many[url] <= 8, (url, many[url])
    for url in APIS:
        assert many[url] <= 5, (url, many[url])


def test_a_real_login_keeps_the_person_with_the_user(client, users):
    from django.contrib.auth import BACKEND_SESSION_KEY

    users["staff"].set_password("Mật-khẩu-thử-2026")
    users["staff"].save()
    response = client.post("/dang-nhap/", {"username": "staff", "password": "Mật-khẩu-thử-2026"})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == BACKEND
