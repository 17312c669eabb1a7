"""The share images (og:image), drawn once per distinct picture in the build's second-core child.

What a picture shows, and so its file name, is decided in views/share_image.py;
here it is drawn: a 600 × 600 PNG, white, the 回 mark (a square within a
square, the character's own shape, so no font is needed) in the site's red,
and under it the outcomes' status bar in the status colours, a grey track
when there are none yet.

Pillow draws and encodes: it is the maintained imaging library of Python,
with wheels for every platform the publishing pipelines run on, and its
PNG writer adds nothing that changes between builds (no time, no text
chunks), so one commit gives the same bytes every build. A palette image
(9 colours at most) keeps each file near 1 KB. It is imported only here, in
the child, so the main core never pays for it.
"""

from __future__ import annotations

import io

from ..model.corpus import Corpus
from ..views.share_image import BAR_SEGMENTS, SIZE, ShareImage
from ..views.sharing import share_images

BACKGROUND = "#ffffff"
TRACK = "#d9d9d9"  # the empty bar: no outcomes yet
# The mark: a 270 px square ring (44 px thick) round a 110 px one (30 px thick), centred above the bar.
OUTER = (165, 85, 435, 355, 44)
INNER = (245, 175, 355, 285, 30)
BAR = (60, 435, 515)  # left, top, bottom; the width is BAR_SEGMENTS × SEGMENT
SEGMENT = 20
GAP = 4  # white between two statuses, so that neighbouring colours read as two


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def draw(picture: ShareImage) -> bytes:
    """The PNG of one picture."""
    from PIL import Image, ImageDraw  # the child's only import of it: see the module docstring

    colours = list(dict.fromkeys([BACKGROUND, TRACK, picture.mark, *(colour for colour, _ in picture.bar)]))
    image = Image.new("P", (SIZE, SIZE), 0)
    image.putpalette([channel for colour in colours for channel in rgb(colour)])
    pen = ImageDraw.Draw(image)
    for left, top, right, bottom, width in (OUTER, INNER):
        pen.rectangle((left, top, right - 1, bottom - 1), outline=colours.index(picture.mark), width=width)
    left, top, bottom = BAR
    if not picture.bar:
        pen.rectangle((left, top, left + BAR_SEGMENTS * SEGMENT - 1, bottom - 1), fill=colours.index(TRACK))
    for colour, segments in picture.bar:
        right = left + segments * SEGMENT
        pen.rectangle((left, top, right - 1, bottom - 1), fill=colours.index(colour))
        if left > BAR[0]:
            pen.rectangle((left - GAP // 2, top, left + GAP // 2 - 1, bottom - 1), fill=colours.index(BACKGROUND))
        left = right
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=6)  # ≈ 1 ms and < 1 KB; level 9 saves 250 bytes for 6 ms
    return out.getvalue()


def share_image_files(corpus: Corpus) -> dict[str, bytes]:
    """Every share image the pages name, by site path (a few hundred files for thousands of pages)."""
    return {picture.path: draw(picture) for picture in share_images(corpus)}
