#!/usr/bin/env bash
# Sets up and runs every test, then prints the quality and speed figures.
#
#   bash scripts/test.sh          # from the repository root, on a fresh machine or not
#
# 1. .venv: the app's environment (requirements.txt + requirements-dev.txt), then pytest:
#    engine, garments, quality on ../shared's photos and video, the app through
#    gradio_client, and a real browser (Debian's chromium) with a fake camera. Three of
#    them measure as a tool does and write what it would print, printed after the tests:
#    the fit quality (python -m tools.evaluate), the hard cuts and detached pieces of worn
#    garments (python -m tools.worn_shape) and the browser's timings.
# 2. .venv-mmpose: mmpose's own environment (requirements-mmpose.txt), then the exporter,
#    the PyTorch backend and the parity tests (tests/mmpose/run.sh).
# 3. The other figures: python -m tools.legwear (bottoms worn), python -m tools.camera_moves
#    (people followed out of the frame and walking by) and python -m tools.bench (speed and
#    memory).
#
# Tests that need ../shared skip without it, except under CI=true, where they fail.
set -euo pipefail
cd "$(dirname "$0")/.."

python="${PYTHON:-python3}"  # as the README's app command; the mmpose environment wants 3.11
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/pip install --quiet -r requirements.txt -r requirements-dev.txt

if ! command -v chromium >/dev/null; then
    echo "note: Debian's chromium is not installed, so the browser test will skip" \
        "(install it with: sudo apt-get install -y chromium)"
fi

figures=(out/quality/report.txt out/worn_shape.txt out/browser.json)  # written by the tests
rm -f "${figures[@]}"
.venv/bin/python -m pytest -q
for file in "${figures[@]}"; do
    if [ -f "$file" ]; then
        echo && echo "figures measured by the tests ($file):" && cat "$file" && echo
    fi
done
bash tests/mmpose/run.sh -q
.venv/bin/python -m tools.legwear
.venv/bin/python -m tools.camera_moves
.venv/bin/python -m tools.bench
