"""Witness protection: identities and testimonies encrypted at rest, pseudonyms by default, consent per purpose.

* Encryption is AES-256-GCM (``cryptography``): authenticated, so a wrong key or an altered ciphertext is an error,
  never garbage. Each ciphertext is bound to its place (the witness's pseudonym, the testimony's id) as associated
  data, so a ciphertext copied onto another row does not decrypt either.
* The key is 32 random bytes in a file named by ``TAWTHIQ_KEY_FILE`` or in ``TAWTHIQ_KEY`` (base64 or hex), outside
  the database: the database keeps only a fingerprint (``key_id``) that tells which key is needed, not the key.
* A witness is known everywhere by a random pseudonym (``W-3F9A21C0``); revealing the identity needs the key and an
  explicit call (:func:`reveal_identity`) and is itself an audit entry.
* Consent is recorded per purpose: ``storage`` (required to keep anything), ``publication`` and ``court``. Withdrawing
  storage consent erases the ciphertexts. :func:`require_consent` is what exports call before releasing anything.
* Protected values travel as :class:`~tawthiq.evidence.secret.Protected`, which prints as ``<protected>``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tawthiq.errors import ProtectionError
from tawthiq.evidence.audit import record_event, utc_now
from tawthiq.evidence.secret import Protected
from tawthiq.store.connection import Connection

KEY_FILE_ENV = "TAWTHIQ_KEY_FILE"
KEY_ENV = "TAWTHIQ_KEY"
PURPOSES = ("storage", "publication", "court")
FORMAT = b"\x01"  # ciphertext layout: version byte, 12-byte nonce, AES-GCM output
PSEUDONYM_RE = re.compile(r"^W-[0-9A-F]{8}$")
KEY_HINT = "create a key with `tawthiq witness keygen --out PATH` and set TAWTHIQ_KEY_FILE=PATH (keep it off the store)"


class Key:
    """A 256-bit key. Its bytes never appear in a repr; :attr:`id` is a fingerprint safe to store."""

    __slots__ = ("_aead", "id")

    def __init__(self, raw: bytes) -> None:
        if len(raw) != 32:
            raise ProtectionError(f"the key must be 32 bytes (256 bits), got {len(raw)}", hint=KEY_HINT)
        self._aead = AESGCM(raw)
        self.id = hmac.new(raw, b"tawthiq key id v1", hashlib.sha256).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"Key(id={self.id})"

    def encrypt(self, plaintext: bytes, bound_to: str) -> bytes:
        nonce = os.urandom(12)
        return FORMAT + nonce + self._aead.encrypt(nonce, plaintext, bound_to.encode("utf-8"))

    def decrypt(self, blob: bytes, bound_to: str, what: str) -> bytes:
        if len(blob) < 29 or blob[:1] != FORMAT:
            raise ProtectionError(f"{what}: the stored ciphertext is damaged (wrong length or format)")
        try:
            return self._aead.decrypt(blob[1:13], blob[13:], bound_to.encode("utf-8"))
        except InvalidTag as e:
            raise ProtectionError(f"{what}: authentication failed: the key is wrong, or the ciphertext was altered "
                                  "or moved to another row") from e


def generate_key_file(path: Path) -> Key:
    """Write a new random key to ``path`` (mode 0600, never overwriting); return it."""
    raw = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as e:
        raise ProtectionError(f"{path}: a file is already there; a key is never overwritten") from e
    except OSError as e:
        raise ProtectionError(f"{path}: cannot write the key ({e.strerror})") from e
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(base64.b64encode(raw).decode("ascii") + "\n")
    return Key(raw)


def _decode(text: bytes, where: str) -> bytes:
    if len(text) == 32:
        return text
    stripped = text.strip()
    for decoder in (binascii.unhexlify, base64.b64decode, base64.urlsafe_b64decode):
        try:
            raw = decoder(stripped)
        except (binascii.Error, ValueError):
            continue
        if len(raw) == 32:
            return raw
    raise ProtectionError(f"{where}: not a 256-bit key (32 raw bytes, 64 hex digits or base64 of 32 bytes)",
                          hint=KEY_HINT)


def load_key(environ: Mapping[str, str] | None = None) -> Key:
    """The key from ``TAWTHIQ_KEY_FILE`` (preferred) or ``TAWTHIQ_KEY``; a clear error when neither is usable."""
    env = os.environ if environ is None else environ
    if env.get(KEY_FILE_ENV):
        path = Path(env[KEY_FILE_ENV])
        try:
            data = path.read_bytes()
        except OSError as e:
            raise ProtectionError(f"{KEY_FILE_ENV}={path}: cannot read the key file ({e.strerror})",
                                  hint=KEY_HINT) from e
        return Key(_decode(data, f"{KEY_FILE_ENV}={path}"))
    if env.get(KEY_ENV):
        return Key(_decode(env[KEY_ENV].encode("ascii", "replace"), KEY_ENV))
    raise ProtectionError(f"no key: neither {KEY_FILE_ENV} nor {KEY_ENV} is set; protected fields cannot be "
                          "encrypted or read without it", hint=KEY_HINT)


@dataclass(frozen=True, slots=True)
class Identity:
    name: Protected
    contact: Protected


@dataclass(frozen=True, slots=True)
class Testimony:
    id: int
    incident_key: str
    language: str
    recorded_at: str
    text: Protected


def _new_pseudonym(conn: Connection) -> str:
    while True:
        pseudonym = "W-" + secrets.token_hex(4).upper()
        if conn.execute("SELECT 1 FROM witnesses WHERE pseudonym = ?", (pseudonym,)).fetchone() is None:
            return pseudonym


def _unknown(pseudonym: str) -> ProtectionError:
    """The error for a pseudonym not found; the input is echoed only when it has a pseudonym's shape (it may be a
    name typed in the wrong place)."""
    if PSEUDONYM_RE.match(pseudonym):
        return ProtectionError(f"witness {pseudonym}: no such pseudonym in the store")
    return ProtectionError("witness: the value given is not a pseudonym (W- and 8 hex digits); it is not repeated "
                           "here in case it is a name", hint="list pseudonyms with `tawthiq witness list`")


def _witness_id(conn: Connection, pseudonym: str) -> int:
    row = conn.execute("SELECT id FROM witnesses WHERE pseudonym = ?", (pseudonym,)).fetchone()
    if row is None:
        raise _unknown(pseudonym)
    return int(row[0])


def add_witness(conn: Connection, key: Key, name: str, *, recorded_by: str, contact: str = "",
                admin1: str = "", consents: Mapping[str, bool] | None = None) -> str:
    """Store a witness's identity encrypted and return the pseudonym that stands for them everywhere.

    Storage consent must be given; the other purposes default to refused.
    """
    given = dict(consents or {})
    unknown = sorted(set(given) - set(PURPOSES))
    if unknown:
        raise ProtectionError(f"consent purpose(s) {', '.join(unknown)} unknown; use {', '.join(PURPOSES)}")
    if not given.get("storage"):
        raise ProtectionError("a witness cannot be stored without their consent to storage (--consent storage)")
    if not name.strip():
        raise ProtectionError("the witness's name is empty")
    if not recorded_by.strip():
        raise ProtectionError("who recorded the witness is missing (--by)")
    pseudonym = _new_pseudonym(conn)
    plaintext = json.dumps({"name": name, "contact": contact}, ensure_ascii=False).encode("utf-8")
    cur = conn.execute(
        "INSERT INTO witnesses (pseudonym, identity_ct, key_id, admin1, created_at, created_by) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (pseudonym, key.encrypt(plaintext, identity_aad(pseudonym)), key.id, admin1, utc_now(), recorded_by),
    )
    witness_id = int(cur.fetchone()[0])
    record_event(conn, "witness.add", pseudonym, {"admin1": admin1, "by": recorded_by, "key_id": key.id})
    for purpose in PURPOSES:
        _insert_consent(conn, witness_id, pseudonym, purpose, bool(given.get(purpose)), recorded_by, "at recording")
    return pseudonym


def identity_aad(pseudonym: str) -> str:
    return f"tawthiq:witness-identity:{pseudonym}"


def _testimony_aad(pseudonym: str, testimony_id: int) -> str:
    return f"tawthiq:testimony:{pseudonym}:{testimony_id}"


def add_testimony(conn: Connection, key: Key, pseudonym: str, text: str, *, recorded_by: str,
                  incident_key: str = "", language: str = "") -> int:
    """Store a testimony encrypted, bound to its witness and id; needs storage consent in force."""
    require_consent(conn, pseudonym, "storage")
    if not text.strip():
        raise ProtectionError(f"testimony of {pseudonym}: the text is empty")
    witness_id = _witness_id(conn, pseudonym)
    cur = conn.execute(
        "INSERT INTO testimonies (witness_id, incident_key, language, text_ct, key_id, recorded_at, recorded_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (witness_id, incident_key, language, b"", key.id, utc_now(), recorded_by),
    )
    testimony_id = int(cur.fetchone()[0])
    blob = key.encrypt(text.encode("utf-8"), _testimony_aad(pseudonym, testimony_id))
    conn.execute("UPDATE testimonies SET text_ct = ? WHERE id = ?", (blob, testimony_id))
    record_event(conn, "testimony.add", pseudonym,
                 {"testimony": testimony_id, "incident_key": incident_key, "by": recorded_by})
    return testimony_id


def _insert_consent(conn: Connection, witness_id: int, pseudonym: str, purpose: str, granted: bool,
                    by: str, note: str) -> None:
    conn.execute(
        "INSERT INTO consents (witness_id, purpose, granted, recorded_at, recorded_by, note) VALUES (?, ?, ?, ?, ?, ?)",
        (witness_id, purpose, int(granted), utc_now(), by, note),
    )
    record_event(conn, "consent." + ("grant" if granted else "refuse"), pseudonym, {"purpose": purpose, "by": by})


def set_consent(conn: Connection, pseudonym: str, purpose: str, granted: bool, *, recorded_by: str,
                note: str = "") -> None:
    """Record a consent decision. Withdrawing storage erases the witness's identity and testimonies for good."""
    if purpose not in PURPOSES:
        raise ProtectionError(f"consent purpose {purpose!r} unknown; use {', '.join(PURPOSES)}")
    if not recorded_by.strip():
        raise ProtectionError("who recorded the consent is missing (--by)")
    witness_id = _witness_id(conn, pseudonym)
    _insert_consent(conn, witness_id, pseudonym, purpose, granted, recorded_by, note)
    if purpose == "storage" and not granted:
        if conn.dialect == "sqlite":  # freed pages are zeroed, not left with the old ciphertext
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("UPDATE witnesses SET identity_ct = zeroblob(length(identity_ct)) WHERE id = ?", (witness_id,))
        conn.execute("UPDATE witnesses SET identity_ct = NULL WHERE id = ?", (witness_id,))
        conn.execute("UPDATE testimonies SET text_ct = NULL WHERE witness_id = ?", (witness_id,))
        record_event(conn, "witness.erase", pseudonym, {"reason": "storage consent withdrawn", "by": recorded_by})


