"""Benchmark: every public page and the search probes at scale, served as in production.

1. A database `bench_scale_<N>` is created, migrated, seeded and filled with
   `manage.py generate_data --statements N`. It is kept for the next run (1,000,000
   statements take about ten minutes to generate); --fresh makes it again.
2. gunicorn (2 sync workers, DEBUG off, the web process's statement timeout) serves it. Each
   URL is requested --runs times by one client: p50 and p95 in milliseconds.
3. wrk with 32 connections for --seconds per URL: requests per second, uncached, and the
   CPU time each request cost gunicorn's processes and PostgreSQL's (read from /proc on
   Linux): where a page's time goes, and what a goal asks of it (with two cores, 100
   requests/s leave 20 ms of CPU a request for the app, the database, wrk and the kernel
   together). On a shared virtual machine both figures swing with its neighbours' load;
   bench/instructions.py counts what does not.
4. nginx with deploy/nginx.conf (its proxy cache) in front of the same gunicorn: a cached page
   against a static file of the same size served by the same nginx, in the same run.

    .venv/bin/python bench/scale.py                        (make bench: 10,000 statements)
    .venv/bin/python bench/scale.py --statements 1000000   (make bench STATEMENTS=1000000)

wrk and nginx come from Debian (`make bench` installs them where it can); without them the
throughput parts are skipped with a message.
"""

import argparse
import http.client
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Requests before the timed ones: each lands on either of the two workers, and six warm both
# with a probability of 97%.
WARM_UPS = 6
# The layout around a list of a few topics: what the stack gives for a page that does next to
# nothing, for scale.
LIGHTEST_PAGE = "/topics/"
GOALS_MS = {"permalink": 20}  # p95 goals; every other page 100 ms, search 50 ms
SEARCHES = {
    "search: one common word": "treaty",
    "search: two common words": "strategic stability",
    "search: a rare word": "telemetry",
    "search: Ryabkov": "Ryabkov",
    "search: Zajarova": "Zajarova",
    "search: Захарова": "Захарова",
    "search: ten words": "the treaty on strategic offensive arms limits warheads and launchers",
    # Beyond the list: three words each in 11-46% of statements, together in 1.5%, the
    # hardest kind for one PostgreSQL (two bitmaps from the index, 15,000 and 112,000 rows).
    "search: nuclear arms control": "nuclear arms control",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30, help="requests per URL, one client")
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per URL")
    parser.add_argument("--fresh", action="store_true", help="generate the data again")
    args = parser.parse_args()

    database_url = prepare_database(args.statements, fresh=args.fresh)
    collect_static(production_env(database_url))
    port = free_port()
    with serving(gunicorn_command(port), production_env(database_url)) as server:
        wait_for(port)
        urls = page_urls(database_url)
        others = other_urls(database_url, port)
        print(f"\n{interpreter()}")
        print(f"\nOne client, {args.runs} requests per URL (after {WARM_UPS} to warm up):")
        print(f"{'page':34} {'p50 ms':>8} {'p95 ms':>8} {'goal':>6}  {'KiB':>6}")
        for name, url in {**urls, **others}.items():
            timings, size = time_requests(port, url, args.runs)
            goal = goal_ms(name)
            p95 = percentile(timings, 95)
            mark = "" if p95 <= goal else "  over"
            print(
                f"{name:34} {statistics.median(timings):8.1f} {p95:8.1f} {goal:6}"
                f"  {size / 1024:6.1f}{mark}",
                flush=True,
            )
        # The long tail: a permalink nobody has opened before, so nothing about it is warm
        # (its rows, its rendered citations).
        first_views = permalinks(database_url, args.runs, remainder=3) or [urls["permalink"]]
        timings = [time_once(port, url) for url in first_views]
        p95 = percentile(timings, 95)
        print(
            f"{'permalink, first view':34} {statistics.median(timings):8.1f} {p95:8.1f}"
            f" {GOALS_MS['permalink']:6}{'  over' if p95 > GOALS_MS['permalink'] else ''}",
            flush=True,
        )
        if not shutil.which("wrk"):
            print("\nwrk is not installed (apt-get install wrk): no throughput figures.")
            return
        print(f"\n32 clients, {args.seconds} s per URL, uncached (gunicorn, 2 sync workers):")
        print(f"{'page':34} {'req/s':>8}   CPU ms a request: {'app':>5} {'database':>8}")
        floor = {"topic list (for scale)": LIGHTEST_PAGE}
        database = postmaster(database_url)
        for name, url in {**urls, **floor}.items():
            before = cpu_ticks(server.pid, database)
            rate, done = wrk(port, url, args.seconds)
            cost = ""
            if before is not None and database is not None:
                cost = per_request(before, cpu_ticks(server.pid, database), done)
            print(f"{name:34} {rate:8.0f}   {cost}", flush=True)
        many = permalinks(database_url, 10_000, remainder=5) or [urls["permalink"]]
        print(
            f"{f'permalink, {len(many):,} different':34}"
            f" {wrk_many(port, many, args.seconds)[0]:8.0f} requests/s",
            flush=True,
        )
        if shutil.which("nginx"):
            compare_with_static(port, urls["home"], args.seconds)
        else:
            print("\nnginx is not installed (apt-get install nginx): no cache figures.")


