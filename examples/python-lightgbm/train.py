#!/usr/bin/env python3
"""Example `command` trainer for ct-flywheel: a LightGBM boosted-tree model exported to ONNX.

Contract (docs/trainer-contract.md): argv[-1] is the input JSON. Progress goes to stdout as JSON
lines; the model goes to <outputDir>/model.onnx (converted with onnxmltools), metrics to
<outputDir>/metrics.json, and LightGBM's own held-out predictions to
<outputDir>/lightgbm-heldout-predictions.json (the test suite compares ct-flywheel's ONNX
Runtime scores with them).

Model: `lightgbm.train` with objective `binary` (binaryClassification) or `regression`, on the
numeric features in schema order. The ONNX graph has one input, `features`: float [N, F] in
schema order, missing = NaN (LightGBM's own missing-value branches are kept). Outputs: `label`
and `probabilities` ([N, 2] tensor; ZipMap off) for a classifier, `variable` for a regressor.
A categorical feature is refused: a single float tensor cannot carry strings (the scikit-learn
example's ONNX mode one-hot encodes inside the graph instead).

Checkpoint/resume by boosting rounds: `rounds` (default 200) are grown in epochs of
`roundsPerEpoch` (default 20), each continuing the booster of the previous epoch. After every
epoch but the last, the booster (as LightGBM's text format) is saved in a checkpoint file
(../python-common/checkpoint.py) and reported as `{"file": <path>}`. A retried attempt whose
`input.checkpoint` names a file written for the same snapshot, features and hyperparameters
continues with the next epoch's rounds and writes `resumedFromEpoch: N` to metrics.json; the
resumed run grows the same trees as an uninterrupted one. Any other checkpoint is ignored
with one line on stderr. Other hyperparameters: `learningRate` (0.1), `numLeaves` (15),
`minDataInLeaf` (20), `seed` (0).
"""
import math
import os
import sys

import lightgbm as lgb
import numpy as np
from onnxmltools import convert_lightgbm
from onnxmltools.convert.common.data_types import FloatTensorType

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
import checkpoint  # noqa: E402
from trainer_io import log_loss, progress, read_input, read_rows, write_json, write_onnx  # noqa: E402

KIND = "ct-flywheel-example/lightgbm-checkpoint@1"
OBJECTIVE = {"binaryClassification": "binary", "regression": "regression"}


def training_params(task, params):
    """The hyperparameters that shape training (also part of the checkpoint fingerprint)."""
    rounds = max(1, int(params.get("rounds", 200)))
    per_epoch = max(1, min(rounds, int(params.get("roundsPerEpoch", 20))))
    return {"objective": OBJECTIVE[task], "rounds": rounds, "roundsPerEpoch": per_epoch, "epochs": math.ceil(rounds / per_epoch),
            "learningRate": float(params.get("learningRate", 0.1)), "numLeaves": int(params.get("numLeaves", 15)),
            "minDataInLeaf": int(params.get("minDataInLeaf", 20)), "seed": int(params.get("seed", 0))}


def lightgbm_params(tp):
    # One thread and deterministic: the same rows give the same trees, so a resumed run
    # matches an uninterrupted one (and a training worker shares its machine politely).
    return {"objective": tp["objective"], "learning_rate": tp["learningRate"], "num_leaves": tp["numLeaves"],
            "min_data_in_leaf": tp["minDataInLeaf"], "seed": tp["seed"], "deterministic": True,
            "force_row_wise": True, "num_threads": 1, "verbose": -1}


def train(spec, tp, num, x, y):
    fp = checkpoint.fingerprint(spec, {"numeric": num}, tp, kind=KIND)
    resumed = checkpoint.load(spec.get("checkpoint"), fp, ("booster",),
                              lambda state: None if state["booster"].shape == () else "holds no LightGBM booster")
    booster, start = None, 0
    if resumed is not None:
        start, state = resumed
        booster = lgb.Booster(model_str=str(state["booster"]))
    directory = checkpoint.checkpoint_dir(spec)
    for epoch in range(start + 1, tp["epochs"] + 1):
        rounds = min(tp["roundsPerEpoch"], tp["rounds"] - (epoch - 1) * tp["roundsPerEpoch"])
        # A fresh Dataset per epoch: LightGBM derives its init scores from `init_model`.
        data = lgb.Dataset(x, y, free_raw_data=False)
        booster = lgb.train(lightgbm_params(tp), data, num_boost_round=rounds, init_model=booster, keep_training_booster=True)
        fitted = booster.predict(x)
        loss = log_loss(y, fitted) if tp["objective"] == "binary" else float(np.mean((fitted - y) ** 2) / 2)
        state = None
        if epoch < tp["epochs"]:
            state = {"file": checkpoint.save(directory, epoch, fp, booster=np.array(booster.model_to_string()))}
        progress(epoch=epoch, totalEpochs=tp["epochs"], loss=loss, rounds=booster.current_iteration(), checkpoint=state)
    return booster, start


def export(booster, task, label, num):
    model = convert_lightgbm(booster, initial_types=[("features", FloatTensorType([None, len(num)]))], zipmap=False, target_opset=15)
    for key, value in {"ct-flywheel.task": task, "ct-flywheel.label": label, "ct-flywheel.features": ",".join(num),
                       "trainer": "command", "library": "lightgbm", "estimator": "Booster"}.items():
        model.metadata_props.add(key=key, value=value)
    return model


def main():
    spec = read_input()
    task, label = spec["task"], spec["label"]
    categorical = [f["name"] for f in spec["features"] if f["type"] != "numeric"]
    if categorical:
        raise ValueError(f"the LightGBM example takes numeric features only (one float tensor); categorical: {', '.join(categorical)}")
    if spec.get("warmStartModel"):
        print("train.py: ignoring warmStartModel: boosting continues from a LightGBM checkpoint, not from ONNX", file=sys.stderr)
    tp = training_params(task, spec.get("params") or {})
    num, _, x, _, y = read_rows(spec["snapshot"]["train"], spec["features"], label)
    booster, resumed_from = train(spec, tp, num, x, y)
    _, _, h_x, _, h_y = read_rows(spec["snapshot"]["heldOut"], spec["features"], label)
    fitted, held = booster.predict(x), booster.predict(h_x)
    metrics = {"trainRows": float(len(y)), "rounds": float(booster.current_iteration()), "resumedFromEpoch": float(resumed_from)}
    if task == "binaryClassification":
        metrics.update(trainLogLoss=log_loss(y, fitted), trainAccuracy=float(np.mean((fitted >= 0.5) == (y == 1))))
        predictions = {"proba": held.tolist(), "pred": (held >= 0.5).astype(int).tolist(), "label": h_y.tolist()}
    else:
        metrics.update(trainRmse=float(np.sqrt(np.mean((fitted - y) ** 2))))
        predictions = {"pred": held.tolist(), "label": h_y.tolist()}
    write_onnx(spec, export(booster, task, label, num))
    write_json(spec, "metrics.json", metrics)
    write_json(spec, "lightgbm-heldout-predictions.json", predictions)


if __name__ == "__main__":
    main()
