"""Checks the DAG file's structure without importing Airflow (so the tests run anywhere)."""

import ast
from pathlib import Path

DAG_FILE = Path(__file__).resolve().parent.parent / "dags" / "[% pipeline_name %].py"


def test_dag_file_parses_and_names_its_dag_id():
    source = DAG_FILE.read_text(encoding="utf-8")
    tree = ast.parse(source)
    dag_ids = [
        keyword.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "DAG"
        for keyword in node.keywords
        if keyword.arg == "dag_id"
    ]
    assert dag_ids == ["[% pipeline_name %]"]


def test_every_task_is_wired_into_the_chain():
    source = DAG_FILE.read_text(encoding="utf-8")
    task_ids = [line.split('task_id="')[1].split('"')[0] for line in source.splitlines() if 'task_id="' in line]
    assert "extract_transform" in task_ids and "dbt_build" in task_ids
    chain = [line.strip() for line in source.splitlines() if ">>" in line]
    assert len(chain) == 1 and chain[0].startswith("transform >>") and chain[0].endswith("dbt_build")
