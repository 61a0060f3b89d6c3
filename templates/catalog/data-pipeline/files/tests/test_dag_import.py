"""Imports the DAG with Airflow itself (skipped where Airflow is not installed; the structure tests run anyway)."""

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("airflow")

DAG_FILE = Path(__file__).resolve().parent.parent / "dags" / "[% pipeline_name %].py"


def test_the_dag_imports_and_chains_its_tasks():
    spec = importlib.util.spec_from_file_location("[% pipeline_name %]_dag", DAG_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    dag = module.dag
    assert dag.dag_id == "[% pipeline_name %]"
[%#great_expectations%]
    assert sorted(dag.task_ids) == ["dbt_build", "extract_transform", "validate"]
    assert dag.get_task("validate").upstream_task_ids == {"extract_transform"}
    assert dag.get_task("dbt_build").upstream_task_ids == {"validate"}
[%/great_expectations%]
[%^great_expectations%]
    assert sorted(dag.task_ids) == ["dbt_build", "extract_transform"]
    assert dag.get_task("dbt_build").upstream_task_ids == {"extract_transform"}
[%/great_expectations%]
