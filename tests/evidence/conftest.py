"""Fixtures of the evidence tests: a real store with its vault, a real key, custody of a collection."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tawthiq.evidence.protect import Key
from tawthiq.evidence.vault import Custody, vault_root
from tawthiq.store import Store, open_store

NAME = "Zaynab Haddad"  # a made-up witness; tests grep for it where it must never be
NAME_AR = "زينب حداد"
CONTACT = "+963 944 123 456"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "case" / "tawthiq.db"


@pytest.fixture
def estore(db: Path) -> Iterator[Store]:
    db.parent.mkdir(parents=True, exist_ok=True)
    with open_store(db) as s:
        yield s


@pytest.fixture
def vault(db: Path) -> Path:
    return vault_root(db)


@pytest.fixture
def key() -> Key:
    return Key(os.urandom(32))


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    from tawthiq.evidence.protect import generate_key_file

    path = tmp_path / "keys" / "tawthiq.key"
    path.parent.mkdir()
    generate_key_file(path)
    return path


def custody(who: str = "A. Analyst", url: str = "https://t.me/example/123") -> Custody:
    return Custody(collected_by=who, tool="pytest", source_url=url)
