"""Gzip for pages that hold no secret, so that compression cannot leak one (BREACH).

BREACH guesses a secret that a page reflects, such as the CSRF token, from the compressed size
of responses to requests the attacker shapes. Anonymous pages here carry no token (base.html
sends it only to signed-in editors), so they are compressed; any response that used the token,
which the admin's forms and every signed-in page do, goes out as it is. (Django's gzip also pads
each response with random bytes, which blurs the lengths such an attack reads.) Static files
are not this middleware's business: WhiteNoise, above it, serves them precompressed.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware

# Text that compresses well and that the views here produce: pages, feeds, sitemaps, CSV, JSON.
COMPRESSIBLE_TYPES = {
    "text/html",
    "text/plain",
    "text/csv",
    "application/json",
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
}


def used_csrf_token(request, response) -> bool:
    """Whether the response may hold the CSRF token.

    Asking for the token (get_token(), {% csrf_token %}) sets CSRF_COOKIE_NEEDS_UPDATE, and
    CsrfViewMiddleware then sends the token's cookie and clears the flag, so below that
    middleware the flag tells, and above it the cookie does.
    """
    return bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or settings.CSRF_COOKIE_NAME in response.cookies
    )


class PublicGZipMiddleware(GZipMiddleware):
    """GZipMiddleware for text responses that did not use the CSRF token."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
        if content_type not in COMPRESSIBLE_TYPES or used_csrf_token(request, response):
            return response
        return super().process_response(request, response)
