"""Party-format PDFs: a template and a context become PDF bytes (WeasyPrint).

The one rendering module of the reports (the quarterly report's PDF, the term report): the
page follows Hướng dẫn 36-HD/VPTW on Party documents (A4; margins 20–25 mm top and bottom,
30–35 mm left, 15–20 mm right; the issuing body's block top left, "ĐẢNG CỘNG SẢN VIỆT NAM"
top right with the place and date; "BÁO CÁO" and its subject centred; body 14 pt in Liberation
Serif, bundled under ``static/fonts/``; page numbers from page 2; the signature and the
recipients blocks). A document's template extends ``reporting/pdf/party_document.html`` and
fills its ``body`` block; its context holds a :class:`PartyDocument` under ``document``.

Stylesheets and fonts are read from the project's static files through a ``file://`` base
URL; :class:`StaticOnlyFetcher` refuses every other address (no network, no file outside
``static/``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

#: The layout every Party document extends, and its stylesheet (relative to the static root).
BASE_TEMPLATE = "reporting/pdf/party_document.html"
STYLESHEET = "css/party-document.css"


def static_root() -> Path:
    """The project's own static folder (``static/``), where the stylesheet and fonts live."""
    return Path(settings.STATICFILES_DIRS[0]).resolve()


def static_base_url() -> str:
    """The ``file://`` URL of the static folder: the base every document's links resolve on."""
    return static_root().as_uri() + "/"


def _vn_day(number: int) -> str:
    # Hướng dẫn 36: a day below 10 and the months 1 and 2 are written with a leading zero.
    return f"{number:02d}"


def _vn_month(number: int) -> str:
    return f"{number:02d}" if number < 3 else str(number)


@dataclass
class PartyDocument:
    """What the layout prints around a document's body (Hướng dẫn 36-HD/VPTW).

    ``superior`` is the body above the issuer (printed in capitals), ``issuer`` the issuing
    committee (bold capitals); ``number`` and ``symbol`` make "Số 12-BC/ĐU" (a blank number
    leaves room to write it by hand); ``date`` None leaves "ngày … tháng … năm …" blank.
    """

    issuer: str
    superior: str
    subject: str
    title: str = ""
    number: str = ""
    symbol: str = "BC/ĐU"
    place: str = "Long Biên"
    date: dt.date | None = None
    on_behalf: str = ""
    signer_title: str = ""
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.title = self.title or _("BÁO CÁO")
        self.on_behalf = self.on_behalf or _("T/M ĐẢNG ỦY")
        self.signer_title = self.signer_title or _("BÍ THƯ")

    @property
    def number_line(self) -> str:
        number = self.number or "\u00a0" * 6
        return _("Số %(number)s-%(symbol)s") % {"number": number, "symbol": self.symbol}

    @property
    def place_date(self) -> str:
        if self.date is None:
            return _("%(place)s, ngày …… tháng …… năm ……") % {"place": self.place}
        return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
            "place": self.place,
            "day": _vn_day(self.date.day),
            "month": _vn_month(self.date.month),
            "year": self.date.year,
        }


def _allowed_roots() -> list[Path]:
    return [Path(folder).resolve() for folder in settings.STATICFILES_DIRS]


def static_file(url: str) -> Path:
    """The file a ``file://`` URL names inside the static folder; anything else is refused."""
    parsed = urlparse(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        raise ValueError(f"only the project's static files are read: {url}")
    path = Path(unquote(parsed.path)).resolve()
    if not any(path.is_relative_to(root) for root in _allowed_roots()) or not path.is_file():
        raise ValueError(f"not a static file: {url}")
    return path


_MIME = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff",
         ".woff2": "font/woff2", ".png": "image/png", ".svg": "image/svg+xml",
         ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}  # fmt: skip


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Read the static files named by ``file://`` URLs; refuse every other address."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = static_file(url)
            mime = _MIME.get(path.suffix.lower())
            return URLFetcherResponse(
                url, path.read_bytes(), {"Content-Type": mime} if mime else None
            )

    return StaticOnlyFetcher()


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of ``html``; its relative links resolve on ``base_url`` (the static folder)."""
    import weasyprint  # a heavy import, paid only when a PDF is asked for

    document = weasyprint.HTML(
        string=html, base_url=base_url or static_base_url(), url_fetcher=_fetcher()
    )
    return bytes(document.write_pdf())


def render_html(template_name: str, context: dict[str, Any]) -> str:
    return render_to_string(template_name, {"stylesheet": STYLESHEET, **context})


def render_pdf(
    template_name: str, context: dict[str, Any], *, base_url: str | None = None
) -> bytes:
    """Render ``template_name`` with ``context`` (which holds ``document``: a
    :class:`PartyDocument`) and return the PDF's bytes."""
    return html_to_pdf(render_html(template_name, context), base_url=base_url)
