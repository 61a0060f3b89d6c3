import pytest

from [% package_name %].metrics import classification_metrics, confusion


def test_confusion_counts_each_outcome():
    assert confusion([1, 1, 0, 0], [1, 0, 1, 0]) == {"tp": 1, "fn": 1, "fp": 1, "tn": 1}


def test_perfect_predictions_score_one():
    assert classification_metrics([1, 0, 1], [1, 0, 1]) == {"accuracy": 1.0, "precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_no_positive_predictions_give_zero_precision_not_an_error():
    assert classification_metrics([1, 0], [0, 0])["precision"] == 0.0


def test_lengths_must_match():
    with pytest.raises(ValueError):
        confusion([1], [1, 0])
