"""Route table entries of the quarterly reports (see tests/routes.py), one list per part."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
