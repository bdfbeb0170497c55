"""What every example `command` trainer does the same way (docs/trainer-contract.md).

Reading the input file and the snapshot's CSV files, progress lines on stdout, log loss, and
writing the outputs (`model.json` or `model.json`'s ONNX sibling `model.onnx`, `metrics.json`,
the library's own held-out predictions that the test suite compares with ct-flywheel's).
The example scripts put this folder on `sys.path` (see `use_common` in each train.py).
"""
import csv
import json
import math
import os
import sys

import numpy as np

MISSING = "__ct_missing__"  # never fitted as a category, so handle_unknown="ignore" zeroes it


def read_input():
    """The input JSON whose path is the last argument (contract section 1)."""
    with open(sys.argv[-1], encoding="utf-8") as handle:
        return json.load(handle)


def progress(**fields):
    """One progress line (contract section 2). A `"checkpoint": null` would still reach
    ct-flywheel as a checkpoint, so keys whose value is None are left out."""
    print(json.dumps({k: v for k, v in fields.items() if v is not None}), flush=True)


def read_rows(path, features, label):
    """(numeric names, categorical names, numeric matrix with NaN for missing, categorical
    matrix with MISSING for missing, labels); rows without a label are dropped."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    num = [f["name"] for f in features if f["type"] == "numeric"]
    cat = [f["name"] for f in features if f["type"] == "categorical"]

    def to_float(value):
        return float(value) if value not in (None, "") else math.nan

    x_num = np.array([[to_float(r.get(n)) for n in num] for r in rows], dtype=float).reshape(len(rows), len(num))
    x_cat = np.array([[r.get(c) or MISSING for c in cat] for r in rows], dtype=object).reshape(len(rows), len(cat))
    y = np.array([to_float(r.get(label)) for r in rows], dtype=float)
    keep = ~np.isnan(y)
    return num, cat, x_num[keep], x_cat[keep], y[keep]


def log_loss(y, proba):
    return float(-np.mean(y * np.log(np.clip(proba, 1e-15, 1)) + (1 - y) * np.log(np.clip(1 - proba, 1e-15, 1))))


def write_json(spec, name, value, indent=None):
    with open(os.path.join(spec["outputDir"], name), "w", encoding="utf-8") as handle:
        json.dump(value, handle, indent=indent)


def write_onnx(spec, model):
    """Writes <outputDir>/model.onnx. Every graph output gets a symbolic batch dimension: some
    converters declare a fixed [1] for the `label` output, and ONNX Runtime then warns on every
    call with more than one row. The graph is named after the label: onnxmltools names it with a
    random uuid, and the same training must give the same bytes (the same sha256 in the registry,
    the same model after a resume)."""
    model.graph.name = f"ct-flywheel {spec['label']}"
    for output in model.graph.output:
        dims = output.type.tensor_type.shape.dim
        if len(dims) >= 1:
            dims[0].Clear()
            dims[0].dim_param = "N"
    with open(os.path.join(spec["outputDir"], "model.onnx"), "wb") as handle:
        handle.write(model.SerializeToString())
