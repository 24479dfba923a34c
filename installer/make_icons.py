"""Render the application icon (resources/icons/facilitator.svg) for the installers.

    python installer/make_icons.py OUT_DIR [--iconset]

writes OUT_DIR/png/facilitator-<size>.png (16 to 1024 pixels, for the Linux icon theme and the
.desktop entry) and OUT_DIR/facilitator.ico (Windows: 16 to 256 pixels, PNG-compressed entries).
With --iconset it also writes OUT_DIR/facilitator.iconset/, which macOS's `iconutil -c icns`
turns into facilitator.icns. Uses Qt's SVG renderer, so it runs wherever PySide6 does.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

SVG = Path(__file__).resolve().parents[1] / "resources" / "icons" / "facilitator.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICONSET = {  # macOS iconset file name -> pixels
    "icon_16x16.png": 16,
    "icon_16x16@2x.png": 32,
    "icon_32x32.png": 32,
    "icon_32x32@2x.png": 64,
    "icon_128x128.png": 128,
    "icon_128x128@2x.png": 256,
    "icon_256x256.png": 256,
    "icon_256x256@2x.png": 512,
    "icon_512x512.png": 512,
    "icon_512x512@2x.png": 1024,
}


def render_pngs(svg: Path, sizes: tuple[int, ...]) -> dict[int, bytes]:
    """PNG bytes of the SVG drawn at each size, with a transparent background."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG file")
    rendered: dict[int, bytes] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(0)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):
            raise SystemExit(f"could not encode the {size}px icon as PNG")
        buffer.close()
        rendered[size] = bytes(data.data())
    return rendered


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding each PNG as it is (supported since Windows Vista)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        png = pngs[size]
        dimension = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", dimension, dimension, 0, 0, 1, 32, len(png), offset)
        images += png
        offset += len(png)
    return header + entries + images


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--iconset", action="store_true", help="also write a macOS .iconset")
    args = parser.parse_args(argv)
    out: Path = args.out_dir
    pngs = render_pngs(SVG, PNG_SIZES)
    (out / "png").mkdir(parents=True, exist_ok=True)
    for size, png in pngs.items():
        (out / "png" / f"facilitator-{size}.png").write_bytes(png)
    (out / "facilitator.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    if args.iconset:
        iconset = out / "facilitator.iconset"
        iconset.mkdir(exist_ok=True)
        for name, size in ICONSET.items():
            (iconset / name).write_bytes(pngs[size])
    print(f"Icons written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
