"""Exports of the record: claims as JSONL or CSV (ACLED/GED/HXL/GeoJSON to come), written safely."""

from tawthiq.export.claims import COLUMNS, ClaimFilters, export_claims, iter_claim_rows, write_csv, write_jsonl

__all__ = ["COLUMNS", "ClaimFilters", "export_claims", "iter_claim_rows", "write_csv", "write_jsonl"]
