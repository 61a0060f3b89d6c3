"""Airflow DAG [% pipeline_name %]: extract, transform[%#great_expectations%], validate[%/great_expectations%] and build the dbt models."""

from datetime import datetime, timedelta
from pathlib import Path

from airflow import DAG
from airflow.operators.bash import BashOperator
from airflow.operators.python import PythonOperator

PROJECT_DIR = Path(__file__).resolve().parent.parent
DBT_DIR = PROJECT_DIR / "dbt"

default_args = {
    "owner": "[% owner %]",
    "retries": [% retries %],
    "retry_delay": timedelta(minutes=5),
}


def extract_and_transform(**_context):
    from pipeline.extract import extract_customers, extract_orders
    from pipeline.transform import clean_orders

    customers = {int(row["customer_id"]) for row in extract_customers()}
    valid, rejected = clean_orders(extract_orders(), customers)
    print(f"{len(valid)} valid orders, {len(rejected)} rejected")
    if not valid:
        raise ValueError("no valid orders extracted")
    return len(valid)


with DAG(
    dag_id="[% pipeline_name %]",
    default_args=default_args,
    start_date=datetime.fromisoformat("[% start_date %]"),
    schedule="@[% schedule %]",
    catchup=False,
    tags=["[% dbt_project %]"],
) as dag:
    transform = PythonOperator(task_id="extract_transform", python_callable=extract_and_transform)
[%#great_expectations%]
    validate = BashOperator(
        task_id="validate",
        bash_command=f"cd {PROJECT_DIR} && great_expectations checkpoint run orders_checkpoint",
    )
[%/great_expectations%]
    dbt_build = BashOperator(
        task_id="dbt_build",
        bash_command=f"cd {DBT_DIR} && dbt seed --profiles-dir . && dbt run --profiles-dir . && dbt test --profiles-dir .",
    )

[%#great_expectations%]
    transform >> validate >> dbt_build
[%/great_expectations%]
[%^great_expectations%]
    transform >> dbt_build
[%/great_expectations%]
