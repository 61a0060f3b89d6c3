from pathlib import Path

from [% package_name %].data import FEATURES, load_rows, split, to_matrix

RAW = Path(__file__).resolve().parent.parent / "data" / "raw" / "customers.csv"


def test_the_sample_has_features_and_both_classes():
    rows = load_rows(RAW)
    assert len(rows) == 120
    _, labels = to_matrix(rows)
    assert set(labels) == {0, 1}
    assert all(name in rows[0] for name in FEATURES)


def test_the_split_is_seeded_and_disjoint():
    rows = load_rows(RAW)
    train, test = split(rows, [% test_fraction %] / 100, [% random_seed %])
    again_train, again_test = split(rows, [% test_fraction %] / 100, [% random_seed %])
    assert (train, test) == (again_train, again_test)
    assert len(train) + len(test) == len(rows)
    assert not {row["customer_id"] for row in train} & {row["customer_id"] for row in test}
