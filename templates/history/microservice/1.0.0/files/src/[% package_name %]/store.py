"""An in-memory item store; replace it with a database adapter behind the same methods."""

from threading import Lock

from .models import Item, ItemIn


class StoreFull(Exception):
    pass


class ItemStore:
    def __init__(self, max_items: int) -> None:
        self._items: "dict[int, Item]" = {}
        self._next_id = 1
        self._max_items = max_items
        self._lock = Lock()

    def add(self, data: ItemIn) -> Item:
        with self._lock:
            if len(self._items) >= self._max_items:
                raise StoreFull()
            item = Item(id=self._next_id, **data.model_dump())
            self._items[item.id] = item
            self._next_id += 1
            return item

    def get(self, item_id: int) -> "Item | None":
        return self._items.get(item_id)

    def list(self) -> "list[Item]":
        return sorted(self._items.values(), key=lambda item: item.id)

    def delete(self, item_id: int) -> bool:
        with self._lock:
            return self._items.pop(item_id, None) is not None
