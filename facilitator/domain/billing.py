"""What a program bills: its service codes (program.service_codes) and the rules that turn
attended minutes into billable rows (per day or per block, minimum minutes, units, modifiers,
place of service)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from facilitator.domain.attendance import AttendanceMode
from facilitator.domain.errors import DomainError

OFFICE = "11"
"""CMS place of service 11 (office): an IOP held in the clinic's own group rooms."""
TELEHEALTH_HOME = "10"
"""CMS place of service 10: telehealth provided in the patient's home."""
TELEHEALTH_MODES = frozenset({AttendanceMode.VIDEO, AttendanceMode.TELEPHONE})


class ServiceCodeError(DomainError):
    """A program's service code list is malformed; the message names the entry and field."""


class BillingPer(StrEnum):
    DAY = "day"  # one row per participant per day reaching the minimum
    BLOCK = "block"  # one row per attended block of the listed modalities


@dataclass(frozen=True)
class ServiceCode:
    """One entry of program.service_codes."""

    code: str
    description: str
    per: BillingPer
    modalities: tuple[str, ...]  # modality codes; empty: every modality
    modifiers: tuple[str, ...]
    telehealth_modifiers: tuple[str, ...]  # added when attended by video or telephone
    minimum_minutes: int | None  # a day or block below it is not billed
    unit_minutes: int | None = None  # units = minutes // unit_minutes; None: 1 unit
    place_of_service: str = OFFICE
    telehealth_place_of_service: str = TELEHEALTH_HOME

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "") -> ServiceCode:
        """The entry as stored; ServiceCodeError saying which field is wrong."""
        name = f"{where}service code {data.get('code')!r}"
        code = data.get("code")
        if not isinstance(code, str) or not code.strip():
            raise ServiceCodeError(f"{where}a service code has no code.")
        try:
            per = BillingPer(data.get("per", "day"))
        except ValueError:
            raise ServiceCodeError(f'{name}: "per" must be "day" or "block".') from None
        return cls(
            code=code.strip(),
            description=str(data.get("description") or ""),
            per=per,
            modalities=_texts(data.get("modalities"), name, "modalities"),
            modifiers=_texts(data.get("modifiers"), name, "modifiers"),
            telehealth_modifiers=_texts(
                data.get("telehealth_modifiers"), name, "telehealth_modifiers"
            ),
            minimum_minutes=_minutes(data.get("minimum_minutes"), name, "minimum_minutes"),
            unit_minutes=_minutes(data.get("unit_minutes"), name, "unit_minutes", positive=True),
            place_of_service=_place(data.get("place_of_service"), OFFICE, name),
            telehealth_place_of_service=_place(
                data.get("telehealth_place_of_service"), TELEHEALTH_HOME, name
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
        extra = self.telehealth_modifiers if telehealth else ()
        return tuple(dict.fromkeys((*self.modifiers, *extra)))

    def place_for(self, telehealth: bool) -> str:
        return self.telehealth_place_of_service if telehealth else self.place_of_service


def service_codes(entries: Iterable[Mapping[str, Any]], program: str) -> list[ServiceCode]:
    """A program's stored list as ServiceCode values; ServiceCodeError naming the program."""
    return [ServiceCode.from_dict(entry, f"{program}: ") for entry in entries]


def mode_of(modes: Iterable[str]) -> str:
    """How a participant attended a day or block: one mode, or "mixed"."""
    found = set(modes)
    return found.pop() if len(found) == 1 else "mixed"


def is_telehealth(mode: str) -> bool:
    """True when any of the time was attended by video or telephone (a mixed day included)."""
    return mode in TELEHEALTH_MODES or mode == "mixed"


def _texts(value: Any, name: str, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ServiceCodeError(f'{name}: "{field}" must be a list of texts.')
    return tuple(v.strip() for v in value if v.strip())


def _minutes(value: Any, name: str, field: str, positive: bool = False) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < (1 if positive else 0):
        floor = "a whole number of minutes above 0" if positive else "a whole number of minutes"
        raise ServiceCodeError(f'{name}: "{field}" must be {floor} or empty.')
    return value


def _place(value: Any, default: str, name: str) -> str:
    if value is None:
        return default
    text = str(value).strip()
    if not (len(text) == 2 and text.isdigit()):
        raise ServiceCodeError(f"{name}: a place of service is two digits, such as 11 or 10.")
    return text
