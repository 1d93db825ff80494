# fgs's Python worker: loads RUNTIME_HANDLER once, then runs one call per control message.
#
# Protocol (see src/local/runtime/shim.rs): fgs writes to fd 3, this worker answers on fd 4
# (on Windows: a loopback socket, FGS_CONTROL="127.0.0.1:PORT/SECRET", the secret sent
# first); fd 1 and 2 are the log. Each message is one JSON line, followed by "len" raw
# bytes. The worker exits when the channel closes: fgs is gone, or done with it.
#   fgs -> worker: {"op": "init"|"invoke", "id", "deadline" (epoch ms), "version", "alias",
#                   "ak", "sk", "st", "token", "marker", "len"} + the event
#   worker -> fgs: first {"hello": true, "version", "setup"?, "load_error"?}, then per
#                   message {"ok", "code", "len"} + the result; before each answer to
#                   "invoke" the marker is written to fd 1, after the call's output.
# Only modules Python has loaded anyway are imported here, to keep the start fast.
import json
import os
import sys
import time

SHIM = os.path.abspath(__file__)
ENV = os.environ
CODE_ROOT = ENV.get("RUNTIME_CODE_ROOT", os.getcwd())
FUNC_NAME = ENV.get("RUNTIME_FUNC_NAME", "")
PACKAGE = ENV.get("RUNTIME_PACKAGE", "default")
PROJECT_ID = ENV.get("RUNTIME_PROJECT_ID", "")
TIMEOUT = int(ENV.get("RUNTIME_TIMEOUT", "3") or 3)
MEMORY = int(ENV.get("RUNTIME_MEMORY", "128") or 128)
CPU = int(ENV.get("RUNTIME_CPU", "300") or 300)
try:
    USERDATA = json.loads(ENV.get("RUNTIME_USERDATA") or "{}")
except ValueError:
    USERDATA = {}
MAX_LINE = 90 * 1024
LEVELS = {"DEBUG": 10, "INFO": 20, "WARN": 30, "WARNING": 30, "ERROR": 40}


class Logger:
    """context.getLogger(): lines "<UTC time> <request id> <LEVEL> <message>" on stdout."""

    level = 20  # shared: setLevel lasts for the instance

    def __init__(self, request_id):
        self._id = request_id

    def setLevel(self, level):
        Logger.level = LEVELS.get(str(level).upper(), Logger.level)

    def _log(self, name, value, msg, args):
        if value < Logger.level:
            return
        text = str(msg)
        if args:
            try:
                text = text % args
            except (TypeError, ValueError):
                text = " ".join([text] + [str(a) for a in args])
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        out = sys.stdout
        for i in range(0, max(len(text), 1), MAX_LINE):
            out.write("%s %s %s %s\n" % (stamp, self._id, name, text[i : i + MAX_LINE]))

    def debug(self, msg, *args):
        self._log("DEBUG", 10, msg, args)

    def info(self, msg, *args):
        self._log("INFO", 20, msg, args)

    def warn(self, msg, *args):
        self._log("WARN", 30, msg, args)

    warning = warn

    def error(self, msg, *args):
        self._log("ERROR", 40, msg, args)


class Context:
    """The context object, with every method the service documents."""

    def __init__(self, head):
        self._head = head
        self._logger = Logger(head.get("id", ""))

    def getRequestID(self):
        return self._head.get("id", "")

    def getRemainingTimeInMilliSeconds(self):
        return max(0, int(self._head.get("deadline", 0) - time.time() * 1000))

    def getAccessKey(self):
        return self._head.get("ak", "")

    def getSecretKey(self):
        return self._head.get("sk", "")

    def getSecurityAccessKey(self):
        return self._head.get("ak", "")

    def getSecuritySecretKey(self):
        return self._head.get("sk", "")

    def getSecurityToken(self):
        return self._head.get("st", "")

    def getToken(self):
        return self._head.get("token", "")

    def getUserData(self, key, default=None):
        return USERDATA.get(key, default)

    def getFunctionName(self):
        return FUNC_NAME

    def getRunningTimeInSeconds(self):
        return TIMEOUT

    def getVersion(self):
        return self._head.get("version", "")

    def getMemorySize(self):
        return MEMORY

    def getCPUNumber(self):
        return CPU

    def getProjectID(self):
        return PROJECT_ID

    def getPackage(self):
        return PACKAGE

    def getLogger(self):
        return self._logger

    def getAlias(self):
        return self._head.get("alias", "")


def relative(path):
    if path.startswith(CODE_ROOT + os.sep):
        return "./" + path[len(CODE_ROOT) + 1 :]
    return path


