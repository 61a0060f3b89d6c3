from pipeline.extract import extract_customers, extract_orders


def test_sample_orders_have_the_expected_columns():
    orders = extract_orders()
    assert len(orders) == 8
    assert set(orders[0]) == {"order_id", "customer_id", "order_date", "status", "amount"}


def test_sample_customers_are_unique():
    ids = [row["customer_id"] for row in extract_customers()]
    assert len(ids) == len(set(ids)) == 4
