"""Benchmark: how many requests a second two sync gunicorn workers on this machine could serve
at all, against the issue's uncached throughput goals (permalink 500, pages 100, search 50).

Each page of the issue's table is served next to pages that each do less of its work, by the
same gunicorn (2 sync workers, DEBUG off, the benchmark's database `bench_scale_<N>`, wrk with
32 connections, as in bench/scale.py):

1. gunicorn alone: a WSGI callable returning the permalink's bytes, no Django;
2. Django's stack: the project's settings and middleware, and a view that returns those bytes
   and asks the database nothing;
3. the same view asking one query first, through the ORM: a statement, by its primary key;
4. for every page, its template alone: the page rendered from the context its view built once
   (querysets already read, relations the view prefetched already loaded), so no view code
   and, unless the template reads a relation itself, no query;
5. the page, as served.

On two cores, a page served N times a second has 2,000 / N ms of CPU a request (app, database,
wrk and kernel together): the permalink's goal of 500 leaves 4 ms, a page's goal of 100 leaves
20 ms. Step 3 against step 2 is what one ORM query costs, the least such a query costs; the
goal's budget less step 4 is what is left for the view, and so the most ORM queries a page can
ask within its goal ("allowed"). Most of that cost is the ORM making the SQL and PostgreSQL
planning it: a page that needs more reaches its goal only with fewer queries, or with SQL
written once and prepared, as the busiest reads are (treaties/prepared.py); serving bytes already
rendered would too, which is what nginx's cache does for anonymous readers (bench/scale.py).

    .venv/bin/python bench/ceiling.py                        (10,000 statements)
    .venv/bin/python bench/ceiling.py --statements 1000000   (make bench STATEMENTS=1000000)
"""

import argparse
import http.client
import json
import os
import shutil
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "bench"))
sys.path.insert(0, str(BASE_DIR))

from scale import (  # noqa: E402
    PYTHON,
    collect_static,
    free_port,
    http_get,
    page_urls,
    prepare_database,
    production_env,
    serving,
    wait_for,
    wrk,
)

GUNICORN_ALONE = "/ceiling/gunicorn/"
DJANGO_ALONE = "/ceiling/django/"
ONE_QUERY = "/ceiling/query/"
TEMPLATE_ALONE = "/ceiling/template/{}/"  # the page's position in the list


