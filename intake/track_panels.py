"""Track apps show their own data on the candidate page without intake importing them: each registers a
panel (a template and a function that builds its context) for its track code when it starts."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TrackPanel:
    template_name: str
    context: Callable[[Any, Any], dict]  # (request, candidate) -> template context


_panels: dict[str, list[TrackPanel]] = defaultdict(list)


def register_panel(track_code: str, panel: TrackPanel) -> None:
    if panel not in _panels[track_code]:
        _panels[track_code].append(panel)


def panels_for(request, candidate) -> list[tuple[str, dict]]:
    """(template name, context) for each panel of the candidate's track."""
    return [(p.template_name, p.context(request, candidate)) for p in _panels[candidate.instroomspoor.code]]
