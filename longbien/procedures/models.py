"""The registry of work procedures (quy trình, ISO 9001:2015) and coordination regulations.

It lives in the shared kernel because every domain app keeps its procedures here, and the
domain apps never import each other.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from longbien.core.links import reverse
from longbien.fields import CodeField, LineField, ParagraphField
from longbien.org import scope
from longbien.org.models import OrgUnit
from longbien.org.scope import ModelT, ScopedQuerySet
from longbien.text import fold


class ProcedureKind(models.TextChoices):
    PROCEDURE = "procedure", _("Quy trình công tác")
    COORDINATION = "coordination", _("Quy chế phối hợp")


class ProcedureArea(models.TextChoices):
    PARTY_BUILDING = "party_building", _("Xây dựng Đảng")
    ORGANISATION = "organisation", _("Tổ chức, cán bộ")
    PROPAGANDA = "propaganda", _("Tuyên giáo")
    INSPECTION = "inspection", _("Kiểm tra, giám sát")
    MASS_MOBILISATION = "mass_mobilisation", _("Dân vận")
    OFFICE = "office", _("Văn phòng")


class ProcedureLevel(models.TextChoices):
    DISTRICT = "district", _("Cấp quận")
    GRASSROOTS = "grassroots", _("Cấp cơ sở")


class ProcedureQuerySet(ScopedQuerySet[ModelT]):
    def scope_filter(self, user, action: str = scope.VIEW) -> Q:
        """Procedures of the user's subtree; for reading, also those issued above it.

        Procedures are shared knowledge: like documents, those of the units above a ward apply
        to it, so a ward reads the district's procedures as well as its own.
        """
        return scope.issued_above_q(user, scope.Area.ORG, action, "owner_unit", model=self.model)


class Procedure(models.Model):
    """A work procedure or coordination regulation, versioned, with its effective date."""

    code = CodeField(_("mã"), max_length=40)
    name = LineField(_("tên"), max_length=300)
    kind = models.CharField(
        _("loại"), max_length=16, choices=ProcedureKind.choices, default=ProcedureKind.PROCEDURE
    )
    area = models.CharField(_("lĩnh vực"), max_length=24, choices=ProcedureArea.choices)
    level = models.CharField(_("cấp áp dụng"), max_length=16, choices=ProcedureLevel.choices)
    version = CodeField(_("phiên bản"), max_length=20, default="1.0")
    effective_date = models.DateField(_("ngày hiệu lực"))
    retired_on = models.DateField(_("ngày hết hiệu lực"), null=True, blank=True)
    iso_9001 = models.BooleanField(_("theo ISO 9001:2015"), default=True)
    owner_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị ban hành"),
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    description = ParagraphField(_("mô tả"), blank=True)
    name_folded = models.CharField(
        _("tên không dấu (tìm kiếm)"), max_length=300, editable=False, db_index=True
    )

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy trình công tác")
        verbose_name_plural = _("quy trình công tác")
        ordering = ["level", "area", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_unit", "code", "version"],
                name="procedures_code_version_unique",
                violation_error_message=_("Đơn vị đã có quy trình với mã và phiên bản này."),
            ),
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True)
                | Q(retired_on__gte=models.F("effective_date")),
                name="procedures_retired_after_effective",
                violation_error_message=_("Ngày hết hiệu lực không được trước ngày hiệu lực."),
            ),
        ]

    class Scope:
        area = "org"
        unit_field = "owner_unit"

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(f"{self.code} {self.name}")[:300]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("procedures:detail", args=[self.pk])
