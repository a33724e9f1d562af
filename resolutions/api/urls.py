from rest_framework.routers import DefaultRouter

from .views import BriefingViewSet, ConferenceViewSet, DocumentViewSet, TaskViewSet

router = DefaultRouter()
router.register("documents", DocumentViewSet, basename="resolutions-document")
router.register("tasks", TaskViewSet, basename="resolutions-task")
router.register("conferences", ConferenceViewSet, basename="resolutions-conference")
router.register("briefings", BriefingViewSet, basename="resolutions-briefing")
urlpatterns = router.urls
