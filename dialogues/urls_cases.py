from django.http import Http404
from django.urls import path


def _todo(request, **kwargs):  # replaced by the case pages
    raise Http404


urlpatterns = [
    path("vu-viec/<int:pk>/", _todo, name="case_detail"),
]