def goal_ms(name: str) -> int:
    if name in GOALS_MS:
        return GOALS_MS[name]
    return 50 if name.startswith("search") else 100


# The database ------------------------------------------------------------------------------


def base_database_url() -> str:
    if url := os.environ.get("DATABASE_URL"):
        return url
    sys.path.insert(0, str(BASE_DIR))
    from armscontrol import embedded_db

    return embedded_db.database_url(BASE_DIR / "var" / "postgres")


def prepare_database(statements: int, *, fresh: bool) -> str:
    import psycopg

    base = base_database_url()
    name = f"bench_scale_{statements}"
    url = urlsplit(base)._replace(path=f"/{name}").geturl()
    with psycopg.connect(base, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url) as conn:
        ready = conn.execute("SELECT 1 FROM pg_tables WHERE tablename = 'bench_ready'").fetchone()
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
    commands = [["migrate", "--no-input", "-v0"]]
    if ready:
        print(f"Using the database {name} made by an earlier run (--fresh makes it again).")
    else:
        commands += [["load_seed_data"], ["generate_data", "--statements", str(statements)]]
    for command in commands:
        subprocess.run([PYTHON, "manage.py", *command], cwd=BASE_DIR, env=env, check=True)
    if ready:
        return url
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_ready ()")
    return url


def interpreter() -> str:
    """The Python that serves the pages, and whether it was configured with the options that
    make CPython faster: pyenv's builds lack them unless asked, and cost this app up to a
    third more CPU a request (README, after "make bench"). Debian optimises its Python
    by its own build rules, which these options do not show."""
    config = sysconfig.get_config_var("CONFIG_ARGS") or ""
    options = ", ".join(
        f"{option} {'yes' if option in config else 'no'}"
        for option in ("--enable-optimizations", "--with-lto")
    )
    return f"Python {platform.python_version()} ({PYTHON}); configure options: {options}"


