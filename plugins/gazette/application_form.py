"""The 政府信息公开申请表: its fields, in one place for the page the site shows and the PDF the build prints.

Each label is a message id of the theme's UI strings (themes/gazette/translations/views.yml), so both
outputs say the same in each language. Nothing here is ever filled in by the site: the form is printed and
filled in by hand, and the static site collects no personal data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    label: str
    kind: str = "line"  # "line": a box to write in; "tall": several lines; "choices": boxes to tick


@dataclass(frozen=True)
class Group:
    label: str
    fields: tuple[Field, ...]


APPLICANT = (
    Group("Citizen", (Field("Name"), Field("Identity document and number"), Field("Postal address and postcode"),
                      Field("Telephone or e-mail"))),
    Group("Legal person or other organisation", (
        Field("Name of the organisation"), Field("Unified social credit code"), Field("Contact person and telephone"),
        Field("Postal address and postcode"))),
)
REQUEST = (
    Field("Title, document number or index number, or a description that lets the office find it", "tall"),
    Field("How you want it", "choices"),
    Field("Signature or seal of the applicant"),
    Field("Date of application"),
)
# How the information may be given (条例 Art. 29: the form of the information asked for).
DELIVERY = ("On paper", "By e-mail", "On disc", "Collected in person", "By post")
# How the form may be handed in: never by telephone, and never through this site.
SUBMIT = (
    "In person, at the office below: if writing is difficult, staff fill in the form for you to confirm.",
    "By post, to the office below, with 政府信息公开申请 written on the envelope.",
    "Not by telephone.",
)
OFFICE_FIELDS = ("name", "address", "postcode", "hours", "telephone")  # GAZETTE_REQUEST_OFFICE


def office(settings: dict, lang: str) -> dict[str, str]:
    """GAZETTE_REQUEST_OFFICE in one language: a value given per language falls back to the Chinese one."""
    given = settings.get("GAZETTE_REQUEST_OFFICE") or {}
    shown = {}
    for key in OFFICE_FIELDS:
        value = given.get(key, "")
        shown[key] = str(value.get(lang) or value.get("zh", "")) if isinstance(value, dict) else str(value)
    return shown
