"""Witness protection: encrypted at rest, key outside, wrong/missing key is a clear error, consent enforced."""

from __future__ import annotations

import base64
import logging
import os
from pathlib import Path

import pytest

from tawthiq.errors import ProtectionError
from tawthiq.evidence import audit, protect
from tawthiq.evidence.protect import Key
from tawthiq.evidence.secret import MASK, Protected
from tawthiq.store import Store
from tests.evidence.conftest import CONTACT, NAME, NAME_AR

TESTIMONY = f"I am {NAME}. On 7 March men came to our street in the morning."


def add(store: Store, key: Key, name: str = NAME, **consent: bool) -> str:
    with store.transaction() as conn:
        pseudonym = protect.add_witness(conn, key, name, recorded_by="Interviewer", contact=CONTACT,
                                        admin1="Latakia", consents={"storage": True, **consent})
        protect.add_testimony(conn, key, pseudonym, TESTIMONY, recorded_by="Interviewer", incident_key="inc-1")
    return pseudonym


def store_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.iterdir() if p.is_file() and p.name.startswith(db.name))


def test_round_trip_with_the_key(estore: Store, key: Key) -> None:
    pseudonym = add(estore, key, court=True)
    with estore.transaction() as conn:
        ident = protect.reveal_identity(conn, key, pseudonym, by="lead", purpose="court filing")
        texts = protect.testimonies(conn, key, pseudonym)
    assert ident.name.reveal() == NAME and ident.contact.reveal() == CONTACT
    assert [t.text.reveal() for t in texts] == [TESTIMONY]
    assert pseudonym.startswith("W-") and len(pseudonym) == 10
    reveal = [e for e in audit.entries(estore.conn) if e.action == "witness.reveal"]
    assert len(reveal) == 1 and "court filing" in reveal[0].detail


@pytest.mark.parametrize("name", [NAME, NAME_AR])
def test_no_protected_value_is_in_the_database_files_in_clear(estore: Store, key: Key, db: Path, name: str) -> None:
    add(estore, key, name=name)
    with estore.transaction() as conn:
        audit.seal(conn)
    raw = store_bytes(db)
    assert len(raw) > 4096
    for value in (name, CONTACT, "men came to our street", name.split()[0]):
        assert value.encode("utf-8") not in raw
        assert value.encode("utf-16-le") not in raw


def test_a_wrong_key_is_an_authentication_error_not_garbage(estore: Store, key: Key) -> None:
    pseudonym = add(estore, key)
    other = Key(os.urandom(32))
    with pytest.raises(ProtectionError, match="not the key it was encrypted with"), estore.transaction() as conn:
        protect.reveal_identity(conn, other, pseudonym, by="x", purpose="y")
    # A forged key id gets past the fingerprint check; AES-GCM still refuses.
    estore.conn.execute("UPDATE witnesses SET key_id = ?", (other.id,))
    estore.conn.execute("UPDATE testimonies SET key_id = ?", (other.id,))
    with pytest.raises(ProtectionError, match="authentication failed"), estore.transaction() as conn:
        protect.reveal_identity(conn, other, pseudonym, by="x", purpose="y")
    with pytest.raises(ProtectionError, match="authentication failed"):
        protect.testimonies(estore.conn, other, pseudonym)


def test_a_ciphertext_moved_to_another_witness_does_not_decrypt(estore: Store, key: Key) -> None:
    a, b = add(estore, key), add(estore, key, name="Another Person")
    estore.conn.execute("UPDATE witnesses SET identity_ct = (SELECT identity_ct FROM witnesses WHERE pseudonym = ?) "
                        "WHERE pseudonym = ?", (a, b))
    with pytest.raises(ProtectionError, match="authentication failed"), estore.transaction() as conn:
        protect.reveal_identity(conn, key, b, by="x", purpose="y")


def test_one_flipped_bit_of_ciphertext_is_detected(estore: Store, key: Key) -> None:
    pseudonym = add(estore, key)
    blob = bytearray(estore.conn.execute("SELECT text_ct FROM testimonies").fetchone()[0])
    blob[-1] ^= 1
    estore.conn.execute("UPDATE testimonies SET text_ct = ?", (bytes(blob),))
    with pytest.raises(ProtectionError, match="authentication failed"):
        protect.testimonies(estore.conn, key, pseudonym)


