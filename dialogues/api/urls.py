"""The dialogues API, mounted at ``/api/v1/dialogues/`` (URL names ``api:dialogues-…``)."""

from rest_framework.routers import DefaultRouter

from .views import (
    CaseViewSet,
    CommitmentViewSet,
    CritiqueViewSet,
    DialogueViewSet,
    FeedbackViewSet,
    MobilisationModelViewSet,
    ReceptionViewSet,
    RecommendationViewSet,
)

router = DefaultRouter()
router.register("dialogues", DialogueViewSet, basename="dialogues-dialogue")
router.register("commitments", CommitmentViewSet, basename="dialogues-commitment")
router.register("cases", CaseViewSet, basename="dialogues-case")
router.register("critiques", CritiqueViewSet, basename="dialogues-critique")
router.register("recommendations", RecommendationViewSet, basename="dialogues-recommendation")
router.register("feedback", FeedbackViewSet, basename="dialogues-feedback")
router.register("receptions", ReceptionViewSet, basename="dialogues-reception")
router.register("models", MobilisationModelViewSet, basename="dialogues-model")
urlpatterns = router.urls
