"""The term report's web version (issue 14): the PDF's sections, sentences, tables, charts and
appendix on a page of the portal, each figure a link to its drill-down; the same rights as the
PDF (the viewer's scope: another ward is a 404, a role without reports a 403, anonymous to the
login page); linked from the term list and from a finished job."""

from __future__ import annotations

from html.parser import HTMLParser

from django.test import Client
from django.urls import reverse

from longbien import periods
from longbien.org.models import OrgUnit, User
from longbien.reporting import term_report
from longbien.reporting.models import TermReportJob

URL = reverse("reporting:term_web")
DISTRICT_2019 = "?unit=QU-LB&year=2019"


def client_of(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


class Links(HTMLParser):
    """The links of a page: per appendix row (``tr id="so-lieu-N"``), in the sentences
    (``p class="term-sentence"``), and every href."""

    def __init__(self) -> None:
        super().__init__()
        self.row: str | None = None
        self.href: str | None = None
        self.rows: dict[str, list[tuple[str, str]]] = {}
        self.hrefs: list[tuple[str, str]] = []
        self.in_sentence = False
        self.sentences: list[tuple[str, str]] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "tr" and str(attributes.get("id", "")).startswith("so-lieu-"):
            self.row = str(attributes["id"])
            self.rows[self.row] = []
        elif tag == "p" and attributes.get("class") == "term-sentence":
            self.in_sentence = True
        elif tag == "a":
            self.href, self.text = attributes.get("href") or "", ""

    def handle_data(self, data):
        if self.href is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "a" and self.href is not None:
            link = (self.href, self.text.strip())
            self.hrefs.append(link)
            if self.row is not None:
                self.rows[self.row].append(link)
            if self.in_sentence:
                self.sentences.append(link)
            self.href = None
        elif tag == "p":
            self.in_sentence = False
        elif tag == "tr":
            self.row = None


def parse(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


def test_leadership_reads_the_web_version_with_every_appendix_figure_linked(demo, db):
    response = client_of("thuongvu").get(URL + DISTRICT_2019)
    assert response.status_code == 200
    report = response.context["report"]
    figures = report["figures"]
    assert len(figures) > 20
    html = response.content.decode()
    assert "PHỤ LỤC: NGUỒN VÀ CÁCH TÍNH CÁC SỐ LIỆU" in html
    links = parse(html)
    linked = 0
    for figure in figures:
        row = links.rows[f"so-lieu-{figure.number}"]
        if figure.url:
            assert (figure.url, figure.text) in row, (figure.code, row)
            linked += 1
        else:
            assert row == [], (figure.code, row)  # plain text, no link
    assert linked > 20
    # The sections' tables link the same figures, and their numbers lead to the appendix.
    assert ("#so-lieu-1", "[1]") in links.hrefs
    # Each figure of a sentence is a link to its drill-down too, in the sentence's order.
    in_sentences = [
        (segment.url, segment.text)
        for section in report["sections"]
        for sentence in section.sentences
        for segment in sentence
        if segment.url
    ]
    assert len(in_sentences) > 20
    assert links.sentences == in_sentences
    # The charts are on the page too (SVG drawn on the server, in the site's font).
    assert "<svg" in html and "Segoe UI" in html


def test_the_sentence_figures_match_the_pdf_context(demo, db):
    unit = OrgUnit.objects.get(code="QU-LB")
    period = periods.year(2019)
    pdf = term_report.build_context(unit=unit, period=period)
    web = client_of("thuongvu").get(URL + DISTRICT_2019).context["report"]
    assert [s.paragraphs for s in web["sections"]] == [s.paragraphs for s in pdf["sections"]]
    assert [(f.code, f.text, f.url) for f in web["figures"]] == [
        (f.code, f.text, f.url) for f in pdf["figures"]
    ]
    by_code = {f.code: f for f in pdf["figures"]}
    figures_in_sentences = 0
    for section in web["sections"]:
        assert len(section.sentences) == len(section.paragraphs)
        for sentence, paragraph in zip(section.sentences, section.paragraphs, strict=True):
            assert "".join(segment.text for segment in sentence) == paragraph
            for segment in sentence:
                if not segment.code:
                    continue
                figures_in_sentences += 1
                figure = by_code.get(segment.code)
                if figure is None:
                    continue
                written = f"{figure.text} ({figure.detail})" if figure.detail else figure.text
                assert segment.text in (written, figure.text), segment
                assert segment.url == figure.url
    assert figures_in_sentences > 20


def test_a_ward_reads_its_own_report_and_not_another_wards(demo, db):
    client = client_of("bithu.bode")
    assert client.get(URL + "?unit=P-BODE&year=2019").status_code == 200
    other = OrgUnit.objects.filter(parent__code="QU-LB", kind="ward_committee").exclude(
        code="P-BODE"
    )
    assert client.get(URL + f"?unit={other.first().code}&year=2019").status_code == 404
    assert client.get(URL + DISTRICT_2019).status_code == 404
    assert client.get(URL + "?unit=KHONG-CO&year=2019").status_code == 404


def test_anonymous_and_roles_without_reports_are_refused(demo, db):
    response = Client().get(URL + DISTRICT_2019)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client_of("kiemtra").get(URL + DISTRICT_2019).status_code == 403


def test_without_a_query_the_page_shows_the_pickers_only(demo, db):
    response = client_of("thuongvu").get(URL)
    assert response.status_code == 200
    assert response.context["report"] is None
    assert 'name="unit"' in response.content.decode()


def test_an_invalid_period_is_said_and_nothing_built(demo, db):
    response = client_of("thuongvu").get(URL + "?unit=QU-LB&year=1999")
    assert response.status_code == 200
    assert response.context["report"] is None
    assert response.context["form"].errors["year"]


def test_the_list_and_a_finished_job_link_the_web_version(demo, db):
    unit = OrgUnit.objects.get(code="QU-LB")
    job = TermReportJob.objects.create(
        key="term-report:QU-LB:year:2019", unit=unit, period_kind="year", year=2019,
        state="done", stage="done", percent=100,
    )  # fmt: skip
    client = client_of("thuongvu")
    web = URL + DISTRICT_2019
    assert (
        f'href="{web.replace("&", "&amp;")}"' in client.get(job.get_absolute_url()).content.decode()
    )
    listing = client.get(reverse("reporting:term_list")).content.decode()
    assert f'href="{URL}"' in listing and web.replace("&", "&amp;") in listing
