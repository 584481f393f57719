"""Coordinated rings on the interaction graph: a planted ring of 12 among 5,000, and the demo's ring."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nichely.demo import seed_demo
from nichely.trust import service
from nichely.trust.models import TrustFlag
from nichely.trust.rings import find_rings
from nichely.trust.synthetic import community


@pytest.mark.parametrize("seed", [0, 1])
def test_a_ring_of_12_among_5000_is_found_and_no_honest_group_is(seed):
    # given 5,000 accounts with friend circles, a sign-up wave, popular notes and one planted ring
    world = community(users=5000, ring_size=12, seed=seed)
    # when rings are searched for
    rings = find_rings(world.activity)
    # then exactly the ring is found, with its reasons
    assert [r.user_ids for r in rings] == [world.ring]
    ring = rings[0]
    assert ring.score >= 0.9
    assert ring.reasons[0].startswith("12 accounts acted together")
    assert any("created within" in r for r in ring.reasons)


def test_friends_who_follow_each_other_are_not_a_ring_without_the_ring():
    world = community(users=3000, ring_size=0, seed=3)
    assert find_rings(world.activity) == []


def test_the_demo_ring_is_found_and_flagged(db):
    # given the demo community with its planted ring
    manifest = seed_demo(db, seed=7, scale=0.03)
    # when the whole store is scored
    summary = service.score_all(db)
    # then the ring's 12 accounts, and only they, carry a ring flag, and their trust dropped
    with db.read() as session:
        flagged = set(session.scalars(select(TrustFlag.subject_id).where(TrustFlag.kind == "ring")))
        trust = service.trust_for_users(session, manifest.ring_user_ids)
        everyone_else = service.trust_for_users(session, range(1, 40))
    assert flagged == set(manifest.ring_user_ids)
    assert summary.rings == 1
    assert max(trust.values()) < min(v for k, v in everyone_else.items() if k not in flagged)
