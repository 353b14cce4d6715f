from django.apps import AppConfig


class OpenSearchBackendConfig(AppConfig):
    name = "opensearch_backend"
    verbose_name = "Search through OpenSearch"
