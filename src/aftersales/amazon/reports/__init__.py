"""Report layouts and the detection of a file's report type from its header."""

from __future__ import annotations

from dataclasses import dataclass

from aftersales.amazon.reports.catalog import ALL_SPECS
from aftersales.amazon.reports.fields import Field, Kind, normalize_header
from aftersales.amazon.reports.spec import MarketplaceSource, ReportSpec
from aftersales.kit.i18n import N_, Message

__all__ = [
    "ALL_SPECS",
    "ColumnMap",
    "Field",
    "HeaderError",
    "Kind",
    "MarketplaceSource",
    "ReportSpec",
    "detect",
    "spec_for_type",
    "supported_report_types",
]


class HeaderError(Exception):
    """The header does not fit a supported report (unknown, ambiguous, missing columns)."""

    def __init__(self, message: str, *, column: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """How the file's columns map onto the report's fields.

    `fields[i]` is the field of header column i, or None for a column this version does
    not model (kept as raw JSON unless it is buyer PII).
    """

    spec: ReportSpec
    report_type: str
    header: tuple[str, ...]
    fields: tuple[Field | None, ...]
    header_marketplace: str | None  # a localized header can reveal the marketplace

    def present(self) -> dict[str, int]:
        return {f.name: i for i, f in enumerate(self.fields) if f is not None}

    def header_name(self, field_name: str) -> str:
        return self.header[self.present()[field_name]]

    def extra_columns(self) -> list[int]:
        return [i for i, f in enumerate(self.fields) if f is None and self.header[i].strip()]


def supported_report_types() -> list[str]:
    return [report_type for spec in ALL_SPECS for report_type in spec.all_types()]


def spec_for_type(report_type: str) -> ReportSpec:
    wanted = report_type.strip().upper().strip("_")
    for spec in ALL_SPECS:
        if wanted in (t.strip("_") for t in spec.all_types()):
            return spec
    raise HeaderError(
        Message(
            N_("unknown report type %(type)s; supported: %(supported)s"),
            type=report_type,
            supported=", ".join(supported_report_types()),
        )
    )


def _resolved_names(spec: ReportSpec, header: list[str]) -> set[str]:
    names = set()
    for column in header:
        found = spec.field_for(column)
        names.add(found.name if found else normalize_header(column))
    return names


def _map(spec: ReportSpec, report_type: str, header: list[str], positional: bool) -> ColumnMap:
    mapped: list[Field | None] = []
    seen: dict[str, str] = {}
    language_hits: dict[str, int] = {}
    for index, column in enumerate(header):
        found = (
            spec.fields[index]
            if positional and index < len(spec.fields)
            else spec.field_for(column)
        )
        if found is not None:
            if found.name in seen:
                raise HeaderError(
                    Message(
                        N_("columns '%(first)s' and '%(second)s' both mean '%(field)s'"),
                        first=seen[found.name],
                        second=column,
                        field=found.name,
                    ),
                    column=column,
                )
            seen[found.name] = column
        language = spec.header_languages.get(normalize_header(column))
        if language:
            language_hits[language] = language_hits.get(language, 0) + 1
        mapped.append(found)
    missing = [f.name for f in spec.fields if f.required and f.name not in seen]
    if missing:
        raise HeaderError(
            Message(
                N_("%(title)s report (%(type)s): required column(s) missing: %(missing)s"),
                title=spec.title,
                type=report_type,
                missing=", ".join(missing),
            ),
            column=missing[0],
        )
    header_marketplace = (
        max(language_hits, key=lambda k: language_hits[k]) if language_hits else None
    )
    return ColumnMap(spec, report_type, tuple(header), tuple(mapped), header_marketplace)


def detect(header: list[str], report_type: str | None = None) -> ColumnMap:
    """Map a header onto a report layout; the type is detected when not given."""
    if report_type:
        spec = spec_for_type(report_type)
        canonical = next(
            t for t in spec.all_types() if t.strip("_") == report_type.strip().upper().strip("_")
        )
        positional = spec.positional and not spec.signature <= _resolved_names(spec, header)
        if positional and len(header) != len(spec.fields):
            raise HeaderError(
                Message(
                    N_(
                        "%(title)s: the header has %(count)s columns, expected %(expected)s (%(names)s)"
                    ),
                    title=spec.title,
                    count=len(header),
                    expected=len(spec.fields),
                    names=", ".join(f.name for f in spec.fields),
                )
            )
        return _map(spec, canonical, header, positional)
    matches = [spec for spec in ALL_SPECS if spec.signature <= _resolved_names(spec, header)]
    if not matches:
        raise HeaderError(
            Message(
                N_(
                    "unknown report: the header matches none of the supported report types; "
                    "pass --report-type (header starts with: %(start)s)"
                ),
                start=", ".join(header[:4]),
            )
        )
    best = max(len(spec.signature) for spec in matches)
    top = [spec for spec in matches if len(spec.signature) == best]
    if len(top) > 1:
        raise HeaderError(
            Message(
                N_("ambiguous header: it fits %(types)s; pass --report-type"),
                types=" and ".join(spec.report_type for spec in top),
            )
        )
    return _map(top[0], top[0].report_type, header, False)
