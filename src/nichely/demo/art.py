"""Flat illustrations for the demo's note photos, drawn with Pillow from a seeded random source.

Every picture is a scene: a soft wall and floor in one of the scenario's palettes, a few props
(a plant, a frame, a rug, bokeh) and the scenario's object drawn from polygons and ellipses (a
running shoe, a desk with a lamp, a sofa with a cat, a backpack under mountains, a pump bottle on
a podium...). Angle, colours, props and composition vary per picture. Nothing is written on them.

Shapes are drawn at twice the size and halved, which smooths their edges. The same arguments give
the same bytes: the only randomness is a `random.Random` seeded from them.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 800, 1000
SUPERSAMPLE = 2

RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]
Colour = RGB | RGBA
Point = tuple[float, float]

WHITE: RGB = (255, 255, 255)
INK: RGB = (52, 46, 58)


def hexc(code: str) -> RGB:
    code = code.lstrip("#")
    return (int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def shade(c: RGB, amount: float = 0.2) -> RGB:
    """Darker by `amount` (0..1)."""
    return mix(c, (20, 16, 28), amount)


def tint(c: RGB, amount: float = 0.3) -> RGB:
    """Lighter by `amount` (0..1)."""
    return mix(c, WHITE, amount)


def alpha(c: RGB, a: int) -> RGBA:
    return (c[0], c[1], c[2], a)


class Pen:
    """Draws in a local frame: origin, scale and rotation, so one object can be placed anywhere."""

    def __init__(self, draw: ImageDraw.ImageDraw, x: float, y: float, scale: float, angle: float = 0.0):
        self.draw = draw
        self.x, self.y, self.s, self.angle = x, y, scale, angle
        self._cos, self._sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))

    def at(self, x: float, y: float, scale: float = 1.0, angle: float = 0.0) -> Pen:
        """A pen whose origin is local (x, y), scaled and turned relative to this one."""
        ox, oy = self.pt(x, y)
        return Pen(self.draw, ox, oy, self.s * scale, self.angle + angle)

    def pt(self, x: float, y: float) -> Point:
        return (
            self.x + (x * self._cos - y * self._sin) * self.s,
            self.y + (x * self._sin + y * self._cos) * self.s,
        )

    def poly(self, points: Sequence[Point], fill: Colour) -> None:
        self.draw.polygon([self.pt(x, y) for x, y in points], fill=fill)

    def ellipse(self, x: float, y: float, rx: float, ry: float, fill: Colour) -> None:
        self.poly(arc(x, y, rx, ry, 0, 360, 40), fill)

    def circle(self, x: float, y: float, r: float, fill: Colour) -> None:
        self.ellipse(x, y, r, r, fill)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Colour, r: float = 0.0) -> None:
        self.poly(rounded(x0, y0, x1, y1, r), fill)

    def line(self, points: Sequence[Point], fill: Colour, width: float, caps: bool = True) -> None:
        px = [self.pt(x, y) for x, y in points]
        w = max(1, round(width * self.s))
        self.draw.line(px, fill=fill, width=w, joint="curve")
        if caps and w > 2:
            for cx, cy in (px[0], px[-1]):
                self.draw.ellipse((cx - w / 2, cy - w / 2, cx + w / 2, cy + w / 2), fill=fill)


def arc(x: float, y: float, rx: float, ry: float, a0: float, a1: float, n: int = 16) -> list[Point]:
    """Points on an elliptical arc from angle a0 to a1 (degrees, clockwise from +x on screen)."""
    return [
        (
            x + rx * math.cos(math.radians(a0 + (a1 - a0) * i / n)),
            y + ry * math.sin(math.radians(a0 + (a1 - a0) * i / n)),
        )
        for i in range(n + 1)
    ]


def rounded(x0: float, y0: float, x1: float, y1: float, r: float) -> list[Point]:
    r = max(0.0, min(r, (x1 - x0) / 2, (y1 - y0) / 2))
    if r == 0:
        return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    return (
        arc(x1 - r, y0 + r, r, r, -90, 0, 6)
        + arc(x1 - r, y1 - r, r, r, 0, 90, 6)
        + arc(x0 + r, y1 - r, r, r, 90, 180, 6)
        + arc(x0 + r, y0 + r, r, r, 180, 270, 6)
    )


@dataclass(frozen=True)
class Look:
    """One picture's colours: wall, floor, the object's main and accent colours."""

    wall: RGB
    floor: RGB
    main: RGB
    accent: RGB


# ---------------------------------------------------------------- shoes


def sneaker(p: Pen, rng: random.Random, look: Look, cushion: float = 18, sleek: bool = False) -> None:
    main, accent = look.main, look.accent
    base = 34.0
    top = -30.0 if sleek else -40.0
    upper = [
        (-92, base + 2),
        (-97, 2),
        (-90, top + 10),
        (-72, top),
        (-52, top + 4),
        (-40, top + 16),
        (-6, top + 26),
        (34, top + 38),
        (66, top + 50),
        (92, base - 12),
        (101, base + 2),
    ]
    p.poly(upper, main)
    p.poly([(-97, 2), (-90, top + 10), (-74, top + 2), (-66, base), (-93, base)], shade(main, 0.12))
    p.ellipse(-60, top + 3, 18, 5, shade(main, 0.6))
    p.poly([(56, base), (60, top + 48), (80, top + 56), (95, base - 10), (101, base)], tint(main, 0.22))
    p.poly([(-52, base - 4), (6, top + 30), (26, top + 34), (-26, base - 2)], accent)
    lace = tint(main, 0.85)
    for i in range(5):
        t = i / 4
        x, y = -34 + t * 58, top + 20 + t * 22
        p.line([(x - 6, y - 6), (x + 5, y + 5)], lace, 3.2)
    sole = WHITE if rng.random() < 0.6 else tint(look.accent, 0.7)
    h = cushion
    p.poly(
        [
            (-99, base),
            (103, base - 3),
            (106, base + h * 0.45),
            (96, base + h),
            (-92, base + h),
            (-101, base + h * 0.6),
        ],
        sole,
    )
    p.line([(-80, base + h * 0.45), (70, base + h * 0.42)], shade(sole, 0.12), 1.6)
    p.rect(-93, base + h - 2, 98, base + h + 5, shade(look.accent, 0.55), 3)


def loafer(p: Pen, rng: random.Random, look: Look, knit: bool = False) -> None:
    main = look.main
    base = 40.0
    upper = [(-94, base), (-96, 10), (-84, 0), (-50, 6), (-8, 8), (30, 4), (66, 12), (92, 26), (101, base)]
    p.poly(upper, main)
    p.ellipse(-46, 6, 40, 7, shade(main, 0.55))
    p.poly([(-92, base), (-95, 12), (-86, 4), (-72, 6), (-70, base)], shade(main, 0.1))
    if knit:
        for row in range(3):
            y = 16 + row * 8
            for k in range(12):
                x = -78 + k * 14 + (row % 2) * 7
                if x < 88 - row * 6:
                    p.line([(x, y), (x + 4, y + 4), (x + 8, y)], shade(main, 0.18), 1.6, caps=False)
        p.ellipse(62, 18, 7, 5, look.accent)
    else:
        p.poly([(-4, 9), (28, 5), (32, 20), (-2, 24)], shade(main, 0.25))
        p.rect(8, 12, 18, 17, look.accent, 2)
        p.line([(-60, 30), (60, 27), (94, 32)], tint(main, 0.25), 1.4, caps=False)
    sole = shade(main, 0.55) if rng.random() < 0.6 else hexc("#e9dfcf")
    p.poly([(-96, base), (103, base - 2), (100, base + 7), (-92, base + 7)], sole)
    p.rect(-94, base + 5, -64, base + 13, shade(sole, 0.2), 2)


def sandal(p: Pen, rng: random.Random, look: Look) -> None:
    cork = hexc("#d8b98e")
    p.poly([(-96, 30), (100, 26), (104, 36), (98, 44), (-92, 46), (-100, 38)], cork)
    p.poly([(-92, 44), (98, 42), (96, 52), (-90, 53)], shade(look.main, 0.5))
    p.line([(-90, 30), (96, 26)], tint(cork, 0.35), 2.5, caps=False)
    strap = look.main
    p.line(arc(-58, 30, 26, 40, 180, 360, 14), strap, 10)
    p.line(arc(18, 28, 30, 44, 185, 355, 14), strap, 12)
    p.line(arc(66, 27, 22, 28, 185, 355, 12), strap, 11)
    for x, y in ((-34, 12), (44, 8)):
        p.rect(x - 6, y - 7, x + 6, y + 7, look.accent, 2)
        p.rect(x - 3, y - 4, x + 3, y + 4, strap, 1)


def boot(p: Pen, rng: random.Random, look: Look, hiking: bool = False) -> None:
    main, accent = look.main, look.accent
    base = 36.0
    shaft = -64.0 if hiking else -78.0
    p.poly(
        [
            (-90, base),
            (-94, shaft + 6),
            (-84, shaft),
            (-36, shaft),
            (-32, -16),
            (18, -4),
            (62, 8),
            (92, 24),
            (101, base),
        ],
        main,
    )
    if hiking:
        p.rect(-90, shaft - 8, -30, shaft + 10, shade(accent, 0.1), 9)
        p.poly([(40, base), (52, 4), (80, 12), (100, 26), (103, base)], shade(main, 0.3))
        p.poly([(-90, 8), (-40, 2), (10, 14), (40, base), (-90, base)], tint(main, 0.18))
        for i in range(5):
            x, y = -36 + i * 13, shaft + 10 + i * 16
            p.circle(x, y, 3.2, (206, 206, 214))
            p.line([(x, y), (x + 16, y + 4)], accent, 3)
        sole = (58, 56, 64)
        p.poly([(-93, base), (104, base - 2), (102, base + 12), (-90, base + 12)], sole)
        for k in range(13):
            x = -88 + k * 15
            p.poly([(x, base + 12), (x + 8, base + 12), (x + 6, base + 19), (x + 2, base + 19)], sole)
        p.line([(-92, base + 3), (103, base + 1)], accent, 2.2, caps=False)
    else:
        p.line([(-44, shaft + 6), (-42, 18)], shade(main, 0.35), 2.4)
        p.rect(-47, shaft + 4, -39, shaft + 16, look.accent, 2)
        p.poly([(-92, base), (-90, base + 18), (-62, base + 18), (-58, base)], shade(main, 0.5))
        p.poly([(-60, base), (104, base - 2), (101, base + 6), (-58, base + 6)], shade(main, 0.5))


def shoe_pair(
    draw_one: Callable[[Pen, random.Random, Look], None],
) -> Callable[[Pen, random.Random, Look], None]:
    """Two of a shoe: one behind, lifted and turned a little, one in front."""

    def pair(p: Pen, rng: random.Random, look: Look) -> None:
        back = Look(look.wall, look.floor, shade(look.main, 0.12), shade(look.accent, 0.12))
        if rng.random() < 0.5:
            draw_one(p.at(-26, -34, 0.92, rng.uniform(-14, -6)), rng, back)
            draw_one(p.at(18, 12, 1.0, rng.uniform(-3, 3)), rng, look)
        else:
            draw_one(p.at(-8, -6, 1.0, rng.uniform(-4, 4)), rng, look)

    return pair


# ---------------------------------------------------------------- clothes


def hanger(p: Pen, y: float = -100) -> None:
    wood = hexc("#b98a5e")
    p.line(arc(0, y - 12, 8, 9, 180, 400, 10), (150, 150, 160), 2.4)
    p.line([(-46, y + 14), (0, y), (46, y + 14)], wood, 5)


def dress(p: Pen, rng: random.Random, look: Look) -> None:
    hanger(p)
    main = look.main
    p.poly([(-30, -88), (30, -88), (40, -70), (26, -28), (-26, -28), (-40, -70)], main)
    p.poly([(-26, -30), (26, -30), (64, 96), (-64, 96)], main)
    p.ellipse(0, -88, 14, 6, shade(main, 0.35))
    p.rect(-28, -36, 28, -26, look.accent, 4)
    p.line([(6, -30), (14, -8)], look.accent, 4)
    if rng.random() < 0.6:
        for row in range(6):
            for k in range(-4, 5):
                x, y = k * 14 + (row % 2) * 7, -12 + row * 18
                if abs(x) < 26 + (y + 30) * 0.3:
                    p.circle(x, y, 2.6, tint(main, 0.55))
    else:
        for k in range(-3, 4):
            p.line([(k * 5, -24), (k * 16, 92)], shade(main, 0.1), 1.4, caps=False)


def jeans(p: Pen, rng: random.Random, look: Look) -> None:
    hanger(p)
    denim = look.main
    p.rect(-42, -86, 42, -72, shade(denim, 0.15), 3)
    p.poly([(-42, -73), (42, -73), (44, 96), (8, 96), (0, -20), (-8, 96), (-44, 96)], denim)
    p.line([(-34, -70), (-20, -40), (-8, -62)], tint(denim, 0.45), 1.6, caps=False)
    p.line([(34, -70), (20, -40), (8, -62)], tint(denim, 0.45), 1.6, caps=False)
    p.line([(0, -72), (0, -30)], shade(denim, 0.3), 1.6, caps=False)
    p.circle(2, -79, 2.5, (214, 176, 92))
    p.line([(-44, 92), (-8, 92)], tint(denim, 0.3), 1.4, caps=False)
    p.line([(8, 92), (44, 92)], tint(denim, 0.3), 1.4, caps=False)
    for x in (-36, -16, 14, 32):
        p.line([(x, -74), (x, -86)], shade(denim, 0.35), 1.8, caps=False)


def blazer(p: Pen, rng: random.Random, look: Look) -> None:
    hanger(p)
    main = look.main
    p.poly(
        [
            (-48, -82),
            (48, -82),
            (60, 40),
            (54, 44),
            (46, -30),
            (46, 70),
            (-46, 70),
            (-46, -30),
            (-54, 44),
            (-60, 40),
        ],
        main,
    )
    p.poly([(-14, -84), (14, -84), (0, -20)], tint(look.accent, 0.6))
    p.poly([(-14, -84), (0, -20), (-6, 10), (-26, -40), (-18, -60)], shade(main, 0.2))
    p.poly([(14, -84), (0, -20), (6, 10), (26, -40), (18, -60)], shade(main, 0.2))
    p.line([(0, -20), (0, 70)], shade(main, 0.3), 1.6, caps=False)
    for y in (12, 32):
        p.circle(6, y, 3.4, look.accent)
    p.rect(-38, 34, -16, 38, shade(main, 0.3), 1)
    p.rect(16, 34, 38, 38, shade(main, 0.3), 1)


def rail(p: Pen, rng: random.Random, look: Look) -> None:
    """A clothes rail with two or three garments."""
    metal = (190, 186, 196)
    p.line([(-98, -108), (98, -108)], metal, 3.4)
    for x in (-96, 96):
        p.line([(x, -108), (x, 102)], metal, 3)
        p.line([(x - 14, 102), (x + 14, 102)], metal, 3)
    items = [dress, jeans, blazer]
    rng.shuffle(items)
    palette = [look.main, look.accent, tint(look.main, 0.4)]
    for k, item in enumerate(items[:2]):
        sub = Look(look.wall, look.floor, palette[k], palette[(k + 1) % 3])
        item(p.at(-44 + k * 88, 4, 0.82), rng, sub)


# ---------------------------------------------------------------- pets and furniture


def cat(p: Pen, rng: random.Random, fur: RGB, curled: bool = False) -> None:
    if curled:
        p.ellipse(0, 8, 30, 16, fur)
        p.line(arc(0, 8, 30, 17, 10, 150, 12), shade(fur, 0.12), 6)
        p.circle(22, -2, 13, fur)
        p.poly([(12, -10), (14, -24), (22, -13)], fur)
        p.poly([(24, -13), (32, -24), (34, -8)], fur)
        p.line(arc(22, 0, 6, 2, 200, 340, 6), shade(fur, 0.6), 1.5, caps=False)
        return
    p.ellipse(0, 10, 22, 28, fur)
    p.line([(18, 30), (38, 34), (44, 14)], fur, 7)
    p.circle(0, -22, 17, fur)
    p.poly([(-15, -28), (-12, -48), (-2, -36)], fur)
    p.poly([(2, -36), (12, -48), (15, -28)], fur)
    p.poly([(-11, -32), (-10, -42), (-4, -35)], mix(fur, (240, 160, 170), 0.5))
    p.poly([(4, -35), (10, -42), (11, -32)], mix(fur, (240, 160, 170), 0.5))
    eye = (60, 66, 52)
    p.circle(-6, -24, 2.4, eye)
    p.circle(6, -24, 2.4, eye)
    p.poly([(-2, -18), (2, -18), (0, -15)], (222, 130, 140))
    if rng.random() < 0.5:
        for k in range(3):
            p.line([(-18 + k * 6, 2 + k * 2), (-4 + k * 6, 4 + k * 2)], shade(fur, 0.15), 3, caps=False)


def dog(p: Pen, fur: RGB) -> None:
    p.ellipse(0, 16, 30, 16, fur)
    p.circle(-22, -4, 15, fur)
    p.ellipse(-32, -2, 6, 13, shade(fur, 0.3))
    p.ellipse(-12, -2, 6, 13, shade(fur, 0.3))
    p.ellipse(-22, 4, 8, 6, tint(fur, 0.35))
    p.circle(-22, 1, 2.6, INK)
    p.circle(-27, -7, 2, INK)
    p.circle(-17, -7, 2, INK)


FURS = [hexc("#f2a65a"), hexc("#6f6a75"), hexc("#e8e1d6"), hexc("#3b3640"), hexc("#c9875b")]


def sofa(p: Pen, rng: random.Random, look: Look) -> None:
    main = look.main
    p.rect(-96, -50, 96, 24, shade(main, 0.1), 20)
    p.rect(-82, 4, 82, 44, main, 12)
    p.rect(-80, -2, -2, 16, tint(main, 0.12), 8)
    p.rect(2, -2, 80, 16, tint(main, 0.12), 8)
    p.rect(-108, -14, -74, 56, shade(main, 0.05), 14)
    p.rect(74, -14, 108, 56, shade(main, 0.05), 14)
    p.ellipse(91, 24, 11, 14, shade(main, 0.55))
    leg = hexc("#8a623f")
    for x in (-96, 96):
        p.poly([(x - 5, 56), (x + 5, 56), (x + 3, 72), (x - 3, 72)], leg)
    p.rect(-64, -40, -24, -4, look.accent, 9)
    fur = rng.choice(FURS)
    if rng.random() < 0.5:
        cat(p.at(30, -16, 0.72), rng, fur, curled=True)
    else:
        cat(p.at(34, -20, 0.7), rng, fur)
    p.circle(91, 22, 7, rng.choice(FURS))
    p.circle(88, 19, 1.3, INK)
    p.circle(94, 19, 1.3, INK)


def crate_table(p: Pen, rng: random.Random, look: Look) -> None:
    wood = rng.choice([hexc("#c89b6d"), hexc("#8a5d3b"), hexc("#efe7db")])
    p.rect(-86, -46, 86, 66, shade(wood, 0.35), 4)
    dog(p.at(6, 24, 1.2), rng.choice(FURS))
    for k in range(9):
        x = -70 + k * 17.5
        p.line([(x, -40), (x, 62)], shade(wood, 0.1), 4.5, caps=False)
    p.rect(-96, -60, 96, -44, wood, 4)
    p.rect(-92, 62, 92, 72, wood, 2)
    p.line([(-86, -20), (86, -20)], shade(wood, 0.1), 3, caps=False)
    potted_plant(p.at(-54, -60, 0.45), rng, look)
    p.rect(22, -78, 62, -60, look.accent, 3)
    p.rect(26, -88, 58, -78, tint(look.accent, 0.4), 3)


def cat_shelf(p: Pen, rng: random.Random, look: Look) -> None:
    wood = rng.choice([hexc("#d9b58a"), hexc("#f1ece4")])
    p.rect(-60, -120, 20, 100, shade(wood, 0.18), 3)
    for y in (-120, -64, -8, 48, 94):
        p.rect(-60, y, 20, y + 7, wood, 1)
    books = [look.main, look.accent, hexc("#f0d58c"), hexc("#7fb4c9"), hexc("#e58f7c")]
    for shelf, y in enumerate((-64, -8, 48)):
        x = -54.0
        for _ in range(rng.randint(3, 5)):
            w = rng.uniform(6, 11)
            h = rng.uniform(30, 46)
            p.rect(x, y - h, x + w, y, rng.choice(books), 1.5)
            x += w + 1.5
            if x > 0:
                break
        if shelf == 1:
            p.circle(8, y - 10, 10, tint(look.accent, 0.3))
    steps = [(40, 40), (62, -10), (40, -60)]
    for x, y in steps:
        p.rect(x - 18, y, x + 18, y + 7, wood, 2)
        p.line([(x - 14, y + 7), (20, y + 22)], shade(wood, 0.25), 3)
    p.line([(88, -110), (88, 100)], hexc("#d6c29b"), 10)
    for y in range(-106, 100, 9):
        p.line([(83, y), (93, y + 4)], shade(hexc("#d6c29b"), 0.15), 1.4, caps=False)
    fur = rng.choice(FURS)
    sx, sy = steps[rng.randrange(3)]
    cat(p.at(sx, sy - 26, 0.62), rng, fur)


# ---------------------------------------------------------------- desks


def laptop(p: Pen, look: Look) -> None:
    p.poly([(-36, 0), (-30, -46), (30, -46), (36, 0)], (70, 72, 84))
    p.poly([(-31, -3), (-26, -42), (26, -42), (31, -3)], tint(look.accent, 0.55))
    p.rect(-20, -34, 4, -26, tint(look.accent, 0.85), 2)
    p.rect(-20, -22, 16, -18, tint(look.accent, 0.8), 1)
    p.poly([(-46, 0), (46, 0), (42, 6), (-42, 6)], (176, 178, 190))


def lamp(p: Pen, look: Look, glow: bool = True) -> None:
    col = look.accent
    if glow:
        p.poly([(28, -88), (66, -74), (90, 60), (-10, 60)], (255, 246, 200, 70))
    p.ellipse(0, 58, 22, 6, shade(col, 0.2))
    p.line([(0, 56), (-14, -40), (30, -80)], shade(col, 0.05), 4.5)
    p.circle(-14, -40, 4.5, shade(col, 0.3))
    p.poly([(18, -96), (40, -86), (62, -66), (28, -62)], col)
    p.ellipse(45, -66, 16, 5, (255, 240, 170))


def mug(p: Pen, colour: RGB) -> None:
    p.line(arc(14, 0, 8, 9, -90, 90, 10), colour, 3.6)
    p.rect(-12, -14, 14, 14, colour, 4)
    p.ellipse(1, -14, 13, 3, shade(colour, 0.3))


def desk(p: Pen, rng: random.Random, look: Look, fold: bool = True) -> None:
    wood = rng.choice([hexc("#e7d3b5"), hexc("#f5f1ea"), hexc("#b88a62")])
    legs = look.main
    if fold:
        p.line([(-80, -4), (-60, 96)], legs, 6)
        p.line([(-60, -4), (-82, 96)], legs, 6)
        p.line([(80, -4), (60, 96)], legs, 6)
        p.line([(60, -4), (82, 96)], legs, 6)
    else:
        for x in (-86, 86):
            p.line([(x, -4), (x, 96)], legs, 7)
        p.rect(-90, 4, 90, 12, shade(wood, 0.15), 2)
    p.rect(-100, -12, 100, -2, wood, 3)
    p.rect(-100, -2, 100, 2, shade(wood, 0.25), 1)
    laptop(p.at(-4, -12, 0.95), look)
    lamp(p.at(70, -38, 0.55), look, glow=rng.random() < 0.7)
    if rng.random() < 0.6:
        mug(p.at(-66, -26, 0.8), look.accent)
    else:
        for k, c in enumerate((look.accent, tint(look.main, 0.3), hexc("#f0c674"))):
            p.rect(-90 + k * 2, -22 - k * 8, -50 - k * 2, -12 - k * 8, c, 1.5)


def bed_desk(p: Pen, rng: random.Random, look: Look) -> None:
    sheet = rng.choice([hexc("#f4efe7"), hexc("#e3ecf4"), hexc("#f2e4e4")])
    p.rect(-112, 10, 112, 66, shade(sheet, 0.08), 14)
    p.rect(-112, -50, -90, 90, hexc("#b88a62"), 6)
    p.rect(-92, -20, -40, 14, tint(sheet, 0.4), 14)
    p.poly([(-30, 8), (112, 8), (112, 62), (-20, 62), (-40, 30)], look.main)
    p.line([(-20, 24), (110, 22)], tint(look.main, 0.25), 2, caps=False)
    tray = hexc("#d9b58a") if rng.random() < 0.5 else hexc("#f7f7f5")
    for x in (-18, 74):
        p.line([(x, -8), (x - 6, 20)], shade(tray, 0.3), 4)
    p.rect(-34, -14, 92, -6, tray, 3)
    laptop(p.at(28, -14, 0.85), look)
    mug(p.at(-20, -26, 0.5), look.accent)


def desk_lamp(p: Pen, rng: random.Random, look: Look) -> None:
    wood = rng.choice([hexc("#e7d3b5"), hexc("#f5f1ea")])
    p.rect(-110, 60, 110, 74, wood, 4)
    lamp(p.at(-10, -10, 1.45), look)
    for k, c in enumerate((tint(look.main, 0.3), look.main, hexc("#f0c674"))):
        p.rect(30 - k * 3, 50 - k * 10, 92 - k * 3, 60 - k * 10, c, 2)


# ---------------------------------------------------------------- kitchen


def pot(p: Pen, w: float, h: float, colour: RGB, handles: bool = False) -> None:
    p.rect(-w, -h, w, 0, colour, 6)
    p.ellipse(0, -h, w, w * 0.16, shade(colour, 0.35))
    p.ellipse(0, -h, w - 4, w * 0.13, shade(colour, 0.55))
    p.poly([(-w, -h * 0.6), (w, -h * 0.6), (w, -h * 0.48), (-w, -h * 0.48)], tint(colour, 0.18))
    if handles:
        p.rect(-w - 12, -h + 6, -w, -h + 12, shade(colour, 0.4), 3)
        p.rect(w, -h + 6, w + 12, -h + 12, shade(colour, 0.4), 3)


def stack_pots(p: Pen, rng: random.Random, look: Look) -> None:
    colours = [look.main, tint(look.main, 0.2), look.accent]
    if rng.random() < 0.5:
        y = 60.0
        for k, (w, h) in enumerate(((66, 40), (54, 34), (42, 30))):
            pot(p.at(-20, y), w, h, colours[k])
            y -= h
        p.rect(42, 50, 110, 58, (60, 58, 66), 4)
        p.rect(40, 46, 56, 62, (170, 170, 178), 3)
    else:
        for x, w, h, c in ((-58, 40, 48, colours[0]), (26, 56, 36, colours[2])):
            pot(p.at(x, 60), w, h, c, handles=True)
        for k in range(3):
            x = 26 + (k - 1) * 14
            p.line([(x, -6), (x - 6, -24), (x + 4, -40), (x - 2, -56)], (255, 255, 255, 140), 3)


def dish_rack(p: Pen, rng: random.Random, look: Look) -> None:
    counter = rng.choice([hexc("#f3f0ea"), hexc("#e0dcd5"), hexc("#d7c4a8")])
    p.rect(-112, 4, 112, 80, counter, 2)
    p.rect(-70, 10, 70, 42, shade(counter, 0.3), 10)
    p.line([(40, -40), (40, -12), (24, -8)], (180, 180, 190), 6)
    metal = (150, 154, 166)
    for k in range(14):
        x = -80 + k * 12.3
        p.line([(x, 2), (x, 10)], metal, 3.4, caps=False)
    p.rect(-86, 0, 86, 5, tint(metal, 0.3), 2)
    plates = [look.main, tint(look.main, 0.5), look.accent, WHITE]
    for k in range(4):
        x = -54 + k * 14
        p.ellipse(x, -26, 5, 28, plates[k])
        p.ellipse(x - 1, -26, 2, 22, shade(plates[k], 0.1))
    mug(p.at(40, -14, 0.9), look.accent)
    if rng.random() < 0.6:
        p.rect(-104, -60, -84, 4, hexc("#f6f6f6"), 6)
        p.rect(-100, -70, -88, -60, look.accent, 3)


def air_fryer(p: Pen, rng: random.Random, look: Look) -> None:
    body = look.main
    p.rect(-52, -86, 52, 70, body, 26)
    p.ellipse(0, -84, 40, 8, tint(body, 0.2))
    p.rect(-44, -6, 44, 62, shade(body, 0.12), 14)
    p.rect(-20, 12, 20, 24, shade(body, 0.5), 6)
    p.circle(0, -46, 16, (44, 48, 58))
    p.circle(0, -46, 9, tint(look.accent, 0.5))
    p.line([(-30, -70), (30, -70)], shade(body, 0.2), 2, caps=False)
    p.ellipse(-78, 58, 28, 9, WHITE)
    fry = hexc("#f2c14e")
    for k in range(7):
        x = -94 + k * 5
        p.rect(x, 38 + (k % 3) * 4, x + 4, 56, fry, 1.5)
    p.ellipse(-78, 60, 30, 8, tint(look.accent, 0.3))


# ---------------------------------------------------------------- babies


def parent(p: Pen, rng: random.Random, look: Look) -> RGB:
    skin = rng.choice([hexc("#f1c7a8"), hexc("#d9a27e"), hexc("#a86f4c"), hexc("#f6d7bf")])
    hair = rng.choice([hexc("#3b2c2a"), hexc("#6b4a36"), hexc("#c79b5b"), hexc("#1e1b1f")])
    shirt = tint(look.accent, 0.25)
    p.rect(-62, -50, 62, 130, shirt, 36)
    p.rect(-10, -70, 10, -46, skin, 4)
    p.circle(0, -92, 26, skin)
    p.poly(arc(0, -96, 28, 26, 180, 360, 16), hair)
    if rng.random() < 0.5:
        p.circle(0, -124, 11, hair)
    p.line([(-58, -30), (-72, 40), (-40, 70)], shirt, 20)
    p.line([(58, -30), (72, 40), (40, 70)], shirt, 20)
    p.circle(-40, 70, 9, skin)
    p.circle(40, 70, 9, skin)
    return skin


def baby(p: Pen, rng: random.Random, skin: RGB) -> None:
    p.circle(0, -30, 22, skin)
    p.circle(-21, -30, 5, skin)
    p.circle(21, -30, 5, skin)
    p.circle(-7, -32, 2.2, INK)
    p.circle(7, -32, 2.2, INK)
    p.line(arc(0, -25, 6, 4, 20, 160, 6), shade(skin, 0.4), 1.6, caps=False)
    p.ellipse(0, -50, 16, 6, shade(skin, 0.25) if rng.random() < 0.5 else rng.choice(FURS))


def carrier(p: Pen, rng: random.Random, look: Look) -> None:
    skin = parent(p, rng, look)
    baby_skin = tint(skin, 0.15)
    baby(p.at(0, -4), rng, baby_skin)
    p.line([(-44, -50), (-36, 30)], shade(look.main, 0.2), 12)
    p.line([(44, -50), (36, 30)], shade(look.main, 0.2), 12)
    p.rect(-40, -16, 40, 74, look.main, 18)
    p.rect(-54, 66, 54, 84, shade(look.main, 0.2), 8)
    p.rect(-6, 72, 6, 78, look.accent, 2)
    p.line([(-24, 74), (-30, 104)], baby_skin, 8)
    p.line([(24, 74), (30, 104)], baby_skin, 8)
    p.rect(-26, 4, 26, 34, tint(look.main, 0.15), 8)


def wrap(p: Pen, rng: random.Random, look: Look) -> None:
    skin = parent(p, rng, look)
    baby(p.at(0, 0), rng, tint(skin, 0.15))
    band = look.main
    p.poly([(-58, -44), (-40, -56), (52, 60), (34, 74)], shade(band, 0.1))
    p.poly([(58, -44), (40, -56), (-52, 60), (-34, 74)], band)
    p.rect(-44, -12, 44, 70, tint(band, 0.12), 22)
    p.rect(-58, 66, 58, 82, shade(band, 0.15), 7)
    for k in range(4):
        y = 4 + k * 16
        p.line([(-38, y), (38, y + 6)], shade(band, 0.1), 1.6, caps=False)


# ---------------------------------------------------------------- outdoors


def mountains(p: Pen, rng: random.Random, far: RGB, near: RGB) -> None:
    peaks = sorted((rng.uniform(-120, 120), rng.uniform(-90, -40)) for _ in range(3))
    for x, y in peaks:
        p.poly([(x - 90, 40), (x, y), (x + 90, 40)], far)
        p.poly(
            [
                (x - 22 * (40 - y) / 130, y + 20 * (40 - y) / 130),
                (x, y),
                (x + 22 * (40 - y) / 130, y + 20 * (40 - y) / 130),
            ],
            WHITE,
        )
    p.poly([(-160, 40), (-60, -14), (10, 24), (80, -6), (160, 40)], near)


def backpack(p: Pen, rng: random.Random, look: Look, travel: bool = False) -> None:
    main, accent = look.main, look.accent
    p.line(arc(0, -90, 22, 18, 180, 360, 10), shade(main, 0.4), 6)
    if travel:
        p.rect(-62, -84, 62, 96, main, 22)
        p.line(rounded(-52, -72, 52, 86, 16) + [(-52 + 16, -72)], shade(main, 0.3), 2, caps=False)
        p.rect(-40, -10, 40, 64, shade(main, 0.08), 10)
        p.line([(-34, -2), (34, -2)], accent, 3)
        p.rect(-70, -30, -60, 40, shade(main, 0.2), 4)
        p.rect(60, -30, 70, 40, shade(main, 0.2), 4)
        p.rect(-14, -80, 14, -72, accent, 3)
    else:
        p.rect(-56, -84, 56, 96, main, 40)
        p.rect(-60, -92, 60, -48, shade(main, 0.1), 26)
        p.rect(-40, 10, 40, 78, shade(main, 0.12), 16)
        p.line([(-32, 20), (32, 20)], accent, 3)
        for side in (-1, 1):
            p.rect(side * 56 - 10, 0, side * 56 + 10, 70, tint(accent, 0.2), 8)
        p.line([(-30, -66), (30, -66)], accent, 4)
        p.circle(0, 46, 5, accent)
    for x in (-30, 30):
        p.line([(x, -46), (x, 40)], shade(accent, 0.2), 3, caps=False)


def daypack(p: Pen, rng: random.Random, look: Look) -> None:
    mountains(
        p.at(0, -40, 1.0),
        rng,
        tint(look.floor, 0.0) if False else shade(look.wall, 0.12),
        shade(look.wall, 0.22),
    )
    backpack(p.at(0, 10, 0.9), rng, look)


def poles(p: Pen, rng: random.Random, look: Look) -> None:
    mountains(p.at(0, -30, 1.0), rng, shade(look.wall, 0.12), shade(look.wall, 0.22))
    for side in (-1, 1):
        q = p.at(side * 14, 0, 1.0, side * 10)
        q.line([(0, -100), (0, 100)], (70, 72, 80), 5)
        q.line([(0, -40), (0, 10)], look.main, 5.5, caps=False)
        q.rect(-7, -112, 7, -80, (40, 40, 46), 5)
        q.line([(-6, -108), (-10, -84)], look.accent, 3)
        q.ellipse(0, 82, 12, 3.5, look.accent)
    boot(p.at(70, 76, 0.45), rng, look, hiking=True)


# ---------------------------------------------------------------- skincare


def podium(p: Pen, colour: RGB, w: float, h: float) -> None:
    p.rect(-w, -h, w, 0, colour, 0)
    p.ellipse(0, 0, w, w * 0.18, colour)
    p.ellipse(0, -h, w, w * 0.18, tint(colour, 0.3))


def pump_bottle(p: Pen, body: RGB, label: RGB) -> None:
    p.rect(-24, -80, 24, 0, body, 10)
    p.rect(-16, -64, 16, -20, label, 3)
    p.line([(-10, -52), (10, -52)], shade(label, 0.15), 1.6, caps=False)
    p.rect(-8, -96, 8, -80, shade(body, 0.3), 2)
    p.rect(-12, -106, 12, -96, tint(body, 0.6), 3)
    p.rect(10, -104, 26, -99, tint(body, 0.6), 2)


def jar(p: Pen, body: RGB, lid: RGB) -> None:
    p.rect(-30, -30, 30, 0, body, 8)
    p.rect(-32, -46, 32, -28, lid, 6)
    p.rect(-20, -20, 20, -8, tint(body, 0.5), 3)


def tube(p: Pen, body: RGB, cap: RGB) -> None:
    p.poly([(-18, -96), (18, -96), (14, -16), (-14, -16)], body)
    p.rect(-20, -100, 20, -92, shade(body, 0.15), 2)
    p.rect(-12, -16, 12, 0, cap, 3)
    p.rect(-10, -70, 10, -40, tint(body, 0.5), 2)


def leaf(p: Pen, colour: RGB) -> None:
    p.poly(arc(0, -10, 8, 12, 90, 270, 8) + arc(0, -10, 8, 12, -90, 90, 8), colour)
    p.line([(0, 4), (0, -20)], shade(colour, 0.3), 1.2, caps=False)


def skincare(kind: str) -> Callable[[Pen, random.Random, Look], None]:
    def draw(p: Pen, rng: random.Random, look: Look) -> None:
        stone = rng.choice([tint(look.wall, 0.45), shade(look.wall, 0.08), hexc("#efe9e1")])
        green = rng.choice([hexc("#7fae8a"), hexc("#9cc3a0"), hexc("#5e8f6f")])
        for _ in range(rng.randint(3, 6)):
            leaf(
                p.at(
                    rng.uniform(-110, 110), rng.uniform(-40, 30), rng.uniform(1.2, 2.2), rng.uniform(-60, 60)
                ),
                green,
            )
        podium(p.at(-30, 100), stone, 62, 40)
        podium(p.at(56, 100), shade(stone, 0.06), 44, 72)
        body, other = look.main, look.accent
        label = tint(body, 0.75)
        main_at, side_at = p.at(-30, 60, 1.15), p.at(56, 28, 0.9)
        if kind == "cleanser":
            pump_bottle(main_at, body, label)
            jar(side_at, other, tint(other, 0.3))
        elif kind == "barrier_cream":
            jar(main_at.at(0, 0, 1.35), body, tint(body, 0.35))
            tube(side_at, other, tint(other, 0.4))
        else:
            tube(main_at, body, tint(body, 0.4))
            pump_bottle(side_at, other, tint(other, 0.75))
        for _ in range(rng.randint(2, 4)):
            x, y = rng.uniform(-100, 100), rng.uniform(-110, -50)
            p.poly(arc(x, y, 5, 6, -30, 210, 8) + [(x, y - 11)], (255, 255, 255, 150))

    return draw


# ---------------------------------------------------------------- sleep


def window(p: Pen, rng: random.Random, look: Look) -> None:
    night = hexc("#2f3b63")
    p.rect(-70, -110, 70, 40, hexc("#f5f1ea"), 4)
    p.rect(-62, -102, 62, 32, night, 2)
    p.circle(30, -70, 14, hexc("#f8e7a2"))
    p.circle(38, -76, 12, night)
    for _ in range(8):
        p.circle(rng.uniform(-56, 56), rng.uniform(-96, 24), rng.uniform(1.2, 2.4), hexc("#f8e7a2"))
    p.line([(0, -102), (0, 32)], hexc("#f5f1ea"), 3, caps=False)
    p.line([(-90, -118), (90, -118)], (120, 110, 104), 4)
    closed = rng.uniform(0.35, 0.7)
    for side in (-1, 1):
        inner = side * 70 * (1 - closed)
        outer = side * 96
        xs = sorted((inner, outer))
        p.rect(xs[0], -116, xs[1], 96, look.main, 2)
        for k in range(1, 5):
            x = xs[0] + (xs[1] - xs[0]) * k / 5
            p.line([(x, -112), (x, 94)], shade(look.main, 0.18), 2, caps=False)
        p.rect(xs[0], 94, xs[1], 100, shade(look.main, 0.15), 1)


def pillow(p: Pen, rng: random.Random, look: Look) -> None:
    frame = rng.choice([hexc("#b88a62"), hexc("#e6e0d6"), hexc("#7d8796")])
    p.rect(-116, -60, 116, 20, frame, 10)
    p.rect(-112, 10, 112, 80, tint(look.main, 0.7), 12)
    p.poly([(-112, 36), (112, 30), (112, 80), (-112, 80)], look.accent)
    p.line([(-112, 40), (112, 34)], tint(look.accent, 0.3), 3, caps=False)
    body = tint(look.main, 0.25)
    pts = arc(0, 0, 72, 24, 0, 360, 30)
    p.poly([(x * (1 + 0.08 * math.cos(math.radians(4 * i * 12))), y) for i, (x, y) in enumerate(pts)], body)
    p.line(arc(0, 4, 64, 6, 10, 170, 12), shade(body, 0.08), 2, caps=False)
    if rng.random() < 0.6:
        q = p.at(70, -70, 0.8, -12)
        q.rect(-26, -8, 26, 8, look.accent, 8)
        q.line([(-26, 0), (-44, -6)], shade(look.accent, 0.3), 2, caps=False)
        q.line([(26, 0), (44, -6)], shade(look.accent, 0.3), 2, caps=False)
    p.circle(-80, -92, 12, hexc("#f8e7a2"))
    p.circle(-74, -97, 10, look.wall)


# ---------------------------------------------------------------- cycling and travel


def wheel(p: Pen, x: float, y: float, r: float) -> None:
    tyre = (48, 48, 56)
    p.line(arc(x, y, r, r, 0, 360, 36), tyre, 6, caps=False)
    for k in range(12):
        a = math.radians(k * 30)
        p.line([(x, y), (x + math.cos(a) * r, y + math.sin(a) * r)], (190, 190, 198), 0.8, caps=False)
    p.circle(x, y, 4, (170, 170, 180))


def bicycle(p: Pen, rng: random.Random, look: Look) -> None:
    frame = look.accent
    wheel(p, -62, 50, 40)
    wheel(p, 66, 50, 40)
    crank = (-4, 50)
    seat = (-24, -20)
    head = (46, -24)
    p.line([(-62, 50), crank, seat, (-62, 50)], frame, 5)
    p.line([seat, head, crank], frame, 5)
    p.line([head, (66, 50)], frame, 5)
    p.line([seat, (-28, -34)], (60, 60, 66), 4)
    p.rect(-42, -40, -16, -34, (60, 60, 66), 3)
    p.line([head, (44, -44), (58, -48)], (60, 60, 66), 4)
    p.circle(crank[0], crank[1], 8, (90, 90, 96))
    p.line([(-70, -4), (-30, -10)], (90, 90, 96), 3)
    bag = look.main
    p.rect(-92, -8, -40, 50, bag, 8)
    p.rect(-92, -12, -40, 8, shade(bag, 0.2), 6)
    p.line([(-88, 34), (-44, 34)], (230, 230, 220), 3, caps=False)
    if rng.random() < 0.5:
        p.circle(-66, -14, 4, (232, 80, 70))


def helmet(p: Pen, rng: random.Random, look: Look) -> None:
    shell = look.main
    p.poly(arc(0, 30, 86, 92, 180, 360, 30), shell)
    p.rect(-88, 24, 88, 40, shade(shell, 0.25), 8)
    for k in range(-2, 3):
        x = k * 26
        p.poly(
            [
                (x - 6, -40 + abs(k) * 10),
                (x + 6, -40 + abs(k) * 10),
                (x + 8, 0 + abs(k) * 6),
                (x - 8, 0 + abs(k) * 6),
            ],
            shade(shell, 0.45),
        )
    p.rect(60, 10, 86, 26, (236, 72, 64), 4)
    p.line([(-50, 40), (-30, 100), (10, 104)], (60, 60, 66), 3)
    p.line([(50, 40), (30, 100), (10, 104)], (60, 60, 66), 3)
    p.rect(4, 98, 16, 110, look.accent, 2)


def cubes(p: Pen, rng: random.Random, look: Look) -> None:
    colours = [look.main, look.accent, tint(look.main, 0.35), shade(look.accent, 0.15)]
    y = 80.0
    for k, (w, h) in enumerate(((96, 44), (82, 38), (70, 34), (52, 30))):
        x = rng.uniform(-8, 8)
        c = colours[k]
        p.rect(x - w, y - h, x + w, y, c, 10)
        p.rect(x - w + 6, y - h + 6, x + w - 6, y - 6, tint(c, 0.15), 6)
        p.line([(x - w + 10, y - h + 4), (x + w - 10, y - h + 4)], shade(c, 0.35), 1.8, caps=False)
        p.rect(x + w - 22, y - h + 1, x + w - 14, y - h + 9, (220, 220, 226), 2)
        y -= h + 2
    p.rect(66, 56, 104, 84, hexc("#2f4f7f"), 3)
    p.circle(85, 70, 6, hexc("#d9c27a"))


# ---------------------------------------------------------------- props and scenes


def potted_plant(p: Pen, rng: random.Random, look: Look) -> None:
    green = rng.choice([hexc("#5e8f6f"), hexc("#7fae8a"), hexc("#4f7d63")])
    for k in range(rng.randint(4, 7)):
        leaf(
            p.at(rng.uniform(-14, 14), -26, rng.uniform(2.2, 3.4), rng.uniform(-60, 60)),
            tint(green, 0.1 * (k % 3)),
        )
    p.poly(
        [(-20, -30), (20, -30), (15, 0), (-15, 0)],
        rng.choice([hexc("#d9825b"), hexc("#f2efe9"), hexc("#e2c5a8")]),
    )


def frame(p: Pen, rng: random.Random, look: Look) -> None:
    p.rect(-40, -50, 40, 50, WHITE, 2)
    p.rect(-32, -42, 32, 42, tint(look.accent, 0.6), 1)
    p.circle(rng.uniform(-16, 16), -20, 8, tint(look.main, 0.3))
    p.poly([(-32, 42), (-32, 14), (-8, -4), (12, 16), (32, 2), (32, 42)], tint(look.main, 0.1))


@dataclass(frozen=True)
class Subject:
    """What a picture shows, and how much of the canvas it takes."""

    kind: str
    draw: Callable[[Pen, random.Random, Look], None]
    size: float = 1.0
    indoor: bool = True
    ground: float = 60.0  # the local y where the object stands on the floor


def _boot(hiking: bool) -> Callable[[Pen, random.Random, Look], None]:
    return lambda p, rng, look: boot(p, rng, look, hiking)


SUBJECTS: dict[str, list[Subject]] = {
    "running": [
        Subject("daily_trainer", shoe_pair(lambda p, r, lk: sneaker(p, r, lk, 18)), 0.85),
        Subject("max_cushion", shoe_pair(lambda p, r, lk: sneaker(p, r, lk, 28)), 0.85, ground=72),
        Subject("tempo_shoe", shoe_pair(lambda p, r, lk: sneaker(p, r, lk, 14, sleek=True)), 0.85),
    ],
    "quiet_office": [
        Subject("quiet_loafer", shoe_pair(loafer), 1.1),
        Subject("quiet_flat", shoe_pair(lambda p, r, lk: loafer(p, r, lk, knit=True)), 1.1),
    ],
    "wide_fit": [
        Subject("wide_sneaker", shoe_pair(lambda p, r, lk: sneaker(p, r, lk, 20)), 0.85),
        Subject("wide_sandal", shoe_pair(sandal), 0.9),
        Subject("wide_boot", shoe_pair(_boot(False)), 0.8, ground=66),
    ],
    "plus_size": [
        Subject("linen_dress", dress, 1.0, ground=120),
        Subject("stretch_jeans", jeans, 1.0, ground=120),
        Subject("blazer", blazer, 1.0, ground=110),
        Subject("linen_dress", rail, 0.95, ground=102),
    ],
    "pet_furniture": [
        Subject("cat_sofa", sofa, 1.0, ground=72),
        Subject("crate_table", crate_table, 0.9, ground=72),
        Subject("cat_shelf", cat_shelf, 0.95, ground=101),
    ],
    "dorm_desk": [
        Subject("fold_desk", lambda p, r, lk: desk(p, r, lk, True), 0.95, ground=96),
        Subject("bed_desk", bed_desk, 0.9, ground=80),
        Subject("desk_lamp", desk_lamp, 0.9, ground=74),
        Subject("fold_desk", lambda p, r, lk: desk(p, r, lk, False), 0.95, ground=96),
    ],
    "small_kitchen": [
        Subject("stack_pots", stack_pots, 1.1, ground=60),
        Subject("dish_rack", dish_rack, 0.95, ground=80),
        Subject("air_fryer", air_fryer, 1.1, ground=70),
    ],
    "baby_carrier": [
        Subject("ergo_carrier", carrier, 0.9, ground=150),
        Subject("wrap", wrap, 0.9, ground=150),
    ],
    "hiking": [
        Subject("hiking_boot", shoe_pair(_boot(True)), 0.9, indoor=False, ground=70),
        Subject("daypack", daypack, 1.0, indoor=False, ground=96),
        Subject("poles", poles, 1.0, indoor=False, ground=100),
    ],
    "sensitive_skin": [
        Subject("cleanser", skincare("cleanser"), 1.1, ground=104),
        Subject("barrier_cream", skincare("barrier_cream"), 1.1, ground=104),
        Subject("mineral_spf", skincare("mineral_spf"), 1.1, ground=104),
    ],
    "light_sleeper": [
        Subject("blackout_curtain", window, 1.0, ground=100),
        Subject("cooling_pillow", pillow, 0.95, ground=80),
    ],
    "commuter_cycling": [
        Subject("pannier", bicycle, 1.0, ground=90),
        Subject("helmet", helmet, 0.85, ground=112),
    ],
    "travel_light": [
        Subject("carry_on", lambda p, r, lk: backpack(p, r, lk, travel=True), 1.0, ground=96),
        Subject("packing_cubes", cubes, 1.0, ground=80),
    ],
}

# Per scenario: (wall, floor) pairs and the object's colours.
PALETTES: dict[str, tuple[list[tuple[str, str]], list[str]]] = {
    "running": (
        [("#fde2d4", "#f3b79b"), ("#dff1ec", "#9fd3c7"), ("#e6e9fb", "#aeb8ef")],
        ["#ff6b57", "#2f80ed", "#2bb673", "#f2b705", "#7b61ff", "#1f2937"],
    ),
    "quiet_office": (
        [("#f4ede4", "#cdb79e"), ("#e9eef2", "#b9c6d0"), ("#f3e9ef", "#d3b8c6")],
        ["#3b3038", "#7a4b32", "#203a5c", "#8d8a83", "#a33f4f"],
    ),
    "wide_fit": (
        [("#fbeee0", "#e8c6a0"), ("#e4f1f7", "#a9cfe0"), ("#eef5e3", "#bfd9a2")],
        ["#3d6b8c", "#c4553b", "#2d2a32", "#6d8f4e", "#d9a13b"],
    ),
    "plus_size": (
        [("#fbe7ea", "#e9b9c2"), ("#f2ecdf", "#d9c8a9"), ("#e7eef8", "#b6c8e3")],
        ["#e07a5f", "#3d405b", "#81b29a", "#f2cc8f", "#9d4edd", "#2a6f97"],
    ),
    "pet_furniture": (
        [("#f6efe6", "#d8c3a5"), ("#e5f0ec", "#a8cbbd"), ("#f4e8e1", "#d9b4a1")],
        ["#7d8c99", "#c9b79c", "#6b7f4e", "#2f4a6d", "#b5654a"],
    ),
    "dorm_desk": (
        [("#eaf0fb", "#b7c6e6"), ("#fdf3e1", "#e9cf9f"), ("#eef7ef", "#b6dbbc")],
        ["#3a4a6b", "#f28c6f", "#4bb3a7", "#f2c14e", "#8c6bd1"],
    ),
    "small_kitchen": (
        [("#fff4e6", "#f0c9a0"), ("#e8f4f1", "#a7d1c7"), ("#fbeaea", "#e6b3b3")],
        ["#e4572e", "#2e86ab", "#f3a712", "#3c6e71", "#d1495b"],
    ),
    "baby_carrier": (
        [("#fdf0e6", "#f1cfb4"), ("#eaf4f8", "#b9d9e6"), ("#f4eefa", "#d2c2e9")],
        ["#8fb9a8", "#f4a261", "#6c8ebf", "#e5989b", "#b5838d"],
    ),
    "hiking": (
        [("#dcefff", "#9ccf8f"), ("#fde9d2", "#c9b27c"), ("#e3f2e6", "#7fb77e")],
        ["#d35400", "#2c6e49", "#1d3557", "#e9c46a", "#8b5e3c"],
    ),
    "sensitive_skin": (
        [("#f7ece8", "#e7cfc5"), ("#eef4ee", "#c9dcc9"), ("#f2eef8", "#d8cfe8")],
        ["#f4b6b0", "#8fc9a6", "#9fc5e8", "#f2d58c", "#c7b3e5", "#e89a7d"],
    ),
    "light_sleeper": (
        [("#e9e7f5", "#bdb7df"), ("#e6eef0", "#aac0c6"), ("#f5ece6", "#d8bfae")],
        ["#394a6d", "#5c4d7d", "#8aa399", "#c98474", "#3d5a80"],
    ),
    "commuter_cycling": (
        [("#e4f0f6", "#9fb8c6"), ("#fdf0dc", "#d9bc8c"), ("#e9f5e9", "#9cc59c")],
        ["#f4a259", "#5b8e7d", "#2b4162", "#bc4b51", "#f9dc5c"],
    ),
    "travel_light": (
        [("#e7f1f8", "#b3cde0"), ("#fcefe3", "#e7c39f"), ("#efeaf6", "#c9bde0")],
        ["#264653", "#e76f51", "#2a9d8f", "#e9c46a", "#6d597a"],
    ),
}

LIBRARY_SIZE = 10


def subject_for(scenario: str, index: int) -> Subject:
    """Picture `index` of a scenario's library shows its kinds in turn."""
    subjects = SUBJECTS[scenario]
    return subjects[index % len(subjects)]


