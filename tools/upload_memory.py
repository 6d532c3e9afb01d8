"""How much memory preparing one huge garment upload takes, above the app's resting size.

    python -m tools.upload_memory [--megapixels 39.7]

Writes a JPEG and a PNG of a garment photo just under the upload cap (40 megapixels), then,
for each, starts a fresh Python process that imports the garment package, prepares a small
garment (so that every library is loaded and warm), notes its RSS, prepares the huge upload,
and reports its peak RSS above that resting size: the cost of one upload. It does so with the
decoder's reduced-size decoding (how uploads are prepared) and without it (full-size
decoding, as before), and prints the table (target: <= 150 MB above rest).
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
TARGET_MB = 150

# Run in a fresh process: rest RSS, then peak RSS while one upload is prepared.
_MEASURE = """
import json, os, sys
from clothes import Garment, garment as garment_module
from clothes.decode import decode_image
from tests.browser.page import rss_mb

Garment.from_image(sys.argv[3])  # a small photo first: every library loaded and warm
if sys.argv[2] == "full":  # the previous decoding: every pixel at full size
    original = decode_image
    garment_module.decode_image = lambda raw, long_side=None: original(raw)
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")  # resets VmHWM (the peak) to the current RSS
rest, _ = rss_mb(os.getpid())
garment = Garment.from_image(sys.argv[1])
print(json.dumps({"rest_mb": rest, "peak_mb": rss_mb(os.getpid())[1],
                  "category": garment.category.value}))
"""


def tee_photo() -> np.ndarray:
    """A small shop-photo-like picture: a blue T-shirt on white, 480 x 360."""
    small = np.full((480, 360, 3), 250, np.uint8)
    small[60:140, 40:320] = (40, 60, 160)  # sleeves
    small[60:330, 100:260] = (40, 60, 160)  # body
    small[60:75, 150:210] = 250  # neck opening
    return small


def huge_photo(megapixels: float) -> np.ndarray:
    """The tee photo enlarged to about ``megapixels``, 4:3."""
    height = int(round((megapixels * 1e6 * 4 / 3) ** 0.5))
    width = int(megapixels * 1e6 // height)
    return np.asarray(Image.fromarray(tee_photo()).resize((width, height), Image.BILINEAR))


def measure(path: Path, decoding: str, warm_up: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path), decoding, str(warm_up)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megapixels", type=float, default=39.7)
    args = parser.parse_args()
    pixels = huge_photo(args.megapixels)
    print(f"upload: {pixels.shape[1]} x {pixels.shape[0]} pixels; target: <= {TARGET_MB} MB")
    print("| file | decoding | rest | peak | above rest |")
    print("|---|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        warm_up = Path(folder) / "small.png"
        Image.fromarray(tee_photo()).save(warm_up)
        for kind in ("jpg", "png"):
            path = Path(folder) / f"huge.{kind}"
            Image.fromarray(pixels).save(path, quality=90)
            for decoding in ("reduced", "full"):
                found = measure(path, decoding, warm_up)
                above = found["peak_mb"] - found["rest_mb"]
                print(
                    f"| {kind.upper()} {path.stat().st_size / 2**20:.1f} MB | {decoding} | "
                    f"{found['rest_mb']:.0f} MB | {found['peak_mb']:.0f} MB | **{above:.0f} MB** |"
                )


if __name__ == "__main__":
    main()
