"""Stage 3: evaluate the saved model on the test split and write metrics.json."""

import json

from . import model as model_lib
from .data import load_rows, to_matrix
from .metrics import classification_metrics
from .params import ROOT


def main() -> None:
    features, labels = to_matrix(load_rows(ROOT / "data" / "prepared" / "test.csv"))
    model = model_lib.load(ROOT / "models")
    metrics = classification_metrics(labels, model_lib.predict(model, features))
    (ROOT / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(metrics, sort_keys=True))


if __name__ == "__main__":
    main()
