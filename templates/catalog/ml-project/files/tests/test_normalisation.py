"""The scaling statistics come from the training rows, are saved with the model and scale a single row the same way."""

import pytest

from [% package_name %].normalisation import apply, fit_stats, load_stats, save_stats


def test_statistics_are_the_training_columns_mean_and_std():
    stats = fit_stats([[1.0, 10.0], [3.0, 10.0]])
    assert stats == {"mean": [2.0, 10.0], "std": [1.0, 1.0]}


def test_a_single_row_is_scaled_with_the_saved_statistics_not_its_own(tmp_path):
    stats = fit_stats([[0.0, 100.0], [10.0, 300.0]])
    loaded = load_stats(save_stats(stats, tmp_path).parent)
    assert loaded == stats
    # Scaled with its own (one-row) statistics this row would become [0, 0] and every prediction the same.
    assert apply([[10.0, 100.0]], loaded) == [[1.0, -1.0]]


def test_no_rows_cannot_be_fitted():
    with pytest.raises(ValueError):
        fit_stats([])
