"""Vietnamese text folding (search) and sort keys, computed in Python.

The embedded PostgreSQL has neither ``unaccent`` nor ICU collations, so folded text and
sort keys are stored in indexed columns; the same code then works on every server.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")

# Letters in Vietnamese alphabetical order; f, j, w, z come from loan words.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET, start=10)}
# Tones in dictionary order: level, grave, hook above, tilde, acute, dot below.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn


def fold(text: str | None) -> str:
    """Return ``text`` lower-cased, without diacritics, spaces collapsed: "Đảng" -> "dang"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


def _split_letter(chunk: str) -> tuple[str, int]:
    """Split one NFD letter cluster into its base letter (with ă/â/ơ…) and its tone."""
    base, tone = chunk[0], 0
    for mark in chunk[1:]:
        if mark in _LETTER_MARKS:
            base = unicodedata.normalize("NFC", base + mark)
        elif mark in _TONE_RANK:
            tone = _TONE_RANK[mark]
    return base, tone


def sort_key(text: str | None) -> str:
    """Return an ASCII key that orders strings the Vietnamese way under the C collation.

    Letters compare first (a ă â b c d đ …), then tones, then case.
    """
    if not text:
        return ""
    nfd = unicodedata.normalize("NFD", _SPACES.sub(" ", text.strip()))
    clusters: list[str] = []
    for ch in nfd:
        if unicodedata.combining(ch) and clusters:
            clusters[-1] += ch
        else:
            clusters.append(ch)
    letters, tones, cases = [], [], []
    for cluster in clusters:
        base, tone = _split_letter(cluster)
        lower = base.lower()
        if lower == " ":
            letters.append("00")
        elif lower in _LETTER_RANK:
            letters.append(f"{_LETTER_RANK[lower]:02d}")
        elif lower.isdigit():
            letters.append(f"0{lower}")
        else:
            letters.append(f"{min(ord(lower), 9999) + 100:04d}"[:4])
        tones.append(str(tone))
        cases.append("0" if base == lower else "1")
    return "".join(letters) + " " + "".join(tones) + " " + "".join(cases)


def person_sort_key(full_name: str | None) -> str:
    """Order people by given name (the last word), then the full name, as Vietnamese lists do."""
    if not full_name:
        return ""
    given = full_name.strip().split(" ")[-1]
    return sort_key(given)[:40].ljust(40, "0") + "|" + sort_key(full_name)
