"""Route table entries of the leadership dashboard: its page, Excel export and print view
(under /bao-cao-quy/bang-dieu-khien/) and its API (``/api/v1/reporting/dashboard/``).

The reports area: the admin, district staff and leadership on the district, the ward's
secretary and staff on their own ward; the inspection and mass-mobilisation roles and the
account without a role get a 403. The routes take the unit in the query: ward A's dashboard
is read by every reports role, ward B's is a 404 for the ward roles (``scoped``; the API's
answer is a 400 on its ``unit`` parameter). None is a
``listing``: its queries grow with the units compared, not with the records counted
(tests/reporting/test_dashboard.py pins that).
"""

from __future__ import annotations

from typing import Any

from tests.routes import WARD, Route, _r, only

DASH_VIEW = only(200, "admin", "staff", "leadership", *WARD)


def _url(name: str) -> Any:
    return lambda b, s: _r(name) + f"?year=2026&unit={s.ward.code}"


ROUTES: list[Any] = [
    Route("reporting:dashboard", _url("reporting:dashboard"), get=DASH_VIEW, scoped=True),
    Route("reporting:dashboard_export", _url("reporting:dashboard_export"), get=DASH_VIEW,
          scoped=True),
    Route("reporting:dashboard_print", _url("reporting:dashboard_print"), get=DASH_VIEW,
          scoped=True),
    # The API names the unit in its query, not its path: ward B is a 400 ("unit") for the
    # ward roles, as an unknown unit is.
    Route("api:reporting-dashboard", _url("api:reporting-dashboard"), get=DASH_VIEW,
          anonymous=401, scoped=True, out={**DASH_VIEW, **dict.fromkeys(WARD, 400)}),
]  # fmt: skip
