"""Text is cleaned once at input (longbien.fields), and exports never fail on stored text.

The same rule holds on every edge: a page's form, the API and an import all reach a service,
whose ``full_clean()`` runs the fields' cleaning before its duplicate checks.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io as std_io
import logging

import openpyxl
import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value

from cadres import services as cadre_services
from cadres.choices import Rating
from cadres.models import PersonnelDecision
from longbien.core import io
from longbien.fields import (
    CodeField,
    CodeFormField,
    LineField,
    LineFormField,
    ParagraphField,
    ParagraphFormField,
    clean_stored_text,
)
from longbien.org.models import Person
from longbien.procedures.forms import ProcedureForm
from longbien.text import clean_input, fold
from resolutions.choices import DocumentKind
from resolutions.models import Document
from tests.cadres.conftest import make_person
from tests.resolutions.factories import make_document

JSON = {"content_type": "application/json"}
# A vertical tab (Word's Shift+Enter), a bell and a zero-width space.
DIRTY_TITLE = "  Nghị quyết\x0bvề\x07 công tác\u200b cán bộ "
CLEAN_TITLE = "Nghị quyết về công tác cán bộ"


def store_raw(obj: models.Model, **values: str) -> None:
    """Write text around the fields' cleaning (as a row stored before them would be)."""
    type(obj).objects.filter(pk=obj.pk).update(
        **{name: Value(value, output_field=models.TextField()) for name, value in values.items()}
    )


def _csv(rows: list[list[str]]) -> bytes:
    buffer = std_io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


# --- The rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "multiline", "code", "expected"),
    [
        ("  Chi bộ A  ", False, False, "Chi bộ A"),
        ("Dòng một\x0bdòng hai", False, False, "Dòng một dòng hai"),
        ("Dòng một\x0bdòng hai", True, False, "Dòng một\ndòng hai"),
        ("a\r\nb\rc\u2028d", True, False, "a\nb\nc\nd"),
        ("a\r\nb", False, False, "a  b"),
        ("a\tb", True, False, "a b"),
        ("\x00a\x07b\x1f\x7fc\x9f", False, False, "abc"),
        ("\ufeffa\u200bb\u200dc\u2060", False, False, "abc"),
        ("a\u00a0b\u3000c", False, False, "a b c"),
        ("Năm ２０２６, quý ٣", False, False, "Năm 2026, quý 3"),
        ("９９０１－QĐ／QU", False, True, "9901-QĐ/QU"),
        ("９９０１－QĐ／QU", False, False, "9901－QĐ／QU"),  # text keeps full-width signs
        ("１２５–ＱĐ/QU", False, True, "125-QĐ/QU"),  # en dash and full-width letter in a code
        ("Nghi\u0323 quyê\u0301t", False, False, "Nghị quyết"),  # decomposed → NFC
        ("Đảng", False, True, "Đảng"),
        ("\u200b", False, False, ""),
    ],
)
def test_clean_input(value, multiline, code, expected):
    assert clean_input(value, multiline=multiline, code=code) == expected


def test_a_composed_letter_stays_composed_when_an_invisible_character_split_it():
    assert clean_input("Nghi\u200b\u0323") == "Nghị"


def test_model_fields_clean_in_to_python_pre_save_and_their_form_fields():
    assert LineField(max_length=10).to_python(" a\nb ") == "a b"
    assert ParagraphField().to_python("a\r\nb\x0b") == "a\nb"
    assert CodeField(max_length=10).to_python("ＣＢ０１") == "CB01"
    assert type(LineField(max_length=10).formfield()) is LineFormField
    assert type(ParagraphField().formfield()) is ParagraphFormField
    assert type(CodeField(max_length=10).formfield()) is CodeFormField
    assert LineFormField().clean(" a\x0bb\u200b ") == "a b"
    assert ParagraphFormField().clean("a\r\nb") == "a\nb"
    # A form shown again shows the cleaned text.
    assert LineFormField().prepare_value("a\x07b") == "ab"


