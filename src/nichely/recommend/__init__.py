"""People-centric recommendation: "people like you and people you trust have this".

Modules, by concept:
- `data`     reading outside CSV(.gz) files by column name, id maps, the binary matrices;
- `graphs`   sparse top-k neighbour graphs (cosine, RP3beta) and trust walks, pure functions;
- `signals`  the scoring signals fitted on one matrix: people, items, ALS factors, popularity;
- `blend`    per-user scaling, weighted sum, top-k, weights chosen on a validation split;
- `model`    `Recommender`: fit / recommend / similar_users / similar_items / save / load;
- `store`    the versioned model file;
- `metrics`  Recall@k, NDCG@k and the seeded hold-out split;
- `bench`    ours beside popularity and implicit ALS on one split.
"""

from __future__ import annotations

from nichely.recommend.model import Recommendations, Recommender, RecommenderSettings

__all__ = ["Recommendations", "Recommender", "RecommenderSettings"]
