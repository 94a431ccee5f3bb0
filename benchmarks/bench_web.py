"""Load benchmark of the web application: the incident list and incident pages with 100,000 claims in the store.

Builds a synthetic store (documents, claims with evidence spans, incidents of ~50 claims each; made-up text, no
corpus sentences), starts `uvicorn` on a loopback port in a separate process, logs in, then runs concurrent clients
(httpx, asyncio) against each endpoint for a fixed time and prints p50 / p95 / p99 latency, throughput and errors.
Target (issue 5): p95 < 100 ms and no errors with 50 concurrent clients.

Each endpoint is measured three times: as the server starts (the page cache empty: every incident page is rendered
on its first request), after every page has been served once (the cache warm, as on a server in use), and warm
while an analyst confirms claims (``--writes`` decisions a second, each on a claim of a random incident: every
decision moves the store's epoch, so each page is checked against the store again, and the decided incident's page
is rendered again). With one worker, the server prints its page cache's counters for the whole run as it stops
(served as kept / rows read again and unchanged / rendered).

    .venv/bin/python benchmarks/bench_web.py                      # 100,000 claims, 50 clients, 15 s per endpoint
    .venv/bin/python benchmarks/bench_web.py --claims 20000 --seconds 5 --clients 20
    .venv/bin/python benchmarks/bench_web.py --workers 2 --store /tmp/bench.db   # keep the store for the next run
    .venv/bin/python benchmarks/bench_web.py --postgres           # the same on a PostgreSQL server of its own
    .venv/bin/python benchmarks/bench_web.py --restart            # pages kept in a file; restart; measure again
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tawthiq.store import open_store  # noqa: E402
from tawthiq.web.auth import Role, add_user  # noqa: E402

PASSWORD = "benchmark password"
GOVERNORATES = ["Latakia", "Tartus", "Hama", "Homs", "Idlib", "Aleppo", "Damascus", "Daraa", "As-Suwayda"]
SPEAKERS = ["Observatory A", "Network B", "Agency C", "Ministry D", "Monitor E", "Paper F", "Wire G", "Group H"]


def build_store(db: str, claims: int, per_incident: int = 50, per_document: int = 25) -> tuple[int, float]:
    """A store with ``claims`` claims; returns the number of incidents and the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(7)
    n_docs = max(1, claims // per_document)
    n_incidents = max(1, claims // per_incident)
    store = open_store(db)
    with store.transaction() as conn:
        conn.executemany("INSERT INTO sources (id, name, type) VALUES (?, ?, 'ngo')",
                         [(i + 1, name) for i, name in enumerate(SPEAKERS)])
        docs = []
        for d in range(n_docs):
            text = " ".join(f"Sentence {s} of report {d}: gunmen killed {rng.randint(2, 900)} people in "
                            f"{rng.choice(GOVERNORATES)}." for s in range(per_document))
            docs.append((d + 1, f"{d:064x}", f"synthetic/{d}.txt", "text/plain", text.encode(), text,
                         f"Report {d}", (d % len(SPEAKERS)) + 1, "2025-03-10"))
        conn.copy_rows("documents", ("id", "sha256", "path", "media_type", "original", "text", "title", "source_id",
                                     "published_at"), docs)
        rows = []
        for c in range(claims):
            d = c % n_docs
            text = docs[d][5]
            seq = c // n_docs
            sentences = text.split(". ")
            sentence = sentences[seq % len(sentences)]
            start = text.find(sentence)
            best = rng.randint(2, 2000)
            rows.append((c + 1, d + 1, seq, "casualty_count", "killed", rng.choice(["total", "civilians"]),
                         best, best, best, "exact", str(best), "2025-03-07", "2025-03-09", 2,
                         rng.choice(GOVERNORATES), rng.choice(SPEAKERS), "Violence against civilians",
                         start, start + len(sentence), sentence))
        conn.copy_rows("claims", ("id", "document_id", "seq", "kind", "outcome", "population", "low", "best", "high",
                                  "qualifier", "quantity_text", "date_start", "date_end", "date_prec", "admin1",
                                  "attributed_to", "event_type", "span_start", "span_end", "sentence"), rows)
        day = dt.date(2011, 3, 15)
        incidents = []
        for i in range(n_incidents):
            start = day + dt.timedelta(days=i * 2)
            govs = rng.sample(GOVERNORATES, 2)
            incidents.append((i + 1, f"bench-{i}", f"Killings in {', '.join(govs)} #{i}", "Violence against civilians",
                              start.isoformat(), (start + dt.timedelta(days=3)).isoformat(), 2,
                              json.dumps(govs), 3, "[]"))
        conn.executemany(
            "INSERT INTO incidents (id, key, title, event_type, date_start, date_end, date_prec, admin1,"
            " independent_sources, contradictions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", incidents)
        conn.copy_rows("incident_claims", ("incident_id", "claim_id"),
                       [((c % n_incidents) + 1, c + 1) for c in range(claims)])
        add_user(conn, "bench", PASSWORD, Role.VIEWER)
        add_user(conn, "bench-analyst", PASSWORD, Role.ANALYST)
    store.analyze()  # as `tawthiq db copy` does after its bulk load (PostgreSQL; nothing on SQLite)
    store.close()
    return n_incidents, time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _ReportAtShutdown:
    """The app, printing its page cache's counters as the server shuts down (uvicorn ends the process by the signal
    that stopped it, so no ``atexit`` or ``finally`` runs): hits were served as kept, checked had their rows read
    again and unchanged, rendered were new or changed."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def reporting(message: Any) -> None:
            if message["type"] == "lifespan.shutdown.complete":
                print(f"server page cache over the whole run: {self.app.state.web.page_cache.counts}", flush=True)
            await send(message)

        await self.app(scope, receive, reporting if scope["type"] == "lifespan" else send)


def serve(db: str, port: int, workers: int, page_cache_mb: float, page_file: str = "", warm: bool = False) -> None:
    """Run the server in this process (the benchmark starts it as a subprocess); ``page_file``: as
    ``serve --page-cache-file``; ``warm``: as ``serve --warm``."""
    import os

    import uvicorn

    from tawthiq.web import WebSettings, create_app
    from tawthiq.web.app import SETTINGS_ENV, settings_environment

    settings = WebSettings(store_path=db, secure_cookies=False, login_limit=1000, page_cache_mb=page_cache_mb,
                           shared_page_cache=Path(page_file) if page_file else None, warm=warm)  # fmt: skip
    if workers == 1:
        app = create_app(settings)
        uvicorn.run(_ReportAtShutdown(app), host="127.0.0.1", port=port, log_level="warning", access_log=False)
        return

    with tempfile.TemporaryDirectory(prefix="tawthiq-pages-") as tmp:  # as `tawthiq serve --workers N` does
        settings.shared_page_cache = settings.shared_page_cache or Path(tmp) / "pages.db"
        os.environ[SETTINGS_ENV] = settings_environment(settings)
        uvicorn.run("tawthiq.web.app:app_from_environment", factory=True, workers=workers, host="127.0.0.1",
                    port=port, log_level="warning", access_log=False, timeout_worker_healthcheck=60)


def login(base: str, name: str = "bench") -> dict[str, str]:
    with httpx.Client(base_url=base, timeout=30) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token, "no CSRF token on the login page"
        response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token.group(1)})
        if response.status_code != 303:
            raise SystemExit(f"login failed: {response.status_code}")
        return dict(client.cookies)


class _Connection:
    """One keep-alive HTTP/1.1 connection speaking just enough of the protocol for GET requests to our server.

    The load generator runs on the same machine as the server: httpx costs ~2-3 ms of CPU per request, more than
    the server's cached pages, so a lean client keeps the figures about the server."""

    def __init__(self, port: int, cookies: dict[str, str]) -> None:
        self.port = port
        self.head = (f"Host: 127.0.0.1:{port}\r\nAccept: text/html\r\n"
                     f"Cookie: {'; '.join(f'{k}={v}' for k, v in cookies.items())}\r\n\r\n").encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, int]:
        """(status, body length) of ``GET path``."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\n".encode() + self.head)
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = re.search(rb"\r\ncontent-length:\s*(\d+)", head, re.IGNORECASE)
        if length is None:
            raise ConnectionError(f"{path}: no Content-Length in the response")
        body = await self.reader.readexactly(int(length.group(1)))
        return int(head[9:12]), len(body)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


async def hammer(port: int, cookies: dict[str, str], paths: list[str], clients: int, seconds: float
                 ) -> tuple[list[float], int, int]:
    """``clients`` concurrent clients (one keep-alive connection each) requesting random ``paths`` for
    ``seconds``: latencies (ms), errors, largest body (bytes)."""
    latencies: list[float] = []
    errors = 0
    size = 0
    deadline = time.perf_counter() + seconds

    async def worker(seed: int) -> None:
        nonlocal errors, size
        rng = random.Random(seed)
        connection = _Connection(port, cookies)
        while time.perf_counter() < deadline:
            path = rng.choice(paths)
            started = time.perf_counter()
            try:
                status, length = await asyncio.wait_for(connection.get(path), 30)
                ok = status == 200
                size = max(size, length)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                ok = False
                await connection.close()
            latencies.append((time.perf_counter() - started) * 1000)
            errors += 0 if ok else 1
        await connection.close()

    await asyncio.gather(*(worker(i) for i in range(clients)))
    return latencies, errors, size


def report(name: str, latencies: list[float], errors: int, size: int, seconds: float) -> None:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    print(f"{name:<26} n={len(latencies):>6}  {len(latencies) / seconds:7.1f} req/s  p50={cuts[49]:6.1f} ms  "
          f"p95={cuts[94]:6.1f} ms  p99={cuts[98]:6.1f} ms  errors={errors}  largest page={size / 1024:.0f} KiB")


PAGES = {
    "incident list (page 1-20)": lambda n: [f"/incidents?page={p}" for p in range(1, 21)],
    "incident page": lambda n: [f"/incidents/{i}" for i in range(1, n + 1)],
    "incident list, filtered": lambda n: ["/incidents?admin1=Latakia&from=2012-01-01&to=2014-12-31"],
}


def warm_up(base: str, cookies: dict[str, str], paths: list[str], clients: int) -> float:
    """Request every path once (``clients`` at a time); returns the seconds it took."""
    started = time.perf_counter()

    async def run() -> None:
        queue = list(paths)
        async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=60) as client:
            async def worker() -> None:
                while queue:
                    await client.get(queue.pop())

            await asyncio.gather(*(worker() for _ in range(clients)))

    asyncio.run(run())
    return time.perf_counter() - started


async def review(base: str, cookies: dict[str, str], claims: list[int], rate: float, seconds: float
                 ) -> tuple[int, int]:
    """Confirm ``claims`` one after another, ``rate`` a second, for ``seconds``: (decisions taken, errors)."""
    done = errors = 0
    deadline = time.perf_counter() + seconds
    async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=60) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get("/incidents")).text)
        assert token, "no CSRF token on the incident list"
        for claim in claims:
            if time.perf_counter() >= deadline:
                break
            started = time.perf_counter()
            response = await client.post(f"/claims/{claim}/decide", data={
                "csrf_token": token.group(1), "version": "1", "action": "confirm", "next": "/review"})
            done, errors = done + 1, errors + (response.status_code != 303)
            await asyncio.sleep(max(0.0, 1 / rate - (time.perf_counter() - started)))
    return done, errors


def pending_claims(db: str, n: int) -> list[int]:
    """``n`` claims no one has decided on, in random order (so their incidents are random)."""
    with open_store(db) as store:
        ids = [int(r[0]) for r in store.query(
            "SELECT id FROM claims c WHERE version = 1 AND NOT EXISTS"
            " (SELECT 1 FROM review_decisions r WHERE r.claim_id = c.id)")]
    random.Random(11).shuffle(ids)
    return ids[:n]


async def _while_writing(reads: Coroutine[Any, Any, tuple[list[float], int, int]],
                         writes: Coroutine[Any, Any, tuple[int, int]]
                         ) -> tuple[tuple[list[float], int, int], tuple[int, int]]:
    return await asyncio.gather(reads, writes)


def measure_round(port: int, cookies: dict[str, str], n_incidents: int, args: argparse.Namespace,
                  writer: tuple[str, dict[str, str], list[int]] | None = None) -> None:
    for name, paths in PAGES.items():
        if writer is None:
            latencies, errors, size = asyncio.run(hammer(port, cookies, paths(n_incidents), args.clients,
                                                         args.seconds))
            report(name, latencies, errors, size, args.seconds)
            continue
        (latencies, errors, size), (decided, refused) = asyncio.run(_while_writing(
            hammer(port, cookies, paths(n_incidents), args.clients, args.seconds),
            review(writer[0], writer[1], writer[2], args.writes, args.seconds)))
        del writer[2][:decided]
        report(name, latencies, errors, size, args.seconds)
        print(f"{'':<26} while {decided} decisions were taken ({refused} refused)")


def start_server(db: str, args: argparse.Namespace, page_file: str) -> tuple[subprocess.Popen[bytes], int]:
    """The server in a process of its own, once it answers; (process, port)."""
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, __file__, "--serve", db, str(port), str(args.workers),
                               str(args.page_cache_mb), page_file, str(int(args.warm))], cwd=ROOT)  # fmt: skip
    while time.perf_counter() - started < (1800 if args.warm else 60):  # --warm renders every page first
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    if args.warm:
        print(f"server answering after {time.perf_counter() - started:.0f} s (serve --warm)")
    return server, port


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(timeout=30)


def run_benchmark(db: str, n_incidents: int, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        page_file = str(Path(tmp) / "pages.db") if args.restart else ""
        server, port = start_server(db, args, page_file)
        base = f"http://127.0.0.1:{port}"
        try:
            cookies = login(base)
            workers = f"{args.workers} uvicorn worker{'s' if args.workers > 1 else ''}"
            kept = ", pages kept in a file (serve --page-cache-file)" if args.restart else ""
            print(f"{args.clients} concurrent clients, {args.seconds:.0f} s per endpoint, loopback, {workers}{kept}")
            print("as started (every incident page rendered before answering):" if args.warm
                  else "as started (empty page cache):")
            measure_round(port, cookies, n_incidents, args)
            if args.no_warm:
                return
            every = [p for paths in PAGES.values() for p in paths(n_incidents)]
            took = warm_up(base, cookies, every, args.clients)
            print(f"after every page was served once ({len(every):,} pages in {took:.0f} s):")
            measure_round(port, cookies, n_incidents, args)
            if args.writes > 0:
                claims = pending_claims(db, int(args.writes * args.seconds * len(PAGES)) + 10)
                print(f"the same, while an analyst confirms {args.writes:g} claims a second:")
                measure_round(port, cookies, n_incidents, args, (base, login(base, "bench-analyst"), claims))
            if args.restart:
                stop_server(server)
                server, port = start_server(db, args, page_file)
                print("restarted over the kept page file (pages served as kept when no decision was taken since; "
                      "else each checked against its rows once, not rendered):")
                measure_round(port, login(f"http://127.0.0.1:{port}"), n_incidents, args)
        finally:
            stop_server(server)


def prepare(db: str, args: argparse.Namespace, reuse: bool) -> int:
    """Build the synthetic store at ``db`` (or reuse it); returns the number of incidents."""
    if reuse:
        with open_store(db) as store:
            n_incidents = int(store.query("SELECT count(*) FROM incidents")[0][0])
        print(f"store: {db} (reused), {n_incidents:,} incidents")
        return n_incidents
    n_incidents, took = build_store(db, args.claims)
    print(f"store: {args.claims:,} claims, {n_incidents:,} incidents, built in {took:.1f} s")
    return n_incidents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--writes", type=float, default=5.0,
                        help="review decisions a second in the third round (0: no third round)")
    parser.add_argument("--store", type=Path, help="keep the synthetic store here and reuse it on the next run")
    parser.add_argument("--postgres", action="store_true",
                        help="run on a PostgreSQL server of its own (tests/fixtures/postgres.py), not a SQLite file")
    parser.add_argument("--no-warm", action="store_true", help="skip the rounds after every page was served")
    parser.add_argument("--page-cache-mb", type=float, default=64.0,
                        help="page cache per worker, as serve --page-cache-mb (raise it for a million claims)")
    parser.add_argument("--restart", action="store_true",
                        help="keep pages in a file (serve --page-cache-file), restart the server, measure again")
    parser.add_argument("--warm", action="store_true",
                        help="start the server with serve --warm (every incident page rendered before it answers)")
    parser.add_argument("--serve", nargs=6, metavar=("DB", "PORT", "WORKERS", "CACHE_MB", "PAGE_FILE", "WARM"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), int(args.serve[2]), float(args.serve[3]), args.serve[4],
              args.serve[5] == "1")
        return
    if args.postgres:
        from tests.fixtures.postgres import running_server

        with running_server(port=55433) as pg:
            db = pg.new_database()
            print("engine: PostgreSQL (a server of its own, Unix socket)")
            run_benchmark(db, prepare(db, args, reuse=False), args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or Path(tmp) / "bench.db"
        print("engine: SQLite")
        run_benchmark(str(path), prepare(str(path), args, path.exists()), args)


if __name__ == "__main__":
    main()
