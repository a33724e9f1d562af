"""The project's catalogs: complete, compiled, and used (Vietnamese first, English second).

When this fails after you added strings: run `make messages`, translate the new entries in
locale/en (and third-party ones in locale/vi), and run `make messages` again.
"""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from longbien.core.third_party_strings import THIRD_PARTY
from tests.conftest import require_or_skip

BASE_DIR = Path(__file__).resolve().parents[2]
LANGUAGES = ["vi", "en"]
# Letters that only Vietnamese text carries (English UI text must not be left in Vietnamese).
VIETNAMESE = re.compile(
    r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]"
)


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    obsolete: bool = False


def parse_po(path: Path) -> list[Entry]:
    """Read a .po file (enough of the format for makemessages' output; no msgctxt)."""
    entries: list[Entry] = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry, target = Entry(), None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry.obsolete = True
            elif line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#:"):
                entry.files |= {ref.split(":")[0] for ref in line[2:].split()}
            elif line.startswith("#"):
                continue
            elif line.startswith("msgctxt"):
                raise AssertionError(f"{path}: msgctxt is not expected")
            elif line.startswith("msgid_plural "):
                entry.msgid_plural, target = ast.literal_eval(line[13:]), "msgid_plural"
            elif line.startswith("msgid "):
                entry.msgid, target = ast.literal_eval(line[6:]), "msgid"
            elif line.startswith("msgstr["):
                index = int(line[7 : line.index("]")])
                entry.msgstr[index] = ast.literal_eval(line[line.index("]") + 2 :])
                target = index
            elif line.startswith("msgstr "):
                entry.msgstr[0], target = ast.literal_eval(line[7:]), 0
            elif line.startswith('"'):
                text = ast.literal_eval(line)
                if isinstance(target, int):
                    entry.msgstr[target] += text
                else:
                    setattr(entry, target, getattr(entry, target) + text)
            else:
                raise AssertionError(f"{path}: unexpected line {line!r}")
        entries.append(entry)
    return entries


def po_path(language: str) -> Path:
    return BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"


@cache
def catalog(language: str) -> list[Entry]:
    """The entries of a catalog, without its header."""
    entries = parse_po(po_path(language))
    assert entries[0].msgid == "", "the header comes first"
    return entries[1:]


THIRD_PARTY_MODULE = "longbien/core/third_party_strings.py"


def third_party_msgids() -> set[str]:
    """The msgids that only longbien/core/third_party_strings.py lists (singular and plural)."""
    return {entry.msgid for entry in catalog("vi") if entry.files == {THIRD_PARTY_MODULE}}


# The catalogs ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(language):
    entries = catalog(language)
    assert len(entries) > 300
    plural_forms = 1 if language == "vi" else 2
    problems = []
    for entry in entries:
        if entry.obsolete:
            problems.append(f"obsolete: {entry.msgid!r}")
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        if entry.msgid_plural is not None and len(entry.msgstr) != plural_forms:
            problems.append(f"{len(entry.msgstr)} plural forms: {entry.msgid!r}")
        if not entry.msgstr or not all(entry.msgstr.values()):
            problems.append(f"untranslated: {entry.msgid!r}")
    assert not problems, f"locale/{language}: run `make messages` and translate:\n" + "\n".join(
        problems
    )


def test_both_catalogs_have_the_same_msgids():
    assert {e.msgid for e in catalog("vi")} == {e.msgid for e in catalog("en")}


def test_vietnamese_sources_translate_to_themselves_in_vi():
    third_party = third_party_msgids()
    differing = [
        (entry.msgid, entry.msgstr[0])
        for entry in catalog("vi")
        if entry.msgid not in third_party and entry.msgstr.get(0) != entry.msgid
    ]
    assert not differing, differing


def test_third_party_strings_get_vietnamese_not_english():
    by_msgid = {entry.msgid: entry for entry in catalog("vi")}
    third_party = third_party_msgids()
    missing = set(THIRD_PARTY) - set(by_msgid)
    assert not missing, f"not extracted: run `make messages` ({missing})"
    assert third_party >= set(THIRD_PARTY)
    assert any(by_msgid[m].msgid_plural for m in third_party)
    untranslated = [m for m in third_party if by_msgid[m].msgstr[0] == m]
    assert not untranslated, f"translate these in locale/vi: {untranslated}"


def test_english_catalog_has_no_vietnamese_left():
    left = [
        (entry.msgid, text)
        for entry in catalog("en")
        for text in entry.msgstr.values()
        if VIETNAMESE.search(re.sub(r"Long Biên|NĐ-CP|QĐ/QU|QĐ/TW", "", text))
    ]
    assert not left, left


