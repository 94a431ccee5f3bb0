"""Commands of the evidence layer: the vault, the audit log, witnesses, exports, backup and restore.

Every command that changes the record ends with a seal of every table in the audit log, so that `tawthiq audit verify`
can tell a recorded change from an edit made behind Tawthiq's back.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from tawthiq.cli.app import Context, main, reports_errors
from tawthiq.errors import EvidenceError, ProtectionError
from tawthiq.evidence import audit, exports, media, protect, verification
from tawthiq.evidence import backup as backups
from tawthiq.evidence.vault import Custody, read_original, store_original, vault_root, verify_vault
from tawthiq.store import Store, open_store


def _key(obj: Context) -> protect.Key:
    """The key from the environment, refused when it lies inside the store or its vault."""
    path = os.environ.get(protect.KEY_FILE_ENV)
    if path:
        resolved = Path(path).resolve()
        vault = vault_root(obj.db).resolve()
        if resolved == obj.db_path.resolve() or resolved == vault or vault in resolved.parents:
            raise ProtectionError(f"{protect.KEY_FILE_ENV}={path}: the key must be kept outside the store and its "
                                  "vault (a seized or copied store would carry its own key)")
    return protect.load_key()


def _seal(store: Store, note: str) -> None:
    with store.transaction() as conn:
        audit.seal(conn, note)


@main.group()
def evidence() -> None:
    """Originals in a content-addressed vault, with custody, metadata and verification.

    \b
    Example:
      tawthiq evidence add clip.mp4 --collected-by "A. Analyst" --source-url https://t.me/x/123 --tool "yt-dlp 2025.1"
    """


def _custody(collected_by: str, source_url: str, device: str, tool: str, collected_at: str | None,
             note: str) -> Custody:
    when = verification.parse_utc(collected_at, "--collected-at") if collected_at else None
    return Custody(collected_by, tool, source_url, device, when, "collected", note)


@evidence.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--collected-by", required=True, help="Who collected it.")
@click.option("--source-url", default="", help="Where it was collected from (a URL) ...")
@click.option("--device", default="", help="... or the device it came from (e.g. 'witness phone, handed over').")
@click.option("--tool", default="manual download", show_default=True, help="With what tool (name and version).")
@click.option("--collected-at", help="When, with a zone (2025-03-08T14:05:00Z); default now.")
@click.option("--note", default="", help="Anything the next custodian should know.")
@click.pass_obj
@reports_errors
def evidence_add(obj: Context, files: tuple[Path, ...], collected_by: str, source_url: str, device: str, tool: str,
                 collected_at: str | None, note: str) -> None:
    """Store originals in the vault with their custody; read image/video metadata; report near duplicates.

    \b
    Example:
      tawthiq evidence add photo.jpg --collected-by "A. Analyst" --source-url https://x.com/a/status/1 --tool "browser"
    """
    custody = _custody(collected_by, source_url, device, tool, collected_at, note)
    root = vault_root(obj.db)
    failed = 0
    with open_store(obj.db) as store:
        for path in files:
            try:
                _add_one(store, root, path, custody)
            except (EvidenceError, OSError) as e:
                failed += 1
                click.echo(f"error: {path}: {getattr(e, 'message', None) or e}", err=True)
        _seal(store, "evidence add")
    if failed:
        sys.exit(1)


def _add_one(store: Store, root: Path, path: Path, custody: Custody) -> None:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise EvidenceError(f"cannot read the file ({e.strerror})") from e
    if not data:
        raise EvidenceError("the file is empty")
    with store.transaction() as conn:
        stored = store_original(conn, root, data, custody, original_name=path.name)
    if stored.new_item:
        info = media.analyse(stored.path)
        with store.transaction() as conn:
            conn.execute("UPDATE evidence_items SET media_type = ?, kind = ? WHERE sha256 = ?",
                         (info.media_type, info.kind, stored.sha256))
            if info.kind in ("image", "video"):
                media.save(conn, stored.sha256, info)
            audit.record_event(conn, "media.analyse", stored.sha256, {
                "kind": info.kind, "media_type": info.media_type, "extractor": info.extractor,
                "phash": [h.phash for h in info.hashes]})
    row = store.query("SELECT kind, media_type FROM evidence_items WHERE sha256 = ?", (stored.sha256,))[0]
    dupes = media.near_duplicates(store.conn, stored.sha256)
    state = "stored" if stored.new_item else ("new custody for" if stored.new_custody else "unchanged")
    click.echo(f"{state} {path}: {stored.sha256} ({row['kind']}, {row['media_type']})")
    for d in dupes:
        click.echo(f"  near duplicate of {d.sha256} (distance {d.distance} bits, {d.matched:.0%} of frames)")


@evidence.command("verify")
@click.option("--export", "export_dir", type=click.Path(path_type=Path), help="Check an evidentiary export folder.")
@click.pass_obj
@reports_errors
def evidence_verify(obj: Context, export_dir: Path | None) -> None:
    """Check every original against its hash, the audit chain and the seal (or an evidentiary export's manifest).

    \b
    Examples:
      tawthiq evidence verify
      tawthiq evidence verify --export case-2025-03/
    """
    if export_dir is not None:
        conn_store = open_store(obj.db) if obj.store_exists() else None
        try:
            problems = exports.verify_export(export_dir, conn_store.conn if conn_store else None)
        finally:
            if conn_store:
                conn_store.close()
        _finish([str(p) for p in problems], f"export {export_dir}: every file matches its manifest")
        return
    with open_store(obj.db) as store:
        problems = verify_vault(store.conn, vault_root(obj.db))
        for p in problems:
            if not p.severe:
                click.echo(f"note: {p}")
        severe = [str(p) for p in problems if p.severe] + _audit_problems(store)
        count = store.query("SELECT count(*) FROM evidence_items")[0][0]
    _finish(severe, f"{count} originals match their hashes; audit chain and seal intact")


def _audit_problems(store: Store, expect: tuple[int, str] | None = None) -> list[str]:
    chain = audit.verify(store.conn, expect)
    if not chain.ok:
        return [str(chain.broken)]
    seal = audit.check_seal(store.conn)
    if seal.broken:
        return [seal.broken]
    if seal.changes and seal.entries_after == 0:
        return [f"{c} (no audit entry records it)" for c in seal.changes]
    for c in seal.changes[:20]:
        click.echo(f"note: {c}; recorded in audit entries after seal {seal.seal_seq}, not yet sealed")
    return []


def _finish(problems: list[str], ok: str) -> None:
    for p in problems:
        click.echo(f"error: {p}", err=True)
    if problems:
        sys.exit(1)
    click.echo(ok)


@evidence.command("step")
@click.argument("sha256")
@click.option("--step", "name", required=True, type=click.Choice(verification.STEPS))
@click.option("--analyst", required=True)
@click.option("--finding", required=True, help="What was found.")
@click.option("--conclusion", required=True, type=click.Choice(verification.CONCLUSIONS))
@click.option("--method", default="", help="How (tools, reference imagery, sources consulted).")
@click.option("--lat", type=float)
@click.option("--lon", type=float)
@click.option("--precision-m", type=float, help="Radius in metres within which the place is certain.")
@click.option("--not-before", help="Chronolocation: earliest time, with a zone.")
@click.option("--not-after", help="Chronolocation: latest time, with a zone.")
@click.pass_obj
@reports_errors
def evidence_step(obj: Context, sha256: str, name: str, analyst: str, finding: str, conclusion: str, method: str,
                  lat: float | None, lon: float | None, precision_m: float | None, not_before: str | None,
                  not_after: str | None) -> None:
    """Record a Berkeley Protocol verification step for an item.

    \b
    Example:
      tawthiq evidence step 3f9a... --step geolocation --analyst "B. Analyst" --finding "minaret and bridge match" \\
        --conclusion consistent --lat 35.3614 --lon 35.9256 --precision-m 50 --method "satellite imagery"
    """
    step = verification.Step(name, analyst, finding, conclusion, method, latitude=lat, longitude=lon,
                             precision_m=precision_m, not_before=not_before, not_after=not_after)
    with open_store(obj.db) as store:
        with store.transaction() as conn:
            verification.add_step(conn, sha256, step)
            summary = verification.summary(conn, sha256)
        _seal(store, "verification step")
    click.echo(json.dumps(summary, ensure_ascii=False))


@evidence.command("show")
@click.argument("sha256")
@click.pass_obj
@reports_errors
def evidence_show(obj: Context, sha256: str) -> None:
    """Show an item's custody trail, metadata summary, verification and near duplicates as JSON.

    \b
    Example:
      tawthiq evidence show 3f9a...
    """
    with open_store(obj.db) as store:
        read_original(vault_root(obj.db), sha256)  # refuses a missing or altered original
        record = exports.item_record(store.conn, sha256)
        record.pop("metadata", None)
        record["verification_summary"] = verification.summary(store.conn, sha256)
        record["near_duplicates"] = [vars_of(d) for d in media.near_duplicates(store.conn, sha256)]
    click.echo(json.dumps(record, ensure_ascii=False, indent=1))


def vars_of(d: media.NearDuplicate) -> dict[str, object]:
    return {"sha256": d.sha256, "distance": d.distance, "matched": d.matched}


@evidence.command("export")
@click.option("--public", "kind", flag_value="public", help="A redacted, aggregated JSON file.")
@click.option("--evidentiary", "kind", flag_value="evidentiary", help="A folder of originals with a manifest.")
@click.option("--out", required=True, type=click.Path(path_type=Path))
@click.option("--by", "by", default="", help="Who makes the export (required for --evidentiary).")
@click.option("--min-cell", default=exports.DEFAULT_MIN_CELL, show_default=True, help="Smallest count published.")
@click.option("--item", "items", multiple=True, help="Only this item (sha256); repeatable. Default all.")
@click.option("--testimony", "testimonies", multiple=True, help="Include this witness's testimonies (pseudonym).")
@click.option("--with-identities", is_flag=True, help="Evidentiary only: include identities (court consent).")
@click.option("--overwrite", is_flag=True)
@click.pass_obj
@reports_errors
def evidence_export(obj: Context, kind: str | None, out: Path, by: str, min_cell: int, items: tuple[str, ...],
                    testimonies: tuple[str, ...], with_identities: bool, overwrite: bool) -> None:
    """Write a public export or an evidentiary export; refuse what consent does not cover.

    \b
    Examples:
      tawthiq evidence export --public --out public.json --min-cell 5
      tawthiq evidence export --evidentiary --out case-2025-03/ --by "C. Custodian"
    """
    if kind is None:
        raise EvidenceError("say which export: --public or --evidentiary")
    key = _key(obj) if testimonies else None
    with open_store(obj.db) as store:
        with store.transaction() as conn:
            if kind == "public":
                if with_identities:
                    raise ProtectionError("a public export never contains identities (--with-identities refused)")
                exports.public_export(conn, out, min_cell=min_cell, testimonies_of=testimonies, key=key,
                                      overwrite=overwrite)
            else:
                exports.evidentiary_export(conn, vault_root(obj.db), out, exported_by=by,
                                           items=items or None, testimonies_of=testimonies,
                                           with_identities=with_identities, key=key)
        _seal(store, f"{kind} export")
    click.echo(f"{kind} export written to {out}")


@main.group("audit")
def audit_group() -> None:
    """The tamper-evident log of every change.

    \b
    Example:
      tawthiq audit verify
    """


@audit_group.command("verify")
@click.option("--expect-head", help="SEQ:HASH of an entry noted elsewhere (catches deleted newest entries).")
@click.pass_obj
@reports_errors
def audit_verify(obj: Context, expect_head: str | None) -> None:
    """Walk the chain and the latest seal; name the first broken entry or changed row.

    \b
    Example:
      tawthiq audit verify --expect-head 42:9c1e...
    """
    expect = None
    if expect_head:
        seq_text, _, expected_hash = expect_head.partition(":")
        if not seq_text.isdigit() or len(expected_hash) != 64:
            raise EvidenceError(f"--expect-head {expect_head!r}: give SEQ:HASH as `tawthiq audit head` prints it")
        expect = (int(seq_text), expected_hash)
    with open_store(obj.db) as store:
        problems = _audit_problems(store, expect)
        seq, digest = audit.head(store.conn)
    _finish(problems, f"audit chain intact: {seq} entries, head {seq}:{digest}")


@audit_group.command("head")
@click.pass_obj
@reports_errors
def audit_head(obj: Context) -> None:
    """Print SEQ:HASH of the newest entry, to note outside the store.

    \b
    Example:
      tawthiq audit head >> case-notes.txt
    """
    with open_store(obj.db) as store:
        seq, digest = audit.head(store.conn)
    click.echo(f"{seq}:{digest}")


@audit_group.command("seal")
@click.option("--note", default="manual seal")
@click.pass_obj
@reports_errors
def audit_seal(obj: Context, note: str) -> None:
    """Seal every table now (after changes made by other stages).

    \b
    Example:
      tawthiq audit seal --note "after review session"
    """
    with open_store(obj.db) as store, store.transaction() as conn:
        entry = audit.seal(conn, note)
    click.echo(f"sealed at entry {entry.seq}")


@audit_group.command("log")
@click.option("--last", default=20, show_default=True)
@click.pass_obj
@reports_errors
def audit_log(obj: Context, last: int) -> None:
    """Print the newest entries as JSON lines.

    \b
    Example:
      tawthiq audit log --last 5
    """
    with open_store(obj.db) as store:
        seq, _ = audit.head(store.conn)
        for e in audit.entries(store.conn, first=max(1, seq - last + 1)):
            click.echo(json.dumps(e.as_dict(), ensure_ascii=False))



@main.group()
def witness() -> None:
    """Witnesses under pseudonyms; identities and testimonies encrypted with a key kept outside the store.

    \b
    Example:
      tawthiq witness keygen --out /media/usb/tawthiq.key && export TAWTHIQ_KEY_FILE=/media/usb/tawthiq.key
    """


@witness.command("keygen")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="New key file (never overwritten).")
@reports_errors
def witness_keygen(out: Path) -> None:
    """Create a random 256-bit key file (mode 0600). Keep it away from the store and back it up separately.

    \b
    Example:
      tawthiq witness keygen --out /media/usb/tawthiq.key
    """
    key = protect.generate_key_file(out)
    click.echo(f"key {key.id} written to {out}; set {protect.KEY_FILE_ENV}={out}")


def _read_identity(source: Path) -> tuple[str, str]:
    """``{"name": ..., "contact": ...}`` from a JSON file or ``-`` (stdin): never from the command line."""
    where = "stdin" if str(source) == "-" else str(source)
    try:
        text = sys.stdin.read() if str(source) == "-" else source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ProtectionError(f"identity from {where}: cannot read it ({type(e).__name__})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ProtectionError(f"identity from {where}: not JSON (line {e.lineno}, column {e.colno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise ProtectionError(f'identity from {where}: give a JSON object with a "name" (and optional "contact")')
    contact = data.get("contact", "")
    if not isinstance(contact, str):
        raise ProtectionError(f'identity from {where}: "contact" must be a string')
    return data["name"], contact


@witness.command("add")
@click.option("--identity", "identity_file", required=True, type=click.Path(path_type=Path),
              help='JSON {"name": ..., "contact": ...} in a file, or - for stdin (never on the command line).')
@click.option("--by", "by", required=True, help="Who recorded the witness.")
@click.option("--admin1", default="", help="Governorate, for aggregated counts only.")
@click.option("--consent", "consents", multiple=True, type=click.Choice(protect.PURPOSES),
              help="A purpose the witness consented to; repeatable. storage is required.")
@click.option("--testimony", "testimony_file", type=click.Path(path_type=Path), help="Testimony text file.")
@click.option("--incident", default="", help="Incident key the testimony is about.")
@click.pass_obj
@reports_errors
def witness_add(obj: Context, identity_file: Path, by: str, admin1: str, consents: tuple[str, ...],
                testimony_file: Path | None, incident: str) -> None:
    """Record a witness (and optionally a testimony) encrypted; print only the pseudonym.

    \b
    Example:
      tawthiq witness add --identity - --by "D. Interviewer" --admin1 Latakia --consent storage --consent court \\
        --testimony t1.txt --incident 2025-03-07-baniyas < identity.json
    """
    key = _key(obj)
    name, contact = _read_identity(identity_file)
    text = _read_testimony(testimony_file) if testimony_file else None
    with open_store(obj.db) as store:
        with store.transaction() as conn:
            pseudonym = protect.add_witness(conn, key, name, recorded_by=by, contact=contact, admin1=admin1,
                                            consents={p: True for p in consents})
            if text is not None:
                protect.add_testimony(conn, key, pseudonym, text, recorded_by=by, incident_key=incident)
        _seal(store, "witness add")
    click.echo(pseudonym)


def _read_testimony(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ProtectionError(f"testimony file {path}: cannot read it as UTF-8 ({type(e).__name__})") from None


@witness.command("testimony")
@click.argument("pseudonym")
@click.option("--file", "path", required=True, type=click.Path(path_type=Path))
@click.option("--by", "by", required=True)
@click.option("--incident", default="")
@click.option("--language", default="")
@click.pass_obj
@reports_errors
def witness_testimony(obj: Context, pseudonym: str, path: Path, by: str, incident: str, language: str) -> None:
    """Add a testimony (encrypted) to a witness who consented to storage.

    \b
    Example:
      tawthiq witness testimony W-3F9A21C0 --file t2.txt --by "D. Interviewer" --incident 2025-03-07-baniyas
    """
    key = _key(obj)
    text = _read_testimony(path)
    with open_store(obj.db) as store:
        with store.transaction() as conn:
            tid = protect.add_testimony(conn, key, pseudonym, text, recorded_by=by, incident_key=incident,
                                        language=language)
        _seal(store, "testimony add")
    click.echo(f"testimony {tid} recorded for {pseudonym}")


@witness.command("consent")
@click.argument("pseudonym")
@click.option("--purpose", required=True, type=click.Choice(protect.PURPOSES))
@click.option("--grant/--withdraw", required=True, help="Withdrawing storage erases the identity and testimonies.")
@click.option("--by", "by", required=True)
@click.option("--note", default="")
@click.pass_obj
@reports_errors
def witness_consent(obj: Context, pseudonym: str, purpose: str, grant: bool, by: str, note: str) -> None:
    """Record a consent decision for one purpose (storage, publication, court).

    \b
    Example:
      tawthiq witness consent W-3F9A21C0 --purpose publication --grant --by "D. Interviewer" --note "signed form 12"
    """
    with open_store(obj.db) as store:
        with store.transaction() as conn:
            protect.set_consent(conn, pseudonym, purpose, grant, recorded_by=by, note=note)
        _seal(store, "consent")
    click.echo(f"{pseudonym}: {purpose} {'granted' if grant else 'withdrawn'}")


@witness.command("list")
@click.pass_obj
@reports_errors
def witness_list(obj: Context) -> None:
    """List witnesses by pseudonym with their consents (no key needed, nothing decrypted).

    \b
    Example:
      tawthiq witness list
    """
    with open_store(obj.db) as store:
        for pseudonym in protect.pseudonyms(store.conn):
            click.echo(json.dumps(protect.witness_summary(store.conn, pseudonym), ensure_ascii=False))


@witness.command("show")
@click.argument("pseudonym")
@click.option("--reveal", is_flag=True, help="Decrypt the identity and testimonies (needs the key; audited).")
@click.option("--by", "by", default="", help="Who reveals (required with --reveal).")
@click.option("--purpose", default="", help="Why (required with --reveal).")
@click.pass_obj
@reports_errors
def witness_show(obj: Context, pseudonym: str, reveal: bool, by: str, purpose: str) -> None:
    """Show a witness under their pseudonym; with --reveal, their identity and testimonies.

    \b
    Examples:
      tawthiq witness show W-3F9A21C0
      tawthiq witness show W-3F9A21C0 --reveal --by "D. Interviewer" --purpose "follow-up call"
    """
    with open_store(obj.db) as store:
        summary = protect.witness_summary(store.conn, pseudonym)
        if reveal:
            if not (by.strip() and purpose.strip()):
                raise ProtectionError("--reveal needs --by and --purpose (they are written to the audit log)")
            key = _key(obj)
            with store.transaction() as conn:
                ident = protect.reveal_identity(conn, key, pseudonym, by=by, purpose=purpose)
                found = protect.testimonies(conn, key, pseudonym)
            summary["identity"] = {"name": ident.name.reveal(), "contact": ident.contact.reveal()}
            summary["testimony_texts"] = [{"id": t.id, "incident_key": t.incident_key, "text": t.text.reveal()}
                                          for t in found]
            _seal(store, "witness reveal")
    click.echo(json.dumps(summary, ensure_ascii=False, indent=1))


@main.command("backup")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--overwrite", is_flag=True)
@click.pass_obj
@reports_errors
def backup_command(obj: Context, out: Path, overwrite: bool) -> None:
    """Back up the store and its vault to one tar file with a manifest of hashes (the key is not included).

    \b
    Example:
      tawthiq backup /media/usb/tawthiq-2025-03-10.tar
    """
    if not obj.is_sqlite:
        raise EvidenceError(f"{obj.db}: `tawthiq backup` writes a SQLite store and its vault",
                            hint="copy the store to a file first (tawthiq db copy --to snapshot.db) and back that up "
                                 "with TAWTHIQ_VAULT set, or use PostgreSQL's own pg_dump for the database")
    manifest = backups.backup(obj.db_path, out, overwrite=overwrite)
    head = manifest["audit_head"]
    click.echo(f"backup written to {out}: {len(manifest['files'])} files; audit head "  # type: ignore[arg-type]
               f"{head['seq']}:{head['hash']}")  # type: ignore[index]


@main.command("restore")
@click.argument("archive", type=click.Path(path_type=Path))
@click.option("--into", required=True, type=click.Path(path_type=Path), help="An empty or new folder.")
@click.pass_obj
@reports_errors
def restore_command(obj: Context, archive: Path, into: Path) -> None:
    """Restore a backup into an empty folder, checking every file, every table's content hash and the audit chain.

    \b
    Example:
      tawthiq restore /media/usb/tawthiq-2025-03-10.tar --into restored/
    """
    report = backups.restore(archive, into)
    click.echo(f"restored {report.db}: {report.tables} tables, {report.rows} rows, {report.files} files, "
               f"{report.audit_entries} audit entries; all match the backup")