def test_key_loading(tmp_path: Path, key_file: Path) -> None:
    with pytest.raises(ProtectionError, match="no key: neither TAWTHIQ_KEY_FILE nor TAWTHIQ_KEY"):
        protect.load_key({})
    with pytest.raises(ProtectionError, match="cannot read the key file"):
        protect.load_key({"TAWTHIQ_KEY_FILE": str(tmp_path / "nowhere.key")})
    short = tmp_path / "short.key"
    short.write_text("c2hvcnQ=\n")
    with pytest.raises(ProtectionError, match="not a 256-bit key"):
        protect.load_key({"TAWTHIQ_KEY_FILE": str(short)})
    from_file = protect.load_key({"TAWTHIQ_KEY_FILE": str(key_file)})
    raw = base64.b64decode(key_file.read_text())
    assert protect.load_key({"TAWTHIQ_KEY": raw.hex()}).id == from_file.id
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(ProtectionError, match="never overwritten"):
        protect.generate_key_file(key_file)
    assert raw.hex() not in repr(from_file) and from_file.id in repr(from_file)


def test_storage_consent_is_required(estore: Store, key: Key) -> None:
    with pytest.raises(ProtectionError, match="without their consent to storage"), estore.transaction() as conn:
        protect.add_witness(conn, key, NAME, recorded_by="I", consents={"court": True})
    assert estore.query("SELECT count(*) FROM witnesses")[0][0] == 0


def test_consent_is_per_purpose_and_the_latest_decision_counts(estore: Store, key: Key) -> None:
    pseudonym = add(estore, key, court=True)
    conn = estore.conn
    assert protect.consent_in_force(conn, pseudonym, "court")
    with pytest.raises(ProtectionError, match="no consent in force for publication"):
        protect.require_consent(conn, pseudonym, "publication")
    with estore.transaction() as tx:
        protect.set_consent(tx, pseudonym, "publication", True, recorded_by="I")
        protect.set_consent(tx, pseudonym, "court", False, recorded_by="I", note="changed mind")
    assert protect.consent_in_force(conn, pseudonym, "publication")
    assert not protect.consent_in_force(conn, pseudonym, "court")
    assert conn.execute("SELECT count(*) FROM consents").fetchone()[0] == 5  # history kept


def test_withdrawing_storage_erases_identity_and_testimony(estore: Store, key: Key, db: Path) -> None:
    pseudonym = add(estore, key)
    with estore.transaction() as tx:
        protect.set_consent(tx, pseudonym, "storage", False, recorded_by="I")
    assert estore.conn.execute("SELECT identity_ct FROM witnesses").fetchone()[0] is None
    assert protect.testimonies(estore.conn, key, pseudonym) == []
    with pytest.raises(ProtectionError, match="erased"), estore.transaction() as tx:
        protect.reveal_identity(tx, key, pseudonym, by="x", purpose="y")
    with pytest.raises(ProtectionError, match="no consent in force for storage"), estore.transaction() as tx:
        protect.add_testimony(tx, key, pseudonym, "more", recorded_by="I")
    assert protect.witness_summary(estore.conn, pseudonym)["erased"] is True


def test_protected_values_never_print(caplog: pytest.LogCaptureFixture) -> None:
    secret = Protected(NAME)
    logging.getLogger("tawthiq").warning("witness %s said %r", secret, secret)
    ident = protect.Identity(Protected(NAME), Protected(CONTACT))
    texts = [repr(ident), str(ident), f"{secret}", f"{secret:>30}", caplog.text]
    assert all(NAME not in t and CONTACT not in t for t in texts)
    assert MASK in caplog.text
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(secret)


def test_errors_never_carry_the_value(estore: Store, key: Key) -> None:
    pseudonym = add(estore, key)
    messages = []
    for call in (
        lambda: protect.load_key({"TAWTHIQ_KEY": NAME}),
        lambda: protect.set_consent(estore.conn, NAME, "court", True, recorded_by="I"),
        lambda: protect.reveal_identity(estore.conn, Key(os.urandom(32)), pseudonym, by="x", purpose="y"),
    ):
        with pytest.raises(ProtectionError) as e:
            call()
        messages.append(str(e.value) + repr(e.value) + str(e.value.__cause__ or ""))
    assert all(NAME not in m for m in messages), messages
