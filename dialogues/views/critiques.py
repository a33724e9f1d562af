"""Pages of the social critiques and thematic supervisions (Decision 217) with their
recommendations, and of the feedback on building the Party and the government (Decision 218).

The registers (filters, diacritic-free search, the feedback's received/answered figures),
a record's page (facts, the recommendations each with its response, files and history),
recording and correcting a record, adding a recommendation and recording a response. Every
write is one service of ``dialogues.services``; every read starts from the selectors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from longbien.core.generic import ScopedDetailView, ScopedListView, ServiceFormView
from longbien.org import scope

from .. import selectors, services
from ..filters.critiques import CritiqueFilterSet, FeedbackFilterSet
from ..forms.critiques import (
    RECOMMENDATION_FIELDS,
    CritiqueForm,
    CritiqueUpdateForm,
    FeedbackForm,
    FeedbackRespondForm,
    FeedbackUpdateForm,
    RecommendationForm,
    ResponseForm,
)
from ..models import Critique, Feedback, Recommendation
from ..tables.critiques import CritiqueTable, FeedbackTable

AREA = scope.Area.DIALOGUES
FORM_TEMPLATE = "dialogues/critique_form.html"
FEEDBACK_FORM = "dialogues/feedback_form.html"

# --- Critiques and supervisions ----------------------------------------------------------------


def _critique_rows(user: Any) -> QuerySet[Critique]:
    # The counts' GROUP BY drops the model's ordering: the register's order, restated.
    return selectors.critique_list(user).order_by("-held_on", "-id")


class CritiqueListView(ScopedListView):
    model = Critique
    selector = _critique_rows
    filterset_class = CritiqueFilterSet
    table_class = CritiqueTable
    template_name = "dialogues/critique_list.html"
    register = "critiques"


critique_list = CritiqueListView.as_view()


class _CritiqueObject:
    """Find the critique among those the user may see (404 outside)."""

    model = Critique
    rows = selectors.critique_list


class CritiqueDetailView(_CritiqueObject, ScopedDetailView):
    context_object_name = "critique"
    template_name = "dialogues/critique_detail.html"
    attachments = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        critique, user = self.object, self.request.user
        items = selectors.critique_recommendations(user, critique)
        return {
            **super().get_context_data(**kwargs),
            "recommendations": items,
            "responded": sum(1 for item in items if item.responded_on is not None),
            "can_change": scope.can_on(user, critique, scope.CHANGE),
        }


critique_detail = CritiqueDetailView.as_view()


class CritiqueCreateView(ServiceFormView):
    """A critique or supervision and up to five recommendations, in one service call
    (nothing saved on error)."""

    model = Critique
    area = AREA
    template_name = FORM_TEMPLATE
    form_class = CritiqueForm
    title = gettext_lazy("Ghi phản biện xã hội, giám sát chuyên đề")
    cancel_url = "dialogues:critique_list"
    denied_field = "unit"

    def get_initial(self) -> dict[str, Any]:
        return {"held_on": timezone.localdate()}

    def perform(self, form: Any) -> Critique:
        upload = form.cleaned_data.get("file")
        try:
            return services.critique_create(
                actor=self.request.user, file=upload or None,
                recommendations=form.recommendations(), **form.critique_data(),
            )  # fmt: skip
        except ValidationError as error:
            raise _placed(error, form) from error

    def get_success_message(self, result: Critique, form: Any) -> str:
        count = len(form.recommendations())
        return ngettext(
            "Đã ghi “%(subject)s” với %(count)s kiến nghị.",
            "Đã ghi “%(subject)s” với %(count)s kiến nghị.",
            count,
        ) % {"subject": result.subject, "count": count}


def _placed(error: ValidationError, form: CritiqueForm) -> ValidationError:
    """Put a recommendation's refusal (content, addressee) on the fieldsets of the filled
    recommendations; the record's own errors stay on their fields."""
    if not hasattr(error, "error_dict"):
        return error
    placed: dict[str, list[Any]] = {}
    for key, errors in error.error_dict.items():
        if key not in RECOMMENDATION_FIELDS or not form.filled:
            placed.setdefault(key, []).extend(errors)
            continue
        for index in form.filled:
            placed.setdefault(f"rec{index}_{key}", []).extend(errors)
    return ValidationError(placed)


