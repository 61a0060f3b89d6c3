import pytest

from pipeline.extract import extract_customers, extract_orders
from pipeline.transform import clean_orders, parse_order, revenue_by_status


def test_sample_data_keeps_valid_orders_and_names_each_rejection():
    customers = {int(row["customer_id"]) for row in extract_customers()}
    valid, rejected = clean_orders(extract_orders(), customers)
    assert [order.order_id for order in valid] == [1001, 1002, 1003, 1004, 1005]
    assert sorted(reason for _, reason in rejected) == ["duplicate order_id", "unknown customer", "unknown status 'lost'"]


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        parse_order({"order_id": "1", "customer_id": "1", "order_date": "2026-01-01", "status": "placed", "amount": "-1"})


def test_revenue_is_summed_per_status():
    customers = {int(row["customer_id"]) for row in extract_customers()}
    valid, _ = clean_orders(extract_orders(), customers)
    assert revenue_by_status(valid) == {"placed": 19.99, "shipped": 250.0, "delivered": 175.4, "returned": 12.0}
