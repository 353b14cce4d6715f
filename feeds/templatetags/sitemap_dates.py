"""{{ url.lastmod|day }}: a sitemap's <lastmod> as YYYY-MM-DD."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def day(value: datetime.date | datetime.datetime | None) -> str:
    """The day of a date, or of a datetime in the site's time zone: what |date:"Y-m-d" gives,
    without its trip through the format and translation settings, which on a sitemap page of
    a thousand URLs cost a fifth of the time."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return value.isoformat()
