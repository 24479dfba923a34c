"""One code a program bills (an entry of program.service_codes): its validation, its stored
form (as_dict/from_dict, also the config file's [[program.service_code]]) and the billing
rules the export and a signed note's service lines share: which modalities it covers, units
from minutes, modifiers and place of service in person or by telehealth, minimum minutes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

from facilitator.domain.attendance import AttendanceMode
from facilitator.domain.clinic_setup import SetupError

# HCPCS level II (H0015, S9480), CPT (90853) and CPT category II/III (1234F, 0591T).
SERVICE_CODE_PATTERN = re.compile(r"^(?:[A-Z]\d{4}|\d{5}|\d{4}[FTU])$")
MODIFIER_PATTERN = re.compile(r"^[A-Z0-9]{2}$")
PLACE_PATTERN = re.compile(r"^\d{2}$")
MAX_MINUTES = 1440
DESCRIPTION_LIMIT = 300
OFFICE = "11"
"""CMS place of service 11 (office): an IOP held in the clinic's own group rooms."""
TELEHEALTH_HOME = "10"
"""CMS place of service 10: telehealth provided in the patient's home."""
TELEHEALTH_MODES = frozenset({AttendanceMode.VIDEO, AttendanceMode.TELEPHONE})


class ServiceCodeError(SetupError):
    """A service code the clinic cannot bill; the message names the code and the field."""


class BillingPer(StrEnum):
    DAY = "day"  # one row per participant per day reaching the minimum
    BLOCK = "block"  # one row per attended block of the listed modalities


@dataclass(frozen=True)
class ServiceCode:
    """One entry of program.service_codes; refuses what cannot be billed (ServiceCodeError)."""

    code: str
    description: str = ""
    per: BillingPer = BillingPer.DAY
    modalities: tuple[str, ...] = ()  # modality codes; empty: every modality
    modifiers: tuple[str, ...] = ()
    telehealth_modifiers: tuple[str, ...] = ()  # added when attended by video or telephone
    minimum_minutes: int | None = None  # a day or block below it is not billed
    unit_minutes: int | None = None  # units = minutes // unit_minutes; None: 1 unit
    place_of_service: str = OFFICE
    telehealth_place_of_service: str = TELEHEALTH_HOME

    def __post_init__(self) -> None:
        if not self.code.strip():
            raise ServiceCodeError(_NO_CODE)
        if not SERVICE_CODE_PATTERN.match(self.code):
            raise ServiceCodeError(
                f"{self.code!r} is not a billing code: use a HCPCS code (a letter and four "
                "digits, such as H0015 or S9480) or a CPT code (five digits, such as 90853)."
            )
        try:
            object.__setattr__(self, "per", BillingPer(self.per))
        except ValueError:
            raise ServiceCodeError(
                f'Code {self.code} is billed per day or per block: "per" must be "day" or '
                f'"block", not {self.per!r}.'
            ) from None
        if len(self.description) > DESCRIPTION_LIMIT:
            raise ServiceCodeError(
                f"Code {self.code}: the description is too long ({len(self.description)} "
                f"characters; at most {DESCRIPTION_LIMIT})."
            )
        for modifier in (*self.modifiers, *self.telehealth_modifiers):
            if not MODIFIER_PATTERN.match(modifier):
                raise ServiceCodeError(
                    f"Code {self.code}: the modifier {modifier!r} is not two letters or digits "
                    "(such as HQ, 95 or GT)."
                )
        _check_minutes(
            self.code,
            self.minimum_minutes,
            '"minimum_minutes" must be a whole number from 1 to 1440 (the minimum minutes of a '
            "day or block), or empty",
        )
        _check_minutes(
            self.code,
            self.unit_minutes,
            '"unit_minutes" must be a whole number of minutes above 0 (at most 1440; the '
            "minutes of one unit), or empty",
        )
        for place in (self.place_of_service, self.telehealth_place_of_service):
            if not PLACE_PATTERN.match(place):
                raise ServiceCodeError(
                    f"Code {self.code}: a place of service is two digits, such as 11 or 10, "
                    f"not {place!r}."
                )

    def as_dict(self) -> dict[str, Any]:
        """The stored form: the shared keys always, the optional ones only when set."""
        data: dict[str, Any] = {
            "code": self.code,
            "description": self.description,
            "per": str(self.per),
            "modalities": list(self.modalities),
            "modifiers": list(self.modifiers),
            "telehealth_modifiers": list(self.telehealth_modifiers),
            "minimum_minutes": self.minimum_minutes,
        }
        if self.unit_minutes is not None:
            data["unit_minutes"] = self.unit_minutes
        if self.place_of_service != OFFICE:
            data["place_of_service"] = self.place_of_service
        if self.telehealth_place_of_service != TELEHEALTH_HOME:
            data["telehealth_place_of_service"] = self.telehealth_place_of_service
        return data

    @classmethod
    def from_dict(cls, values: Mapping[str, Any], where: str = "") -> ServiceCode:
        """A code from its stored, imported or typed form; ServiceCodeError (prefixed with
        `where`, such as "Adult IOP: ") names what is wrong."""
        try:
            return cls._read(values)
        except ServiceCodeError as error:
            if not where:
                raise
            raise ServiceCodeError(f"{where}{error}") from None

    @classmethod
    def _read(cls, values: Mapping[str, Any]) -> ServiceCode:
        code = values.get("code")
        if not isinstance(code, str) or not code.strip():
            raise ServiceCodeError(_NO_CODE)
        code = code.strip().upper()
        unknown = sorted(set(values) - {f.name for f in fields(cls)})
        if unknown:
            raise ServiceCodeError(
                f"Code {code}: a service code has no setting {', '.join(unknown)}."
            )
        description = values.get("description", "")
        if not isinstance(description, str):
            raise ServiceCodeError(f"Code {code}: the description must be text.")
        return cls(
            code=code,
            description=description.strip(),
            per=values.get("per", BillingPer.DAY),
            modalities=_texts(code, "modalities", values.get("modalities")),
            modifiers=_texts(code, "modifiers", values.get("modifiers")),
            telehealth_modifiers=_texts(
                code, "telehealth_modifiers", values.get("telehealth_modifiers")
            ),
            minimum_minutes=values.get("minimum_minutes"),
            unit_minutes=values.get("unit_minutes"),
            place_of_service=_place(values.get("place_of_service"), OFFICE),
            telehealth_place_of_service=_place(
                values.get("telehealth_place_of_service"), TELEHEALTH_HOME
            ),
        )

    def covers(self, modality_code: str) -> bool:
        """True when a block of this modality counts toward the code."""
        return not self.modalities or modality_code in self.modalities

    def units(self, minutes: int) -> int:
        """Billable units for `minutes` attended: 0 under the minimum (or no minutes at all)."""
        if minutes <= 0 or minutes < (self.minimum_minutes or 0):
            return 0
        return minutes // self.unit_minutes if self.unit_minutes else 1

    def modifiers_for(self, telehealth: bool) -> tuple[str, ...]:
        """The modifiers, with the telehealth ones added (once) when attended remotely."""
        extra = self.telehealth_modifiers if telehealth else ()
        return tuple(dict.fromkeys((*self.modifiers, *extra)))

    def place_for(self, telehealth: bool) -> str:
        return self.telehealth_place_of_service if telehealth else self.place_of_service


