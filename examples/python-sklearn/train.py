#!/usr/bin/env python3
"""Example `command` trainer for ct-flywheel: scikit-learn, written to our JSON model format.

Contract (docs/trainer-contract.md): argv[-1] is the path of an input JSON file naming the
snapshot's CSV files, the feature schema, `params` and `outputDir`. Progress goes to stdout as
JSON lines; the model goes to <outputDir>/model.json in format ct-flywheel/linear-model@1 and
metrics to <outputDir>/metrics.json. Any exception exits non-zero with the traceback on stderr.

Pipeline: numeric -> SimpleImputer(mean) -> StandardScaler; categorical -> OneHotEncoder
(categories seen in training, unknown/missing -> all zeros); then LogisticRegression
(binaryClassification) or Ridge (regression). That is exactly what the JSON format scores, so
ct-flywheel's predictProba reproduces sklearn's predict_proba. For the test suite it also
writes sklearn's own held-out predictions to <outputDir>/sklearn-heldout-predictions.json.
"""
import csv
import json
import math
import sys

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

MISSING = "__ct_missing__"  # never fitted as a category, so handle_unknown="ignore" zeroes it


def progress(**fields):
    print(json.dumps(fields), flush=True)


def read_rows(path, features, label):
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


def build_pipeline(task, num, cat, x_cat, params):
    categories = [sorted({v for v in x_cat[:, i] if v != MISSING}) for i in range(len(cat))]
    transformers = []
    if num:
        numeric = Pipeline([("impute", SimpleImputer(strategy="mean", keep_empty_features=True)), ("scale", StandardScaler())])
        transformers.append(("num", numeric, list(range(len(num)))))
    if cat:
        onehot = OneHotEncoder(categories=categories, handle_unknown="ignore", sparse_output=False)
        transformers.append(("cat", onehot, list(range(len(num), len(num) + len(cat)))))
    if task == "binaryClassification":
        estimator = LogisticRegression(C=float(params.get("C", 1.0)), max_iter=int(params.get("maxIter", 1000)))
    else:
        estimator = Ridge(alpha=float(params.get("alpha", 1.0)))
    return Pipeline([("prep", ColumnTransformer(transformers)), ("model", estimator)]), categories


def to_json_model(task, label, num, cat, categories, pipeline):
    prep = pipeline.named_steps["prep"]
    est = pipeline.named_steps["model"]
    coef = np.ravel(est.coef_)
    intercept = float(np.ravel([est.intercept_])[0])
    terms = []
    if num:
        scaler = prep.named_transformers_["num"].named_steps["scale"]
        for i, name in enumerate(num):
            terms.append({"name": name, "kind": "numeric", "mean": float(scaler.mean_[i]),
                          "std": float(scaler.scale_[i]), "weight": float(coef[i])})
    offset = len(num)
    for name, cats in zip(cat, categories):
        terms.append({"name": name, "kind": "categorical", "categories": list(cats),
                      "weights": [float(w) for w in coef[offset:offset + len(cats)]]})
        offset += len(cats)
    model = {"format": "ct-flywheel/linear-model@1", "task": task, "label": label, "features": terms,
             "intercept": intercept, "metadata": {"trainer": "command", "library": "scikit-learn",
                                                  "estimator": type(est).__name__}}
    if task == "binaryClassification":
        model["labelThreshold"] = 0.5
    return model


def main():
    with open(sys.argv[-1], encoding="utf-8") as handle:
        spec = json.load(handle)
    task, label, params = spec["task"], spec["label"], spec.get("params") or {}
    progress(epoch=0, totalEpochs=1, stage="loading")
    num, cat, x_num, x_cat, y = read_rows(spec["snapshot"]["train"], spec["features"], label)
    pipeline, categories = build_pipeline(task, num, cat, x_cat, params)
    x = np.concatenate([x_num.astype(object), x_cat], axis=1)
    pipeline.fit(x, y)

    metrics = {"trainRows": float(len(y))}
    _, _, h_num, h_cat, h_y = read_rows(spec["snapshot"]["heldOut"], spec["features"], label)
    h_x = np.concatenate([h_num.astype(object), h_cat], axis=1)
    if task == "binaryClassification":
        proba = pipeline.predict_proba(x)[:, 1]
        loss = float(-np.mean(y * np.log(np.clip(proba, 1e-15, 1)) + (1 - y) * np.log(np.clip(1 - proba, 1e-15, 1))))
        metrics.update(trainLogLoss=loss, trainAccuracy=float(np.mean((proba >= 0.5) == (y == 1))))
        held = {"proba": pipeline.predict_proba(h_x)[:, 1].tolist(), "pred": pipeline.predict(h_x).tolist(), "label": h_y.tolist()}
    else:
        pred = pipeline.predict(x)
        loss = float(np.mean((pred - y) ** 2) / 2)
        metrics.update(trainRmse=float(np.sqrt(np.mean((pred - y) ** 2))))
        held = {"pred": pipeline.predict(h_x).tolist(), "label": h_y.tolist()}
    progress(epoch=1, totalEpochs=1, loss=loss)

    out = spec["outputDir"]
    with open(f"{out}/model.json", "w", encoding="utf-8") as handle:
        json.dump(to_json_model(task, label, num, cat, categories, pipeline), handle, indent=2)
    with open(f"{out}/metrics.json", "w", encoding="utf-8") as handle:
        json.dump(metrics, handle)
    with open(f"{out}/sklearn-heldout-predictions.json", "w", encoding="utf-8") as handle:
        json.dump(held, handle)


if __name__ == "__main__":
    main()
