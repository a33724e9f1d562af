"""A person has one page: the organisation record links the cadre record and evaluations."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _section(html: str) -> str:
    match = re.search(
        r'<section class="card person-section" id="person-cadres">.*?</section>', html, re.S
    )
    return match.group(0) if match else ""


def test_the_person_page_lists_and_links_the_evaluations(users, people, evaluation, client_for):
    person = people["a"]
    for name in ["staff", "ward_secretary", "leadership"]:
        html = client_for(users[name]).get(person.get_absolute_url()).content.decode()
        section = _section(html)
        assert section, name
        assert evaluation.get_absolute_url() in section, name
        assert "Tháng 03/2026" in section
        assert reverse("cadres:person_history", args=[person.pk]) in section


def test_the_section_counts_only_the_persons_evaluations(users, people, evaluation, client_for):
    html = client_for(users["staff"]).get(people["a2"].get_absolute_url()).content.decode()
    section = _section(html)
    assert evaluation.get_absolute_url() not in section
    assert "Chưa có phiếu đánh giá nào." in section


def test_no_cadre_section_for_a_viewer_outside_cadre_work(users, people, evaluation, client_for):
    """The inspection role reads people's records but no cadre work: no section, no link."""
    response = client_for(users["inspection"]).get(people["a"].get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert _section(html) == ""
    assert evaluation.get_absolute_url() not in html


def test_the_cadre_record_links_back_to_the_person_page(users, people, evaluation, client_for):
    person = people["a"]
    html = (
        client_for(users["staff"])
        .get(reverse("cadres:person_history", args=[person.pk]))
        .content.decode()
    )
    assert f'href="{person.get_absolute_url()}"' in html
    # The evaluation page links to the cadre record.
    html = client_for(users["staff"]).get(evaluation.get_absolute_url()).content.decode()
    assert reverse("cadres:person_history", args=[person.pk]) in html
