"""The organisation tree's branches as HTML, drawn in Python.

A search of the city's tree draws a few hundred units, each with three plural counts; drawn
by a recursive template (an ``{% include %}`` and three ``{% blocktranslate count %}`` a
unit) that was two thirds of the page's time. The markup is the one the template wrote:
``<li class="tree-node">`` with a ``<details>`` for a unit with units below it (open on the
first levels and on the way to a match) or a ``<div class="tree-leaf">``; a branch not drawn
is a link to the tree page opened on it, which the page's script loads in place
(``data-branch``, the same page with ``partial=1``). The sentences are the template's msgids.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from longbien.formatting import vn_number, vn_short_date

from .selectors import TreeNode


def counts(node: TreeNode) -> str:
    """ "12 người · 9 đảng viên · 3 đơn vị trực thuộc" (the last only with units below)."""
    parts = [
        ngettext("%(people)s người", "%(people)s người", node.people)
        % {"people": vn_number(node.people)},
        ngettext("%(members)s đảng viên", "%(members)s đảng viên", node.members)
        % {"members": vn_number(node.members)},
    ]
    if node.sub_units:
        parts.append(
            ngettext("%(n)s đơn vị trực thuộc", "%(n)s đơn vị trực thuộc", node.sub_units)
            % {"n": vn_number(node.sub_units)}
        )
    return " · ".join(parts)


def branch(nodes: Iterable[TreeNode]) -> SafeString:
    """The ``<li>`` of each node and, drawn inside it, of the nodes below it."""
    return mark_safe("".join(_node(node) for node in nodes))  # noqa: S308 - built escaped


def _node(node: TreeNode) -> str:
    classes = "tree-node" + (" match" if node.match else "") + ("" if node.active else " closed")
    name = format_html("<mark>{}</mark>", node.name) if node.match else escape(node.name)
    kind = escape(node.kind)
    if not node.active:
        kind += " · " + escape(_("đến %(d)s") % {"d": vn_short_date(node.valid_to)})
    label = format_html(
        '<span class="tree-label"><a href="{}">{}</a> <span class="tree-kind">{}</span></span>'
        '<span class="tree-counts">{}</span>',
        node.url, name, mark_safe(kind), counts(node),  # noqa: S308 - escaped above
    )  # fmt: skip
    head = format_html('<li class="{}" data-level="{}">', classes, node.level)
    if not node.children:
        return f'{head}<div class="tree-leaf">{label}</div></li>'
    opened = " open" if node.open else ""
    if node.loaded:
        below = f"<ul>{branch(node.children)}</ul>"
    else:
        n = node.child_count
        more = ngettext("Xem %(n)s đơn vị trực thuộc", "Xem %(n)s đơn vị trực thuộc", n) % {"n": n}
        below = format_html(
            '<p class="tree-more" data-branch="{}&amp;partial=1"><a href="{}">{}</a></p>',
            node.branch_url, node.branch_url, more,
        )  # fmt: skip
    return f"{head}<details{opened}><summary>{label}</summary>{below}</details></li>"
