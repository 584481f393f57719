"""Scale benchmark of the authenticity layer: score 500,000 notes, near-duplicates and rings included.

Everything is generated in-process and bounded (no store, no network): a synthetic community
(`nichely.trust.synthetic`) with a planted ring of 12, note texts in English and Chinese with
planted copy-paste groups and promotional notes, then the same pure pipeline `nichely trust score`
runs after loading the store: MinHash signatures + LSH groups, rings on the interaction graph,
undisclosed-ad signals, and a trust score with reasons for every person and note. Prints wall and
CPU time per stage and the peak resident memory. Usage:

    python benchmarks/trust_scale.py --notes 500000
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from nichely.trust import duplicates, rings, signals, synthetic
from nichely.trust.scores import NoteEvidence, UserEvidence, note_score, user_score

EN_WORDS = [
    "shoe",
    "fit",
    "wide",
    "toe",
    "box",
    "heel",
    "grip",
    "rock",
    "trail",
    "run",
    "pace",
    "km",
    "easy",
    "long",
    "soft",
    "firm",
    "sole",
    "upper",
    "mesh",
    "lace",
    "size",
    "half",
    "up",
    "down",
    "true",
    "roomy",
    "snug",
    "narrow",
    "desk",
    "lamp",
    "pet",
    "sofa",
    "scratch",
    "carrier",
    "baby",
    "strap",
    "hip",
    "waist",
    "back",
    "pain",
    "cook",
    "pan",
    "pot",
    "small",
    "kitchen",
    "burner",
    "sleep",
    "quiet",
    "noise",
    "ear",
    "plug",
    "mask",
    "dark",
    "room",
    "bike",
    "commute",
    "rain",
    "jacket",
    "bag",
    "carry",
    "on",
    "cabin",
    "travel",
    "week",
    "light",
    "heavy",
    "cheap",
    "price",
    "worth",
    "return",
    "again",
    "buy",
    "bought",
    "use",
    "used",
    "love",
    "hate",
    "great",
    "good",
    "bad",
    "okay",
    "fine",
    "after",
    "before",
    "month",
    "week",
    "day",
    "first",
    "second",
    "third",
    "still",
    "never",
    "always",
    "really",
    "very",
]
ZH_CHARS = "鞋子宽脚跑步穿码前掌舒服抓地下雨不滑推荐朋友桌子台灯宿舍猫狗沙发背带宝宝厨房锅睡觉安静耳塞骑车通勤雨衣背包登机"
PROMO = ["Use my code SHOP{n} for 20% off, only this week!!!", "优惠码SHOP{n}立减20%，链接在主页！"]


def peak_mib() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def note_texts(n: int, seed: int) -> tuple[list[str], list[list[int]], list[int]]:
    """`n` texts (70% English, 30% Chinese), with copy-paste groups and promotional notes planted."""
    rng = random.Random(seed)
    texts: list[str] = []
    for _ in range(n):
        if rng.random() < 0.7:
            texts.append(" ".join(rng.choices(EN_WORDS, k=rng.randint(30, 80))))
        else:
            texts.append("".join(rng.choices(ZH_CHARS, k=rng.randint(40, 120))))
    groups = []
    for start in rng.sample(range(n // 2), n // 400):
        members = [start]
        for _ in range(rng.randint(2, 4)):
            j = rng.randrange(start + 1, n)
            texts[j] = texts[start] + rng.choice([" Totally recommend.", "!!", "，真心推荐。"])
            members.append(j)
        groups.append(members)
    ads = rng.sample(range(n), n // 500)
    for i in ads:
        texts[i] = texts[i] + " " + rng.choice(PROMO).format(n=rng.randint(10, 30))
    return texts, groups, ads


def stage(name: str, fn: Callable[[], Any], timings: list[tuple[str, float, float]]) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    timings.append((name, time.perf_counter() - wall, time.process_time() - cpu))
    print(
        f"  {name:<28} {timings[-1][1]:7.1f} s wall {timings[-1][2]:7.1f} s CPU  peak {peak_mib():7.0f} MiB"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    print(f"generating ~{args.notes:,} notes with their community")
    t = time.perf_counter()
    users = max(1000, int(args.notes / 4.1))
    world = synthetic.community(users=users, seed=args.seed)
    n = len(world.note_author)
    texts, planted_groups, planted_ads = note_texts(n, args.seed)
    print(
        f"  {n:,} notes, {users:,} accounts, {len(world.activity.actor):,} actions, "
        f"{len(world.activity.follower):,} follows in {time.perf_counter() - t:.0f} s; peak {peak_mib():.0f} MiB"
    )
    base = peak_mib()
    timings: list[tuple[str, float, float]] = []
    print("scoring")

    def minhash() -> np.ndarray:
        return np.vstack([duplicates.signatures(texts[s : s + 20_000]) for s in range(0, n, 20_000)])

    sigs = stage("MinHash signatures", minhash, timings)
    groups = stage("LSH near-duplicate groups", lambda: duplicates.find_groups(sigs), timings)
    found_rings = stage("rings (interaction graph)", lambda: rings.find_rings(world.activity), timings)

    ctx = signals.AdContext()

    def ads() -> dict[int, signals.AdVerdict]:
        out = {}
        for i, text in enumerate(texts):
            v = signals.assess_ad(signals.NoteFacts(i, int(world.note_author[i]), text), ctx)
            if v.flagged:
                out[i] = v
        return out

    flagged_ads = stage("undisclosed-ad signals", ads, timings)
    ring_members = {u for r in found_rings for u in r.user_ids}
    user_ids = world.activity.user_ids
    now = float(world.activity.created.max()) + 86_400

    def people() -> np.ndarray:
        notes_by = np.bincount(world.note_author, minlength=len(user_ids))
        out = np.empty(len(user_ids))
        for pos, uid in enumerate(user_ids.tolist()):
            e = UserEvidence(
                uid,
                age_days=(now - world.activity.created[pos]) / 86_400,
                published_notes=int(notes_by[pos]),
                ring_score=0.95 if uid in ring_members else 0.0,
                ring_size=12 if uid in ring_members else 0,
            )
            out[pos] = user_score(e)[0]
        return out

    user_trust = stage("person scores", people, timings)
    copy_of = {m: g.members[0] for g in groups for m in g.members[1:]}

    def notes() -> int:
        done = 0
        for i in range(n):
            ad = flagged_ads.get(i)
            e = NoteEvidence(
                i,
                author_score=float(user_trust[world.note_author[i]]),
                ad_score=ad.score if ad else 0.0,
                ad_reasons=ad.reasons if ad else [],
                duplicate_of=copy_of.get(i),
                duplicate_similarity=0.9 if i in copy_of else 0.0,
            )
            note_score(e)
            done += 1
        return done

    stage("note scores", notes, timings)
    wall = sum(t[1] for t in timings)
    cpu = sum(t[2] for t in timings)
    planted_copies = {j for g in planted_groups for j in g[1:]}
    found_copies = set(copy_of)
    ring_ok = [r.user_ids for r in found_rings] == [world.ring]
    print(
        f"total scoring: {wall:.1f} s wall, {cpu:.1f} s CPU; peak {peak_mib():.0f} MiB (after generation: {base:.0f} MiB)"
    )
    print(
        f"planted copies found: {len(planted_copies & found_copies)}/{len(planted_copies)}; "
        f"other notes grouped: {len(found_copies - planted_copies)}; "
        f"ads found: {len(set(flagged_ads) & set(planted_ads))}/{len(planted_ads)} "
        f"(+{len(set(flagged_ads) - set(planted_ads))} others); "
        f"ring of 12 found alone: {ring_ok} ({len(found_rings)} groups)"
    )


if __name__ == "__main__":
    main()
