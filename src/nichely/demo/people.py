"""Demo people: who they are, what they care about, who they follow."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from typing import Any

from nichely.demo.context import LANG_WEIGHTS, LANGS, Demo, Person
from nichely.demo.scenarios import CLOTHING_SIZES, SCENARIOS

DEMO_PASSWORD = "nichely-demo"
# Accounts whose names do not depend on the seed, so the docs can list them.
FIXED_ACCOUNTS = {
    "admin": ("admin", ["admin"], "Nichely Admin"),
    "mod_lucia": ("moderator", ["moderator"], "Lucía (moderator)"),
    "mod_wei": ("moderator", ["moderator"], "魏 (moderator)"),
    "demo_shopper": ("shopper", ["shopper"], "Demo Shopper"),
    "demo_creator": ("creator", ["creator", "shopper"], "Demo Creator"),
    "demo_buyer": ("buyer", ["buyer", "shopper"], "Demo Buyer"),
}
HANDLES = {
    "en": ["alex", "sam", "jordan", "priya", "emma", "liam", "grace", "noah", "chloe", "owen", "maya", "ben"],
    "zh": [
        "xiaoyu",
        "xiaochen",
        "yinuo",
        "zihan",
        "jiayi",
        "haoran",
        "siyuan",
        "zixuan",
        "yutong",
        "keke",
        "ajie",
        "mumu",
    ],
    "es": [
        "lucia",
        "javier",
        "carmen",
        "diego",
        "sofia",
        "pablo",
        "marta",
        "andres",
        "valeria",
        "mateo",
        "elena",
        "hugo",
    ],
}
STEMS = {
    "running": "runs",
    "quiet_office": "quietstep",
    "wide_fit": "widefeet",
    "plus_size": "curvy",
    "pet_furniture": "pawhome",
    "dorm_desk": "dormlife",
    "small_kitchen": "tinykitchen",
    "baby_carrier": "babywear",
    "hiking": "trails",
    "sensitive_skin": "skin",
    "light_sleeper": "sleeps",
    "commuter_cycling": "bikes",
    "travel_light": "onebag",
}
RING_STEMS = ["happybuyer", "goodshop", "bestdeal", "lovely_home", "shopfan", "starreview"]
SCENARIO_WEIGHTS = [s.weight for s in SCENARIOS]


def _slots(demo: Demo, scenario: str) -> dict[str, Any]:
    """A person's own facts, kept for every note they write: pace, weight, size, pet..."""
    rng = demo.rng
    weight = rng.randint(50, 98) if scenario == "running" else rng.randint(48, 95)
    # Heavier runners tend to run their easy days slower.
    pace_seconds = int(rng.gauss(330 + (weight - 70) * 3, 35))
    pace_seconds = min(max(pace_seconds, 255), 480)
    return {
        "weight": weight,
        "height": rng.randint(152, 192),
        "pace": f"{pace_seconds // 60}:{pace_seconds % 60:02d}",
        "km": rng.choice([12, 15, 20, 25, 30, 35, 40, 50, 60]),
        "size": str(rng.randint(36, 46)),
        "cloth": rng.choice(CLOTHING_SIZES),
        "pet_index": rng.randrange(5),
        "pet_kg": rng.choice([4, 5, 6, 12, 18, 22, 28, 34]),
        "sqm": rng.choice([9, 12, 15, 18, 25, 32, 40, 45]),
        "months": rng.randint(1, 30),
        "baby_kg": rng.randint(4, 14),
        "city_index": rng.randrange(6),
        "age": rng.randint(19, 56),
        "hours": rng.randint(4, 10),
    }


def _interests(demo: Demo, primary: str) -> list[str]:
    interests = [primary]
    if demo.chance(0.45):
        second = demo.weighted([s.key for s in SCENARIOS], SCENARIO_WEIGHTS)
        if second != primary:
            interests.append(second)
    return interests


def _user_row(demo: Demo, person: Person, display: str, bio: str, password_hash: str) -> None:
    demo.rows["users"].append(
        {
            "id": person.id,
            "username": person.username,
            "password_hash": password_hash,
            "display_name": display,
            "roles": person.roles,
            "bio": bio,
            "languages": [person.lang] + (["en"] if person.lang != "en" and demo.chance(0.3) else []),
            "interests": person.scenarios,
            "avatar_path": None,
            "status": "active",
            "violation_points": 0,
            "follower_count": 0,
            "following_count": 0,
            "created_at": person.created_at,
        }
    )
    demo.people.append(person)


def _new_person(demo: Demo, username: str, kind: str, roles: list[str], lang: str, primary: str) -> Person:
    created = demo.ago(720, 200) if kind in ("manager", "admin", "moderator") else demo.ago(540, 3)
    return Person(
        id=len(demo.people) + 1,
        username=username,
        lang=lang,
        roles=roles,
        scenarios=_interests(demo, primary),
        created_at=created,
        slots=_slots(demo, primary),
        kind=kind,
    )


def _display(demo: Demo, lang: str) -> str:
    text = demo.text[lang]
    given = demo.pick(text.given_names)
    family = demo.pick(text.family_names)
    if lang == "zh":
        return given if demo.chance(0.6) else f"{family}{given}"
    return f"{given} {family[0]}." if demo.chance(0.5) else f"{given} {family}"


def _handle_stem(demo: Demo, lang: str, display: str) -> str:
    """A username stem that agrees with the display name (people pick handles after their name)."""
    if lang == "zh":
        return str(demo.pick(HANDLES[lang]))
    first = unicodedata.normalize("NFKD", display.split()[0]).encode("ascii", "ignore").decode()
    return "".join(c for c in first.lower() if c.isalnum()) or str(demo.pick(HANDLES[lang]))


