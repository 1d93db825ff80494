<?php
// fgs's PHP worker: loads RUNTIME_HANDLER once, then runs one call per control message.
//
// Protocol (see src/local/runtime/shim.rs): fgs writes to fd 3, this worker answers on fd 4
// (on Windows: a loopback socket, FGS_CONTROL="127.0.0.1:PORT/SECRET", the secret sent
// first); fd 1 and 2 are the log. Each message is one JSON line, followed by "len" raw
// bytes. The worker exits when the channel closes: fgs is gone, or done with it.
//   fgs -> worker: {"op": "init"|"invoke", "id", "deadline" (epoch ms), "version", "alias",
//                   "ak", "sk", "st", "token", "marker", "len"} + the event
//   worker -> fgs: first {"hello": true, "version", "setup"?, "load_error"?}, then per
//                   message {"ok", "code", "len", "exit"?} + the result; before each answer
//                   to "invoke" the marker is written to fd 1, after the call's output.
//                   "exit": a fatal error ended the call, and the worker ends after it.
// Everything here lives in its own namespace, so that no name of the function's can clash
// with the worker's.
namespace FgsWorker;

const MAX_LINE = 90 * 1024;
const LEVELS = ['DEBUG' => 10, 'INFO' => 20, 'WARN' => 30, 'WARNING' => 30, 'ERROR' => 40];
// Errors that end the script: PHP runs the shutdown function, then exits.
const FATAL = E_ERROR | E_PARSE | E_CORE_ERROR | E_COMPILE_ERROR | E_USER_ERROR | E_RECOVERABLE_ERROR;
const FATAL_TYPES = [
    E_ERROR => 'FatalError',
    E_PARSE => 'ParseError',
    E_CORE_ERROR => 'CoreError',
    E_COMPILE_ERROR => 'CompileError',
    E_USER_ERROR => 'UserError',
    E_RECOVERABLE_ERROR => 'RecoverableError',
];
// Error payloads are indented by 4 spaces, as the Go and Node.js runtimes write theirs.
const ERROR_JSON = JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE;

function env(string $name, string $default): string
{
    $value = getenv($name);
    return $value === false || $value === '' ? $default : $value;
}

final class Env
{
    public static $codeRoot;
    public static $funcName;
    public static $package;
    public static $projectId;
    public static $timeout;
    public static $memory;
    public static $cpu;
    public static $userData;

    public static function read(): void
    {
        self::$codeRoot = env('RUNTIME_CODE_ROOT', (string) getcwd());
        self::$funcName = env('RUNTIME_FUNC_NAME', '');
        self::$package = env('RUNTIME_PACKAGE', 'default');
        self::$projectId = env('RUNTIME_PROJECT_ID', '');
        self::$timeout = (int) env('RUNTIME_TIMEOUT', '3');
        self::$memory = (int) env('RUNTIME_MEMORY', '128');
        self::$cpu = (int) env('RUNTIME_CPU', '300');
        $data = json_decode(env('RUNTIME_USERDATA', '{}'), true);
        self::$userData = is_array($data) ? $data : [];
    }
}

/** $context->getLogger(): lines "<UTC time> <request id> <LEVEL> <message>" on stdout. */
final class Logger
{
    /** Shared: setLevel lasts for the instance. */
    private static $level = 20;
    private $requestId;

    public function __construct(string $requestId)
    {
        $this->requestId = $requestId;
    }

    public function setLevel($level): void
    {
        self::$level = LEVELS[strtoupper((string) $level)] ?? self::$level;
    }

    public function debug($message, ...$args): void
    {
        $this->log('DEBUG', 10, $message, $args);
    }

    public function info($message, ...$args): void
    {
        $this->log('INFO', 20, $message, $args);
    }

    public function warn($message, ...$args): void
    {
        $this->log('WARN', 30, $message, $args);
    }

    public function warning($message, ...$args): void
    {
        $this->log('WARN', 30, $message, $args);
    }

    public function error($message, ...$args): void
    {
        $this->log('ERROR', 40, $message, $args);
    }