def page_urls(database_url: str) -> dict[str, str]:
    """Each page kind of the issue's table, on records that exist in this database."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        statement_id, slug = conn.execute(
            "SELECT id, slug FROM treaties_statement WHERE status = 'published' "
            "ORDER BY date DESC, id DESC LIMIT 1 OFFSET 500"
        ).fetchone()
        (speaker,) = conn.execute(
            "SELECT a.slug FROM treaties_statementtally t JOIN treaties_actor a "
            "ON a.id = t.speaker_id WHERE t.treaty_id = 0 AND t.topic_id = 0 AND t.year = 0 "
            "AND t.speaker_id > 0 ORDER BY t.statements DESC LIMIT 1"
        ).fetchone()
    urls = {
        "permalink": f"/q/{statement_id}/{slug or '-'}/",
        "home": "/",
        "New START page": "/treaties/new-start/",
        "actor page, most prolific speaker": f"/actors/{speaker}/",
        "timeline": "/timeline/",
        "timeline, New START only": "/timeline/?treaty=new-start",
        "who said what": "/who-said-what/",
        "who said what, New START": "/who-said-what/?treaty=new-start",
    }
    for name, query in SEARCHES.items():
        urls[name] = f"/search/?q={quote(query)}"
    return urls


def other_urls(database_url: str, port: int) -> dict[str, str]:
    """The other public pages and machine-readable lists, at one client only (the issue's
    table has throughput goals for the pages above)."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        (event,) = conn.execute(
            "SELECT slug FROM treaties_event WHERE status = 'published' "
            "ORDER BY date DESC, id DESC LIMIT 1"
        ).fetchone()
        # The source behind the latest statement.
        (source,) = conn.execute(
            "SELECT source_id FROM treaties_statement WHERE status = 'published' "
            "AND source_id IS NOT NULL ORDER BY date DESC, id DESC LIMIT 1"
        ).fetchone()
        (latest,) = conn.execute(
            "SELECT id FROM treaties_statement WHERE status = 'published' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        (topic,) = conn.execute("SELECT slug FROM treaties_topic ORDER BY id LIMIT 1").fetchone()
    # A page of the statements' sitemap from the middle of the table, as the index lists it.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/sitemap.xml")
    response = conn.getresponse()
    index = response.read().decode()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"/sitemap.xml answered {response.status}: {index[:300]!r}")
    pages = re.findall(r"/(sitemap-statements\.xml(?:\?p=\d+)?)<", index)
    sitemap_page = pages[len(pages) // 2]

    return {
        "event page": f"/events/{event}/",
        "source page": f"/sources/{source}/",
        "topic page": f"/topics/{topic}/",
        "actor list": "/actors/",
        "source list": "/sources/",
        "event list": "/events/",
        "feed of new statements": "/feeds/statements/",
        "API: statements": "/api/statements/",
        "API: one statement": f"/api/statements/{latest}/",
        "sitemap index": "/sitemap.xml",
        "sitemap, a page of statements": f"/{sitemap_page}",
        "topic list (the lightest page)": LIGHTEST_PAGE,
    }


def permalinks(database_url: str, count: int, *, remainder: int) -> list[str]:
    """Up to count permalinks of published statements spread over the table (their ids leave
    remainder when divided by 97): a different set for each remainder."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT id, slug FROM treaties_statement WHERE status = 'published' "
            "AND id %% 97 = %s ORDER BY id LIMIT %s",
            [remainder, count],
        ).fetchall()
    return [f"/q/{pk}/{slug or '-'}/" for pk, slug in rows]


# Serving -----------------------------------------------------------------------------------


def production_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "false",
    }


def setup_django(database_url: str, **env: str):
    """Django in this process on the benchmark's database, with the settings production
    serves with and the web's statement timeout; env adds to or overrides them."""
    os.environ.update(
        production_env(database_url),
        DJANGO_SETTINGS_MODULE="armscontrol.settings",
        ARMSCONTROL_WEB_PROCESS="true",
        **env,
    )
    import django

    django.setup()


def collect_static(env: dict[str, str]):
    """The static files as production serves them (WhiteNoise's manifest, DEBUG off)."""
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )


def gunicorn_command(port: int) -> list[str]:
    gunicorn = str(Path(PYTHON).parent / "gunicorn")
    return [gunicorn, "armscontrol.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"]


class serving:
    """A server process for the length of a with block, stopped whatever happens."""

    def __init__(self, command, env=None):
        self.command, self.env = command, env

    def __enter__(self):
        self.process = subprocess.Popen(
            self.command, cwd=BASE_DIR, env=self.env, start_new_session=True
        )
        return self.process

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"Nothing answered on port {port} within {timeout} s.")


# Measuring ---------------------------------------------------------------------------------


def time_requests(port: int, url: str, runs: int) -> tuple[list[float], int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    timings, size = [], 0
    for run in range(runs + WARM_UPS):
        started = time.perf_counter()
        conn.request("GET", url)
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}: {body[:300]!r}")
        if run >= WARM_UPS:  # the first ones warm both workers' connections and caches
            timings.append(elapsed)
        size = len(body)
    conn.close()
    return timings, size


def time_once(port: int, url: str) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    conn.request("GET", url)
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    if response.status != 200:
        raise SystemExit(f"{url} answered {response.status}: {body[:300]!r}")
    return elapsed


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def wrk(port: int, url: str, seconds: int, *options: str) -> tuple[float, int]:
    """Requests per second from wrk with 32 connections, and how many it made, for url (or
    with options such as a Lua script, which chooses the paths itself)."""
    result = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{seconds}s", *options, f"http://127.0.0.1:{port}{url}"],
        capture_output=True,
        text=True,
        check=True,
    )
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if errors:
        print(f"  ({errors.group(1)} answers were errors)")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))
    return rate, int(re.search(r"(\d+) requests in", result.stdout).group(1))


