"""Draws the app icons in public/icons (run once; the PNGs are committed).

Needs Pillow and Debian's fonts-noto-cjk. The icon is the character 访 ("visit") in white
on the theme colour: rounded for "any" icons, full-bleed with a safe zone for "maskable".
"""
from PIL import Image, ImageDraw, ImageFont

THEME = (15, 118, 110)  # #0f766e, also in the manifest and index.html
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


def icon(size, maskable):
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    if maskable:
        d.rectangle([0, 0, size, size], fill=THEME)
        glyph = int(size * 0.46)  # inside the 80 % safe circle
    else:
        d.rounded_rectangle([0, 0, size - 1, size - 1], radius=size // 5, fill=THEME)
        glyph = int(size * 0.62)
    font = ImageFont.truetype(FONT, glyph, index=2)  # index 2: Simplified Chinese face
    d.text((size / 2, size / 2), "访", font=font, fill="white", anchor="mm")
    return img


for size, maskable, name in [
    (192, False, "icon-192.png"),
    (512, False, "icon-512.png"),
    (512, True, "icon-maskable-512.png"),
    (180, True, "apple-touch-icon.png"),  # iOS rounds corners itself
]:
    icon(size, maskable).save(f"public/icons/{name}", optimize=True)