    private function log(string $name, int $value, $message, array $args): void
    {
        if ($value < self::$level) {
            return;
        }
        $text = shown($message);
        if ($args) {
            $formatted = null;
            if (strpos($text, '%') !== false) {
                try {
                    $formatted = @vsprintf($text, array_map(__NAMESPACE__ . '\shown', $args));
                } catch (\Throwable $e) {
                    $formatted = null;
                }
            }
            $text = is_string($formatted) ? $formatted
                : implode(' ', array_merge([$text], array_map(__NAMESPACE__ . '\shown', $args)));
        }
        $stamp = gmdate('Y-m-d\TH:i:s\Z');
        $out = '';
        $length = strlen($text);
        for ($i = 0; $i < max($length, 1); $i += MAX_LINE) {
            $out .= "$stamp {$this->requestId} $name " . substr($text, $i, MAX_LINE) . "\n";
        }
        fwrite(STDOUT, $out);
    }
}

/** A value as a log line shows it: strings as they are, the rest as JSON. */
function shown($value): string
{
    if (is_string($value)) {
        return $value;
    }
    if (is_scalar($value) || $value === null) {
        return json_encode($value);
    }
    if ($value instanceof \Stringable || (is_object($value) && method_exists($value, '__toString'))) {
        return (string) $value;
    }
    $json = json_encode($value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PARTIAL_OUTPUT_ON_ERROR);
    return $json === false ? print_r($value, true) : $json;
}

/** The context object, with every method the service documents. */
final class Context
{
    private $head;
    private $logger;

    public function __construct(array $head)
    {
        $this->head = $head;
        $this->logger = new Logger((string) ($head['id'] ?? ''));
    }

    private function field(string $key): string
    {
        return (string) ($this->head[$key] ?? '');
    }

    public function getRequestID(): string
    {
        return $this->field('id');
    }

    public function getRemainingTimeInMilliSeconds(): int
    {
        $left = (int) ($this->head['deadline'] ?? 0) - (int) floor(microtime(true) * 1000);
        return max(0, $left);
    }

    public function getAccessKey(): string
    {
        return $this->field('ak');
    }

    public function getSecretKey(): string
    {
        return $this->field('sk');
    }

    public function getSecurityAccessKey(): string
    {
        return $this->field('ak');
    }

    public function getSecuritySecretKey(): string
    {
        return $this->field('sk');
    }

    public function getSecurityToken(): string
    {
        return $this->field('st');
    }

    public function getToken(): string
    {
        return $this->field('token');
    }

    public function getUserData($key, $default = null)
    {
        return Env::$userData[$key] ?? $default;
    }

    public function getFunctionName(): string
    {
        return Env::$funcName;
    }

    public function getRunningTimeInSeconds(): int
    {
        return Env::$timeout;
    }

    public function getVersion(): string
    {
        return $this->field('version');
    }

    public function getMemorySize(): int
    {
        return Env::$memory;
    }

    public function getCPUNumber(): int
    {
        return Env::$cpu;
    }

    public function getProjectID(): string
    {
        return Env::$projectId;
    }

    public function getPackage(): string
    {
        return Env::$package;
    }

    public function getLogger(): Logger
    {
        return $this->logger;
    }

    public function getAlias(): string
    {
        return $this->field('alias');
    }
}

/** A path under the function's directory as "./file", as the service shows it. */
function relative(string $path): string
{
    $root = Env::$codeRoot . DIRECTORY_SEPARATOR;
    return strncmp($path, $root, strlen($root)) === 0 ? './' . substr($path, strlen($root)) : $path;
}

/** The frames of $e that are the function's, PHP's trace format, paths relative. */
function stack(\Throwable $e): array
{
    // An error raised by the call itself (a handler's parameter of the wrong type) has no
    // place of its own in the function's files.
    $frames = $e->getFile() === __FILE__ ? [] : [relative($e->getFile()) . '(' . $e->getLine() . ')'];
    foreach ($e->getTrace() as $frame) {
        $file = $frame['file'] ?? '';
        if ($file === __FILE__) {
            break; // below: fgs's worker calling the handler
        }
        $call = ($frame['class'] ?? '') . ($frame['type'] ?? '') . $frame['function'] . '()';
        $frames[] = ($file === '' ? '[internal function]' : relative($file) . '(' . ($frame['line'] ?? 0) . ')') . ': ' . $call;
    }
    return $frames;
}

function error_result(string $prefix, \Throwable $e): string
{
    // A handler's parameter of the wrong type: the call is fgs's, not the function's.
    $message = preg_replace('/, called in ' . preg_quote(__FILE__, '/') . ' on line \d+/', '', $e->getMessage());
    return json_encode([
        'errorMessage' => $prefix . $message,
        'errorType' => get_class($e),
        'stackTrace' => stack($e),
    ], ERROR_JSON);
}

