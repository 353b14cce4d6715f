"""/favicon.ico: browsers, feed readers and bookmark tools ask for the icon by that name.

Pages link the SVG icon; this is the same diamond as PNGs in an ICO (16, 32 and 48 pixels),
read once from static/ and served with a day's caching.
"""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON = (settings.BASE_DIR / "static" / "favicon.ico").read_bytes()


@require_safe
@cache_control(public=True, max_age=24 * 60 * 60)
def favicon(request):
    return HttpResponse(FAVICON, content_type="image/x-icon")
