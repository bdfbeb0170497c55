#!/usr/bin/env python3
"""Example `command` trainer for ct-flywheel: scikit-learn, written to our JSON model format.

Contract (docs/trainer-contract.md): argv[-1] is the path of an input JSON file naming the
snapshot's CSV files, the feature schema, `params` and `outputDir`. Progress goes to stdout as
JSON lines; the model goes to <outputDir>/model.json in format ct-flywheel/linear-model@1 and
metrics to <outputDir>/metrics.json. Any exception exits non-zero with the traceback on stderr.

Epochs and resuming: the classifier trains in `epochs` (default 10) warm-started slices of the
`maxIter` lbfgs budget. After each epoch but the last it saves a checkpoint file (checkpoint.py)
and reports `{"file": <path>}` as the progress line's `checkpoint`. When a retried attempt gets
that back in `input.checkpoint` and the file matches this snapshot, schema and hyperparameters,
it continues at epoch N+1 and metrics.json says `resumedFromEpoch: N`; otherwise it says why on
stderr and starts from scratch (`resumedFromEpoch: 0`).

Pipeline: numeric -> SimpleImputer(mean) -> StandardScaler; categorical -> OneHotEncoder
(categories seen in training, unknown/missing -> all zeros); then LogisticRegression
(binaryClassification) or Ridge (regression). That is exactly what the JSON format scores, so
ct-flywheel's predictProba reproduces sklearn's predict_proba. For the test suite it also
writes sklearn's own held-out predictions to <outputDir>/sklearn-heldout-predictions.json.

ONNX mode (`hyperparameters.format: onnx`, onnx_pipeline.py): the same preprocessing feeds a
RandomForestClassifier (or an MLPRegressor for regression) and the whole Pipeline is exported
with skl2onnx to <outputDir>/model.onnx instead of model.json.

Reading the input and the snapshot, progress lines and checkpoints are shared with the other
examples (../python-common).
"""
import math
import os
import sys
import warnings

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
import checkpoint  # noqa: E402
from trainer_io import MISSING, log_loss, progress, read_input, read_rows, write_json  # noqa: E402


def build_preprocessing(num, cat, x_cat):
    categories = [sorted({v for v in x_cat[:, i] if v != MISSING}) for i in range(len(cat))]
    transformers = []
    if num:
        numeric = Pipeline([("impute", SimpleImputer(strategy="mean", keep_empty_features=True)), ("scale", StandardScaler())])
        transformers.append(("num", numeric, list(range(len(num)))))
    if cat:
        onehot = OneHotEncoder(categories=categories, handle_unknown="ignore", sparse_output=False)
        transformers.append(("cat", onehot, list(range(len(num), len(num) + len(cat)))))
    return ColumnTransformer(transformers), categories


def training_params(task, params):
    """The hyperparameters that shape training (also part of the checkpoint fingerprint)."""
    if task != "binaryClassification":
        return {"alpha": float(params.get("alpha", 1.0))}
    epochs = max(1, int(params.get("epochs", 10)))
    max_iter = max(1, int(params.get("maxIter", 1000)))
    return {"C": float(params.get("C", 1.0)), "maxIter": max_iter, "epochs": epochs,
            "itersPerEpoch": max(1, math.ceil(max_iter / epochs))}