def goal(name: str) -> int:
    if name == "permalink":
        return 500
    return 50 if name.startswith("search") else 100


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per URL")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk): nothing to measure.")

    database_url = prepare_database(args.statements, fresh=False)
    pages = page_urls(database_url)
    env = {**production_env(database_url), "CEILING_PAGES": json.dumps(pages)}
    collect_static(env)
    os.environ.update(env, DJANGO_SETTINGS_MODULE="armscontrol.settings")
    queries = query_counts(list(pages.values()))

    port = free_port()
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "bench.ceiling:application",  # from BASE_DIR, gunicorn's working directory
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    with serving(command, env):
        wait_for(port)
        # Until both workers have answered: each captures the pages' templates at its first
        # request, which takes seconds, and nothing is timed before.
        workers = set()
        while len(workers) < 2:
            workers.add(worker(port))
        size = len(http_get(port, pages["permalink"]))
        print(f"\n32 clients, {args.seconds} s each, gunicorn's 2 sync workers; "
              f"the permalink's {size / 1024:.1f} KiB for steps 1 to 3:")  # fmt: skip
        floor = {}
        for name, url in {
            "1. gunicorn alone": GUNICORN_ALONE,
            "2. Django's stack, no query": DJANGO_ALONE,
            "3. Django's stack, one query": ONE_QUERY,
        }.items():
            floor[url], _ = wrk(port, url, args.seconds)
            print(f"{name:34} {floor[url]:8.0f} requests/s", flush=True)
        one_query = 2_000 / floor[ONE_QUERY] - 2_000 / floor[DJANGO_ALONE]
        print(f"{'one query costs':34} {one_query:8.2f} ms of CPU a request")

        print("\nCPU ms a request on two cores (2,000 / requests a second):")
        print(f"{'page':34} {'goal':>5} {'template alone':>15} {'page':>10} {'budget left':>12}"
              f" {'queries':>8} {'allowed':>8}")  # fmt: skip
        for position, (name, url) in enumerate(pages.items()):
            template, _ = wrk(port, TEMPLATE_ALONE.format(position), args.seconds)
            page, _ = wrk(port, url, args.seconds)
            budget = 2_000 / goal(name) - 2_000 / template
            asked, in_template = queries[position]
            allowed = in_template + max(0, int(budget // one_query))
            print(
                f"{name:34} {goal(name):5} {template:9.0f} req/s {page:6.0f} req/s"
                f" {budget:9.2f} ms {asked:8} {allowed:8}"
                f"{'  out of reach' if budget < 0 or asked > allowed else ''}",
                flush=True,
            )
    print(
        "\nbudget left: what the goal leaves for the view once the template is rendered"
        "\n(below zero, the template alone is out of reach)."
        "\nallowed: the most ORM queries a page can ask within it, each at the cost of step"
        "\n3's (the least such a query costs), beside any its template asks itself. A page"
        "\nasking more is out of reach of its goal unless it asks fewer, or prepared SQL."
    )


def worker(port: int) -> str:
    """The process id of the worker that answers a request."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", GUNICORN_ALONE)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.getheader("X-Worker")


# What the workers serve --------------------------------------------------------------------


def template_alone(url: str):
    """The template that url's page is rendered with and the context its view gave it."""
    from unittest import mock

    from django.db.models import prefetch_related_objects
    from django.template import loader
    from django.test import Client

    # django.shortcuts.render calls loader.render_to_string: watch what it passes.
    with mock.patch.object(loader, "render_to_string", wraps=loader.render_to_string) as spy:
        response = Client().get(url, HTTP_HOST="localhost")
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}.")
    template, context, *_ = spy.call_args.args
    if "statement" in context:
        # A statement's page leaves its mentions and topics for the template to read: they
        # are the view's queries, not the template's.
        prefetch_related_objects([context["statement"]], "mentions", "topics")
    return template, context


def query_counts(urls: list[str]) -> list[tuple[int, int]]:
    """How many queries each page asks, and how many of them its template alone asks when
    rendered a second time (both after a first request, as in the timed runs)."""
    import django
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext

    django.setup()
    counts = []
    for url in urls:
        template, context = template_alone(url)
        with CaptureQueriesContext(connection) as page:
            Client().get(url, HTTP_HOST="localhost")
        request = RequestFactory().get(url, HTTP_HOST="localhost")
        render_to_string(template, context, request)  # as the worker's first render
        with CaptureQueriesContext(connection) as alone:
            render_to_string(template, context, request)
        counts.append((len(page), len(alone)))
    return counts


def _application():
    """Steps 1 to 4 beside the site, in a gunicorn worker."""
    import django
    from django.core.wsgi import get_wsgi_application
    from django.http import HttpResponse
    from django.shortcuts import render
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import include, path

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "armscontrol.settings")
    django.setup()
    from treaties.models import Statement

    pages = json.loads(os.environ["CEILING_PAGES"])
    permalink = Client().get(pages["permalink"], HTTP_HOST="localhost").content
    statement_id = Statement.objects.published().values_list("pk", flat=True).first()
    templates = [template_alone(url) for url in pages.values()]

    def one_query(request):
        Statement.objects.get(pk=statement_id)
        return HttpResponse(permalink)

    def template(request, position):
        if position >= len(templates):
            return HttpResponse(status=404)
        return render(request, *templates[position])

    global urlpatterns
    urlpatterns = [
        path(DJANGO_ALONE.strip("/") + "/", lambda request: HttpResponse(permalink)),
        path(ONE_QUERY.strip("/") + "/", one_query),
        path(TEMPLATE_ALONE.strip("/").format("<int:position>") + "/", template),
        path("", include("armscontrol.urls")),
    ]
    override_settings(ROOT_URLCONF=__name__).enable()
    django_app = get_wsgi_application()
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(permalink))),
        ("X-Worker", str(os.getpid())),
    ]

    def application(environ, start_response):
        if environ["PATH_INFO"] == GUNICORN_ALONE:
            start_response("200 OK", headers)
            return [permalink]
        return django_app(environ, start_response)

    return application


_served = None


def application(environ, start_response):
    # Built at the first request, in the worker: no database connection crosses the fork.
    global _served
    if _served is None:
        _served = _application()
    return _served(environ, start_response)


if __name__ == "__main__":
    main()
