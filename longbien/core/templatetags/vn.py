"""Template filters for Vietnamese numbers, percentages and dates (builtins everywhere), and
the ``{% url %}`` tag through :func:`longbien.core.links.reverse`."""

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from longbien import formatting
from longbien.core import links

register = template.Library()


class _URLNode(defaulttags.URLNode):
    """Django's ``{% url %}``, its URL reversed by :func:`longbien.core.links.reverse` (a
    register's page draws a link or two per row: Django's resolver walked for each was a
    tenth of the page). The same answers and errors as Django's tag: Django's ``render``
    imports ``reverse`` inside itself, so its body is repeated here with that one call changed."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = links.reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag(name="url")
def url(parser, token):
    """``{% url "name" arg … [as var] %}`` as Django parses it, drawn by :class:`_URLNode`
    (the template builtins come after Django's own, so this one is every template's)."""
    node = defaulttags.url(parser, token)
    return _URLNode(node.view_name, node.args, node.kwargs, node.asvar)


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
