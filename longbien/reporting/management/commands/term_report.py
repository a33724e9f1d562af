"""``python manage.py term_report --term 2015-2020 [--unit CODE] [--period year:2019|half:2019-1]
--output FILE.pdf``: the term-summary report's PDF, the same as the job writes."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from longbien import periods
from longbien.formatting import vn_number
from longbien.org.models import OrgUnit, Term
from longbien.reporting import term_report


def parse_period(term: Term, value: str) -> periods.Period:
    """The term itself (``value`` empty), ``year:2019`` or ``half:2019-1``, within the term."""
    if not value:
        return periods.term_period(term)
    year_match = re.fullmatch(r"year:(\d{4})", value)
    half_match = re.fullmatch(r"half:(\d{4})-([12])", value)
    if year_match:
        period = periods.year(int(year_match.group(1)))
    elif half_match:
        period = periods.half(int(half_match.group(1)), int(half_match.group(2)))
    else:
        raise CommandError(
            _("Kỳ “%(value)s” không hợp lệ: dùng year:NĂM hoặc half:NĂM-1 / half:NĂM-2.")
            % {"value": value}
        )
    if period.end < term.start_date or period.start > term.end_date:
        raise CommandError(
            _("Kỳ “%(value)s” nằm ngoài %(term)s.") % {"value": value, "term": term.name}
        )
    return period


class Command(BaseCommand):
    help = (
        "Xuất báo cáo tổng kết nhiệm kỳ (năm, 6 tháng) ra tệp PDF theo thể thức văn bản của Đảng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--term", required=True, help="Mã nhiệm kỳ, ví dụ 2015-2020.")
        parser.add_argument(
            "--unit", default="", help="Mã đơn vị (mặc định: đơn vị gốc của cổng thông tin)."
        )
        parser.add_argument(
            "--period", default="", help="year:2019 hoặc half:2019-1 (mặc định: cả nhiệm kỳ)."
        )
        parser.add_argument("--output", required=True, help="Tệp PDF được ghi ra.")

    def handle(self, *args: Any, term: str, unit: str, period: str, output: str,
               **options: Any) -> None:  # fmt: skip
        found_term = Term.objects.filter(code=term.strip()).first()
        if found_term is None:
            raise CommandError(_("Không có nhiệm kỳ “%(value)s”.") % {"value": term})
        code = unit.strip() or settings.PORTAL_ROOT_UNIT_CODE
        found_unit = OrgUnit.objects.filter(code=code).first()
        if found_unit is None:
            raise CommandError(_("Không có đơn vị mã “%(value)s”.") % {"value": code})
        chosen = parse_period(found_term, period.strip())
        started = time.monotonic()
        pdf = term_report.render(unit=found_unit, period=chosen)
        try:
            Path(output).write_bytes(pdf)
        except OSError as error:
            raise CommandError(
                _("Không ghi được tệp %(path)s: %(error)s") % {"path": output, "error": error}
            ) from error
        self.stdout.write(
            _("Đã ghi %(path)s (%(size)s byte, %(seconds)s giây).")
            % {
                "path": output,
                "size": vn_number(len(pdf)),
                "seconds": vn_number(time.monotonic() - started, 1),
            }
        )
