"""The organisation tree, terms, people and their positions, users and their roles."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.models import AbstractUser, Group, Permission
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien import tallies
from longbien.core.links import reverse
from longbien.fields import CodeField, LineField
from longbien.text import fold, person_sort_key, sort_key

from .choices import ManagementLevel, Role, Sex, UnitKind
from .scope import ScopedQuerySet

UNIT_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,39}$")


def validate_unit_code(value: str) -> None:
    if not UNIT_CODE_RE.match(value or ""):
        raise ValidationError(
            _(
                "Mã đơn vị chỉ gồm chữ in hoa không dấu, chữ số và dấu gạch ngang (tối đa 40 ký tự)."
            ),
            code="invalid_code",
        )


class OrgUnit(models.Model):
    """A unit of the organisation tree; never deleted, closed or merged with dates instead."""

    code = CodeField(_("mã"), max_length=40, unique=True, validators=[validate_unit_code])
    name = LineField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialized path of codes, "QU-LB/P-BODE/", for subtree queries with one index.
    path = models.CharField(
        _("đường dẫn trong cây"), max_length=1000, db_index=True, editable=False, db_collation="C"
    )
    depth = models.PositiveSmallIntegerField(_("cấp trong cây"), default=0, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    name_folded = models.CharField(
        _("tên không dấu (tìm kiếm)"), max_length=200, editable=False, db_index=True
    )
    sort_key = models.CharField(
        _("khóa sắp xếp"), max_length=1000, editable=False, db_collation="C"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="org_unit_valid_dates_ordered",
                violation_error_message=_("Ngày hết hiệu lực không được trước ngày có hiệu lực."),
            ),
        ]

    class Scope:
        area = "org"
        unit_field = ""  # the unit itself

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.refresh_derived()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("org:unit_detail", args=[self.code])

    def refresh_derived(self) -> None:
        """Recompute the search, sort and tree columns (bulk inserts call this too)."""
        self.name_folded = fold(self.name)[:200]
        self.sort_key = sort_key(self.name)
        self.path = (self.parent.path if self.parent_id else "") + self.code + "/"
        self.depth = self.path.count("/") - 1

    def is_active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    @property
    def is_active(self) -> bool:
        return self.valid_to is None

    def subtree(self) -> models.QuerySet[OrgUnit]:
        return OrgUnit.objects.filter(path__startswith=self.path)

    def ancestors(self) -> list[str]:
        return self.path.rstrip("/").split("/")[:-1]


class UnitNameHistory(models.Model):
    """A former name of a unit and the dates it was used."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="former_names", verbose_name=_("đơn vị")
    )
    name = LineField(_("tên cũ"), max_length=200)
    valid_to = models.DateField(_("dùng đến"))

    class Meta:
        verbose_name = _("tên cũ của đơn vị")
        verbose_name_plural = _("tên cũ của đơn vị")
        ordering = ["unit", "-valid_to"]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """A term of office (nhiệm kỳ), e.g. 2015–2020."""

    code = CodeField(_("mã"), max_length=20, unique=True)
    name = LineField(_("tên"), max_length=200)
    start_date = models.DateField(_("bắt đầu"))
    end_date = models.DateField(_("kết thúc"))

    class Meta:
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = _("nhiệm kỳ")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="org_term_dates_ordered",
                violation_error_message=_("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:term_list")

    def contains(self, day: dt.date) -> bool:
        return self.start_date <= day <= self.end_date

    @property
    def years(self) -> list[int]:
        return list(range(self.start_date.year, self.end_date.year + 1))


