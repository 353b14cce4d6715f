"""Benchmark: the instructions each page of the issue's table costs the app, under cachegrind.

On a shared virtual machine a page's time, and the CPU time it is charged, swing by a third
from one minute to the next, so a change that saves 5% does not show in bench/scale.py. The
instructions a process executes do not swing. This runs Django's test client in a process
under valgrind's cachegrind (Debian's `valgrind`), once without the timed requests and once
with them, and prints the difference a request, in millions. It counts the app's process
only (middleware, views, the ORM, templates), not PostgreSQL's work nor gunicorn's HTTP
handling; bench/scale.py shows those.

    .venv/bin/python bench/instructions.py                        (10,000 statements)
    .venv/bin/python bench/instructions.py --statements 1000000 /q/1/-/ /timeline/

A run takes some 30 s a page. The database is the one bench/scale.py makes, made here too
if it is missing.
"""

import argparse
import gc
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import scale

SCRIPT = Path(__file__).resolve()
WARM_UPS = 4  # requests before the counted ones, in both runs: caches filled, code imported


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=5, help="counted requests per page")
    parser.add_argument("--child", nargs=2, metavar=("COUNT", "URL"), help=argparse.SUPPRESS)
    parser.add_argument("urls", nargs="*", help="the pages to count (default: the issue's)")
    args = parser.parse_args()
    if args.child:
        count, url = args.child
        return request_in_process(url, int(count))

    if not shutil.which("valgrind"):
        print("valgrind is not installed (apt-get install valgrind): no instruction counts.")
        return
    database_url = scale.prepare_database(args.statements, fresh=False)
    env = {
        **scale.production_env(database_url),
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "armscontrol.settings",
        "PYTHONHASHSEED": "0",  # the same dict and set layouts in every run
    }
    scale.collect_static(env)
    pages = {url: url for url in args.urls} or {
        **scale.page_urls(database_url),
        "topic list (the lightest page)": scale.LIGHTEST_PAGE,
    }
    print(f"\nMillions of instructions a request, the app's process ({args.requests} requests):")
    for name, url in pages.items():
        extra = counted(url, args.requests, env) - counted(url, 0, env)
        print(f"{name:34} {extra / args.requests / 1e6:8.1f}", flush=True)


def counted(url: str, requests: int, env: dict) -> int:
    """Instructions executed by a process that starts Django and requests url WARM_UPS times,
    then requests more times."""
    command = [
        *("valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"),
        *(scale.PYTHON, str(SCRIPT), "--child", str(requests), url),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if result.returncode or not found:
        raise SystemExit(f"Counting {url} failed:\n{result.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def request_in_process(url: str, count: int):
    sys.path.insert(0, str(scale.BASE_DIR))
    import django

    django.setup()
    from django.test import Client

    client = Client()
    for _ in range(WARM_UPS):
        if (status := client.get(url).status_code) != 200:
            raise SystemExit(f"{url} answered {status}.")
    # As armscontrol/wsgi.py does in a web process: otherwise the collector's full passes over
    # the loaded Django, which fall in one run's requests and not in another's, would count.
    gc.collect()
    gc.freeze()
    for _ in range(count):
        client.get(url)


if __name__ == "__main__":
    os.chdir(scale.BASE_DIR)
    main()
