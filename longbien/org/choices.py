from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    DISTRICT_COMMITTEE = "district_committee", _("Quận ủy")
    COMMITTEE_AGENCY = "committee_agency", _("Ban, cơ quan của Quận ủy")
    WARD_COMMITTEE = "ward_committee", _("Đảng ủy phường")
    GRASSROOTS = "grassroots", _("Tổ chức cơ sở đảng khác")
    ENTERPRISE_BLOC = "enterprise_bloc", _("Đảng ủy Khối doanh nghiệp")
    PARTY_CELL = "party_cell", _("Chi bộ")
    PEOPLES_COUNCIL = "peoples_council", _("Hội đồng nhân dân")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    FATHERLAND_FRONT = "fatherland_front", _("Mặt trận Tổ quốc")
    MASS_ORGANISATION = "mass_organisation", _("Đoàn thể chính trị - xã hội")

    @classmethod
    def party_kinds(cls) -> set[str]:
        return {
            cls.DISTRICT_COMMITTEE,
            cls.WARD_COMMITTEE,
            cls.GRASSROOTS,
            cls.ENTERPRISE_BLOC,
            cls.PARTY_CELL,
        }


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class ManagementLevel(models.TextChoices):
    STANDING_COMMITTEE = "standing_committee", _("Diện Ban Thường vụ Quận ủy quản lý")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Diện cấp ủy cơ sở quản lý")
    NONE = "none", _("Không thuộc diện quản lý")


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    STAFF = "staff", _("Cán bộ Văn phòng, các ban Quận ủy")
    LEADERSHIP = "leadership", _("Ban Thường vụ Quận ủy")
    INSPECTION = "inspection", _("Ủy ban Kiểm tra")
    MASS_MOBILISATION = "mass_mobilisation", _("Ban Dân vận, Mặt trận")
    WARD_SECRETARY = "ward_secretary", _("Bí thư Đảng ủy phường")
    WARD_STAFF = "ward_staff", _("Cán bộ phường")
