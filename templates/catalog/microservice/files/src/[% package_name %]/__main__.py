"""`python -m [% package_name %]`: serve the API with uvicorn on HOST:PORT from the settings."""

import uvicorn

from .config import get_settings
from .logging_config import logging_config


def main() -> None:
    settings = get_settings()
    uvicorn.run(
        "[% package_name %].main:app",
        host=settings.host,
        port=settings.port,
        log_config=logging_config(settings),
    )


if __name__ == "__main__":
    main()
