"""Messages that state a count go through ngettext, so a language with plurals says "1 row"."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("longbien", "resolutions", "cadres", "templates")
# A value bound in a blocktranslate that is a number of things.
COUNTED = re.compile(r"\|length|\|vn_number|_count\b|\.count\b|\.total\b|=(count|missing)\b")
BLOCK = re.compile(r"{%\s*blocktranslate\b([^%]*)%}")
# gettext (not ngettext) of a message with a count placeholder.
SINGULAR_CALL = re.compile(
    r"(?<![n\w])(?:_|gettext|gettext_lazy|pgettext|pgettext_lazy)\(\s*\"[^\"]*%\((count|n|total)\)s"
)


def _files(suffix: str) -> list[Path]:
    return [
        path
        for folder in SOURCES
        for path in (ROOT / folder).rglob(f"*{suffix}")
        if "locale" not in path.parts and "migrations" not in path.parts
    ]


def test_every_counted_template_message_has_a_plural_form():
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in _files(".html")
        for match in BLOCK.finditer(path.read_text())
        if COUNTED.search(match.group(1)) and not re.search(r"\bcount\b\s+\w+=", match.group(1))
    ]
    assert offenders == []


def test_every_counted_python_message_uses_ngettext():
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in _files(".py")
        for match in SINGULAR_CALL.finditer(path.read_text())
    ]
    assert offenders == []