class Position(models.Model):
    """A position a person can hold (Bí thư, Phó Bí thư, Chủ tịch UBND, …)."""

    name = LineField(_("tên chức vụ"), max_length=120, unique=True)
    is_head = models.BooleanField(
        _("người đứng đầu"),
        default=False,
        help_text=_("Kế hoạch tu dưỡng của người đứng đầu được niêm yết công khai."),
    )
    rank = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A cadre or Party member: personal data, sensitive (Nghị định 13/2023/NĐ-CP)."""

    code = CodeField(
        _("mã cán bộ"),
        max_length=20,
        unique=True,
        validators=[validate_unit_code],
        help_text=_("Mã định danh trong hồ sơ, ví dụ CB000123."),
    )
    full_name = LineField(_("họ và tên"), max_length=120)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=10, choices=Sex.choices)
    party_member_since = models.DateField(_("ngày vào Đảng"), null=True, blank=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="people"
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("chức vụ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    management_level = models.CharField(
        _("diện quản lý"),
        max_length=32,
        choices=ManagementLevel.choices,
        default=ManagementLevel.NONE,
    )
    is_active = models.BooleanField(_("đang công tác"), default=True)
    name_folded = models.CharField(
        _("tên không dấu (tìm kiếm)"), max_length=120, editable=False, db_index=True
    )
    sort_key = models.CharField(
        _("khóa sắp xếp"), max_length=1000, editable=False, db_collation="C"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cán bộ, đảng viên")
        verbose_name_plural = _("cán bộ, đảng viên")
        ordering = ["sort_key", "id"]
        # The register's order, with what its default filter reads: a deep page of the city's
        # people is read from the index alone (no sort of each name's people by id, no row).
        indexes = [
            models.Index(
                fields=["sort_key", "id"], name="org_person_register", include=["is_active"]
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_member_since__isnull=True)
                | Q(birth_date__isnull=True)
                | Q(party_member_since__gt=models.F("birth_date")),
                name="org_person_joined_after_birth",
                violation_error_message=_("Ngày vào Đảng phải sau ngày sinh."),
            ),
        ]

    class Scope:
        area = "people"
        unit_field = "unit"

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.refresh_derived()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("org:person_detail", args=[self.pk])

    def refresh_derived(self) -> None:
        """Recompute the search and sort columns (bulk inserts call this too)."""
        self.name_folded = fold(self.full_name)[:120]
        self.sort_key = person_sort_key(self.full_name)

    @property
    def joined_after_birth(self) -> bool:
        """The rule of the org_person_joined_after_birth constraint, for batch checks."""
        if self.party_member_since is None or self.birth_date is None:
            return True
        return self.party_member_since > self.birth_date

    @property
    def is_party_member(self) -> bool:
        return self.party_member_since is not None


# The people counted per unit's whole subtree (active or not, party member or not), kept by
# the database's triggers (longbien.tallies): the organisation tree reads its subtree totals
# instead of grouping every person of the city on each request.
PERSON_TALLY = tallies.Tally(
    table="org_persontally",
    source="org_person",
    unit_column="unit_id",
    columns=("is_active", ("is_member", "party_member_since IS NOT NULL")),
)


class PersonTally(tallies.TallyModel):
    """How many people of ``unit``'s subtree are (in)active and party members or not."""

    tally = PERSON_TALLY
    is_active = models.BooleanField(_("đang hoạt động"))
    is_member = models.BooleanField(_("là đảng viên"))

    class Meta:
        verbose_name = _("số cán bộ theo đơn vị")
        verbose_name_plural = _("số cán bộ theo đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "is_active", "is_member"], name="org_persontally_key"
            )
        ]


class PositionHistory(models.Model):
    """A period during which a person held a position in a unit."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="position_history", verbose_name=_("cán bộ")
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("chức vụ"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    note = LineField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")
        ordering = ["person", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="org_position_history_dates_ordered",
                violation_error_message=_("Ngày kết thúc không được trước ngày bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.position} ({self.start_date})"


class User(AbstractUser):
    """A portal account; roles come from :class:`RoleAssignment`.

    The fields of Django's ``AbstractUser`` are declared again, unchanged but for their
    Vietnamese labels: the history and the admin show "quản trị toàn quyền", not "superuser".
    """

    password = models.CharField(_("mật khẩu"), max_length=128)
    last_login = models.DateTimeField(_("lần đăng nhập cuối"), blank=True, null=True)
    is_superuser = models.BooleanField(
        _("quản trị toàn quyền"),
        default=False,
        help_text=_("Có mọi quyền mà không cần được cấp từng quyền."),
    )
    groups = models.ManyToManyField(
        Group,
        verbose_name=_("nhóm quyền"),
        blank=True,
        help_text=_("Tài khoản có mọi quyền của các nhóm mà nó thuộc về."),
        related_name="user_set",
        related_query_name="user",
    )
    user_permissions = models.ManyToManyField(
        Permission,
        verbose_name=_("quyền riêng"),
        blank=True,
        help_text=_("Các quyền được cấp riêng cho tài khoản này."),
        related_name="user_set",
        related_query_name="user",
    )
    username = models.CharField(
        _("tên đăng nhập"),
        max_length=150,
        unique=True,
        help_text=_("Bắt buộc; tối đa 150 ký tự: chữ cái, chữ số và @/./+/-/_."),
        validators=[UnicodeUsernameValidator()],
        error_messages={"unique": _("Đã có tài khoản với tên đăng nhập này.")},
    )
    first_name = models.CharField(_("tên"), max_length=150, blank=True)
    last_name = models.CharField(_("họ và tên đệm"), max_length=150, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_staff = models.BooleanField(
        _("vào trang quản trị"),
        default=False,
        help_text=_("Tài khoản được đăng nhập trang quản trị (admin)."),
    )
    is_active = models.BooleanField(
        _("đang hoạt động"),
        default=True,
        help_text=_("Bỏ chọn thay cho việc xóa tài khoản: tài khoản không đăng nhập được nữa."),
    )
    date_joined = models.DateTimeField(_("ngày tạo tài khoản"), default=timezone.now)

    person = models.OneToOneField(
        Person,
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleAssignment(models.Model):
    """A role held by a user on a unit; it covers the unit's whole subtree."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("tài khoản")
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    # For the inspection role: the holder heads the Inspection Committee and so reads the log
    # of who read confidential records (set by an administrator, audited).
    heads_committee = models.BooleanField(_("lãnh đạo Ủy ban Kiểm tra"), default=False)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                name="org_role_unique_per_unit",
                violation_error_message=_("Tài khoản đã có vai trò này trên đơn vị này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"