critique_create = CritiqueCreateView.as_view()


class CritiqueUpdateView(_CritiqueObject, ServiceFormView):
    area = AREA
    edits_object = True
    template_name = FORM_TEMPLATE
    form_class = CritiqueUpdateForm
    form_takes_user = False
    denied_message = gettext_lazy("Bạn không có quyền sửa phản biện, giám sát này.")
    success_message = gettext_lazy("Đã sửa phản biện, giám sát.")

    def get_initial(self) -> dict[str, Any]:
        names = ("kind", "organiser", "held_on", "subject", "findings")
        return {name: getattr(self.object, name) for name in names}

    def get_title(self) -> str:
        return _("Sửa “%(subject)s”") % {"subject": self.object.subject}

    def get_extra_context(self) -> dict[str, Any]:
        return {"critique": self.object}

    def perform(self, form: Any) -> Critique:
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        return services.critique_update(
            actor=self.request.user, critique=self.object, reason=reason, **data
        )


critique_update = CritiqueUpdateView.as_view()


class RecommendationAddView(_CritiqueObject, ServiceFormView):
    area = AREA
    edits_object = True
    form_takes_user = False
    template_name = FORM_TEMPLATE
    form_class = RecommendationForm
    success_message = gettext_lazy("Đã ghi kiến nghị.")
    denied_message = gettext_lazy("Bạn không có quyền ghi phản biện, giám sát này.")

    def get_title(self) -> str:
        return _("Thêm kiến nghị: %(subject)s") % {"subject": self.object.subject}

    def get_extra_context(self) -> dict[str, Any]:
        return {"critique": self.object}

    def get_success_url(self, result: Any = None) -> str:
        return result.get_absolute_url() if result is not None else super().get_success_url()

    def perform(self, form: Any) -> Recommendation:
        return services.recommendation_add(
            actor=self.request.user, critique=self.object, **form.cleaned_data
        )


recommendation_add = RecommendationAddView.as_view()


class RecommendationRespondView(ServiceFormView):
    model = Recommendation
    area = AREA
    edits_object = True
    form_takes_user = False
    template_name = "dialogues/recommendation_respond.html"
    form_class = ResponseForm
    submit_label = gettext_lazy("Ghi phản hồi")
    success_message = gettext_lazy("Đã ghi phản hồi kiến nghị.")
    denied_message = gettext_lazy("Bạn không có quyền ghi phản hồi kiến nghị này.")

    def get_scoped_queryset(self) -> QuerySet:
        return selectors.recommendation_list(self.request.user)

    def get_initial(self) -> dict[str, Any]:
        item = self.object
        return {"response": item.response, "responded_on": item.responded_on}

    def get_title(self) -> str:
        return _("Phản hồi kiến nghị: %(content)s") % {"content": str(self.object.content)[:80]}

    def get_extra_context(self) -> dict[str, Any]:
        return {"recommendation": self.object, "critique": self.object.critique}

    def get_cancel_url(self) -> str:
        return self.object.get_absolute_url()

    def perform(self, form: Any) -> Recommendation:
        return services.recommendation_respond(
            actor=self.request.user, recommendation=self.object, **form.cleaned_data
        )


recommendation_respond = RecommendationRespondView.as_view()


# --- Feedback (Decision 218) -------------------------------------------------------------------


class FeedbackListView(ScopedListView):
    model = Feedback
    selector = selectors.feedback_list
    filterset_class = FeedbackFilterSet
    table_class = FeedbackTable
    template_name = "dialogues/feedback_list.html"
    register = "feedback"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # The filtered rows' figures (one query), as the page's filters narrow them.
        context["figures"] = selectors.feedback_figures(self.object_list.order_by())
        return context


