from django.conf import settings


def site(request):
    """The site's name for titles and citations, and the page's canonical URL: its path without
    the query string, so filtered and paginated views of one page point search engines at it."""
    return {
        "site_name": settings.SITE_NAME,
        "canonical_url": request.build_absolute_uri(request.path),
    }
