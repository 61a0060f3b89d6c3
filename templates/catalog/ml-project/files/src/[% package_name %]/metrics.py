"""Classification metrics, dependency-free so they can be tested anywhere."""


def confusion(actual: "list[int]", predicted: "list[int]") -> "dict[str, int]":
    if len(actual) != len(predicted):
        raise ValueError("actual and predicted differ in length")
    counts = {"tp": 0, "fp": 0, "tn": 0, "fn": 0}
    for truth, guess in zip(actual, predicted, strict=True):
        key = ("t" if truth == guess else "f") + ("p" if guess == 1 else "n")
        counts[key] += 1
    return counts


def classification_metrics(actual: "list[int]", predicted: "list[int]") -> "dict[str, float]":
    c = confusion(actual, predicted)
    total = sum(c.values())
    precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "accuracy": (c["tp"] + c["tn"]) / total if total else 0.0,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }
