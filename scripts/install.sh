#!/usr/bin/env bash
# Installs everything loss-scenes needs on Debian: system packages (only those missing), then a
# virtual environment in .venv with the package and its test dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Cairo and Pango headers build pycairo and manimpango; TeX and dvisvgm typeset MathTex;
# espeak-ng is the default narration voice. The type system (scenes/scene/typeset.py) is DejaVu
# Sans for words and maths: XeLaTeX with unicode-math (texlive-xetex), TeX Gyre DejaVu Math for
# operators and delimiters, DejaVu Sans Oblique (fonts-dejavu-extra) for variables.
SYSTEM_PACKAGES=(
  pkg-config libcairo2-dev libpango1.0-dev
  texlive-latex-base texlive-latex-extra texlive-fonts-recommended dvisvgm
  texlive-xetex fonts-texgyre-math
  fonts-dejavu-core fonts-dejavu-extra
  espeak-ng
  # `loss-scenes record`: PortAudio for sounddevice, and arecord/aplay as a fallback.
  libportaudio2 alsa-utils
  # The tests read the German title card back with OCR (render --lang de).
  tesseract-ocr tesseract-ocr-deu
  # Emoji in titles and captions: Symbola's glyphs are outlines, which Manim draws like any
  # letter (colour emoji fonts hold pictures, which Manim's text leaves out).
  fonts-symbola
)
if [ "${LOSS_SCENES_BROWSER:-1}" = 1 ]; then
  # Headless Chromium for the course-site tests (Debian's build; no downloaded browsers).
  SYSTEM_PACKAGES+=(chromium)
fi

missing=()
for package in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if ! python3 -m venv --help >/dev/null 2>&1; then missing+=(python3-venv); fi
# Node runs ajv, the JSON Schema validator of the schema tests (tests/node).
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "install.sh: installing system packages: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >&2
  .venv/bin/python -m pip install -q -e ".[test]" >&2
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# From the npm registry, at the versions of tests/node/package-lock.json: ajv for the schema
# tests, axe-core (accessibility rules) for the browser tests of the exported site.
if [ ! -d tests/node/node_modules/ajv ] || [ ! -d tests/node/node_modules/axe-core ]; then
  npm ci --prefix tests/node --no-audit --no-fund --silent >&2
fi
