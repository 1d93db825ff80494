// fgs's Node.js worker: loads RUNTIME_HANDLER once, then runs one call per control message.
//
// Protocol (see src/local/runtime/shim.rs): fgs writes to fd 3, this worker answers on fd 4
// (on Windows: a loopback socket, FGS_CONTROL="127.0.0.1:PORT/SECRET", the secret sent
// first); fd 1 and 2 are the log. Each message is one JSON line, followed by "len" raw
// bytes. The worker exits when the channel closes: fgs is gone, or done with it.
//   fgs -> worker: {"op": "init"|"invoke", "id", "deadline" (epoch ms), "version", "alias",
//                   "ak", "sk", "st", "token", "marker", "len"} + the event
//   worker -> fgs: first {"hello": true, "version", "setup"?, "load_error"?}, then per
//                   message {"ok", "code", "len"} + the result; before each answer to
//                   "invoke" the marker is written to fd 1, after the call's output.
'use strict';
const fs = require('fs');
const net = require('net');
const path = require('path');
const util = require('util');
const url = require('url');

const SHIM = __filename;
const env = process.env;
const CODE_ROOT = env.RUNTIME_CODE_ROOT || process.cwd();
const FUNC_NAME = env.RUNTIME_FUNC_NAME || '';
const PACKAGE = env.RUNTIME_PACKAGE || 'default';
const PROJECT_ID = env.RUNTIME_PROJECT_ID || '';
const TIMEOUT = parseInt(env.RUNTIME_TIMEOUT || '3', 10);
const MEMORY = parseInt(env.RUNTIME_MEMORY || '128', 10);
const CPU = parseInt(env.RUNTIME_CPU || '300', 10);
let USERDATA = {};
try {
  USERDATA = JSON.parse(env.RUNTIME_USERDATA || '{}');
} catch (e) {
  USERDATA = {};
}
const MAX_LINE = 90 * 1024;
const LEVELS = { DEBUG: 10, INFO: 20, WARN: 30, WARNING: 30, ERROR: 40 };
let logLevel = 20; // setLevel lasts for the instance

function stamp() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

class Logger {
  constructor(requestId) {
    this.requestId = requestId;
  }
  setLevel(level) {
    const value = LEVELS[String(level).toUpperCase()];
    if (value !== undefined) logLevel = value;
  }
  log(name, value, args) {
    if (value < logLevel) return;
    const text = util.format(...args);
    const at = stamp();
    let out = '';
    for (let i = 0; i < Math.max(text.length, 1); i += MAX_LINE) {
      out += `${at} ${this.requestId} ${name} ${text.slice(i, i + MAX_LINE)}\n`;
    }
    process.stdout.write(out);
  }
  debug(...args) { this.log('DEBUG', 10, args); }
  info(...args) { this.log('INFO', 20, args); }
  warn(...args) { this.log('WARN', 30, args); }
  error(...args) { this.log('ERROR', 40, args); }
}

// The context object, with every method the service documents.
class Context {
  constructor(head) {
    this.head = head;
    this.logger = new Logger(head.id || '');
  }
  getRequestID() { return this.head.id || ''; }
  getRemainingTimeInMilliSeconds() { return Math.max(0, Math.floor((this.head.deadline || 0) - Date.now())); }
  getAccessKey() { return this.head.ak || ''; }
  getSecretKey() { return this.head.sk || ''; }
  getSecurityAccessKey() { return this.head.ak || ''; }
  getSecuritySecretKey() { return this.head.sk || ''; }
  getSecurityToken() { return this.head.st || ''; }
  getToken() { return this.head.token || ''; }
  getUserData(key) { return USERDATA[key]; }
  getFunctionName() { return FUNC_NAME; }
  getRunningTimeInSeconds() { return TIMEOUT; }
  getVersion() { return this.head.version || ''; }
  getMemorySize() { return MEMORY; }
  getCPUNumber() { return CPU; }
  getProjectID() { return PROJECT_ID; }
  getPackage() { return PACKAGE; }
  getLogger() { return this.logger; }
  getAlias() { return this.head.alias || ''; }
}

function relative(text) {
  const root = CODE_ROOT + path.sep;
  return text.split(url.pathToFileURL(root).href).join('./').split(root).join('./');
}

function isUsers(line) {
  return line.includes(CODE_ROOT + path.sep) || line.includes(url.pathToFileURL(CODE_ROOT + path.sep).href);
}

