"""Read the shipped content in resources/: modalities, curriculum, note templates, phrases."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from facilitator.domain.measures import MeasureDefinition, definition_from_dict
from facilitator.domain.notes import NoteTemplate, TemplateField


@dataclass(frozen=True)
class ModalityContent:
    code: str
    name: str
    description: str
    interventions: tuple[str, ...]


@dataclass(frozen=True)
class TopicContent:
    modality: str
    order: int
    title: str
    objectives: tuple[str, ...]
    outline: str
    handouts: tuple[str, ...]


def _root() -> Traversable:
    return files("resources")


def _load(relative: str) -> dict[str, Any]:
    resource = _root().joinpath(relative)
    return tomllib.loads(resource.read_text(encoding="utf-8"))


def demo_setup() -> dict[str, Any]:
    """The demo clinic's setup file (resources/demo/clinic.toml), read afresh."""
    return _load("demo/clinic.toml")


@cache
def modalities() -> tuple[ModalityContent, ...]:
    return tuple(
        ModalityContent(m["code"], m["name"], m["description"], tuple(m["interventions"]))
        for m in _load("modalities.toml")["modality"]
    )


@cache
def curriculum() -> tuple[TopicContent, ...]:
    """Every shipped topic, ordered by modality file name and then topic order."""
    topics: list[TopicContent] = []
    folder = _root().joinpath("curriculum")
    for resource in sorted(folder.iterdir(), key=lambda r: r.name):
        if not resource.name.endswith(".toml"):
            continue
        data = tomllib.loads(resource.read_text(encoding="utf-8"))
        for t in sorted(data["topic"], key=lambda t: t["order"]):
            topics.append(
                TopicContent(
                    modality=data["modality"],
                    order=t["order"],
                    title=t["title"],
                    objectives=tuple(t["objectives"]),
                    outline=t["outline"].strip(),
                    handouts=tuple(t.get("handouts", ())),
                )
            )
    return tuple(topics)


@cache
def note_templates() -> dict[str, NoteTemplate]:
    """The shipped note templates keyed by code (GIRP, DAP, BIRP, SOAP)."""
    templates: dict[str, NoteTemplate] = {}
    folder = _root().joinpath("templates")
    for resource in sorted(folder.iterdir(), key=lambda r: r.name):
        if not resource.name.endswith(".toml"):
            continue
        data = tomllib.loads(resource.read_text(encoding="utf-8"))
        fields = tuple(
            TemplateField(
                key=f["key"],
                label=f["label"],
                help=f["help"],
                required=bool(f["required"]),
                quick_phrases=tuple(f.get("quick_phrases", ())),
            )
            for f in data["field"]
        )
        templates[data["code"]] = NoteTemplate(
            data["code"], data["name"], data["description"], fields
        )
    return templates


@cache
def measures() -> tuple[MeasureDefinition, ...]:
    """The shipped outcome measures (PHQ-9, GAD-7, craving, readiness), by file name."""
    folder = _root().joinpath("measures")
    return tuple(
        definition_from_dict(tomllib.loads(resource.read_text(encoding="utf-8")))
        for resource in sorted(folder.iterdir(), key=lambda r: r.name)
        if resource.name.endswith(".toml")
    )


@cache
def pick_lists() -> dict[str, tuple[str, ...]]:
    """Mood, affect, participation, response and goal-progress choices."""
    return {key: tuple(values) for key, values in _load("quick_phrases.toml").items()}


@cache
def part2_notice() -> str:
    """The 42 CFR Part 2 redisclosure notice printed on every document with PHI."""
    return _root().joinpath("part2_notice.txt").read_text(encoding="utf-8").strip()


@dataclass(frozen=True)
class SignatureText:
    """What a kind of signature means, and the attestation its signer accepts."""

    meaning: str
    attestation: str


@cache
def signature_texts() -> dict[str, SignatureText]:
    """Keyed by kind: "author", "cosigner" (SignatureRole values) and "addendum"."""
    return {
        kind: SignatureText(text["meaning"], text["attestation"].strip())
        for kind, text in _load("signing.toml").items()
    }
