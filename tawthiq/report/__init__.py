"""The static HTML report: one self-contained file with the timeline, incidents, documents and evidence."""

from tawthiq.report.html import ReportSummary, build_report, write_report

__all__ = ["ReportSummary", "build_report", "write_report"]