@cache
def installed_sources() -> str:
    """The text of the installed packages whose strings we translate."""
    import auditlog
    import axes
    import django.contrib.auth
    import django_filters
    import import_export
    import rest_framework

    parts = []
    for package in (
        auditlog,
        axes,
        django.contrib.auth,
        django_filters,
        import_export,
        rest_framework,
    ):
        root = Path(package.__file__).parent
        for path in [*root.rglob("*.py"), *root.rglob("*.html")]:
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


def test_third_party_msgids_are_copied_exactly_from_the_packages():
    text = installed_sources()
    by_msgid = {entry.msgid: entry for entry in catalog("vi")}
    wanted = set()
    for msgid in third_party_msgids():
        wanted |= {msgid, by_msgid[msgid].msgid_plural or msgid}
    absent = [msgid for msgid in sorted(wanted) if msgid not in text]
    assert not absent, f"no installed package has these msgids (typo or renamed?): {absent}"


# The compiled files ------------------------------------------------------------------------


def mo_catalog(path: Path) -> dict:
    with path.open("rb") as handle:
        return dict(gnu_gettext.GNUTranslations(handle)._catalog)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_matches_the_po(language, tmp_path):
    msgfmt = shutil.which("msgfmt")
    require_or_skip(msgfmt is not None, "msgfmt (gettext) is not installed")
    po = po_path(language)
    committed = po.with_suffix(".mo")
    assert committed.is_file(), f"{committed} is missing: run `make messages`"
    fresh = tmp_path / "django.mo"
    # The same command compilemessages runs; --check-format also checks the placeholders.
    result = subprocess.run(
        [msgfmt, "--check-format", "-o", str(fresh), str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    if fresh.read_bytes() != committed.read_bytes():
        # Another gettext version may lay the file out differently; the content must agree.
        assert mo_catalog(fresh) == mo_catalog(committed), (
            f"{committed} is older than its .po: run `make messages`"
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    placeholder = re.compile(r"%\([a-z_]+\)[sd]|%\([a-z_]+\)02d|%[sd]|\{[a-z_:]+\}")
    wrong = []
    for entry in catalog(language):
        wanted = sorted(set(placeholder.findall(entry.msgid)))
        for text in entry.msgstr.values():
            if sorted(set(placeholder.findall(text))) != wanted:
                wrong.append((entry.msgid, text))
    assert not wrong, wrong


# The catalogs at run time ------------------------------------------------------------------


def test_vietnamese_is_used_for_third_party_labels():
    from auditlog.models import LogEntry

    with translation.override("vi"):
        assert translation.gettext("create") == "Tạo mới"
        assert str(LogEntry.Action.choices[LogEntry.Action.DELETE][1]) == "Xóa"
        assert str(LogEntry._meta.verbose_name_plural) == "mục nhật ký"
        assert translation.gettext("Invalid token.") == "Token không hợp lệ."
        assert translation.gettext("Confirm import") == "Xác nhận nhập dữ liệu"


def test_english_is_used_when_asked_for():
    from longbien.org.choices import Role

    with translation.override("en"):
        assert translation.gettext("Tạm khóa đăng nhập") == "Login temporarily locked"
        assert str(Role.WARD_SECRETARY.label) == "Ward Party Committee Secretary"
        assert translation.gettext("create") == "create"
        assert translation.ngettext(
            "Có %(n)s dòng lỗi; chưa ghi dòng nào.", "Có %(n)s dòng lỗi; chưa ghi dòng nào.", 2
        ) == ("%(n)s rows have errors; no rows were saved.")


def test_the_login_page_follows_the_browser_language(client, db):
    vietnamese = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="vi-VN,vi;q=0.9").content
    assert "Đăng nhập cổng công tác" in vietnamese.decode()
    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content
    assert "Log in to the work portal" in english.decode()
    assert "Đăng nhập cổng công tác" not in english.decode()
    # A language we do not support falls back to Vietnamese.
    french = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content
    assert "Đăng nhập cổng công tác" in french.decode()


def test_the_api_answers_in_vietnamese(client, db):
    response = client.get("/api/v1/org/units/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 401
    assert response.json()["detail"] == "Chưa cung cấp thông tin xác thực."
    response = client.get(
        "/api/v1/org/units/", HTTP_ACCEPT_LANGUAGE="vi", HTTP_AUTHORIZATION="Token sai"
    )
    assert response.json()["detail"] == "Token không hợp lệ."
