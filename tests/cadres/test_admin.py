"""The cadres admin: read-only, and narrowed to the user's scope like every other read."""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from cadres import models, services
from cadres.choices import Rating

CADRE_MODELS = [
    models.Evaluation, models.EvaluationRevision, models.PersonnelDecision,
    models.QualificationTest, models.TestParticipant, models.SelfImprovementPlan,
    models.PlanReview, models.TaskAssignment, models.TrainingClass, models.TrainingParticipant,
]  # fmt: skip


def _admin_user(user):
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="cadres", codename__startswith="view_")
    )
    return user


@pytest.fixture
def two_wards(users, people):
    a = services.evaluation_create(actor=users["staff"], person=people["a"], year=2025, month=5)
    b = services.evaluation_create(actor=users["staff"], person=people["b"], year=2025, month=5)
    return a, b


def _url(model, name, *args):
    return reverse(f"admin:cadres_{model._meta.model_name}_{name}", args=args)


def test_every_cadres_model_is_registered_read_only():
    request = type("Request", (), {"user": None})()
    for model in CADRE_MODELS:
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def test_a_ward_user_sees_only_their_ward_in_the_admin(client_for, users, two_wards):
    a, b = two_wards
    client = client_for(_admin_user(users["ward_secretary"]))
    listing = client.get(_url(models.Evaluation, "changelist"))
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Lê Thị Ánh" in text and "Đỗ Thị Bé" not in text
    assert client.get(_url(models.Evaluation, "change", a.pk)).status_code == 200
    assert client.get(_url(models.Evaluation, "change", b.pk)).status_code == 302  # not found
    for model in CADRE_MODELS:
        assert client.get(_url(model, "changelist")).status_code == 200, model


def test_the_admin_cannot_add_change_or_delete(client_for, users, two_wards):
    a, _b = two_wards
    client = client_for(_admin_user(users["staff"]))
    assert client.get(_url(models.Evaluation, "add")).status_code == 403
    changed = client.post(_url(models.Evaluation, "change", a.pk), {"rating": Rating.EXCELLENT})
    assert changed.status_code == 403
    assert client.post(_url(models.Evaluation, "delete", a.pk), {"post": "yes"}).status_code == 403
    a.refresh_from_db()
    assert a.rating == ""


def test_a_wards_test_in_the_admin_shows_only_its_people(client_for, users, people, tree):
    test = services.test_create(
        actor=users["staff"], unit=tree.ward_a, subject="Sát hạch phường",
        held_on=dt.date(2025, 6, 1),
    )  # fmt: skip
    services.test_add_participants(
        actor=users["staff"], test=test, people=[people["a"], people["b"]]
    )
    client = client_for(_admin_user(users["ward_secretary"]))
    text = client.get(_url(models.QualificationTest, "change", test.pk)).content.decode()
    assert "Lê Thị Ánh" in text and "Đỗ Thị Bé" not in text
