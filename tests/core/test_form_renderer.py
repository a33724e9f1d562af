"""The portal's form renderer draws every widget as Django's own renderer does.

``longbien.core.forms.FormRenderer`` writes the ``select`` and ``input`` templates without an
include per option and per attribute list (a register's filter bar spent a tenth of its page
in those includes); the markup must stay byte for byte Django's.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer

from longbien.core.forms import FormRenderer
from longbien.core.widgets import DateInput

CHOICES = [("", "Tất cả"), ("a", "Một & hai"), ("b", "<b>Ba</b>"), (3, "Bốn")]
GROUPED = [("", "—"), ("Nhóm 1", [("x", "X"), ("y", "Y")]), ("Nhóm “2”", [("z", "Z")])]

WIDGETS = [
    (forms.TextInput(), "chữ “có” <dấu>"),
    (forms.TextInput(attrs={"required": True, "disabled": False, "maxlength": 20}), ""),
    (forms.TextInput(), None),
    (forms.NumberInput(attrs={"min": 0, "step": "any"}), 12),
    (forms.EmailInput(), "a@b.vn"),
    (forms.URLInput(), "https://x.vn/?a=1&b=2"),
    (forms.PasswordInput(render_value=True), "bí mật"),
    (forms.HiddenInput(), "7"),
    (forms.SearchInput(), "tìm"),
    (forms.DateInput(), dt.date(2026, 12, 1)),
    (DateInput(), dt.date(2026, 12, 1)),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.Textarea(attrs={"rows": 3}), "dòng 1\ndòng 2"),
    (forms.Select(choices=CHOICES), "a"),
    (forms.Select(choices=CHOICES), 3),
    (forms.Select(choices=CHOICES, attrs={"class": "x", "data-auto": True}), None),
    (forms.Select(choices=GROUPED), "y"),
    (forms.SelectMultiple(choices=CHOICES), ["a", "b"]),
    (forms.SelectMultiple(choices=GROUPED), ["x", "z"]),
    (forms.NullBooleanSelect(), None),
    (forms.NullBooleanSelect(), True),
    (forms.RadioSelect(choices=CHOICES), "b"),
    (forms.CheckboxSelectMultiple(choices=GROUPED), ["y"]),
    (forms.SelectDateWidget(years=[2025, 2026]), dt.date(2026, 3, 4)),
    (forms.SplitDateTimeWidget(), dt.datetime(2026, 3, 4, 5, 6, tzinfo=dt.UTC)),
    (forms.ClearableFileInput(), None),
]


def test_the_portal_uses_its_renderer():
    assert settings.FORM_RENDERER == "longbien.core.forms.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)


@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda w: type(w).__name__)
def test_every_widget_draws_as_with_djangos_renderer(widget, value):
    attrs = {"id": "id_f"}
    ours = widget.render("f", value, attrs=attrs, renderer=FormRenderer())
    theirs = widget.render("f", value, attrs=attrs, renderer=DjangoTemplates())
    assert ours == theirs
    assert ours  # the widget drew something


class _Filters(forms.Form):
    status = forms.ChoiceField(choices=CHOICES, required=False)
    kind = forms.MultipleChoiceField(choices=GROUPED, required=False)
    q = forms.CharField(required=False)
    on = forms.DateField(required=False, widget=DateInput())


def test_a_whole_form_draws_as_with_djangos_renderer():
    data = {"status": "b", "kind": ["x", "z"], "q": "đường", "on": "31/12/2026"}
    ours = _Filters(data, renderer=FormRenderer()).as_div()
    theirs = _Filters(data, renderer=DjangoTemplates()).as_div()
    assert ours == theirs
    assert '<option value="b" selected>&lt;b&gt;Ba&lt;/b&gt;</option>' in ours
