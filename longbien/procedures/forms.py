from typing import Any

from django import forms

from longbien.core.forms import ModelForm
from longbien.org import scope
from longbien.org.forms import UnitChoiceField
from longbien.org.selectors import unit_choices

from .models import Procedure


class ProcedureForm(ModelForm):
    class Meta:
        model = Procedure
        fields = [
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
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"owner_unit": UnitChoiceField}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = unit_choices(user=user, action=scope.VIEW)

    def validate_unique(self) -> None:
        """The service checks uniqueness and constraints."""
