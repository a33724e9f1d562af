"""The inspections API, mounted at ``/api/v1/inspections/`` (URL names ``api:inspections-…``)."""

from rest_framework.routers import DefaultRouter

from .views import (
    CaseViewSet,
    DisciplineViewSet,
    FollowUpViewSet,
    InspectionViewSet,
    PlanItemViewSet,
    PlanViewSet,
)

router = DefaultRouter()
router.register("plans", PlanViewSet, basename="inspections-plan")
router.register("plan-items", PlanItemViewSet, basename="inspections-plan-item")
router.register("records", InspectionViewSet, basename="inspections-record")
router.register("follow-ups", FollowUpViewSet, basename="inspections-follow-up")
router.register("cases", CaseViewSet, basename="inspections-case")
router.register("discipline", DisciplineViewSet, basename="inspections-discipline")
urlpatterns = router.urls
