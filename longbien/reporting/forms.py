"""Forms of the quarterly report's pages: the narrative with the corrected figures, the return
with its comments per section, and the version a one-click step names.

The forms only read and shape the input: the services (``services.report_save``,
``report_submit``, ``report_return``, ``report_accept``) decide, and their refusals land on
these forms. Every write carries the ``version`` of the report the page showed (the
optimistic lock: a stale one saves nothing).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from longbien.fields import ParagraphFormField

from .choices import NARRATIVE, Section
from .figures import Figure

# A hidden field: its label names it when an error must be said about it.
VERSION_LABEL = _("Phiên bản")
# The prefixes of a figure's two inputs on the edit page (the indicator's code follows).
VALUE_PREFIX, WHY_PREFIX = "so_lieu__", "giai_trinh__"


def _text(label: Any, rows: int = 6, **kwargs: Any) -> ParagraphFormField:
    kwargs.setdefault("required", False)
    return ParagraphFormField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _version() -> forms.IntegerField:
    return forms.IntegerField(label=VERSION_LABEL, min_value=1, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    """The narrative sections and, for each count the viewer may see, a corrected value with
    its explanation (both empty: no correction)."""

    version = _version()
    results = _text(Section.RESULTS.label)
    limitations = _text(Section.LIMITATIONS.label)
    next_tasks = _text(Section.NEXT_TASKS.label)
    proposals = _text(Section.PROPOSALS.label)

    def __init__(self, *args: Any, figures: list[Figure] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.figures = list(figures or [])
        for figure in self.figures:
            label = str(figure.indicator.label)
            self.fields[VALUE_PREFIX + figure.code] = forms.CharField(
                label=_("%(label)s: số liệu đính chính") % {"label": label},
                required=False, max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
            )  # fmt: skip
            self.fields[WHY_PREFIX + figure.code] = _text(
                _("%(label)s: giải trình") % {"label": label}, rows=2, max_length=2000
            )

    def narrative(self) -> list[forms.BoundField]:
        return [self[str(name)] for name in NARRATIVE]

    def figure_rows(self) -> list[dict[str, Any]]:
        """Each figure with its two inputs (the edit page's table)."""
        return [
            {"figure": figure, "value": self[VALUE_PREFIX + figure.code],
             "why": self[WHY_PREFIX + figure.code]}
            for figure in self.figures
        ]  # fmt: skip

    def texts(self) -> dict[str, str]:
        return {str(name): self.cleaned_data.get(str(name)) or "" for name in NARRATIVE}

    def corrections(self) -> dict[str, tuple[Any, str]]:
        """``{code: (value, explanation)}`` for the service: each row whose typed value differs
        from the computed one, or that was corrected before (an emptied value gives the
        computed one back: the correction is removed)."""
        data = self.cleaned_data
        result: dict[str, tuple[Any, str]] = {}
        for figure in self.figures:
            typed = (data.get(VALUE_PREFIX + figure.code) or "").strip()
            why = (data.get(WHY_PREFIX + figure.code) or "").strip()
            computed = figure.computed if figure.corrected else figure.value.count
            if figure.corrected:
                result[figure.code] = (typed or computed, why)
            elif typed and _number(typed) != computed:
                result[figure.code] = (typed, why)
        return result


def _number(text: str) -> int | None:
    """A count as typed ("1.200" is 1200); None when it is not one (the service says why)."""
    try:
        return int(text.replace(".", "").replace(" ", ""))
    except ValueError:
        return None


def figure_initial(figures: list[Figure]) -> dict[str, Any]:
    """The edit form's figure inputs filled with the corrections already made."""
    initial: dict[str, Any] = {}
    for figure in figures:
        if figure.corrected:
            initial[VALUE_PREFIX + figure.code] = figure.value.count
            initial[WHY_PREFIX + figure.code] = figure.explanation
    return initial


class ReturnForm(forms.Form):
    """Return a report: a comment on each section that needs more work (one at least)."""

    version = _version()
    results = _text(Section.RESULTS.label, rows=3)
    limitations = _text(Section.LIMITATIONS.label, rows=3)
    next_tasks = _text(Section.NEXT_TASKS.label, rows=3)
    proposals = _text(Section.PROPOSALS.label, rows=3)
    figures = _text(Section.FIGURES.label, rows=3)

    def comments(self) -> dict[str, str]:
        return {
            str(name): self.cleaned_data.get(str(name)) or ""
            for name in Section.values
            if (self.cleaned_data.get(str(name)) or "").strip()
        }


class VersionForm(forms.Form):
    """What a one-click step (submit, accept) posts: the version of the report shown."""

    version = _version()
