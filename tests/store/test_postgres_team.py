"""PostgreSQL under a team's load and a server crash: no lost update, every conflict reported, nothing lost.

* 20 reviewers correct overlapping claims at the same time for a minute (``TAWTHIQ_CONCURRENCY_SECONDS``, default 60);
  every correction either lands on the version its reviewer saw or is refused with the other reviewer's change.
* The server is stopped with ``pg_ctl stop -m immediate`` (as a crash) in the middle of an ingest, restarted, and the
  ingest run again: the same documents and claims as an ingest that was never interrupted.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from benchmarks.synth_articles import write_corpus
from tawthiq import pipeline
from tawthiq.evidence import audit
from tawthiq.store import open_store
from tawthiq.web import decisions
from tawthiq.web.auth import Role, User, add_user
from tests.fixtures.postgres import PostgresServer, running_server
from tests.store.test_store import DEMO

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

REVIEWERS = 20
SECONDS = float(os.environ.get("TAWTHIQ_CONCURRENCY_SECONDS", "60"))


def _review(url: str, user: User, claims: list[int], until: float, seed: int, log: list[tuple[str, int, int, int]],
            errors: list[BaseException]) -> None:
    """One reviewer: read a claim's version, think, correct it; log (outcome, claim, seen, value)."""
    rng = random.Random(seed)
    try:
        with open_store(url) as store:
            n = 0
            while time.monotonic() < until:
                claim = rng.choice(claims)
                seen = int(store.conn.scalar("SELECT version FROM claims WHERE id = ?", (claim,)))
                time.sleep(rng.uniform(0, 0.02))
                n += 1
                value = seed * 1_000_000 + n  # unique to this attempt
                try:
                    with store.transaction() as conn:
                        decisions.correct(conn, claim, seen, user, {"best": str(value)})
                    log.append(("ok", claim, seen, value))
                except decisions.StaleClaim as stale:
                    assert stale.current > seen and stale.since  # says who changed it and how
                    log.append(("conflict", claim, seen, value))
    except BaseException as e:  # reported by the test, not lost in a thread
        errors.append(e)


def test_twenty_reviewers_lose_no_update(pg_server: PostgresServer, pg_template: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAWTHIQ_VAULT", str(tmp_path / "vault"))
    url = pg_server.new_database(pg_template)
    with open_store(url) as store:
        pipeline.ingest_paths(store, [DEMO])
        claims = [r[0] for r in store.query("SELECT id FROM claims WHERE best IS NOT NULL ORDER BY id LIMIT 4")]
        start = {r[0]: r[1] for r in store.query("SELECT id, version FROM claims")}
        with store.transaction() as conn:
            users = [add_user(conn, f"reviewer{i}", "long enough password", Role.ANALYST) for i in range(REVIEWERS)]
        entries_before = int(store.conn.scalar("SELECT count(*) FROM audit_log"))
    log: list[tuple[str, int, int, int]] = []
    errors: list[BaseException] = []
    until = time.monotonic() + SECONDS
    threads = [threading.Thread(target=_review, args=(url, u, claims, until, i + 1, log, errors))
               for i, u in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=SECONDS + 120)
    assert not errors, errors[0]
    outcomes = Counter(entry[0] for entry in log)
    assert outcomes["ok"] > 20 and outcomes["conflict"] > 0, outcomes  # they did overlap
    landed: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for outcome, claim, seen, value in log:
        if outcome == "ok":
            landed[claim].append((seen, value))
    with open_store(url) as store:
        for claim in claims:
            versions = sorted(seen for seen, _ in landed[claim])
            # each landed correction moved the claim on from a distinct version: none overwrote another unseen
            assert versions == list(range(start[claim], start[claim] + len(versions)))
            final = store.query("SELECT version, best FROM claims WHERE id = ?", (claim,))[0]
            assert final[0] == start[claim] + len(versions)
            assert final[1] == max(landed[claim])[1]  # the last one to land is what the record says
        recorded = int(store.conn.scalar("SELECT count(*) FROM review_decisions WHERE action = 'correct'"))
        assert recorded == outcomes["ok"]
        entries = int(store.conn.scalar("SELECT count(*) FROM audit_log")) - entries_before
        assert entries == outcomes["ok"]  # one audit entry per decision, none for a refused one
        report = audit.verify(store.conn)
        assert report.ok, report.broken


def _ingest(url: str, folder: Path, vault: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TAWTHIQ_DATABASE_URL": url, "TAWTHIQ_VAULT": str(vault)}
    return subprocess.Popen([sys.executable, "-m", "tawthiq", "ingest", str(folder)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _claims_by_document(url: str) -> dict[str, int]:
    with open_store(url) as store:
        rows = store.query("SELECT d.sha256, count(c.id) FROM documents d LEFT JOIN claims c "
                           "ON c.document_id = d.id GROUP BY d.sha256")
    return {sha: int(n) for sha, n in rows}


def test_a_server_crash_mid_ingest_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write_corpus(folder, 300, seed=5)
    with running_server(port=55433) as server:
        server.admin("CREATE DATABASE crashed")
        url = server.url("crashed")
        process = _ingest(url, folder, tmp_path / "vault")
        deadline = time.monotonic() + 300
        done = 0
        while done < 30 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.3)
            try:
                with open_store(url, create=False) as store:
                    done = int(store.conn.scalar("SELECT count(*) FROM documents"))
            except Exception:  # the schema may not be there yet
                done = 0
        assert process.poll() is None, "the ingest finished before the crash: give it more articles"
        server.stop("immediate")
        _, stderr = process.communicate(timeout=120)
        assert process.returncode != 0
        assert b"Traceback" not in stderr and b"error:" in stderr  # one clear line, no stack trace
        server.start()
        rerun = _ingest(url, folder, tmp_path / "vault")
        _, stderr = rerun.communicate(timeout=600)
        assert rerun.returncode == 0, stderr
        crashed = _claims_by_document(url)
    clean = tmp_path / "clean.db"
    reference = _ingest(str(clean), folder, tmp_path / "clean-vault")
    _, stderr = reference.communicate(timeout=600)
    assert reference.returncode == 0, stderr
    assert len(crashed) > 250 and crashed == _claims_by_document(str(clean))  # nothing lost, nothing twice
