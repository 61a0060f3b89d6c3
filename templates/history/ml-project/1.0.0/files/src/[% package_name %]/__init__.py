"""[% project_name %]: a [% framework %] churn model with MLflow tracking."""
