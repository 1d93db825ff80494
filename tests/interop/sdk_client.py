"""Call a FunctionGraph-compatible endpoint with Huawei's official Python SDK.

    python sdk_client.py http://127.0.0.1:18080

Expects the function hello-python (examples/hello-python) to be served there. Checks, in
order: a sync invoke with the SDK's default headers, a sync invoke asking for the log
tail, an unknown function, an async invoke and its record in the async-invocation list,
and (with EXPECT_VERIFY=1) a call signed with a wrong SK, which must get HTTP 401. Then a
sync invoke with the log tail of each function EXTRA_FUNCTIONS names (comma-separated, the
other examples: hello-php, hello-java, hello-go), which must greet the caller as hello-python does.

Credentials come from HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and
HUAWEICLOUD_SDK_PROJECT_ID, with fake defaults. The last line printed is
"N passed, N failed"; the exit code is non-zero when anything failed.
"""

import os
import sys
import time
import traceback

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkfunctiongraph.v2 import (
    AsyncInvokeFunctionRequest,
    FunctionGraphClient,
    InvokeFunctionRequest,
    ListAsyncInvocationsRequest,
)

FAKE_AK = "FAKEAKFAKEAKFAKEAK00"
FAKE_SK = "FAKESKFAKESKFAKESKFAKESKFAKESKFAKESK0000"
FAKE_PROJECT = "0123456789abcdef0123456789abcdef"
REGION = "cn-north-4"
FUNCTION = "hello-python"
# How long an async invocation may take to be listed as finished.
ASYNC_WAIT_SECONDS = 10


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def run(self, name, check):
        """Run one check; any exception (an assert or the SDK's) fails it."""
        try:
            check()
        except Exception as e:  # noqa: BLE001 - every failure is reported the same way
            self.failed += 1
            print(f"FAIL {name}: {type(e).__name__}: {e}")
            if os.environ.get("VERBOSE"):
                traceback.print_exc()
        else:
            self.passed += 1
            print(f"ok   {name}")


def client(endpoint, ak, sk, project):
    config = HttpConfig.get_default_config()
    # Fail in seconds, not after the SDK's default two minutes, when the server hangs.
    config.timeout = (5, 30)
    return (
        FunctionGraphClient.new_builder()
        .with_http_config(config)
        .with_credentials(BasicCredentials(ak, sk, project))
        .with_endpoints([endpoint])
        .build()
    )


def urn(project, function):
    return f"urn:fss:{REGION}:{project}:function:default:{function}:latest"


def main():
    if len(sys.argv) != 2:
        print(f"usage: {sys.argv[0]} ENDPOINT", file=sys.stderr)
        return 2
    endpoint = sys.argv[1]
    if not endpoint.startswith(("http://", "https://")):
        # Without a scheme the SDK silently switches to https.
        print(f"the endpoint {endpoint!r} needs an http:// or https:// scheme", file=sys.stderr)
        return 2
    ak = os.environ.get("HUAWEICLOUD_SDK_AK") or FAKE_AK
    sk = os.environ.get("HUAWEICLOUD_SDK_SK") or FAKE_SK
    project = os.environ.get("HUAWEICLOUD_SDK_PROJECT_ID") or FAKE_PROJECT
    expect_verify = os.environ.get("EXPECT_VERIFY") == "1"

    fg = client(endpoint, ak, sk, project)
    hello = urn(project, FUNCTION)
    checks = Checks()
    state = {}

    def sync_default_headers():
        # What most SDK users send: no log type, no request version.
        response = fg.invoke_function(InvokeFunctionRequest(function_urn=hello, body={"name": "sdk"}))
        assert response.status == 200, f"status {response.status!r}, result {response.result!r}"
        assert isinstance(response.result, str), f"result is {type(response.result).__name__}"
        assert "Hello, sdk" in response.result, f"result {response.result!r}"
        assert response.request_id, "no request_id in the body"

    def sync_with_log_tail():
        response = fg.invoke_function(
            InvokeFunctionRequest(
                function_urn=hello,
                x_cff_log_type="tail",
                x_cff_request_version="v1",
                body={"name": "sdk"},
            )
        )
        assert response.status == 200, f"status {response.status!r}, result {response.result!r}"
        assert "Hello, sdk" in (response.result or ""), f"result {response.result!r}"
        assert response.log, f"log {response.log!r}"
        assert "Start invoke request" in response.log, f"log {response.log!r}"
        assert response.x_cff_request_id, "no X-Cff-Request-Id header"
        assert response.x_cff_request_id == response.request_id, (
            f"X-Cff-Request-Id {response.x_cff_request_id!r} != request_id {response.request_id!r}"
        )

    def unknown_function():
        try:
            fg.invoke_function(InvokeFunctionRequest(function_urn=urn(project, "no-such-function"), body={}))
        except ClientRequestException as e:
            assert e.status_code == 404, f"HTTP {e.status_code} {e.error_code}: {e.error_msg}"
            assert e.error_code, "no error_code in the error body"
            assert e.request_id, "no X-Request-Id header on the error"
        else:
            raise AssertionError("invoking an unknown function succeeded")

    def async_invoke():
        response = fg.async_invoke_function(AsyncInvokeFunctionRequest(function_urn=hello, body={"name": "sdk"}))
        assert response.request_id, "no request_id in the answer"
        state["async_request_id"] = response.request_id

    def async_invocation_listed():
        request_id = state.get("async_request_id")
        assert request_id, "the async invoke gave no request id"
        deadline = time.monotonic() + ASYNC_WAIT_SECONDS
        while True:
            response = fg.list_async_invocations(
                ListAsyncInvocationsRequest(function_urn=hello, request_id=request_id)
            )
            records = [r for r in response.invocations or [] if r.request_id == request_id]
            assert records, f"request {request_id} is not listed: {response.invocations!r}"
            status = records[0].status
            if status == "SUCCESS":
                return
            assert status in ("WAIT", "RUNNING"), f"request {request_id} ended as {status!r}: {records[0]!r}"
            assert time.monotonic() < deadline, f"request {request_id} still {status} after {ASYNC_WAIT_SECONDS} s"
            time.sleep(0.2)

    def wrong_sk_is_refused():
        wrong = client(endpoint, ak, sk + "x", project)
        try:
            wrong.invoke_function(InvokeFunctionRequest(function_urn=hello, body={"name": "sdk"}))
        except ClientRequestException as e:
            assert e.status_code == 401, f"HTTP {e.status_code} {e.error_code}: {e.error_msg}"
            assert e.request_id, "no X-Request-Id header on the error"
        else:
            raise AssertionError("a request signed with a wrong SK succeeded")

    def greets(function):
        response = fg.invoke_function(
            InvokeFunctionRequest(function_urn=urn(project, function), x_cff_log_type="tail", body={"name": "sdk"})
        )
        assert response.status == 200, f"status {response.status!r}, result {response.result!r}"
        assert "Hello, sdk" in (response.result or ""), f"result {response.result!r}"
        assert "Start invoke request" in (response.log or ""), f"log {response.log!r}"

    checks.run("sync invoke, default headers", sync_default_headers)
    checks.run("sync invoke, log tail (v1)", sync_with_log_tail)
    checks.run("unknown function gives 404", unknown_function)
    checks.run("async invoke", async_invoke)
    checks.run("async invocation listed", async_invocation_listed)
    if expect_verify:
        checks.run("wrong SK gives 401", wrong_sk_is_refused)
    for function in filter(None, os.environ.get("EXTRA_FUNCTIONS", "").split(",")):
        checks.run(f"sync invoke, {function}", lambda: greets(function))

    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
