"""Evidence integrity and witness protection.

vault         content-addressed originals beside the database, with their chain of custody
media         image and video metadata, perceptual hashes, near duplicates
verification  Berkeley Protocol steps per item (source, technical, content, geolocation, chronolocation)
audit         the hash-chained, append-only log of every change, and seals of every table
protect       witness identities and testimonies encrypted at rest; pseudonyms; consent per purpose
exports       the public export (redacted, aggregated) and the evidentiary export (originals, manifest)
backup        backup and verified restore
"""

from tawthiq.evidence.audit import record_event, seal
from tawthiq.evidence.vault import Custody, store_original, vault_root

__all__ = ["Custody", "record_event", "seal", "store_original", "vault_root"]
