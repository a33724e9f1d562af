"""Template filters for Vietnamese numbers, percentages and dates (builtins everywhere)."""

from django import template

from longbien import formatting

register = template.Library()


@register.filter
def vn_number(value, places=0):
    return formatting.vn_number(value, int(places))


@register.filter
def vn_percent(value, places=1):
    return formatting.vn_percent(value, int(places))


@register.filter
def vn_date(value):
    return formatting.vn_date(value)


@register.filter
def vn_short_date(value):
    return formatting.vn_short_date(value)


@register.simple_tag
def vn_share(part, whole, places=1):
    return formatting.vn_share(part or 0, whole or 0, int(places))
