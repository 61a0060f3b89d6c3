def test_health_reports_ok_and_the_service_name(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": "[% service_name %]"}


def test_openapi_document_names_the_service(client):
    assert client.get("/openapi.json").json()["info"]["title"] == "[% service_name %]"
