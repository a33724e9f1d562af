"""Locust users reading the large registers at city scale (pages and API), for ``bench/load.py``.

Each simulated user is logged in with a session cookie that ``bench/load.py`` made beforehand
(``LB_LOAD_SESSIONS``: ``who=sessionkey`` pairs separated by commas; half the users are the
city administrator, half a ward secretary). A user opens a register's first page, searches
it, filters it, reads deep into it (a page-number page far in for the pages; for the API the
``next`` cursor links followed from where the user stopped), with a think time of 0.5–2 s.
Requests are named ``<who> <register> <what>`` so that the p95 is reported per endpoint.
"""

from __future__ import annotations

import os
import random

from locust import HttpUser, between, task
from registers import REGISTERS, UNITS_PAGE


def _sessions() -> list[tuple[str, str]]:
    raw = os.environ.get("LB_LOAD_SESSIONS", "")
    pairs = [item.split("=", 1) for item in raw.split(",") if "=" in item]
    if not pairs:
        raise RuntimeError("LB_LOAD_SESSIONS is not set: run the load test through bench/load.py")
    return [(who, key) for who, key in pairs]


class RegisterReader(HttpUser):
    wait_time = between(0.5, 2)
    _counter = 0

    def on_start(self) -> None:
        sessions = _sessions()
        RegisterReader._counter += 1
        self.who, key = sessions[RegisterReader._counter % len(sessions)]
        self.client.cookies.set("sessionid", key)
        self.client.headers["Accept-Language"] = "vi"
        self.next_links: dict[str, str] = {}

    def _get(self, url: str, name: str) -> None:
        with self.client.get(url, name=f"{self.who} {name}", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @task(4)
    def first_page(self) -> None:
        register, page, api, _search, _filter = random.choice(REGISTERS)
        if random.random() < 0.5:
            self._get(page, f"{register} page")
        else:
            self._get(api, f"{register} api")

    @task(2)
    def search(self) -> None:
        register, page, api, search, _filter = random.choice(REGISTERS)
        url, kind = (page, "page") if random.random() < 0.5 else (api, "api")
        self._get(f"{url}?{search}", f"{register} {kind} search")

    @task(2)
    def filtered(self) -> None:
        register, page, api, _search, filtered = random.choice(REGISTERS)
        url, kind = (page, "page") if random.random() < 0.5 else (api, "api")
        self._get(f"{url}?{filtered}", f"{register} {kind} filter")

    @task(2)
    def deep_api(self) -> None:
        """Read on through the API's ``next`` links (a keyset cursor: any depth costs the same)."""
        register, _page, api, _search, _filter = random.choice(REGISTERS)
        url = self.next_links.get(register) or api
        name = f"{self.who} {register} api next"
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                self.next_links.pop(register, None)
                return
            following = response.json().get("next")
            if following:
                self.next_links[register] = following
            else:
                self.next_links.pop(register, None)

    @task(1)
    def deep_page(self) -> None:
        register, page, _api, _search, _filter = random.choice(REGISTERS)
        self._get(f"{page}?page={random.randint(20, 200)}", f"{register} page deep")

    @task(1)
    def units(self) -> None:
        self._get(UNITS_PAGE, "units page")
