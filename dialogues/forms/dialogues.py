"""Forms of the dialogues with citizens and their commitments.

Every form only reads and shapes the input: the services (``dialogues.services``) decide.
Units are pickers (``/tra-cuu/don-vi/``, area dialogues, change) bound to the user's scope.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from longbien.core.forms import (
    AutocompleteModelChoiceField,
    ChangeReasonField,
    DateField,
    bind_pickers,
)
from longbien.org import scope

from .. import services
from ..choices import DialogueLevel

UNITS = {"area": scope.Area.DIALOGUES, "action": scope.CHANGE}
# How many issues the dialogue's page offers at once (more are added afterwards).
ISSUES = 5
ISSUE_FIELDS = ("content", "answer", "commitment", "owner_unit", "deadline")


def _text(label: Any, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _unit_field(label: Any, **kwargs: Any) -> AutocompleteModelChoiceField:
    return AutocompleteModelChoiceField("don-vi", lookup_params=UNITS, label=label, **kwargs)


def _participants() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Số người tham dự"), min_value=1, max_value=services.MAX_PARTICIPANTS,
        error_messages={
            "max_value": _("Số người tham dự không quá %(limit_value)s."),
            "min_value": _("Số người tham dự phải ít nhất là %(limit_value)s."),
        },
    )  # fmt: skip


def check_issue(form: forms.Form, names: dict[str, str], held_on: Any) -> bool:
    """Check one issue's fields (answered, or a full commitment); ``True`` when it is filled."""
    data = form.cleaned_data
    values = {key: data.get(name) for key, name in names.items()}
    if not any(values.values()) and not any(name in form.errors for name in names.values()):
        return False
    if not (values["content"] or "").strip():
        form.add_error(names["content"], _("Hãy ghi ý kiến, kiến nghị của người dân."))
    committed = bool((values["commitment"] or "").strip() or values["owner_unit"]
                     or values["deadline"] or names["deadline"] in form.errors)  # fmt: skip
    if not committed:
        if not (values["answer"] or "").strip():
            form.add_error(
                names["answer"], _("Hãy ghi câu trả lời tại hội nghị, hoặc một cam kết.")
            )
        return True
    if not (values["commitment"] or "").strip():
        form.add_error(names["commitment"], _("Hãy ghi nội dung cam kết."))
    if values["owner_unit"] is None and names["owner_unit"] not in form.errors:
        form.add_error(names["owner_unit"], _("Cam kết phải có đơn vị thực hiện."))
    if values["deadline"] is None:
        if names["deadline"] not in form.errors:
            form.add_error(names["deadline"], _("Cam kết phải có thời hạn."))
    elif held_on and values["deadline"] < held_on:
        form.add_error(names["deadline"], _("Thời hạn không được trước ngày đối thoại."))
    return True


