from django import template
from django.contrib.contenttypes.models import ContentType

register = template.Library()


@register.simple_tag
def content_type_id(obj) -> int:
    return ContentType.objects.get_for_model(obj).pk


@register.filter
def content_type_id_filter(obj) -> int:
    return content_type_id(obj)
