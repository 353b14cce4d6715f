"""HTTP caching for anonymous readers.

A reader without a session cookie gets the same page as every other such reader, so the
response may be kept by any cache (the nginx in front, a CDN, the browser) for
PUBLIC_CACHE_SECONDS; an editor's publish is then visible to everyone within twice that at
most (a shared copy, then a browser's copy of it). Editors (anyone with a session cookie)
and the admin get `private, no-cache`, so that drafts never reach a shared cache.
ConditionalGetMiddleware adds the ETag and answers a matching If-None-Match with 304.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

CACHEABLE_STATUSES = {200, 301, 404, 410}


class PublicCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response  # the view decided (a share card, an export)
        if self.is_public(request, response):
            seconds = settings.PUBLIC_CACHE_SECONDS
            patch_cache_control(response, public=True, max_age=seconds, s_maxage=seconds)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    @staticmethod
    def is_public(request, response) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and response.status_code in CACHEABLE_STATUSES | {304}
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            # The admin's login form sets the CSRF cookie, so it is never public either.
            and not response.cookies
        )
