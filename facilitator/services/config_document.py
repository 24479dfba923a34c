"""A clinic's setup as a document: each setup item as the config file writes it (export), and
the file's items read back into the setup services' values (import)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from facilitator.domain.clinic_setup import SetupError, template_from_data
from facilitator.domain.measures import MeasureSchedule
from facilitator.domain.notes import NoteTemplate
from facilitator.domain.schedule import WEEKDAY_NAMES
from facilitator.domain.service_codes import ServiceCode
from facilitator.services.clinic_profile import FIELDS as PROFILE_FIELDS
from facilitator.services.clinic_profile import ClinicProfile
from facilitator.services.curriculum_setup import (
    ModalityDetails,
    TopicDetails,
    modality_details,
    ordered_topics,
    topic_details,
)
from facilitator.services.group_schedule import ScheduleEntry, SchedulePeriod, schedule_periods
from facilitator.services.programs_setup import ProgramDetails, program_details
from facilitator.storage.models import Group, Modality, NoteTemplateRecord, Program

FORMAT = 1


# --- export: one dict per item ------------------------------------------------------------
def clinic_data(profile: ClinicProfile) -> dict[str, Any]:
    return profile.as_setting()


def template_data(record: NoteTemplateRecord) -> dict[str, Any]:
    data: dict[str, Any] = {"code": record.code, "name": record.name}
    data["description"] = record.description
    if not record.active:
        data["active"] = False
    data["field"] = [dict(f) for f in record.fields]
    return data


def topic_data(details: TopicDetails) -> dict[str, Any]:
    return {
        "order": details.order,
        "title": details.title,
        "objectives": list(details.objectives),
        "outline": details.outline,
        "handouts": list(details.handouts),
    }


def modality_data(modality: Modality) -> dict[str, Any]:
    details = modality_details(modality)
    data: dict[str, Any] = {
        "code": details.code,
        "name": details.name,
        "description": details.description,
        "interventions": list(details.interventions),
    }
    if not modality.active:
        data["active"] = False
    data["topic"] = [topic_data(topic_details(t)) for t in ordered_topics(modality)]
    return data


def program_data(program: Program) -> dict[str, Any]:
    details = program_details(program)
    data: dict[str, Any] = {
        "name": details.name,
        "level_of_care": details.level_of_care,
        "days_per_week": details.days_per_week,
        "daily_minimum_minutes": details.daily_minimum_minutes,
        "weekly_target_minutes": details.weekly_target_minutes,
        "note_template": details.note_template,
        "late_entry_hours": details.late_entry_hours,
        "length_weeks": details.length_weeks,
    }
    if not program.active:
        data["active"] = False
    schedule = details.measure_schedule.as_dict()
    data["measure_schedule"] = schedule
    data["service_code"] = [c.as_dict() for c in details.service_codes]
    return data


def entry_data(entry: ScheduleEntry) -> dict[str, Any]:
    return {
        "weekday": WEEKDAY_NAMES[entry.weekday],
        "start": entry.start,
        "end": entry.end,
        "modality": entry.modality,
        "room": entry.room,
    }


def schedule_data(periods: Sequence[SchedulePeriod]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for index, period in enumerate(periods):
        following = periods[index + 1].effective_from if index + 1 < len(periods) else None
        until = period.effective_until if period.effective_until != following else None
        out.append(
            {
                "effective_from": period.effective_from,
                "effective_until": until,
                "block": [entry_data(e) for e in period.entries],
            }
        )
    return out


def group_data(group: Group) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": group.name,
        "program": group.program.name,
        "room": group.room,
        "capacity": group.capacity,
        "facilitator": group.default_facilitator.username if group.default_facilitator else None,
        "co_facilitator": group.co_facilitator.username if group.co_facilitator else None,
        "note_template": group.note_template,
    }
    if not group.active:
        data["active"] = False
    data["schedule"] = schedule_data(schedule_periods(group))
    return data


# --- import: the file's items as the services take them -----------------------------------
@dataclass(frozen=True)
class TemplateItem:
    where: str
    template: NoteTemplate
    active: bool


@dataclass(frozen=True)
class ModalityItem:
    where: str
    details: ModalityDetails
    active: bool
    topics: tuple[TopicDetails, ...]


@dataclass(frozen=True)
class ProgramItem:
    where: str
    details: ProgramDetails
    active: bool


@dataclass(frozen=True)
class GroupItem:
    where: str
    name: str
    program: str
    room: str
    capacity: int | None
    facilitator: str | None
    co_facilitator: str | None
    note_template: str | None
    active: bool
    periods: tuple[SchedulePeriod, ...]


class Reader:
    """Typed access to one table of the file; errors name the item and the key."""

    def __init__(self, data: Any, where: str, known: Sequence[str]) -> None:
        if not isinstance(data, Mapping):
            raise SetupError(f"{where}: expected a table of settings.")
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise SetupError(f"{where}: unknown setting {', '.join(unknown)}.")
        self.data = data
        self.where = where

    def value(self, key: str, kinds: tuple[type, ...], default: Any, what: str) -> Any:
        value = self.data.get(key, default)
        if value is default:
            return default
        if isinstance(value, bool) and bool not in kinds:
            raise SetupError(f"{self.where}: {key} must be {what}.")
        if not isinstance(value, kinds):
            raise SetupError(f"{self.where}: {key} must be {what}.")
        return value

    def text(self, key: str, default: str | None = "") -> Any:
        return self.value(key, (str,), default, "text")

    def number(self, key: str, default: int | None = None) -> Any:
        return self.value(key, (int,), default, "a whole number")

    def flag(self, key: str, default: bool = True) -> bool:
        return bool(self.value(key, (bool,), default, "true or false"))

    def texts(self, key: str) -> list[str]:
        value = self.value(key, (list,), [], "a list of text")
        if not all(isinstance(v, str) for v in value):
            raise SetupError(f"{self.where}: {key} must be a list of text.")
        return list(value)

    def tables(self, key: str) -> list[Any]:
        return list(self.value(key, (list,), [], "a list of tables ([[...]])"))

    def table(self, key: str) -> Mapping[str, Any]:
        return dict(self.value(key, (dict,), {}, "a table"))

    def required(self, key: str) -> str:
        value = self.text(key, None)
        if value is None or not value.strip():
            raise SetupError(f"{self.where}: {key} is required.")
        return str(value)


def read_clinic(data: Any) -> ClinicProfile:
    reader = Reader(data, "[clinic]", PROFILE_FIELDS)
    return ClinicProfile(**{key: reader.text(key) for key in PROFILE_FIELDS})


def read_template(data: Any, where: str) -> TemplateItem:
    reader = Reader(data, where, ("code", "name", "description", "active", "field"))
    template = template_from_data(
        reader.required("code"),
        reader.required("name"),
        reader.text("description"),
        reader.tables("field"),
    )
    return TemplateItem(where, template, reader.flag("active"))


def read_modality(data: Any, where: str) -> ModalityItem:
    reader = Reader(
        data, where, ("code", "name", "description", "interventions", "active", "topic")
    )
    details = ModalityDetails(
        reader.required("code"),
        reader.required("name"),
        reader.text("description"),
        tuple(reader.texts("interventions")),
    )
    topics = tuple(
        read_topic(t, f"{where} topic {index}")
        for index, t in enumerate(reader.tables("topic"), start=1)
    )
    titles = [t.title.strip() for t in topics]
    repeated = sorted({t for t in titles if titles.count(t) > 1})
    if repeated:
        raise SetupError(f"{where}: the topic {repeated[0]!r} appears twice.")
    return ModalityItem(where, details, reader.flag("active"), topics)


def read_topic(data: Any, where: str) -> TopicDetails:
    reader = Reader(data, where, ("order", "title", "objectives", "outline", "handouts"))
    return TopicDetails(
        reader.required("title"),
        reader.number("order", 1),
        tuple(reader.texts("objectives")),
        reader.text("outline").strip(),
        tuple(reader.texts("handouts")),
    )


PROGRAM_KEYS = (
    "name",
    "level_of_care",
    "days_per_week",
    "daily_minimum_minutes",
    "weekly_target_minutes",
    "note_template",
    "late_entry_hours",
    "length_weeks",
    "active",
    "measure_schedule",
    "service_code",
)


def read_program(data: Any, where: str) -> ProgramItem:
    reader = Reader(data, where, PROGRAM_KEYS)
    schedule = Reader(
        reader.table("measure_schedule"),
        f"{where} measure_schedule",
        ("measures", "at_admission", "every_weeks", "at_discharge"),
    )
    details = ProgramDetails(
        name=reader.required("name"),
        level_of_care=reader.required("level_of_care"),
        days_per_week=reader.number("days_per_week", 4),
        daily_minimum_minutes=reader.number("daily_minimum_minutes", 180),
        weekly_target_minutes=reader.number("weekly_target_minutes", 720),
        note_template=reader.text("note_template", "GIRP"),
        measure_schedule=MeasureSchedule(
            measures=tuple(schedule.texts("measures")),
            at_admission=schedule.flag("at_admission"),
            every_weeks=schedule.number("every_weeks"),
            at_discharge=schedule.flag("at_discharge"),
        ),
        late_entry_hours=reader.number("late_entry_hours", 24),
        service_codes=tuple(ServiceCode.from_dict(c) for c in reader.tables("service_code")),
        length_weeks=reader.number("length_weeks"),
    )
    return ProgramItem(where, details, reader.flag("active"))


GROUP_KEYS = (
    "name",
    "program",
    "room",
    "capacity",
    "facilitator",
    "co_facilitator",
    "note_template",
    "active",
    "schedule",
)


def read_group(data: Any, where: str) -> GroupItem:
    reader = Reader(data, where, GROUP_KEYS)
    raw = [
        _read_period(p, f"{where} schedule {index}")
        for index, p in enumerate(reader.tables("schedule"), start=1)
    ]
    periods: list[SchedulePeriod] = []
    for index, (start, until, entries) in enumerate(raw):
        following = raw[index + 1][0] if index + 1 < len(raw) else None
        periods.append(SchedulePeriod(start, until or following, entries))
    for earlier, later in itertools.pairwise(periods):
        if later.effective_from is None or (
            earlier.effective_from is not None and later.effective_from <= earlier.effective_from
        ):
            raise SetupError(f"{where}: schedules are listed oldest first, each from its date.")
        if earlier.effective_until is not None and earlier.effective_until > later.effective_from:
            raise SetupError(
                f"{where}: the schedule from {earlier.effective_from} runs until "
                f"{earlier.effective_until}, past the start of the next one "
                f"({later.effective_from})."
            )
    return GroupItem(
        where=where,
        name=reader.required("name"),
        program=reader.required("program"),
        room=reader.text("room"),
        capacity=reader.number("capacity"),
        facilitator=reader.text("facilitator", None),
        co_facilitator=reader.text("co_facilitator", None),
        note_template=reader.text("note_template", None),
        active=reader.flag("active"),
        periods=tuple(periods),
    )


def _read_period(
    data: Any, where: str
) -> tuple[date | None, date | None, tuple[ScheduleEntry, ...]]:
    reader = Reader(data, where, ("effective_from", "effective_until", "block"))
    start = reader.value("effective_from", (date,), None, "a date (2026-01-05)")
    until = reader.value("effective_until", (date,), None, "a date (2026-01-05)")
    entries = tuple(
        sorted(
            _read_entry(b, f"{where} block {index}")
            for index, b in enumerate(reader.tables("block"), start=1)
        )
    )
    return start, until, entries


def _weekday(value: Any, where: str) -> int:
    if isinstance(value, str):
        for index, name in enumerate(WEEKDAY_NAMES):
            if value.strip().lower() in (name.lower(), name[:3].lower()):
                return index
    raise SetupError(f"{where}: weekday is a day's name (Monday ... Sunday), not {value!r}.")


def _time(value: Any, key: str, where: str) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise SetupError(f"{where}: {key} is a time such as 09:00, not {value!r}.")


def _read_entry(data: Any, where: str) -> ScheduleEntry:
    reader = Reader(data, where, ("weekday", "start", "end", "modality", "room"))
    start = _time(reader.data.get("start"), "start", where)
    end = _time(reader.data.get("end"), "end", where)
    if end <= start:
        raise SetupError(f"{where}: a block must end after it starts ({start:%H:%M}-{end:%H:%M}).")
    room = reader.text("room", None)
    return ScheduleEntry(
        _weekday(reader.data.get("weekday"), where),
        start,
        end,
        reader.required("modality").strip().upper(),
        room.strip() or None if room is not None else None,
    )
