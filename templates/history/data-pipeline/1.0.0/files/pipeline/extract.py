"""Reads the pipeline's sources. Each reader returns plain dicts so the steps stay testable without a warehouse."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"


def read_csv(path: Path) -> "list[dict[str, str]]":
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def extract_orders(data_dir: Path = DATA_DIR) -> "list[dict[str, str]]":
    return read_csv(data_dir / "orders.csv")


def extract_customers(data_dir: Path = DATA_DIR) -> "list[dict[str, str]]":
    return read_csv(data_dir / "customers.csv")
