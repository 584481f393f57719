"""The model file: one NumPy `.npz` archive (no pickles) with a format marker and a version.

Keys: `format` ("nichely-recommender"), `version`, `meta` (JSON: weights, trust share,
settings, free-form metadata), the id maps, and each sparse matrix as its CSR parts.
A file without the marker, or of another version, is refused with a clear message.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from nichely.errors import InvalidInput
from nichely.recommend.data import IdMap
from nichely.recommend.signals import Signals, SignalSettings

if TYPE_CHECKING:
    from nichely.recommend.model import Recommender

FORMAT = "nichely-recommender"
VERSION = 1
_SPARSE = ("interactions", "taste", "trust", "item_graph")


def save_recommender(model: Recommender, path: Path) -> None:
    """Write a fitted recommender to `path` (the name is kept as given)."""
    signals = model._fitted()
    arrays: dict[str, Any] = {
        "format": np.array(FORMAT),
        "version": np.array(VERSION),
        "meta": np.array(
            json.dumps(
                {
                    "weights": model.weights,
                    "trust_share": model.trust_share,
                    "validation_quality": model.validation_quality,
                    "signals": asdict(model.settings.signals),
                    "meta": model.meta,
                }
            )
        ),
        "popularity": signals.popularity,
    }
    for name in _SPARSE:
        matrix: sp.csr_matrix = getattr(signals, name)
        arrays[f"{name}.data"] = matrix.data
        arrays[f"{name}.indices"] = matrix.indices
        arrays[f"{name}.indptr"] = matrix.indptr
        arrays[f"{name}.shape"] = np.array(matrix.shape)
    if signals.user_factors is not None and signals.item_factors is not None:
        arrays["user_factors"] = signals.user_factors
        arrays["item_factors"] = signals.item_factors
    if model.users is not None:
        arrays["user_ids"] = model.users.ids
    if model.items is not None:
        arrays["item_ids"] = model.items.ids
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        np.savez_compressed(handle, **arrays)


def load_recommender(path: Path) -> Recommender:
    """Read a recommender written by `save_recommender`."""
    from nichely.recommend.model import Recommender, RecommenderSettings

    if not path.exists():
        raise InvalidInput(f"model file not found: {path}")
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile, EOFError):
        raise InvalidInput(f"{path.name} is not a Nichely recommender model file") from None
    with archive:
        if not hasattr(archive, "files") or "format" not in archive.files or str(archive["format"]) != FORMAT:
            raise InvalidInput(f"{path.name} is not a Nichely recommender model file")
        version = int(archive["version"])
        if version != VERSION:
            raise InvalidInput(
                f"{path.name} is a recommender model of format version {version}; this Nichely reads version {VERSION}"
            )
        meta = json.loads(str(archive["meta"]))

        def sparse(name: str) -> sp.csr_matrix:
            shape = tuple(int(n) for n in archive[f"{name}.shape"])
            return sp.csr_matrix(
                (archive[f"{name}.data"], archive[f"{name}.indices"], archive[f"{name}.indptr"]), shape=shape
            )

        signals = Signals(
            interactions=sparse("interactions"),
            taste=sparse("taste"),
            trust=sparse("trust"),
            item_graph=sparse("item_graph"),
            popularity=archive["popularity"],
        )
        if "user_factors" in archive.files:
            signals.user_factors = archive["user_factors"]
            signals.item_factors = archive["item_factors"]
        model = Recommender(RecommenderSettings(signals=SignalSettings(**meta["signals"])))
        model.signals = signals
        model.weights = {name: float(value) for name, value in meta["weights"].items()}
        model.trust_share = float(meta["trust_share"])
        model.validation_quality = meta["validation_quality"]
        model.meta = dict(meta.get("meta", {}))
        if "user_ids" in archive.files:
            model.users = IdMap(archive["user_ids"])
        if "item_ids" in archive.files:
            model.items = IdMap(archive["item_ids"])
    return model
