"""Loading and splitting the data set, with the standard library only."""

import csv
import random
from pathlib import Path

FEATURES = ["tenure_months", "monthly_charges", "support_calls"]
TARGET = "churned"


def load_rows(path: Path) -> "list[dict[str, float]]":
    with path.open(newline="", encoding="utf-8") as handle:
        return [{key: float(value) for key, value in row.items()} for row in csv.DictReader(handle)]


def split(rows: "list[dict[str, float]]", test_fraction: float, seed: int) -> "tuple[list[dict[str, float]], list[dict[str, float]]]":
    """A seeded shuffle, then the last share is the test set: the same seed gives the same split."""
    if not 0 < test_fraction < 1:
        raise ValueError("test_fraction must be between 0 and 1")
    shuffled = rows[:]
    random.Random(seed).shuffle(shuffled)
    cut = len(shuffled) - max(1, round(len(shuffled) * test_fraction))
    return shuffled[:cut], shuffled[cut:]


def to_matrix(rows: "list[dict[str, float]]") -> "tuple[list[list[float]], list[int]]":
    return [[row[name] for name in FEATURES] for row in rows], [int(row[TARGET]) for row in rows]


def write_rows(rows: "list[dict[str, float]]", path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
