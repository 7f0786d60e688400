"""BRAT standoff (.ann) files as used by PolNeAR: text-bound entities and attribution events."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Entity:
    """A text-bound annotation ``T<n>``: its type and (possibly discontinuous) spans."""

    id: str
    type: str
    spans: Spans

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


@dataclass
class Event:
    """An event ``E<n>``: its type and role -> entity id."""

    id: str
    type: str
    roles: dict[str, str] = field(default_factory=dict)


def parse_ann(text: str) -> tuple[dict[str, Entity], list[Event]]:
    """Entities and events of an .ann file. Only lines starting with T or E are read: an
    entity's text may run over several lines, and those continuation lines are skipped."""
    entities: dict[str, Entity] = {}
    events: list[Event] = []
    for line in text.splitlines():
        if line.startswith("T") and "\t" in line:
            parts = line.split("\t")
            if len(parts) < 2 or not parts[0][1:].isdigit():
                continue
            kind, _, offsets = parts[1].partition(" ")
            try:
                spans = tuple(
                    (int(a), int(b)) for a, b in (piece.split() for piece in offsets.split(";"))
                )
            except ValueError:
                continue
            entities[parts[0]] = Entity(parts[0], kind, spans)
        elif line.startswith("E") and "\t" in line:
            ident, _, body = line.partition("\t")
            items = body.split()
            if not items or not ident[1:].isdigit():
                continue
            etype, _, _ = items[0].partition(":")
            roles = dict(item.split(":", 1) for item in items[1:] if ":" in item)
            events.append(Event(ident, etype, roles))
    return entities, events


def read_ann(path: Path) -> tuple[dict[str, Entity], list[Event]]:
    return parse_ann(path.read_text(encoding="utf-8"))
