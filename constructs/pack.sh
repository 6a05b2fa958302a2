#!/usr/bin/env bash
# Builds the construct library with jsii and packs it, in the directory this script is in:
#   dist/js/groundtruth-execution-role@VERSION.jsii.tgz   (npm; jsii-pacmak)
#   dist/python/gtrole.groundtruth_execution_role-VERSION-py3-none-any.whl   (PyPI)
# Usage: pack.sh PROVIDER_ZIP   (the zip `make build` writes; it is packed into both packages)
#
# jsii-pacmak builds a wheel in a virtualenv it fills from PyPI; without PyPI the Python sources are generated
# with --code-only and the wheel is built from them by python3-build without isolation (Debian's python3-build,
# python3-setuptools, python3-wheel and twine: `make tools` installs them).
set -euo pipefail
zip=$(realpath "$1")
cd "$(dirname "$0")"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
# Any Go file npm brings stays out of the repository's `go ./...`.
npm ci --no-audit --no-fund --loglevel=error
echo 'module node_modules' > node_modules/go.mod
rm -rf assets dist lib .jsii tsconfig.json
mkdir -p assets && cp "$zip" assets/bootstrap.zip
npx --no-install jsii --silence-warnings=reserved-word
npx --no-install jsii-pacmak --targets js
python=${PYTHON_BUILD:-/usr/bin/python3}
if ! "$python" -c 'import build, setuptools, wheel, twine' 2>/dev/null; then
  echo "pack.sh: $python lacks build, setuptools, wheel or twine: apt-get install python3-build python3-setuptools python3-wheel twine (make tools)" >&2
  exit 1
fi
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
npx --no-install jsii-pacmak --targets python --code-only --outdir "$src"
# A fixed timestamp (the zip epoch) makes the wheel's bytes depend only on its content.
SOURCE_DATE_EPOCH=315532800 "$python" -m build --wheel --no-isolation --skip-dependency-check --outdir dist/python "$src/python" >/dev/null
"$python" -m twine check dist/python/*.whl
ls -l dist/js/*.tgz dist/python/*.whl