def consent_in_force(conn: Connection, pseudonym: str, purpose: str) -> bool:
    row = conn.execute(
        "SELECT granted FROM consents WHERE witness_id = ? AND purpose = ? ORDER BY id DESC LIMIT 1",
        (_witness_id(conn, pseudonym), purpose),
    ).fetchone()
    return bool(row and row[0])


def require_consent(conn: Connection, pseudonym: str, purpose: str) -> None:
    """Raise unless the witness's latest decision for ``purpose`` is a grant."""
    if purpose not in PURPOSES:
        raise ProtectionError(f"consent purpose {purpose!r} unknown; use {', '.join(PURPOSES)}")
    if not consent_in_force(conn, pseudonym, purpose):
        raise ProtectionError(f"witness {pseudonym}: no consent in force for {purpose}; refused",
                              hint="record consent with `tawthiq witness consent` only if the witness gave it")


def _check_key(key: Key, stored_id: str, what: str) -> None:
    if stored_id != key.id:
        raise ProtectionError(f"{what}: the key given (id {key.id}) is not the key it was encrypted with "
                              f"(id {stored_id}); authentication would fail", hint="set TAWTHIQ_KEY_FILE to that key")


def reveal_identity(conn: Connection, key: Key, pseudonym: str, *, by: str, purpose: str) -> Identity:
    """Decrypt a witness's identity. Needs a reason (``purpose``) and is recorded in the audit log (caller's tx)."""
    row = conn.execute("SELECT identity_ct, key_id FROM witnesses WHERE pseudonym = ?", (pseudonym,)).fetchone()
    if row is None:
        raise _unknown(pseudonym)
    if row[0] is None:
        raise ProtectionError(f"witness {pseudonym}: the identity was erased (storage consent withdrawn)")
    _check_key(key, row[1], f"witness {pseudonym}")
    data = json.loads(key.decrypt(bytes(row[0]), identity_aad(pseudonym), f"witness {pseudonym}"))
    record_event(conn, "witness.reveal", pseudonym, {"by": by, "purpose": purpose})
    return Identity(Protected(data["name"]), Protected(data.get("contact", "")))