def postmaster(database_url: str) -> int | None:
    """The process id of the PostgreSQL server behind database_url, when it runs on this
    machine (its postmaster.pid is readable); None for a server elsewhere."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        (folder,) = conn.execute("SHOW data_directory").fetchone()
    try:
        return int((Path(folder) / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def cpu_ticks(*parents: int | None) -> list[int] | None:
    """CPU ticks used so far by each parent process and its children: gunicorn's master and
    its workers, PostgreSQL's postmaster and its backends. A child that has ended counts in
    its parent's (cutime and cstime, once reaped), so a database connection closed during a
    run loses nothing. None where /proc cannot tell (not Linux), 0 for a parent not here."""
    if not Path("/proc/self/stat").exists():
        return None
    ticks = [0] * len(parents)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        # After the name in parentheses, proc(5)'s fields from the 3rd: the parent's id is
        # the 4th, utime, stime, cutime and cstime the 14th to 17th.
        fields = text.rsplit(")", 1)[1].split()
        pid, parent = int(stat.parent.name), int(fields[1])
        utime, stime, cutime, cstime = (int(field) for field in fields[11:15])
        for n, wanted in enumerate(parents):
            if pid == wanted:
                ticks[n] += utime + stime + cutime + cstime
            elif parent == wanted:
                ticks[n] += utime + stime
    return ticks


def per_request(before: list[int], after: list[int], requests: int) -> str:
    """The CPU milliseconds a request cost the app and the database, between two
    cpu_ticks()."""
    app, database = (
        (b - a) * 1000 / os.sysconf("SC_CLK_TCK") / max(requests, 1)
        for a, b in zip(before, after, strict=True)
    )
    return f"{'':18}{app:5.1f} {database:8.1f}"


def wrk_many(port: int, urls: list[str], seconds: int) -> tuple[float, int]:
    """wrk requesting urls in turn (a Lua script), so that no one of them stays warm."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        paths = ", ".join(f'"{url}"' for url in urls)
        # Each of wrk's two threads has its own Lua state: one takes the odd paths, the other
        # the even ones, so that no path is asked for twice at once.
        script.write(
            "local threads = 0\n"
            "function setup(thread)\n  thread:set('first', threads)\n"
            "  threads = threads + 1\nend\n"
            f"local paths = {{{paths}}}\nlocal i\n"
            "function init(args)\n  i = first\nend\n"
            "request = function()\n  i = i + 2\n"
            "  return wrk.format(nil, paths[i % #paths + 1])\nend\n"
        )
        script.flush()
        return wrk(port, "", seconds, "-s", script.name)


def compare_with_static(app_port: int, page_url: str, seconds: int):
    """nginx with the repository's configuration in front of gunicorn: a cached page against
    a static file of the same size from the same nginx."""
    conf = (BASE_DIR / "deploy" / "nginx.conf").read_text()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        root.chmod(0o755)
        (root / "cache").mkdir(mode=0o777)
        body = http_get(app_port, page_url)
        (root / "static.html").write_bytes(body)
        (root / "static.html").chmod(0o644)
        nginx_port, static_port = free_port(), free_port()
        replacements = {
            "pid /tmp/nginx.pid;": f"pid {root}/nginx.pid;",
            "/var/cache/nginx/armscontrol": f"{root}/cache",
            "server web:8000;": f"server 127.0.0.1:{app_port};",
            "listen 80 default_server;": f"listen 127.0.0.1:{nginx_port};",
            "    # X-Forwarded-Proto as sent": (
                f"    server {{ listen 127.0.0.1:{static_port}; root {root}; }}\n\n"
                "    # X-Forwarded-Proto as sent"
            ),
        }
        for old, new in replacements.items():
            if old not in conf:
                raise SystemExit(f"deploy/nginx.conf has changed: no {old!r} to replace.")
            conf = conf.replace(old, new)
        (root / "nginx.conf").write_text(conf)
        command = ["nginx", "-c", f"{root}/nginx.conf", "-g", "daemon off;"]
        with serving(command):
            wait_for(nginx_port)
            wait_for(static_port)
            http_get(nginx_port, page_url)  # fills the cache
            cached, _ = wrk(nginx_port, page_url, seconds)
            static, _ = wrk(static_port, "/static.html", seconds)
    print(f"\nnginx, 32 clients, {seconds} s, a {len(body) / 1024:.0f} KiB page:")
    print(f"{'home page from the proxy cache':34} {cached:8.0f} requests/s")
    print(f"{'a static file of the same size':34} {static:8.0f} requests/s")
    print(f"{'ratio (goal: at least 50%)':34} {cached / static:8.0%}")


def http_get(port: int, url: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", url)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"{url} answered {response.status} on port {port}.")
    return body


if __name__ == "__main__":
    main()
