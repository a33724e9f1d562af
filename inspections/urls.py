"""The inspections app's pages: plans and coordination, records and follow-ups, cases."""

from .urls_cases import urlpatterns as case_patterns
from .urls_plans import urlpatterns as plan_patterns
from .urls_records import urlpatterns as record_patterns

app_name = "inspections"

urlpatterns = [*plan_patterns, *record_patterns, *case_patterns]
