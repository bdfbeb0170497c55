"""ONNX mode of the scikit-learn example: `trainer.hyperparameters.format: onnx`.

The whole scikit-learn Pipeline is exported with skl2onnx as <outputDir>/model.onnx (trainer
contract v2), so ct-flywheel scores exactly what scikit-learn fitted, preprocessing included:

  binaryClassification: ColumnTransformer[numeric: SimpleImputer(mean) -> StandardScaler,
                        categorical: OneHotEncoder(handle_unknown="ignore")] -> RandomForestClassifier
  regression:           the same ColumnTransformer -> MLPRegressor (a small neural net)

The ONNX graph has one input per feature, named like it: float [N, 1] for a numeric feature
(missing = NaN, imputed inside the graph), string [N, 1] for a categorical one (a missing or
unseen value one-hot encodes to all zeros). Outputs: `label` and `probabilities` ([N, 2]
float tensor; ZipMap is switched off) for a classifier, `variable` ([N, 1]) for a regressor.

Not HistGradientBoostingClassifier: skl2onnx 1.20.0 cannot convert it with numpy 2 ("Expected
an int, got a boolean" in TreeEnsembleClassifier). The LightGBM example covers boosted trees.

Hyperparameters (besides `format`): classifier `nEstimators` (100), `maxDepth` (10),
`minSamplesLeaf` (5); regressor `hiddenLayers` ([32, 16]), `maxIter` (500), `alpha` (1e-4);
both `seed` (0). Both fit in one step: one progress line, no checkpoint.
"""
import sys
import warnings

import numpy as np
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import Pipeline

from trainer_io import log_loss, progress, read_rows, write_json, write_onnx

TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}


def estimator(task, params):
    seed = int(params.get("seed", 0))
    if task == "binaryClassification":
        return RandomForestClassifier(n_estimators=int(params.get("nEstimators", 100)), max_depth=int(params.get("maxDepth", 10)),
                                      min_samples_leaf=int(params.get("minSamplesLeaf", 5)), random_state=seed, n_jobs=1)
    return MLPRegressor(hidden_layer_sizes=tuple(int(h) for h in params.get("hiddenLayers", [32, 16])),
                        max_iter=int(params.get("maxIter", 500)), alpha=float(params.get("alpha", 1e-4)), random_state=seed)


def matrix(x_num, x_cat):
    return np.concatenate([x_num.astype(object), x_cat], axis=1)


def export(pipe, task, label, num, cat):
    inputs = [(n, FloatTensorType([None, 1])) for n in num] + [(c, StringTensorType([None, 1])) for c in cat]
    options = {id(pipe.steps[-1][1]): {"zipmap": False}} if task == "binaryClassification" else None
    model = to_onnx(pipe, initial_types=inputs, options=options, target_opset=TARGET_OPSET)
    for key, value in {"ct-flywheel.task": task, "ct-flywheel.label": label, "trainer": "command",
                       "library": "scikit-learn", "estimator": type(pipe.steps[-1][1]).__name__}.items():
        model.metadata_props.add(key=key, value=value)
    return model


def main(spec, build_preprocessing):
    task, label, params = spec["task"], spec["label"], spec.get("params") or {}
    if spec.get("checkpoint") is not None:
        print("train.py: ignoring checkpoint, training from scratch: the ONNX mode fits in one step", file=sys.stderr)
    num, cat, x_num, x_cat, y = read_rows(spec["snapshot"]["train"], spec["features"], label)
    prep, _ = build_preprocessing(num, cat, x_cat)
    pipe = Pipeline([("prep", prep), ("model", estimator(task, params))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # maxIter is the budget the spec chose
        pipe.fit(matrix(x_num, x_cat), y)
    _, _, h_num, h_cat, h_y = read_rows(spec["snapshot"]["heldOut"], spec["features"], label)
    held_x = matrix(h_num, h_cat)
    metrics = {"trainRows": float(len(y)), "resumedFromEpoch": 0.0}
    if task == "binaryClassification":
        proba = pipe.predict_proba(matrix(x_num, x_cat))[:, 1]
        loss = log_loss(y, proba)
        metrics.update(trainLogLoss=loss, trainAccuracy=float(np.mean((proba >= 0.5) == (y == 1))))
        held = {"proba": pipe.predict_proba(held_x)[:, 1].tolist(), "pred": pipe.predict(held_x).tolist(), "label": h_y.tolist()}
    else:
        pred = pipe.predict(matrix(x_num, x_cat))
        loss = float(np.mean((pred - y) ** 2) / 2)
        metrics.update(trainRmse=float(np.sqrt(np.mean((pred - y) ** 2))))
        held = {"pred": pipe.predict(held_x).tolist(), "label": h_y.tolist()}
    progress(epoch=1, totalEpochs=1, loss=loss)
    write_onnx(spec, export(pipe, task, label, num, cat))
    write_json(spec, "metrics.json", metrics)
    write_json(spec, "sklearn-heldout-predictions.json", held)
