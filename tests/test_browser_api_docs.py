"""The API's interactive docs page in Chromium: Swagger UI from our own static files runs
under the site's Content-Security-Policy and can call the API."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import make_statement

pytestmark = pytest.mark.django_db(transaction=True)


def test_api_docs_render_and_try_a_request_without_csp_violations(
    live_server, page, console_errors
):
    make_statement()
    blocked = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else blocked.append(request.url)
        ),
    )

    response = page.goto(live_server.url + reverse("api:openapi-view"))

    assert response.status == 200
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Arms Control Record API")
    operation = page.locator("#operations-default-api_views_statement_list")
    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(
        operation.locator(".live-responses-table tbody .response-col_status").first
    ).to_contain_text("200")
    assert blocked == []  # nothing from a CDN or elsewhere
    assert console_errors == []