function stackOf(err) {
  const stack = err && typeof err.stack === 'string' ? err.stack : '';
  const frames = stack
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('at ') && !l.includes(SHIM) && !l.includes('node:internal'));
  // Below the function's own last frame are fgs's worker and Node.js's event loop.
  let last = -1;
  frames.forEach((l, i) => { if (isUsers(l)) last = i; });
  const kept = last >= 0 ? frames.slice(0, last + 1) : frames.filter((l) => !l.includes('(node:'));
  // A SyntaxError has no frames of its own: its first line names the file and line.
  if (kept.length === 0 && err instanceof SyntaxError) {
    const where = stack.split('\n')[0].trim();
    if (isUsers(where)) return [relative(where)];
  }
  return kept.map(relative);
}

function messageOf(err) {
  return err instanceof Error ? err.message : String(err);
}

function typeOf(err) {
  return (err && err.name) || 'Error';
}

function errorJson(fields) {
  return Buffer.from(JSON.stringify(fields, null, 4));
}

function thrown(prefix, err) {
  return errorJson({ errorMessage: prefix + messageOf(err), errorType: typeOf(err), stackTrace: stackOf(err) });
}

function encode(data) {
  if (data === undefined || data === null) return Buffer.alloc(0);
  if (typeof data === 'string') return Buffer.from(data);
  if (Buffer.isBuffer(data)) return data;
  const text = JSON.stringify(data);
  return text === undefined ? Buffer.alloc(0) : Buffer.from(text);
}

function writeAll(fd, buffer) {
  let at = 0;
  while (at < buffer.length) {
    try {
      at += fs.writeSync(fd, buffer, at);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
    }
  }
}

// The control channel: fds 3 and 4, or on Windows the socket FGS_CONTROL names.
const CONTROL = env.FGS_CONTROL || '';
delete env.FGS_CONTROL;
let socket = null;
if (CONTROL) {
  const slash = CONTROL.lastIndexOf('/');
  const address = CONTROL.slice(0, slash);
  const colon = address.lastIndexOf(':');
  socket = net.connect({ host: address.slice(0, colon), port: parseInt(address.slice(colon + 1), 10) });
  socket.on('error', () => process.exit(0));
  socket.setNoDelay(true);
  socket.write(CONTROL.slice(slash + 1) + '\n');
}

function send(buffer) {
  if (socket) socket.write(buffer);
  else writeAll(4, buffer);
}

function answer(ok, code, payload) {
  const head = Buffer.from(`{"ok":${ok},"code":${code},"len":${payload.length}}\n`);
  send(payload.length ? Buffer.concat([head, payload]) : head);
}

async function load(spec) {
  const dot = spec.lastIndexOf('.');
  const file = spec.slice(0, dot);
  const name = spec.slice(dot + 1);
  const base = path.join(CODE_ROOT, file);
  const full = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((p) => fs.existsSync(p));
  if (!full) return { setup: `${file}.js is not in ${CODE_ROOT} (handler ${spec})` };
  let mod;
  try {
    if (full.endsWith('.mjs')) {
      mod = await import(url.pathToFileURL(full).href);
    } else {
      try {
        mod = require(full);
      } catch (e) {
        if (e.code !== 'ERR_REQUIRE_ESM') throw e;
        mod = await import(url.pathToFileURL(full).href);
      }
    }
  } catch (e) {
    return { loadError: thrown('function entry exception, error: ', e) };
  }
  let fn = mod ? mod[name] : undefined;
  if (fn === undefined && mod && mod.default && typeof mod.default === 'object') fn = mod.default[name];
  if (typeof fn !== 'function') {
    const found = mod ? Object.keys(mod).filter((k) => typeof mod[k] === 'function').sort() : [];
    const shown = found.length ? found.join(', ') : 'none';
    return { setup: `${relative(full)} exports no function ${name} (handler ${spec}); its top-level functions: ${shown}` };
  }
  return { fn };
}

let handler = null;
let initializer = null;
let loadError = null;
// The call in progress: a function that ends it, used for exceptions thrown later.
let current = null;

function arityError(what, expected, got) {
  return errorJson({
    errorMessage: `function entry exception, error: ${what} expect to have ${expected} parameters, but received ${got}`,
    errorType: 'FunctionLoadError',
  });
}

