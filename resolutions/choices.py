from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    RESOLUTION = "resolution", _("Nghị quyết")
    THEMATIC_RESOLUTION = "thematic_resolution", _("Nghị quyết chuyên đề")
    CONCLUSION_NOTICE = "conclusion_notice", _("Thông báo kết luận")
    CONCLUSION = "conclusion", _("Kết luận")
    DIRECTIVE = "directive", _("Chỉ thị")
    PROGRAMME = "programme", _("Chương trình")
    PLAN = "plan", _("Kế hoạch")
    REGULATION = "regulation", _("Quy định")
    GUIDANCE = "guidance", _("Hướng dẫn")
    REPORT = "report", _("Báo cáo")


# The kind part of a symbol (01-CTr/QU) and the document kinds it may denote.
SYMBOL_KINDS: dict[str, set[str]] = {
    "NQ": {DocumentKind.RESOLUTION, DocumentKind.THEMATIC_RESOLUTION},
    "TB": {DocumentKind.CONCLUSION_NOTICE},
    "KL": {DocumentKind.CONCLUSION},
    "CT": {DocumentKind.DIRECTIVE},
    "CTR": {DocumentKind.PROGRAMME},
    "KH": {DocumentKind.PLAN},
    "QĐ": {DocumentKind.REGULATION},
    "QĐI": {DocumentKind.REGULATION},
    "HD": {DocumentKind.GUIDANCE},
    "BC": {DocumentKind.REPORT},
}

# Issuer codes of bodies above the district (their documents are kept as external).
UPPER_ISSUERS = {
    "TW": _("Ban Chấp hành Trung ương"),
    "BCT": _("Bộ Chính trị"),
    "TU": _("Thành ủy Hà Nội"),
    "BTGTW": _("Ban Tuyên giáo Trung ương"),
    "UBKTTW": _("Ủy ban Kiểm tra Trung ương"),
}


class IssuerLevel(models.TextChoices):
    UPPER = "upper", _("Cấp trên")
    DISTRICT = "district", _("Cấp quận")
    GRASSROOTS = "grassroots", _("Cấp cơ sở")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")
    SUPERSEDED = "superseded", _("Đã được thay thế")
    EXPIRED = "expired", _("Hết hiệu lực")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")


class ReviewKind(models.TextChoices):
    INTERIM = "interim", _("Sơ kết")
    FINAL = "final", _("Tổng kết")


class BriefingKind(models.TextChoices):
    QUARTERLY_WARDS = "quarterly_wards", _("Giao ban quý với Bí thư, Chủ tịch UBND phường")
    SEMIANNUAL_OTHERS = "semiannual_others", _("Giao ban 6 tháng với bí thư cấp ủy cơ sở khác")
    THEMATIC = "thematic", _("Giao ban chuyên đề")
