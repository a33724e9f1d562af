"""``longbien.core.links.reverse`` answers as ``django.urls.reverse`` does, for every URL.

It reverses a view once with a stand-in value and writes each id or code into the answer; the
portal's ``{% url %}`` tag and the models' ``get_absolute_url`` go through it.
"""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, set_script_prefix
from django.urls import reverse as django_reverse
from django.utils.functional import Promise

from longbien.core import links


def _names(patterns=None, namespace: str = "") -> list[str]:
    """Every named URL of the portal, with its namespace."""
    found: list[str] = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append(f"{namespace}{entry.name}")
    return found


def _answer(reverse, name: str, args) -> str:
    try:
        return reverse(name, args=args)
    except Exception as error:  # noqa: BLE001 - the same error, whatever it is
        return type(error).__name__


ARGUMENTS = [(), (0,), (7,), (123456,), ("QU-LB",), ("abc_1",), ("7",), (-3,), ("a/b",),
             ("Đống Đa",), ("x y",), (True,), (1.5,), (1, 2)]  # fmt: skip


def test_every_named_url_reverses_as_with_django():
    names = _names()
    assert len(names) > 100  # the whole portal was walked
    links.forget()
    compared = 0
    for name in names:
        for args in ARGUMENTS:
            for _twice in range(2):  # the first answer is worked out, the second kept
                ours, theirs = (
                    _answer(links.reverse, name, args),
                    _answer(django_reverse, name, args),
                )
                assert ours == theirs, (name, args)
            compared += theirs.startswith("/")
    assert compared > 100  # views with no argument, an id and a code were all reached


def test_the_urls_are_not_translated():
    """The kept URLs do not depend on the language because no pattern is translated."""

    def routes(patterns):
        for entry in patterns:
            yield getattr(entry.pattern, "_route", None) or getattr(entry.pattern, "_regex", "")
            if isinstance(entry, URLResolver):
                yield from routes(entry.url_patterns)

    assert not [
        route for route in routes(get_resolver().url_patterns) if isinstance(route, Promise)
    ]


def test_a_script_prefix_is_kept_apart():
    plain = links.reverse("cadres:evaluation_detail", args=[41])
    try:
        set_script_prefix("/cong-thong-tin/")
        prefixed = links.reverse("cadres:evaluation_detail", args=[41])
        assert prefixed == django_reverse("cadres:evaluation_detail", args=[41])
        assert prefixed == "/cong-thong-tin" + plain
    finally:
        set_script_prefix("/")
    assert links.reverse("cadres:evaluation_detail", args=[41]) == plain


@pytest.mark.urls("tests.core.generic_urls")
def test_another_url_configuration_is_kept_apart():
    names = [name for name in _names() if name.startswith("generic_")]
    assert names  # the test configuration's own views
    for name in names:
        for args in [(), (5,), ("5",)]:
            assert _answer(links.reverse, name, args) == _answer(django_reverse, name, args)
    assert links.reverse("generic_return", args=[5]) == "/test-generic/5/form/return/"


def test_the_url_tag_draws_as_djangos():
    context = {"pk": 41, "code": "QU-LB", "odd": "Đống Đa"}
    template = Template(
        '{% url "cadres:evaluation_detail" pk %}|{% url "org:unit_detail" code %}|'
        '{% url "org:unit_detail" odd %}|{% url "org:unit_list" %}|'
        '{% url "org:unit_detail" code as there %}[{{ there }}]|{% url "no:such" as none %}[{{ none }}]'
    )
    expected = "|".join([
        django_reverse("cadres:evaluation_detail", args=[41]),
        django_reverse("org:unit_detail", args=["QU-LB"]),
        django_reverse("org:unit_detail", args=["Đống Đa"]),
        django_reverse("org:unit_list"),
        f"[{django_reverse('org:unit_detail', args=['QU-LB'])}]",
        "[]",
    ])  # fmt: skip
    assert template.render(Context(context)) == expected
    with pytest.raises(NoReverseMatch):
        Template('{% url "no:such" %}').render(Context({}))
