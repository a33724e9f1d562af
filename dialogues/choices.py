"""The dialogues app's choices: dialogues with citizens and public-opinion cases."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DialogueLevel(models.TextChoices):
    DISTRICT = "district", _("Cấp quận")
    WARD = "ward", _("Cấp phường")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    DONE = "done", _("Đã thực hiện")


class CaseSource(models.TextChoices):
    PRESS = "press", _("Báo chí")
    HOTLINE = "hotline", _("Đường dây nóng")
    PETITION = "petition", _("Đơn thư")
    SOCIAL_MEDIA = "social_media", _("Mạng xã hội")
    DIALOGUE = "dialogue", _("Đối thoại với Nhân dân")
    RECEPTION = "reception", _("Tiếp công dân")
    OTHER = "other", _("Nguồn khác")


class CaseCategory(models.TextChoices):
    LAND = "land", _("Đất đai, xây dựng")
    ENVIRONMENT = "environment", _("Môi trường, vệ sinh")
    URBAN = "urban", _("Trật tự đô thị, giao thông")
    SOCIAL = "social", _("Chính sách xã hội")
    PUBLIC_SERVICE = "public_service", _("Thủ tục hành chính, dịch vụ công")
    CADRE_CONDUCT = "cadre_conduct", _("Tác phong cán bộ, đảng viên")
    OTHER = "other", _("Lĩnh vực khác")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Thông thường")
    URGENT = "urgent", _("Khẩn")
    VERY_URGENT = "very_urgent", _("Hỏa tốc")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Tiếp nhận")
    ASSIGNED = "assigned", _("Đã giao xử lý")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã kết thúc")
    REJECTED = "rejected", _("Không thuộc thẩm quyền")
    TRANSFERRED = "transferred", _("Đã chuyển cơ quan khác")


# The case is out of the handler's hands (its deadline no longer runs).
CASE_FINISHED = (
    CaseStatus.ANSWERED,
    CaseStatus.CLOSED,
    CaseStatus.REJECTED,
    CaseStatus.TRANSFERRED,
)


class Outcome(models.TextChoices):
    """What came of a case, separate from its state: only resolved and explained count as
    settled in the resolution rate; rejected and transferred are counted apart."""

    RESOLVED = "resolved", _("Đã giải quyết")
    EXPLAINED = "explained", _("Đã giải thích, trả lời")
    REJECTED = "rejected", _("Không thuộc thẩm quyền")
    TRANSFERRED = "transferred", _("Chuyển cơ quan khác")


SETTLED_OUTCOMES = (Outcome.RESOLVED, Outcome.EXPLAINED)
APART_OUTCOMES = (Outcome.REJECTED, Outcome.TRANSFERRED)


class AssignmentKind(models.TextChoices):
    ASSIGN = "assign", _("Giao xử lý")
    REASSIGN = "reassign", _("Giao lại")
    TRANSFER = "transfer", _("Chuyển cơ quan khác")
    REOPEN = "reopen", _("Mở lại")


class Organiser(models.TextChoices):
    """The Fatherland Front and the socio-political organisations (Mặt trận và các đoàn thể)."""

    FRONT = "front", _("Ủy ban Mặt trận Tổ quốc")
    LABOUR = "labour", _("Liên đoàn Lao động")
    YOUTH = "youth", _("Đoàn Thanh niên")
    WOMEN = "women", _("Hội Liên hiệp Phụ nữ")
    FARMERS = "farmers", _("Hội Nông dân")
    VETERANS = "veterans", _("Hội Cựu chiến binh")
    OTHER = "other", _("Tổ chức khác")


class CritiqueKind(models.TextChoices):
    CRITIQUE = "critique", _("Hội nghị phản biện xã hội")
    SUPERVISION = "supervision", _("Giám sát chuyên đề")


class ModelField(models.TextChoices):
    """The field of a "skilful mass mobilisation" model (mô hình dân vận khéo)."""

    ECONOMY = "economy", _("Phát triển kinh tế")
    URBAN = "urban", _("Trật tự đô thị, môi trường")
    CULTURE = "culture", _("Văn hóa, xã hội")
    SECURITY = "security", _("Quốc phòng, an ninh")
    ADMINISTRATION = "administration", _("Cải cách hành chính")
    PARTY = "party", _("Xây dựng Đảng, hệ thống chính trị")


class Recognition(models.TextChoices):
    WARD = "ward", _("Cấp phường")
    DISTRICT = "district", _("Cấp quận")
    CITY = "city", _("Cấp thành phố")
