"""Route table entries of the quarterly reports (board part): the compliance board, its
Excel export, one quarter's workbook and a report's PDF.

The reports area: the admin and district staff everywhere, leadership reads, the ward's
secretary and staff on their ward; the inspection and mass-mobilisation roles and the account
without a role have no access (403). Ward B's report is a 404 for the ward roles.

The board and its export are ``listing`` routes: their rows are the reporting units, which
``add_rows`` of tests/core/test_query_counts.py adds (a grassroots organisation with its first
quarter's report per row). The quarter's workbook is not: a report not yet submitted has no
frozen counts, so its column costs one computation of the indicators (about 25 queries); the
submitted and accepted ones read their frozen counts.
"""

from __future__ import annotations

from typing import Any

from tests.routes import Route, _r, only

REP_VIEW = only(200, "admin", "staff", "leadership", "ward_secretary", "ward_staff")
REP_VIEW_OUT = {**REP_VIEW, "ward_secretary": 404, "ward_staff": 404}

ROUTES: list[Any] = [
    Route("reporting:compliance_board", lambda b, s: _r("reporting:compliance_board") + "?year=2026",
          get=REP_VIEW, listing=True),
    Route("reporting:board_export", lambda b, s: _r("reporting:board_export") + "?year=2026",
          get=REP_VIEW, listing=True),
    Route("reporting:quarter_export",
          lambda b, s: _r("reporting:quarter_export", year=2026, quarter=3), get=REP_VIEW),
    Route("reporting:report_pdf", lambda b, s: _r("reporting:report_pdf", pk=s.rep.accepted.pk),
          get=REP_VIEW, scoped=True, out=REP_VIEW_OUT),
]  # fmt: skip
