from django.http import Http404
from django.urls import path


def _todo(request, **kwargs):  # replaced by the plan pages
    raise Http404


urlpatterns = [
    path("ke-hoach/<int:pk>/", _todo, name="plan_detail"),
]
