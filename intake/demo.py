"""Demo data: a deterministic, realistic history of the intake chain (see `manage.py seed_demo`).

Track apps add their own demo data with `register_extension`: each extension runs after the candidates and
events are written, with the same seeded random generator, and must be deterministic for it too.
"""

import datetime
import random
from collections.abc import Callable

DemoExtension = Callable[..., None]  # called as fn(rng=random.Random, today=datetime.date)

_extensions: list[DemoExtension] = []


def register_extension(extension: DemoExtension) -> None:
    if extension not in _extensions:
        _extensions.append(extension)


def run_extensions(*, rng: random.Random, today: datetime.date) -> None:
    for extension in _extensions:
        extension(rng=rng, today=today)
