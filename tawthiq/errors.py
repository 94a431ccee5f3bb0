"""One exception tree for Tawthiq.

    TawthiqError
    ├── ConfigError          a setting or mapping file is invalid (all problems reported together)
    ├── IngestError          an input file could not be read or is not a document
    │   └── UnreadableError  the bytes are junk, empty, undecodable or a broken PDF
    ├── ExtractionError      a text could not be turned into claims
    ├── StoreError           the database could not be opened, read or written
    │   ├── ConflictError    an optimistic-lock conflict between two writers
    │   └── ConstraintError  a constraint refused a write (duplicate key, missing reference, failed check)
    ├── EstimationError      an overlap table cannot be estimated (shape, sparsity, no convergence)
    ├── LinkageError         victim records could not be imported or linked
    ├── ExportError          an export could not be written
    ├── EvidenceError        an original, custody record, audit entry, export manifest or backup failed a check
    └── ProtectionError      a protected field cannot be stored, read or released (key, consent, authentication)

Messages say what went wrong, for which input, and how to fix it. They never contain protected values
(witness identities, contact details).
"""

from __future__ import annotations


class TawthiqError(Exception):
    """Base of every error Tawthiq raises on purpose."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\nHint: {self.hint}"
        return self.message


class ConfigError(TawthiqError):
    """A setting, mapping or configuration file is invalid."""


class IngestError(TawthiqError):
    """An input could not be ingested; `path` names it."""

    def __init__(self, path: str, reason: str, *, hint: str | None = None) -> None:
        super().__init__(f"{path}: {reason}", hint=hint)
        self.path = path
        self.reason = reason


class UnreadableError(IngestError):
    """The bytes of an input are not a readable document (empty, binary junk, bad encoding, broken PDF)."""


class ExtractionError(TawthiqError):
    """Claims could not be extracted from a text."""


class StoreError(TawthiqError):
    """The store could not be opened, read or written."""


class ConflictError(StoreError):
    """Two writers changed the same row; the second must reload and retry."""


class ConstraintError(StoreError):
    """A constraint of the store refused a write (a duplicate key, a missing reference, a failed check)."""


class EstimationError(TawthiqError):
    """An overlap table could not be estimated."""


class LinkageError(TawthiqError):
    """Victim records could not be imported or linked."""


class ExportError(TawthiqError):
    """An export could not be written."""


class EvidenceError(TawthiqError):
    """An original, custody record, audit entry, evidentiary export or backup is missing, malformed or fails a check."""


class ProtectionError(TawthiqError):
    """A protected field (witness identity, testimony) cannot be stored, decrypted or released.

    Raised when the key is missing or wrong, or when consent does not cover a purpose. The message never contains the
    protected value itself.
    """
