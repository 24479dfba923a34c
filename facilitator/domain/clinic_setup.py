"""The rules of a clinic's setup: NPI check digits, time zones, billing codes, program limits,
note template fields. Each rule is one function; services and the config import call them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from facilitator.domain.errors import DomainError
from facilitator.domain.identifiers import npi_problem
from facilitator.domain.notes import NoteTemplate, TemplateField

# HCPCS level II (H0015, S9480), CPT (90853) and CPT category II/III (1234F, 0591T).
SERVICE_CODE_PATTERN = re.compile(r"^(?:[A-Z]\d{4}|\d{5}|\d{4}[FTU])$")
MODIFIER_PATTERN = re.compile(r"^[A-Z0-9]{2}$")
TEMPLATE_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,19}$")
FIELD_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MODALITY_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,19}$")
SERVICE_CODE_PER = ("day", "block")


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


@dataclass(frozen=True)
class ServiceCode:
    """One code a program bills (the shared Program.service_codes format)."""

    code: str
    description: str = ""
    per: str = "day"
    modalities: tuple[str, ...] = ()  # empty: every modality
    modifiers: tuple[str, ...] = ()
    telehealth_modifiers: tuple[str, ...] = ()
    minimum_minutes: int | None = None

    def __post_init__(self) -> None:
        if not SERVICE_CODE_PATTERN.match(self.code):
            raise SetupError(
                f"{self.code!r} is not a billing code: use a HCPCS code (a letter and four "
                "digits, such as H0015 or S9480) or a CPT code (five digits, such as 90853)."
            )
        if self.per not in SERVICE_CODE_PER:
            raise SetupError(f"Code {self.code} is billed per day or per block, not {self.per!r}.")
        for modifier in (*self.modifiers, *self.telehealth_modifiers):
            if not MODIFIER_PATTERN.match(modifier):
                raise SetupError(
                    f"Code {self.code}: the modifier {modifier!r} is not two letters or digits "
                    "(such as HQ, 95 or GT)."
                )
        if self.minimum_minutes is not None:
            check_range(f"Code {self.code}: the minimum minutes", self.minimum_minutes, 1, 1440)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "description": self.description,
            "per": self.per,
            "modalities": list(self.modalities),
            "modifiers": list(self.modifiers),
            "telehealth_modifiers": list(self.telehealth_modifiers),
            "minimum_minutes": self.minimum_minutes,
        }

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> ServiceCode:
        """A code from its stored or typed form; SetupError names what is wrong."""
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(values) - known)
        if unknown:
            raise SetupError(f"A service code has no setting {', '.join(unknown)}.")
        code = values.get("code")
        if not isinstance(code, str):
            raise SetupError("A service code needs its code (such as H0015).")
        minimum = values.get("minimum_minutes")

        def codes(key: str, what: str) -> tuple[str, ...]:
            return tuple(m.upper() for m in text_list(f"Code {code}: {what}", values.get(key, [])))

        return cls(
            code=code.strip().upper(),
            description=limited_text(
                f"Code {code}: the description", values.get("description", ""), 300
            ),
            per=str(values.get("per", "day")),
            modalities=codes("modalities", "modalities"),
            modifiers=codes("modifiers", "modifiers"),
            telehealth_modifiers=codes("telehealth_modifiers", "telehealth modifiers"),
            minimum_minutes=None
            if minimum is None
            else check_range(f"Code {code}: the minimum minutes", minimum, 1, 1440),
        )


def check_service_codes(
    codes: Sequence[ServiceCode], modalities: Iterable[str]
) -> tuple[ServiceCode, ...]:
    """`codes` if every modality they name is one of `modalities` and no code repeats with
    the same modifiers."""
    known = set(modalities)
    seen: set[tuple[str, tuple[str, ...], tuple[str, ...]]] = set()
    for code in codes:
        unknown = sorted(set(code.modalities) - known)
        if unknown:
            raise SetupError(f"Code {code.code}: there is no modality {', '.join(unknown)}.")
        key = (code.code, code.modifiers, code.modalities)
        if key in seen:
            raise SetupError(f"Code {code.code} is listed twice with the same modifiers.")
        seen.add(key)
    return tuple(codes)


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
