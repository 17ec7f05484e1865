"""A fake camera for Chromium: a Y4M clip showing a Takt label's QR code."""

from __future__ import annotations

from pathlib import Path

import qrcode
from PIL import Image

WIDTH, HEIGHT, FRAMES = 640, 480, 10


def label_clip(path: Path, kind: str, code: str,
               public_url: str = "http://takt.local:8000") -> Path:
    """Write a short YUV 4:2:0 clip of the label's QR code, centred on white."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, box_size=8, border=4)
    qr.add_data(f"{public_url}/S/{kind}/{code}".upper())
    qr.make(fit=True)
    symbol = qr.make_image(fill_color="black", back_color="white").convert("L")
    side = min(WIDTH, HEIGHT) - 60
    symbol = symbol.resize((side, side), Image.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(symbol, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    y = frame.tobytes()
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(FRAMES):
            out.write(b"FRAME\n" + y + chroma + chroma)
    return path
