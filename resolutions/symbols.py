"""Document symbols (số hiệu): ``01-CTr/QU`` is number 1, kind CTr (programme), issuer QU."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from longbien.text import clean_input

from .choices import SYMBOL_KINDS

_SYMBOL = re.compile(
    r"^\s*(?:Số\s+)?(?P<number>\d{1,4})\s*-\s*(?P<kind>[A-Za-zĐđ]{1,5})\s*/\s*(?P<issuer>[A-ZĐ][A-ZĐ0-9.\-]{0,19})\s*$"
)


@dataclass(frozen=True)
class Symbol:
    number: int
    kind_code: str
    issuer_code: str

    def __str__(self) -> str:
        return f"{self.number:02d}-{self.kind_code}/{self.issuer_code}"


def parse_symbol(text: str) -> Symbol:
    """Parse and normalise a symbol; raise a Vietnamese ValidationError when malformed.

    The text is read as the symbol field stores it (``９９０１－QĐ／QU`` is ``9901-QĐ/QU``):
    services parse it before ``full_clean`` cleans the field.
    """
    text = clean_input(text or "", code=True)
    match = _SYMBOL.match(text)
    if not match:
        raise ValidationError(
            _("Số hiệu “%(value)s” không đúng dạng số-LOẠI/CƠ QUAN, ví dụ 01-CTr/QU, 05-CT/TW.")
            % {"value": text},
            code="malformed_symbol",
        )
    kind = match["kind"]
    key = kind.upper()
    if key not in SYMBOL_KINDS:
        raise ValidationError(
            _("Loại văn bản “%(kind)s” trong số hiệu không hợp lệ; dùng một trong: %(allowed)s.")
            % {"kind": kind, "allowed": ", ".join(sorted(SYMBOL_KINDS))},
            code="unknown_symbol_kind",
        )
    number = int(match["number"])
    if number == 0:
        raise ValidationError(_("Số văn bản phải lớn hơn 0."), code="zero_number")
    canonical_kind = "CTr" if key == "CTR" else ("QĐi" if key == "QĐI" else key)
    return Symbol(number=number, kind_code=canonical_kind, issuer_code=match["issuer"])


def kinds_for(symbol: Symbol) -> set[str]:
    return SYMBOL_KINDS[symbol.kind_code.upper()]
