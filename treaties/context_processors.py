from django.conf import settings
from django.core.exceptions import DisallowedHost

from .links import addresses


def site(request):
    """The site's name for titles and citations, the page's canonical URL (its path without
    the query string, so filtered and paginated views of one page point search engines at
    it), and the addresses of the site's sections."""
    try:
        canonical_url = request.build_absolute_uri(request.path)
    except DisallowedHost:
        # The 400 page of a request for a host this site does not serve: asking for the host
        # again would make it a 500.
        canonical_url = request.path
    return {
        "site_name": settings.SITE_NAME,
        "canonical_url": canonical_url,
        "site_urls": SiteUrls(),
    }


class SiteUrls:
    """{{ site_urls.treaty_list }}: the address of treaties:treaty_list, remembered.

    The layout links to the site's sections eighteen times on every page (the header, the
    search form, the footer), and {% url %} reverses each every time, some 20 µs; this reads
    each from links.addresses(), made once for the page. A name that is no view fails as
    {% url %} would.
    """

    def __init__(self):
        self.address = addresses()

    def __getitem__(self, name):
        return self.address(f"treaties:{name}")
