from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView
from rest_framework import mixins, serializers

from longbien import confidential
from longbien.core.api import ScopedGenericViewSet
from longbien.org.scope import Area

from .models import Secret


class _Text:
    def render_to_response(self, context, **kwargs):
        rows = context.get("object_list")
        if rows is None:
            rows = [context["object"]]
        return HttpResponse("\n".join(str(row) for row in rows))


class SecretList(confidential.ConfidentialListMixin, _Text, ListView):
    model = Secret
    paginate_by = 2
    ordering = ["pk"]


class SecretListWhole(confidential.ConfidentialListMixin, _Text, ListView):
    model = Secret
    ordering = ["pk"]


class SecretDetail(confidential.ConfidentialDetailMixin, _Text, DetailView):
    model = Secret


def secret_detail(request: HttpRequest, pk: int) -> HttpResponse:
    secret = confidential.read(
        request.user,
        get_object_or_404(Secret.objects.restrict(request.user), pk=pk),
        how=confidential.DETAIL,
    )
    return HttpResponse(secret.title)


class SecretSerializer(serializers.ModelSerializer):
    class Meta:
        model = Secret
        fields = ["id", "title"]


class SecretViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Built on the kernel's API base only: the recording comes with it."""

    serializer_class = SecretSerializer
    scope_area = Area.INSPECTIONS
    model = Secret

    def get_base_queryset(self):
        return Secret.objects.order_by("pk")


class SecretUnpaginatedViewSet(SecretViewSet):
    pagination_class = None