def error_result(prefix, exc):
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != SHIM]
    stack = []
    for f in frames:
        entry = 'File "%s", line %s, in %s' % (relative(f.filename), f.lineno, f.name)
        if f.line:
            entry += ": " + f.line.strip()
        stack.append(entry)
    return {
        "errorMessage": prefix + str(exc),
        "errorType": type(exc).__name__,
        "stackTrace": stack,
    }


def load(spec):
    """(function, None, None) or (None, setup message, None) or (None, None, load error)."""
    file, _, name = spec.rpartition(".")
    module_name = file.replace("/", ".")
    try:
        __import__(module_name)
        module = sys.modules[module_name]
    except Exception as e:  # the module raised while loading
        return None, None, error_result("function entry exception, error: ", e)
    fn = getattr(module, name, None)
    if not callable(fn):
        where = relative(getattr(module, "__file__", None) or file + ".py")
        found = sorted(
            k
            for k, v in vars(module).items()
            if callable(v) and not k.startswith("_") and getattr(v, "__module__", None) == module.__name__
        )
        shown = ", ".join(found) if found else "none"
        message = "%s has no function %s (handler %s); its top-level callables: %s"
        return None, message % (where, name, spec, shown), None
    return fn, None, None


def encode(result):
    if result is None:
        return b""
    if isinstance(result, str):
        return result.encode("utf-8", "surrogatepass")
    if isinstance(result, (bytes, bytearray)):
        return bytes(result)
    return json.dumps(result).encode("utf-8")


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def open_control():
    """The control channel: (a binary reader, a function that sends bytes)."""
    spec = ENV.pop("FGS_CONTROL", "")
    if not spec:
        os.set_inheritable(3, False)
        os.set_inheritable(4, False)
        return os.fdopen(3, "rb", buffering=1 << 16), lambda data: write_all(4, data)
    import socket

    address, secret = spec.rsplit("/", 1)
    host, port = address.rsplit(":", 1)
    sock = socket.create_connection((host, int(port)))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.sendall(secret.encode() + b"\n")
    return sock.makefile("rb", buffering=1 << 16), sock.sendall


def flush_all():
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except Exception:
            pass


def main():
    control, send = open_control()
    sys.path[0] = CODE_ROOT
    # Line by line, like stderr, so that the log keeps the order of writes to both and a
    # killed instance (timeout, memory) loses no complete line; "\n" as written, as on the
    # service (Windows would write "\r\n").
    try:
        sys.stdout.reconfigure(line_buffering=True)
    except Exception:
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(newline="\n")
        except Exception:
            pass

    hello = {"hello": True, "version": "%d.%d.%d" % sys.version_info[:3]}
    handler, setup, load_error = load(ENV.get("RUNTIME_HANDLER", "index.handler"))
    initializer = None
    init_spec = ENV.get("RUNTIME_INITIALIZER_HANDLER")
    if handler is not None and init_spec:
        initializer, setup, init_error = load(init_spec)
        load_error = load_error or init_error
    if setup:
        hello["setup"] = setup
    if load_error:
        hello["load_error"] = json.dumps(load_error)
    send((json.dumps(hello) + "\n").encode())
    sys.stdout.flush()

    while True:
        line = control.readline()
        if not line:
            # fgs closed the channel: exit now, whatever threads the function left running.
            flush_all()
            os._exit(0)
        head = json.loads(line)
        size = head.get("len", 0)
        body = control.read(size) if size else b""
        op = head.get("op")
        ok, code = True, 0
        if load_error is not None:
            ok, code, out = False, 4001, hello["load_error"].encode()
        elif op == "init":
            out = b""
            try:
                initializer(Context(head))
            except Exception as e:
                ok, code = False, 4009
                out = json.dumps(error_result("function initialization exception, error: ", e)).encode()
        else:
            try:
                event = json.loads(body) if body else {}
            except ValueError:
                event = body.decode("utf-8", "replace")
            try:
                result = handler(event, Context(head))
                try:
                    out = encode(result)
                except Exception as e:
                    ok, code = False, 4007
                    out = json.dumps(
                        {
                            "errorMessage": "function result is invalid, error: " + str(e),
                            "errorType": type(e).__name__,
                        }
                    ).encode()
            except Exception as e:
                ok, code = False, 4002
                out = json.dumps(error_result("function invocation exception, error: ", e)).encode()
        flush_all()
        if op == "invoke":
            write_all(1, head["marker"].encode())
        answer = '{"ok":%s,"code":%d,"len":%d}\n' % ("true" if ok else "false", code, len(out))
        send(answer.encode() + out)


main()
