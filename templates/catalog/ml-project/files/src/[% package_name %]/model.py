"""The [% framework %] model: build, fit, predict, save and load. The framework is imported only when used."""

from pathlib import Path

[%#framework=pytorch%]
from . import normalisation

[%/framework=pytorch%]
[%#framework=sklearn%]
MODEL_FILE = "model.joblib"


def build(epochs: int, seed: int):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=epochs, random_state=seed))


def fit(model, features: "list[list[float]]", labels: "list[int]"):
    return model.fit(features, labels)


def predict(model, features: "list[list[float]]") -> "list[int]":
    return [int(value) for value in model.predict(features)]


def save(model, folder: Path) -> Path:
    import joblib

    folder.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, folder / MODEL_FILE)
    return folder / MODEL_FILE


def load(folder: Path):
    import joblib

    return joblib.load(folder / MODEL_FILE)
[%/framework=sklearn%]
[%#framework=pytorch%]
MODEL_FILE = "model.pt"


def build(epochs: int, seed: int):
    import torch

    torch.manual_seed(seed)
    network = torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    return {"network": network, "epochs": epochs, "stats": None}


def _tensor(features: "list[list[float]]", stats: "dict[str, list[float]]"):
    import torch

    return torch.tensor(normalisation.apply(features, stats), dtype=torch.float32)


def fit(model, features: "list[list[float]]", labels: "list[int]"):
    import torch

    network = model["network"]
    # The training rows' statistics are kept with the model: predictions scale with them, never with their own batch.
    model["stats"] = normalisation.fit_stats(features)
    inputs = _tensor(features, model["stats"])
    targets = torch.tensor(labels, dtype=torch.float32).unsqueeze(1)
    optimizer = torch.optim.Adam(network.parameters(), lr=0.01)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    for _ in range(model["epochs"]):
        optimizer.zero_grad()
        loss = loss_fn(network(inputs), targets)
        loss.backward()
        optimizer.step()
    return model


def predict(model, features: "list[list[float]]") -> "list[int]":
    import torch

    with torch.no_grad():
        logits = model["network"](_tensor(features, model["stats"]))
    return [int(value) for value in (logits.squeeze(1) > 0).tolist()]


def save(model, folder: Path) -> Path:
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    torch.save(model["network"].state_dict(), folder / MODEL_FILE)
    normalisation.save_stats(model["stats"], folder)
    return folder / MODEL_FILE


def load(folder: Path):
    import torch

    model = build(epochs=0, seed=0)
    model["network"].load_state_dict(torch.load(folder / MODEL_FILE, weights_only=True))
    model["stats"] = normalisation.load_stats(folder)
    return model
[%/framework=pytorch%]
[%#framework=tensorflow%]
MODEL_FILE = "model.keras"


def build(epochs: int, seed: int):
    import tensorflow as tf

    tf.random.set_seed(seed)
    network = tf.keras.Sequential([
        tf.keras.layers.Input(shape=(3,)),
        tf.keras.layers.Normalization(),
        tf.keras.layers.Dense(16, activation="relu"),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ])
    network.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return {"network": network, "epochs": epochs}


def fit(model, features: "list[list[float]]", labels: "list[int]"):
    import numpy as np

    network = model["network"]
    inputs = np.array(features, dtype="float32")
    network.layers[0].adapt(inputs)
    network.fit(inputs, np.array(labels, dtype="float32"), epochs=model["epochs"], verbose=0)
    return model


def predict(model, features: "list[list[float]]") -> "list[int]":
    import numpy as np

    scores = model["network"].predict(np.array(features, dtype="float32"), verbose=0)
    return [int(score[0] > 0.5) for score in scores]


def save(model, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    model["network"].save(folder / MODEL_FILE)
    return folder / MODEL_FILE


def load(folder: Path):
    import tensorflow as tf

    return {"network": tf.keras.models.load_model(folder / MODEL_FILE), "epochs": 0}
[%/framework=tensorflow%]
