"""Feature scaling fitted on the training rows and saved with the model, so one row is scaled like the training data."""

import json
from pathlib import Path

STATS_FILE = "normalisation.json"


def fit_stats(features: "list[list[float]]") -> "dict[str, list[float]]":
    """Mean and standard deviation of each column (a constant column gets 1.0, so it scales to 0)."""
    if not features:
        raise ValueError("cannot fit normalisation statistics on no rows")
    columns = list(zip(*features, strict=True))
    means = [sum(column) / len(column) for column in columns]
    stds = []
    for column, mean in zip(columns, means, strict=True):
        variance = sum((value - mean) ** 2 for value in column) / len(column)
        stds.append(variance**0.5 or 1.0)
    return {"mean": means, "std": stds}


def apply(features: "list[list[float]]", stats: "dict[str, list[float]]") -> "list[list[float]]":
    return [[(value - mean) / std for value, mean, std in zip(row, stats["mean"], stats["std"], strict=True)] for row in features]


def save_stats(stats: "dict[str, list[float]]", folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / STATS_FILE).write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    return folder / STATS_FILE


def load_stats(folder: Path) -> "dict[str, list[float]]":
    return json.loads((folder / STATS_FILE).read_text(encoding="utf-8"))