def testimonies(conn: Connection, key: Key, pseudonym: str) -> list[Testimony]:
    """Decrypt a witness's testimonies (erased ones are left out)."""
    witness_id = _witness_id(conn, pseudonym)
    found = []
    for tid, incident, language, at, blob, key_id in conn.execute(
        "SELECT id, incident_key, language, recorded_at, text_ct, key_id FROM testimonies WHERE witness_id = ? "
        "AND text_ct IS NOT NULL ORDER BY id", (witness_id,),
    ).fetchall():
        what = f"testimony {tid} of {pseudonym}"
        _check_key(key, key_id, what)
        text = key.decrypt(bytes(blob), _testimony_aad(pseudonym, int(tid)), what).decode("utf-8")
        found.append(Testimony(int(tid), incident, language, at, Protected(text)))
    return found


def witness_summary(conn: Connection, pseudonym: str) -> dict[str, object]:
    """What can be shown without the key: pseudonym, coarse area, consents in force, testimony count."""
    witness_id = _witness_id(conn, pseudonym)
    row = conn.execute("SELECT admin1, created_at, identity_ct IS NULL FROM witnesses WHERE id = ?",
                       (witness_id,)).fetchone()
    count = conn.execute("SELECT count(*) FROM testimonies WHERE witness_id = ? AND text_ct IS NOT NULL",
                         (witness_id,)).fetchone()[0]
    return {"pseudonym": pseudonym, "admin1": row[0], "created_at": row[1], "erased": bool(row[2]),
            "consent": {p: consent_in_force(conn, pseudonym, p) for p in PURPOSES}, "testimonies": int(count)}


def pseudonyms(conn: Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT pseudonym FROM witnesses ORDER BY id")]
