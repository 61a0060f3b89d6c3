"""Stage 2: train the model and record the run in MLflow."""

from . import model as model_lib
from .data import load_rows, to_matrix
from .metrics import classification_metrics
from .params import ROOT, load_params


def main() -> None:
    import mlflow

    params = load_params()
    train_params = params["train"]
    mlflow.set_tracking_uri(params["tracking"]["uri"])
    mlflow.set_experiment(train_params["experiment"])
    features, labels = to_matrix(load_rows(ROOT / "data" / "prepared" / "train.csv"))
    with mlflow.start_run(run_name="[% framework %]-train"):
        mlflow.log_params({"framework": "[% framework %]", "epochs": train_params["epochs"], "seed": train_params["seed"]})
        model = model_lib.fit(model_lib.build(int(train_params["epochs"]), int(train_params["seed"])), features, labels)
        training = classification_metrics(labels, model_lib.predict(model, features))
        mlflow.log_metrics({f"train_{name}": value for name, value in training.items()})
        path = model_lib.save(model, ROOT / "models")
        mlflow.log_artifact(str(path))
    print(f"trained on {len(labels)} rows: {training}")


if __name__ == "__main__":
    main()
