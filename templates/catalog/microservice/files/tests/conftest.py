import pytest
from fastapi.testclient import TestClient

from [% package_name %].config import Settings
from [% package_name %].main import create_app


@pytest.fixture
def client() -> TestClient:
    settings = Settings(max_items=3)
    return TestClient(create_app(settings))
