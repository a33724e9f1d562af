from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from longbien.core.forms import ModelForm, bind_pickers
from longbien.org import scope
from longbien.org.forms import unit_picker

from .models import Procedure


class ProcedureForm(ModelForm):
    owner_unit = unit_picker(_("Đơn vị ban hành"), action=scope.VIEW)

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

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)

    def validate_unique(self) -> None:
        """The service checks uniqueness and constraints."""
