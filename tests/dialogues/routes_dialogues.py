"""Route table entries of the dialogues app (dialogues)."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
