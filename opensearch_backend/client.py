import functools

from django.conf import settings
from opensearchpy import OpenSearch


def opensearch(*, patient: bool = False) -> OpenSearch:
    """The client for settings.OPENSEARCH_URL. A search waits OPENSEARCH_TIMEOUT_MS before
    PostgreSQL answers instead; the indexing command, patient, waits ten times as long."""
    timeout_ms = settings.OPENSEARCH_TIMEOUT_MS * (10 if patient else 1)
    return _client(settings.OPENSEARCH_URL, timeout_ms)


@functools.cache
def _client(url: str, timeout_ms: int) -> OpenSearch:
    # One a process for each URL, so that its connections are kept open between requests.
    return OpenSearch(url, timeout=timeout_ms / 1000, max_retries=0)
