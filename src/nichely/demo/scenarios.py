"""The lifestyle scenarios the demo community lives in, and the kinds of products each one buys.

Language-neutral facts only (attribute spaces, SKU axes, price ranges); what people *say* about
them lives in `nichely.demo.vocab`. Attribute keys and SKU values are canonical English so that
search facets and SKU hints read the same across the three languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

COLOURS = ["black", "white", "grey", "navy", "beige", "olive", "pink", "terracotta", "sky blue"]
SHOE_SIZES = [str(s) for s in range(35, 48)]
CLOTHING_SIZES = ["XL", "2XL", "3XL", "4XL", "5XL", "6XL"]


@dataclass(frozen=True)
class Kind:
    """A kind of product: its names per language, category, price band, attributes and SKU axes."""

    key: str
    names: dict[str, str]
    category: str
    price: tuple[int, int]
    attributes: dict[str, list[Any]]
    axes: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    key: str
    kinds: tuple[Kind, ...]
    # The share of the community whose main interest this is (relative weight).
    weight: float = 1.0


def _shoe_axes(widths: list[str]) -> dict[str, list[str]]:
    return {"size": SHOE_SIZES, "width": widths, "colour": COLOURS}


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "running",
        (
            Kind(
                "daily_trainer",
                {"en": "Daily Trainer Running Shoe", "zh": "缓震慢跑鞋", "es": "Zapatilla de running diaria"},
                "running shoes",
                (59, 149),
                {
                    "drop_mm": [4, 6, 8, 10, 12],
                    "weight_g": [228, 245, 262, 281, 298],
                    "cushioning": ["balanced", "max", "firm"],
                    "support": ["neutral", "stability"],
                },
                _shoe_axes(["standard", "wide"]),
            ),
            Kind(
                "max_cushion",
                {
                    "en": "Max Cushion Road Shoe",
                    "zh": "大底厚缓震跑鞋",
                    "es": "Zapatilla de máxima amortiguación",
                },
                "running shoes",
                (89, 179),
                {
                    "drop_mm": [5, 6, 8],
                    "weight_g": [265, 280, 305],
                    "cushioning": ["max"],
                    "runner_weight_kg": ["70-90", "80-110"],
                },
                _shoe_axes(["standard", "wide", "extra wide"]),
            ),
            Kind(
                "tempo_shoe",
                {"en": "Lightweight Tempo Shoe", "zh": "轻量竞速跑鞋", "es": "Zapatilla ligera de tempo"},
                "running shoes",
                (99, 219),
                {"drop_mm": [6, 8], "weight_g": [189, 198, 212], "plate": ["nylon", "carbon", "none"]},
                _shoe_axes(["standard"]),
            ),
        ),
        weight=1.6,
    ),
    Scenario(
        "quiet_office",
        (
            Kind(
                "quiet_loafer",
                {
                    "en": "Soft-Sole Leather Loafer",
                    "zh": "静音软底乐福鞋",
                    "es": "Mocasín de piel con suela silenciosa",
                },
                "office shoes",
                (49, 139),
                {"sole": ["rubber", "crepe", "TPR"], "heel_cm": [1, 2, 3], "upper": ["leather", "suede"]},
                _shoe_axes(["standard", "wide"]),
            ),
            Kind(
                "quiet_flat",
                {"en": "Knit Office Flat", "zh": "针织通勤平底鞋", "es": "Bailarina de punto para oficina"},
                "office shoes",
                (29, 89),
                {"sole": ["rubber", "TPR"], "heel_cm": [0, 1], "upper": ["knit", "microfibre"]},
                _shoe_axes(["standard", "wide"]),
            ),
        ),
        weight=1.1,
    ),
    Scenario(
        "wide_fit",
        (
            Kind(
                "wide_sneaker",
                {"en": "Wide Toe-Box Sneaker", "zh": "宽楦休闲鞋", "es": "Zapatilla de horma ancha"},
                "wide-fit shoes",
                (45, 129),
                {"toe_box": ["roomy", "extra roomy"], "last_width": ["2E", "4E"], "insole": ["removable"]},
                _shoe_axes(["wide", "extra wide"]),
            ),
            Kind(
                "wide_sandal",
                {"en": "Adjustable Wide Sandal", "zh": "可调节宽脚凉鞋", "es": "Sandalia ancha ajustable"},
                "wide-fit shoes",
                (29, 79),
                {"straps": ["3 velcro straps", "2 buckles"], "last_width": ["2E", "4E"]},
                _shoe_axes(["wide", "extra wide"]),
            ),
            Kind(
                "wide_boot",
                {"en": "Wide Calf Ankle Boot", "zh": "宽脚面短靴", "es": "Botín para pie y empeine ancho"},
                "wide-fit shoes",
                (69, 159),
                {"last_width": ["2E", "4E"], "zip": ["side zip", "no zip"], "upper": ["leather", "suede"]},
                _shoe_axes(["wide", "extra wide"]),
            ),
        ),
    ),
    Scenario(
        "plus_size",
        (
            Kind(
                "linen_dress",
                {
                    "en": "Plus-Size Linen Midi Dress",
                    "zh": "大码亚麻连衣裙",
                    "es": "Vestido midi de lino talla grande",
                },
                "plus-size fashion",
                (39, 119),
                {"fabric": ["linen", "linen-cotton"], "stretch": ["low", "medium"], "pockets": [True, False]},
                {"size": CLOTHING_SIZES, "colour": COLOURS},
            ),
            Kind(
                "stretch_jeans",
                {
                    "en": "High-Rise Stretch Jeans (Curvy Fit)",
                    "zh": "大码高腰弹力牛仔裤",
                    "es": "Vaquero elástico tiro alto curvy",
                },
                "plus-size fashion",
                (35, 99),
                {"stretch": ["medium", "high"], "rise": ["high"], "inseam_cm": [72, 76, 80]},
                {
                    "size": CLOTHING_SIZES,
                    "length": ["petite", "regular", "tall"],
                    "colour": ["indigo", "black"],
                },
            ),
            Kind(
                "blazer",
                {
                    "en": "Plus-Size Unlined Work Blazer",
                    "zh": "大码通勤西装外套",
                    "es": "Blazer de trabajo talla grande",
                },
                "plus-size fashion",
                (59, 149),
                {"fabric": ["crepe", "wool blend"], "stretch": ["medium"], "lined": [False, True]},
                {"size": CLOTHING_SIZES, "colour": COLOURS},
            ),
        ),
        weight=1.2,
    ),
    Scenario(
        "pet_furniture",
        (
            Kind(
                "cat_sofa",
                {
                    "en": "Sofa with Built-in Cat Bed",
                    "zh": "人宠共用猫窝沙发",
                    "es": "Sofá con cama para gato integrada",
                },
                "pet furniture",
                (299, 899),
                {
                    "cover": ["scratch-resistant fabric", "tech leather"],
                    "washable_cover": [True],
                    "seats": [2, 3],
                },
                {"colour": ["grey", "beige", "olive", "navy"]},
            ),
            Kind(
                "crate_table",
                {
                    "en": "Dog Crate Side Table",
                    "zh": "狗笼边几两用柜",
                    "es": "Mesita auxiliar con jaula para perro",
                },
                "pet furniture",
                (129, 399),
                {"material": ["solid oak", "bamboo", "pine"], "max_pet_kg": [10, 20, 35]},
                {"size": ["S", "M", "L"], "colour": ["natural", "walnut", "white"]},
            ),
            Kind(
                "cat_shelf",
                {
                    "en": "Bookshelf with Cat Climbing Steps",
                    "zh": "猫爬架书架",
                    "es": "Estantería con escalones para gatos",
                },
                "pet furniture",
                (89, 259),
                {"material": ["bamboo", "pine"], "height_cm": [150, 180], "sisal_posts": [2, 3]},
                {"colour": ["natural", "white"]},
            ),
        ),
    ),
    Scenario(
        "dorm_desk",
        (
            Kind(
                "fold_desk",
                {"en": "Foldable Study Desk", "zh": "可折叠宿舍书桌", "es": "Escritorio plegable de estudio"},
                "study desks",
                (39, 129),
                {"width_cm": [80, 100, 120], "foldable": [True], "max_load_kg": [30, 50]},
                {"width": ["80 cm", "100 cm", "120 cm"], "colour": ["white", "oak", "black"]},
            ),
            Kind(
                "bed_desk",
                {"en": "Over-Bed Laptop Desk", "zh": "床上懒人桌", "es": "Mesa para portátil sobre la cama"},
                "study desks",
                (19, 69),
                {"height_adjustable": [True, False], "tilt": [True, False]},
                {"colour": ["white", "oak", "black"]},
            ),
            Kind(
                "desk_lamp",
                {
                    "en": "Eye-Care LED Desk Lamp",
                    "zh": "护眼台灯",
                    "es": "Lámpara LED de escritorio antifatiga",
                },
                "study desks",
                (15, 59),
                {"colour_temp_k": ["2700-6500"], "clamp": [True, False], "cri": [90, 95]},
                {"colour": ["white", "black"]},
            ),
        ),
    ),
    Scenario(
        "small_kitchen",
        (
            Kind(
                "stack_pots",
                {
                    "en": "Stackable Pot Set with Detachable Handle",
                    "zh": "可拆手柄叠放锅具套装",
                    "es": "Juego de ollas apilables con mango extraíble",
                },
                "kitchen",
                (49, 189),
                {"pieces": [5, 9, 13], "induction": [True], "coating": ["ceramic", "stainless"]},
                {"set": ["5 pieces", "9 pieces", "13 pieces"], "colour": ["black", "cream", "grey"]},
            ),
            Kind(
                "dish_rack",
                {
                    "en": "Over-Sink Roll-Up Dish Rack",
                    "zh": "水槽卷帘沥水架",
                    "es": "Escurreplatos enrollable sobre fregadero",
                },
                "kitchen",
                (12, 39),
                {"length_cm": [38, 45, 52], "material": ["silicone-coated steel"]},
                {"length": ["38 cm", "45 cm", "52 cm"]},
            ),
            Kind(
                "air_fryer",
                {"en": "Compact 2 L Air Fryer", "zh": "迷你空气炸锅", "es": "Freidora de aire compacta"},
                "kitchen",
                (39, 109),
                {"capacity_l": [2, 3.5], "watts": [900, 1300], "noise_db": [52, 58]},
                {"colour": ["white", "black", "sage"]},
            ),
        ),
    ),
    Scenario(
        "baby_carrier",
        (
            Kind(
                "ergo_carrier",
                {"en": "Ergonomic Baby Carrier", "zh": "婴儿腰凳背带", "es": "Mochila portabebés ergonómica"},
                "baby carriers",
                (59, 189),
                {"age": ["0-36 months", "4-48 months"], "max_kg": [15, 20], "fabric": ["mesh", "cotton"]},
                {"waistband": ["standard", "extended"], "colour": ["black", "grey", "navy", "sage"]},
            ),
            Kind(
                "wrap",
                {
                    "en": "Stretchy Newborn Wrap",
                    "zh": "新生儿弹力背巾",
                    "es": "Fular elástico para recién nacido",
                },
                "baby carriers",
                (29, 69),
                {"age": ["0-9 months"], "max_kg": [9], "fabric": ["cotton-elastane", "bamboo viscose"]},
                {"colour": ["grey", "beige", "sage"]},
            ),
        ),
        weight=0.8,
    ),
    Scenario(
        "hiking",
        (
            Kind(
                "hiking_boot",
                {
                    "en": "Waterproof Mid Hiking Boot",
                    "zh": "防水中帮徒步鞋",
                    "es": "Bota de senderismo impermeable",
                },
                "hiking",
                (79, 219),
                {"waterproof": ["membrane"], "weight_g": [480, 560, 640], "lug_mm": [4, 5]},
                _shoe_axes(["standard", "wide"]),
            ),
            Kind(
                "daypack",
                {
                    "en": "20 L Ventilated Daypack",
                    "zh": "20升透气登山包",
                    "es": "Mochila de día ventilada 20 L",
                },
                "hiking",
                (39, 129),
                {"capacity_l": [18, 20, 24], "rain_cover": [True, False], "weight_g": [690, 820]},
                {"back_length": ["S/M", "M/L"], "colour": ["black", "olive", "terracotta"]},
            ),
            Kind(
                "poles",
                {
                    "en": "Carbon Folding Trekking Poles",
                    "zh": "碳纤维折叠登山杖",
                    "es": "Bastones de trekking plegables de carbono",
                },
                "hiking",
                (49, 139),
                {"weight_g": [340, 410], "length_cm": ["105-125", "115-135"]},
                {"length": ["105-125 cm", "115-135 cm"]},
            ),
        ),
    ),
    Scenario(
        "sensitive_skin",
        (
            Kind(
                "cleanser",
                {
                    "en": "Fragrance-Free Gentle Cleanser",
                    "zh": "无香氨基酸洁面",
                    "es": "Limpiador suave sin perfume",
                },
                "skincare",
                (9, 29),
                {
                    "ph": [5.5, 6.0],
                    "key_ingredient": ["ceramides", "panthenol", "oat"],
                    "fragrance_free": [True],
                },
                {"volume": ["100 ml", "200 ml"]},
            ),
            Kind(
                "barrier_cream",
                {"en": "Barrier Repair Cream", "zh": "屏障修护面霜", "es": "Crema reparadora de barrera"},
                "skincare",
                (15, 45),
                {"key_ingredient": ["ceramides", "centella", "panthenol"], "fragrance_free": [True]},
                {"volume": ["50 ml", "100 ml"]},
            ),
            Kind(
                "mineral_spf",
                {
                    "en": "Mineral Sunscreen SPF 50",
                    "zh": "物理防晒霜 SPF50",
                    "es": "Protector solar mineral SPF 50",
                },
                "skincare",
                (12, 39),
                {"filter": ["zinc oxide"], "spf": [50], "white_cast": ["none", "slight"]},
                {"volume": ["40 ml", "75 ml"]},
            ),
        ),
        weight=1.3,
    ),
    Scenario(
        "light_sleeper",
        (
            Kind(
                "blackout_curtain",
                {"en": "Thermal Blackout Curtains", "zh": "全遮光隔音窗帘", "es": "Cortinas opacas térmicas"},
                "bedroom",
                (25, 89),
                {"blackout_pct": [99, 100], "layers": [3]},
                {"size": ["140x160 cm", "140x245 cm"], "colour": ["grey", "navy", "beige"]},
            ),
            Kind(
                "cooling_pillow",
                {
                    "en": "Cooling Memory Foam Pillow",
                    "zh": "凉感记忆棉枕头",
                    "es": "Almohada viscoelástica refrescante",
                },
                "bedroom",
                (29, 79),
                {"loft_cm": [10, 12, 14], "cover": ["cooling knit"]},
                {"height": ["low", "medium", "high"]},
            ),
        ),
        weight=0.8,
    ),
    Scenario(
        "commuter_cycling",
        (
            Kind(
                "pannier",
                {
                    "en": "Waterproof Commuter Pannier",
                    "zh": "防水通勤驮包",
                    "es": "Alforja impermeable para ciudad",
                },
                "cycling",
                (39, 119),
                {"capacity_l": [16, 20, 25], "laptop_sleeve": [True, False], "reflective": [True]},
                {"colour": ["black", "grey", "olive"]},
            ),
            Kind(
                "helmet",
                {
                    "en": "Urban Helmet with Rear Light",
                    "zh": "带尾灯城市骑行头盔",
                    "es": "Casco urbano con luz trasera",
                },
                "cycling",
                (35, 99),
                {"weight_g": [310, 360], "light": ["USB-C rechargeable"]},
                {"size": ["S", "M", "L"], "colour": ["black", "white", "sky blue"]},
            ),
        ),
        weight=0.7,
    ),
    Scenario(
        "travel_light",
        (
            Kind(
                "carry_on",
                {
                    "en": "40 L Carry-On Travel Backpack",
                    "zh": "40升登机旅行背包",
                    "es": "Mochila de cabina 40 L",
                },
                "travel",
                (59, 169),
                {"capacity_l": [35, 40], "clamshell": [True], "weight_g": [1150, 1400]},
                {"colour": ["black", "grey", "olive"]},
            ),
            Kind(
                "packing_cubes",
                {
                    "en": "Compression Packing Cubes (Set of 4)",
                    "zh": "压缩收纳袋四件套",
                    "es": "Cubos de compresión (4 piezas)",
                },
                "travel",
                (15, 39),
                {"pieces": [4], "compression": [True]},
                {"colour": ["black", "grey", "sky blue", "pink"]},
            ),
        ),
        weight=0.8,
    ),
)

BY_KEY = {scenario.key: scenario for scenario in SCENARIOS}
KINDS = {kind.key: kind for scenario in SCENARIOS for kind in scenario.kinds}
