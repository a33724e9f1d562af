"""Links to records, reversed once per view instead of once per link.

A register's page links every row to its record and its person or unit: a page of 50 rows
reversed some 150 URLs, each walking Django's resolver (the view's possibilities, their
converters, a regular expression checked against the result, the quoting): a tenth of the
page. The URL of ``("cadres:evaluation_detail", 41)`` differs from that of
``("cadres:evaluation_detail", 42)`` only where the id stands, so :func:`reverse` asks Django
once per view, with a stand-in value, and then writes each id into the answer.

It gives Django's answer (``tests/core/test_links.py`` compares both over every URL pattern):

- only for no argument or one positional argument that is a whole number from 0 to 10²⁵ or a
  word of up to 40 ASCII letters, digits, ``-`` and ``_`` (what quoting leaves as it is), and
  only for a view that took every stand-in of that kind (:data:`_NUMBERS`, :data:`_WORDS`:
  the int, str, slug and path converters do; a pattern of lower-case letters, like a format
  suffix's, does not); anything else goes to Django;
- per URL configuration, script prefix and current application (what Django's own answer
  depends on: the portal's URL patterns are not translated, so the language is not; the test
  checks that too); a changed ``ROOT_URLCONF`` (a test's ``override_settings``) drops them;
- a view whose URL does not hold the stand-in exactly once (a pattern written around it) is
  always left to Django.

The portal's ``{% url %}`` tag (``longbien.core.templatetags.vn``, a template builtin) and the
models' ``get_absolute_url`` go through it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse

from .memo import kept_answer

# The stand-ins a view is reversed with, the first of each kind the one whose place in the URL
# is looked for; the others check that the view takes any value of the kind (the shortest and
# the longest, every kind of character): a view whose pattern takes fewer (a regular
# expression of lower-case letters, of ten digits) answers otherwise and is left to Django.
_NUMBERS = (7_394_028_163, 0, 10**24 + 9)
_WORDS = ("Zq7394028163qZ", "a", "Z", "0", ("Aa0-_" * 8)[:40], "-", "_")
_PLAIN_WORD = re.compile(r"[A-Za-z0-9_-]{1,40}", re.ASCII)
#: (view, kind of argument, URL configuration, script prefix, current app) -> the URL split
#: where the stand-in stood (None: left to Django), or the URL itself for no argument.
_kept: dict[tuple[Any, ...], Any] = {}


def reverse(
    viewname: Any,
    args: Sequence[Any] | None = None,
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """``django.urls.reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)``."""
    if kwargs or not isinstance(viewname, str) or (args and len(args) > 1):
        return django_reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    if not args:
        key: tuple[Any, ...] = (viewname, None, urlconf, get_script_prefix(), current_app)
        return kept_answer(_kept, key, lambda: django_reverse(viewname, current_app=current_app))
    value = args[0]
    if type(value) is int and 0 <= value < 10**25:
        stand_ins: tuple[Any, ...] = _NUMBERS
    elif type(value) is str and _PLAIN_WORD.fullmatch(value):
        stand_ins = _WORDS
    else:
        return django_reverse(viewname, args=args, current_app=current_app)
    key = (viewname, type(value), urlconf, get_script_prefix(), current_app)
    split = kept_answer(_kept, key, lambda: _split(viewname, stand_ins, current_app))
    if split is None:
        return django_reverse(viewname, args=args, current_app=current_app)
    return f"{split[0]}{value}{split[1]}"


def _split(viewname: str, stand_ins: tuple[Any, ...], current_app: str | None) -> Any:
    """The view's URL cut where its argument stands, if every stand-in gives that URL with
    itself in the argument's place; else None."""
    try:
        urls = [django_reverse(viewname, args=[s], current_app=current_app) for s in stand_ins]
    except Exception:  # noqa: BLE001 - refused, or a converter failing on the kind: Django's call
        return None
    parts = urls[0].split(str(stand_ins[0]))
    if len(parts) != 2:
        return None
    if any(url != f"{parts[0]}{s}{parts[1]}" for s, url in zip(stand_ins, urls, strict=True)):
        return None
    return parts[0], parts[1]


def forget() -> None:
    """Drop every kept URL (a test that changes the URL configuration in place)."""
    _kept.clear()


@receiver(setting_changed)
def _urlconf_changed(*, setting: str, **_kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        forget()
