"""Build what the pages load into service/static/build/ (generated, not committed; `make
assets` runs it). See docs/performance.md, "Light pages".

- build/site.css: the PretendardGOV faces below, then KRDS (tokens and components) with
  the rules no page uses removed by PurgeCSS (purgecss.config.cjs), then our app.css; the
  whole minified by esbuild. Every url() in it carries `?v=<fingerprint>`, as
  url_for("static") does (service/delivery.py), so fonts and icons are cached for a year.
- build/fonts/: KRDS's PretendardGOV subsets cut into small files, each declared with its
  unicode-range, so a browser downloads only the pieces whose characters a page shows:
  ASCII with the interface's other signs; the remaining symbols one Unicode block a
  piece; the Hangul syllables of the interface (the Korean catalog and templates), most
  frequent first; then the remaining syllables by code point.
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

import tinycss2
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem

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
# Symbols per file at least: neighbouring Unicode blocks share one until it holds as many.
SYMBOLS_CHUNK = 50
# Layout features kept in the symbol pieces: kerning and what joins or places marks. The
# stylistic sets, fractions and alternates the faces also carry would double the Latin
# piece, and no page asks for them.
LAYOUT_FEATURES = ["kern", "liga", "calt", "ccmp", "locl", "mark", "mkmk"]
# The faces' 2,048 units per em, rounded to 500: a unit is then 0.03 px of 16 px text, far
# below what a screen shows, and the outlines' smaller numbers make every piece about a
# fifth lighter. The PDFs embed the full faces (static/vendor/fonts/), untouched.
SCREEN_UNITS_PER_EM = 500
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


def interface_characters() -> collections.Counter[int]:
    """Each character of the interface's own text with how often it occurs."""
    counts: collections.Counter[int] = collections.Counter()
    for pattern in INTERFACE_TEXT + INTERFACE_CODE:
        for path in ROOT.glob(pattern):
            counts.update(ord(char) for char in path.read_text(encoding="utf-8"))
    return counts


def interface_syllables(counts: collections.Counter[int]) -> list[int]:
    """The Hangul syllables of the interface, most frequent first."""
    syllables = [(code, n) for code, n in counts.items() if code in HANGUL]
    return [code for code, _n in sorted(syllables, key=lambda item: (-item[1], item[0]))]


def ranges(codes) -> str:
    """U+ ranges for a set of code points, runs merged."""
    runs: list[list[int]] = []
    for code in sorted(codes):
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return ",".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def font_pieces(
    cmap: set[int], interface: collections.Counter[int]
) -> list[tuple[str, set[int], str]]:
    """(name, code points in the file, unicode-range) for each piece, in declaration order.

    Every page needs ASCII, and the interface's own signs (·, →, ₩, …) turn up on many:
    they make the first piece. Every other symbol is in the piece of its Unicode block, so
    a rare sign costs its block's few glyphs (small neighbouring blocks share a piece),
    not every symbol of the face.

    The remaining syllables are declared first with whole spans of the Hangul block, the
    interface syllables last with their exact code points: for a character in both, the
    browser tries the later rule first (CSS Fonts 4, 4.5), so it never fetches a piece
    for a syllable the interface pieces already hold."""
    signs = {c for c in interface if c in cmap and c not in HANGUL and c > 0x7F}
    basic = {c for c in cmap if 0x20 <= c < 0x7F} | signs
    blocks: dict[int, set[int]] = collections.defaultdict(set)
    for code in cmap:
        if code not in basic and code not in HANGUL:
            blocks[code >> 8].add(code)
    ui = [c for c in interface_syllables(interface) if c in cmap]
    rest = sorted(c for c in cmap if c in HANGUL and c not in set(ui))
    pieces = [("latin", basic, ranges(basic))]
    group: set[int] = set()
    for block, codes in sorted(blocks.items()):
        group |= codes
        if len(group) >= SYMBOLS_CHUNK or block == max(blocks):
            pieces.append((f"symbols-{min(group):04x}", group, ranges(group)))
            group = set()
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
    """The font as plain TrueType on the screen's grid, whole and without its layout and
    vertical tables (whose parsing is most of the time a piece takes)."""
    font = TTFont(source, recalcTimestamp=False)
    font.flavor = None
    scale_upem(font, SCREEN_UNITS_PER_EM)
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
    interface = interface_characters()
    rules = []
    for weight, name in WEIGHTS.items():
        source = KRDS / "fonts" / f"PretendardGOV-{name}.subset.woff2"
        full, bare = _decompressed(source)
        cmap = set(TTFont(io.BytesIO(full), lazy=True).getBestCmap())
        for piece, codes, unicode_range in font_pieces(cmap, interface):
            if not codes:
                continue
            # Precomposed syllables need no shaping: their pieces come from the bare font.
            shaped = piece.startswith(("latin", "symbols"))
            font = TTFont(io.BytesIO(full if shaped else bare), recalcTimestamp=False)
            options = subset.Options()
            options.flavor = "woff2"
            options.hinting = False
            options.layout_features = LAYOUT_FEATURES
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


