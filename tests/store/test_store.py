"""The store's contract, on SQLite and on PostgreSQL alike: schema, queries, transactions, records, guards, search."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tawthiq import pipeline
from tawthiq.errors import ConflictError, ConstraintError, StoreError
from tawthiq.evidence import audit
from tawthiq.store import Store, open_store, records
from tawthiq.store.connection import compile_sql, json_item_pattern
from tawthiq.store.database import HEAD, MIGRATIONS, alembic_config
from tawthiq.store.dialects import MARK_TABLE
from tawthiq.store.tables import metadata
from tawthiq.web import decisions
from tawthiq.web.auth import Role, add_user
from tawthiq.web.search import search

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "tawthiq" / "data" / "demo"


def test_the_head_revision_is_alembics() -> None:
    config = alembic_config(None)  # type: ignore[arg-type]
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD
    assert (MIGRATIONS / "versions").is_dir()


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_a_new_store_is_at_head_and_has_exactly_the_schema(engine_store: Store) -> None:
    assert engine_store.revision() == HEAD
    migration = MigrationContext.configure(engine_store.conn.sa)
    diffs = [d for d in compare_metadata(migration, metadata) if not _engine_own(d)]
    assert diffs == []
    names = set(sqlalchemy.inspect(engine_store.conn.sa).get_table_names())
    assert set(metadata.tables) <= names


def _engine_own(diff: object) -> bool:
    """A difference that is the engine's own part of the schema (search tables, expression indexes, versions, the
    change marks)."""
    if isinstance(diff, list):
        return all(_engine_own(d) for d in diff)
    assert isinstance(diff, tuple)
    kind, what = diff[0], diff[1]
    if kind in ("add_index", "remove_index"):
        return True
    name = getattr(what, "name", "")
    return kind == "remove_table" and (name.startswith("search_") or name == "alembic_version"
                                       or name in MARK_TABLE.values())


def test_placeholders_inside_literals_stay_text(engine_store: Store) -> None:
    row = engine_store.conn.execute("SELECT 'a?b:c' AS t, ? AS v, '10:30' AS clock", (7,)).fetchone()
    assert row is not None and (row["t"], row["v"], row["clock"]) == ("a?b:c", 7, "10:30")
    assert tuple(row) == ("a?b:c", 7, "10:30") and row[1] == 7 and dict(row)["t"] == "a?b:c"
    assert compile_sql("SELECT ? , ?")[1] == 2
    with pytest.raises(StoreError, match="2 placeholders but 1"):
        engine_store.conn.execute("SELECT ?, ?", (1,))


def test_named_values_may_outnumber_the_placeholders_but_not_mix_with_positions(engine_store: Store) -> None:
    conn = engine_store.conn
    assert conn.scalar("SELECT 1 + 1", {"kind": None}) == 2  # optional clauses left out of the query
    assert conn.scalar("SELECT :a * 10 + 1", {"a": 4, "unused": 9}) == 41
    with pytest.raises(StoreError, match="named values"):
        conn.execute("SELECT ?", {"a": 1})
    with pytest.raises(StoreError, match="by position"):
        conn.execute("SELECT :a", (1,))


def test_a_failed_transaction_leaves_nothing(engine_store: Store) -> None:
    with pytest.raises(RuntimeError), engine_store.transaction() as conn:
        conn.execute("INSERT INTO sources (name) VALUES (?)", ("Kept nowhere",))
        raise RuntimeError("stop half-way")
    assert engine_store.conn.scalar("SELECT count(*) FROM sources") == 0
    with engine_store.transaction() as conn:
        conn.execute("INSERT INTO sources (name) VALUES (?)", ("Kept",))
    with pytest.raises(ConstraintError), engine_store.transaction() as conn:
        conn.execute("INSERT INTO sources (name) VALUES (?)", ("Other",))
        conn.execute("INSERT INTO sources (name) VALUES (?)", ("Kept",))  # duplicate name
    assert [r[0] for r in engine_store.query("SELECT name FROM sources")] == ["Kept"]


def test_the_audit_log_and_custody_are_append_only(engine_store: Store) -> None:
    with engine_store.transaction() as conn:
        audit.record_event(conn, "test", "subject", {"n": 1})
        audit.record_event(conn, "test", "subject", {"n": 2})
    for sql in ("UPDATE audit_log SET subject = 'x' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 2"):
        with pytest.raises(StoreError, match="append-only"):
            engine_store.conn.execute(sql)
    assert audit.verify(engine_store.conn).broken is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=200))
def test_text_round_trips_unchanged(engine_store: Store, text: str) -> None:
    with engine_store.transaction() as conn:
        conn.execute("DELETE FROM sources")
        conn.execute("INSERT INTO sources (name, type) VALUES (?, ?)", (text or "-", "ngo"))
    assert engine_store.conn.scalar("SELECT name FROM sources") == (text or "-")


def test_json_list_membership_is_exact(engine_store: Store) -> None:
    with engine_store.transaction() as conn:
        for key, admin1 in (("a", '["Latakia", "Tartus"]'), ("b", '["Hama"]'), ("c", '["Al_Hasakah"]')):
            conn.execute("INSERT INTO incidents (key, title, admin1) VALUES (?, ?, ?)", (key, key, admin1))
    def found(value: str) -> list[str]:
        return [r[0] for r in engine_store.query("SELECT key FROM incidents WHERE admin1 LIKE ? ESCAPE '!' "
                                                 "ORDER BY key", (json_item_pattern(value),))]
    assert found("Tartus") == ["a"] and found("Hama") == ["b"] and found("Al_Hasakah") == ["c"]
    assert found("Tar") == [] and found("AlxHasakah") == []


def test_the_pipeline_writes_the_same_record_on_both_engines(engine_store: Store, tmp_path: Path) -> None:
    result = pipeline.ingest_paths(engine_store, [DEMO])
    assert len(result.added) == 2 and not result.failed
    incidents = pipeline.regroup(engine_store)
    claims = records.load_claims(engine_store.conn)
    # The same files into a SQLite store made here: claims and incidents must be identical.
    with open_store(tmp_path / "reference.db") as reference:
        pipeline.ingest_paths(reference, [DEMO])
        reference_incidents = pipeline.regroup(reference)
        reference_claims = records.load_claims(reference.conn)
    assert len(claims) > 5
    assert [(c.document_sha256, c.sentence, c.quantity, c.date, c.place, c.attributed_to) for c in claims] == [
        (c.document_sha256, c.sentence, c.quantity, c.date, c.place, c.attributed_to) for c in reference_claims]
    assert sorted(records.incident_key(i) for i in incidents) == sorted(
        records.incident_key(i) for i in reference_incidents)
    again = pipeline.ingest_paths(engine_store, [DEMO])
    assert again.added == [] and len(again.unchanged) == 2  # re-running an import is a no-op
    assert audit.verify(engine_store.conn).broken is None


def test_search_finds_the_same_on_both_engines(engine_store: Store, tmp_path: Path) -> None:
    pipeline.ingest_paths(engine_store, [DEMO])
    with open_store(tmp_path / "reference.db") as reference:
        pipeline.ingest_paths(reference, [DEMO])
        for words in ("killed", "inquiry", "Latakia", "civilians kill", "مقتل", "NEAR AND \"quoted*"):
            mine = {k: sorted(h.title for h in v) for k, v in search(engine_store.conn, words).items()}
            theirs = {k: sorted(h.title for h in v) for k, v in search(reference.conn, words).items()}
            assert mine == theirs, words
    hits = search(engine_store.conn, "killed")
    assert hits["claim"] and all("<mark>" in str(h.snippet) for h in hits["claim"])
    payload = search(engine_store.conn, "<script>")
    assert all("<script>" not in str(h.snippet) for v in payload.values() for h in v)


def test_a_stale_review_is_refused_with_who_changed_it(engine_store: Store, store_url: str) -> None:
    pipeline.ingest_paths(engine_store, [DEMO])
    with engine_store.transaction() as conn:
        amira = add_user(conn, "amira", "long enough password", Role.ANALYST)
        sami = add_user(conn, "sami", "long enough password", Role.ANALYST)
    claim_id = int(engine_store.conn.scalar("SELECT min(id) FROM claims WHERE best IS NOT NULL"))
    seen = int(engine_store.conn.scalar("SELECT version FROM claims WHERE id = ?", (claim_id,)))
    with open_store(store_url) as other:  # a second reviewer, on a connection of their own
        with other.transaction() as conn:
            decisions.correct(conn, claim_id, seen, sami, {"best": "999"})
        with pytest.raises(ConflictError, match="changed by sami") as caught, engine_store.transaction() as conn:
            decisions.correct(conn, claim_id, seen, amira, {"best": "5"})
        assert isinstance(caught.value, decisions.StaleClaim) and caught.value.since[0].user_name == "sami"
    assert engine_store.conn.scalar("SELECT best FROM claims WHERE id = ?", (claim_id,)) == 999
    assert engine_store.conn.scalar("SELECT count(*) FROM audit_log WHERE action = 'review.correct'") == 1


def test_names_of_accounts_are_unique_regardless_of_case(engine_store: Store) -> None:
    with engine_store.transaction() as conn:
        add_user(conn, "Amira", "long enough password", Role.VIEWER)
    with pytest.raises(StoreError, match="already exists"), engine_store.transaction() as conn:
        add_user(conn, "amira", "long enough password", Role.VIEWER)


def test_an_unknown_database_is_refused_in_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match=r"junk.db: .*(not a database|not a Tawthiq store)"):
        open_store(junk)
    with pytest.raises(StoreError, match="unsupported database engine"):
        open_store("mysql://someone@host/db")
    other = tmp_path / "other.db"
    engine = sqlalchemy.create_engine(f"sqlite:///{other}")
    with engine.begin() as c:
        c.exec_driver_sql("CREATE TABLE something (x)")
    engine.dispose()
    with pytest.raises(StoreError, match="not a Tawthiq store"):
        open_store(other)


def test_a_vault_is_required_for_a_server_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tawthiq.store.database import vault_folder

    monkeypatch.delenv("TAWTHIQ_VAULT", raising=False)
    assert vault_folder(tmp_path / "x.db") == Path(str(tmp_path / "x.db") + ".evidence")
    with pytest.raises(StoreError, match="TAWTHIQ_VAULT"):
        vault_folder("postgresql://someone@host/db")
    monkeypatch.setenv("TAWTHIQ_VAULT", str(tmp_path / "v"))
    assert vault_folder("postgresql://someone@host/db") == tmp_path / "v"


def copy_fixture(tmp_path: Path) -> Path:
    """The store made by the last release before the migrations (and its vault), copied to write into."""
    source = REPO / "tests" / "fixtures" / "store" / "legacy-0320.db"
    target = tmp_path / "old.db"
    shutil.copy(source, target)
    shutil.copytree(Path(str(source) + ".evidence"), Path(str(target) + ".evidence"))
    return target
