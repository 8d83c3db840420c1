"""Voice engines: placeholder until the engines land (only ``none``)."""

from pathlib import Path
from typing import Any


def engine_for(voice: Any, base_dir: Path) -> Any:
    raise NotImplementedError("voice engines are not wired yet")
