"""The reporting API, mounted at ``/api/v1/reporting/`` (URL names ``api:reporting-…``)."""

from rest_framework.routers import DefaultRouter

from .views import QuarterlyReportViewSet

router = DefaultRouter()
router.register("quarterly-reports", QuarterlyReportViewSet, basename="reporting-quarterly-report")
urlpatterns = router.urls