/** The user function $name declared in $file: global, else in a namespace of that file. */
function find_function(string $name, string $file): ?\ReflectionFunction
{
    if (function_exists($name)) {
        return new \ReflectionFunction($name);
    }
    foreach (functions_of($file) as $fn) {
        $short = substr(strrchr('\\' . $fn->getName(), '\\'), 1);
        if (strcasecmp($short, $name) === 0) {
            return $fn;
        }
    }
    return null;
}

/** @return \ReflectionFunction[] the user functions declared in $file */
function functions_of(string $file): array
{
    $found = [];
    foreach (get_defined_functions()['user'] as $name) {
        $fn = new \ReflectionFunction($name);
        if ($fn->getFileName() === $file) {
            $found[] = $fn;
        }
    }
    return $found;
}

/** [function, null, null] or [null, setup message, null] or [null, null, load error]. */
function load(string $spec): array
{
    $dot = strrpos($spec, '.');
    $file = substr($spec, 0, $dot === false ? strlen($spec) : $dot);
    $name = $dot === false ? '' : substr($spec, $dot + 1);
    $path = Env::$codeRoot . DIRECTORY_SEPARATOR . str_replace('/', DIRECTORY_SEPARATOR, $file) . '.php';
    if (!is_file($path)) {
        return [null, "$file.php is not in " . Env::$codeRoot . " (handler $spec)", null];
    }
    $real = realpath($path) ?: $path;
    try {
        (static function (string $__fgs_file) {
            require_once $__fgs_file;
        })($real);
    } catch (\Throwable $e) {
        return [null, null, error_result('function entry exception, error: ', $e)];
    }
    $fn = find_function($name, $real);
    if ($fn === null) {
        $names = array_map(static function ($f) {
            return $f->getName();
        }, functions_of($real));
        sort($names);
        $shown = $names ? implode(', ', $names) : 'none';
        return [null, relative($real) . " has no function $name (handler $spec); its functions: $shown", null];
    }
    return [$fn, null, null];
}

/** The result as the service sends it: null empty, a string as it is, the rest as JSON. */
function encode($result): string
{
    if ($result === null) {
        return '';
    }
    if (is_string($result)) {
        return $result;
    }
    $json = json_encode($result);
    if ($json === false) {
        throw new \JsonException(json_last_error_msg(), json_last_error());
    }
    return $json;
}

final class Control
{
    private $in;
    private $out;

    public function __construct()
    {
        $spec = getenv('FGS_CONTROL');
        putenv('FGS_CONTROL');
        unset($_ENV['FGS_CONTROL'], $_SERVER['FGS_CONTROL']);
        if ($spec === false || $spec === '') {
            $this->in = fopen('php://fd/3', 'rb');
            $this->out = fopen('php://fd/4', 'wb');
        } else {
            $slash = strrpos($spec, '/');
            $context = stream_context_create(['socket' => ['tcp_nodelay' => true]]);
            $socket = stream_socket_client('tcp://' . substr($spec, 0, $slash), $errno, $errstr, 30, STREAM_CLIENT_CONNECT, $context);
            if ($socket === false) {
                fwrite(STDERR, "fgs worker: cannot connect the control channel: $errstr\n");
                exit(1);
            }
            $this->in = $socket;
            $this->out = $socket;
            $this->send(substr($spec, $slash + 1) . "\n");
        }
        if ($this->in === false || $this->out === false) {
            fwrite(STDERR, "fgs worker: the control channel is not open\n");
            exit(1);
        }
    }

    public function send(string $data): void
    {
        $length = strlen($data);
        for ($at = 0; $at < $length; $at += $written) {
            $written = fwrite($this->out, $at === 0 ? $data : substr($data, $at));
            if ($written === false || $written === 0) {
                exit(0); // fgs is gone
            }
        }
    }

    /** The next message: [head, body], or null when fgs closed the channel. */
    public function receive(): ?array
    {
        $line = fgets($this->in);
        if ($line === false) {
            return null;
        }
        $head = json_decode($line, true);
        $size = (int) ($head['len'] ?? 0);
        $body = '';
        while (strlen($body) < $size) {
            $chunk = fread($this->in, $size - strlen($body));
            if ($chunk === false || $chunk === '') {
                return null;
            }
            $body .= $chunk;
        }
        return [$head, $body];
    }

