"""The data-quality suite passes on the cleaned sample and names what fails on bad rows (skipped without Great Expectations)."""

import pytest

pytest.importorskip("great_expectations")
pd = pytest.importorskip("pandas")

from pipeline.extract import extract_customers, extract_orders  # noqa: E402
from pipeline.quality import validate_orders  # noqa: E402
from pipeline.transform import clean_orders, write_orders  # noqa: E402


def cleaned_sample(tmp_path):
    customers = {int(row["customer_id"]) for row in extract_customers()}
    valid, _ = clean_orders(extract_orders(), customers)
    return pd.read_csv(write_orders(valid, tmp_path / "orders.csv"), dtype={"order_date": str})


def test_the_cleaned_sample_meets_every_expectation(tmp_path):
    assert validate_orders(cleaned_sample(tmp_path)) == (True, [])


def test_an_unknown_status_and_a_duplicate_id_are_reported(tmp_path):
    frame = cleaned_sample(tmp_path)
    bad = pd.concat([frame, frame.head(1).assign(status="lost")], ignore_index=True)
    success, failures = validate_orders(bad)
    assert not success
    assert "expect_column_values_to_be_in_set status" in failures
    assert "expect_column_values_to_be_unique order_id" in failures
