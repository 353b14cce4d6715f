"""The read-only JSON API under /api/ and the `export_dataset` command: the published record
as data, for people who reuse it (see "Reusing the data" in the README).

Why django-ninja rather than Django REST framework with drf-spectacular: django-ninja 1.7
declares Django 6.1 support in its classifiers (drf-spectacular 0.30 stops at Django 6.0), it
is one package instead of two, its OpenAPI 3 schema comes straight from the type-annotated
endpoint signatures and pydantic schemas (no serializer classes, viewsets and schema hints to
keep in step), and its Swagger UI page loads its JavaScript and CSS from the package's own
static files with the settings in a JSON block and no inline script, so it runs under this
site's strict Content-Security-Policy without vendoring anything. The API is a handful of
read-only list and detail endpoints with keyset pagination written here (api/paging.py), so
DRF's generic views, routers and browsable API would bring weight without use.
"""
