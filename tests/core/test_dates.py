"""Dates are typed and shown as dd/mm/yyyy, whatever the browser's or the interface's language.

The kernel field (longbien.core.forms.DateField) reads 11/01/2026 as 11 January 2026 and
refuses garbage with a Vietnamese message; every form of the portal uses it (model forms
through longbien.core.forms.ModelForm), and dates are shown as dd/mm/yyyy in templates.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template
from django.urls import get_resolver
from django.utils import translation

from longbien.core.forms import DateField, ModelForm
from longbien.core.widgets import DateInput
from resolutions.models import Task
from tests.resolutions.factories import make_document

JAN_11 = dt.date(2026, 1, 11)


@pytest.mark.parametrize(
    "text",
    [
        "11/01/2026",
        "11/1/2026",
        " 11/01/2026 ",
        "11-01-2026",
        "11.01.2026",
        "2026-01-11",
        "11012026",
    ],
)
def test_date_field_reads_day_first_and_iso(text):
    assert DateField().clean(text) == JAN_11


@pytest.mark.parametrize("language", ["vi", "en"])
def test_date_field_ignores_the_interface_language(language):
    with translation.override(language):
        assert DateField().clean("11/01/2026") == JAN_11
        assert DateField().clean("1/2/2026") == dt.date(2026, 2, 1)


@pytest.mark.parametrize("text", ["abc", "31/02/2026", "01/11/26", "1112026", "2026/13/01"])
def test_date_field_refuses_garbage_in_vietnamese(text):
    with translation.override("vi"), pytest.raises(forms.ValidationError) as error:
        DateField().clean(text)
    assert error.value.messages == ["Nhập ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2026."]


def test_date_field_refuses_a_mistyped_year():
    with translation.override("vi"), pytest.raises(forms.ValidationError) as error:
        DateField().clean("11/01/0226")
    assert error.value.messages == ["Năm phải từ 1900 đến 2100."]


def test_date_input_is_a_dd_mm_yyyy_text_box_for_the_picker():
    html = DateInput().render("deadline", JAN_11)
    assert 'type="text"' in html
    assert 'value="11/01/2026"' in html
    assert 'placeholder="dd/mm/yyyy"' in html
    assert "data-datepicker" in html
    assert 'type="date"' not in html


@pytest.mark.parametrize("language", ["vi", "en"])
def test_templates_show_dates_day_first(language):
    template = Template('{{ d }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d|date:"DATE_FORMAT" }}')
    with translation.override(language):
        assert template.render(Context({"d": JAN_11})) == "11/01/2026|11/01/2026|11/01/2026"
        # A plain Django DateField (a filter, the admin) reads the same formats.
        assert forms.DateField().clean("11/01/2026") == JAN_11


def _project_forms() -> list[type[forms.BaseForm]]:
    assert get_resolver().url_patterns  # imports every view module, and so every form
    found, stack = [], [forms.BaseForm]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in {"longbien", "resolutions", "cadres"}:
            found.append(cls)
    return found


def test_every_form_date_is_the_kernel_date_field():
    """A form (today's or a future app's) cannot bring back the browser's date input."""
    checked = []
    for form_class in _project_forms():
        for name, field in getattr(form_class, "base_fields", {}).items():
            if isinstance(field, forms.DateField):
                where = f"{form_class.__module__}.{form_class.__name__}.{name}"
                assert isinstance(field, DateField), f"{where}: use longbien.core.forms.DateField"
                assert isinstance(field.widget, DateInput), f"{where}: use the kernel DateInput"
                checked.append(where)
    assert "longbien.org.forms.PersonForm.birth_date" in checked  # a model form's date
    assert "resolutions.forms.DocumentForm.signed_date" in checked


def test_model_forms_get_the_kernel_date_field():
    class TaskForm(ModelForm):
        class Meta:
            model = Task
            fields = ["deadline", "completed_on"]

    form = TaskForm(data={"deadline": "11/01/2026", "completed_on": ""})
    assert isinstance(form.fields["deadline"], DateField)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["deadline"] == JAN_11


@pytest.fixture
def document(users, tree):
    return make_document(users["staff"], tree.root, signed=dt.date(2026, 1, 10))


def test_a_typed_dd_mm_yyyy_deadline_is_stored(client_for, users, tree, document):
    client = client_for(users["staff"])
    response = client.post(
        f"/nghi-quyet/van-ban/{document.pk}/giao-viec/",
        {"title": "Việc", "units": [tree.ward_a.pk], "deadline": "11/01/2026"},
    )
    assert response.status_code == 302, response.content.decode()
    assert Task.objects.get().deadline == JAN_11


def test_an_error_quoting_dates_shows_them_day_first(client_for, users, tree, document):
    client = client_for(users["staff"])
    with translation.override("vi"):
        response = client.post(
            f"/nghi-quyet/van-ban/{document.pk}/giao-viec/",
            {"title": "Việc", "units": [tree.ward_a.pk], "deadline": "09/01/2026"},
        )
    page = response.content.decode()
    assert "Thời hạn (09/01/2026) không được trước ngày ký văn bản (10/01/2026)." in page
    assert 'value="09/01/2026"' in page  # the typed value is shown back as typed
    assert not Task.objects.exists()


def test_forms_show_a_stored_date_day_first(client_for, users, document):
    page = client_for(users["staff"]).get(f"/nghi-quyet/van-ban/{document.pk}/sua/")
    html = page.content.decode()
    assert 'name="signed_date" value="10/01/2026"' in html
    assert 'type="date"' not in html
