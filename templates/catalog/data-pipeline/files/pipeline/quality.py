"""Validates the cleaned orders with the Great Expectations 1.x API and the suite in orders_suite.json.

Run as `python -m pipeline.quality [CSV]`; exits 1 when an expectation fails, printing which.
"""

import json
import sys
from pathlib import Path

import great_expectations as gx
import pandas as pd

PROJECT_DIR = Path(__file__).resolve().parent.parent
SUITE_FILE = PROJECT_DIR / "quality" / "orders_suite.json"
CLEAN_ORDERS = PROJECT_DIR / "data" / "clean" / "orders.csv"


def expectation_class(snake_name: str):
    """`expect_column_values_to_be_unique` → gx.expectations.ExpectColumnValuesToBeUnique."""
    return getattr(gx.expectations, "".join(part.capitalize() for part in snake_name.split("_")))


def validate_orders(frame: pd.DataFrame, suite_file: Path = SUITE_FILE) -> "tuple[bool, list[str]]":
    """Whether every expectation holds, and a line for each that does not."""
    spec = json.loads(suite_file.read_text(encoding="utf-8"))
    context = gx.get_context(mode="ephemeral")
    suite = context.suites.add(gx.ExpectationSuite(name=spec["name"], meta=spec.get("meta", {})))
    for expectation in spec["expectations"]:
        suite.add_expectation(expectation_class(expectation["type"])(**expectation["kwargs"]))
    source = context.data_sources.add_pandas(name="orders_source")
    batch_definition = source.add_dataframe_asset(name="orders").add_batch_definition_whole_dataframe("all_orders")
    result = batch_definition.get_batch(batch_parameters={"dataframe": frame}).validate(suite)
    failures = [
        f"{outcome.expectation_config.type} {outcome.expectation_config.kwargs.get('column', '')}".strip()
        for outcome in result.results
        if not outcome.success
    ]
    return bool(result.success), failures


def validate_file(path: Path) -> "tuple[bool, list[str]]":
    """Validates a CSV of cleaned orders (dates kept as text, so their format is checked as written)."""
    return validate_orders(pd.read_csv(path, dtype={"order_date": str}))


def main(argv: "list[str]") -> int:
    path = Path(argv[1]) if len(argv) > 1 else CLEAN_ORDERS
    success, failures = validate_file(path)
    print(f"{path}: {'all expectations met' if success else 'failed: ' + ', '.join(failures)}")
    return 0 if success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
