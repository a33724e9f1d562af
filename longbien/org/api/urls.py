from rest_framework.routers import DefaultRouter

from .roles import AccountRoleViewSet
from .views import OrgUnitViewSet, PersonViewSet, TermViewSet

router = DefaultRouter()
router.register("units", OrgUnitViewSet, basename="org-unit")
router.register("people", PersonViewSet, basename="org-person")
router.register("terms", TermViewSet, basename="org-term")
router.register("users", AccountRoleViewSet, basename="org-user")
urlpatterns = router.urls
