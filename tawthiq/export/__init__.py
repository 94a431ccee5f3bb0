"""Exports of the record: claims as JSONL or CSV; claims and incidents as ACLED, GED, HXL, GeoJSON or Parquet;
victim lists with the Every Casualty fields. All streamed and written safely."""

from tawthiq.export.claims import COLUMNS, ClaimFilters, export_claims, iter_claim_rows, write_csv, write_jsonl
from tawthiq.export.filters import ExportFilters
from tawthiq.export.formats import FIELD_FORMATS, export_events, iter_events, write_events

__all__ = [
    "COLUMNS",
    "FIELD_FORMATS",
    "ClaimFilters",
    "ExportFilters",
    "export_claims",
    "export_events",
    "iter_claim_rows",
    "iter_events",
    "write_csv",
    "write_events",
    "write_jsonl",
]
