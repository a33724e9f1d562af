"""Vietnamese text folding (search) and sort keys, computed in Python.

The embedded PostgreSQL has neither ``unaccent`` nor ICU collations, so folded text and
sort keys are stored in indexed columns; the same code then works on every server.
"""

from __future__ import annotations

import functools
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
# The combining marks (what a mark typed after a space attaches to in a sort key).
_COMBINING = "".join(chr(c) for c in range(0x300, 0x370))


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

    Letters compare first (a ă â b c d đ …), then tones, then case. Worked out word by word,
    each word once (:func:`_word_key`): a register's names share their words.
    """
    if not text:
        return ""
    letters, tones, cases = [], [], []
    for index, word in enumerate(_SPACES.sub(" ", text.strip()).split(" ")):
        if index:
            # A space is letter 00, lower case 0, with the tone of a mark typed after it.
            marks = len(word) - len(word.lstrip(_COMBINING))
            letters.append("00")
            tones.append(str(_split_letter(" " + word[:marks])[1]))
            cases.append("0")
            word = word[marks:]
        found = _word_key(word)
        letters.append(found[0])
        tones.append(found[1])
        cases.append(found[2])
    return "".join(letters) + " " + "".join(tones) + " " + "".join(cases)


@functools.lru_cache(maxsize=65_536)
def _word_key(word: str) -> tuple[str, str, str]:
    """The letters, tones and cases of one word's sort key (:func:`sort_key`)."""
    nfd = unicodedata.normalize("NFD", word)
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
        if lower in _LETTER_RANK:
            letters.append(f"{_LETTER_RANK[lower]:02d}")
        elif lower.isdigit():
            letters.append(f"0{lower}")
        else:
            letters.append(f"{min(ord(lower), 9999) + 100:04d}"[:4])
        tones.append(str(tone))
        cases.append("0" if base == lower else "1")
    return "".join(letters), "".join(tones), "".join(cases)


def person_sort_key(full_name: str | None) -> str:
    """Order people by given name (the last word), then the full name, as Vietnamese lists do."""
    if not full_name:
        return ""
    given = full_name.strip().split(" ")[-1]
    return sort_key(given)[:40].ljust(40, "0") + "|" + sort_key(full_name)


# --- Input normalisation: one rule for every text a form, the API or an import stores -------

# What ``str.splitlines`` splits on: Word pastes a vertical tab for Shift+Enter.
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})  # controls, invisible formats, surrogates
_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")  # any other decimal digit (full-width, Arabic…)
# Codes and symbols: full-width ASCII (U+FF01–U+FF5E), the ideographic space and the dashes
# word processors put for a hyphen become ASCII; letters such as Đ stay as they are.
_CODE_FORMS = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {
    0x3000: " ",
    **dict.fromkeys([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212], "-"),
}


def clean_input(value: str, *, multiline: bool = False, code: bool = False) -> str:
    """Return ``value`` as it is stored: the one normalisation of text typed, sent or imported.

    Invisible characters (controls, zero-width and other format characters) are removed;
    a line break stays one (``\\n``) in ``multiline`` text and becomes a space elsewhere; tabs
    and other spaces become ordinary spaces; every decimal digit becomes an ASCII one; in a
    ``code`` full-width forms (``９９０１－QĐ／QU``) and typographic dashes become ASCII; the
    result is in Unicode NFC with surrounding spaces trimmed.
    """
    if value.isascii() and value.isprintable():
        return value.strip()  # the common case: nothing to look at character by character
    if not value.isprintable():
        if multiline:
            value = value.replace("\r\n", "\n")
        kept = []
        for ch in value:
            if ch in _LINE_BREAKS:
                kept.append("\n" if multiline else " ")
            elif ch == "\t":
                kept.append(" ")
            elif not ch.isprintable():
                category = unicodedata.category(ch)
                if category == "Zs":
                    kept.append(" ")
                elif category not in _DROPPED_CATEGORIES:
                    kept.append(ch)  # private use, and characters newer than this Python
            else:
                kept.append(ch)
        value = "".join(kept)
    if not value.isascii():
        value = _NON_ASCII_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), value)
        if code:
            value = value.translate(_CODE_FORMS)
        if not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
    return value.strip()