def make_people(demo: Demo, password_hash: str, shop_plan: list[tuple[str, str, str]]) -> list[int]:
    """Create every demo user; `shop_plan` gives (scenario, language, brand) per shop, one manager each.

    Returns the ids of the planted ring accounts.
    """
    taken: set[str] = set()

    def unique(base: str) -> str:
        name = base
        while name in taken:
            name = f"{base}{demo.rng.randint(10, 999)}"
        taken.add(name)
        return name

    for username, (kind, roles, display) in FIXED_ACCOUNTS.items():
        lang = "zh" if username == "mod_wei" else ("es" if username == "mod_lucia" else "en")
        person = _new_person(demo, unique(username), kind, roles, lang, demo.pick([s.key for s in SCENARIOS]))
        _user_row(demo, person, display, "", password_hash)

    for scenario, lang, brand in shop_plan:
        username = unique("mgr_" + "".join(c for c in brand.lower() if c.isalnum()))
        person = _new_person(demo, username, "manager", ["manager"], lang, scenario)
        person.scenarios = [scenario]
        _user_row(demo, person, f"{brand} ({demo.text[lang].shop_suffix[scenario]})", "", password_hash)

    total = demo.count(500, 60)
    ring_size = 12
    buyers = demo.count(8, 2)
    rest = max(0, total - len(demo.people) - ring_size - buyers)
    creators = round(rest * 0.22)
    plan = ["buyer"] * buyers + ["creator"] * creators + ["shopper"] * (rest - creators)
    for kind in plan:
        lang = demo.weighted(LANGS, LANG_WEIGHTS)
        primary = demo.weighted([s.key for s in SCENARIOS], SCENARIO_WEIGHTS)
        display = _display(demo, lang)
        handle = f"{_handle_stem(demo, lang, display)}_{STEMS[primary]}"
        username = unique(handle if demo.chance(0.4) else f"{handle}{demo.rng.randint(1, 99)}")
        roles = {"buyer": ["buyer", "shopper"], "creator": ["creator", "shopper"]}.get(kind, ["shopper"])
        person = _new_person(demo, username, kind, roles, lang, primary)
        bio = demo.pick(demo.text[lang].bios) if kind != "shopper" or demo.chance(0.3) else ""
        _user_row(demo, person, display, bio, password_hash)

    # The planted ring: twelve look-alike accounts created within one hour.
    ring_start = demo.ago(70, 55)
    ring_ids = []
    for _ in range(ring_size):
        username = unique(f"{demo.pick(RING_STEMS)}{demo.rng.randint(1000, 9999)}")
        person = _new_person(demo, username, "ring", ["shopper"], "en", "wide_fit")
        person.created_at = ring_start + timedelta(seconds=demo.rng.randint(0, 3540))
        _user_row(demo, person, username.split("_")[0].rstrip("0123456789").title(), "", password_hash)
        ring_ids.append(person.id)
    return ring_ids


def make_follows(demo: Demo, ring_ids: list[int], ring_manager_id: int) -> None:
    """Who follows whom: people of a scenario follow each other more; creators draw followers."""
    people = [p for p in demo.people if p.kind != "ring"]
    base = {"creator": 5.0, "buyer": 3.0, "manager": 1.5, "shopper": 1.0, "moderator": 0.2, "admin": 0.1}
    seen: set[tuple[int, int]] = set()
    for person in people:
        if person.kind in ("admin", "moderator"):
            continue
        k = demo.rng.randint(10, 60) if person.kind in ("creator", "buyer") else demo.rng.randint(2, 25)
        weights = [
            base[other.kind]
            * (6.0 if set(other.scenarios) & set(person.scenarios) else 1.0)
            * (1.5 if other.lang == person.lang else 1.0)
            for other in people
        ]
        for other in demo.rng.choices(people, weights=weights, k=k):
            pair = (person.id, other.id)
            if other.id == person.id or pair in seen:
                continue
            seen.add(pair)
            start = max(person.created_at, other.created_at)
            demo.link(
                "follows",
                {"follower_id": person.id, "followee_id": other.id, "created_at": _between(demo, start)},
            )
    # The ring follows itself completely, and the shop it boosts, within minutes of sign-up.
    ring = {p.id: p for p in demo.people if p.id in ring_ids}
    last = max(p.created_at for p in ring.values())
    for follower in ring_ids:
        for followee in [*ring_ids, ring_manager_id]:
            if follower != followee and (follower, followee) not in seen:
                seen.add((follower, followee))
                moment = last + timedelta(seconds=demo.rng.randint(60, 1800))
                demo.link("follows", {"follower_id": follower, "followee_id": followee, "created_at": moment})


def _between(demo: Demo, start: datetime) -> datetime:
    span = max(1.0, (demo.now - start).total_seconds())
    return start + timedelta(seconds=int(demo.rng.uniform(0, span)))


def apply_follow_counts(demo: Demo) -> None:
    """Store follower/following counts that match the follows rows."""
    followers: dict[int, int] = {}
    following: dict[int, int] = {}
    for row in demo.rows["follows"]:
        following[row["follower_id"]] = following.get(row["follower_id"], 0) + 1
        followers[row["followee_id"]] = followers.get(row["followee_id"], 0) + 1
    for row in demo.rows["users"]:
        row["follower_count"] = followers.get(row["id"], 0)
        row["following_count"] = following.get(row["id"], 0)
