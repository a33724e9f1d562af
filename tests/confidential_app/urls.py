"""The portal's URLs plus the test app's pages (``@pytest.mark.urls`` only)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from longbien.urls import urlpatterns as portal

from . import views

router = SimpleRouter()
router.register("secrets", views.SecretViewSet, basename="secret")
router.register("all-secrets", views.SecretUnpaginatedViewSet, basename="all-secret")

urlpatterns = [
    path("test-secrets/", views.SecretList.as_view(), name="secret_list"),
    path("test-secrets/all/", views.SecretListWhole.as_view(), name="secret_list_whole"),
    path("test-secrets/<int:pk>/", views.SecretDetail.as_view(), name="secret_detail"),
    path("test-secrets/<int:pk>/fn/", views.secret_detail, name="secret_detail_fn"),
    path("test-api/", include(router.urls)),
    *portal,
]
