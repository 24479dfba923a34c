"""The rules of a clinic's setup: NPI check digits, time zones, program limits, note template
fields (billing codes: facilitator.domain.service_codes). Each rule is one function; services
and the config import call them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from facilitator.domain.errors import DomainError
from facilitator.domain.identifiers import npi_problem
from facilitator.domain.notes import NoteTemplate, TemplateField

TEMPLATE_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,19}$")
FIELD_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MODALITY_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,19}$")


class SetupError(DomainError):
    """A setup value the clinic cannot use; the message says which and why."""


def check_npi(npi: str) -> str:
    """`npi` stripped, if it is a valid NPI (facilitator.domain.identifiers); else SetupError."""
    value = npi.strip()
    problem = npi_problem(value) if value else "An NPI is 10 digits; none was given."
    if problem:
        raise SetupError(problem)
    return value


def check_time_zone(name: str) -> str:
    """`name` if it is an IANA time zone this computer knows (America/New_York)."""
    value = name.strip()
    if not value or value.startswith(("/", ".")) or ".." in value:
        raise SetupError(f"{value!r} is not a time zone name such as America/New_York.")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise SetupError(
            f"{value!r} is not a known IANA time zone (for example America/New_York)."
        ) from error
    return value


def check_range(what: str, value: object, low: int, high: int) -> int:
    """`value` if it is a whole number from `low` to `high`."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SetupError(f"{what} must be a whole number from {low} to {high}, not {value!r}.")
    return value


def required_text(what: str, value: object, limit: int) -> str:
    """`value` stripped, if it is non-empty text of at most `limit` characters."""
    if not isinstance(value, str) or not value.strip():
        raise SetupError(f"{what} is required.")
    return limited_text(what, value, limit)


def limited_text(what: str, value: object, limit: int) -> str:
    if not isinstance(value, str):
        raise SetupError(f"{what} must be text.")
    text = value.strip()
    if len(text) > limit:
        raise SetupError(f"{what} is too long ({len(text)} characters; at most {limit}).")
    return text


def text_list(
    what: str, value: object, limit: int = 500, *, keep_spaces: bool = False
) -> tuple[str, ...]:
    """A list of non-empty text items, trimmed unless `keep_spaces` (a quick phrase's
    trailing space is where the clinician goes on typing)."""
    if not isinstance(value, list | tuple):
        raise SetupError(f"{what} must be a list of text.")
    items = tuple(required_text(f"Each item of {what}", item, limit) for item in value)
    return tuple(str(item) for item in value) if keep_spaces else items


def template_field(values: Mapping[str, Any]) -> TemplateField:
    """A note template field from its stored or typed form."""
    key = values.get("key")
    if not isinstance(key, str) or not FIELD_KEY_PATTERN.match(key.strip()):
        raise SetupError(
            f"A field key ({key!r}) is lowercase letters, digits and underscores, starting "
            "with a letter (for example goal or response)."
        )
    required = values.get("required", False)
    if not isinstance(required, bool):
        raise SetupError(f"Field {key}: required is true or false.")
    return TemplateField(
        key=key.strip(),
        label=required_text(f"Field {key}: the label", values.get("label"), 100),
        help=limited_text(f"Field {key}: the help", values.get("help", ""), 2000),
        required=required,
        quick_phrases=text_list(
            f"Field {key}: quick phrases", values.get("quick_phrases", []), keep_spaces=True
        ),
    )


def note_template(
    code: str, name: str, description: str, fields: Sequence[TemplateField]
) -> NoteTemplate:
    """A valid note template: a code, a name, and at least one field with unique keys."""
    clean_code = code.strip().upper()
    if not TEMPLATE_CODE_PATTERN.match(clean_code):
        raise SetupError(
            f"A template code ({code!r}) is 1 to 20 capital letters, digits, - or _ "
            "(for example GIRP)."
        )
    if not fields:
        raise SetupError(f"Template {clean_code} needs at least one field.")
    keys = [f.key for f in fields]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise SetupError(f"Template {clean_code}: the field key {', '.join(repeated)} repeats.")
    return NoteTemplate(
        clean_code,
        required_text(f"Template {clean_code}: the name", name, 200),
        limited_text(f"Template {clean_code}: the description", description, 2000),
        tuple(fields),
    )


def template_fields_as_data(template: NoteTemplate) -> list[dict[str, Any]]:
    """The fields as the note_template table and the config file keep them."""
    return [
        {
            "key": f.key,
            "label": f.label,
            "help": f.help,
            "required": f.required,
            "quick_phrases": list(f.quick_phrases),
        }
        for f in template.fields
    ]


def template_from_data(
    code: str, name: str, description: str, fields: Sequence[Mapping[str, Any]]
) -> NoteTemplate:
    return note_template(code, name, description, [template_field(f) for f in fields])


def check_modality_code(code: str) -> str:
    value = code.strip().upper()
    if not MODALITY_CODE_PATTERN.match(value):
        raise SetupError(
            f"A modality code ({code!r}) is 1 to 20 capital letters, digits, - or _ "
            "(for example CBT or YOGA)."
        )
    return value
