#!/usr/bin/env bash
# Run Huawei's official Python SDK against a FunctionGraph-compatible endpoint.
#
#   tests/interop/run.sh http://127.0.0.1:18080
#
# The endpoint must already be serving (for example `fgs serve examples/hello-python`);
# this script never starts a server. It installs the pinned SDK into tests/interop/.venv
# (created on first use, refreshed when requirements.txt changes) and runs sdk_client.py,
# which prints "N passed, N failed" last and exits non-zero on any failure.
#
# Environment: HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_PROJECT_ID (fake
# defaults when unset); EXPECT_VERIFY=1 when the server checks signatures, which adds a
# call signed with a wrong SK that must get HTTP 401; PYTHON picks the interpreter.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 ENDPOINT   (for example http://127.0.0.1:18080)" >&2
    exit 2
fi
endpoint=$1

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv="$here/.venv"
python=${PYTHON:-python3}

if ! cmp -s "$here/requirements.txt" "$venv/requirements.installed" 2>/dev/null; then
    echo "installing the SDK into $venv" >&2
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$venv/requirements.installed"
fi

# The endpoint is normally on loopback: keep a proxy from the environment out of the way.
export NO_PROXY="127.0.0.1,localhost,::1${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"

exec "$venv/bin/python" "$here/sdk_client.py" "$endpoint"
