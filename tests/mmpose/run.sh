#!/usr/bin/env bash
# Builds the mmpose environment from requirements-mmpose.txt (unless it is already built from
# the same file) and runs the mmpose tests in it. The app's environment never needs mmpose.
#
#   bash tests/mmpose/run.sh            # build .venv-mmpose if needed, run tests/mmpose
#   bash tests/mmpose/run.sh -k parity  # extra arguments go to pytest
#
# MMPOSE_VENV (default .venv-mmpose) and MMPOSE_PYTHON (default python3.11) override the
# environment's folder and interpreter.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv="${MMPOSE_VENV:-.venv-mmpose}"
python="${MMPOSE_PYTHON:-python3.11}"
stamp="$venv/requirements-mmpose.sha256"
wanted="$(sha256sum requirements-mmpose.txt | cut -d' ' -f1)"

if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "building $venv from requirements-mmpose.txt"
    start=$SECONDS
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install -qq --no-deps -r requirements-mmpose.txt
    # xtcocotools is compiled against the numpy just installed (see requirements-mmpose.txt).
    xtcocotools="$(grep -o 'xtcocotools==[0-9.]*' requirements-mmpose.txt | head -1)"
    "$venv/bin/pip" install -qq --no-deps --no-build-isolation --no-binary xtcocotools \
        "$xtcocotools"
    echo "$wanted" > "$stamp"
    echo "built $venv in $((SECONDS - start)) s"
fi

exec "$venv/bin/python" -m pytest tests/mmpose "$@"
