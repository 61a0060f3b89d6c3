"""Cleans extracted rows: typed values, invalid rows set aside with the reason."""

import csv
from dataclasses import asdict, dataclass, fields
from datetime import date
from pathlib import Path

STATUSES = {"placed", "shipped", "delivered", "returned"}


@dataclass(frozen=True)
class Order:
    order_id: int
    customer_id: int
    order_date: date
    status: str
    amount: float


def parse_order(row: "dict[str, str]") -> Order:
    status = row["status"].strip().lower()
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    amount = float(row["amount"])
    if amount < 0:
        raise ValueError("negative amount")
    return Order(
        order_id=int(row["order_id"]),
        customer_id=int(row["customer_id"]),
        order_date=date.fromisoformat(row["order_date"]),
        status=status,
        amount=round(amount, 2),
    )


def clean_orders(rows: "list[dict[str, str]]", known_customers: "set[int]") -> "tuple[list[Order], list[tuple[dict[str, str], str]]]":
    """Returns the valid orders (first occurrence of each id) and the rejected rows with why."""
    valid: "list[Order]" = []
    rejected: "list[tuple[dict[str, str], str]]" = []
    seen: "set[int]" = set()
    for row in rows:
        try:
            order = parse_order(row)
        except (KeyError, ValueError) as error:
            rejected.append((row, str(error)))
            continue
        if order.order_id in seen:
            rejected.append((row, "duplicate order_id"))
        elif order.customer_id not in known_customers:
            rejected.append((row, "unknown customer"))
        else:
            seen.add(order.order_id)
            valid.append(order)
    return valid, rejected


def revenue_by_status(orders: "list[Order]") -> "dict[str, float]":
    totals: "dict[str, float]" = {}
    for order in orders:
        totals[order.status] = round(totals.get(order.status, 0.0) + order.amount, 2)
    return totals


def write_orders(orders: "list[Order]", path: Path) -> Path:
    """Writes the cleaned orders as CSV (ISO dates), the input of the quality check."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[field.name for field in fields(Order)])
        writer.writeheader()
        for order in orders:
            writer.writerow({**asdict(order), "order_date": order.order_date.isoformat()})
    return path
