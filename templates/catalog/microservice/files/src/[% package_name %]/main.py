"""The HTTP API of [% service_name %]."""

import logging

from fastapi import FastAPI, HTTPException, status

from .config import Settings, get_settings
from .logging_config import configure_logging
from .models import Health, Item, ItemIn
from .store import ItemStore, StoreFull

logger = logging.getLogger(__name__)


def create_app(settings: "Settings | None" = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings)
    store = ItemStore(settings.max_items)
    app = FastAPI(title="[% service_name %]", description="[% description %]", version="0.1.0")

    @app.get("/health", response_model=Health)
    def health() -> Health:
        return Health(status="ok", service=settings.service_name)

    @app.get("/items", response_model=list[Item])
    def list_items() -> "list[Item]":
        return store.list()

    @app.post("/items", response_model=Item, status_code=status.HTTP_201_CREATED)
    def create_item(data: ItemIn) -> Item:
        try:
            return store.add(data)
        except StoreFull:
            logger.warning("store full at %d items", settings.max_items)
            raise HTTPException(status_code=507, detail="The store is full") from None

    @app.get("/items/{item_id}", response_model=Item)
    def get_item(item_id: int) -> Item:
        item = store.get(item_id)
        if item is None:
            raise HTTPException(status_code=404, detail="Item not found")
        return item

    @app.delete("/items/{item_id}", status_code=status.HTTP_204_NO_CONTENT)
    def delete_item(item_id: int) -> None:
        if not store.delete(item_id):
            raise HTTPException(status_code=404, detail="Item not found")

    return app


app = create_app()
