"""The start-up heap frozen out of the garbage collector's way.

A process of the portal holds about 170.000 objects once Django has loaded its apps, models
and URLs, and they live as long as the process. Python's collector walks every one of them in
each full pass: 85 ms, paid by whichever request or dashboard build happened to allocate the
object that tipped the count (on a busy worker, a request in every few dozen; a cold
dashboard's build every other time). :func:`freeze` moves what exists now to the permanent
generation, so a full pass walks only what was made since (the objects of requests).

Called when the apps are ready (``CoreConfig.ready``: every process, the web workers, Celery,
the commands) and again by the WSGI entry point once the URLs are loaded. Objects frozen are
still freed by reference counting when nothing refers to them; only garbage cycles made
before the freeze would stay, and :func:`freeze` collects those first.

A web worker's first requests make a second heap as lasting as the first: the templates they
draw compiled (a register page's dozen), the translations' catalogues, the links and labels
kept per process. On the city's registers, some 140.000 objects after one request to each,
and a full pass took 100-110 ms again (two in 220 requests, each in one request's time: the
p95 under load). :func:`refreeze_while_warming` (connected to ``request_finished`` by the
WSGI entry point) freezes them too after the worker's 16th, 256th and 4.096th request, when
the response has been sent; then full passes walk the requests' own objects (18 ms at most).
"""

from __future__ import annotations

import gc
from typing import Any

#: The requests of a web worker after which what it made is frozen too (then no more).
REFREEZE_AFTER = (16, 256, 4096)

_served = 0


def freeze() -> None:
    gc.collect()
    gc.freeze()


def refreeze_while_warming(**_kwargs: Any) -> None:
    """Count a request of this process; after the ones of :data:`REFREEZE_AFTER`, freeze."""
    global _served
    _served += 1
    if _served in REFREEZE_AFTER:
        freeze()
