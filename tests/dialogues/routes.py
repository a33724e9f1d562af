"""The route table entries of the dialogues app (see :mod:`tests.routes`), one list per part."""

from __future__ import annotations

from tests.dialogues.routes_api import ROUTES as API_ROUTES
from tests.dialogues.routes_cases import ROUTES as CASE_ROUTES
from tests.dialogues.routes_critiques import ROUTES as CRITIQUE_ROUTES
from tests.dialogues.routes_dialogues import ROUTES as DIALOGUE_ROUTES
from tests.dialogues.routes_receptions import ROUTES as RECEPTION_ROUTES

ROUTES = [*DIALOGUE_ROUTES, *CASE_ROUTES, *CRITIQUE_ROUTES, *RECEPTION_ROUTES, *API_ROUTES]
