"""The start-up heap is frozen out of the collector's full passes (longbien/core/heap.py)."""

from __future__ import annotations

import gc

from longbien.core import heap


def test_the_apps_froze_what_they_made_at_start_up() -> None:
    assert gc.get_freeze_count() > 10_000


def test_freeze_moves_what_exists_now() -> None:
    before = gc.get_freeze_count()
    made = [{"n": n} for n in range(1_000)]
    heap.freeze()
    assert gc.get_freeze_count() >= before + len(made)


def test_a_web_worker_freezes_what_its_first_requests_made(monkeypatch) -> None:
    monkeypatch.setattr(heap, "_served", 0)
    monkeypatch.setattr(heap, "REFREEZE_AFTER", (3, 5))
    frozen = []
    monkeypatch.setattr(heap, "freeze", lambda: frozen.append(heap._served))
    for _request in range(7):
        heap.refreeze_while_warming(sender=None)
    assert frozen == [3, 5]


def test_the_wsgi_entry_point_counts_the_requests(client, monkeypatch) -> None:
    from django.core.signals import request_finished

    import longbien.wsgi  # noqa: F401 - connects the counter, as gunicorn's workers import it

    monkeypatch.setattr(heap, "_served", 0)
    receivers = [r[1]() for r in request_finished.receivers if r[0][0] == "longbien.heap"]
    assert receivers == [heap.refreeze_while_warming]
    try:
        client.get("/healthz")
        assert heap._served == 1
    finally:  # the rest of the test run is not a web worker warming up
        request_finished.disconnect(dispatch_uid="longbien.heap")
