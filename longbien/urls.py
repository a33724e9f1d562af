from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from longbien.core.forms import LoginForm
from longbien.procedures.api.views import ProcedureViewSet

procedure_router = SimpleRouter()
procedure_router.register("", ProcedureViewSet, basename="procedure")

api_v1 = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="docs"),
    path("org/", include("longbien.org.api.urls")),
    path("cadres/", include("cadres.api.urls")),
    path("resolutions/", include("resolutions.api.urls")),
    path("procedures/", include(procedure_router.urls)),
]

urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("to-chuc/", include("longbien.org.urls")),
    path("nghi-quyet/", include("resolutions.urls")),
    path("quy-trinh/", include("longbien.procedures.urls")),
    path("tep/", include("longbien.attachments.urls")),
    path("can-bo-danh-gia/", include("cadres.urls")),
    path("", include("longbien.core.urls")),
]

handler403 = "longbien.core.views.error_403"
handler404 = "longbien.core.views.error_404"
handler500 = "longbien.core.views.error_500"
