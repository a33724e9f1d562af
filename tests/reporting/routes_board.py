"""Route table entries of the quarterly reports (board part)."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
