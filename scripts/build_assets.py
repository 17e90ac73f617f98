"""Build what the pages load into service/static/build/ (generated, not committed; `make
assets` runs it). See docs/performance.md, "Light pages".

- build/site.css: the PretendardGOV faces below, then KRDS (tokens and components) with
  the rules no page uses removed by PurgeCSS (purgecss.config.cjs), then our app.css; the
  whole minified by esbuild. Every url() in it carries `?v=<fingerprint>`, as
  url_for("static") does (service/delivery.py), so fonts and icons are cached for a year.
- build/fonts/: KRDS's PretendardGOV subsets cut into small files, each declared with its
  unicode-range, so a browser downloads only the pieces whose characters a page shows:
  Latin; other symbols; the Hangul syllables of the interface (the Korean catalog and
  templates), most frequent first; then the remaining syllables by code point.
- build/js/: KRDS's ui-script.js and our app.js, minified.

Needs `npm ci` (PurgeCSS and esbuild, pinned in package.json) and the vendored KRDS
(scripts/vendor_assets.sh). The output is built in a temporary folder and swapped in.
"""

import collections
import io
import re
import shutil
import subprocess  # nosec B404: runs the pinned npm tools from node_modules/.bin
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.delivery import fingerprint_of  # noqa: E402

STATIC = ROOT / "service" / "static"
BUILD = STATIC / "build"
KRDS = STATIC / "vendor" / "krds"
BIN = ROOT / "node_modules" / ".bin"
TOKENS = KRDS / "css" / "token" / "krds_tokens.css"
COMPONENTS = KRDS / "css" / "component" / "output.css"
APP_CSS = STATIC / "css" / "app.css"
SCRIPTS = [KRDS / "js" / "component" / "ui-script.js", STATIC / "js" / "app.js"]

WEIGHTS = {400: "Regular", 500: "Medium", 700: "Bold"}
FAMILY = "Pretendard GOV"
HANGUL = range(0xAC00, 0xD7A4)
# Interface syllables per file (about 7 KB each) and other syllables per file.
INTERFACE_CHUNK = 100
REST_CHUNK = 200
# Where the interface's Korean words live.
INTERFACE_TEXT = ["service/translations/ko/LC_MESSAGES/messages.po", "templates/**/*.html"]
INTERFACE_CODE = ["service/**/*.py", "forms/**/*.py", "workflows/**/*.py"]

URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def fail(message: str) -> None:
    sys.exit(f"build_assets: {message}")


