"""NannyML's synthetic car-loan dataset as one CSV, read straight from the nannyml wheel.

Usage: python3 scripts/lib/nannyml_car_loan_csv.py WHEEL OUT

The dataset ships as three CSV files inside the wheel (nannyml/datasets/data/): the reference
period, the analysis period and the analysis targets. This joins them the way
`nml.load_synthetic_car_loan_dataset()` plus scripts/golden/nannyml_cbpe.py --export-csv did
(reference then analysis, targets joined on id, a `period` column, ISO timestamps with
microseconds, booleans and the target as 0/1), with the standard library only: installing
nannyml and its dependencies took minutes and 2.2 GB for a file that is already in the wheel.
Numbers keep the wheel's text. The output is written to a temporary file and renamed.
"""
from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

DATA = "nannyml/datasets/data/"
FIRST = ["timestamp", "id", "period"]


def rows(wheel: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    with wheel.open(DATA + name) as f:
        return list(csv.DictReader(io.TextIOWrapper(f, encoding="utf-8", newline="")))


def iso(timestamp: str) -> str:
    """`2018-01-01 00:08:43.152` → `2018-01-01T00:08:43.152000Z` (what pandas' strftime wrote)."""
    day, time = timestamp.split(" ")
    seconds, _, fraction = time.partition(".")
    return f"{day}T{seconds}.{fraction.ljust(6, '0')}Z"


def zero_one(value: str) -> str:
    """`True`/`False` and `1.0`/`0.0`/`1`/`0` as `1`/`0`."""
    if value in ("True", "False"):
        return "1" if value == "True" else "0"
    return str(int(float(value)))


def main() -> None:
    wheel_path, out = Path(sys.argv[1]), Path(sys.argv[2])
    with zipfile.ZipFile(wheel_path) as wheel:
        reference = rows(wheel, "synthetic_car_loan_reference.csv")
        analysis = rows(wheel, "synthetic_car_loan_analysis.csv")
        targets = {r["id"]: r["repaid"] for r in rows(wheel, "synthetic_car_loan_analysis_target.csv")}
    # Column order as pandas' concat kept it: the reference's, where the target sits before the timestamp.
    rest = [c for c in reference[0].keys() if c not in FIRST]
    for r in reference:
        r["period"] = "reference"
    for r in analysis:
        r["period"] = "analysis"
        r["repaid"] = targets[r["id"]]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(FIRST + rest)
        for r in reference + analysis:
            r["timestamp"] = iso(r["timestamp"])
            r["repaid"] = zero_one(r["repaid"])
            r["repaid_loan_on_prev_car"] = zero_one(r["repaid_loan_on_prev_car"])
            writer.writerow([r[c] for c in FIRST + rest])
    tmp.replace(out)
    print(f"wrote {len(reference) + len(analysis)} rows to {out}")


if __name__ == "__main__":
    main()
