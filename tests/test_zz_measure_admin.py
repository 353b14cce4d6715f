import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .test_admin import CHANGELIST_QUERIES, admin_url, populate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", CHANGELIST_QUERIES)
def test_measure(editor_client, model):
    url = admin_url(model, "changelist")
    populate(3)
    with CaptureQueriesContext(connection) as a:
        editor_client.get(url)
    populate(27)
    with CaptureQueriesContext(connection) as b:
        editor_client.get(url)
    print("MEASURE", model, len(a), len(b))
    if model == "statement":
        for q in b.captured_queries:
            print("  ", q["sql"][:300])