def _background(rng: random.Random, look: Look, indoor: bool, horizon: float) -> Image.Image:
    w, h = WIDTH * SUPERSAMPLE, HEIGHT * SUPERSAMPLE
    ramp = Image.linear_gradient("L").resize((1, h))
    top = Image.new("RGB", (1, h), tint(look.wall, 0.35) if indoor else tint(look.wall, 0.1))
    bottom = Image.new("RGB", (1, h), look.wall)
    wall = Image.composite(bottom, top, ramp).resize((w, h))
    draw = ImageDraw.Draw(wall, "RGBA")
    y = horizon * h
    floor_top, floor_bottom = look.floor, shade(look.floor, 0.12)
    band = Image.composite(
        Image.new("RGB", (1, h), floor_bottom), Image.new("RGB", (1, h), floor_top), ramp
    ).resize((w, h - int(y)))
    wall.paste(band, (0, int(y)))
    if indoor:
        draw.rectangle(
            (0, y - 3 * SUPERSAMPLE, w, y + 2 * SUPERSAMPLE), fill=alpha(shade(look.floor, 0.25), 90)
        )
    else:
        sun = (rng.uniform(0.15, 0.85) * w, rng.uniform(0.08, 0.2) * h)
        r = rng.uniform(50, 80) * SUPERSAMPLE
        draw.ellipse((sun[0] - r, sun[1] - r, sun[0] + r, sun[1] + r), fill=(255, 236, 170, 230))
        for _ in range(rng.randint(1, 3)):
            cx, cy = rng.uniform(0, w), rng.uniform(0.06, 0.3) * h
            for dx, dy, rr in ((0, 0, 36), (40, 8, 28), (-40, 10, 26)):
                s = SUPERSAMPLE
                draw.ellipse(
                    (cx + dx * s - rr * s, cy + dy * s - rr * s, cx + dx * s + rr * s, cy + dy * s + rr * s),
                    fill=(255, 255, 255, 200),
                )
    return wall


