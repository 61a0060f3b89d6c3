"""Stage 1: split the raw data into train and test files."""

from .data import load_rows, split, write_rows
from .params import ROOT, load_params


def main() -> None:
    params = load_params()["prepare"]
    rows = load_rows(ROOT / "data" / "raw" / "customers.csv")
    train, test = split(rows, int(params["test_percent"]) / 100, int(params["seed"]))
    write_rows(train, ROOT / "data" / "prepared" / "train.csv")
    write_rows(test, ROOT / "data" / "prepared" / "test.csv")
    print(f"prepared {len(train)} training and {len(test)} test rows")


if __name__ == "__main__":
    main()
