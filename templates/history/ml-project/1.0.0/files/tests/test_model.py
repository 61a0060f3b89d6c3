"""Trains the [% framework %] model on the sample; skipped where the framework is not installed."""

from pathlib import Path

import pytest

from [% package_name %] import model as model_lib
from [% package_name %].data import load_rows, split, to_matrix
from [% package_name %].metrics import classification_metrics

[%#framework=sklearn%]
pytest.importorskip("sklearn")
[%/framework=sklearn%]
[%#framework=pytorch%]
pytest.importorskip("torch")
[%/framework=pytorch%]
[%#framework=tensorflow%]
pytest.importorskip("tensorflow")
[%/framework=tensorflow%]

RAW = Path(__file__).resolve().parent.parent / "data" / "raw" / "customers.csv"


def test_the_model_beats_guessing_the_majority_class(tmp_path):
    train, test = split(load_rows(RAW), 0.25, 42)
    features, labels = to_matrix(train)
    model = model_lib.fit(model_lib.build(50, 42), features, labels)
    test_features, test_labels = to_matrix(test)
    majority = max(set(test_labels), key=test_labels.count)
    baseline = test_labels.count(majority) / len(test_labels)
    accuracy = classification_metrics(test_labels, model_lib.predict(model, test_features))["accuracy"]
    assert accuracy >= baseline
    loaded = model_lib.load(model_lib.save(model, tmp_path).parent)
    assert model_lib.predict(loaded, test_features) == model_lib.predict(model, test_features)
