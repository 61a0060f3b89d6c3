"""Settings read once from the environment."""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    service_name: str
    port: int
    max_items: int


def load_settings(env: "dict[str, str] | None" = None) -> Settings:
    source = os.environ if env is None else env
    return Settings(
        service_name=source.get("SERVICE_NAME", "[% service_name %]"),
        port=int(source.get("PORT", "[% port %]")),
        max_items=int(source.get("MAX_ITEMS", "1000")),
    )