def train_classifier(spec, tp, layout, matrix, y):
    """LogisticRegression(lbfgs) in `epochs` warm-started slices of `itersPerEpoch` iterations.

    Each slice starts lbfgs afresh from the previous coefficients, so the state after an epoch is
    exactly (coef_, intercept_): a run resumed from the epoch-N checkpoint performs the same
    computation as an uninterrupted run from epoch N+1 on and, on the same machine and BLAS,
    ends with the same coefficients bit for bit. The last epoch gets no checkpoint: its state is
    model.json itself, written right after.
    """
    est = LogisticRegression(C=tp["C"], max_iter=tp["itersPerEpoch"], warm_start=True)
    fp = checkpoint.fingerprint(spec, layout, tp)
    shape = (1, matrix.shape[1])
    resumed = checkpoint.load(spec.get("checkpoint"), fp, ("coef", "intercept"),
                              lambda state: None if state["coef"].shape == shape else f"has coefficients of shape {state['coef'].shape}, expected {shape}")
    start = 0
    if resumed is not None:
        start, state = resumed
        est.coef_, est.intercept_ = state["coef"], state["intercept"]
    directory = checkpoint.checkpoint_dir(spec)
    with warnings.catch_warnings():
        # a slice stopping at its iteration budget is the point, not a problem
        warnings.simplefilter("ignore", ConvergenceWarning)
        for epoch in range(start + 1, tp["epochs"] + 1):
            est.fit(matrix, y)
            loss = log_loss(y, est.predict_proba(matrix)[:, 1])
            state = None
            if epoch < tp["epochs"]:
                state = {"file": checkpoint.save(directory, epoch, fp, coef=est.coef_, intercept=est.intercept_)}
            progress(epoch=epoch, totalEpochs=tp["epochs"], loss=loss, checkpoint=state, resumedFromEpoch=start)
    if est.n_iter_[0] >= tp["itersPerEpoch"]:
        print(f"train.py: lbfgs had not converged after {tp['maxIter']} iterations; raise maxIter", file=sys.stderr)
    return est, start


def to_json_model(task, label, num, cat, categories, prep, est):
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
    spec = read_input()
    if (spec.get("params") or {}).get("format") == "onnx":
        import onnx_pipeline  # only this mode needs skl2onnx
        return onnx_pipeline.main(spec, build_preprocessing)
    task, label = spec["task"], spec["label"]
    tp = training_params(task, spec.get("params") or {})
    num, cat, x_num, x_cat, y = read_rows(spec["snapshot"]["train"], spec["features"], label)
    prep, categories = build_preprocessing(num, cat, x_cat)
    # Preprocessing is a deterministic function of the training rows, so a resumed attempt refits
    # it instead of checkpointing it; the fingerprint pins the resulting column layout.
    matrix = prep.fit_transform(np.concatenate([x_num.astype(object), x_cat], axis=1))
    _, _, h_num, h_cat, h_y = read_rows(spec["snapshot"]["heldOut"], spec["features"], label)
    h_matrix = prep.transform(np.concatenate([h_num.astype(object), h_cat], axis=1))

    metrics = {"trainRows": float(len(y))}
    if task == "binaryClassification":
        est, resumed_from = train_classifier(spec, tp, {"numeric": num, "categorical": categories}, matrix, y)
        proba = est.predict_proba(matrix)[:, 1]
        metrics.update(trainLogLoss=log_loss(y, proba), trainAccuracy=float(np.mean((proba >= 0.5) == (y == 1))),
                       resumedFromEpoch=float(resumed_from))
        held = {"proba": est.predict_proba(h_matrix)[:, 1].tolist(), "pred": est.predict(h_matrix).tolist(), "label": h_y.tolist()}
    else:
        # Ridge is closed-form: one step, nothing worth checkpointing or resuming.
        if spec.get("checkpoint") is not None:
            print("train.py: ignoring checkpoint, training from scratch: Ridge trains in one step", file=sys.stderr)
        est = Ridge(alpha=tp["alpha"]).fit(matrix, y)
        pred = est.predict(matrix)
        progress(epoch=1, totalEpochs=1, loss=float(np.mean((pred - y) ** 2) / 2))
        metrics.update(trainRmse=float(np.sqrt(np.mean((pred - y) ** 2))), resumedFromEpoch=0.0)
        held = {"pred": est.predict(h_matrix).tolist(), "label": h_y.tolist()}

    write_json(spec, "model.json", to_json_model(task, label, num, cat, categories, prep, est), indent=2)
    write_json(spec, "metrics.json", metrics)
    write_json(spec, "sklearn-heldout-predictions.json", held)


if __name__ == "__main__":
    main()
