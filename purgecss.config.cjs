// PurgeCSS for the KRDS stylesheet (scripts/build_assets.py runs it; docs/performance.md).
// A KRDS rule is kept when its class, id and attribute names appear in what renders pages:
// the templates and the Python that emits class names. KRDS's ui-script.js is not scanned
// (it names every component it can drive, used or not); the safelist holds the classes it
// sets at run time instead: `grep -oE 'classList\.(add|toggle)\([^)]*\)'` on the script,
// plus the popover it creates. Check it again when krds-uiux is upgraded.
module.exports = {
  content: [
    "templates/**/*.html",
    "service/**/*.py",
    "forms/**/*.py",
    "workflows/**/*.py",
    "service/static/js/*.js",
  ],
  safelist: {
    standard: [
      "active", "bn-hidden", "bottom", "checked", "disabled", "drop-left", "drop-right", "end",
      "expand", "focus", "gnb-backdrop", "hasScrollY", "help-panel-expanded", "ico-play",
      "ico-stop", "in", "is-active", "is-backdrop", "is-gnb-mobile", "is-gnb-web", "is-open",
      "is-playing", "krds-tooltip-popover", "left", "modal-opened", "pause", "period", "play",
      "right", "scroll-down", "scroll-no", "scroll-up", "shown", "sr-only", "start",
      "tooltip-box", "tooltip-vertical", "top",
    ],
  },
  keyframes: true,
  fontFace: false,
  variables: false,
};
