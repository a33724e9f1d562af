"""Route table entries of the inspections app (api)."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
