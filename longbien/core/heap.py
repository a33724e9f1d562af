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
"""

from __future__ import annotations

import gc


def freeze() -> None:
    gc.collect()
    gc.freeze()