def issue_data(data: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """One issue as the service's arguments: an answer, or a commitment."""
    issue = {key: data.get(name) for key, name in names.items()}
    issue["content"] = issue["content"] or ""
    if (issue["commitment"] or "").strip():
        issue["answer"] = issue["answer"] or ""
    else:
        issue.update(commitment="", owner_unit=None, deadline=None)
        issue["answer"] = issue["answer"] or ""
    return issue


class DialogueForm(forms.Form):
    """Record a dialogue and the issues raised there (service ``dialogue_create``)."""

    level = forms.ChoiceField(label=_("Cấp"), choices=DialogueLevel.choices)
    unit = _unit_field(_("Đơn vị tổ chức"))
    held_on = DateField(label=_("Ngày đối thoại"))
    chair = forms.CharField(label=_("Người chủ trì"), max_length=200)
    topic = forms.CharField(label=_("Chủ đề"), max_length=300)
    participants = _participants()
    file = forms.FileField(
        label=_("Biên bản"), required=False,
        help_text=_("Biên bản hội nghị đối thoại; PDF, Word hoặc ảnh chụp."),
    )  # fmt: skip

    MAIN = ("level", "unit", "held_on", "chair", "topic", "participants", "file")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(1, ISSUES + 1):
            n = {"n": index}
            prefix = f"issue{index}_"
            self.fields[prefix + "content"] = _text(
                _("Ý kiến %(n)s: nội dung") % n, rows=2, required=False
            )
            self.fields[prefix + "answer"] = _text(
                _("Ý kiến %(n)s: trả lời tại hội nghị") % n, rows=2, required=False
            )
            self.fields[prefix + "commitment"] = _text(
                _("Ý kiến %(n)s: nội dung cam kết") % n, rows=2, required=False
            )
            self.fields[prefix + "owner_unit"] = _unit_field(
                _("Ý kiến %(n)s: đơn vị thực hiện cam kết") % n, required=False
            )
            self.fields[prefix + "deadline"] = DateField(
                label=_("Ý kiến %(n)s: thời hạn cam kết") % n, required=False
            )
        bind_pickers(self, user)

    def names(self, index: int) -> dict[str, str]:
        return {key: f"issue{index}_{key}" for key in ISSUE_FIELDS}

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MAIN]

    def groups(self) -> list[list[forms.BoundField]]:
        """The issue fieldsets, for the template."""
        return [[self[name] for name in self.names(i).values()] for i in range(1, ISSUES + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.filled = [
            i for i in range(1, ISSUES + 1) if check_issue(self, self.names(i), data.get("held_on"))
        ]
        return data

    def issues(self) -> list[dict[str, Any]]:
        """The filled issues, as the service's ``issues`` argument."""
        return [issue_data(self.cleaned_data, self.names(i)) for i in self.filled]

    def dialogue_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in self.MAIN if name != "file"}


class DialogueUpdateForm(forms.Form):
    """Correct a dialogue (service ``dialogue_update``)."""

    held_on = DateField(label=_("Ngày đối thoại"))
    chair = forms.CharField(label=_("Người chủ trì"), max_length=200)
    topic = forms.CharField(label=_("Chủ đề"), max_length=300)
    participants = _participants()
    reason = ChangeReasonField()


class IssueForm(forms.Form):
    """One more issue of a dialogue (service ``dialogue_issue_add``)."""

    content = _text(_("Ý kiến, kiến nghị"), rows=3, required=False)
    answer = _text(_("Trả lời tại hội nghị"), rows=3, required=False)
    commitment = _text(_("Nội dung cam kết"), rows=3, required=False)
    owner_unit = _unit_field(_("Đơn vị thực hiện cam kết"), required=False)
    deadline = DateField(label=_("Thời hạn cam kết"), required=False)

    def __init__(self, *args: Any, user: Any, dialogue: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dialogue = dialogue
        bind_pickers(self, user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        names = {key: key for key in ISSUE_FIELDS}
        held_on = self.dialogue.held_on if self.dialogue is not None else None
        if not check_issue(self, names, held_on):
            self.add_error("content", _("Hãy ghi ý kiến, kiến nghị của người dân."))
        return data

    def issue(self) -> dict[str, Any]:
        return issue_data(self.cleaned_data, {key: key for key in ISSUE_FIELDS})


class CommitmentReportForm(forms.Form):
    """A commitment's progress; at 100 % it is kept (service ``commitment_report``)."""

    progress = forms.IntegerField(
        label=_("Tiến độ (%)"), min_value=0, max_value=100,
        error_messages={
            "min_value": _("Tiến độ phải từ 0 đến 100%%."),
            "max_value": _("Tiến độ phải từ 0 đến 100%%."),
        },
    )  # fmt: skip
    evidence = _text(_("Kết quả thực hiện"), rows=4, required=False,
                     help_text=_("Bắt buộc khi tiến độ đạt 100%."))  # fmt: skip
    completed_on = DateField(
        label=_("Ngày hoàn thành"), required=False,
        help_text=_("Khi tiến độ đạt 100%; để trống là hôm nay."),
    )  # fmt: skip
    file = forms.FileField(
        label=_("Tài liệu minh chứng"), required=False,
        help_text=_("Không bắt buộc; được lưu vào hồ sơ cuộc đối thoại."),
    )  # fmt: skip
