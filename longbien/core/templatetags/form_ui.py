"""What the form templates need beyond Django's: the "nothing saved" summary of a refused form."""

from __future__ import annotations

from typing import Any

from django import forms, template

register = template.Library()


@register.simple_tag
def form_error_summary(form: forms.BaseForm) -> dict[str, Any]:
    """How many errors a refused form has, its first field in error, and whether files are lost.

    ``includes/form_errors.html`` says at the top of every form that nothing was saved, how
    many errors there are and links to the first field to fix (the values shown are those just
    sent, not stored ones; a chosen file must be chosen again).
    """
    errors = form.errors
    count = sum(len(messages) for messages in errors.values())
    first = next(
        (field for field in form if field.errors and not field.is_hidden),
        None,
    )
    has_files = any(isinstance(field.field, forms.FileField) for field in form)
    return {"count": count, "first": first, "has_files": has_files}
