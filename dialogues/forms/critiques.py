"""Forms of the social critiques and thematic supervisions (Decision 217) with their
recommendations, and of the feedback on building the Party and the government (Decision 218).

Every form only reads and shapes the input: the services (``dialogues.services``) decide
(dates not in the future, a response not before the record it answers, both a response and
its date). Units are pickers bound to the user's scope (area dialogues, change).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from longbien.core.forms import ChangeReasonField, DateField, bind_pickers
from longbien.org import scope
from longbien.org.forms import unit_picker

from ..choices import CritiqueKind, Organiser

AREA = scope.Area.DIALOGUES
# How many recommendations the record's page offers at once (more are added afterwards).
RECOMMENDATIONS = 5
RECOMMENDATION_FIELDS = ("content", "addressee")


def _text(label: Any, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "---------"), *choices]


def _kind() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Hình thức"), choices=_blank(CritiqueKind.choices))


def _organiser(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=_blank(Organiser.choices))


def _subject() -> forms.CharField:
    return forms.CharField(
        label=_("Văn bản, nội dung phản biện hoặc giám sát"), max_length=300,
        error_messages={"required": _("Hãy ghi văn bản, nội dung phản biện hoặc giám sát.")},
    )  # fmt: skip


def _findings() -> forms.CharField:
    return _text(_("Kết quả, phát hiện"), rows=5, required=False)


def _addressee(label: Any, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=300, **kwargs)


class CritiqueForm(forms.Form):
    """Record a critique or a supervision and up to five recommendations
    (service ``critique_create``)."""

    kind = _kind()
    unit = unit_picker(_("Đơn vị"), area=AREA, action=scope.CHANGE)
    organiser = _organiser(_("Tổ chức chủ trì"))
    held_on = DateField(label=_("Ngày tổ chức"))
    subject = _subject()
    findings = _findings()
    file = forms.FileField(
        label=_("Tài liệu"), required=False,
        help_text=_("Báo cáo, biên bản hoặc văn bản kiến nghị; PDF, Word hoặc ảnh chụp."),
    )  # fmt: skip

    MAIN = ("kind", "unit", "organiser", "held_on", "subject", "findings", "file")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(1, RECOMMENDATIONS + 1):
            n = {"n": index}
            self.fields[f"rec{index}_content"] = _text(
                _("Kiến nghị %(n)s: nội dung") % n, rows=2, required=False
            )
            self.fields[f"rec{index}_addressee"] = _addressee(
                _("Kiến nghị %(n)s: cơ quan tiếp nhận") % n, required=False
            )
        bind_pickers(self, user)

    def names(self, index: int) -> dict[str, str]:
        return {key: f"rec{index}_{key}" for key in RECOMMENDATION_FIELDS}

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MAIN]

    def groups(self) -> list[list[forms.BoundField]]:
        """The recommendation fieldsets, for the template."""
        return [
            [self[name] for name in self.names(i).values()] for i in range(1, RECOMMENDATIONS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.filled: list[int] = []
        for index in range(1, RECOMMENDATIONS + 1):
            names = self.names(index)
            values = {key: (data.get(name) or "").strip() for key, name in names.items()}
            if not any(values.values()):
                continue
            self.filled.append(index)
            if not values["content"]:
                self.add_error(names["content"], _("Hãy ghi nội dung kiến nghị."))
            if not values["addressee"]:
                self.add_error(names["addressee"], _("Hãy ghi cơ quan tiếp nhận kiến nghị."))
        return data

    def recommendations(self) -> list[dict[str, Any]]:
        """The filled recommendations, as the service's ``recommendations`` argument."""
        data = self.cleaned_data
        return [
            {key: data.get(name) or "" for key, name in self.names(index).items()}
            for index in self.filled
        ]

    def critique_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in self.MAIN if name != "file"}


class CritiqueUpdateForm(forms.Form):
    """Correct a critique or a supervision (service ``critique_update``)."""

    kind = _kind()
    organiser = _organiser(_("Tổ chức chủ trì"))
    held_on = DateField(label=_("Ngày tổ chức"))
    subject = _subject()
    findings = _findings()
    reason = ChangeReasonField()


class RecommendationForm(forms.Form):
    """One more recommendation of a critique or a supervision (service
    ``recommendation_add``)."""

    content = _text(
        _("Nội dung kiến nghị"), rows=4,
        error_messages={"required": _("Hãy ghi nội dung kiến nghị.")},
    )  # fmt: skip
    addressee = _addressee(
        _("Cơ quan tiếp nhận kiến nghị"),
        error_messages={"required": _("Hãy ghi cơ quan tiếp nhận kiến nghị.")},
    )


class ResponseForm(forms.Form):
    """The addressee's response and its date (services ``recommendation_respond`` and
    ``feedback_respond``); the service checks the date against the record's."""

    response = _text(
        _("Nội dung tiếp thu, trả lời"), rows=5,
        error_messages={"required": _("Hãy ghi nội dung trả lời, tiếp thu.")},
    )  # fmt: skip
    responded_on = DateField(
        label=_("Ngày trả lời"), error_messages={"required": _("Hãy ghi ngày trả lời.")}
    )
    reason = ChangeReasonField()


class FeedbackRespondForm(ResponseForm):
    file = forms.FileField(
        label=_("Văn bản trả lời"), required=False,
        help_text=_("Không bắt buộc; được lưu vào hồ sơ góp ý."),
    )  # fmt: skip

    field_order = ("response", "responded_on", "file", "reason")


class FeedbackForm(forms.Form):
    """Record a feedback item, with its response when it has been answered (service
    ``feedback_create``: a response and its date, or neither)."""

    unit = unit_picker(_("Đơn vị"), area=AREA, action=scope.CHANGE)
    sender = _organiser(_("Tổ chức góp ý"))
    received_on = DateField(label=_("Ngày góp ý"))
    content = _text(
        _("Nội dung góp ý"), rows=5, error_messages={"required": _("Hãy ghi nội dung góp ý.")}
    )
    addressee = _addressee(
        _("Cơ quan được góp ý"), error_messages={"required": _("Hãy ghi cơ quan được góp ý.")}
    )
    response = _text(
        _("Nội dung tiếp thu, trả lời"), rows=4, required=False,
        help_text=_("Nếu đã được trả lời: ghi cả nội dung và ngày trả lời."),
    )  # fmt: skip
    responded_on = DateField(label=_("Ngày trả lời"), required=False)
    file = forms.FileField(label=_("Tài liệu"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)

    def feedback_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("file", None)
        data["response"] = data.get("response") or ""
        return data


class FeedbackUpdateForm(forms.Form):
    """Correct a feedback item (service ``feedback_update``; its response has its own form)."""

    sender = _organiser(_("Tổ chức góp ý"))
    received_on = DateField(label=_("Ngày góp ý"))
    content = _text(
        _("Nội dung góp ý"), rows=5, error_messages={"required": _("Hãy ghi nội dung góp ý.")}
    )
    addressee = _addressee(
        _("Cơ quan được góp ý"), error_messages={"required": _("Hãy ghi cơ quan được góp ý.")}
    )
    reason = ChangeReasonField()
