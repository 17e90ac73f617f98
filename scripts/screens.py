"""Copy a few of the browser tests' screenshots into docs/screens/ for the README.

Run after the browser tests (`.venv/bin/python -m pytest tests/browser`), then
`.venv/bin/python scripts/screens.py [folder of screenshots]`. Each shot is cut to its top
(a tall page would dwarf the README), scaled down and saved with a 256-colour palette, so
the folder stays small.
"""

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-artifacts" / "screenshots"
SCREENS = ROOT / "docs" / "screens"

# (screenshot, height of the top kept in pixels or None for all of it, scale)
CHOSEN = [
    ("issuer-dashboard-ko", 1500, 0.5),
    ("issuer-dashboard-en", 1100, 0.5),
    ("section-guidance-en", 1500, 0.5),
    ("krw_stablecoin-05-check-answers", 1300, 0.5),
    ("reviewer-case-submitted-en", 1300, 0.5),
    ("public-register-ko", 1100, 0.5),
    ("mobile-menu-open-ko", None, 0.75),  # phone shots are narrow already
    ("mobile-reports-en", 1100, 0.75),
    ("organization-users-ko", 1300, 0.5),
    ("invitation-refused-en", 1100, 0.5),
]


def main() -> int:
    # The browser tests' shots: this checkout's, or another's named as the first argument.
    shots = Path(sys.argv[1]) if len(sys.argv) > 1 else SHOTS
    SCREENS.mkdir(parents=True, exist_ok=True)
    for name, height, scale in CHOSEN:
        source = shots / f"{name}.png"
        if not source.exists():
            print(f"missing {source}: run the browser tests first", file=sys.stderr)
            return 1
        with Image.open(source) as shot:
            image = shot.convert("RGB")
        if height and image.height > height:
            image = image.crop((0, 0, image.width, height))
        size = (round(image.width * scale), round(image.height * scale))
        image = image.resize(size, Image.Resampling.LANCZOS)
        image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        target = SCREENS / f"{name}.png"
        image.save(target, optimize=True)
        print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
