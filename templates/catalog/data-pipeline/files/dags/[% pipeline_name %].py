"""Airflow DAG [% pipeline_name %]: extract and clean the orders[%#great_expectations%], check their quality[%/great_expectations%], build the dbt models."""

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG

PROJECT_DIR = Path(__file__).resolve().parent.parent
DBT_DIR = PROJECT_DIR / "dbt"
CLEAN_ORDERS = PROJECT_DIR / "data" / "clean" / "orders.csv"
# The tasks import the project's `pipeline` package, which sits next to dags/ rather than in it.
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

default_args = {
    "owner": "[% owner %]",
    "retries": [% retries %],
    "retry_delay": timedelta(minutes=5),
}


def extract_and_transform() -> int:
    from pipeline.extract import extract_customers, extract_orders
    from pipeline.transform import clean_orders, write_orders

    customers = {int(row["customer_id"]) for row in extract_customers()}
    valid, rejected = clean_orders(extract_orders(), customers)
    print(f"{len(valid)} valid orders, {len(rejected)} rejected: {sorted(reason for _, reason in rejected)}")
    if not valid:
        raise ValueError("no valid orders extracted")
    write_orders(valid, CLEAN_ORDERS)
    return len(valid)
[%#great_expectations%]


def check_quality() -> None:
    from pipeline.quality import validate_file

    success, failures = validate_file(CLEAN_ORDERS)
    if not success:
        raise ValueError(f"the cleaned orders fail their expectations: {', '.join(failures)}")
[%/great_expectations%]


with DAG(
    dag_id="[% pipeline_name %]",
    default_args=default_args,
    start_date=datetime.fromisoformat("[% start_date %]").replace(tzinfo=timezone.utc),
    schedule="@[% schedule %]",
    catchup=False,
    tags=["[% dbt_project %]"],
) as dag:
    transform = PythonOperator(task_id="extract_transform", python_callable=extract_and_transform)
[%#great_expectations%]
    validate = PythonOperator(task_id="validate", python_callable=check_quality)
[%/great_expectations%]
    dbt_build = BashOperator(
        task_id="dbt_build",
        bash_command=f"cd {DBT_DIR} && dbt build --profiles-dir .",
    )

[%#great_expectations%]
    transform >> validate >> dbt_build
[%/great_expectations%]
[%^great_expectations%]
    transform >> dbt_build
[%/great_expectations%]
