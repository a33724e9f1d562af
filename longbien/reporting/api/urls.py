"""The reporting API, mounted at ``/api/v1/reporting/`` (URL names ``api:reporting-…``)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .dashboard import DashboardView
from .views import QuarterlyReportViewSet

router = DefaultRouter()
router.register("quarterly-reports", QuarterlyReportViewSet, basename="reporting-quarterly-report")
urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="reporting-dashboard"),
    *router.urls,
]
