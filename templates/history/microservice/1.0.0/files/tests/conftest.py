import pytest
from fastapi.testclient import TestClient

from [% package_name %].config import load_settings
from [% package_name %].main import create_app


@pytest.fixture
def client() -> TestClient:
    settings = load_settings({"MAX_ITEMS": "3"})
    return TestClient(create_app(settings))
