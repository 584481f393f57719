"""The demo search log (head and long-tail queries in three languages, with clicks) and the
rest of the event log: purchases, follows, product views and shares."""

from __future__ import annotations

from datetime import datetime, timedelta

from nichely.demo.context import Demo, Person, ProductInfo

TYPO_RATE = 0.04


def _typo(demo: Demo, query: str) -> str:
    """People mistype: drop one letter of a Latin-script query now and then."""
    if not query.isascii() or len(query) < 6 or not demo.chance(TYPO_RATE):
        return query
    cut = demo.rng.randrange(1, len(query) - 1)
    return query[:cut] + query[cut + 1 :]


class SearchLog:
    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.by_scenario: dict[str, list[ProductInfo]] = {}
        for product in demo.products:
            self.by_scenario.setdefault(product.scenario, []).append(product)
        self.notes_by_scenario: dict[str, list[int]] = {}

    def add(
        self,
        user: Person | None,
        lang: str,
        scenario: str,
        moment: datetime,
        long_tail: bool,
        clicked: ProductInfo | None = None,
    ) -> int:
        demo = self.demo
        text = demo.text[lang].scenarios[scenario]
        query = _typo(demo, demo.pick(text.tail_queries if long_tail else text.head_queries))
        results = demo.rng.randint(0, 30) if long_tail else demo.rng.randint(25, 400)
        if long_tail and demo.chance(0.12):
            results = 0  # demand the catalogue does not meet yet
        search_id = demo.add(
            "search_log",
            {
                "user_id": user.id if user else None,
                "query": query,
                "language": lang,
                "is_long_tail": long_tail,
                "result_count": results,
                "click_count": 0,
                "created_at": moment,
            },
        )
        targets: list[tuple[str, int]] = []
        if clicked is not None:
            targets.append(("product", clicked.id))
        elif results and demo.chance(0.45 if long_tail else 0.65):
            for _ in range(demo.rng.randint(1, 3)):
                notes = self.notes_by_scenario.get(scenario)
                if notes and demo.chance(0.35):
                    targets.append(("note", demo.pick(notes)))
                elif self.by_scenario.get(scenario):
                    targets.append(("product", demo.pick(self.by_scenario[scenario]).id))
        for target_type, target_id in targets:
            position = min(results, max(1, int(demo.rng.expovariate(0.35)) + 1)) if results else 1
            when = moment + timedelta(seconds=demo.rng.randint(3, 120))
            demo.add(
                "search_clicks",
                {
                    "search_id": search_id,
                    "target_type": target_type,
                    "target_id": target_id,
                    "position": position,
                    "created_at": when,
                },
            )
            demo.add(
                "events",
                {
                    "user_id": user.id if user else None,
                    "kind": "click",
                    "target_type": target_type,
                    "target_id": target_id,
                    "context": {"search_id": search_id, "position": position},
                    "created_at": when,
                },
            )
        demo.rows["search_log"][search_id - 1]["click_count"] = len(targets)
        return search_id


def make_searches(demo: Demo, note_scenarios: dict[int, str]) -> None:
    """Searches by people in their scenarios and languages; some lead straight to an order."""
    log = SearchLog(demo)
    for note_id, scenario in note_scenarios.items():
        log.notes_by_scenario.setdefault(scenario, []).append(note_id)
    people = [p for p in demo.people if p.kind in ("shopper", "creator", "buyer")]
    for _ in range(demo.count(8000, 300)):
        person = demo.pick(people) if demo.chance(0.75) else None
        lang = person.lang if person else demo.pick(["en", "en", "zh", "es"])
        scenario = demo.pick(person.scenarios) if person else demo.pick(sorted(log.by_scenario))
        # Searches grow over the year: more of them are recent.
        moment = demo.now - timedelta(seconds=int(365 * 86400 * demo.rng.random() ** 1.6))
        log.add(person, lang, scenario, moment, long_tail=demo.chance(0.42))
    # Attribute some orders to the search that led to them.
    people_by_id = {p.id: p for p in demo.people}
    first_line: dict[int, int] = {}
    for line in demo.rows["order_lines"]:
        first_line.setdefault(line["order_id"], line["product_id"])
    products = {p.id: p for p in demo.products}
    for order in demo.rows["orders"]:
        if order["live_room_id"] or order["storefront_id"] or not demo.chance(0.18):
            continue
        customer = people_by_id[order["customer_id"]]
        product = products[first_line[order["id"]]]
        moment = order["created_at"] - timedelta(minutes=demo.rng.randint(2, 60))
        order["search_id"] = log.add(
            customer, customer.lang, product.scenario, moment, demo.chance(0.5), clicked=product
        )


def other_events(demo: Demo) -> None:
    """Purchases, follows, product views and shares."""
    lines_by_order: dict[int, list[int]] = {}
    for line in demo.rows["order_lines"]:
        lines_by_order.setdefault(line["order_id"], []).append(line["product_id"])
    for order in demo.rows["orders"]:
        for product_id in lines_by_order[order["id"]]:
            view = order["created_at"] - timedelta(minutes=demo.rng.randint(1, 90))
            demo.add(
                "events",
                {
                    "user_id": order["customer_id"],
                    "kind": "view",
                    "target_type": "product",
                    "target_id": product_id,
                    "context": {},
                    "created_at": view,
                },
            )
            if order["status"] != "cancelled":
                context = {
                    "order_id": order["id"],
                    "live_room_id": order["live_room_id"],
                    "storefront_id": order["storefront_id"],
                }
                demo.add(
                    "events",
                    {
                        "user_id": order["customer_id"],
                        "kind": "purchase",
                        "target_type": "product",
                        "target_id": product_id,
                        "context": {k: v for k, v in context.items() if v},
                        "created_at": order["created_at"],
                    },
                )
    for follow in demo.rows["follows"]:
        demo.add(
            "events",
            {
                "user_id": follow["follower_id"],
                "kind": "follow",
                "target_type": "user",
                "target_id": follow["followee_id"],
                "context": {},
                "created_at": follow["created_at"],
            },
        )
    for note in demo.rows["notes"]:
        if note["like_count"] > 10 and demo.chance(0.3):
            sharer = demo.pick(demo.people)
            demo.add(
                "events",
                {
                    "user_id": sharer.id,
                    "kind": "share",
                    "target_type": "note",
                    "target_id": note["id"],
                    "context": {},
                    "created_at": min(demo.now, note["created_at"] + timedelta(days=1)),
                },
            )
