from rest_framework import mixins, serializers

from longbien.core.api import ScopedGenericViewSet
from longbien.org import scope
from longbien.org.models import OrgUnit

from .. import selectors
from ..models import Procedure


class ProcedureSerializer(serializers.ModelSerializer):
    owner_unit = serializers.SlugRelatedField(slug_field="code", queryset=OrgUnit.objects.all())

    class Meta:
        model = Procedure
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "area",
            "level",
            "version",
            "effective_date",
            "retired_on",
            "iso_9001",
            "owner_unit",
            "description",
        ]


class ProcedureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """The registry of work procedures and coordination regulations."""

    serializer_class = ProcedureSerializer
    scope_area = scope.Area.ORG
    filterset_fields = ["kind", "area", "level", "iso_9001"]

    def get_base_queryset(self):
        return selectors.procedure_list(user=self.request.user)
