"""Date phrases -> ISO dates with a precision, for event dates and document datelines.

Documents say "15 Nov. 2021", "November 15, 2021", "December 2019" or "last year"; the graph
needs `xsd:date`, `xsd:gYearMonth` or `xsd:gYear`. Anything that is not clearly a plausible
calendar date gives None (never an exception): text is untrusted and guessing a wrong date is
worse than leaving it out.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal as TypingLiteral

from rdflib import XSD, Literal, URIRef

Precision = TypingLiteral["day", "month", "year"]

MIN_YEAR = 1900
MAX_YEAR = 2100
DATELINE_LINES = 15
# A phrase longer than this is a sentence, not a date; also bounds the regex work.
MAX_DATE_CHARS = 80

_DATATYPES: dict[str, URIRef] = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}

MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    MONTHS[calendar.month_name[_number].lower()] = _number
    MONTHS[calendar.month_abbr[_number].lower()] = _number
MONTHS["sept"] = 9

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = (
    r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?\s+)?"
)

_ISO = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?"
    # A timestamp (e.g. article:published_time) keeps only its calendar day.
    r"(?:(?<=\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_PATTERNS = (
    re.compile(_WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR),
    re.compile(_WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR),
    re.compile(_MONTH + r",?\s+" + _YEAR),
    re.compile(r"(?:(?:early|mid|late)[\s-]+)?" + _YEAR),
)
_LEADING_WORDS = re.compile(r"^(?:(?:in|on|of|since|by|during|from|the)\s+)+")
_RELATIVE = {
    "last year": ("year", -1),
    "this year": ("year", 0),
    "next year": ("year", 1),
    "last month": ("month", -1),
    "this month": ("month", 0),
    "next month": ("month", 1),
    "yesterday": ("day", -1),
    "today": ("day", 0),
    "tomorrow": ("day", 1),
}

# The date part of a dateline: the phrase forms above, matched anywhere inside a line.
_DATE_PHRASE = (
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[A-Za-z]{3,9}\.?,?\s+\d{4}"
    r"|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|[A-Za-z]{3,9}\.?,?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}|\d{4}-\d{2})"
)
# A line that is a date plus at most a short label before it and a few words after it:
# "19 November 2021 News", "• 17 Jan. 2022 -", "Published: 5 May 2020 10:25".
_DATELINE = re.compile(
    r"^[\s\W_]*(?:(?:published|posted|updated|last updated|dated?|issued)(?:\s+on)?\s*:?\s*)?"
    r"(?P<date>" + _DATE_PHRASE + r")"
    r"(?:[\s,]+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"(?P<tail>(?:[\s\W_]+[A-Za-z]+){0,2})[\s\W_]*$",
    re.IGNORECASE,
)
# A heading line ending in a parenthesised date: "... Communiqué issued by the Ministry (05 Feb. 2021)".
_TRAILING_DATE = re.compile(r"\((?P<date>" + _DATE_PHRASE + r")\)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateValue:
    """A calendar date known to a day, a month or a year; `iso` is YYYY, YYYY-MM or YYYY-MM-DD."""

    iso: str
    precision: Precision
    # Counted from the document's date ("last year"): an explicit date in the text beats it.
    relative: bool = field(default=False, compare=False)

    def agrees_with(self, other: DateValue) -> bool:
        """The same date at the coarser of the two precisions ("2021" and "2021-11-15")."""
        return self.iso.startswith(other.iso) or other.iso.startswith(self.iso)

    @property
    def datatype(self) -> URIRef:
        """The XSD datatype matching the precision, as the ontology's `skg:date` expects."""
        return _DATATYPES[self.precision]

    def literal(self) -> Literal:
        """The date as an rdflib Literal typed with `datatype`."""
        return Literal(self.iso, datatype=self.datatype)


def _make(year: int, month: int | None = None, day: int | None = None) -> DateValue | None:
    """A DateValue when the parts form a real date in the plausible range, else None."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if month is None:
        return DateValue(f"{year:04d}", "year")
    if not 1 <= month <= 12:
        return None
    if day is None:
        return DateValue(f"{year:04d}-{month:02d}", "month")
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return DateValue(f"{year:04d}-{month:02d}-{day:02d}", "day")


def parse_iso(value: str) -> DateValue | None:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a timestamp keeps its day) as a DateValue, else None."""
    match = _ISO.fullmatch(value.strip())
    if match is None:
        return None
    month, day = match["month"], match["day"]
    return _make(int(match["year"]), int(month) if month else None, int(day) if day else None)


def is_valid_iso(value: str) -> bool:
    """True for a real `YYYY`, `YYYY-MM` or `YYYY-MM-DD` date between 1900 and 2100."""
    return (
        bool(re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value)) and parse_iso(value) is not None
    )


def _relative(phrase: str, reference: str | None) -> DateValue | None:
    """'last year', 'yesterday'... counted from the reference date, at the phrase's precision."""
    value = _counted(phrase, reference)
    return replace(value, relative=True) if value is not None else None


def _counted(phrase: str, reference: str | None) -> DateValue | None:
    unit, offset = _RELATIVE[phrase]
    ref = parse_iso(reference) if reference else None
    if ref is None:
        return None
    parts = [int(p) for p in ref.iso.split("-")]
    if unit == "year":
        return _make(parts[0] + offset)
    if unit == "month":
        if len(parts) < 2:
            return None
        months = parts[0] * 12 + (parts[1] - 1) + offset
        return _make(months // 12, months % 12 + 1)
    if len(parts) < 3:
        return None
    day = date(parts[0], parts[1], parts[2]) + timedelta(days=offset)
    return _make(day.year, day.month, day.day)


def parse_date(text: str, reference: str | None = None) -> DateValue | None:
    """The date a short phrase names, or None when it names none (or an impossible one).

    `reference` (ISO, e.g. the document's date) resolves relative phrases such as "last year";
    without it they give None.
    """
    if not isinstance(text, str) or len(text) > MAX_DATE_CHARS:
        return None
    phrase = " ".join(text.lower().split()).strip(" ,;:()[]")
    phrase = _LEADING_WORDS.sub("", phrase).rstrip(".")
    if not phrase:
        return None
    if phrase in _RELATIVE:
        return _relative(phrase, reference)  # marked `relative`
    if phrase[:1].isdigit() and "-" in phrase:
        return parse_iso(phrase.upper())
    for pattern in _PATTERNS:
        match = pattern.fullmatch(phrase)
        if match is None:
            continue
        groups = match.groupdict()
        month = MONTHS[groups["month"]] if groups.get("month") else None
        day = int(groups["day"]) if groups.get("day") else None
        return _make(int(groups["year"]), month, day)
    return None


def find_dateline(text: str) -> DateValue | None:
    """The date of a line near the top that holds little else than a date ("19 November 2021 News").

    Used when a document has no front-matter date. Only the first lines are read, so a date
    in the body ("the test on 15 November 2021") is never mistaken for the publication date.
    """
    found = locate_dateline(text)
    return found[0] if found else None


def locate_dateline(text: str) -> tuple[DateValue, str] | None:
    """Like `find_dateline`, with the line the date was read from (for the ingest report)."""
    lines = (line.strip() for line in text.splitlines())
    for line in [line for line in lines if line][:DATELINE_LINES]:
        if len(line) > 2 * MAX_DATE_CHARS:
            match = _TRAILING_DATE.search(line)
        else:
            match = _DATELINE.match(line) or _TRAILING_DATE.search(line)
        if match is None:
            continue
        found = parse_date(match["date"])
        # A bare year or month is too weak a signal in a line that may be a heading.
        if found is not None and found.precision == "day":
            return found, line
    return None
