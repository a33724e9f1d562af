from rest_framework.routers import DefaultRouter

from .views import (
    AssignmentViewSet,
    DecisionViewSet,
    EvaluationViewSet,
    PlanViewSet,
    TestViewSet,
    TrainingViewSet,
)

router = DefaultRouter()
router.register("evaluations", EvaluationViewSet, basename="cadres-evaluation")
router.register("decisions", DecisionViewSet, basename="cadres-decision")
router.register("tests", TestViewSet, basename="cadres-test")
router.register("plans", PlanViewSet, basename="cadres-plan")
router.register("assignments", AssignmentViewSet, basename="cadres-assignment")
router.register("trainings", TrainingViewSet, basename="cadres-training")
urlpatterns = router.urls
