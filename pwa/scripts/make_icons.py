"""Draw the app icons with Pillow (run by `make`, before the PWA build).

The design is the one in public/icons/icon.svg: a white "T" on Takt blue with two amber
marks. The maskable icon keeps everything inside the central 80 % safe zone and bleeds the
background to the edges, as Android's adaptive icons cut it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

BLUE = (15, 76, 117, 255)
WHITE = (255, 255, 255, 255)
AMBER = (242, 169, 0, 255)
RED = (179, 38, 30, 255)


def _t_mark(draw: ImageDraw.ImageDraw, size: int, scale: float, offset: float) -> None:
    def box(x: float, y: float, w: float, h: float, fill: tuple[int, ...], r: float) -> None:
        f = size / 512 * scale
        o = offset * size
        draw.rounded_rectangle((o + x * f, o + y * f, o + (x + w) * f, o + (y + h) * f),
                               radius=r * f, fill=fill)

    box(112, 120, 288, 64, WHITE, 12)
    box(224, 120, 64, 272, WHITE, 12)
    box(112, 328, 64, 64, AMBER, 8)
    box(336, 328, 64, 64, AMBER, 8)


def icon(size: int, *, maskable: bool = False) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, size, size), fill=BLUE)
        _t_mark(draw, size, 0.7, 0.15)
    else:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size * 96 // 512, fill=BLUE)
        _t_mark(draw, size, 1.0, 0.0)
    return image


def shortcut(size: int, colour: tuple[int, ...], glyph: str) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, size - 1, size - 1), fill=colour)
    s = size
    if glyph == "scan":  # four corner brackets around a bar
        w = max(3, s // 16)
        for x0, y0, dx, dy in ((0.25, 0.25, 1, 1), (0.75, 0.25, -1, 1), (0.25, 0.75, 1, -1),
                               (0.75, 0.75, -1, -1)):
            x, y = x0 * s, y0 * s
            draw.line((x, y, x + dx * s * 0.14, y), fill=WHITE, width=w)
            draw.line((x, y, x, y + dy * s * 0.14), fill=WHITE, width=w)
        draw.line((s * 0.3, s * 0.5, s * 0.7, s * 0.5), fill=AMBER, width=w)
    else:  # andon: a beacon
        draw.rounded_rectangle((s * 0.36, s * 0.3, s * 0.64, s * 0.66), radius=s * 0.12, fill=WHITE)
        draw.rectangle((s * 0.3, s * 0.66, s * 0.7, s * 0.74), fill=WHITE)
    return image


def badge(size: int) -> Image.Image:
    """The monochrome status-bar badge Android shows for notifications."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    _t_mark(draw, size, 1.0, 0.0)
    pixels = image.load()
    for x in range(size):
        for y in range(size):
            if pixels[x, y][3]:
                pixels[x, y] = WHITE
    return image


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    icon(192).save(out / "icon-192.png")
    icon(512).save(out / "icon-512.png")
    icon(512, maskable=True).save(out / "maskable-512.png")
    shortcut(96, BLUE, "scan").save(out / "scan-96.png")
    shortcut(96, RED, "andon").save(out / "andon-96.png")
    badge(96).save(out / "badge-96.png")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "public/icons"))
