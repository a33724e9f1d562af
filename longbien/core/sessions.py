"""Sessions: Django's ``cached_db`` (kept in the database, read through the shared cache), with
a cache that is down costing a query, never the request.

``cached_db`` saves every session to the database and to the cache, and reads the cache first:
a page no longer spends a query on its session. Django's own ``load()`` falls back to the
database when the cache fails, then writes the session back to the cache unguarded, so a
Redis outage would fail every logged-in request; here a failed cache is skipped for reading
(``load``, ``exists``). Deleting a session (logging out) still fails when the cache cannot
drop its copy: a logout that left a live copy in a cache coming back would keep the session.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib.sessions.backends import cached_db


class SessionStore(cached_db.SessionStore):
    def load(self) -> dict[str, Any]:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # noqa: BLE001 - the cache down: read the database
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        with contextlib.suppress(Exception):
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def exists(self, session_key: str | None) -> bool:
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:  # noqa: BLE001, S110 - the cache down: ask the database
            pass
        return super(cached_db.SessionStore, self).exists(session_key)