def render(seed: int, scenario: str, index: int) -> bytes:
    """Picture `index` of a scenario's library for `seed`, as JPEG bytes (the same every time)."""
    rng = random.Random(f"nichely-demo-photo/{seed}/{scenario}/{index}")
    walls, colours = PALETTES[scenario]
    wall, floor = rng.choice(walls)
    main, accent = rng.sample(colours, 2)
    look = Look(hexc(wall), hexc(floor), hexc(main), hexc(accent))
    subject = subject_for(scenario, index)
    horizon = rng.uniform(0.56, 0.68)
    image = _background(rng, look, subject.indoor, horizon)
    draw = ImageDraw.Draw(image, "RGBA")
    s = SUPERSAMPLE
    canvas = Pen(draw, 0, 0, s)
    if subject.indoor:
        props = rng.sample(["plant", "frame", "bokeh", "rug", "shelf"], rng.randint(1, 3))
        side = rng.choice([-1, 1])
        if "bokeh" in props:
            for _ in range(rng.randint(4, 9)):
                canvas.circle(
                    rng.uniform(0, WIDTH),
                    rng.uniform(0, HEIGHT * horizon),
                    rng.uniform(10, 46),
                    alpha(WHITE, rng.randint(40, 110)),
                )
        if "frame" in props:
            frame(
                canvas.at(
                    WIDTH / 2 - side * rng.uniform(170, 250),
                    HEIGHT * horizon * rng.uniform(0.3, 0.45),
                    rng.uniform(1.6, 2.2),
                ),
                rng,
                look,
            )
        if "shelf" in props:
            sx = WIDTH / 2 + side * rng.uniform(120, 240)
            sy = HEIGHT * horizon * rng.uniform(0.3, 0.45)
            canvas.rect(sx - 110, sy, sx + 110, sy + 10, shade(look.wall, 0.2), 2)
            mug(canvas.at(sx - 60, sy - 26, 1.9), look.accent)
            potted_plant(canvas.at(sx + 40, sy, 1.6), rng, look)
        if "rug" in props:
            canvas.ellipse(
                WIDTH / 2,
                HEIGHT * (horizon + 0.22),
                rng.uniform(280, 360),
                rng.uniform(60, 90),
                alpha(tint(look.accent, 0.5), 150),
            )
        if "plant" in props:
            potted_plant(
                canvas.at(
                    WIDTH / 2 + side * rng.uniform(250, 330), HEIGHT * (horizon + 0.08), rng.uniform(2.4, 3.4)
                ),
                rng,
                look,
            )
    ground = HEIGHT * (horizon + rng.uniform(0.12, 0.2))
    scale = (WIDTH * 0.36 / 100) * subject.size * rng.uniform(0.88, 1.08)
    cx = WIDTH / 2 + rng.uniform(-40, 40)
    canvas.ellipse(cx, ground, 110 * scale, 14 * scale, alpha(shade(look.floor, 0.5), 70))
    pen = Pen(draw, cx * s, (ground - subject.ground * scale) * s, scale * s, rng.uniform(-5, 5))
    subject.draw(pen, rng, look)
    small = image.reduce(SUPERSAMPLE)
    if rng.random() < 0.5:
        small = small.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=86)
    return out.getvalue()
