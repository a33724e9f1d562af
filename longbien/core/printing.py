"""Print views: an official A4 page in HTML, or the same page as a PDF (WeasyPrint).

A print view is the record page's view with another template (same selectors, same scope,
same confidentiality); :func:`respond` turns its rendered page into a PDF when the address
asks for one (``?dinh-dang=pdf``). The PDF's stylesheets and images are read from the static
files on disk, never fetched over the network.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

#: The query parameter and value that ask for a PDF instead of the HTML page.
PDF_PARAM, PDF_VALUE = "dinh-dang", "pdf"


def wants_pdf(request: HttpRequest) -> bool:
    return request.GET.get(PDF_PARAM) == PDF_VALUE


def _static_file(url: str) -> tuple[bytes, str]:
    """The bytes of a static file named by ``url``; anything else is refused (no network)."""
    path = urlparse(url).path
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path[len(settings.STATIC_URL) :])
        if isinstance(found, str):
            with open(found, "rb") as handle:  # noqa: PTH123
                return handle.read(), found
    raise ValueError(f"not a static file: {url}")


def pdf_bytes(html: str, *, base_url: str) -> bytes:
    import weasyprint  # a heavy import, paid only when a PDF is asked for
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            body, _name = _static_file(url)
            mime = "text/css" if url.split("?")[0].endswith(".css") else None
            return URLFetcherResponse(url, body, {"Content-Type": mime} if mime else None)

    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=StaticFetcher())
    return document.write_pdf()


def respond(request: HttpRequest, response: HttpResponse, *, filename: str) -> HttpResponse:
    """Return ``response`` (a rendered print page) as it is, or as a PDF download."""
    if not wants_pdf(request):
        return response
    if isinstance(response, TemplateResponse):
        response.render()
    html = response.content.decode(response.charset or "utf-8")
    pdf = HttpResponse(
        pdf_bytes(html, base_url=request.build_absolute_uri("/")),
        content_type="application/pdf",
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    pdf["Content-Disposition"] = f'inline; filename="{filename}-{stamp}.pdf"'
    return pdf
