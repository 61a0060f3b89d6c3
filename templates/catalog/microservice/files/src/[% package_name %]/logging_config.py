"""Logging for the service and uvicorn: one format, one level, to stdout (the container's log)."""

import logging.config

from .config import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
JSON_FORMAT = '{"time": "%(asctime)s", "level": "%(levelname)s", "logger": "%(name)s", "message": "%(message)s"}'


def logging_config(settings: Settings) -> dict:
    """A dictConfig for the root, uvicorn and the service's own loggers."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": {"format": JSON_FORMAT if settings.log_format == "json" else TEXT_FORMAT}},
        "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stdout"}},
        "root": {"handlers": ["stdout"], "level": settings.log_level},
        "loggers": {
            "uvicorn": {"handlers": ["stdout"], "level": settings.log_level, "propagate": False},
            "uvicorn.error": {"handlers": ["stdout"], "level": settings.log_level, "propagate": False},
            "uvicorn.access": {"handlers": ["stdout"], "level": settings.log_level, "propagate": False},
        },
    }


def configure_logging(settings: Settings) -> None:
    logging.config.dictConfig(logging_config(settings))