feedback_list = FeedbackListView.as_view()


class _FeedbackObject:
    """Find the feedback item among those the user may see (404 outside)."""

    model = Feedback
    rows = selectors.feedback_list


class FeedbackDetailView(_FeedbackObject, ScopedDetailView):
    context_object_name = "feedback"
    template_name = "dialogues/feedback_detail.html"
    attachments = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "can_change": scope.can_on(self.request.user, self.object, scope.CHANGE),
        }


feedback_detail = FeedbackDetailView.as_view()


class FeedbackCreateView(ServiceFormView):
    model = Feedback
    area = AREA
    template_name = FEEDBACK_FORM
    form_class = FeedbackForm
    title = gettext_lazy("Ghi ý kiến góp ý xây dựng Đảng, chính quyền")
    cancel_url = "dialogues:feedback_list"
    denied_field = "unit"
    success_message = gettext_lazy("Đã ghi ý kiến góp ý.")

    def get_initial(self) -> dict[str, Any]:
        return {"received_on": timezone.localdate()}

    def perform(self, form: Any) -> Feedback:
        upload = form.cleaned_data.get("file")
        return services.feedback_create(
            actor=self.request.user, file=upload or None, **form.feedback_data()
        )


feedback_create = FeedbackCreateView.as_view()


class FeedbackUpdateView(_FeedbackObject, ServiceFormView):
    area = AREA
    edits_object = True
    form_takes_user = False
    template_name = FEEDBACK_FORM
    form_class = FeedbackUpdateForm
    denied_message = gettext_lazy("Bạn không có quyền sửa góp ý này.")
    success_message = gettext_lazy("Đã sửa ý kiến góp ý.")

    def get_initial(self) -> dict[str, Any]:
        names = ("sender", "received_on", "content", "addressee")
        return {name: getattr(self.object, name) for name in names}

    def get_title(self) -> str:
        return _("Sửa ý kiến góp ý ngày %(day)s") % {
            "day": self.object.received_on.strftime("%d/%m/%Y")
        }

    def get_extra_context(self) -> dict[str, Any]:
        return {"feedback": self.object}

    def perform(self, form: Any) -> Feedback:
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        try:
            return services.feedback_update(
                actor=self.request.user, feedback=self.object, reason=reason, **data
            )
        except ValidationError as error:
            # A receipt moved after the recorded answer: said on the date being changed.
            if hasattr(error, "error_dict") and "responded_on" in error.error_dict:
                moved = dict(error.error_dict)
                moved["received_on"] = [*moved.get("received_on", []), *moved.pop("responded_on")]
                raise ValidationError(moved) from error
            raise


feedback_update = FeedbackUpdateView.as_view()


class FeedbackRespondView(_FeedbackObject, ServiceFormView):
    area = AREA
    edits_object = True
    form_takes_user = False
    template_name = FEEDBACK_FORM
    form_class = FeedbackRespondForm
    submit_label = gettext_lazy("Ghi trả lời")
    denied_message = gettext_lazy("Bạn không có quyền ghi trả lời góp ý này.")
    success_message = gettext_lazy("Đã ghi trả lời góp ý.")

    def get_initial(self) -> dict[str, Any]:
        return {"response": self.object.response, "responded_on": self.object.responded_on}

    def get_title(self) -> str:
        return _("Trả lời góp ý: %(content)s") % {"content": str(self.object.content)[:80]}

    def get_extra_context(self) -> dict[str, Any]:
        return {"feedback": self.object}

    def perform(self, form: Any) -> Feedback:
        data = dict(form.cleaned_data)
        upload = data.pop("file", None)
        return services.feedback_respond(
            actor=self.request.user, feedback=self.object, file=upload or None, **data
        )


feedback_respond = FeedbackRespondView.as_view()