function run(head, body) {
  let settled = false;
  const finish = (ok, code, payload) => {
    if (settled) return;
    settled = true;
    current = null;
    if (head.op === 'invoke') writeAll(1, Buffer.from(head.marker));
    answer(ok, code, payload);
  };
  const success = (data) => {
    let payload;
    try {
      payload = encode(data);
    } catch (e) {
      return finish(false, 4007, errorJson({ errorMessage: 'function result is invalid, error: ' + messageOf(e), errorType: typeOf(e) }));
    }
    finish(true, 0, payload);
  };
  const context = new Context(head);
  if (loadError) return finish(false, 4001, loadError);
  if (head.op === 'init') {
    const failed = (e) => finish(false, 4009, thrown('function initialization exception, error: ', e));
    current = (e) => failed(e);
    if (initializer.length !== 2) return finish(false, 4009, arityError('initializer', 2, initializer.length));
    try {
      const r = initializer(context, (err) => (err ? failed(err) : finish(true, 0, Buffer.alloc(0))));
      if (r && typeof r.then === 'function') r.then(() => finish(true, 0, Buffer.alloc(0)), failed);
    } catch (e) {
      failed(e);
    }
    return;
  }
  const failed = (e) => finish(false, 4002, thrown('function invocation exception, error: ', e));
  current = failed;
  let event;
  const text = body.toString('utf8');
  try {
    event = text.length ? JSON.parse(text) : {};
  } catch (e) {
    event = text;
  }
  const callback = (err, data) => {
    if (err !== null && err !== undefined) {
      finish(false, 4002, errorJson({ errorMessage: 'function entry exception, error: ' + messageOf(err), errorType: typeOf(err) }));
    } else {
      success(data);
    }
  };
  let r;
  try {
    r = handler(event, context, callback);
  } catch (e) {
    return failed(e);
  }
  if (r && typeof r.then === 'function') {
    r.then(success, failed);
  } else if (handler.length < 3) {
    success(r);
  }
  // Otherwise a callback-style handler: the call ends when it calls back.
}

for (const signal of ['uncaughtException', 'unhandledRejection']) {
  process.on(signal, (err) => {
    if (current) current(err);
    else process.stderr.write(`${signal}: ${(err && err.stack) || err}\n`);
  });
}

function serve() {
  // Chunks are joined once per message, not once per chunk: a 6 MB event arrives in ~100.
  let chunks = [];
  let total = 0;
  let head = null;
  const joined = () => (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
  const keep = (rest) => {
    chunks = rest.length ? [rest] : [];
    total = rest.length;
  };
  const input = socket || new net.Socket({ fd: 3, readable: true, writable: false });
  input.on('data', (chunk) => {
    chunks.push(chunk);
    total += chunk.length;
    for (;;) {
      if (head === null) {
        const buffer = joined();
        const nl = buffer.indexOf(10);
        if (nl < 0) {
          keep(buffer);
          return;
        }
        head = JSON.parse(buffer.subarray(0, nl).toString('utf8'));
        keep(buffer.subarray(nl + 1));
      }
      const size = head.len || 0;
      if (total < size) return;
      const buffer = joined();
      const message = head;
      head = null;
      keep(buffer.subarray(size));
      run(message, buffer.subarray(0, size));
      if (total === 0) return;
    }
  });
  input.on('end', () => process.exit(0));
  input.on('error', () => process.exit(0));
}

async function main() {
  const hello = { hello: true, version: process.versions.node };
  const loaded = await load(env.RUNTIME_HANDLER || 'index.handler');
  if (loaded.setup) hello.setup = loaded.setup;
  if (loaded.loadError) loadError = loaded.loadError;
  if (loaded.fn) {
    handler = loaded.fn;
    if (handler.length !== 2 && handler.length !== 3) loadError = arityError('handler', '2 or 3', handler.length);
  }
  if (!hello.setup && env.RUNTIME_INITIALIZER_HANDLER) {
    const init = await load(env.RUNTIME_INITIALIZER_HANDLER);
    if (init.setup) hello.setup = init.setup;
    if (init.loadError && !loadError) loadError = init.loadError;
    initializer = init.fn || null;
  }
  if (loadError) hello.load_error = loadError.toString('utf8');
  send(Buffer.from(JSON.stringify(hello) + '\n'));
  serve();
}

main();
