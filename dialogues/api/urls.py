"""The dialogues API, mounted at ``/api/v1/dialogues/`` (URL names ``api:dialogues-…``)."""

from rest_framework.routers import DefaultRouter

from .views import CaseViewSet, CommitmentViewSet, DialogueViewSet

router = DefaultRouter()
router.register("dialogues", DialogueViewSet, basename="dialogues-dialogue")
router.register("commitments", CommitmentViewSet, basename="dialogues-commitment")
router.register("cases", CaseViewSet, basename="dialogues-case")
urlpatterns = router.urls