def test_a_model_form_cleans_its_text_fields():
    fields = ProcedureForm.base_fields
    assert fields["code"].clean(" ＱＴ－０１ ") == "QT-01"
    assert fields["name"].clean("Quy\x0btrình") == "Quy trình"
    assert fields["description"].clean("Một\r\nhai\x0b") == "Một\nhai"


def test_a_save_without_full_clean_still_stores_clean_text(tree):
    person = Person(code="ＣＢ７", full_name=" Lê\x0bVăn\u200b An ", sex="male", unit=tree.cell_a1)
    person.save()
    assert (person.code, person.full_name) == ("CB7", "Lê Văn An")
    person.refresh_from_db()
    assert (person.code, person.full_name) == ("CB7", "Lê Văn An")
    # Lookups read a value as the field stores it.
    assert Person.objects.get(code="ＣＢ７ ") == person


# --- The three edges: page form, API, import ----------------------------------------------


def test_a_title_with_control_characters_is_cleaned_through_the_form(client_for, users, tree):
    response = client_for(users["staff"]).post(
        "/nghi-quyet/van-ban/them/",
        {
            "symbol": "０１－NQ／QU", "kind": "resolution", "issuing_unit": tree.root.pk,
            "title": DIRTY_TITLE, "summary": "Dòng một\r\ndòng hai\x0bdòng ba\x1f",
            "signed_date": "2026-01-05", "status": "issued",
        },
    )  # fmt: skip
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.symbol, document.title) == ("01-NQ/QU", CLEAN_TITLE)
    assert document.summary == "Dòng một\ndòng hai\ndòng ba"
    assert document.title_folded == fold(f"01-NQ/QU {CLEAN_TITLE}")