def run(*command: str) -> None:
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)  # nosec B603
    if done.returncode != 0:
        fail(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


# ------------------------------------------------------------------------------ fonts --


def interface_syllables() -> list[int]:
    """The Hangul syllables of the interface, most frequent first."""
    counts: collections.Counter[int] = collections.Counter()
    for pattern in INTERFACE_TEXT + INTERFACE_CODE:
        for path in ROOT.glob(pattern):
            text = path.read_text(encoding="utf-8")
            counts.update(ord(char) for char in text if ord(char) in HANGUL)
    return [code for code, _count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def ranges(codes) -> str:
    """U+ ranges for a set of code points, runs merged."""
    runs: list[list[int]] = []
    for code in sorted(codes):
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return ",".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def font_pieces(cmap: set[int], interface: list[int]) -> list[tuple[str, set[int], str]]:
    """(name, code points in the file, unicode-range) for each piece, in declaration order.

    The remaining syllables are declared first with whole spans of the Hangul block, the
    interface syllables last with their exact code points: for a character in both, the
    browser tries the later rule first (CSS Fonts 4, 4.5), so it never fetches a piece
    for a syllable the interface pieces already hold."""
    latin = {c for c in cmap if c < 0x100 or 0x2000 <= c <= 0x206F}
    symbols = {c for c in cmap if c not in latin and c not in HANGUL}
    ui = [c for c in interface if c in cmap]
    rest = sorted(c for c in cmap if c in HANGUL and c not in set(ui))
    pieces = [("latin", latin, ranges(latin)), ("symbols", symbols, ranges(symbols))]
    for n, start in enumerate(range(0, len(rest), REST_CHUNK)):
        part = rest[start : start + REST_CHUNK]
        low = HANGUL.start if start == 0 else part[0]
        following = rest[start + REST_CHUNK : start + REST_CHUNK + 1]
        high = following[0] - 1 if following else HANGUL.stop - 1
        pieces.append((f"hangul-{n}", set(part), f"U+{low:X}-{high:X}"))
    for n, start in enumerate(range(0, len(ui), INTERFACE_CHUNK)):
        part = set(ui[start : start + INTERFACE_CHUNK])
        pieces.append((f"ui-{n}", part, ranges(part)))
    return pieces


def _decompressed(source: Path) -> tuple[bytes, bytes]:
    """The font as plain TrueType, whole and without its layout and vertical tables (whose
    parsing is most of the time a piece takes)."""
    font = TTFont(source, recalcTimestamp=False)
    font.flavor = None
    whole = io.BytesIO()
    font.save(whole)
    for tag in ("GSUB", "GPOS", "GDEF", "vhea", "vmtx"):
        if tag in font:
            del font[tag]
    bare = io.BytesIO()
    font.save(bare)
    return whole.getvalue(), bare.getvalue()


def build_fonts(out: Path) -> str:
    """Write the font pieces under out/fonts/ and return their @font-face rules."""
    folder = out / "fonts"
    folder.mkdir()
    interface = interface_syllables()
    rules = []
    for weight, name in WEIGHTS.items():
        source = KRDS / "fonts" / f"PretendardGOV-{name}.subset.woff2"
        full, bare = _decompressed(source)
        cmap = set(TTFont(io.BytesIO(full), lazy=True).getBestCmap())
        for piece, codes, unicode_range in font_pieces(cmap, interface):
            if not codes:
                continue
            # Precomposed syllables need no shaping: their pieces come from the bare font.
            base = full if piece in ("latin", "symbols") else bare
            font = TTFont(io.BytesIO(base), recalcTimestamp=False)
            options = subset.Options()
            options.flavor = "woff2"
            options.hinting = False
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=codes)
            subsetter.subset(font)
            target = folder / f"PretendardGOV-{name}-{piece}.woff2"
            font.flavor = "woff2"
            font.save(target)
            rules.append(
                "@font-face{"
                f'font-family:"{FAMILY}";font-style:normal;font-weight:{weight};'
                "font-display:swap;"
                f'src:url("fonts/{target.name}?v={fingerprint_of(target)}") format("woff2");'
                f"unicode-range:{unicode_range}}}"
            )
    return "\n".join(rules) + "\n"


# -------------------------------------------------------------------------------- css --


def rebased(css: str, source: Path, out: Path) -> str:
    """The stylesheet with each relative url() pointing, from build/, at the same static
    file, fingerprinted."""

    def rewrite(match: re.Match) -> str:
        url = match.group(2).strip()
        if url.startswith(("data:", "http:", "https:", "/", "#")):
            return match.group(0)
        path, _, fragment = url.partition("#")
        path = path.split("?")[0]
        target = (source.parent / path).resolve()
        if not target.is_file():
            fail(f"{source.relative_to(ROOT)} points at {url}, which does not exist")
        relative = Path(
            *([".."] * len(out.relative_to(STATIC).parts)), target.relative_to(STATIC)
        ).as_posix()
        return f'url("{relative}?v={fingerprint_of(target)}{"#" + fragment if fragment else ""}")'

    return URL.sub(rewrite, css)


def without_imports(css: str) -> str:
    return re.sub(r"@(charset|import)\s[^;]*;", "", css)


def build_css(out: Path, fonts: str) -> None:
    krds = out / "krds.css"
    krds.write_text(
        rebased(TOKENS.read_text(encoding="utf-8"), TOKENS, BUILD)
        + rebased(without_imports(COMPONENTS.read_text(encoding="utf-8")), COMPONENTS, BUILD),
        encoding="utf-8",
    )
    purged = out / "purged"
    run(
        str(BIN / "purgecss"),
        "--config",
        "purgecss.config.cjs",
        "--css",
        str(krds),
        "--output",
        str(purged),
    )
    app = rebased(APP_CSS.read_text(encoding="utf-8"), APP_CSS, BUILD)
    whole = out / "site.source.css"
    whole.write_text(
        '@charset "UTF-8";\n' + fonts + (purged / "krds.css").read_text(encoding="utf-8") + app,
        encoding="utf-8",
    )
    run(
        str(BIN / "esbuild"),
        str(whole),
        "--minify",
        "--log-level=error",
        f"--outfile={out}/site.css",
    )
    krds.unlink()
    whole.unlink()
    shutil.rmtree(purged)


def build_js(out: Path) -> None:
    for script in SCRIPTS:
        run(
            str(BIN / "esbuild"),
            str(script),
            "--minify",
            "--log-level=error",
            f"--outfile={out}/js/{script.name}",
        )


def main() -> None:
    for needed in [TOKENS, COMPONENTS, *SCRIPTS, BIN / "purgecss", BIN / "esbuild"]:
        if not needed.exists():
            fail(f"{needed.relative_to(ROOT)} is missing: run `make assets`")
    staging = Path(tempfile.mkdtemp(prefix=".build.", dir=STATIC))
    try:
        build_css(staging, build_fonts(staging))
        build_js(staging)
        old = STATIC / ".build.old"
        shutil.rmtree(old, ignore_errors=True)
        if BUILD.exists():
            BUILD.rename(old)
        staging.rename(BUILD)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    sizes = {p.relative_to(BUILD).as_posix(): p.stat().st_size for p in BUILD.rglob("*.*")}
    fonts = sum(size for name, size in sizes.items() if name.startswith("fonts/"))
    print(
        f"build_assets: site.css {sizes['site.css']:,} B, js {sizes['js/ui-script.js']:,} B, "
        f"{sum(1 for n in sizes if n.startswith('fonts/'))} font pieces {fonts:,} B"
        f" -> {BUILD.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
