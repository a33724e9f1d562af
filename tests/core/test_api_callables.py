"""The API's serializers ask whether a callable takes no argument (DRF's
``is_simple_callable``) once per function: the kept answer is DRF's own."""

from __future__ import annotations

import functools

import pytest
from rest_framework import fields as drf_fields
from rest_framework import relations

from cadres.models import Evaluation
from longbien.core import api


def plain():
    return 1


def needs(value):
    return value


def defaults(value=1, *rest, **more):
    return value


class Thing:
    def method(self):
        return 1

    def method_needs(self, value):
        return value

    def method_default(self, value=2):
        return value

    @staticmethod
    def static():
        return 1

    @classmethod
    def klass(cls):
        return 1

    def __call__(self):
        return 1


CALLABLES = [
    plain, needs, defaults, lambda: 1, lambda x: x, Thing().method, Thing().method_needs,
    Thing().method_default, Thing.static, Thing.klass, Thing.method, Thing, Thing(),
    functools.partial(needs, 1), functools.partial(needs, value=1), functools.partial(needs),
    functools.partial(Thing().method_needs, 3), functools.partial(defaults),
    Evaluation(status="draft").get_status_display, Evaluation(rating="").get_rating_display,
    "text", 3, None,
]  # fmt: skip


def _answer(check, obj):
    try:
        return check(obj)
    except drf_fields.BuiltinSignatureError:
        return "builtin"


def test_the_serializers_use_the_kept_answer():
    assert drf_fields.is_simple_callable is api._kept_is_simple_callable
    assert relations.is_simple_callable is api._kept_is_simple_callable


@pytest.mark.parametrize("obj", [*CALLABLES, len, print], ids=lambda obj: type(obj).__name__)
def test_the_kept_answer_is_drfs(obj):
    expected = _answer(api._is_simple_callable, obj)
    assert _answer(api._kept_is_simple_callable, obj) == expected
    assert _answer(api._kept_is_simple_callable, obj) == expected  # kept


def test_one_function_bound_or_fixed_differently_is_asked_apart():
    """The same function, bound or not, with an argument fixed or not, has other answers."""
    api._SIMPLE.clear()
    answers = [
        api._kept_is_simple_callable(Thing().method_needs),  # needs value
        api._kept_is_simple_callable(functools.partial(Thing().method_needs, 3)),
        api._kept_is_simple_callable(functools.partial(Thing().method_needs)),
        api._kept_is_simple_callable(Thing.method_needs),
    ]
    assert answers == [False, True, False, False]
    # The bound method and a partial fixing nothing of it take the same arguments: one answer.
    assert len(api._SIMPLE) == 3