_NO_CODE = "A service code has no code: it needs its code (such as H0015 or 90853)."


def service_codes(entries: Iterable[Mapping[str, Any]], program: str = "") -> list[ServiceCode]:
    """A program's stored list as ServiceCode values; ServiceCodeError naming the program."""
    where = f"{program}: " if program else ""
    return [ServiceCode.from_dict(entry, where) for entry in entries]


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
            raise ServiceCodeError(f"Code {code.code}: there is no modality {', '.join(unknown)}.")
        key = (code.code, code.modifiers, code.modalities)
        if key in seen:
            raise ServiceCodeError(f"Code {code.code} is listed twice with the same modifiers.")
        seen.add(key)
    return tuple(codes)


def mode_of(modes: Iterable[str]) -> str:
    """How a participant attended a day or block: one mode, or "mixed"."""
    found = set(modes)
    return found.pop() if len(found) == 1 else "mixed"


def is_telehealth(mode: str) -> bool:
    """True when any of the time was attended by video or telephone (a mixed day included)."""
    return mode in TELEHEALTH_MODES or mode == "mixed"


def _texts(code: str, field: str, value: Any) -> tuple[str, ...]:
    """A list of non-empty texts, upper-cased (modality codes and modifiers are)."""
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ServiceCodeError(f'Code {code}: "{field}" must be a list of texts.')
    if not all(v.strip() for v in value):
        raise ServiceCodeError(f'Code {code}: "{field}" has an empty item.')
    return tuple(v.strip().upper() for v in value)


def _check_minutes(code: str, value: object, rule: str) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MINUTES:
        raise ServiceCodeError(f"Code {code}: {rule}; not {value!r}.")


def _place(value: Any, default: str) -> str:
    return default if value is None else str(value).strip()
