"""Drawing a bar chart as PNG bytes with Pillow (no network, no fonts to fetch)."""

from __future__ import annotations

import io
import random
from datetime import datetime

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 480, 240
COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]


def bar_chart(values: list[int], title: str) -> bytes:
    """Return a PNG of ``values`` (0 to 100) as bars, with a title."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.text((10, 8), title, fill="black")
    left, bottom, top = 20, HEIGHT - 20, 30
    slot = (WIDTH - 2 * left) // max(len(values), 1)
    for index, value in enumerate(values):
        x = left + index * slot
        y = bottom - (bottom - top) * value // 100
        colour = COLOURS[index % len(COLOURS)]
        draw.rectangle([x + 4, y, x + slot - 4, bottom], fill=colour)
        draw.text((x + 6, bottom + 4), str(value), fill="black")
    draw.line([left, bottom, WIDTH - left, bottom], fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def random_chart(now: datetime) -> bytes:
    """A chart of random values, titled with the time it was drawn."""
    values = [random.randint(5, 100) for _ in range(6)]  # a picture, not a secret
    return bar_chart(values, f"Drawn at {now:%H:%M:%S} UTC")