def test_a_title_with_control_characters_is_cleaned_through_the_api(client_for, users, tree):
    response = client_for(users["staff"]).post(
        "/api/v1/resolutions/documents/",
        {
            "symbol": "０２－KL／QU", "kind": DocumentKind.CONCLUSION, "issuing_unit": "QU",
            "title": DIRTY_TITLE, "signed_date": "2026-02-01", "topics": ["Cán\x0bbộ\u200b"],
        },
        **JSON,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["title"] == CLEAN_TITLE
    document = Document.objects.get()
    assert (document.symbol, document.title, document.topics) == (
        "02-KL/QU", CLEAN_TITLE, ["Cán bộ"],
    )  # fmt: skip


def test_a_title_with_control_characters_is_cleaned_through_an_import(users, tree):
    data = _csv([
        ["ID", "Số hiệu", "Loại văn bản", "Mã đơn vị ban hành", "Trích yếu", "Ngày ký"],
        ["", " ０３－NQ／QU ", "Nghị quyết", "QU", DIRTY_TITLE, "05/01/2026"],
    ])  # fmt: skip
    outcome = io.import_register(
        user=users["staff"], name="documents", data=data, fmt="csv", dry_run=False
    )
    assert outcome.applied, outcome.errors
    document = Document.objects.get()
    assert (document.symbol, document.title) == ("03-NQ/QU", CLEAN_TITLE)


@pytest.fixture
def decided(users, tree):
    person = make_person("CBX", tree.cell_a1, "Trần Văn Xuân")
    cadre_services.decision_create(
        actor=users["staff"], person=person, kind="appointment", symbol="9901-QĐ/QU",
        decision_date=dt.date(2026, 1, 5),
    )  # fmt: skip
    return person


@pytest.mark.parametrize("symbol", ["９９０１-QĐ/QU", "９９０１－QĐ／QU", " 9901-QĐ/QU\u200b"])
def test_a_full_width_symbol_is_a_duplicate_through_the_form(client_for, users, decided, symbol):
    response = client_for(users["staff"]).post(
        "/can-bo-danh-gia/quyet-dinh/them/",
        {"person": "CBX", "kind": "appointment", "symbol": symbol, "decision_date": "2026-01-05"},
    )
    assert response.status_code == 200
    assert "Quyết định này đã được ghi cho cán bộ này." in response.content.decode()
    assert PersonnelDecision.objects.count() == 1


@pytest.mark.parametrize("symbol", ["９９０１-QĐ/QU", "９９０１－QĐ／QU"])
def test_a_full_width_symbol_is_a_duplicate_through_the_api(client_for, users, decided, symbol):
    response = client_for(users["staff"]).post(
        "/api/v1/cadres/decisions/",
        {"person": "CBX", "kind": "appointment", "symbol": symbol, "decision_date": "2026-01-05"},
        **JSON,
    )
    assert response.status_code == 400
    assert "Quyết định này đã được ghi cho cán bộ này." in str(response.json())
    assert PersonnelDecision.objects.count() == 1


@pytest.mark.parametrize("symbol", ["９９０１-QĐ/QU", "９９０１－QĐ／QU"])
def test_a_full_width_symbol_is_a_duplicate_through_an_import(users, decided, symbol):
    data = _csv([
        ["Mã cán bộ", "Loại quyết định", "Số quyết định", "Ngày quyết định"],
        ["CBX", "Bổ nhiệm", symbol, "05/01/2026"],
    ])  # fmt: skip
    outcome = io.import_register(
        user=users["staff"], name="decisions", data=data, fmt="csv", dry_run=False
    )
    assert not outcome.applied
    assert "Quyết định này đã được ghi cho cán bộ này." in " ".join(outcome.errors[0].messages)
    assert PersonnelDecision.objects.count() == 1


def test_a_full_width_document_symbol_is_a_duplicate(client_for, users, tree):
    make_document(users["staff"], tree.root, symbol="9901-NQ/QU")
    response = client_for(users["staff"]).post(
        "/api/v1/resolutions/documents/",
        {
            "symbol": "９９０１－NQ／QU", "kind": DocumentKind.RESOLUTION, "issuing_unit": "QU",
            "title": "Khác", "signed_date": "2026-03-01",
        },
        **JSON,
    )  # fmt: skip
    assert response.status_code == 400
    assert "đã có trong năm 2026" in response.json()["symbol"][0]


def test_text_of_invisible_characters_only_counts_as_none(users, tree):
    person = make_person("CBZ", tree.cell_a1, "Vũ Thị Zin")
    evaluation = cadre_services.evaluation_create(
        actor=users["staff"], person=person, year=2026, month=3
    )
    with pytest.raises(ValidationError) as refused:
        cadre_services.evaluation_self_assess(
            actor=users["staff"], evaluation=evaluation, self_assessment="\u200b\x0b\ufeff ",
            self_rating=Rating.GOOD,
        )  # fmt: skip
    assert "self_assessment" in refused.value.message_dict
    evaluation = cadre_services.evaluation_self_assess(
        actor=users["staff"], evaluation=evaluation, self_assessment="Tốt\r\nlắm\u200b",
        self_rating=Rating.GOOD,
    )  # fmt: skip
    assert evaluation.self_assessment == "Tốt\nlắm"


# --- Exports never fail, never carry a formula ---------------------------------------------


def test_a_row_stored_with_control_characters_still_exports(client_for, users, tree):
    document = make_document(users["staff"], tree.root, title="Sạch")
    store_raw(document, title="=Trích\x0byếu\x01 \x1f cũ\x08", summary="a\x0cb")
    client = client_for(users["staff"])
    response = client.get("/xuat/documents/?format=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(std_io.BytesIO(response.content)).active
    rows = list(sheet.values)
    title = rows[1][rows[0].index("Trích yếu")]
    assert title == "'=Tríchyếu  cũ"  # what a workbook cannot hold is gone, and no formula
    response = client.get("/xuat/documents/?format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(std_io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][rows[0].index("Trích yếu")] == "'=Tríchyếu  cũ"


FORMULAS = [
    "=1+1", "+1+cmd", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1",
    "＝1+1", "＋1", "－1", "＠SUM(A1)", "'=already quoted",
]  # fmt: skip


@pytest.fixture
def formula_people(tree):
    people = []
    for n, name in enumerate(FORMULAS):
        person = make_person(f"F{n}", tree.cell_a1, "Tạm")
        store_raw(person, full_name=name)
        people.append(person)
    return people


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_formula_start_is_neutralised(users, formula_people, fmt):
    data = io.export_register(user=users["staff"], name="people", fmt=fmt)
    if fmt == "csv":
        rows = list(csv.reader(std_io.StringIO(data.decode("utf-8-sig"), newline="")))
    else:
        sheet = openpyxl.load_workbook(std_io.BytesIO(data)).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        rows = [list(row) for row in sheet.values]
    names = {row[0]: row[1] for row in rows[1:]}
    for n, name in enumerate(FORMULAS):
        if fmt == "xlsx":
            name = name.replace("\r", "\n")  # a workbook's XML reads a carriage return so
        assert names[f"F{n}"] == "'" + name, name


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_escaped_export_imports_back_unchanged(users, tree, fmt):
    kept = [n for n in FORMULAS if n == clean_input(n)] + ["-5", "Lê Văn - An", "'chữ"]
    for n, name in enumerate(kept):
        make_person(f"R{n}", tree.cell_a1, name)
    data = io.export_register(user=users["staff"], name="people", fmt=fmt)
    Person.objects.update(full_name="khác")
    outcome = io.import_register(user=users["staff"], name="people", data=data, fmt=fmt,
                                 dry_run=False)  # fmt: skip
    assert outcome.applied, outcome.errors
    assert dict(Person.objects.values_list("code", "full_name")) == {
        f"R{n}": name for n, name in enumerate(kept)
    }


def test_only_text_cells_are_escaped():
    assert io._export_cell(-5) == -5
    assert io._export_cell(dt.date(2026, 1, 5)) == dt.date(2026, 1, 5)
    assert io._export_cell("-5") == "-5"  # a plain number is no formula
    assert io._export_cell("-1.004,5") == "-1.004,5"
    assert io._export_cell("- gạch đầu dòng") == "'- gạch đầu dòng"
    assert io._export_cell("''=x") == "'''=x"
    assert io._export_cell("'x") == "'x"


# --- Rows stored before the fields: the data migration ------------------------------------


def _migration(app: str, name: str):
    return importlib.import_module(f"{app}.migrations.{name}")


def test_the_data_migration_cleans_stored_rows_and_their_search_columns(users, tree):
    document = make_document(users["staff"], tree.root, title="Tạm")
    store_raw(document, title=DIRTY_TITLE, summary="a\r\nb\x0b", signer="\u200bAn")
    Document.objects.filter(pk=document.pk).update(title_folded="cũ")
    _migration("resolutions", "0007_clean_stored_text").clean(django_apps, None)
    document.refresh_from_db()
    assert (document.title, document.summary, document.signer) == (CLEAN_TITLE, "a\nb", "An")
    assert document.title_folded == fold(f"{document.symbol} {CLEAN_TITLE}")


def test_the_data_migration_leaves_a_row_that_would_become_a_duplicate(users, tree, caplog):
    person = make_person("CBY", tree.cell_a1, "Ngô Văn Yên")
    first, second = (
        cadre_services.decision_create(
            actor=users["staff"],
            person=person,
            kind="appointment",
            symbol=symbol,
            decision_date=dt.date(2026, 1, 5),
        )  # fmt: skip
        for symbol in ("9901-QĐ/QU", "9902-QĐ/QU")
    )
    store_raw(second, symbol="９９０１-QĐ/QU", note="Ghi\x0bchú")
    with caplog.at_level(logging.WARNING, logger="longbien.fields"):
        changed = clean_stored_text(django_apps, "cadres")
    assert changed == 1
    second.refresh_from_db()
    # The symbol stays as stored (cleaned, it would be the first decision's); the note is clean.
    assert (second.symbol, second.note) == ("９９０１-QĐ/QU", "Ghi chú")
    assert f"cadres.PersonnelDecision {second.pk}: symbol left as stored" in caplog.text
    assert "９９０１" not in caplog.text  # ids in the log, never content
    first.refresh_from_db()
    assert first.symbol == "9901-QĐ/QU"
    assert clean_stored_text(django_apps, "cadres") == 0  # nothing more to clean: it stops
