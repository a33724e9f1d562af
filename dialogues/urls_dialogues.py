from django.http import Http404
from django.urls import path


def _todo(request, **kwargs):  # replaced by the dialogue pages
    raise Http404


urlpatterns = [
    path("doi-thoai/<int:pk>/", _todo, name="dialogue_detail"),
]
