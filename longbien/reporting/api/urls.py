"""The reporting API, mounted at ``/api/v1/reporting/`` (URL names ``api:reporting-…``)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .dashboard import DashboardView
from .term import TermReportViewSet
from .views import QuarterlyReportViewSet

router = DefaultRouter()
router.register("quarterly-reports", QuarterlyReportViewSet, basename="reporting-quarterly-report")
router.register("term-reports", TermReportViewSet, basename="reporting-term-report")
urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="reporting-dashboard"),
    *router.urls,
]
