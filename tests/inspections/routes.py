"""The route table entries of the inspections app (see :mod:`tests.routes`).

Each part of the app keeps its entries in its own list below; ``tests/routes.py`` adds them
all to the table.
"""

from __future__ import annotations

from tests.inspections.routes_api import ROUTES as API_ROUTES
from tests.inspections.routes_cases import ROUTES as CASE_ROUTES
from tests.inspections.routes_plans import ROUTES as PLAN_ROUTES
from tests.inspections.routes_records import ROUTES as RECORD_ROUTES

ROUTES = [*PLAN_ROUTES, *RECORD_ROUTES, *CASE_ROUTES, *API_ROUTES]
