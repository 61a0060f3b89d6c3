"""Request and response bodies."""

from pydantic import BaseModel, Field


class ItemIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    quantity: int = Field(ge=0, le=1_000_000)


class Item(ItemIn):
    id: int


class Health(BaseModel):
    status: str
    service: str
