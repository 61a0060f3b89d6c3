"""Reads params.yaml (the parameters DVC tracks)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_params(path: Path = ROOT / "params.yaml") -> dict:
    import yaml

    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)