    /** $exit: the worker ends after this answer. */
    public function answer(bool $ok, int $code, string $payload, bool $exit = false): void
    {
        $head = sprintf('{"ok":%s,"code":%d,"len":%d%s}', $ok ? 'true' : 'false', $code, strlen($payload), $exit ? ',"exit":true' : '');
        $this->send($head . "\n" . $payload);
    }
}

final class Worker
{
    private $control;
    private $handler;
    private $initializer;
    private $loadError;
    /** The message being run, for a fatal error to answer. */
    private $current;

    public function __construct(Control $control)
    {
        $this->control = $control;
    }

    public function start(): void
    {
        // fgs enforces the memory limit on the whole process, as for every runtime; PHP's
        // warnings and errors go to the log once, as the CLI prints them.
        ini_set('memory_limit', '-1');
        ini_set('display_errors', 'stderr');
        ini_set('log_errors', '0');
        set_include_path(Env::$codeRoot . PATH_SEPARATOR . get_include_path());
        register_shutdown_function([$this, 'shutdown']);
        $hello = ['hello' => true, 'version' => PHP_VERSION];
        [$handler, $setup, $this->loadError] = load(env('RUNTIME_HANDLER', 'index.handler'));
        $this->handler = $handler === null ? null : $handler->getClosure();
        $initSpec = env('RUNTIME_INITIALIZER_HANDLER', '');
        if ($this->handler !== null && $initSpec !== '') {
            [$initializer, $setup, $initError] = load($initSpec);
            $this->initializer = $initializer === null ? null : $initializer->getClosure();
            $this->loadError = $this->loadError ?? $initError;
        }
        if ($setup !== null) {
            $hello['setup'] = $setup;
        }
        if ($this->loadError !== null) {
            $hello['load_error'] = $this->loadError;
        }
        $this->control->send(json_encode($hello, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE) . "\n");
        while (($message = $this->control->receive()) !== null) {
            [$head, $body] = $message;
            $this->current = $head;
            [$ok, $code, $out] = $this->run($head, $body);
            $this->finish($head, $ok, $code, $out);
        }
        // fgs closed the channel: exit now.
        $this->current = null;
        flush_output();
        exit(0);
    }

    private function run(array $head, string $body): array
    {
        if ($this->loadError !== null) {
            return [false, 4001, $this->loadError];
        }
        $context = new Context($head);
        if (($head['op'] ?? '') === 'init') {
            try {
                ($this->initializer)($context);
            } catch (\Throwable $e) {
                return [false, 4009, error_result('function initialization exception, error: ', $e)];
            }
            return [true, 0, ''];
        }
        $event = $body === '' ? [] : json_decode($body, true);
        if ($body !== '' && json_last_error() !== JSON_ERROR_NONE) {
            $event = $body;
        }
        try {
            $result = ($this->handler)($event, $context);
        } catch (\Throwable $e) {
            return [false, 4002, error_result('function invocation exception, error: ', $e)];
        }
        try {
            return [true, 0, encode($result)];
        } catch (\Throwable $e) {
            return [false, 4007, json_encode([
                'errorMessage' => 'function result is invalid, error: ' . $e->getMessage(),
                'errorType' => get_class($e),
            ], ERROR_JSON)];
        }
    }

    private function finish(array $head, bool $ok, int $code, string $out, bool $exit = false): void
    {
        $this->current = null;
        flush_output();
        if (($head['op'] ?? '') === 'invoke') {
            fwrite(STDOUT, (string) ($head['marker'] ?? ''));
        }
        $this->control->answer($ok, $code, $out, $exit);
    }

    /** A fatal error during a call is that call's answer; the process exits after it. */
    public function shutdown(): void
    {
        $head = $this->current;
        $error = error_get_last();
        if ($head === null || $error === null || !($error['type'] & FATAL)) {
            return;
        }
        $op = $head['op'] ?? '';
        $prefix = $op === 'init' ? 'function initialization exception, error: ' : 'function invocation exception, error: ';
        $out = json_encode([
            'errorMessage' => $prefix . $error['message'],
            'errorType' => FATAL_TYPES[$error['type']] ?? 'FatalError',
            'stackTrace' => [relative((string) $error['file']) . '(' . $error['line'] . ')'],
        ], ERROR_JSON);
        $this->finish($head, false, $op === 'init' ? 4009 : 4002, $out, true);
    }
}

/** Write out what the function left in output buffers. */
function flush_output(): void
{
    while (ob_get_level() > 0) {
        if (!@ob_end_flush()) {
            break;
        }
    }
}

Env::read();
(new Worker(new Control()))->start();
