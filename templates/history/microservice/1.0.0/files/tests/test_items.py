def test_created_items_can_be_read_back_and_listed(client):
    created = client.post("/items", json={"name": "widget", "quantity": 3})
    assert created.status_code == 201
    item = created.json()
    assert item == {"id": 1, "name": "widget", "quantity": 3}
    assert client.get(f"/items/{item['id']}").json() == item
    assert client.get("/items").json() == [item]


def test_invalid_items_are_refused_with_422(client):
    assert client.post("/items", json={"name": "", "quantity": 1}).status_code == 422
    assert client.post("/items", json={"name": "x", "quantity": -1}).status_code == 422


def test_unknown_items_answer_404(client):
    assert client.get("/items/99").status_code == 404
    assert client.delete("/items/99").status_code == 404


def test_deleted_items_are_gone(client):
    item = client.post("/items", json={"name": "gear", "quantity": 1}).json()
    assert client.delete(f"/items/{item['id']}").status_code == 204
    assert client.get(f"/items/{item['id']}").status_code == 404


def test_a_full_store_refuses_new_items(client):
    for index in range(3):
        assert client.post("/items", json={"name": f"n{index}", "quantity": index}).status_code == 201
    assert client.post("/items", json={"name": "one too many", "quantity": 1}).status_code == 507
