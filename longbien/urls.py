from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from longbien.core.forms import LoginForm
from longbien.procedures.api.views import ProcedureViewSet

procedure_router = SimpleRouter()
procedure_router.register("", ProcedureViewSet, basename="procedure")

api_v1 = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's page carries one inline <style>; only this page allows it.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path("org/", include("longbien.org.api.urls")),
    path("cadres/", include("cadres.api.urls")),
    path("resolutions/", include("resolutions.api.urls")),
    path("inspections/", include("inspections.api.urls")),
    path("dialogues/", include("dialogues.api.urls")),
    path("reporting/", include("longbien.reporting.api.urls")),
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
    path("kiem-tra/", include("inspections.urls")),
    path("dan-van/", include("dialogues.urls")),
    path("bao-cao-quy/", include("longbien.reporting.urls")),
    path("", include("longbien.core.urls")),
]

admin.site.site_header = _("Quản trị Cổng công tác Quận ủy Long Biên")
admin.site.site_title = _("Quản trị cổng công tác")
admin.site.index_title = _("Tra cứu dữ liệu (chỉ đọc với dữ liệu nghiệp vụ)")

handler400 = "longbien.core.edges.bad_request"
handler403 = "longbien.core.views.error_403"
handler404 = "longbien.core.views.error_404"
handler500 = "longbien.core.views.error_500"
