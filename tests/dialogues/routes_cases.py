"""Route table entries of the dialogues app (cases)."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
