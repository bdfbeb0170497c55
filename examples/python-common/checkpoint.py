"""Per-epoch checkpoints for the example trainers (docs/trainer-contract.md, section 2).

A checkpoint is one small `.npz` file: the model state after an epoch (the scikit-learn
example's coefficients and intercept, the LightGBM example's booster as text), plus a
fingerprint of everything that must be equal for that state to mean the same thing in another
attempt (snapshot hash, task, label, feature schema, the fitted column layout, and the
hyperparameters that shape training). Only the file's path and epoch travel in the
heartbeat, so the heartbeat stays tiny whatever the model size.

Files are written atomically (temp file in the same directory, then rename), so a worker killed
mid-write never leaves a half-written checkpoint under the name a heartbeat may already carry.
Older epochs are kept: Temporal throttles heartbeats, so the checkpoint a retry receives may be
a few epochs older than the newest file.
"""
import hashlib
import json
import os
import sys
import tempfile

import numpy as np

SKLEARN = "ct-flywheel-example/sklearn-checkpoint@1"


def fingerprint(spec, layout, params, kind=SKLEARN):
    """Hash of what a checkpoint depends on; a checkpoint from any other run (or another
    example, `kind`) will not match."""
    basis = {
        "format": kind,
        "snapshotSha256": spec["snapshot"]["sha256"],
        "task": spec["task"],
        "label": spec["label"],
        "features": [[f["name"], f["type"]] for f in spec["features"]],
        "layout": layout,
        "params": params,
    }
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode("utf-8")).hexdigest()


def checkpoint_dir(spec):
    """Where checkpoint files go: CT_EXAMPLE_CHECKPOINT_DIR (set it in the spec's `trainer.env`
    to shared storage when retries may land on another machine), else <outputDir>/checkpoints,
    which the contract lets us write into and ct-flywheel removes after a successful run."""
    return os.environ.get("CT_EXAMPLE_CHECKPOINT_DIR") or os.path.join(spec["outputDir"], "checkpoints")


def save(directory, epoch, fp, **state):
    """Writes epoch-<n>-<fingerprint prefix>.npz (the arrays in `state`) atomically and
    returns its absolute path."""
    os.makedirs(directory, exist_ok=True)
    final = os.path.abspath(os.path.join(directory, f"epoch-{epoch}-{fp[:12]}.npz"))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, epoch=np.array(epoch), fingerprint=np.array(fp), **state)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, final)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return final


def load(checkpoint, fp, names, check=lambda state: None):
    """Returns (epoch, {name: array}) for the arrays `names` from the input's checkpoint, or None
    (after one line on stderr saying why) when there is none or it cannot be trusted: then
    train from scratch. `check(state)` may return a further reason not to trust it."""
    if checkpoint is None:
        return None
    reason = _problem(checkpoint, fp, names, check)
    if isinstance(reason, str):
        print(f"train.py: ignoring checkpoint, training from scratch: {reason}", file=sys.stderr, flush=True)
        return None
    return reason


def _problem(checkpoint, fp, names, check):
    state = checkpoint.get("state") if isinstance(checkpoint, dict) else None
    file = state.get("file") if isinstance(state, dict) else None
    epoch = checkpoint.get("epoch") if isinstance(checkpoint, dict) else None
    if not isinstance(file, str) or not isinstance(epoch, (int, float)):
        return f"input.checkpoint is not {{epoch, state: {{file}}}} as this script reports it: {json.dumps(checkpoint)[:200]}"
    if not os.path.isfile(file):
        return f"{file} does not exist (written on another machine, or cleaned up)"
    try:
        with np.load(file, allow_pickle=False) as data:
            saved_fp, saved_epoch = str(data["fingerprint"]), int(data["epoch"])
            state = {name: np.array(data[name]) for name in names}
    except Exception as err:  # unreadable, truncated, or not ours
        return f"{file} is not a readable checkpoint: {type(err).__name__}: {err}"
    if saved_fp != fp:
        return f"{file} belongs to another snapshot, feature schema or hyperparameters"
    if saved_epoch != int(epoch):
        return f"{file} holds epoch {saved_epoch} but the input says epoch {int(epoch)}"
    problem = check(state)
    if problem:
        return f"{file} {problem}"
    return saved_epoch, state