# At-rules whose block holds rules rather than declarations.
GROUPING_RULES = ("media", "supports", "layer", "container", "document")


def _without_variables(rules, unread: set[str]) -> tuple[str, int]:
    """The rules serialized without declarations of the custom properties in unread, and
    how many were left out."""
    parts, dropped = [], 0
    for rule in rules:
        if rule.type not in ("qualified-rule", "at-rule") or rule.content is None:
            parts.append(rule.serialize())
            continue
        head = tinycss2.serialize(rule.prelude)
        if rule.type == "at-rule":
            head = f"@{rule.at_keyword}{head}"
        if rule.type == "at-rule" and rule.lower_at_keyword in GROUPING_RULES:
            inner, n = _without_variables(tinycss2.parse_rule_list(rule.content), unread)
        else:
            kept = []
            for item in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True):
                if item.type == "declaration" and item.name in unread:
                    dropped += 1
                elif item.type != "comment":
                    kept.append(item.serialize())
            inner, n = ";".join(kept), 0
        parts.append(f"{head}{{{inner}}}")
        dropped += n
    return "".join(parts), dropped


def without_unread_variables(css: str) -> str:
    """The stylesheet without the custom properties that no var() reads. PurgeCSS can only
    judge the variables of the file it purges, and app.css, which it must not purge, reads
    KRDS's tokens too: so this runs on the whole, until nothing more goes (a removed
    declaration may have been the last to read another)."""
    while True:
        read = set(re.findall(r"var\(\s*(--[\w-]+)", css))
        declared = set(re.findall(r"(--[\w-]+)\s*:", css))
        css, dropped = _without_variables(tinycss2.parse_stylesheet(css), declared - read)
        if not dropped:
            return css


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
    krds_purged = (purged / "krds.css").read_text(encoding="utf-8")
    whole.write_text(
        '@charset "UTF-8";\n' + without_unread_variables(fonts + krds_purged + app),
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


# KRDS's components in ui-script.js, each with the class (or attribute) it works on. The
# build keeps a component only if its marker occurs in our templates or Python; esbuild
# then drops the code no kept component reaches.
KRDS_COMPONENTS = {
    "krds_mainMenuPC": "krds-main-menu",
    "krds_mainMenuMobile": "krds-main-menu-mobile",
    "krds_sideNavigation": "krds-side-navigation",
    "krds_tab": "krds-tab-area",
    "krds_accordion": "btn-accordion",
    "krds_modal": "open-modal",
    "krds_contextualHelp": "krds-contextual-help",
    "krds_tooltip": "krds-tooltip",
    "krds_disclosure": "krds-disclosure",
    "krds_dropEvent": "krds-drop-wrap",
    "krds_calendar": "krds-calendar-area",
    "krds_inPageNavigation": "krds-in-page-navigation",
    "krds_adjustContentScale": "data-adjust",
    "krds_toggleSwitch": "krds-form-toggle-switch",
    "krds_infoList": "krds-info-list",
    "krds_chkBox": "chk-group-wrap",
    "krds_fileUpload": "file-upload",
    "krds_tts": "krds-tts",
    "krds_helpPanel": "krds-help-panel",
}
# Where ui-script.js stops declaring: its global for the read-aloud buttons, then its
# start-up on the page's events, which the build writes anew.
KRDS_TTS_GLOBAL = "window.krds_playTts = function"
KRDS_STARTUP = 'window.addEventListener("DOMContentLoaded"'
# What the page's three events call beyond each kept component's init(), by component.
KRDS_ON_SCROLL = {
    "krds_mainMenuPC": "krds_mainMenuPC.closeMainMenu();",
    "krds_inPageNavigation": "krds_inPageNavigation.updateActiveSection();",
    "krds_helpPanel": "krds_helpPanel.init();",
}
KRDS_ON_RESIZE = {"krds_helpPanel": "krds_helpPanel.init();"}


def krds_components_used() -> list[str]:
    text = "\n".join(
        path.read_text(encoding="utf-8")
        for pattern in ["templates/**/*.html", *INTERFACE_CODE]
        for path in ROOT.glob(pattern)
        if STATIC not in path.parents
    )
    return [name for name, marker in KRDS_COMPONENTS.items() if marker in text]


def krds_script(out: Path) -> Path:
    """ui-script.js with the start-up of only the components our pages use."""
    source = SCRIPTS[0].read_text(encoding="utf-8")
    declared = set(re.findall(r"^const (krds_\w+) = \{", source, flags=re.MULTILINE))
    if (
        declared != set(KRDS_COMPONENTS)
        or KRDS_STARTUP not in source
        or KRDS_TTS_GLOBAL not in source[: source.index(KRDS_STARTUP)]
    ):
        fail(
            "KRDS's ui-script.js changed its components or start-up: update KRDS_COMPONENTS "
            f"(declared {sorted(declared)})"
        )
    used = krds_components_used()
    start = "".join(f"  {name}.init();\n" for name in used if name != "krds_helpPanel")
    if "krds_helpPanel" in used:
        start += (
            "  krds_helpPanel.init();\n"
            '  if (windowSize.getWinSize() === "pc") krds_helpPanel.toggleHelpPanel("open");\n'
        )
    scroll = "".join(f"  {KRDS_ON_SCROLL[n]}\n" for n in used if n in KRDS_ON_SCROLL)
    resize = "".join(f"  {KRDS_ON_RESIZE[n]}\n" for n in used if n in KRDS_ON_RESIZE)
    trimmed = out / "ui-script.source.js"
    trimmed.write_text(
        source[: source.index(KRDS_TTS_GLOBAL)]
        + (
            source[source.index(KRDS_TTS_GLOBAL) : source.index(KRDS_STARTUP)]
            if "krds_tts" in used
            else ""
        )
        + 'window.addEventListener("DOMContentLoaded", () => {\n'
        + f"  windowSize.setWinSize();\n{start}}});\n"
        + 'window.addEventListener("scroll", () => {\n'
        + "  scrollManager.updateScrollValues();\n  scrollManager.handleScrollDirection();\n"
        + f"{scroll}}});\n"
        + 'window.addEventListener("resize", () => {\n'
        + f"  windowSize.setWinSize();\n{resize}}});\n",
        encoding="utf-8",
    )
    return trimmed


def build_js(out: Path) -> None:
    trimmed = krds_script(out)
    for script, name in [(trimmed, SCRIPTS[0].name), (SCRIPTS[1], SCRIPTS[1].name)]:
        run(
            str(BIN / "esbuild"),
            str(script),
            "--minify",
            "--tree-shaking=true",
            "--format=iife",
            "--log-level=error",
            f"--outfile={out}/js/{name}",
        )
    trimmed.unlink()


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
