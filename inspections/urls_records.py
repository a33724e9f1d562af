from django.http import Http404
from django.urls import path


def _todo(request, **kwargs):  # replaced by the record pages
    raise Http404


urlpatterns = [
    path("cuoc/<int:pk>/", _todo, name="inspection_detail"),
    path("ky-luat/<int:pk>/", _todo, name="discipline_detail"),
]
