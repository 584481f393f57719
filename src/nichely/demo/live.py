"""Demo live rooms: scheduled, live and ended, with line-ups, a pinned product, chat and sales."""

from __future__ import annotations

from datetime import datetime, timedelta

from nichely.demo.context import Demo, Person, ProductInfo
from nichely.demo.orders import OrderIntent
from nichely.demo.scenarios import KINDS


def _chat(
    demo: Demo,
    room_id: int,
    lang: str,
    start: datetime,
    end: datetime,
    audience: list[Person],
    lineup: list[ProductInfo],
) -> None:
    text = demo.text[lang]
    minutes = max(1.0, (end - start).total_seconds() / 60)
    count = demo.rng.randint(10, 60)
    moments = sorted(start + timedelta(minutes=demo.rng.uniform(0, minutes)) for _ in range(count))
    for moment in moments:
        product = demo.pick(lineup)
        _, _, attrs = demo.pick(product.skus)
        body = demo.pick(text.live_chat).format(
            kind=KINDS[product.kind].names[lang],
            colour=text.value(attrs.get("colour", "black")),
            city=demo.pick(text.cities),
        )
        demo.add(
            "live_chat_messages",
            {"room_id": room_id, "author_id": demo.pick(audience).id, "body": body, "created_at": moment},
        )


def make_live_rooms(demo: Demo) -> list[OrderIntent]:
    """Rooms for shops, hosted by the manager or a creator; returns the orders placed during them."""
    by_shop: dict[int, list[ProductInfo]] = {}
    for product in demo.products:
        by_shop.setdefault(product.shop_id, []).append(product)
    shops = sorted(by_shop)
    creators = demo.people_of("creator")
    audience_pool = [p for p in demo.people if p.kind in ("shopper", "creator", "buyer")]
    intents: list[OrderIntent] = []
    total = demo.count(60, 6)
    for n in range(total):
        status = "live" if n < max(1, total // 10) else ("scheduled" if n % 3 == 0 else "ended")
        shop_id = shops[(n * 7) % len(shops)]
        scenario = demo.shop_scenario[shop_id]
        lang = demo.shop_lang[shop_id]
        text = demo.text[lang]
        same = [c for c in creators if scenario in c.scenarios and c.lang == lang]
        host = (
            demo.pick(same)
            if same and demo.chance(0.3)
            else next(p for p in demo.people if p.id == demo.shop_manager[shop_id])
        )
        lineup = demo.rng.sample(by_shop[shop_id], min(len(by_shop[shop_id]), demo.rng.randint(3, 8)))
        kind_name = KINDS[lineup[0].kind].names[lang]
        if status == "scheduled":
            scheduled = demo.now + timedelta(hours=demo.rng.randint(3, 14 * 24))
            started = ended = None
        elif status == "live":
            started = demo.now - timedelta(minutes=demo.rng.randint(10, 90))
            scheduled, ended = started - timedelta(minutes=demo.rng.randint(0, 10)), None
        else:
            scheduled = demo.ago(180, 1)
            started = scheduled + timedelta(minutes=demo.rng.randint(0, 15))
            ended = started + timedelta(minutes=demo.rng.randint(40, 150))
        room_id = demo.add(
            "live_rooms",
            {
                "host_id": host.id,
                "shop_id": shop_id,
                "title": demo.pick(text.live_titles).format(kind=kind_name)[:200],
                "description": text.scenarios[scenario].name,
                "status": status,
                "scheduled_at": scheduled,
                "started_at": started,
                "ended_at": ended,
                "pinned_product_id": demo.pick(lineup).id if status != "scheduled" else None,
                "created_at": min(demo.now, scheduled) - timedelta(days=demo.rng.randint(1, 10)),
            },
        )
        for position, product in enumerate(lineup):
            demo.link(
                "live_room_products", {"room_id": room_id, "product_id": product.id, "position": position}
            )
        if started is None:
            continue
        end = ended or demo.now
        community = [p for p in audience_pool if scenario in p.scenarios] or audience_pool
        _chat(demo, room_id, lang, started, end, community, lineup)
        for _ in range(demo.rng.randint(2, 25) if status == "ended" else demo.rng.randint(1, 6)):
            moment = started + (end - started) * demo.rng.random()
            customer = demo.pick(community)
            if customer.created_at < moment:
                intents.append(OrderIntent(customer, [demo.pick(lineup)], moment, live_room_id=room_id))
    return intents
