import pytest
from pydantic import ValidationError

from [% package_name %].config import Settings


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    settings = Settings()
    assert (settings.port, settings.log_level) == (9123, "DEBUG")


def test_an_invalid_port_is_refused(monkeypatch):
    monkeypatch.setenv("PORT", "not-a-port")
    with pytest.raises(ValidationError):
        Settings()
