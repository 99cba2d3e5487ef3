import { fileURLToPath as __a2aFileURLToPath } from 'node:url';
import { dirname as __a2aDirname } from 'node:path';
const __filename = __a2aFileURLToPath(import.meta.url);
const __dirname = __a2aDirname(__filename);
globalThis.__A2A_LIBRARIES__ ??= new URL('../../shared/dist/libraries/', import.meta.url).href;
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
import * as __WEBPACK_EXTERNAL_MODULE__shared_dist_libraries_undici_on_first_use_js_c332fde4__ from "../../shared/dist/libraries/undici/on-first-use.js";
/******/ var __webpack_modules__ = ({

/***/ 770:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

/* unused reexport */ __nccwpck_require__(218);


/***/ }),

/***/ 218:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

var __webpack_unused_export__;


var net = __nccwpck_require__(9278);
var tls = __nccwpck_require__(4756);
var http = __nccwpck_require__(8611);
var https = __nccwpck_require__(5692);
var events = __nccwpck_require__(4434);
var assert = __nccwpck_require__(2613);
var util = __nccwpck_require__(9023);


__webpack_unused_export__ = httpOverHttp;
__webpack_unused_export__ = httpsOverHttp;
__webpack_unused_export__ = httpOverHttps;
__webpack_unused_export__ = httpsOverHttps;


function httpOverHttp(options) {
  var agent = new TunnelingAgent(options);
  agent.request = http.request;
  return agent;
}

function httpsOverHttp(options) {
  var agent = new TunnelingAgent(options);
  agent.request = http.request;
  agent.createSocket = createSecureSocket;
  agent.defaultPort = 443;
  return agent;
}

function httpOverHttps(options) {
  var agent = new TunnelingAgent(options);
  agent.request = https.request;
  return agent;
}

function httpsOverHttps(options) {
  var agent = new TunnelingAgent(options);
  agent.request = https.request;
  agent.createSocket = createSecureSocket;
  agent.defaultPort = 443;
  return agent;
}


function TunnelingAgent(options) {
  var self = this;
  self.options = options || {};
  self.proxyOptions = self.options.proxy || {};
  self.maxSockets = self.options.maxSockets || http.Agent.defaultMaxSockets;
  self.requests = [];
  self.sockets = [];

  self.on('free', function onFree(socket, host, port, localAddress) {
    var options = toOptions(host, port, localAddress);
    for (var i = 0, len = self.requests.length; i < len; ++i) {
      var pending = self.requests[i];
      if (pending.host === options.host && pending.port === options.port) {
        // Detect the request to connect same origin server,
        // reuse the connection.
        self.requests.splice(i, 1);
        pending.request.onSocket(socket);
        return;
      }
    }
    socket.destroy();
    self.removeSocket(socket);
  });
}
util.inherits(TunnelingAgent, events.EventEmitter);

TunnelingAgent.prototype.addRequest = function addRequest(req, host, port, localAddress) {
  var self = this;
  var options = mergeOptions({request: req}, self.options, toOptions(host, port, localAddress));

  if (self.sockets.length >= this.maxSockets) {
    // We are over limit so we'll add it to the queue.
    self.requests.push(options);
    return;
  }

  // If we are under maxSockets create a new one.
  self.createSocket(options, function(socket) {
    socket.on('free', onFree);
    socket.on('close', onCloseOrRemove);
    socket.on('agentRemove', onCloseOrRemove);
    req.onSocket(socket);

    function onFree() {
      self.emit('free', socket, options);
    }

    function onCloseOrRemove(err) {
      self.removeSocket(socket);
      socket.removeListener('free', onFree);
      socket.removeListener('close', onCloseOrRemove);
      socket.removeListener('agentRemove', onCloseOrRemove);
    }
  });
};

TunnelingAgent.prototype.createSocket = function createSocket(options, cb) {
  var self = this;
  var placeholder = {};
  self.sockets.push(placeholder);

  var connectOptions = mergeOptions({}, self.proxyOptions, {
    method: 'CONNECT',
    path: options.host + ':' + options.port,
    agent: false,
    headers: {
      host: options.host + ':' + options.port
    }
  });
  if (options.localAddress) {
    connectOptions.localAddress = options.localAddress;
  }
  if (connectOptions.proxyAuth) {
    connectOptions.headers = connectOptions.headers || {};
    connectOptions.headers['Proxy-Authorization'] = 'Basic ' +
        new Buffer(connectOptions.proxyAuth).toString('base64');
  }

  debug('making CONNECT request');
  var connectReq = self.request(connectOptions);
  connectReq.useChunkedEncodingByDefault = false; // for v0.6
  connectReq.once('response', onResponse); // for v0.6
  connectReq.once('upgrade', onUpgrade);   // for v0.6
  connectReq.once('connect', onConnect);   // for v0.7 or later
  connectReq.once('error', onError);
  connectReq.end();

  function onResponse(res) {
    // Very hacky. This is necessary to avoid http-parser leaks.
    res.upgrade = true;
  }

  function onUpgrade(res, socket, head) {
    // Hacky.
    process.nextTick(function() {
      onConnect(res, socket, head);
    });
  }

  function onConnect(res, socket, head) {
    connectReq.removeAllListeners();
    socket.removeAllListeners();

    if (res.statusCode !== 200) {
      debug('tunneling socket could not be established, statusCode=%d',
        res.statusCode);
      socket.destroy();
      var error = new Error('tunneling socket could not be established, ' +
        'statusCode=' + res.statusCode);
      error.code = 'ECONNRESET';
      options.request.emit('error', error);
      self.removeSocket(placeholder);
      return;
    }
    if (head.length > 0) {
      debug('got illegal response body from proxy');
      socket.destroy();
      var error = new Error('got illegal response body from proxy');
      error.code = 'ECONNRESET';
      options.request.emit('error', error);
      self.removeSocket(placeholder);
      return;
    }
    debug('tunneling connection has established');
    self.sockets[self.sockets.indexOf(placeholder)] = socket;
    return cb(socket);
  }

  function onError(cause) {
    connectReq.removeAllListeners();

    debug('tunneling socket could not be established, cause=%s\n',
          cause.message, cause.stack);
    var error = new Error('tunneling socket could not be established, ' +
                          'cause=' + cause.message);
    error.code = 'ECONNRESET';
    options.request.emit('error', error);
    self.removeSocket(placeholder);
  }
};

TunnelingAgent.prototype.removeSocket = function removeSocket(socket) {
  var pos = this.sockets.indexOf(socket)
  if (pos === -1) {
    return;
  }
  this.sockets.splice(pos, 1);

  var pending = this.requests.shift();
  if (pending) {
    // If we have pending requests and a socket gets closed a new one
    // needs to be created to take over in the pool for the one that closed.
    this.createSocket(pending, function(socket) {
      pending.request.onSocket(socket);
    });
  }
};

function createSecureSocket(options, cb) {
  var self = this;
  TunnelingAgent.prototype.createSocket.call(self, options, function(socket) {
    var hostHeader = options.request.getHeader('host');
    var tlsOptions = mergeOptions({}, self.options, {
      socket: socket,
      servername: hostHeader ? hostHeader.replace(/:.*$/, '') : options.host
    });

    // 0 is dummy port for v0.6
    var secureSocket = tls.connect(0, tlsOptions);
    self.sockets[self.sockets.indexOf(socket)] = secureSocket;
    cb(secureSocket);
  });
}


function toOptions(host, port, localAddress) {
  if (typeof host === 'string') { // since v0.10
    return {
      host: host,
      port: port,
      localAddress: localAddress
    };
  }
  return host; // for v0.11 or later
}

function mergeOptions(target) {
  for (var i = 1, len = arguments.length; i < len; ++i) {
    var overrides = arguments[i];
    if (typeof overrides === 'object') {
      var keys = Object.keys(overrides);
      for (var j = 0, keyLen = keys.length; j < keyLen; ++j) {
        var k = keys[j];
        if (overrides[k] !== undefined) {
          target[k] = overrides[k];
        }
      }
    }
  }
  return target;
}


var debug;
if (process.env.NODE_DEBUG && /\btunnel\b/.test(process.env.NODE_DEBUG)) {
  debug = function() {
    var args = Array.prototype.slice.call(arguments);
    if (typeof args[0] === 'string') {
      args[0] = 'TUNNEL: ' + args[0];
    } else {
      args.unshift('TUNNEL:');
    }
    console.error.apply(console, args);
  }
} else {
  debug = function() {};
}
__webpack_unused_export__ = debug; // for test


/***/ }),

/***/ 471:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2609);
// Entry point of the bundle: runs the action. Everything else lives in main.ts and what it imports.

await (0,_main_js__WEBPACK_IMPORTED_MODULE_0__/* .run */ .e)();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 2609:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

// UNUSED EXPORTS: definition

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 22 modules
var lib_core = __nccwpck_require__(9407);
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:timers/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers/promises");
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __nccwpck_require__(8815);
// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __nccwpck_require__(3904);
// EXTERNAL MODULE: ./shared/src/secrets.ts
var secrets = __nccwpck_require__(9214);
;// CONCATENATED MODULE: ./shared/src/inputs.ts
// Typed readers for action inputs. Every reader throws a ConfigurationError naming the input and the fix.



/** Reads a string input; `undefined` when empty and not required. */
function readString(name, opts = {}) {
    const value = lib_core/* getInput */.V4(name, { trimWhitespace: true });
    if (opts.secret)
        (0,secrets/* registerSecret */.cl)(value);
    if (!value) {
        if (opts.required)
            throw new errors/* ConfigurationError */.j(`Input '${name}' is required: set it in the step's 'with:' block.`);
        return undefined;
    }
    return value;
}
/** Reads a secret input and registers it (and its derived forms) before anything can print it. */
function readSecret(name, opts = {}) {
    // Multi-line keys must keep their line breaks: read untrimmed, then trim the ends only.
    const raw = lib_core/* getInput */.V4(name, { trimWhitespace: false });
    (0,secrets/* registerSecret */.cl)(raw);
    const value = raw.trim();
    if (!value) {
        if (opts.required)
            throw new errors/* ConfigurationError */.j(`Input '${name}' is required: pass it from a secret, e.g. '${name}: \${{ secrets.NAME }}'.`);
        return undefined;
    }
    return value;
}
/** Reads an integer input within bounds. */
function readInt(name, opts = {}) {
    const raw = readString(name);
    if (raw === undefined)
        return opts.fallback;
    return parseIntValue(raw, `Input '${name}'`, opts);
}
/** Parses an integer with bounds; `what` names the input or config key in the error. */
function parseIntValue(raw, what, opts = {}) {
    const text = String(raw).trim();
    if (!/^-?\d+$/.test(text))
        throw new errors/* ConfigurationError */.j(`${what} must be a whole number, got '${truncate(text)}'.`);
    const n = Number(text);
    if (opts.min !== undefined && n < opts.min)
        throw new errors/* ConfigurationError */.j(`${what} must be at least ${opts.min}, got ${n}.`);
    if (opts.max !== undefined && n > opts.max)
        throw new errors/* ConfigurationError */.j(`${what} must be at most ${opts.max}, got ${n}.`);
    return n;
}
const DURATION_UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/**
 * Parses `250ms`, `90s`, `5m`, `1h`, `2d` into milliseconds. The unit is required (only `0` may go
 * without): a bare `500` could mean 500 ms or 500 s, and keys that used to end in `-ms` invite it.
 */
function parseDuration(raw, what) {
    const text = String(raw).trim();
    if (text === '0')
        return 0;
    const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(text);
    if (!m) {
        const bare = /^\d+(?:\.\d+)?$/.test(text);
        throw new errors/* ConfigurationError */.j(`${what} must be a duration with its unit, such as '90s', '5m' or '500ms', got '${truncate(text)}'${bare ? ` (write '${text}ms' or '${text}s')` : ''}.`);
    }
    return Math.round(Number(m[1]) * DURATION_UNITS[m[2]]);
}
function readDuration(name, fallbackMs, bounds) {
    const raw = readString(name);
    const ms = raw === undefined ? fallbackMs : parseDuration(raw, `Input '${name}'`);
    if (ms !== undefined && bounds && (ms < bounds.minMs || ms > bounds.maxMs)) {
        throw new errors/* ConfigurationError */.j(`Input '${name}' must be between ${formatBound(bounds.minMs)} and ${formatBound(bounds.maxMs)}, got ${formatBound(ms)}.`);
    }
    return ms;
}
function formatBound(ms) {
    for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]]) {
        if (ms >= size && ms % size === 0)
            return `${ms / size}${unit}`;
    }
    return `${ms}ms`;
}
/** Reads a newline- or comma-separated list; blank entries and `#` comments are dropped. */
function readList(name) {
    return splitList(lib_core/* getInput */.V4(name));
}
/** Splits a newline- or comma-separated list, dropping blanks and `#` comment lines. */
function splitList(raw) {
    return raw
        .split(/\r?\n/)
        .filter((line) => !line.trim().startsWith('#'))
        .flatMap((line) => line.split(','))
        .map((s) => s.trim())
        .filter(Boolean);
}
/** Reads a boolean with the YAML 1.2 core schema (`true|True|TRUE|false|False|FALSE`); anything else fails. */
function readBoolean(name, fallback = false) {
    if (!core.getInput(name))
        return fallback;
    try {
        return core.getBooleanInput(name);
    }
    catch {
        throw new ConfigurationError(`Input '${name}' must be 'true' or 'false' (YAML 1.2 booleans), got '${truncate(core.getInput(name))}'.`);
    }
}
/** Reads one of a fixed set of values. */
function readChoice(name, choices, fallback) {
    const raw = readString(name);
    if (raw === undefined)
        return fallback;
    if (!choices.includes(raw)) {
        throw new errors/* ConfigurationError */.j(`Input '${name}' must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got '${truncate(raw)}'.`);
    }
    return raw;
}
/** Shortens and de-controls a user value before echoing it in an error. */
function truncate(text, max = 60) {
    const safe = text.replace(/[\u0000-\u001f\u007f]/g, '?');
    return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}

;// CONCATENATED MODULE: ./shared/src/contract.ts
// The inputs and outputs every action shares, named once. If you rename one, update every action.yml.
/** Inputs of the common contract. */
const COMMON_INPUTS = {
    config: 'config',
    githubToken: 'github-token',
    issue: 'issue',
    failOn: 'fail-on'
};
/** Inputs every action that reaches hosts over SSH accepts. */
const SSH_INPUTS = {
    hosts: 'hosts',
    sshUser: 'ssh-user',
    sshPrivateKey: 'ssh-private-key',
    sshPassphrase: 'ssh-passphrase',
    sshKnownHosts: 'ssh-known-hosts',
    sshFingerprint: 'ssh-fingerprint'
};
/** Outputs every action sets. */
const COMMON_OUTPUTS = {
    status: 'status',
    report: 'report'
};
const ISSUE_MODES = ['auto', 'off'];
const FAIL_ON = ['fail', 'warn', 'never'];
/** Default path of the ops config in the user's repository. */
const DEFAULT_CONFIG_PATH = '.github/ops.yml';

;// CONCATENATED MODULE: ./shared/src/config/defaults.ts
/** The config used when no file exists and no key is set: A2A World as the maintenance guide describes it. */
function defaultConfig() {
    return {
        platform: 'a2a-world',
        hosts: [],
        compose: {
            projectDir: '/opt/a2a-world',
            file: 'docker-compose.production.yml',
            envFile: '.env.production',
            command: 'auto'
        },
        services: [],
        endpoints: [],
        database: { service: 'postgres', name: 'a2a_world', user: 'a2a_user' },
        thresholds: {
            latencyWarnMs: 500,
            latencyFailMs: 2000,
            cpuFailPercent: 80,
            cpuWindowMs: 5 * 60_000,
            memoryWarnPercent: 80,
            memoryFailPercent: 85,
            memoryWindowMs: 3 * 60_000,
            diskWarnPercent: 85,
            diskFailPercent: 90,
            dbConnectionsWarnPercent: 80,
            dbConnectionsFail: 100,
            longQueryMs: 5 * 60_000,
            tlsWarnDays: 30,
            tlsFailDays: 7
        },
        issues: {
            labels: ['a2a-ops', 'incident'],
            failuresToOpen: 1,
            successesToClose: 1,
            commentIntervalMs: 6 * 3_600_000,
            maintenanceLabel: 'maintenance',
            maintenanceWindows: [],
            assignees: []
        },
        ssh: {
            user: 'deploy',
            connectTimeoutMs: 20_000,
            commandTimeoutMs: 10 * 60_000,
            keepaliveIntervalMs: 10_000,
            keepaliveCountMax: 3,
            parallel: 4
        }
    };
}

;// CONCATENATED MODULE: ./shared/src/config/validate-config.generated.js
// GENERATED by scripts/build.mjs from shared/src/config/schema.ts: do not edit; `npm run build` rewrites it.
// The ops config validator, compiled ahead of time with ajv (standalone code).
const ucs2length = (s) => [...s].length;
const validate = validate10;/* harmony default export */ const validate_config_generated = ((/* unused pure expression or super */ null && (validate10)));const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","$id":"https://github.com/a2a-world/a2a-ops/shared/schema/ops-config.schema.json","title":"a2a-ops platform config (.github/ops.yml)","description":"Describes the A2A World platform for the a2a-ops actions. Every key is optional; defaults are the runbook's numbers. Action inputs override these values.","type":"object","additionalProperties":false,"properties":{"platform":{"type":"string","description":"Name shown in reports and issues.","default":"a2a-world"},"hosts":{"type":"array","description":"App hosts reached over SSH.","items":{"type":"object","additionalProperties":false,"required":["name","address"],"properties":{"name":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$","description":"Short name used in `hosts` inputs and reports."},"address":{"type":"string","minLength":1,"description":"DNS name or IP address."},"port":{"type":"integer","minimum":1,"maximum":65535,"default":22},"user":{"type":"string","pattern":"^[a-z_][a-z0-9_-]{0,31}$","description":"SSH user; defaults to ssh.user."},"roles":{"type":"array","items":{"type":"string"},"default":["app"],"description":"e.g. app, db, certs."},"compose":{"type":"object","additionalProperties":false,"description":"Where this host's compose project differs from the top-level compose section.","properties":{"project-dir":{"type":"string"},"file":{"type":"string"},"env-file":{"type":"string"},"project-name":{"type":"string","pattern":"^[a-z0-9][a-z0-9_-]*$"}}}}}},"compose":{"type":"object","additionalProperties":false,"description":"The docker compose project on each app host.","properties":{"project-dir":{"type":"string","default":"/opt/a2a-world"},"file":{"type":"string","default":"docker-compose.production.yml"},"env-file":{"type":"string","default":".env.production"},"command":{"enum":["docker compose","docker-compose","auto"],"default":"auto","description":"Which compose CLI the hosts run; auto detects it on each host (docker compose first, then docker-compose)."},"project-name":{"type":"string","pattern":"^[a-z0-9][a-z0-9_-]*$"}}},"services":{"type":"object","description":"Compose services by name.","propertyNames":{"pattern":"^[a-z0-9][a-z0-9_.-]{0,62}$"},"additionalProperties":{"type":"object","additionalProperties":false,"properties":{"replicas":{"type":"integer","minimum":0,"maximum":64,"default":1},"health-url":{"type":"string","format":"uri"}}}},"endpoints":{"type":"array","description":"Public endpoints for the HTTP and TLS checks.","items":{"type":"object","additionalProperties":false,"required":["url"],"properties":{"name":{"type":"string"},"url":{"type":"string","pattern":"^https?://"},"method":{"enum":["GET","HEAD","POST"],"default":"GET"},"expect-status":{"oneOf":[{"type":"integer","minimum":100,"maximum":599},{"type":"array","items":{"type":"integer","minimum":100,"maximum":599},"minItems":1}],"default":200},"expect-body":{"type":"string","description":"Text the body must contain."},"expect-headers":{"type":"object","additionalProperties":{"type":"string"},"description":"Response headers that must be present with these values (case-insensitive names)."},"headers":{"type":"object","additionalProperties":{"type":"string"},"description":"Request headers; `${{ env.NAME }}` is replaced from the environment (secrets stay masked)."},"tls":{"type":"boolean","default":true,"description":"Also check the certificate (https only)."}}}},"database":{"type":"object","additionalProperties":false,"properties":{"service":{"type":"string","default":"postgres"},"name":{"type":"string","default":"a2a_world"},"user":{"type":"string","default":"a2a_user"},"url-env":{"type":"string","pattern":"^[A-Z_][A-Z0-9_]*$","description":"Environment variable holding a direct connection URL."}}},"thresholds":{"type":"object","additionalProperties":false,"description":"The runbook's Key Metrics and Alert Thresholds.","properties":{"latency-warn":{"$ref":"#/definitions/duration","default":"500ms","description":"Response time above which an endpoint is degraded (warn)."},"latency-fail":{"$ref":"#/definitions/duration","default":"2s","description":"Response time above which an endpoint is down (fail)."},"cpu-fail-percent":{"type":"number","minimum":1,"maximum":100,"default":80,"description":"CPU use that fails once sustained for cpu-window."},"cpu-window":{"$ref":"#/definitions/duration","default":"5m"},"memory-warn-percent":{"type":"number","minimum":1,"maximum":100,"default":80},"memory-fail-percent":{"type":"number","minimum":1,"maximum":100,"default":85},"memory-window":{"$ref":"#/definitions/duration","default":"3m"},"disk-warn-percent":{"type":"number","minimum":1,"maximum":100,"default":85},"disk-fail-percent":{"type":"number","minimum":1,"maximum":100,"default":90},"db-connections-warn-percent":{"type":"number","minimum":1,"maximum":100,"default":80},"db-connections-fail":{"type":"integer","minimum":1,"default":100},"long-query":{"$ref":"#/definitions/duration","default":"5m"},"tls-warn-days":{"type":"number","minimum":0,"default":30},"tls-fail-days":{"type":"number","minimum":0,"default":7}}},"issues":{"type":"object","additionalProperties":false,"properties":{"labels":{"type":"array","items":{"type":"string","minLength":1},"minItems":1,"default":["a2a-ops","incident"]},"failures-to-open":{"type":"integer","minimum":1,"maximum":100,"default":1},"successes-to-close":{"type":"integer","minimum":1,"maximum":100,"default":1},"comment-interval":{"$ref":"#/definitions/duration","default":"6h","description":"While an incident continues with the same failure, at most one comment per this interval; a changed failure comments at once. 0 comments on every failing run."},"maintenance-label":{"type":"string","default":"maintenance"},"maintenance-windows":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["start","end"],"properties":{"start":{"type":"string","format":"date-time"},"end":{"type":"string","format":"date-time"},"reason":{"type":"string"}}}},"assignees":{"type":"array","items":{"type":"string"},"default":[]}}},"ssh":{"type":"object","additionalProperties":false,"properties":{"user":{"type":"string","pattern":"^[a-z_][a-z0-9_-]{0,31}$","default":"deploy"},"connect-timeout":{"$ref":"#/definitions/duration","default":"20s"},"command-timeout":{"$ref":"#/definitions/duration","default":"10m"},"keepalive-interval":{"$ref":"#/definitions/duration","default":"10s"},"keepalive-count-max":{"type":"integer","minimum":1,"maximum":20,"default":3},"parallel":{"type":"integer","minimum":1,"maximum":64,"default":4},"jump-host":{"type":"string","description":"Bastion, [user@]host[:port]."}}}},"definitions":{"duration":{"description":"A duration with its unit: 500ms, 90s, 5m, 1h, 2d (only 0 goes without one).","oneOf":[{"type":"string","pattern":"^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"},{"const":0}]}}};const schema12 = {"description":"A duration with its unit: 500ms, 90s, 5m, 1h, 2d (only 0 goes without one).","oneOf":[{"type":"string","pattern":"^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"},{"const":0}]};const func2 = Object.prototype.hasOwnProperty;const func3 = ucs2length;const pattern0 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", "u");const pattern1 = new RegExp("^[a-z_][a-z0-9_-]{0,31}$", "u");const pattern2 = new RegExp("^[a-z0-9][a-z0-9_-]*$", "u");const pattern4 = new RegExp("^[a-z0-9][a-z0-9_.-]{0,62}$", "u");const pattern5 = new RegExp("^https?://", "u");const pattern6 = new RegExp("^[A-Z_][A-Z0-9_]*$", "u");const pattern7 = new RegExp("^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$", "u");function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){/*# sourceURL="https://github.com/a2a-world/a2a-ops/shared/schema/ops-config.schema.json" */;let vErrors = null;let errors = 0;if(data && typeof data == "object" && !Array.isArray(data)){for(const key0 in data){if(!(func2.call(schema11.properties, key0))){const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"};if(vErrors === null){vErrors = [err0];}else {vErrors.push(err0);}errors++;}}if(data.platform !== undefined){if(typeof data.platform !== "string"){const err1 = {instancePath:instancePath+"/platform",schemaPath:"#/properties/platform/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err1];}else {vErrors.push(err1);}errors++;}}if(data.hosts !== undefined){let data1 = data.hosts;if(Array.isArray(data1)){const len0 = data1.length;for(let i0=0; i0<len0; i0++){let data2 = data1[i0];if(data2 && typeof data2 == "object" && !Array.isArray(data2)){if(data2.name === undefined){const err2 = {instancePath:instancePath+"/hosts/" + i0,schemaPath:"#/properties/hosts/items/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'"};if(vErrors === null){vErrors = [err2];}else {vErrors.push(err2);}errors++;}if(data2.address === undefined){const err3 = {instancePath:instancePath+"/hosts/" + i0,schemaPath:"#/properties/hosts/items/required",keyword:"required",params:{missingProperty: "address"},message:"must have required property '"+"address"+"'"};if(vErrors === null){vErrors = [err3];}else {vErrors.push(err3);}errors++;}for(const key1 in data2){if(!((((((key1 === "name") || (key1 === "address")) || (key1 === "port")) || (key1 === "user")) || (key1 === "roles")) || (key1 === "compose"))){const err4 = {instancePath:instancePath+"/hosts/" + i0,schemaPath:"#/properties/hosts/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"};if(vErrors === null){vErrors = [err4];}else {vErrors.push(err4);}errors++;}}if(data2.name !== undefined){let data3 = data2.name;if(typeof data3 === "string"){if(!pattern0.test(data3)){const err5 = {instancePath:instancePath+"/hosts/" + i0+"/name",schemaPath:"#/properties/hosts/items/properties/name/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$"+"\""};if(vErrors === null){vErrors = [err5];}else {vErrors.push(err5);}errors++;}}else {const err6 = {instancePath:instancePath+"/hosts/" + i0+"/name",schemaPath:"#/properties/hosts/items/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err6];}else {vErrors.push(err6);}errors++;}}if(data2.address !== undefined){let data4 = data2.address;if(typeof data4 === "string"){if(func3(data4) < 1){const err7 = {instancePath:instancePath+"/hosts/" + i0+"/address",schemaPath:"#/properties/hosts/items/properties/address/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};if(vErrors === null){vErrors = [err7];}else {vErrors.push(err7);}errors++;}}else {const err8 = {instancePath:instancePath+"/hosts/" + i0+"/address",schemaPath:"#/properties/hosts/items/properties/address/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err8];}else {vErrors.push(err8);}errors++;}}if(data2.port !== undefined){let data5 = data2.port;if(!((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5)))){const err9 = {instancePath:instancePath+"/hosts/" + i0+"/port",schemaPath:"#/properties/hosts/items/properties/port/type",keyword:"type",params:{type: "integer"},message:"must be integer"};if(vErrors === null){vErrors = [err9];}else {vErrors.push(err9);}errors++;}if(typeof data5 == "number"){if(data5 > 65535 || isNaN(data5)){const err10 = {instancePath:instancePath+"/hosts/" + i0+"/port",schemaPath:"#/properties/hosts/items/properties/port/maximum",keyword:"maximum",params:{comparison: "<=", limit: 65535},message:"must be <= 65535"};if(vErrors === null){vErrors = [err10];}else {vErrors.push(err10);}errors++;}if(data5 < 1 || isNaN(data5)){const err11 = {instancePath:instancePath+"/hosts/" + i0+"/port",schemaPath:"#/properties/hosts/items/properties/port/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};if(vErrors === null){vErrors = [err11];}else {vErrors.push(err11);}errors++;}}}if(data2.user !== undefined){let data6 = data2.user;if(typeof data6 === "string"){if(!pattern1.test(data6)){const err12 = {instancePath:instancePath+"/hosts/" + i0+"/user",schemaPath:"#/properties/hosts/items/properties/user/pattern",keyword:"pattern",params:{pattern: "^[a-z_][a-z0-9_-]{0,31}$"},message:"must match pattern \""+"^[a-z_][a-z0-9_-]{0,31}$"+"\""};if(vErrors === null){vErrors = [err12];}else {vErrors.push(err12);}errors++;}}else {const err13 = {instancePath:instancePath+"/hosts/" + i0+"/user",schemaPath:"#/properties/hosts/items/properties/user/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err13];}else {vErrors.push(err13);}errors++;}}if(data2.roles !== undefined){let data7 = data2.roles;if(Array.isArray(data7)){const len1 = data7.length;for(let i1=0; i1<len1; i1++){if(typeof data7[i1] !== "string"){const err14 = {instancePath:instancePath+"/hosts/" + i0+"/roles/" + i1,schemaPath:"#/properties/hosts/items/properties/roles/items/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err14];}else {vErrors.push(err14);}errors++;}}}else {const err15 = {instancePath:instancePath+"/hosts/" + i0+"/roles",schemaPath:"#/properties/hosts/items/properties/roles/type",keyword:"type",params:{type: "array"},message:"must be array"};if(vErrors === null){vErrors = [err15];}else {vErrors.push(err15);}errors++;}}if(data2.compose !== undefined){let data9 = data2.compose;if(data9 && typeof data9 == "object" && !Array.isArray(data9)){for(const key2 in data9){if(!((((key2 === "project-dir") || (key2 === "file")) || (key2 === "env-file")) || (key2 === "project-name"))){const err16 = {instancePath:instancePath+"/hosts/" + i0+"/compose",schemaPath:"#/properties/hosts/items/properties/compose/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties"};if(vErrors === null){vErrors = [err16];}else {vErrors.push(err16);}errors++;}}if(data9["project-dir"] !== undefined){if(typeof data9["project-dir"] !== "string"){const err17 = {instancePath:instancePath+"/hosts/" + i0+"/compose/project-dir",schemaPath:"#/properties/hosts/items/properties/compose/properties/project-dir/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err17];}else {vErrors.push(err17);}errors++;}}if(data9.file !== undefined){if(typeof data9.file !== "string"){const err18 = {instancePath:instancePath+"/hosts/" + i0+"/compose/file",schemaPath:"#/properties/hosts/items/properties/compose/properties/file/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err18];}else {vErrors.push(err18);}errors++;}}if(data9["env-file"] !== undefined){if(typeof data9["env-file"] !== "string"){const err19 = {instancePath:instancePath+"/hosts/" + i0+"/compose/env-file",schemaPath:"#/properties/hosts/items/properties/compose/properties/env-file/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err19];}else {vErrors.push(err19);}errors++;}}if(data9["project-name"] !== undefined){let data13 = data9["project-name"];if(typeof data13 === "string"){if(!pattern2.test(data13)){const err20 = {instancePath:instancePath+"/hosts/" + i0+"/compose/project-name",schemaPath:"#/properties/hosts/items/properties/compose/properties/project-name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9][a-z0-9_-]*$"},message:"must match pattern \""+"^[a-z0-9][a-z0-9_-]*$"+"\""};if(vErrors === null){vErrors = [err20];}else {vErrors.push(err20);}errors++;}}else {const err21 = {instancePath:instancePath+"/hosts/" + i0+"/compose/project-name",schemaPath:"#/properties/hosts/items/properties/compose/properties/project-name/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err21];}else {vErrors.push(err21);}errors++;}}}else {const err22 = {instancePath:instancePath+"/hosts/" + i0+"/compose",schemaPath:"#/properties/hosts/items/properties/compose/type",keyword:"type",params:{type: "object"},message:"must be object"};if(vErrors === null){vErrors = [err22];}else {vErrors.push(err22);}errors++;}}}else {const err23 = {instancePath:instancePath+"/hosts/" + i0,schemaPath:"#/properties/hosts/items/type",keyword:"type",params:{type: "object"},message:"must be object"};if(vErrors === null){vErrors = [err23];}else {vErrors.push(err23);}errors++;}}}else {const err24 = {instancePath:instancePath+"/hosts",schemaPath:"#/properties/hosts/type",keyword:"type",params:{type: "array"},message:"must be array"};if(vErrors === null){vErrors = [err24];}else {vErrors.push(err24);}errors++;}}if(data.compose !== undefined){let data14 = data.compose;if(data14 && typeof data14 == "object" && !Array.isArray(data14)){for(const key3 in data14){if(!(((((key3 === "project-dir") || (key3 === "file")) || (key3 === "env-file")) || (key3 === "command")) || (key3 === "project-name"))){const err25 = {instancePath:instancePath+"/compose",schemaPath:"#/properties/compose/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties"};if(vErrors === null){vErrors = [err25];}else {vErrors.push(err25);}errors++;}}if(data14["project-dir"] !== undefined){if(typeof data14["project-dir"] !== "string"){const err26 = {instancePath:instancePath+"/compose/project-dir",schemaPath:"#/properties/compose/properties/project-dir/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err26];}else {vErrors.push(err26);}errors++;}}if(data14.file !== undefined){if(typeof data14.file !== "string"){const err27 = {instancePath:instancePath+"/compose/file",schemaPath:"#/properties/compose/properties/file/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err27];}else {vErrors.push(err27);}errors++;}}if(data14["env-file"] !== undefined){if(typeof data14["env-file"] !== "string"){const err28 = {instancePath:instancePath+"/compose/env-file",schemaPath:"#/properties/compose/properties/env-file/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err28];}else {vErrors.push(err28);}errors++;}}if(data14.command !== undefined){let data18 = data14.command;if(!(((data18 === "docker compose") || (data18 === "docker-compose")) || (data18 === "auto"))){const err29 = {instancePath:instancePath+"/compose/command",schemaPath:"#/properties/compose/properties/command/enum",keyword:"enum",params:{allowedValues: schema11.properties.compose.properties.command.enum},message:"must be equal to one of the allowed values"};if(vErrors === null){vErrors = [err29];}else {vErrors.push(err29);}errors++;}}if(data14["project-name"] !== undefined){let data19 = data14["project-name"];if(typeof data19 === "string"){if(!pattern2.test(data19)){const err30 = {instancePath:instancePath+"/compose/project-name",schemaPath:"#/properties/compose/properties/project-name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9][a-z0-9_-]*$"},message:"must match pattern \""+"^[a-z0-9][a-z0-9_-]*$"+"\""};if(vErrors === null){vErrors = [err30];}else {vErrors.push(err30);}errors++;}}else {const err31 = {instancePath:instancePath+"/compose/project-name",schemaPath:"#/properties/compose/properties/project-name/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err31];}else {vErrors.push(err31);}errors++;}}}else {const err32 = {instancePath:instancePath+"/compose",schemaPath:"#/properties/compose/type",keyword:"type",params:{type: "object"},message:"must be object"};if(vErrors === null){vErrors = [err32];}else {vErrors.push(err32);}errors++;}}if(data.services !== undefined){let data20 = data.services;if(data20 && typeof data20 == "object" && !Array.isArray(data20)){for(const key4 in data20){const _errs46 = errors;if(typeof key4 === "string"){if(!pattern4.test(key4)){const err33 = {instancePath:instancePath+"/services",schemaPath:"#/properties/services/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9][a-z0-9_.-]{0,62}$"},message:"must match pattern \""+"^[a-z0-9][a-z0-9_.-]{0,62}$"+"\"",propertyName:key4};if(vErrors === null){vErrors = [err33];}else {vErrors.push(err33);}errors++;}}var valid8 = _errs46 === errors;if(!valid8){const err34 = {instancePath:instancePath+"/services",schemaPath:"#/properties/services/propertyNames",keyword:"propertyNames",params:{propertyName: key4},message:"property name must be valid"};if(vErrors === null){vErrors = [err34];}else {vErrors.push(err34);}errors++;}}for(const key5 in data20){let data21 = data20[key5];if(data21 && typeof data21 == "object" && !Array.isArray(data21)){for(const key6 in data21){if(!((key6 === "replicas") || (key6 === "health-url"))){const err35 = {instancePath:instancePath+"/services/" + key5.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/services/additionalProperties/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key6},message:"must NOT have additional properties"};if(vErrors === null){vErrors = [err35];}else {vErrors.push(err35);}errors++;}}if(data21.replicas !== undefined){let data22 = data21.replicas;if(!((typeof data22 == "number") && (!(data22 % 1) && !isNaN(data22)))){const err36 = {instancePath:instancePath+"/services/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/replicas",schemaPath:"#/properties/services/additionalProperties/properties/replicas/type",keyword:"type",params:{type: "integer"},message:"must be integer"};if(vErrors === null){vErrors = [err36];}else {vErrors.push(err36);}errors++;}if(typeof data22 == "number"){if(data22 > 64 || isNaN(data22)){const err37 = {instancePath:instancePath+"/services/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/replicas",schemaPath:"#/properties/services/additionalProperties/properties/replicas/maximum",keyword:"maximum",params:{comparison: "<=", limit: 64},message:"must be <= 64"};if(vErrors === null){vErrors = [err37];}else {vErrors.push(err37);}errors++;}if(data22 < 0 || isNaN(data22)){const err38 = {instancePath:instancePath+"/services/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/replicas",schemaPath:"#/properties/services/additionalProperties/properties/replicas/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};if(vErrors === null){vErrors = [err38];}else {vErrors.push(err38);}errors++;}}}if(data21["health-url"] !== undefined){if(!(typeof data21["health-url"] === "string")){const err39 = {instancePath:instancePath+"/services/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/health-url",schemaPath:"#/properties/services/additionalProperties/properties/health-url/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err39];}else {vErrors.push(err39);}errors++;}}}else {const err40 = {instancePath:instancePath+"/services/" + key5.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/services/additionalProperties/type",keyword:"type",params:{type: "object"},message:"must be object"};if(vErrors === null){vErrors = [err40];}else {vErrors.push(err40);}errors++;}}}else {const err41 = {instancePath:instancePath+"/services",schemaPath:"#/properties/services/type",keyword:"type",params:{type: "object"},message:"must be object"};if(vErrors === null){vErrors = [err41];}else {vErrors.push(err41);}errors++;}}if(data.endpoints !== undefined){let data24 = data.endpoints;if(Array.isArray(data24)){const len2 = data24.length;for(let i2=0; i2<len2; i2++){let data25 = data24[i2];if(data25 && typeof data25 == "object" && !Array.isArray(data25)){if(data25.url === undefined){const err42 = {instancePath:instancePath+"/endpoints/" + i2,schemaPath:"#/properties/endpoints/items/required",keyword:"required",params:{missingProperty: "url"},message:"must have required property '"+"url"+"'"};if(vErrors === null){vErrors = [err42];}else {vErrors.push(err42);}errors++;}for(const key7 in data25){if(!((((((((key7 === "name") || (key7 === "url")) || (key7 === "method")) || (key7 === "expect-status")) || (key7 === "expect-body")) || (key7 === "expect-headers")) || (key7 === "headers")) || (key7 === "tls"))){const err43 = {instancePath:instancePath+"/endpoints/" + i2,schemaPath:"#/properties/endpoints/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key7},message:"must NOT have additional properties"};if(vErrors === null){vErrors = [err43];}else {vErrors.push(err43);}errors++;}}if(data25.name !== undefined){if(typeof data25.name !== "string"){const err44 = {instancePath:instancePath+"/endpoints/" + i2+"/name",schemaPath:"#/properties/endpoints/items/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err44];}else {vErrors.push(err44);}errors++;}}if(data25.url !== undefined){let data27 = data25.url;if(typeof data27 === "string"){if(!pattern5.test(data27)){const err45 = {instancePath:instancePath+"/endpoints/" + i2+"/url",schemaPath:"#/properties/endpoints/items/properties/url/pattern",keyword:"pattern",params:{pattern: "^https?://"},message:"must match pattern \""+"^https?://"+"\""};if(vErrors === null){vErrors = [err45];}else {vErrors.push(err45);}errors++;}}else {const err46 = {instancePath:instancePath+"/endpoints/" + i2+"/url",schemaPath:"#/properties/endpoints/items/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err46];}else {vErrors.push(err46);}errors++;}}if(data25.method !== undefined){let data28 = data25.method;if(!(((data28 === "GET") || (data28 === "HEAD")) || (data28 === "POST"))){const err47 = {instancePath:instancePath+"/endpoints/" + i2+"/method",schemaPath:"#/properties/endpoints/items/properties/method/enum",keyword:"enum",params:{allowedValues: schema11.properties.endpoints.items.properties.method.enum},message:"must be equal to one of the allowed values"};if(vErrors === null){vErrors = [err47];}else {vErrors.push(err47);}errors++;}}if(data25["expect-status"] !== undefined){let data29 = data25["expect-status"];const _errs66 = errors;let valid14 = false;let passing0 = null;const _errs67 = errors;if(!((typeof data29 == "number") && (!(data29 % 1) && !isNaN(data29)))){const err48 = {instancePath:instancePath+"/endpoints/" + i2+"/expect-status",schemaPath:"#/properties/endpoints/items/properties/expect-status/oneOf/0/type",keyword:"type",params:{type: "integer"},message:"must be integer"};if(vErrors === null){vErrors = [err48];}else {vErrors.push(err48);}errors++;}if(typeof data29 == "number"){if(data29 > 599 || isNaN(data29)){const err49 = {instancePath:instancePath+"/endpoints/" + i2+"/expect-status",schemaPath:"#/properties/endpoints/items/properties/expect-status/oneOf/0/maximum",keyword:"maximum",params:{comparison: "<=", limit: 599},message:"must be <= 599"};if(vErrors === null){vErrors = [err49];}else {vErrors.push(err49);}errors++;}if(data29 < 100 || isNaN(data29)){const err50 = {instancePath:instancePath+"/endpoints/" + i2+"/expect-status",schemaPath:"#/properties/endpoints/items/properties/expect-status/oneOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 100},message:"must be >= 100"};if(vErrors === null){vErrors = [err50];}else {vErrors.push(err50);}errors++;}}var _valid0 = _errs67 === errors;if(_valid0){valid14 = true;passing0 = 0;}const _errs69 = errors;if(Array.isArray(data29)){if(data29.length < 1){const err51 = {instancePath:instancePath+"/endpoints/" + i2+"/expect-status",schemaPath:"#/properties/endpoints/items/properties/expect-status/oneOf/1/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"};if(vErrors === null){vErrors = [err51];}else {vErrors.push(err51);}errors++;}const len3 = data29.length;for(let i3=0; i3<len3; i3++){let data30 = data29[i3];if(!((typeof data30 == "number") && (!(data30 % 1) && !isNaN(data30)))){const err52 = {instancePath:instancePath+"/endpoints/" + i2+"/expect-status/" + i3,schemaPath:"#/properties/endpoints/items/properties/expect-status/oneOf/1/items/type",keyword:"type",params:{type: "integer"},message:"must be integer"};if(vErrors === null){vErrors = [err52];}else {vErrors.push(err52);}errors++;}if(typeof data30 == "number"){if(data30 > 599 || isNaN(data30)){const err53 = {instancePath:instancePath+"/endpoints/" + i2+"/expect-status/" + i3,schemaPath:"#/properties/endpoints/items/properties/expect-status/oneOf/1/items/maximum",keyword:"maximum",params:{comparison: "<=", limit: 599},message:"must be <= 599"};if(vErrors === null){vErrors = [err53];}else {vErrors.push(err53);}errors++;}if(data30 < 100 || isNaN(data30)){const err54 = {instancePath:instancePath+"/endpoints/" + i2+"/expect-status/" + i3,schemaPath:"#/properties/endpoints/items/properties/expect-status/oneOf/1/items/minimum",keyword:"minimum",params:{comparison: ">=", limit: 100},message:"must be >= 100"};if(vErrors === null){vErrors = [err54];}else {vErrors.push(err54);}errors++;}}}}else {const err55 = {instancePath:instancePath+"/endpoints/" + i2+"/expect-status",schemaPath:"#/properties/endpoints/items/properties/expect-status/oneOf/1/type",keyword:"type",params:{type: "array"},message:"must be array"};if(vErrors === null){vErrors = [err55];}else {vErrors.push(err55);}errors++;}var _valid0 = _errs69 === errors;if(_valid0 && valid14){valid14 = false;passing0 = [passing0, 1];}else {if(_valid0){valid14 = true;passing0 = 1;}}if(!valid14){const err56 = {instancePath:instancePath+"/endpoints/" + i2+"/expect-status",schemaPath:"#/properties/endpoints/items/properties/expect-status/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf"};if(vErrors === null){vErrors = [err56];}else {vErrors.push(err56);}errors++;}else {errors = _errs66;if(vErrors !== null){if(_errs66){vErrors.length = _errs66;}else {vErrors = null;}}}}if(data25["expect-body"] !== undefined){if(typeof data25["expect-body"] !== "string"){const err57 = {instancePath:instancePath+"/endpoints/" + i2+"/expect-body",schemaPath:"#/properties/endpoints/items/properties/expect-body/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err57];}else {vErrors.push(err57);}errors++;}}if(data25["expect-headers"] !== undefined){let data32 = data25["expect-headers"];if(data32 && typeof data32 == "object" && !Array.isArray(data32)){for(const key8 in data32){if(typeof data32[key8] !== "string"){const err58 = {instancePath:instancePath+"/endpoints/" + i2+"/expect-headers/" + key8.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/endpoints/items/properties/expect-headers/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err58];}else {vErrors.push(err58);}errors++;}}}else {const err59 = {instancePath:instancePath+"/endpoints/" + i2+"/expect-headers",schemaPath:"#/properties/endpoints/items/properties/expect-headers/type",keyword:"type",params:{type: "object"},message:"must be object"};if(vErrors === null){vErrors = [err59];}else {vErrors.push(err59);}errors++;}}if(data25.headers !== undefined){let data34 = data25.headers;if(data34 && typeof data34 == "object" && !Array.isArray(data34)){for(const key9 in data34){if(typeof data34[key9] !== "string"){const err60 = {instancePath:instancePath+"/endpoints/" + i2+"/headers/" + key9.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/endpoints/items/properties/headers/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err60];}else {vErrors.push(err60);}errors++;}}}else {const err61 = {instancePath:instancePath+"/endpoints/" + i2+"/headers",schemaPath:"#/properties/endpoints/items/properties/headers/type",keyword:"type",params:{type: "object"},message:"must be object"};if(vErrors === null){vErrors = [err61];}else {vErrors.push(err61);}errors++;}}if(data25.tls !== undefined){if(typeof data25.tls !== "boolean"){const err62 = {instancePath:instancePath+"/endpoints/" + i2+"/tls",schemaPath:"#/properties/endpoints/items/properties/tls/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};if(vErrors === null){vErrors = [err62];}else {vErrors.push(err62);}errors++;}}}else {const err63 = {instancePath:instancePath+"/endpoints/" + i2,schemaPath:"#/properties/endpoints/items/type",keyword:"type",params:{type: "object"},message:"must be object"};if(vErrors === null){vErrors = [err63];}else {vErrors.push(err63);}errors++;}}}else {const err64 = {instancePath:instancePath+"/endpoints",schemaPath:"#/properties/endpoints/type",keyword:"type",params:{type: "array"},message:"must be array"};if(vErrors === null){vErrors = [err64];}else {vErrors.push(err64);}errors++;}}if(data.database !== undefined){let data37 = data.database;if(data37 && typeof data37 == "object" && !Array.isArray(data37)){for(const key10 in data37){if(!((((key10 === "service") || (key10 === "name")) || (key10 === "user")) || (key10 === "url-env"))){const err65 = {instancePath:instancePath+"/database",schemaPath:"#/properties/database/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key10},message:"must NOT have additional properties"};if(vErrors === null){vErrors = [err65];}else {vErrors.push(err65);}errors++;}}if(data37.service !== undefined){if(typeof data37.service !== "string"){const err66 = {instancePath:instancePath+"/database/service",schemaPath:"#/properties/database/properties/service/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err66];}else {vErrors.push(err66);}errors++;}}if(data37.name !== undefined){if(typeof data37.name !== "string"){const err67 = {instancePath:instancePath+"/database/name",schemaPath:"#/properties/database/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err67];}else {vErrors.push(err67);}errors++;}}if(data37.user !== undefined){if(typeof data37.user !== "string"){const err68 = {instancePath:instancePath+"/database/user",schemaPath:"#/properties/database/properties/user/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err68];}else {vErrors.push(err68);}errors++;}}if(data37["url-env"] !== undefined){let data41 = data37["url-env"];if(typeof data41 === "string"){if(!pattern6.test(data41)){const err69 = {instancePath:instancePath+"/database/url-env",schemaPath:"#/properties/database/properties/url-env/pattern",keyword:"pattern",params:{pattern: "^[A-Z_][A-Z0-9_]*$"},message:"must match pattern \""+"^[A-Z_][A-Z0-9_]*$"+"\""};if(vErrors === null){vErrors = [err69];}else {vErrors.push(err69);}errors++;}}else {const err70 = {instancePath:instancePath+"/database/url-env",schemaPath:"#/properties/database/properties/url-env/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err70];}else {vErrors.push(err70);}errors++;}}}else {const err71 = {instancePath:instancePath+"/database",schemaPath:"#/properties/database/type",keyword:"type",params:{type: "object"},message:"must be object"};if(vErrors === null){vErrors = [err71];}else {vErrors.push(err71);}errors++;}}if(data.thresholds !== undefined){let data42 = data.thresholds;if(data42 && typeof data42 == "object" && !Array.isArray(data42)){for(const key11 in data42){if(!(func2.call(schema11.properties.thresholds.properties, key11))){const err72 = {instancePath:instancePath+"/thresholds",schemaPath:"#/properties/thresholds/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key11},message:"must NOT have additional properties"};if(vErrors === null){vErrors = [err72];}else {vErrors.push(err72);}errors++;}}if(data42["latency-warn"] !== undefined){let data43 = data42["latency-warn"];const _errs103 = errors;let valid22 = false;let passing1 = null;const _errs104 = errors;if(typeof data43 === "string"){if(!pattern7.test(data43)){const err73 = {instancePath:instancePath+"/thresholds/latency-warn",schemaPath:"#/definitions/duration/oneOf/0/pattern",keyword:"pattern",params:{pattern: "^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"},message:"must match pattern \""+"^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"+"\""};if(vErrors === null){vErrors = [err73];}else {vErrors.push(err73);}errors++;}}else {const err74 = {instancePath:instancePath+"/thresholds/latency-warn",schemaPath:"#/definitions/duration/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err74];}else {vErrors.push(err74);}errors++;}var _valid1 = _errs104 === errors;if(_valid1){valid22 = true;passing1 = 0;}const _errs106 = errors;if(0 !== data43){const err75 = {instancePath:instancePath+"/thresholds/latency-warn",schemaPath:"#/definitions/duration/oneOf/1/const",keyword:"const",params:{allowedValue: 0},message:"must be equal to constant"};if(vErrors === null){vErrors = [err75];}else {vErrors.push(err75);}errors++;}var _valid1 = _errs106 === errors;if(_valid1 && valid22){valid22 = false;passing1 = [passing1, 1];}else {if(_valid1){valid22 = true;passing1 = 1;}}if(!valid22){const err76 = {instancePath:instancePath+"/thresholds/latency-warn",schemaPath:"#/definitions/duration/oneOf",keyword:"oneOf",params:{passingSchemas: passing1},message:"must match exactly one schema in oneOf"};if(vErrors === null){vErrors = [err76];}else {vErrors.push(err76);}errors++;}else {errors = _errs103;if(vErrors !== null){if(_errs103){vErrors.length = _errs103;}else {vErrors = null;}}}}if(data42["latency-fail"] !== undefined){let data44 = data42["latency-fail"];const _errs109 = errors;let valid24 = false;let passing2 = null;const _errs110 = errors;if(typeof data44 === "string"){if(!pattern7.test(data44)){const err77 = {instancePath:instancePath+"/thresholds/latency-fail",schemaPath:"#/definitions/duration/oneOf/0/pattern",keyword:"pattern",params:{pattern: "^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"},message:"must match pattern \""+"^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"+"\""};if(vErrors === null){vErrors = [err77];}else {vErrors.push(err77);}errors++;}}else {const err78 = {instancePath:instancePath+"/thresholds/latency-fail",schemaPath:"#/definitions/duration/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err78];}else {vErrors.push(err78);}errors++;}var _valid2 = _errs110 === errors;if(_valid2){valid24 = true;passing2 = 0;}const _errs112 = errors;if(0 !== data44){const err79 = {instancePath:instancePath+"/thresholds/latency-fail",schemaPath:"#/definitions/duration/oneOf/1/const",keyword:"const",params:{allowedValue: 0},message:"must be equal to constant"};if(vErrors === null){vErrors = [err79];}else {vErrors.push(err79);}errors++;}var _valid2 = _errs112 === errors;if(_valid2 && valid24){valid24 = false;passing2 = [passing2, 1];}else {if(_valid2){valid24 = true;passing2 = 1;}}if(!valid24){const err80 = {instancePath:instancePath+"/thresholds/latency-fail",schemaPath:"#/definitions/duration/oneOf",keyword:"oneOf",params:{passingSchemas: passing2},message:"must match exactly one schema in oneOf"};if(vErrors === null){vErrors = [err80];}else {vErrors.push(err80);}errors++;}else {errors = _errs109;if(vErrors !== null){if(_errs109){vErrors.length = _errs109;}else {vErrors = null;}}}}if(data42["cpu-fail-percent"] !== undefined){let data45 = data42["cpu-fail-percent"];if(typeof data45 == "number"){if(data45 > 100 || isNaN(data45)){const err81 = {instancePath:instancePath+"/thresholds/cpu-fail-percent",schemaPath:"#/properties/thresholds/properties/cpu-fail-percent/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};if(vErrors === null){vErrors = [err81];}else {vErrors.push(err81);}errors++;}if(data45 < 1 || isNaN(data45)){const err82 = {instancePath:instancePath+"/thresholds/cpu-fail-percent",schemaPath:"#/properties/thresholds/properties/cpu-fail-percent/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};if(vErrors === null){vErrors = [err82];}else {vErrors.push(err82);}errors++;}}else {const err83 = {instancePath:instancePath+"/thresholds/cpu-fail-percent",schemaPath:"#/properties/thresholds/properties/cpu-fail-percent/type",keyword:"type",params:{type: "number"},message:"must be number"};if(vErrors === null){vErrors = [err83];}else {vErrors.push(err83);}errors++;}}if(data42["cpu-window"] !== undefined){let data46 = data42["cpu-window"];const _errs117 = errors;let valid26 = false;let passing3 = null;const _errs118 = errors;if(typeof data46 === "string"){if(!pattern7.test(data46)){const err84 = {instancePath:instancePath+"/thresholds/cpu-window",schemaPath:"#/definitions/duration/oneOf/0/pattern",keyword:"pattern",params:{pattern: "^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"},message:"must match pattern \""+"^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"+"\""};if(vErrors === null){vErrors = [err84];}else {vErrors.push(err84);}errors++;}}else {const err85 = {instancePath:instancePath+"/thresholds/cpu-window",schemaPath:"#/definitions/duration/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err85];}else {vErrors.push(err85);}errors++;}var _valid3 = _errs118 === errors;if(_valid3){valid26 = true;passing3 = 0;}const _errs120 = errors;if(0 !== data46){const err86 = {instancePath:instancePath+"/thresholds/cpu-window",schemaPath:"#/definitions/duration/oneOf/1/const",keyword:"const",params:{allowedValue: 0},message:"must be equal to constant"};if(vErrors === null){vErrors = [err86];}else {vErrors.push(err86);}errors++;}var _valid3 = _errs120 === errors;if(_valid3 && valid26){valid26 = false;passing3 = [passing3, 1];}else {if(_valid3){valid26 = true;passing3 = 1;}}if(!valid26){const err87 = {instancePath:instancePath+"/thresholds/cpu-window",schemaPath:"#/definitions/duration/oneOf",keyword:"oneOf",params:{passingSchemas: passing3},message:"must match exactly one schema in oneOf"};if(vErrors === null){vErrors = [err87];}else {vErrors.push(err87);}errors++;}else {errors = _errs117;if(vErrors !== null){if(_errs117){vErrors.length = _errs117;}else {vErrors = null;}}}}if(data42["memory-warn-percent"] !== undefined){let data47 = data42["memory-warn-percent"];if(typeof data47 == "number"){if(data47 > 100 || isNaN(data47)){const err88 = {instancePath:instancePath+"/thresholds/memory-warn-percent",schemaPath:"#/properties/thresholds/properties/memory-warn-percent/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};if(vErrors === null){vErrors = [err88];}else {vErrors.push(err88);}errors++;}if(data47 < 1 || isNaN(data47)){const err89 = {instancePath:instancePath+"/thresholds/memory-warn-percent",schemaPath:"#/properties/thresholds/properties/memory-warn-percent/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};if(vErrors === null){vErrors = [err89];}else {vErrors.push(err89);}errors++;}}else {const err90 = {instancePath:instancePath+"/thresholds/memory-warn-percent",schemaPath:"#/properties/thresholds/properties/memory-warn-percent/type",keyword:"type",params:{type: "number"},message:"must be number"};if(vErrors === null){vErrors = [err90];}else {vErrors.push(err90);}errors++;}}if(data42["memory-fail-percent"] !== undefined){let data48 = data42["memory-fail-percent"];if(typeof data48 == "number"){if(data48 > 100 || isNaN(data48)){const err91 = {instancePath:instancePath+"/thresholds/memory-fail-percent",schemaPath:"#/properties/thresholds/properties/memory-fail-percent/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};if(vErrors === null){vErrors = [err91];}else {vErrors.push(err91);}errors++;}if(data48 < 1 || isNaN(data48)){const err92 = {instancePath:instancePath+"/thresholds/memory-fail-percent",schemaPath:"#/properties/thresholds/properties/memory-fail-percent/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};if(vErrors === null){vErrors = [err92];}else {vErrors.push(err92);}errors++;}}else {const err93 = {instancePath:instancePath+"/thresholds/memory-fail-percent",schemaPath:"#/properties/thresholds/properties/memory-fail-percent/type",keyword:"type",params:{type: "number"},message:"must be number"};if(vErrors === null){vErrors = [err93];}else {vErrors.push(err93);}errors++;}}if(data42["memory-window"] !== undefined){let data49 = data42["memory-window"];const _errs127 = errors;let valid28 = false;let passing4 = null;const _errs128 = errors;if(typeof data49 === "string"){if(!pattern7.test(data49)){const err94 = {instancePath:instancePath+"/thresholds/memory-window",schemaPath:"#/definitions/duration/oneOf/0/pattern",keyword:"pattern",params:{pattern: "^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"},message:"must match pattern \""+"^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"+"\""};if(vErrors === null){vErrors = [err94];}else {vErrors.push(err94);}errors++;}}else {const err95 = {instancePath:instancePath+"/thresholds/memory-window",schemaPath:"#/definitions/duration/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err95];}else {vErrors.push(err95);}errors++;}var _valid4 = _errs128 === errors;if(_valid4){valid28 = true;passing4 = 0;}const _errs130 = errors;if(0 !== data49){const err96 = {instancePath:instancePath+"/thresholds/memory-window",schemaPath:"#/definitions/duration/oneOf/1/const",keyword:"const",params:{allowedValue: 0},message:"must be equal to constant"};if(vErrors === null){vErrors = [err96];}else {vErrors.push(err96);}errors++;}var _valid4 = _errs130 === errors;if(_valid4 && valid28){valid28 = false;passing4 = [passing4, 1];}else {if(_valid4){valid28 = true;passing4 = 1;}}if(!valid28){const err97 = {instancePath:instancePath+"/thresholds/memory-window",schemaPath:"#/definitions/duration/oneOf",keyword:"oneOf",params:{passingSchemas: passing4},message:"must match exactly one schema in oneOf"};if(vErrors === null){vErrors = [err97];}else {vErrors.push(err97);}errors++;}else {errors = _errs127;if(vErrors !== null){if(_errs127){vErrors.length = _errs127;}else {vErrors = null;}}}}if(data42["disk-warn-percent"] !== undefined){let data50 = data42["disk-warn-percent"];if(typeof data50 == "number"){if(data50 > 100 || isNaN(data50)){const err98 = {instancePath:instancePath+"/thresholds/disk-warn-percent",schemaPath:"#/properties/thresholds/properties/disk-warn-percent/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};if(vErrors === null){vErrors = [err98];}else {vErrors.push(err98);}errors++;}if(data50 < 1 || isNaN(data50)){const err99 = {instancePath:instancePath+"/thresholds/disk-warn-percent",schemaPath:"#/properties/thresholds/properties/disk-warn-percent/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};if(vErrors === null){vErrors = [err99];}else {vErrors.push(err99);}errors++;}}else {const err100 = {instancePath:instancePath+"/thresholds/disk-warn-percent",schemaPath:"#/properties/thresholds/properties/disk-warn-percent/type",keyword:"type",params:{type: "number"},message:"must be number"};if(vErrors === null){vErrors = [err100];}else {vErrors.push(err100);}errors++;}}if(data42["disk-fail-percent"] !== undefined){let data51 = data42["disk-fail-percent"];if(typeof data51 == "number"){if(data51 > 100 || isNaN(data51)){const err101 = {instancePath:instancePath+"/thresholds/disk-fail-percent",schemaPath:"#/properties/thresholds/properties/disk-fail-percent/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};if(vErrors === null){vErrors = [err101];}else {vErrors.push(err101);}errors++;}if(data51 < 1 || isNaN(data51)){const err102 = {instancePath:instancePath+"/thresholds/disk-fail-percent",schemaPath:"#/properties/thresholds/properties/disk-fail-percent/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};if(vErrors === null){vErrors = [err102];}else {vErrors.push(err102);}errors++;}}else {const err103 = {instancePath:instancePath+"/thresholds/disk-fail-percent",schemaPath:"#/properties/thresholds/properties/disk-fail-percent/type",keyword:"type",params:{type: "number"},message:"must be number"};if(vErrors === null){vErrors = [err103];}else {vErrors.push(err103);}errors++;}}if(data42["db-connections-warn-percent"] !== undefined){let data52 = data42["db-connections-warn-percent"];if(typeof data52 == "number"){if(data52 > 100 || isNaN(data52)){const err104 = {instancePath:instancePath+"/thresholds/db-connections-warn-percent",schemaPath:"#/properties/thresholds/properties/db-connections-warn-percent/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};if(vErrors === null){vErrors = [err104];}else {vErrors.push(err104);}errors++;}if(data52 < 1 || isNaN(data52)){const err105 = {instancePath:instancePath+"/thresholds/db-connections-warn-percent",schemaPath:"#/properties/thresholds/properties/db-connections-warn-percent/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};if(vErrors === null){vErrors = [err105];}else {vErrors.push(err105);}errors++;}}else {const err106 = {instancePath:instancePath+"/thresholds/db-connections-warn-percent",schemaPath:"#/properties/thresholds/properties/db-connections-warn-percent/type",keyword:"type",params:{type: "number"},message:"must be number"};if(vErrors === null){vErrors = [err106];}else {vErrors.push(err106);}errors++;}}if(data42["db-connections-fail"] !== undefined){let data53 = data42["db-connections-fail"];if(!((typeof data53 == "number") && (!(data53 % 1) && !isNaN(data53)))){const err107 = {instancePath:instancePath+"/thresholds/db-connections-fail",schemaPath:"#/properties/thresholds/properties/db-connections-fail/type",keyword:"type",params:{type: "integer"},message:"must be integer"};if(vErrors === null){vErrors = [err107];}else {vErrors.push(err107);}errors++;}if(typeof data53 == "number"){if(data53 < 1 || isNaN(data53)){const err108 = {instancePath:instancePath+"/thresholds/db-connections-fail",schemaPath:"#/properties/thresholds/properties/db-connections-fail/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};if(vErrors === null){vErrors = [err108];}else {vErrors.push(err108);}errors++;}}}if(data42["long-query"] !== undefined){let data54 = data42["long-query"];const _errs141 = errors;let valid30 = false;let passing5 = null;const _errs142 = errors;if(typeof data54 === "string"){if(!pattern7.test(data54)){const err109 = {instancePath:instancePath+"/thresholds/long-query",schemaPath:"#/definitions/duration/oneOf/0/pattern",keyword:"pattern",params:{pattern: "^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"},message:"must match pattern \""+"^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"+"\""};if(vErrors === null){vErrors = [err109];}else {vErrors.push(err109);}errors++;}}else {const err110 = {instancePath:instancePath+"/thresholds/long-query",schemaPath:"#/definitions/duration/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err110];}else {vErrors.push(err110);}errors++;}var _valid5 = _errs142 === errors;if(_valid5){valid30 = true;passing5 = 0;}const _errs144 = errors;if(0 !== data54){const err111 = {instancePath:instancePath+"/thresholds/long-query",schemaPath:"#/definitions/duration/oneOf/1/const",keyword:"const",params:{allowedValue: 0},message:"must be equal to constant"};if(vErrors === null){vErrors = [err111];}else {vErrors.push(err111);}errors++;}var _valid5 = _errs144 === errors;if(_valid5 && valid30){valid30 = false;passing5 = [passing5, 1];}else {if(_valid5){valid30 = true;passing5 = 1;}}if(!valid30){const err112 = {instancePath:instancePath+"/thresholds/long-query",schemaPath:"#/definitions/duration/oneOf",keyword:"oneOf",params:{passingSchemas: passing5},message:"must match exactly one schema in oneOf"};if(vErrors === null){vErrors = [err112];}else {vErrors.push(err112);}errors++;}else {errors = _errs141;if(vErrors !== null){if(_errs141){vErrors.length = _errs141;}else {vErrors = null;}}}}if(data42["tls-warn-days"] !== undefined){let data55 = data42["tls-warn-days"];if(typeof data55 == "number"){if(data55 < 0 || isNaN(data55)){const err113 = {instancePath:instancePath+"/thresholds/tls-warn-days",schemaPath:"#/properties/thresholds/properties/tls-warn-days/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};if(vErrors === null){vErrors = [err113];}else {vErrors.push(err113);}errors++;}}else {const err114 = {instancePath:instancePath+"/thresholds/tls-warn-days",schemaPath:"#/properties/thresholds/properties/tls-warn-days/type",keyword:"type",params:{type: "number"},message:"must be number"};if(vErrors === null){vErrors = [err114];}else {vErrors.push(err114);}errors++;}}if(data42["tls-fail-days"] !== undefined){let data56 = data42["tls-fail-days"];if(typeof data56 == "number"){if(data56 < 0 || isNaN(data56)){const err115 = {instancePath:instancePath+"/thresholds/tls-fail-days",schemaPath:"#/properties/thresholds/properties/tls-fail-days/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};if(vErrors === null){vErrors = [err115];}else {vErrors.push(err115);}errors++;}}else {const err116 = {instancePath:instancePath+"/thresholds/tls-fail-days",schemaPath:"#/properties/thresholds/properties/tls-fail-days/type",keyword:"type",params:{type: "number"},message:"must be number"};if(vErrors === null){vErrors = [err116];}else {vErrors.push(err116);}errors++;}}}else {const err117 = {instancePath:instancePath+"/thresholds",schemaPath:"#/properties/thresholds/type",keyword:"type",params:{type: "object"},message:"must be object"};if(vErrors === null){vErrors = [err117];}else {vErrors.push(err117);}errors++;}}if(data.issues !== undefined){let data57 = data.issues;if(data57 && typeof data57 == "object" && !Array.isArray(data57)){for(const key12 in data57){if(!(((((((key12 === "labels") || (key12 === "failures-to-open")) || (key12 === "successes-to-close")) || (key12 === "comment-interval")) || (key12 === "maintenance-label")) || (key12 === "maintenance-windows")) || (key12 === "assignees"))){const err118 = {instancePath:instancePath+"/issues",schemaPath:"#/properties/issues/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key12},message:"must NOT have additional properties"};if(vErrors === null){vErrors = [err118];}else {vErrors.push(err118);}errors++;}}if(data57.labels !== undefined){let data58 = data57.labels;if(Array.isArray(data58)){if(data58.length < 1){const err119 = {instancePath:instancePath+"/issues/labels",schemaPath:"#/properties/issues/properties/labels/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"};if(vErrors === null){vErrors = [err119];}else {vErrors.push(err119);}errors++;}const len4 = data58.length;for(let i4=0; i4<len4; i4++){let data59 = data58[i4];if(typeof data59 === "string"){if(func3(data59) < 1){const err120 = {instancePath:instancePath+"/issues/labels/" + i4,schemaPath:"#/properties/issues/properties/labels/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};if(vErrors === null){vErrors = [err120];}else {vErrors.push(err120);}errors++;}}else {const err121 = {instancePath:instancePath+"/issues/labels/" + i4,schemaPath:"#/properties/issues/properties/labels/items/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err121];}else {vErrors.push(err121);}errors++;}}}else {const err122 = {instancePath:instancePath+"/issues/labels",schemaPath:"#/properties/issues/properties/labels/type",keyword:"type",params:{type: "array"},message:"must be array"};if(vErrors === null){vErrors = [err122];}else {vErrors.push(err122);}errors++;}}if(data57["failures-to-open"] !== undefined){let data60 = data57["failures-to-open"];if(!((typeof data60 == "number") && (!(data60 % 1) && !isNaN(data60)))){const err123 = {instancePath:instancePath+"/issues/failures-to-open",schemaPath:"#/properties/issues/properties/failures-to-open/type",keyword:"type",params:{type: "integer"},message:"must be integer"};if(vErrors === null){vErrors = [err123];}else {vErrors.push(err123);}errors++;}if(typeof data60 == "number"){if(data60 > 100 || isNaN(data60)){const err124 = {instancePath:instancePath+"/issues/failures-to-open",schemaPath:"#/properties/issues/properties/failures-to-open/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};if(vErrors === null){vErrors = [err124];}else {vErrors.push(err124);}errors++;}if(data60 < 1 || isNaN(data60)){const err125 = {instancePath:instancePath+"/issues/failures-to-open",schemaPath:"#/properties/issues/properties/failures-to-open/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};if(vErrors === null){vErrors = [err125];}else {vErrors.push(err125);}errors++;}}}if(data57["successes-to-close"] !== undefined){let data61 = data57["successes-to-close"];if(!((typeof data61 == "number") && (!(data61 % 1) && !isNaN(data61)))){const err126 = {instancePath:instancePath+"/issues/successes-to-close",schemaPath:"#/properties/issues/properties/successes-to-close/type",keyword:"type",params:{type: "integer"},message:"must be integer"};if(vErrors === null){vErrors = [err126];}else {vErrors.push(err126);}errors++;}if(typeof data61 == "number"){if(data61 > 100 || isNaN(data61)){const err127 = {instancePath:instancePath+"/issues/successes-to-close",schemaPath:"#/properties/issues/properties/successes-to-close/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};if(vErrors === null){vErrors = [err127];}else {vErrors.push(err127);}errors++;}if(data61 < 1 || isNaN(data61)){const err128 = {instancePath:instancePath+"/issues/successes-to-close",schemaPath:"#/properties/issues/properties/successes-to-close/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};if(vErrors === null){vErrors = [err128];}else {vErrors.push(err128);}errors++;}}}if(data57["comment-interval"] !== undefined){let data62 = data57["comment-interval"];const _errs162 = errors;let valid35 = false;let passing6 = null;const _errs163 = errors;if(typeof data62 === "string"){if(!pattern7.test(data62)){const err129 = {instancePath:instancePath+"/issues/comment-interval",schemaPath:"#/definitions/duration/oneOf/0/pattern",keyword:"pattern",params:{pattern: "^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"},message:"must match pattern \""+"^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"+"\""};if(vErrors === null){vErrors = [err129];}else {vErrors.push(err129);}errors++;}}else {const err130 = {instancePath:instancePath+"/issues/comment-interval",schemaPath:"#/definitions/duration/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err130];}else {vErrors.push(err130);}errors++;}var _valid6 = _errs163 === errors;if(_valid6){valid35 = true;passing6 = 0;}const _errs165 = errors;if(0 !== data62){const err131 = {instancePath:instancePath+"/issues/comment-interval",schemaPath:"#/definitions/duration/oneOf/1/const",keyword:"const",params:{allowedValue: 0},message:"must be equal to constant"};if(vErrors === null){vErrors = [err131];}else {vErrors.push(err131);}errors++;}var _valid6 = _errs165 === errors;if(_valid6 && valid35){valid35 = false;passing6 = [passing6, 1];}else {if(_valid6){valid35 = true;passing6 = 1;}}if(!valid35){const err132 = {instancePath:instancePath+"/issues/comment-interval",schemaPath:"#/definitions/duration/oneOf",keyword:"oneOf",params:{passingSchemas: passing6},message:"must match exactly one schema in oneOf"};if(vErrors === null){vErrors = [err132];}else {vErrors.push(err132);}errors++;}else {errors = _errs162;if(vErrors !== null){if(_errs162){vErrors.length = _errs162;}else {vErrors = null;}}}}if(data57["maintenance-label"] !== undefined){if(typeof data57["maintenance-label"] !== "string"){const err133 = {instancePath:instancePath+"/issues/maintenance-label",schemaPath:"#/properties/issues/properties/maintenance-label/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err133];}else {vErrors.push(err133);}errors++;}}if(data57["maintenance-windows"] !== undefined){let data64 = data57["maintenance-windows"];if(Array.isArray(data64)){const len5 = data64.length;for(let i5=0; i5<len5; i5++){let data65 = data64[i5];if(data65 && typeof data65 == "object" && !Array.isArray(data65)){if(data65.start === undefined){const err134 = {instancePath:instancePath+"/issues/maintenance-windows/" + i5,schemaPath:"#/properties/issues/properties/maintenance-windows/items/required",keyword:"required",params:{missingProperty: "start"},message:"must have required property '"+"start"+"'"};if(vErrors === null){vErrors = [err134];}else {vErrors.push(err134);}errors++;}if(data65.end === undefined){const err135 = {instancePath:instancePath+"/issues/maintenance-windows/" + i5,schemaPath:"#/properties/issues/properties/maintenance-windows/items/required",keyword:"required",params:{missingProperty: "end"},message:"must have required property '"+"end"+"'"};if(vErrors === null){vErrors = [err135];}else {vErrors.push(err135);}errors++;}for(const key13 in data65){if(!(((key13 === "start") || (key13 === "end")) || (key13 === "reason"))){const err136 = {instancePath:instancePath+"/issues/maintenance-windows/" + i5,schemaPath:"#/properties/issues/properties/maintenance-windows/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key13},message:"must NOT have additional properties"};if(vErrors === null){vErrors = [err136];}else {vErrors.push(err136);}errors++;}}if(data65.start !== undefined){if(!(typeof data65.start === "string")){const err137 = {instancePath:instancePath+"/issues/maintenance-windows/" + i5+"/start",schemaPath:"#/properties/issues/properties/maintenance-windows/items/properties/start/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err137];}else {vErrors.push(err137);}errors++;}}if(data65.end !== undefined){if(!(typeof data65.end === "string")){const err138 = {instancePath:instancePath+"/issues/maintenance-windows/" + i5+"/end",schemaPath:"#/properties/issues/properties/maintenance-windows/items/properties/end/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err138];}else {vErrors.push(err138);}errors++;}}if(data65.reason !== undefined){if(typeof data65.reason !== "string"){const err139 = {instancePath:instancePath+"/issues/maintenance-windows/" + i5+"/reason",schemaPath:"#/properties/issues/properties/maintenance-windows/items/properties/reason/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err139];}else {vErrors.push(err139);}errors++;}}}else {const err140 = {instancePath:instancePath+"/issues/maintenance-windows/" + i5,schemaPath:"#/properties/issues/properties/maintenance-windows/items/type",keyword:"type",params:{type: "object"},message:"must be object"};if(vErrors === null){vErrors = [err140];}else {vErrors.push(err140);}errors++;}}}else {const err141 = {instancePath:instancePath+"/issues/maintenance-windows",schemaPath:"#/properties/issues/properties/maintenance-windows/type",keyword:"type",params:{type: "array"},message:"must be array"};if(vErrors === null){vErrors = [err141];}else {vErrors.push(err141);}errors++;}}if(data57.assignees !== undefined){let data69 = data57.assignees;if(Array.isArray(data69)){const len6 = data69.length;for(let i6=0; i6<len6; i6++){if(typeof data69[i6] !== "string"){const err142 = {instancePath:instancePath+"/issues/assignees/" + i6,schemaPath:"#/properties/issues/properties/assignees/items/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err142];}else {vErrors.push(err142);}errors++;}}}else {const err143 = {instancePath:instancePath+"/issues/assignees",schemaPath:"#/properties/issues/properties/assignees/type",keyword:"type",params:{type: "array"},message:"must be array"};if(vErrors === null){vErrors = [err143];}else {vErrors.push(err143);}errors++;}}}else {const err144 = {instancePath:instancePath+"/issues",schemaPath:"#/properties/issues/type",keyword:"type",params:{type: "object"},message:"must be object"};if(vErrors === null){vErrors = [err144];}else {vErrors.push(err144);}errors++;}}if(data.ssh !== undefined){let data71 = data.ssh;if(data71 && typeof data71 == "object" && !Array.isArray(data71)){for(const key14 in data71){if(!(((((((key14 === "user") || (key14 === "connect-timeout")) || (key14 === "command-timeout")) || (key14 === "keepalive-interval")) || (key14 === "keepalive-count-max")) || (key14 === "parallel")) || (key14 === "jump-host"))){const err145 = {instancePath:instancePath+"/ssh",schemaPath:"#/properties/ssh/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key14},message:"must NOT have additional properties"};if(vErrors === null){vErrors = [err145];}else {vErrors.push(err145);}errors++;}}if(data71.user !== undefined){let data72 = data71.user;if(typeof data72 === "string"){if(!pattern1.test(data72)){const err146 = {instancePath:instancePath+"/ssh/user",schemaPath:"#/properties/ssh/properties/user/pattern",keyword:"pattern",params:{pattern: "^[a-z_][a-z0-9_-]{0,31}$"},message:"must match pattern \""+"^[a-z_][a-z0-9_-]{0,31}$"+"\""};if(vErrors === null){vErrors = [err146];}else {vErrors.push(err146);}errors++;}}else {const err147 = {instancePath:instancePath+"/ssh/user",schemaPath:"#/properties/ssh/properties/user/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err147];}else {vErrors.push(err147);}errors++;}}if(data71["connect-timeout"] !== undefined){let data73 = data71["connect-timeout"];const _errs190 = errors;let valid43 = false;let passing7 = null;const _errs191 = errors;if(typeof data73 === "string"){if(!pattern7.test(data73)){const err148 = {instancePath:instancePath+"/ssh/connect-timeout",schemaPath:"#/definitions/duration/oneOf/0/pattern",keyword:"pattern",params:{pattern: "^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"},message:"must match pattern \""+"^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"+"\""};if(vErrors === null){vErrors = [err148];}else {vErrors.push(err148);}errors++;}}else {const err149 = {instancePath:instancePath+"/ssh/connect-timeout",schemaPath:"#/definitions/duration/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err149];}else {vErrors.push(err149);}errors++;}var _valid7 = _errs191 === errors;if(_valid7){valid43 = true;passing7 = 0;}const _errs193 = errors;if(0 !== data73){const err150 = {instancePath:instancePath+"/ssh/connect-timeout",schemaPath:"#/definitions/duration/oneOf/1/const",keyword:"const",params:{allowedValue: 0},message:"must be equal to constant"};if(vErrors === null){vErrors = [err150];}else {vErrors.push(err150);}errors++;}var _valid7 = _errs193 === errors;if(_valid7 && valid43){valid43 = false;passing7 = [passing7, 1];}else {if(_valid7){valid43 = true;passing7 = 1;}}if(!valid43){const err151 = {instancePath:instancePath+"/ssh/connect-timeout",schemaPath:"#/definitions/duration/oneOf",keyword:"oneOf",params:{passingSchemas: passing7},message:"must match exactly one schema in oneOf"};if(vErrors === null){vErrors = [err151];}else {vErrors.push(err151);}errors++;}else {errors = _errs190;if(vErrors !== null){if(_errs190){vErrors.length = _errs190;}else {vErrors = null;}}}}if(data71["command-timeout"] !== undefined){let data74 = data71["command-timeout"];const _errs196 = errors;let valid45 = false;let passing8 = null;const _errs197 = errors;if(typeof data74 === "string"){if(!pattern7.test(data74)){const err152 = {instancePath:instancePath+"/ssh/command-timeout",schemaPath:"#/definitions/duration/oneOf/0/pattern",keyword:"pattern",params:{pattern: "^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"},message:"must match pattern \""+"^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"+"\""};if(vErrors === null){vErrors = [err152];}else {vErrors.push(err152);}errors++;}}else {const err153 = {instancePath:instancePath+"/ssh/command-timeout",schemaPath:"#/definitions/duration/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err153];}else {vErrors.push(err153);}errors++;}var _valid8 = _errs197 === errors;if(_valid8){valid45 = true;passing8 = 0;}const _errs199 = errors;if(0 !== data74){const err154 = {instancePath:instancePath+"/ssh/command-timeout",schemaPath:"#/definitions/duration/oneOf/1/const",keyword:"const",params:{allowedValue: 0},message:"must be equal to constant"};if(vErrors === null){vErrors = [err154];}else {vErrors.push(err154);}errors++;}var _valid8 = _errs199 === errors;if(_valid8 && valid45){valid45 = false;passing8 = [passing8, 1];}else {if(_valid8){valid45 = true;passing8 = 1;}}if(!valid45){const err155 = {instancePath:instancePath+"/ssh/command-timeout",schemaPath:"#/definitions/duration/oneOf",keyword:"oneOf",params:{passingSchemas: passing8},message:"must match exactly one schema in oneOf"};if(vErrors === null){vErrors = [err155];}else {vErrors.push(err155);}errors++;}else {errors = _errs196;if(vErrors !== null){if(_errs196){vErrors.length = _errs196;}else {vErrors = null;}}}}if(data71["keepalive-interval"] !== undefined){let data75 = data71["keepalive-interval"];const _errs202 = errors;let valid47 = false;let passing9 = null;const _errs203 = errors;if(typeof data75 === "string"){if(!pattern7.test(data75)){const err156 = {instancePath:instancePath+"/ssh/keepalive-interval",schemaPath:"#/definitions/duration/oneOf/0/pattern",keyword:"pattern",params:{pattern: "^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"},message:"must match pattern \""+"^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$"+"\""};if(vErrors === null){vErrors = [err156];}else {vErrors.push(err156);}errors++;}}else {const err157 = {instancePath:instancePath+"/ssh/keepalive-interval",schemaPath:"#/definitions/duration/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err157];}else {vErrors.push(err157);}errors++;}var _valid9 = _errs203 === errors;if(_valid9){valid47 = true;passing9 = 0;}const _errs205 = errors;if(0 !== data75){const err158 = {instancePath:instancePath+"/ssh/keepalive-interval",schemaPath:"#/definitions/duration/oneOf/1/const",keyword:"const",params:{allowedValue: 0},message:"must be equal to constant"};if(vErrors === null){vErrors = [err158];}else {vErrors.push(err158);}errors++;}var _valid9 = _errs205 === errors;if(_valid9 && valid47){valid47 = false;passing9 = [passing9, 1];}else {if(_valid9){valid47 = true;passing9 = 1;}}if(!valid47){const err159 = {instancePath:instancePath+"/ssh/keepalive-interval",schemaPath:"#/definitions/duration/oneOf",keyword:"oneOf",params:{passingSchemas: passing9},message:"must match exactly one schema in oneOf"};if(vErrors === null){vErrors = [err159];}else {vErrors.push(err159);}errors++;}else {errors = _errs202;if(vErrors !== null){if(_errs202){vErrors.length = _errs202;}else {vErrors = null;}}}}if(data71["keepalive-count-max"] !== undefined){let data76 = data71["keepalive-count-max"];if(!((typeof data76 == "number") && (!(data76 % 1) && !isNaN(data76)))){const err160 = {instancePath:instancePath+"/ssh/keepalive-count-max",schemaPath:"#/properties/ssh/properties/keepalive-count-max/type",keyword:"type",params:{type: "integer"},message:"must be integer"};if(vErrors === null){vErrors = [err160];}else {vErrors.push(err160);}errors++;}if(typeof data76 == "number"){if(data76 > 20 || isNaN(data76)){const err161 = {instancePath:instancePath+"/ssh/keepalive-count-max",schemaPath:"#/properties/ssh/properties/keepalive-count-max/maximum",keyword:"maximum",params:{comparison: "<=", limit: 20},message:"must be <= 20"};if(vErrors === null){vErrors = [err161];}else {vErrors.push(err161);}errors++;}if(data76 < 1 || isNaN(data76)){const err162 = {instancePath:instancePath+"/ssh/keepalive-count-max",schemaPath:"#/properties/ssh/properties/keepalive-count-max/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};if(vErrors === null){vErrors = [err162];}else {vErrors.push(err162);}errors++;}}}if(data71.parallel !== undefined){let data77 = data71.parallel;if(!((typeof data77 == "number") && (!(data77 % 1) && !isNaN(data77)))){const err163 = {instancePath:instancePath+"/ssh/parallel",schemaPath:"#/properties/ssh/properties/parallel/type",keyword:"type",params:{type: "integer"},message:"must be integer"};if(vErrors === null){vErrors = [err163];}else {vErrors.push(err163);}errors++;}if(typeof data77 == "number"){if(data77 > 64 || isNaN(data77)){const err164 = {instancePath:instancePath+"/ssh/parallel",schemaPath:"#/properties/ssh/properties/parallel/maximum",keyword:"maximum",params:{comparison: "<=", limit: 64},message:"must be <= 64"};if(vErrors === null){vErrors = [err164];}else {vErrors.push(err164);}errors++;}if(data77 < 1 || isNaN(data77)){const err165 = {instancePath:instancePath+"/ssh/parallel",schemaPath:"#/properties/ssh/properties/parallel/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};if(vErrors === null){vErrors = [err165];}else {vErrors.push(err165);}errors++;}}}if(data71["jump-host"] !== undefined){if(typeof data71["jump-host"] !== "string"){const err166 = {instancePath:instancePath+"/ssh/jump-host",schemaPath:"#/properties/ssh/properties/jump-host/type",keyword:"type",params:{type: "string"},message:"must be string"};if(vErrors === null){vErrors = [err166];}else {vErrors.push(err166);}errors++;}}}else {const err167 = {instancePath:instancePath+"/ssh",schemaPath:"#/properties/ssh/type",keyword:"type",params:{type: "object"},message:"must be object"};if(vErrors === null){vErrors = [err167];}else {vErrors.push(err167);}errors++;}}}else {const err168 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};if(vErrors === null){vErrors = [err168];}else {vErrors.push(err168);}errors++;}validate10.errors = vErrors;return errors === 0;}

;// CONCATENATED MODULE: ./shared/src/config/load-config.ts
// Loads .github/ops.yml (or the `config` input's path), validates it against the schema and fills in defaults.







/**
 * Reads the ops config. `path` undefined means the default `.github/ops.yml`, which may be absent
 * (every value then has its runbook default); a path the user named must exist.
 */
function loadOpsConfig(path, cwd = process.env.GITHUB_WORKSPACE ?? process.cwd()) {
    const explicit = path !== undefined;
    const file = path ?? DEFAULT_CONFIG_PATH;
    const full = file.startsWith('/') ? file : `${cwd}/${file}`;
    if (!(0,external_node_fs_namespaceObject.existsSync)(full)) {
        if (explicit) {
            throw new errors/* ConfigurationError */.j(`Input 'config': no file at '${file}'. Check the path (relative to the repository root) or remove the input to use the defaults.`);
        }
        return defaultConfig();
    }
    return parseOpsConfig((0,external_node_fs_namespaceObject.readFileSync)(full, 'utf8'), file);
}
/** Parses and validates config text; `source` names the file in errors. */
function parseOpsConfig(text, source) {
    let raw;
    try {
        raw = (0,dist/* parse */.qg)(text) ?? {};
    }
    catch (e) {
        throw new errors/* ConfigurationError */.j(`Config '${source}' is not valid YAML: ${e.message.split('\n')[0]}`);
    }
    if (!validate(raw)) {
        const problems = (validate.errors ?? []).slice(0, 5).map(describeSchemaError).join('; ');
        throw new errors/* ConfigurationError */.j(`Config '${source}' is invalid: ${problems}. See shared/schema/ops-config.schema.json for every key.`);
    }
    return toOpsConfig(raw, source);
}
function describeSchemaError(err) {
    const where = err.instancePath ? err.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
    if (err.keyword === 'additionalProperties') {
        return `${where}: unknown key '${err.params.additionalProperty}'`;
    }
    if (err.keyword === 'enum')
        return `${where} must be one of ${err.params.allowedValues.map((v) => `'${v}'`).join(', ')}`;
    return `${where} ${err.message}`;
}
function toOpsConfig(raw, source) {
    const d = defaultConfig();
    const t = raw.thresholds ?? {};
    const num = (key, fallback) => (t[key] === undefined ? fallback : Number(t[key]));
    const dur = (value, key, fallback) => value === undefined ? fallback : parseDuration(value, `Config '${source}' key ${key}`);
    const sshUser = raw.ssh?.user ?? d.ssh.user;
    const hosts = (raw.hosts ?? []).map((h) => ({
        name: h.name,
        address: h.address,
        port: h.port ?? 22,
        user: h.user ?? sshUser,
        roles: h.roles ?? ['app'],
        ...(h.compose
            ? {
                compose: {
                    ...(h.compose['project-dir'] !== undefined ? { projectDir: h.compose['project-dir'] } : {}),
                    ...(h.compose.file !== undefined ? { file: h.compose.file } : {}),
                    ...(h.compose['env-file'] !== undefined ? { envFile: h.compose['env-file'] } : {}),
                    ...(h.compose['project-name'] !== undefined ? { projectName: h.compose['project-name'] } : {})
                }
            }
            : {})
    }));
    assertUnique(hosts.map((h) => h.name), `Config '${source}' hosts`);
    const services = Object.entries(raw.services ?? {}).map(([name, s]) => ({
        name,
        replicas: s?.replicas ?? 1,
        healthUrl: s?.['health-url']
    }));
    const endpoints = (raw.endpoints ?? []).map((e) => ({
        name: e.name ?? e.url,
        url: e.url,
        method: e.method ?? 'GET',
        expectStatus: e['expect-status'] === undefined ? [200] : [].concat(e['expect-status']),
        expectBody: e['expect-body'],
        expectHeaders: e['expect-headers'] ?? {},
        headers: e.headers ?? {},
        tls: e.tls ?? true
    }));
    const windows = (raw.issues?.['maintenance-windows'] ?? []).map((w, i) => {
        for (const edge of ['start', 'end']) {
            if (Number.isNaN(Date.parse(w[edge]))) {
                throw new errors/* ConfigurationError */.j(`Config '${source}' key issues.maintenance-windows[${i}].${edge} must be an ISO date-time such as 2026-12-01T22:00:00Z.`);
            }
        }
        return { start: w.start, end: w.end, reason: w.reason };
    });
    const config = {
        source,
        platform: raw.platform ?? d.platform,
        hosts,
        compose: {
            projectDir: raw.compose?.['project-dir'] ?? d.compose.projectDir,
            file: raw.compose?.file ?? d.compose.file,
            envFile: raw.compose?.['env-file'] ?? d.compose.envFile,
            command: raw.compose?.command ?? d.compose.command,
            projectName: raw.compose?.['project-name']
        },
        services,
        endpoints,
        database: {
            service: raw.database?.service ?? d.database.service,
            name: raw.database?.name ?? d.database.name,
            user: raw.database?.user ?? d.database.user,
            urlEnv: raw.database?.['url-env']
        },
        thresholds: {
            latencyWarnMs: dur(t['latency-warn'], 'thresholds.latency-warn', d.thresholds.latencyWarnMs),
            latencyFailMs: dur(t['latency-fail'], 'thresholds.latency-fail', d.thresholds.latencyFailMs),
            cpuFailPercent: num('cpu-fail-percent', d.thresholds.cpuFailPercent),
            cpuWindowMs: dur(t['cpu-window'], 'thresholds.cpu-window', d.thresholds.cpuWindowMs),
            memoryWarnPercent: num('memory-warn-percent', d.thresholds.memoryWarnPercent),
            memoryFailPercent: num('memory-fail-percent', d.thresholds.memoryFailPercent),
            memoryWindowMs: dur(t['memory-window'], 'thresholds.memory-window', d.thresholds.memoryWindowMs),
            diskWarnPercent: num('disk-warn-percent', d.thresholds.diskWarnPercent),
            diskFailPercent: num('disk-fail-percent', d.thresholds.diskFailPercent),
            dbConnectionsWarnPercent: num('db-connections-warn-percent', d.thresholds.dbConnectionsWarnPercent),
            dbConnectionsFail: num('db-connections-fail', d.thresholds.dbConnectionsFail),
            longQueryMs: dur(t['long-query'], 'thresholds.long-query', d.thresholds.longQueryMs),
            tlsWarnDays: num('tls-warn-days', d.thresholds.tlsWarnDays),
            tlsFailDays: num('tls-fail-days', d.thresholds.tlsFailDays)
        },
        issues: {
            labels: raw.issues?.labels ?? d.issues.labels,
            failuresToOpen: raw.issues?.['failures-to-open'] ?? d.issues.failuresToOpen,
            successesToClose: raw.issues?.['successes-to-close'] ?? d.issues.successesToClose,
            commentIntervalMs: dur(raw.issues?.['comment-interval'], 'issues.comment-interval', d.issues.commentIntervalMs),
            maintenanceLabel: raw.issues?.['maintenance-label'] ?? d.issues.maintenanceLabel,
            maintenanceWindows: windows,
            assignees: raw.issues?.assignees ?? d.issues.assignees
        },
        ssh: {
            user: sshUser,
            connectTimeoutMs: dur(raw.ssh?.['connect-timeout'], 'ssh.connect-timeout', d.ssh.connectTimeoutMs),
            commandTimeoutMs: dur(raw.ssh?.['command-timeout'], 'ssh.command-timeout', d.ssh.commandTimeoutMs),
            keepaliveIntervalMs: dur(raw.ssh?.['keepalive-interval'], 'ssh.keepalive-interval', d.ssh.keepaliveIntervalMs),
            keepaliveCountMax: raw.ssh?.['keepalive-count-max'] ?? d.ssh.keepaliveCountMax,
            parallel: raw.ssh?.parallel ?? d.ssh.parallel,
            jumpHost: raw.ssh?.['jump-host']
        }
    };
    assertThresholdOrder(config, source);
    return config;
}
function assertUnique(names, what) {
    const seen = new Set();
    for (const n of names) {
        if (seen.has(n))
            throw new errors/* ConfigurationError */.j(`${what}: the name '${n}' is used twice; host names must be unique.`);
        seen.add(n);
    }
}
function assertThresholdOrder(c, source) {
    const pairs = [
        ['latency-warn', c.thresholds.latencyWarnMs, 'latency-fail', c.thresholds.latencyFailMs, ' ms'],
        ['memory-warn-percent', c.thresholds.memoryWarnPercent, 'memory-fail-percent', c.thresholds.memoryFailPercent, ''],
        ['disk-warn-percent', c.thresholds.diskWarnPercent, 'disk-fail-percent', c.thresholds.diskFailPercent, '']
    ];
    for (const [wk, w, fk, f, unit] of pairs) {
        if (w > f)
            throw new errors/* ConfigurationError */.j(`Config '${source}': thresholds.${wk} (${w}${unit}) must not exceed thresholds.${fk} (${f}${unit}).`);
    }
    if (c.thresholds.tlsFailDays > c.thresholds.tlsWarnDays) {
        throw new errors/* ConfigurationError */.j(`Config '${source}': thresholds.tls-fail-days must not exceed thresholds.tls-warn-days.`);
    }
}

// EXTERNAL MODULE: ./shared/src/report/model.ts
var model = __nccwpck_require__(8127);
;// CONCATENATED MODULE: ./shared/src/report/draft.ts
// The report an action fills in while it works: whatever it has recorded stays in the report even when
// the run stops on an error or is cancelled half-way (a deploy's first host done, the second not).

/** Checks, sections and notes recorded so far in one run. */
class ReportDraft {
    action;
    title;
    startedAt;
    checks = [];
    sections = [];
    notes = [];
    constructor(action, title, startedAt = new Date()) {
        this.action = action;
        this.title = title;
        this.startedAt = startedAt;
    }
    /** Records checks; a check with an id already recorded replaces it (a step re-checked later). */
    add(...checks) {
        for (const check of checks) {
            const at = this.checks.findIndex((c) => c.id === check.id);
            if (at >= 0)
                this.checks[at] = check;
            else
                this.checks.push(check);
        }
    }
    section(section) {
        this.sections.push(section);
    }
    note(text) {
        this.notes.push(text);
    }
    /** The report as it stands. */
    build(outcome = 'finished') {
        return (0,model/* buildReport */.FK)({
            action: this.action,
            title: this.title,
            startedAt: this.startedAt,
            checks: [...this.checks],
            sections: [...this.sections],
            notes: [...this.notes],
            outcome
        });
    }
}

// EXTERNAL MODULE: ./shared/src/report/markdown-text.ts
var markdown_text = __nccwpck_require__(5505);
;// CONCATENATED MODULE: ./shared/src/report/markdown-table.ts
// The one Markdown table writer: every table in a summary, an issue or a comment goes through it, so
// a `|`, a line break, an @mention or HTML in a cell can never break the table or ping anyone.

/** Text made safe inside a table cell: HTML escaped, mentions neutralised, `|` and line breaks kept in the cell. */
function escapeCell(text) {
    return (0,markdown_text/* neutraliseMentions */.yY)((0,markdown_text/* escapeHtml */.ZD)(text)).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
/**
 * A GitHub-flavoured Markdown table. Cells are escaped unless passed as `{ markdown }` (icons, links or
 * code the caller wrote itself).
 */
function markdownTable(columns, rows) {
    const cols = columns.map((c) => (typeof c === 'string' ? { title: c } : c));
    const rule = cols.map((c) => (c.align === 'right' ? '---:' : c.align === 'center' ? ':---:' : '---'));
    const cell = (v) => (typeof v === 'object' ? v.markdown : escapeCell(String(v)));
    return [`| ${cols.map((c) => escapeCell(c.title)).join(' | ')} |`, `|${rule.join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

;// CONCATENATED MODULE: ./shared/src/report/render-markdown.ts
// Renders a report as the job summary: a headline, one table per check kind, folded details, extra sections.



const STATUS_ICON = { ok: '✅', warn: '⚠️', fail: '❌' };
const STATUS_WORD = { ok: 'OK', warn: 'Warning', fail: 'Failing' };
/** A run that did not finish says so in the headline, whatever its checks say. */
const OUTCOME_WORD = { stopped: 'Stopped', cancelled: 'Cancelled' };
/** Markdown for GitHub's job summary. Pure; secrets scrubbed. */
function renderMarkdown(report) {
    const out = [];
    const failing = report.checks.filter((c) => c.status !== 'ok').length;
    out.push(`## ${STATUS_ICON[report.status]} ${escapeCell(report.title)}: ${OUTCOME_WORD[report.outcome] ?? STATUS_WORD[report.status]}`);
    out.push('');
    out.push(`${report.checks.length} check${report.checks.length === 1 ? '' : 's'}, ${failing} not ok · ` +
        `started ${report.startedAt} · took ${(0,markdown_text/* formatDuration */.a3)(Date.parse(report.finishedAt) - Date.parse(report.startedAt))}`);
    for (const note of report.notes)
        out.push('', `> ${escapeInline(note)}`);
    for (const [kind, checks] of groupByKind(report.checks)) {
        const rows = sortBySeverity(checks).map((c) => [{ markdown: STATUS_ICON[c.status] }, c.target, formatValue(c), c.threshold ?? '', c.message]);
        out.push('', `### ${kindTitle(kind)}`, '', markdownTable(['', 'Target', 'Value', 'Threshold', 'Result'], rows));
        const detailed = checks.filter((c) => c.details);
        for (const c of detailed) {
            out.push('', `<details><summary>${STATUS_ICON[c.status]} ${(0,markdown_text/* escapeHtml */.ZD)(c.target)}</summary>`, '', (0,markdown_text/* fence */.EU)(c.details ?? ''), '', '</details>');
        }
    }
    for (const s of report.sections)
        out.push('', `### ${escapeInline(s.title)}`, '', s.markdown);
    return (0,secrets/* scrubSecrets */.Zg)(out.join('\n')) + '\n';
}
/** Value with its unit, or an empty string. */
function formatValue(c) {
    if (c.value === undefined)
        return '';
    const v = typeof c.value === 'number' ? formatNumber(c.value) : c.value;
    return c.unit ? `${v} ${c.unit}` : String(v);
}
/** `1234` → `1234`, `12.3456` → `12.35`. */
function formatNumber(n) {
    return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, '');
}
/** Checks grouped by kind, in first-seen order. */
function groupByKind(checks) {
    const groups = new Map();
    for (const c of checks)
        groups.set(c.kind, [...(groups.get(c.kind) ?? []), c]);
    return groups;
}
/** Failing first, then warnings, then ok; stable otherwise. */
function sortBySeverity(checks) {
    const rank = { fail: 0, warn: 1, ok: 2 };
    return [...checks].sort((a, b) => rank[a.status] - rank[b.status]);
}
function kindTitle(kind) {
    const titles = {
        http: 'HTTP endpoints',
        host: 'Hosts',
        container: 'Containers',
        database: 'Database',
        tls: 'TLS certificates',
        nats: 'Agents and NATS',
        run: 'Run'
    };
    return titles[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1);
}
function escapeInline(text) {
    return (0,markdown_text/* neutraliseMentions */.yY)((0,markdown_text/* escapeHtml */.ZD)(text));
}

;// CONCATENATED MODULE: ./shared/src/report/render-console.ts
// Renders a report for a terminal or the Actions log: aligned columns, a status word per row.


const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };
/** Plain-text report. Pure; secrets scrubbed. */
function renderConsole(report) {
    const ended = report.outcome === 'finished' ? '' : `, ${report.outcome.toUpperCase()}`;
    const lines = [`${report.title}: ${report.status.toUpperCase()}${ended} (${report.checks.length} checks)`];
    for (const note of report.notes)
        lines.push(`  note: ${note}`);
    for (const [kind, checks] of groupByKind(report.checks)) {
        lines.push('', `[${kind}]`);
        const rows = sortBySeverity(checks).map((c) => [MARK[c.status], c.target, formatValue(c), c.threshold ?? '', c.message]);
        const widths = [4, 0, 0, 0].map((min, i) => Math.min(48, Math.max(min, ...rows.map((r) => r[i].length))));
        for (const r of rows) {
            lines.push(`  ${r.slice(0, 4).map((cell, i) => cell.padEnd(widths[i])).join('  ')}  ${r[4]}`.trimEnd());
        }
    }
    return (0,secrets/* scrubSecrets */.Zg)(lines.join('\n'));
}

;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
// EXTERNAL MODULE: ./shared/src/libraries/load-library.ts + 1 modules
var load_library = __nccwpck_require__(6841);
;// CONCATENATED MODULE: ./shared/src/state/types.ts
function emptyState() {
    return { version: 1, checks: {}, history: {} };
}

;// CONCATENATED MODULE: ./shared/src/state/state-store.ts





/** Longest metric series kept: a week of 5-minute runs, give or take. */
const MAX_SAMPLES = 2000;
/** State in a JSON file: for the local runner and for tests. */
class FileStateStore {
    file;
    constructor(file) {
        this.file = file;
    }
    async load() {
        if (!(0,external_node_fs_namespaceObject.existsSync)(this.file))
            return emptyState();
        return parseState((0,external_node_fs_namespaceObject.readFileSync)(this.file, 'utf8'));
    }
    async save(state) {
        (0,external_node_fs_namespaceObject.mkdirSync)((0,external_node_path_namespaceObject.dirname)(this.file), { recursive: true });
        const tmp = `${this.file}.tmp`;
        (0,external_node_fs_namespaceObject.writeFileSync)(tmp, JSON.stringify(state));
        (0,external_node_fs_namespaceObject.renameSync)(tmp, this.file);
    }
}
/**
 * State in the Actions cache. Cache entries are immutable, so every run saves under a new key and
 * restores the newest entry by prefix. A cache outage is logged, never fails the run.
 */
class CacheStateStore {
    action;
    warn;
    cache;
    file;
    path;
    constructor(action, warn, cache) {
        this.action = action;
        this.warn = warn;
        this.cache = cache;
        this.path = (0,external_node_path_namespaceObject.join)(process.env.RUNNER_TEMP ?? (0,external_node_os_namespaceObject.tmpdir)(), 'a2a-ops-state', `${action}.json`);
        this.file = new FileStateStore(this.path);
    }
    get prefix() {
        return `a2a-ops-state-${this.action}-`;
    }
    async load() {
        try {
            await this.cache.restoreCache([this.path], `${this.prefix}${runKey()}`, [this.prefix]);
        }
        catch (e) {
            this.warn(`Could not restore state from the Actions cache (history starts empty): ${e.message}`);
        }
        return this.file.load();
    }
    async save(state) {
        await this.file.save(state);
        try {
            await this.cache.saveCache([this.path], `${this.prefix}${runKey()}`);
        }
        catch (e) {
            this.warn(`Could not save state to the Actions cache: ${e.message}`);
        }
    }
}
/**
 * The cache store on a runner that has the cache service; a file store everywhere else. The cache
 * client (and the Azure storage SDK under it) is loaded only on a runner, where it is used.
 */
async function createStateStore(action, warn) {
    if (process.env.A2A_OPS_STATE_DIR)
        return new FileStateStore((0,external_node_path_namespaceObject.join)(process.env.A2A_OPS_STATE_DIR, `${action}.json`));
    if (process.env.GITHUB_ACTIONS === 'true') {
        const cache = await (0,load_library/* loadLibrary */._)('cache');
        if (cache.isFeatureAvailable())
            return new CacheStateStore(action, warn, cache);
    }
    // Not under the working directory: ncc would copy whatever state files exist there at build time into dist/.
    return new FileStateStore((0,external_node_path_namespaceObject.join)((0,external_node_os_namespaceObject.tmpdir)(), 'a2a-ops-state', `${action}.json`));
}
/** Appends a sample to a bounded series. */
function recordSample(state, key, sample) {
    const series = state.history[key] ?? [];
    series.push(sample);
    state.history[key] = series.slice(-MAX_SAMPLES);
}
function runKey() {
    return `${process.env.GITHUB_RUN_ID ?? 'local'}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}-${Date.now()}`;
}
function parseState(text) {
    try {
        const parsed = JSON.parse(text);
        if (parsed.version !== 1)
            return emptyState();
        return { ...emptyState(), ...parsed, checks: parsed.checks ?? {}, history: parsed.history ?? {} };
    }
    catch {
        return emptyState();
    }
}

;// CONCATENATED MODULE: ./shared/src/run/cancellation.ts
// Cancellation as the runner does it: SIGINT, then SIGTERM about 7.5 s later, then SIGKILL. The first
// signal aborts the run's AbortSignal; the funnel then has that window to clean up and report.
/** The signals a runner (or a person at a terminal) cancels a step with. */
const CANCEL_SIGNALS = ['SIGINT', 'SIGTERM'];
/**
 * How long the funnel allows itself after the first signal: the runner sends SIGTERM 7.5 s after
 * SIGINT and kills 2.5 s after that. Cleanups get most of the first window; the report the rest.
 */
const CANCEL_GRACE = { settleMs: 1500, cleanupMs: 5000 };
/** Installs SIGINT/SIGTERM handlers for one run. Later signals are absorbed while cleanups run. */
function watchCancellation(target = process) {
    const controller = new AbortController();
    let received;
    let resolve;
    const whenCancelled = new Promise((r) => (resolve = r));
    const handlers = CANCEL_SIGNALS.map((sig) => {
        const handler = () => {
            if (received)
                return;
            received = sig;
            controller.abort(new Error(`cancelled by ${sig}`));
            resolve(sig);
        };
        target.on(sig, handler);
        return [sig, handler];
    });
    return {
        signal: controller.signal,
        get received() {
            return received;
        },
        whenCancelled,
        dispose: () => {
            for (const [sig, handler] of handlers)
                target.off(sig, handler);
        }
    };
}

;// CONCATENATED MODULE: ./shared/src/run/cleanups.ts
// Cleanups registered while a run changes things (release a lock, delete a temp file, restore a file):
// run newest first on success, failure and cancellation, each bounded in time, none able to stop the rest.


/** The state key under which pending persisted cleanups are handed to the `post:` step. */
const POST_CLEANUPS_STATE = 'a2a-ops-pending-cleanups';
/**
 * The run's cleanup stack. `add` returns a function that drops the entry once the work it guards has
 * been undone normally (a lock released in the happy path needs no second release).
 */
class Cleanups {
    saveState;
    entries = [];
    nextId = 1;
    running;
    /** How each cleanup that ran ended, in the order they ran. */
    outcomes = [];
    constructor(saveState = (k, v) => lib_core/* saveState */.LZ(k, v)) {
        this.saveState = saveState;
    }
    /** Registers `fn` under a label a person reads (`release the deploy lock on app-1`). */
    add(label, fn, opts = {}) {
        if (this.running)
            throw new Error(`Cleanup '${label}' registered while cleanups are already running`);
        const entry = { id: this.nextId++, label, fn: async () => fn(), persist: opts.persist };
        this.entries.push(entry);
        this.persist();
        return () => {
            this.entries = this.entries.filter((e) => e.id !== entry.id);
            this.persist();
        };
    }
    /** Labels of the cleanups still pending, newest first. */
    get pending() {
        return this.entries.map((e) => e.label).reverse();
    }
    /**
     * Runs every pending cleanup once, newest first. Each gets at most `perCleanupMs`, and all together
     * at most `budgetMs` (what is left when the budget is spent is reported as not run). Never throws.
     * A second call while the first runs returns the same outcomes.
     */
    runAll(opts) {
        this.running ??= this.runEntries(opts);
        return this.running;
    }
    async runEntries(opts) {
        const deadline = Date.now() + opts.budgetMs;
        const todo = [...this.entries].reverse();
        for (const entry of todo) {
            const started = Date.now();
            const left = Math.min(opts.perCleanupMs ?? opts.budgetMs, deadline - started);
            let problem;
            if (left <= 0) {
                problem = 'not run: the cancellation grace period was used up';
            }
            else {
                problem = await within(entry.fn(), left).then((timedOut) => (timedOut ? `did not finish within ${Math.round(left / 100) / 10} s` : undefined), (e) => (0,errors/* toError */.i)(e).message);
            }
            this.outcomes.push({ label: entry.label, ok: problem === undefined, problem, durationMs: Date.now() - started });
            // A persisted cleanup that failed here stays in the step state: the post step tries it again.
            if (problem === undefined)
                this.entries = this.entries.filter((e) => e.id !== entry.id);
        }
        this.persist();
        return this.outcomes;
    }
    persisted = '[]';
    /** Hands the pending persisted cleanups to the post step; only writes when that list changed. */
    persist() {
        const pending = JSON.stringify(this.entries.flatMap((e) => (e.persist ? [{ label: e.label, ...e.persist }] : [])));
        if (pending === this.persisted)
            return;
        try {
            this.saveState(POST_CLEANUPS_STATE, pending);
            this.persisted = pending;
        }
        catch (e) {
            // The post step then has nothing to retry; the main step's own cleanups still run.
            lib_core/* warning */.$e(`Could not hand cleanups to the post step: ${(0,errors/* toError */.i)(e).message}`);
        }
    }
}
/** Resolves true when `work` did not settle within `ms`; rejects with its error when it failed in time. */
async function within(work, ms) {
    let timer;
    const timeout = new Promise((resolve) => {
        timer = setTimeout(() => resolve(true), ms);
    });
    try {
        return await Promise.race([work.then(() => false), timeout]);
    }
    finally {
        clearTimeout(timer);
    }
}

;// CONCATENATED MODULE: ./shared/src/run/common-inputs.ts
// Reads the inputs every action shares (config, github-token, issue, fail-on).


function readCommonInputs() {
    return {
        githubToken: readSecret(COMMON_INPUTS.githubToken),
        config: readString(COMMON_INPUTS.config),
        issue: readChoice(COMMON_INPUTS.issue, ISSUE_MODES, 'auto'),
        failOn: readChoice(COMMON_INPUTS.failOn, FAIL_ON, 'fail')
    };
}

;// CONCATENATED MODULE: ./shared/src/run/logger.ts
// The Actions log as a Logger: groups per phase, warnings as annotations.


/** Logs through @actions/core; every line is scrubbed of registered secrets first. */
const actionsLogger = {
    info: (msg) => lib_core/* info */.pq((0,secrets/* scrubSecrets */.Zg)(msg)),
    warn: (msg) => lib_core/* warning */.$e((0,secrets/* scrubSecrets */.Zg)(msg)),
    debug: (msg) => lib_core/* debug */.Yz((0,secrets/* scrubSecrets */.Zg)(msg)),
    group: (title, fn) => lib_core/* group */.Os((0,secrets/* scrubSecrets */.Zg)(title), fn)
};

;// CONCATENATED MODULE: ./shared/src/run/run-action.ts
// The one failure funnel: every action runs through here, and only here is core.setFailed called.

















/** How long the cleanups of a run that finished or stopped may take together (each: CLEANUP_EACH_MS). */
const CLEANUP_BUDGET_MS = 120_000;
const CLEANUP_EACH_MS = 60_000;
/**
 * Runs an action: inputs and config first (a mistake there fails before anything is touched), then
 * execute, then the registered cleanups, then report (console, job summary, outputs), incident issues
 * and state. On SIGINT/SIGTERM the run is aborted, cleaned up and reported as cancelled within the
 * runner's grace window. Never throws.
 */
async function runAction(def, opts = {}) {
    const cancellation = watchCancellation();
    try {
        await runGuarded(def, cancellation, opts);
    }
    catch (thrown) {
        // Only a bug in the funnel itself lands here; it must still fail the step.
        lib_core/* setFailed */.C1((0,secrets/* scrubSecrets */.Zg)(`${def.title}: internal error: ${(0,errors/* toError */.i)(thrown).message}`));
    }
    finally {
        cancellation.dispose();
    }
}
async function runGuarded(def, cancellation, opts) {
    const log = actionsLogger;
    const startedAt = new Date();
    const eventName = process.env.GITHUB_EVENT_NAME ?? 'local';
    let inputs;
    let ctx;
    try {
        const common = readCommonInputs();
        const config = loadOpsConfig(common.config);
        inputs = def.readInputs({ config, common, eventName });
        ctx = {
            config,
            common,
            eventName,
            runUrl: runUrl(),
            log,
            state: emptyState(),
            report: new ReportDraft(def.name, def.title, startedAt),
            cleanups: new Cleanups(),
            signal: cancellation.signal
        };
    }
    catch (thrown) {
        failOnSetup((0,errors/* toError */.i)(thrown));
        return;
    }
    const store = await createStateStore(def.name, log.warn).catch((e) => {
        log.warn(`State between runs is off for this run: ${e.message}`);
        return undefined;
    });
    ctx.state = (await store?.load().catch(() => emptyState())) ?? emptyState();
    const ending = await executeUntilCancelled(def, inputs, ctx, cancellation);
    if (ending.kind === 'stopped' && ending.error instanceof errors/* ConfigurationError */.j && ctx.report.checks.length === 0) {
        await runCleanups(ctx, cancellation);
        failOnSetup(ending.error);
        return;
    }
    const cleanups = await runCleanups(ctx, cancellation);
    const report = finalReport(ending, ctx, cleanups);
    guarded(log, 'publish the report', () => publishReport(report, ending.kind === 'finished' ? (ending.result.outputs ?? {}) : {}));
    if (ending.kind === 'cancelled') {
        // The grace window is for cleaning up: no issue traffic, no cache upload. The next run carries on.
        lib_core/* setFailed */.C1((0,secrets/* scrubSecrets */.Zg)(`${def.title} was cancelled (${ending.signal}); ${describeCleanups(cleanups)}.`));
        (opts.exitAfterCancel ?? ((code) => process.exit(code)))(1);
        return;
    }
    if (ctx.common.issue === 'auto')
        await guardedAsync(log, 'sync incident issues', () => syncIssuesLazily(def, report, ctx));
    await saveState(store, report, ctx);
    decideStepResult(def, report, ending, ctx);
}
/** Runs execute, but returns as soon as the run is cancelled (after a short wait for execute to notice). */
async function executeUntilCancelled(def, inputs, ctx, cancellation) {
    const executed = def.execute(inputs, ctx).then((result) => ({ kind: 'finished', result }), (thrown) => ({ kind: 'stopped', error: (0,errors/* toError */.i)(thrown) }));
    const cancelled = cancellation.whenCancelled.then((signal) => ({ kind: 'cancelled', signal }));
    const first = await Promise.race([executed, cancelled]);
    if (first.kind !== 'cancelled')
        return first;
    ctx.log.warn(`Cancelled by ${first.signal}: stopping and cleaning up.`);
    // Work that honours ctx.signal stops on its own; give it a moment so its cleanups are registered.
    await Promise.race([executed, delay(CANCEL_GRACE.settleMs)]);
    return first;
}
/** Runs the registered cleanups; bounded by the grace window once the run is cancelled. */
async function runCleanups(ctx, cancellation) {
    if (ctx.cleanups.pending.length === 0)
        return [];
    const cancelled = cancellation.received !== undefined;
    const all = ctx.cleanups.runAll(cancelled ? { budgetMs: CANCEL_GRACE.cleanupMs, perCleanupMs: CANCEL_GRACE.cleanupMs } : { budgetMs: CLEANUP_BUDGET_MS, perCleanupMs: CLEANUP_EACH_MS });
    // A cancel arriving during normal cleanups: keep cleaning, but only within the grace window.
    const outcomes = await Promise.race([all, cancellation.whenCancelled.then(() => Promise.race([all, delay(CANCEL_GRACE.cleanupMs).then(() => ctx.cleanups.outcomes)]))]);
    for (const o of outcomes) {
        if (o.ok)
            ctx.log.info(`Cleanup: ${o.label} (${(o.durationMs / 1000).toFixed(1)} s).`);
        else
            ctx.log.warn(`Cleanup failed: ${o.label}: ${o.problem}`);
    }
    return outcomes;
}
/** The report: execute's own, or the draft as it stood, plus what stopped the run and how cleanup went. */
function finalReport(ending, ctx, cleanups) {
    const draft = ctx.report;
    const cleanupChecks = cleanups
        .filter((c) => !c.ok)
        .map((c) => ({ id: `cleanup:${c.label}`, kind: 'run', target: 'cleanup', status: 'fail', message: `${c.label}: ${c.problem}` }));
    const cleanedNote = cleanups.some((c) => c.ok) ? [`Cleaned up: ${cleanups.filter((c) => c.ok).map((c) => c.label).join('; ')}.`] : [];
    if (ending.kind === 'finished') {
        const report = ending.result.report ?? draft.build('finished');
        return { ...report, checks: [...report.checks, ...cleanupChecks], notes: [...report.notes, ...cleanedNote], status: cleanupChecks.length ? 'fail' : report.status };
    }
    const elapsed = ((Date.now() - draft.startedAt.getTime()) / 1000).toFixed(1);
    const message = ending.kind === 'cancelled'
        ? `Cancelled by ${ending.signal} after ${elapsed} s; ${describeCleanups(cleanups)}`
        : `The run stopped: ${ending.error.message}`;
    if (ending.kind === 'stopped' && !(ending.error instanceof errors/* ConfigurationError */.j))
        lib_core/* debug */.Yz((0,secrets/* scrubSecrets */.Zg)(ending.error.stack ?? ending.error.message));
    draft.add({ id: 'run', kind: 'run', target: draft.action, status: 'fail', message }, ...cleanupChecks);
    for (const note of cleanedNote)
        draft.note(note);
    return draft.build(ending.kind);
}
function describeCleanups(cleanups) {
    if (cleanups.length === 0)
        return 'nothing needed cleaning up';
    const failed = cleanups.filter((c) => !c.ok);
    const done = `cleaned up ${cleanups.length - failed.length} of ${cleanups.length}`;
    return failed.length ? `${done}; NOT cleaned up: ${failed.map((c) => `${c.label} (${c.problem})`).join('; ')}` : `${done}: ${cleanups.map((c) => c.label).join('; ')}`;
}
/** Fails the step when the checks reach `fail-on`; a run that stopped always fails it. */
function decideStepResult(def, report, ending, ctx) {
    if (ending.kind === 'stopped') {
        lib_core/* setFailed */.C1((0,secrets/* scrubSecrets */.Zg)(`${def.title} stopped: ${ending.error.message}`));
        return;
    }
    const failOn = ctx.common.failOn;
    if (failOn !== 'never' && (0,model/* reaches */.O6)(report.status, failOn)) {
        const bad = report.checks.filter((c) => (0,model/* reaches */.O6)(c.status, failOn));
        lib_core/* setFailed */.C1((0,secrets/* scrubSecrets */.Zg)(`${def.title}: ${bad.length} check${bad.length === 1 ? '' : 's'} at '${failOn}' or worse: ${bad.map((c) => c.id).join(', ')}`));
    }
}
/** Writes the console report, the job summary (never failing the step) and the outputs. */
function publishReport(report, extra) {
    lib_core/* info */.pq('');
    lib_core/* info */.pq(renderConsole(report));
    lib_core/* setOutput */.uH(COMMON_OUTPUTS.status, report.status);
    lib_core/* setOutput */.uH(COMMON_OUTPUTS.report, (0,secrets/* scrubSecrets */.Zg)(JSON.stringify(report)));
    for (const [name, value] of Object.entries(extra))
        lib_core/* setOutput */.uH(name, (0,secrets/* scrubSecrets */.Zg)(value));
    writeSummary(renderMarkdown(report));
}
function writeSummary(markdown) {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file)
        return;
    // Appended directly rather than through core.summary, which caches the first file path it sees.
    // A summary problem (file missing, too large) must never change the step's result.
    try {
        (0,external_node_fs_namespaceObject.appendFileSync)(file, markdown);
    }
    catch (e) {
        lib_core/* warning */.$e(`Could not write the job summary: ${e.message}`);
    }
}
/** Incident issues: Octokit and the sync code load only when a run files issues. */
async function syncIssuesLazily(def, report, ctx) {
    const { syncIncidentIssues } = await __nccwpck_require__.e(/* import() */ 116).then(__nccwpck_require__.bind(__nccwpck_require__, 5116));
    await syncIncidentIssues({ action: def.name, issueOn: def.issueOn ?? 'fail' }, report, ctx);
}
async function saveState(store, report, ctx) {
    if (!store)
        return;
    ctx.state.lastRunAt = report.finishedAt;
    if (ctx.eventName === 'schedule')
        ctx.state.lastScheduledRunAt = report.finishedAt;
    await store.save(ctx.state).catch((e) => ctx.log.warn(`Could not save state: ${e.message}`));
}
/** A failure before anything ran: printed plainly; the stack only in debug for non-user errors. */
function failOnSetup(error) {
    if (!(error instanceof errors/* ConfigurationError */.j))
        lib_core/* debug */.Yz((0,secrets/* scrubSecrets */.Zg)(error.stack ?? ''));
    lib_core/* setOutput */.uH(COMMON_OUTPUTS.status, 'fail');
    lib_core/* setFailed */.C1((0,secrets/* scrubSecrets */.Zg)(error.message));
}
/** Runs a step after execute that must never escape the funnel: a failure there is a warning. */
function guarded(log, what, fn) {
    try {
        fn();
    }
    catch (e) {
        log.warn(`Could not ${what}: ${(0,errors/* toError */.i)(e).message}`);
    }
}
async function guardedAsync(log, what, fn) {
    try {
        await fn();
    }
    catch (e) {
        log.warn(`Could not ${what}: ${(0,errors/* toError */.i)(e).message}`);
    }
}
/** A wait that never keeps the process alive on its own. */
function delay(ms) {
    return (0,promises_namespaceObject.setTimeout)(ms, undefined, { ref: false });
}
function runUrl() {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = process.env;
    return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : 'local run';
}

;// CONCATENATED MODULE: ./node_modules/yocto-queue/index.js
/*
How it works:
`this.#head` is an instance of `Node` which keeps track of its current value and nests another instance of `Node` that keeps the value that comes after it. When a value is provided to `.enqueue()`, the code needs to iterate through `this.#head`, going deeper and deeper to find the last value. However, iterating through every single item is slow. This problem is solved by saving a reference to the last value as `this.#tail` so that it can reference it to add a new value.
*/

class Node {
	value;
	next;

	constructor(value) {
		this.value = value;
	}
}

class Queue {
	#head;
	#tail;
	#size;

	constructor() {
		this.clear();
	}

	enqueue(value) {
		const node = new Node(value);

		if (this.#head) {
			this.#tail.next = node;
			this.#tail = node;
		} else {
			this.#head = node;
			this.#tail = node;
		}

		this.#size++;
	}

	dequeue() {
		const current = this.#head;
		if (!current) {
			return;
		}

		this.#head = this.#head.next;
		this.#size--;

		// Clean up tail reference when queue becomes empty
		if (!this.#head) {
			this.#tail = undefined;
		}

		return current.value;
	}

	peek() {
		if (!this.#head) {
			return;
		}

		return this.#head.value;

		// TODO: Node.js 18.
		// return this.#head?.value;
	}

	clear() {
		this.#head = undefined;
		this.#tail = undefined;
		this.#size = 0;
	}

	get size() {
		return this.#size;
	}

	* [Symbol.iterator]() {
		let current = this.#head;

		while (current) {
			yield current.value;
			current = current.next;
		}
	}

	* drain() {
		while (this.#head) {
			yield this.dequeue();
		}
	}
}

;// CONCATENATED MODULE: ./node_modules/p-limit/index.js


function pLimit(concurrency) {
	let rejectOnClear = false;

	if (typeof concurrency === 'object') {
		({concurrency, rejectOnClear = false} = concurrency);
	}

	validateConcurrency(concurrency);

	if (typeof rejectOnClear !== 'boolean') {
		throw new TypeError('Expected `rejectOnClear` to be a boolean');
	}

	const queue = new Queue();
	let activeCount = 0;

	const resumeNext = () => {
		// Process the next queued function if we're under the concurrency limit
		if (activeCount < concurrency && queue.size > 0) {
			activeCount++;
			queue.dequeue().run();
		}
	};

	const next = () => {
		activeCount--;
		resumeNext();
	};

	const run = async (function_, resolve, arguments_) => {
		// Execute the function and capture the result promise
		const result = (async () => function_(...arguments_))();

		// Resolve immediately with the promise (don't wait for completion)
		resolve(result);

		// Wait for the function to complete (success or failure)
		// We catch errors here to prevent unhandled rejections,
		// but the original promise rejection is preserved for the caller
		try {
			await result;
		} catch {}

		// Decrement active count and process next queued function
		next();
	};

	const enqueue = (function_, resolve, reject, arguments_) => {
		const queueItem = {reject};

		// Queue the internal resolve function instead of the run function
		// to preserve the asynchronous execution context.
		new Promise(internalResolve => { // eslint-disable-line promise/param-names
			queueItem.run = internalResolve;
			queue.enqueue(queueItem);
		}).then(run.bind(undefined, function_, resolve, arguments_)); // eslint-disable-line promise/prefer-await-to-then

		// Start processing immediately if we haven't reached the concurrency limit
		if (activeCount < concurrency) {
			resumeNext();
		}
	};

	const generator = (function_, ...arguments_) => new Promise((resolve, reject) => {
		enqueue(function_, resolve, reject, arguments_);
	});

	Object.defineProperties(generator, {
		activeCount: {
			get: () => activeCount,
		},
		pendingCount: {
			get: () => queue.size,
		},
		clearQueue: {
			value() {
				if (!rejectOnClear) {
					queue.clear();
					return;
				}

				const abortError = AbortSignal.abort().reason;

				while (queue.size > 0) {
					queue.dequeue().reject(abortError);
				}
			},
		},
		concurrency: {
			get: () => concurrency,

			set(newConcurrency) {
				validateConcurrency(newConcurrency);
				concurrency = newConcurrency;

				queueMicrotask(() => {
					// eslint-disable-next-line no-unmodified-loop-condition
					while (activeCount < concurrency && queue.size > 0) {
						resumeNext();
					}
				});
			},
		},
		map: {
			async value(iterable, function_) {
				const promises = [];

				try {
					Array.from(iterable, (value, index) => {
						const promise = generator(function_, value, index);
						promises.push(promise);
						return promise;
					});
				} catch (error) {
					// The iterable threw, so `Promise.all` never observes the already scheduled promises. Observe them here to avoid unhandled rejections.
					for (const promise of promises) {
						promise.catch(() => {}); // eslint-disable-line promise/prefer-await-to-then
					}

					throw error;
				}

				return Promise.all(promises);
			},
		},
	});

	return generator;
}

function limitFunction(function_, options) {
	const limit = pLimit(options);

	const limitedFunction = (...arguments_) => limit(() => function_(...arguments_));
	Object.defineProperty(limitedFunction, 'clearQueue', {
		value: limit.clearQueue,
	});

	return limitedFunction;
}

function validateConcurrency(concurrency) {
	if (!((Number.isInteger(concurrency) || concurrency === Number.POSITIVE_INFINITY) && concurrency > 0)) {
		throw new TypeError('Expected `concurrency` to be a number from 1 and up');
	}
}

;// CONCATENATED MODULE: ./shared/src/concurrency/map-limit.ts
// The one concurrency limiter of the core: bounded fan-out that keeps input order (p-limit underneath).


/**
 * Runs `fn` over `items` with at most `limit` calls in flight and resolves with the results in input
 * order. Like `Promise.all`, the first rejection rejects the whole; callers that must keep every outcome
 * catch inside `fn` (see `settle`).
 */
async function map_limit_mapLimit(items, limit, fn) {
    const run = pLimit(Math.max(1, Math.floor(limit)));
    return Promise.all(items.map((item, i) => run(() => fn(item, i))));
}
/** `fn`'s result or its error, never a rejection: for fan-outs where one failure must not drop the rest. */
async function map_limit_settle(fn) {
    try {
        return { ok: true, value: await fn() };
    }
    catch (error) {
        return { ok: false, error: toError(error) };
    }
}

;// CONCATENATED MODULE: ./shared/src/health/one-line.ts
// Untrusted remote text (a header, a greeting, an error) put into a one-line check message.
/**
 * Flattens `text` to one line without control characters and bounds its length, so a hostile answer
 * can neither break a table row nor start a log line with a workflow command such as `::add-mask::`.
 */
function one_line_oneLine(text, max = 200) {
    const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

;// CONCATENATED MODULE: ./action-incident/src/incident/diagnosis.ts
/** An empty diagnosis to fill in. */
function diagnosis(family) {
    return { family, faults: [], sections: [], notes: [] };
}

;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
;// CONCATENATED MODULE: external "node:net"
const external_node_net_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");
;// CONCATENATED MODULE: ./shared/src/health/network-error.ts
// Names an HTTP request's network failure the way an operator would (moved from action-health's HTTP check,
// shared with action-incident's endpoint timings).

/** Names the failure the way an operator would: timeout, refused, DNS, TLS. */
function describeNetworkError(err, timeoutMs) {
    const e = err;
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
        return `no answer within ${timeoutMs} ms`;
    const code = e?.code ?? e?.cause?.code;
    switch (code) {
        case 'ECONNREFUSED':
            return 'connection refused';
        case 'ECONNRESET':
        case 'UND_ERR_SOCKET':
        case 'HPE_INVALID_CONSTANT':
            return 'connection reset before an answer';
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return 'host name does not resolve';
        case 'ETIMEDOUT':
        case 'UND_ERR_CONNECT_TIMEOUT':
            return 'connect timed out';
        default:
            if (code && /CERT|SSL|TLS|ALTNAME/.test(code))
                return `TLS error: ${code}`;
            return `request failed: ${one_line_oneLine(e?.message ?? e?.cause?.message ?? String(err))}`;
    }
}

;// CONCATENATED MODULE: ./action-incident/src/endpoints/phases.ts
// The runbook's `curl -w "@curl-format.txt"` timings from the moments a request reached: DNS, connect,
// TLS, first byte, total; cumulative like curl's time_* variables, and where a request that never
// finished stalled. Pure, so every case is tested without a network.
/** The phases a request goes through, in order. */
const PHASES = (/* unused pure expression or super */ null && (['dns', 'connect', 'tls', 'first byte', 'body']));
/**
 * Cumulative timings from the marks. A connection that needed no lookup (an IP literal, or a socket
 * connected before the lookup event could fire) counts DNS as 0, as curl does. For plain http, TLS is 0.
 */
function computePhases(marks, https) {
    const t = {};
    if (marks.lookup !== undefined)
        t.dns = marks.lookup;
    else if (marks.connect !== undefined)
        t.dns = 0;
    if (marks.connect !== undefined)
        t.connect = marks.connect;
    if (https) {
        if (marks.secure !== undefined)
            t.tls = marks.secure;
    }
    else if (marks.connect !== undefined)
        t.tls = 0;
    if (marks.firstByte !== undefined)
        t.firstByte = marks.firstByte;
    if (marks.end !== undefined)
        t.total = marks.end;
    if (t.total === undefined)
        t.stalledIn = firstMissing(t);
    return t;
}
function firstMissing(t) {
    if (t.dns === undefined)
        return 'dns';
    if (t.connect === undefined)
        return 'connect';
    if (t.tls === undefined)
        return 'tls';
    if (t.firstByte === undefined)
        return 'first byte';
    return 'body';
}
/** The runbook's curl-format lines for one request, as curl prints them (seconds, three decimals). */
function formatCurlStyle(t) {
    const s = (ms) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(3)}s`);
    return [
        `time_namelookup: ${s(t.dns)}`,
        `time_connect: ${s(t.connect)}`,
        `time_appconnect: ${s(t.tls)}`,
        `time_starttransfer: ${s(t.firstByte)}`,
        `time_total: ${s(t.total)}`
    ].join(', ');
}

;// CONCATENATED MODULE: ./action-incident/src/endpoints/time-request.ts
// One timed request, the way `curl -w "@curl-format.txt" -o /dev/null -s URL` times it: a fresh
// connection (no keep-alive pool, so every phase is measured), socket events for DNS, connect and TLS,
// the response for the first byte, the body read and dropped for the total. Bounded by a timeout.





const USER_AGENT = 'a2a-ops-incident (+https://github.com/features/actions)';
/** The body is read and dropped up to this size; past it the total is taken where reading stopped. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Times one request; never throws and never outlives `timeoutMs` (or `signal`). */
function timeRequest(url, method, timeoutMs, signal) {
    return new Promise((resolve) => {
        const https = url.protocol === 'https:';
        const start = performance.now();
        const at = () => Math.round((performance.now() - start) * 10) / 10;
        // An IP literal needs no lookup: DNS is 0, as curl's time_namelookup shows it.
        const marks = (0,external_node_net_namespaceObject.isIP)(url.hostname.replace(/^\[|\]$/g, '')) ? { lookup: 0 } : {};
        let statusCode;
        let settled = false;
        const finish = (problem, timedOut = false) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            req.destroy();
            resolve({ statusCode, timings: computePhases(marks, https), ...(problem ? { problem } : {}), timedOut });
        };
        const req = (https ? external_node_https_namespaceObject.request : external_node_http_namespaceObject.request)(url, { method, agent: false, headers: { 'user-agent': USER_AGENT, connection: 'close' } }, (res) => {
            marks.firstByte = at();
            statusCode = res.statusCode;
            let size = 0;
            res.on('data', (chunk) => {
                size += chunk.length;
                if (size > MAX_BODY_BYTES) {
                    marks.end = at();
                    finish();
                }
            });
            res.on('end', () => {
                marks.end = at();
                finish();
            });
            res.on('error', (err) => finish(describeNetworkError(err, timeoutMs)));
        });
        req.on('socket', (socket) => {
            socket.once('lookup', () => (marks.lookup ??= at()));
            socket.once('connect', () => (marks.connect ??= at()));
            socket.once('secureConnect', () => (marks.secure ??= at()));
        });
        req.on('error', (err) => finish(describeNetworkError(err, timeoutMs)));
        const timer = setTimeout(() => finish(`no complete answer within ${timeoutMs} ms`, true), timeoutMs);
        const onAbort = () => finish('cancelled');
        signal?.addEventListener('abort', onAbort, { once: true });
        req.end();
    });
}

;// CONCATENATED MODULE: ./action-incident/src/endpoints/diagnose-endpoints.ts
// The runbook's first look in an outage ("curl -I https://a2aworld.ai", "curl -w @curl-format.txt ...
// /health"): every configured endpoint timed phase by phase, a hanging one shown as hanging.



const FAMILY = 'endpoints';
const PARALLEL = 8;
/** The verdict on one endpoint's timed request. */
function judgeEndpoint(target, r, limits) {
    const total = r.timings.total;
    if (r.timedOut) {
        const stalled = r.timings.stalledIn ? `, stalled waiting for ${r.timings.stalledIn}` : '';
        const reached = r.timings.connect !== undefined ? ` (connected in ${ms(r.timings.connect)})` : '';
        return { status: 'fail', message: `hangs: ${r.problem}${stalled}${reached}` };
    }
    if (r.problem)
        return { status: 'fail', message: `down: ${r.problem}` };
    const code = r.statusCode ?? 0;
    const ok = target.expectStatus.length ? target.expectStatus.includes(code) : code >= 200 && code < 400;
    if (!ok)
        return { status: 'fail', message: `answered ${code}${target.expectStatus.length ? `, expected ${target.expectStatus.join(', ')}` : ''} in ${ms(total)}` };
    if (total !== undefined && total > limits.latencyFailMs)
        return { status: 'fail', message: `slow: ${ms(total)} (limit ${ms(limits.latencyFailMs)})` };
    if (total !== undefined && total > limits.latencyWarnMs)
        return { status: 'warn', message: `degraded: ${ms(total)} (warn above ${ms(limits.latencyWarnMs)})` };
    return { status: 'ok', message: `${code} in ${ms(total)}` };
}
/** Times every endpoint (a few at once) and reports the table and the faults. */
async function diagnoseEndpoints(endpoints, timeoutMs, limits, signal) {
    const d = diagnosis(FAMILY);
    if (endpoints.length === 0) {
        d.notes.push('Endpoints: none configured (add `endpoints:` or services\' `health-url` to the ops config, or the `endpoints` input).');
        return d;
    }
    const results = await map_limit_mapLimit(endpoints, PARALLEL, async (e) => ({ e, r: await timeRequest(new URL(e.url), e.method, timeoutMs, signal) }));
    const rows = results.map(({ e, r }) => {
        const verdict = judgeEndpoint(e, r, limits);
        if (verdict.status !== 'ok')
            d.faults.push(fault(e, verdict.status, verdict.message));
        return [one_line_oneLine(e.url, 120), r.statusCode ?? '—', ...phaseCells(r.timings), `${STATUS_ICON[verdict.status]} ${one_line_oneLine(verdict.message, 160)}`];
    });
    d.sections.push({
        title: 'Endpoints (the phases of curl -w curl-format.txt, cumulative)',
        markdown: markdownTable(['Endpoint', 'HTTP', { title: 'DNS', align: 'right' }, { title: 'Connect', align: 'right' }, { title: 'TLS', align: 'right' }, { title: 'First byte', align: 'right' }, { title: 'Total', align: 'right' }, 'Verdict'], rows)
    });
    return d;
}
function fault(e, severity, message) {
    return { family: FAMILY, target: e.url, severity, message };
}
function phaseCells(t) {
    const cell = (v, phase) => (v !== undefined ? ms(v) : t.stalledIn === phase ? '⏳ stalled' : '—');
    return [cell(t.dns, 'dns'), cell(t.connect, 'connect'), cell(t.tls, 'tls'), cell(t.firstByte, 'first byte'), cell(t.total, 'body')];
}
function ms(v) {
    return v === undefined ? '—' : `${Math.round(v)} ms`;
}

;// CONCATENATED MODULE: ./action-incident/src/error-patterns/signature.ts
// The Wednesday "Review error logs for patterns": which log lines are errors, and the signature that
// makes two occurrences of one error the same pattern (ids, numbers, timestamps and addresses masked).
/** Words that make a line an error line, as the usual log formats write levels and failures. */
const ERROR_LINE = /\b(error|err|fatal|panic|critical|crit|exception|traceback|failed|failure|unhandled|segfault|oom|killed)\b|level=(error|fatal|panic)|"level"\s*:\s*"(error|fatal|panic)"/i;
/** Lines that mention errors without being one (`0 errors`, `errors=0`, `error_count: 0`). */
const NOT_AN_ERROR = /\b(0|no) errors?\b|\berrors?[=:]\s*0\b/i;
/** True when a log line reports an error. */
function isErrorLine(line) {
    return ERROR_LINE.test(line) && !NOT_AN_ERROR.test(line);
}
/** The masks, in the order they apply: wider shapes first, so a timestamp is not eaten as numbers. */
const MASKS = [
    // ISO 8601 / RFC 3339 date-times (with T or space, fractions, zone), then bare dates and times.
    [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?(Z|[+-]\d{2}:?\d{2}| ?UTC)?/g, '<ts>'],
    // Common log format: 01/Dec/2026:14:27:43 +0000
    [/\b\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2}( [+-]\d{4})?/g, '<ts>'],
    // syslog: Dec  1 14:27:43
    [/\b[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2}\b/g, '<ts>'],
    [/\b\d{4}-\d{2}-\d{2}\b/g, '<date>'],
    [/\b\d{2}:\d{2}:\d{2}([.,]\d+)?\b/g, '<time>'],
    [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
    // IPv4 with an optional port, then IPv6 (at least three groups, so `a:b` labels survive).
    [/\b(\d{1,3}\.){3}\d{1,3}(:\d{1,5})?\b/g, '<ip>'],
    [/(?<![\w:])(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?(?![\w:])/gi, '<ip>'],
    [/\b0x[0-9a-f]+\b/gi, '<hex>'],
    // Hex ids (container ids, hashes, trace ids): 8+ hex digits holding at least one digit and one letter
    // (all-digit runs are numbers, below; all-letter ones are words).
    [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
    // Numbers, with decimals and units glued on (`12ms`, `3.5s`, `#42`, `pid=123`).
    [/(?<![A-Za-z])\d+([.,]\d+)?/g, '<n>']
];
/** Longest signature kept: long enough to tell errors apart, short enough for a table and a state key. */
const SIGNATURE_MAX = 160;
/**
 * The normalised signature of an error line: Docker's receive timestamp stripped, every id, number,
 * timestamp and address masked, whitespace collapsed, cut to SIGNATURE_MAX. Two lines that differ only
 * in such values get the same signature.
 */
function errorSignature(line) {
    let s = stripDockerTimestamp(line).text;
    for (const [re, mask] of MASKS)
        s = s.replace(re, mask);
    // Control characters and whitespace runs alike become one space.
    s = s.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
    return s.length > SIGNATURE_MAX ? `${s.slice(0, SIGNATURE_MAX - 1)}…` : s;
}
const DOCKER_TS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) /;
/** Splits `docker logs --timestamps`' leading receive time (RFC 3339, UTC) from the line. */
function stripDockerTimestamp(line) {
    const m = DOCKER_TS.exec(line);
    if (!m)
        return { text: line };
    // Nanoseconds are more than Date keeps: Node's Date.parse reads a fraction of any length and keeps its
    // milliseconds (truncated), which are enough for first/last seen.
    const at = new Date(Date.parse(m[1])).toISOString();
    return { at, text: line.slice(m[0].length) };
}

;// CONCATENATED MODULE: ./action-incident/src/error-patterns/group.ts
// Groups error lines into patterns per service by their signature, with counts, first and last seen
// (Docker's receive time), the hosts they came from and one example line.


/** Patterns over every container's log, the most frequent first (ties: the most recent first). */
function groupErrorPatterns(logs) {
    const byKey = new Map();
    for (const log of logs) {
        for (const raw of log.text.split('\n')) {
            const { at, text } = stripDockerTimestamp(raw);
            // A blank line is no error line either.
            if (!isErrorLine(text))
                continue;
            const signature = errorSignature((0,secrets/* scrubSecrets */.Zg)(text));
            const key = `${log.service}\u0000${signature}`;
            let p = byKey.get(key);
            if (!p) {
                p = { service: log.service, signature, count: 0, hosts: [], example: '' };
                byKey.set(key, p);
            }
            p.count += 1;
            if (!p.hosts.includes(log.host))
                p.hosts.push(log.host);
            if (at) {
                if (!p.firstSeen || at < p.firstSeen)
                    p.firstSeen = at;
                if (!p.lastSeen || at >= p.lastSeen) {
                    p.lastSeen = at;
                    p.example = one_line_oneLine((0,secrets/* scrubSecrets */.Zg)(text), 300);
                }
            }
            else if (!p.lastSeen)
                p.example = one_line_oneLine((0,secrets/* scrubSecrets */.Zg)(text), 300);
        }
    }
    return [...byKey.values()].sort((a, b) => b.count - a.count || (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '') || a.signature.localeCompare(b.signature));
}

;// CONCATENATED MODULE: ./action-incident/src/error-patterns/week-over-week.ts
// Error patterns compared with the previous week's, from the state the funnel keeps between runs: each
// run records its pattern counts as samples; this run compares with the latest run 6 to 14 days ago.

/** History keys: one series per pattern, and one marking every run that recorded patterns. */
const PATTERN_KEY_PREFIX = 'error-pattern:';
const PATTERN_RUN_KEY = 'error-pattern-run';
const DAY = 86_400_000;
/** "The previous week": the latest run at least this old ... */
const BASELINE_MIN_AGE_MS = 6 * DAY;
/** ... and at most this old. */
const BASELINE_MAX_AGE_MS = 14 * DAY;
/** Patterns kept per run, and how long a pattern not seen again stays in the state. */
const PATTERNS_KEPT = 100;
const FORGET_AFTER_MS = 35 * DAY;
function patternKey(p) {
    return `${PATTERN_KEY_PREFIX}${p.service}:${p.signature}`;
}
/** Compares this run's patterns with the previous week's run found in `state` (which is not changed). */
function compareWithLastWeek(patterns, state, now) {
    const t = now.getTime();
    const runs = state.history[PATTERN_RUN_KEY] ?? [];
    const baseline = [...runs].reverse().find((s) => {
        const age = t - Date.parse(s.t);
        return age >= BASELINE_MIN_AGE_MS && age <= BASELINE_MAX_AGE_MS;
    });
    if (!baseline)
        return { patterns: patterns.map((p) => ({ ...p })), gone: [] };
    const countAt = (key) => state.history[key]?.find((s) => s.t === baseline.t)?.v ?? 0;
    const seen = new Set();
    const compared = patterns.map((p) => {
        const key = patternKey(p);
        seen.add(key);
        const previous = countAt(key);
        return { ...p, previous, trend: trendOf(p.count, previous) };
    });
    const gone = [];
    for (const [key, series] of Object.entries(state.history)) {
        if (!key.startsWith(PATTERN_KEY_PREFIX) || seen.has(key))
            continue;
        const previous = series.find((s) => s.t === baseline.t)?.v ?? 0;
        if (previous === 0)
            continue;
        const rest = key.slice(PATTERN_KEY_PREFIX.length);
        const colon = rest.indexOf(':');
        gone.push({ service: rest.slice(0, colon), signature: rest.slice(colon + 1), previous });
    }
    gone.sort((a, b) => b.previous - a.previous);
    return { baselineAt: baseline.t, patterns: compared, gone };
}
/** The trend from last week's count to this run's. */
function trendOf(count, previous) {
    if (count === 0)
        return previous === 0 ? 'same' : 'gone';
    if (previous === 0)
        return 'new';
    return count > previous ? 'up' : count < previous ? 'down' : 'same';
}
/**
 * A pattern worth a fault: new since last week, or at least doubled and at least 10 lines. Without a
 * baseline nothing is judged here (the caller reports the error lines themselves).
 */
function isNotable(p) {
    if (p.trend === 'new')
        return true;
    return p.trend === 'up' && p.previous !== undefined && p.count >= 10 && p.count >= 2 * p.previous;
}
/** Records this run's patterns (the PATTERNS_KEPT most frequent) and forgets patterns unseen for 35 days. */
function recordPatterns(state, patterns, now) {
    const t = now.toISOString();
    const kept = patterns.slice(0, PATTERNS_KEPT);
    for (const p of kept)
        recordSample(state, patternKey(p), { t, v: p.count });
    recordSample(state, PATTERN_RUN_KEY, { t, v: kept.length });
    const cutoff = now.getTime() - FORGET_AFTER_MS;
    for (const [key, series] of Object.entries(state.history)) {
        if (!key.startsWith(PATTERN_KEY_PREFIX) && key !== PATTERN_RUN_KEY)
            continue;
        const recent = series.filter((s) => Date.parse(s.t) >= cutoff);
        if (recent.length)
            state.history[key] = recent;
        else
            delete state.history[key];
    }
}

;// CONCATENATED MODULE: ./action-incident/src/error-patterns/diagnose-error-patterns.ts
// The error-pattern review over the logs the hosts family read: patterns per service with counts, first
// and last seen, last week's count beside each; new and fast-growing patterns are faults.




const diagnose_error_patterns_FAMILY = 'error patterns';
/** Rows shown in the summary table. */
const ROWS_SHOWN = 30;
/** Groups, compares with last week, and records this run's counts in `state` for next week. */
function diagnoseErrorPatterns(logs, state, now) {
    const d = diagnosis(diagnose_error_patterns_FAMILY);
    const patterns = groupErrorPatterns(logs);
    const week = compareWithLastWeek(patterns, state, now);
    recordPatterns(state, patterns, now);
    if (logs.length === 0) {
        d.notes.push('Error patterns: no container logs were read (no hosts, or their logs could not be read).');
        return d;
    }
    if (week.baselineAt) {
        for (const p of week.patterns.filter(isNotable)) {
            const what = p.trend === 'new' ? 'new error pattern since last week' : `error pattern grew from ${p.previous} to ${p.count} lines since last week`;
            d.faults.push({ family: diagnose_error_patterns_FAMILY, target: p.service, severity: 'warn', message: `${what}: '${p.signature}' (${p.count} lines on ${p.hosts.join(', ')})` });
        }
    }
    else {
        d.notes.push('Error patterns: no run 6 to 14 days ago to compare with; this run is recorded for next week.');
        const byService = new Map();
        for (const p of week.patterns)
            byService.set(p.service, [...(byService.get(p.service) ?? []), p]);
        for (const [service, list] of byService) {
            const lines = list.reduce((n, p) => n + p.count, 0);
            d.faults.push({ family: diagnose_error_patterns_FAMILY, target: service, severity: 'warn', message: `${lines} error line${lines === 1 ? '' : 's'} in ${list.length} pattern${list.length === 1 ? '' : 's'}; most frequent: '${list[0].signature}'` });
        }
    }
    if (patterns.length === 0) {
        d.notes.push(`Error patterns: no error lines in the ${logs.length} container logs read.`);
        return d;
    }
    const rows = week.patterns.slice(0, ROWS_SHOWN).map((p) => [
        p.service,
        p.signature,
        p.count,
        p.previous === undefined ? '—' : p.previous,
        p.trend ?? '—',
        p.firstSeen ?? '—',
        p.lastSeen ?? '—',
        p.hosts.join(', ')
    ]);
    const gone = week.gone.length ? `\n\nGone since last week: ${week.gone.slice(0, 10).map((g) => `${escapeCell(g.service)}: ${escapeCell(g.signature)} (${g.previous})`).join('; ')}.` : '';
    const cut = week.patterns.length > ROWS_SHOWN ? `\n\n_${week.patterns.length - ROWS_SHOWN} less frequent patterns not shown._` : '';
    d.sections.push({
        title: `Error log patterns${week.baselineAt ? ` (compared with the run of ${week.baselineAt})` : ''}`,
        markdown: markdownTable(['Service', 'Signature', { title: 'Lines', align: 'right' }, { title: 'Last week', align: 'right' }, 'Trend', 'First seen', 'Last seen', 'Hosts'], rows) + gone + cut
    });
    return d;
}

;// CONCATENATED MODULE: ./shared/src/concurrency/backoff.ts
// The one retry/backoff helper of the core (SSH connect, DigitalOcean calls, lock waits, ...). GitHub calls
// use Octokit's own retry and throttling plugins instead.

/** The wait before retry number `retry` (0 for the first): base × 2^retry, jittered, capped at `maxMs`. */
function backoffDelay(retry, opts) {
    const jitter = opts.jitter ?? 0.5;
    const random = opts.random ?? Math.random;
    const raw = opts.baseMs * 2 ** Math.max(0, retry) * (1 - jitter + 2 * jitter * random());
    return Math.round(Math.min(opts.maxMs ?? 30_000, raw));
}
/**
 * Runs `fn` (given the attempt number, from 1) until it resolves, the error is not retryable, the
 * attempts run out or the wait budget would be exceeded; then throws the last error unchanged.
 */
async function withRetries(fn, opts) {
    const wait = opts.sleep ?? ((ms) => (0,promises_namespaceObject.setTimeout)(ms, undefined, { signal: opts.signal }));
    let waited = 0;
    for (let attempt = 1;; attempt++) {
        try {
            return await fn(attempt);
        }
        catch (error) {
            const decision = opts.classify ? opts.classify(error, attempt) : { retry: true };
            if (!decision.retry || attempt >= Math.max(1, opts.attempts) || opts.signal?.aborted)
                throw error;
            const ms = decision.waitMs ?? backoffDelay(attempt - 1, opts);
            if (opts.maxTotalWaitMs !== undefined && waited + ms > opts.maxTotalWaitMs)
                throw error;
            waited += ms;
            try {
                await wait(ms);
            }
            catch {
                throw error;
            }
        }
    }
}

;// CONCATENATED MODULE: ./shared/src/ssh/errors.ts
/** The host presented a key that is not pinned. Raised during the handshake, before any authentication. */
class HostKeyMismatchError extends Error {
    host;
    expected;
    presented;
    presentedType;
    name = 'HostKeyMismatchError';
    constructor(host, 
    /** Pinned `SHA256:` fingerprints for this host. */
    expected, 
    /** `SHA256:` fingerprint of the key the host presented. */
    presented, presentedType) {
        super(`Host key of ${host} does not match the pinned key: expected ${expected.join(' or ')}, ` +
            `presented ${presented} (${presentedType}). The connection was aborted during the handshake, before ` +
            `authentication. If the key was rotated on purpose, update 'ssh-fingerprint' or 'ssh-known-hosts'; ` +
            `otherwise treat this as a possible man-in-the-middle.`);
        this.host = host;
        this.expected = expected;
        this.presented = presented;
        this.presentedType = presentedType;
    }
}
/** A connection could not be opened (refused, unreachable, timed out, authentication refused). */
class SshConnectError extends Error {
    host;
    phase;
    attempts;
    name = 'SshConnectError';
    constructor(host, phase, message, 
    /** How many attempts were made before giving up. */
    attempts, options) {
        super(message, options);
        this.host = host;
        this.phase = phase;
        this.attempts = attempts;
    }
}
/** A remote command failed: non-zero exit, killed, timed out, or its outcome is unknown (`code === null`). */
class RemoteCommandError extends Error {
    host;
    label;
    code;
    stderrTail;
    detail;
    name = 'RemoteCommandError';
    constructor(host, label, code, 
    /** The last part of the command's stderr (already scrubbed of secrets). */
    stderrTail, detail) {
        super(`${label} on ${host} ${detail}${stderrTail ? `; stderr ends with:\n${stderrTail}` : ''}`);
        this.host = host;
        this.label = label;
        this.code = code;
        this.stderrTail = stderrTail;
        this.detail = detail;
    }
}
/** A stage of a remote pipeline (`execToStream` with stages) failed: which one, with which exit code. */
class PipelineStageError extends RemoteCommandError {
    stage;
    stageCommand;
    stages;
    name = 'PipelineStageError';
    constructor(host, label, 
    /** The stage the failure is blamed on (see `execToStream`), 1-based. */
    stage, 
    /** Its command text. */
    stageCommand, 
    /** Every stage with its exit status. */
    stages, stderrTail, detail) {
        super(host, label, stages[stage - 1]?.code ?? null, stderrTail, detail);
        this.stage = stage;
        this.stageCommand = stageCommand;
        this.stages = stages;
    }
}
/** The connection to a host broke (keepalive timeout, reset) while it was in use. */
class SshConnectionLostError extends Error {
    host;
    reason;
    name = 'SshConnectionLostError';
    constructor(host, reason) {
        super(`connection to ${host} was lost: ${reason}`);
        this.host = host;
        this.reason = reason;
    }
}
/** `name (address:port)` as reports and errors show a target. */
function errors_describeTarget(t) {
    const addr = t.address.includes(':') ? `[${t.address}]:${t.port}` : `${t.address}:${t.port}`;
    return t.name && t.name !== t.address ? `${t.name} (${addr})` : addr;
}
/** The remote login shell is not POSIX, is restricted, or the key runs a forced command. */
class SshProbeError extends Error {
    host;
    name = 'SshProbeError';
    constructor(host, message) {
        super(message);
        this.host = host;
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(7598);
;// CONCATENATED MODULE: ./shared/src/ssh/quote.ts
// POSIX shell quoting for the one place user text meets a remote shell.
/**
 * Quotes `s` as one POSIX shell word: wrapped in single quotes, each `'` written as `'\''`. Inside
 * single quotes no character is special, so the word reaches the command byte-identical. NUL cannot be
 * passed in an argument at all and is refused. Quoting never stops a leading `-` from being read as an
 * option by the command: validate such values (see validate.ts) or put them after `--`.
 */
function shellQuote(s) {
    if (s.includes('\0'))
        throw new TypeError('shellQuote: a NUL byte cannot be passed through a shell argument');
    if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s))
        return s;
    return `'${s.replace(/'/g, `'\\''`)}'`;
}
/** Quotes every word and joins them with spaces: `shellJoin(['docker', 'ps', '-q'])`. */
function shellJoin(words) {
    return words.map(shellQuote).join(' ');
}

;// CONCATENATED MODULE: external "node:string_decoder"
const external_node_string_decoder_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:string_decoder");
;// CONCATENATED MODULE: ./shared/src/ssh/stream.ts
// Bounded stream collection: whole-line callbacks with correct UTF-8 decoding, and a tail of the last N bytes.

/** Default bytes of each stream kept in an ExecResult. */
const DEFAULT_TAIL_BYTES = 1024 * 1024;
/** A "line" longer than this is delivered in pieces, so one endless line cannot grow memory without bound. */
const MAX_LINE_CHARS = 64 * 1024;
/** Keeps the last `limit` bytes of everything pushed; memory stays below about 2 × limit. */
class TailBuffer {
    limit;
    chunks = [];
    held = 0;
    /** Every byte ever pushed. */
    total = 0;
    constructor(limit) {
        this.limit = limit;
    }
    push(chunk) {
        this.total += chunk.length;
        if (this.limit <= 0)
            return;
        this.chunks.push(chunk);
        this.held += chunk.length;
        if (this.held > this.limit * 2)
            this.compact();
    }
    compact() {
        const all = Buffer.concat(this.chunks, this.held);
        const kept = Buffer.from(all.subarray(all.length - this.limit));
        this.chunks = [kept];
        this.held = kept.length;
    }
    /** True when bytes were dropped from the front. */
    get truncated() {
        return this.total > this.limit;
    }
    /** The kept tail decoded as UTF-8; a character cut in half at the front is dropped, not mangled. */
    text() {
        if (this.held > this.limit)
            this.compact();
        let buf = Buffer.concat(this.chunks, this.held);
        if (this.truncated) {
            // Skip UTF-8 continuation bytes (10xxxxxx) left over from a character whose start was dropped.
            let i = 0;
            while (i < buf.length && i < 4 && (buf[i] & 0xc0) === 0x80)
                i++;
            buf = buf.subarray(i);
        }
        return buf.toString('utf8');
    }
}
/** Splits a byte stream into decoded lines; multi-byte characters split across chunks are joined first. */
class LineSplitter {
    onLine;
    decoder = new external_node_string_decoder_namespaceObject.StringDecoder('utf8');
    partial = '';
    constructor(onLine) {
        this.onLine = onLine;
    }
    push(chunk) {
        const text = this.partial + this.decoder.write(chunk);
        const lines = text.split('\n');
        this.partial = lines.pop() ?? '';
        for (const line of lines)
            this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
        while (this.partial.length > MAX_LINE_CHARS) {
            this.onLine(this.partial.slice(0, MAX_LINE_CHARS));
            this.partial = this.partial.slice(MAX_LINE_CHARS);
        }
    }
    /** Delivers what is left (a last line without newline). */
    end() {
        const rest = this.partial + this.decoder.end();
        this.partial = '';
        if (rest)
            this.onLine(rest);
    }
}

;// CONCATENATED MODULE: ./shared/src/ssh/exec.ts
// One remote command on an open connection: wrapped so its process group can be killed, streamed with
// bounded memory, and finished with an honest result (no exit status = code null = outcome unknown).





/** How long the TERM → KILL escalation waits, and how long we wait for the channel to close after it. */
const KILL_GRACE_MS = 2000;
const CLOSE_AFTER_KILL_MS = 5000;
// How long an abort that comes before the wrapper's process-group line waits for it.
const PGID_WAIT_MS = 3000;
const MARKER_LINE_MAX = 200;
/**
 * Wraps `command` so that it runs in a new session (its own process group) under `setsid -w`, and the
 * group id is printed as the first stderr line behind a random marker. `cd -- <dir> || exit 1` comes
 * first, so a missing directory fails instead of running in `$HOME`.
 */
function wrapCommand(command, marker, cwd) {
    const inner = cwd === undefined ? command : `cd -- ${shellQuote(cwd)} || exit 1\n${command}`;
    const script = `printf '%s%s\\n' "$1" "$$" >&2; exec /bin/sh -c "$2"`;
    return `exec setsid -w /bin/sh -c ${shellQuote(script)} a2a-exec ${shellQuote(marker)} ${shellQuote(inner)}`;
}
/** Shell text (dash and bash: no `--`, dash's kill refuses it) that TERMs a process group, waits up to the grace period, then KILLs whatever is left. */
function killGroupCommand(pgid) {
    const steps = Math.ceil(KILL_GRACE_MS / 100);
    return (`kill -TERM -${pgid} 2>/dev/null; i=0; while [ $i -lt ${steps} ] && kill -0 -${pgid} 2>/dev/null; ` +
        `do sleep 0.1; i=$((i+1)); done; kill -KILL -${pgid} 2>/dev/null; true`);
}
/** Shortens a command into a label for errors and logs. */
function commandLabel(command, label) {
    if (label)
        return label;
    const first = command.trim().split('\n')[0];
    return `'${first.length > 60 ? `${first.slice(0, 60)}…` : first}'`;
}
/**
 * Opens an exec channel and records its exit status and close in the same tick. `exit` and `close` are
 * plain events: a fast command's exit-status can arrive in the same packet batch as the channel
 * confirmation, before an `await` lets the caller attach listeners, and would otherwise be lost.
 */
function openChannel(client, command) {
    return new Promise((resolve, reject) => {
        try {
            client.exec(command, (err, channel) => {
                if (err)
                    return reject(err);
                const exit = { code: null };
                channel.on('exit', (code, signalName) => {
                    if (typeof code === 'number')
                        exit.code = code;
                    else if (signalName)
                        exit.signal = signalName;
                });
                const closed = new Promise((done) => channel.once('close', () => done()));
                resolve({ channel, exit, closed });
            });
        }
        catch (err) {
            reject(err);
        }
    });
}
/** Runs a small control command (the group kill) on a second channel and waits for it, bounded. */
async function runControl(client, command, timeoutMs) {
    const { channel, closed } = await openChannel(client, command);
    await new Promise((resolve) => {
        const timer = setTimeout(() => {
            channel.close();
            resolve();
        }, timeoutMs);
        void closed.then(() => {
            clearTimeout(timer);
            resolve();
        });
        channel.resume();
        channel.stderr.resume();
        channel.end();
    });
}
/** Runs one command; see `SshSession.exec`. */
async function runExec(host, command, opts, defaultTimeoutMs) {
    const { stdoutBytes: _bytes, ...result } = await runOnChannel(host, command, opts, defaultTimeoutMs);
    return result;
}
/**
 * Runs one command whose stdout goes, as raw bytes, to `sink` (`stdout` of the result stays empty). The
 * channel is paused while `sink.write` reports a full buffer, so a slow sink holds the remote command
 * back instead of filling memory. A sink that errors or closes early kills the remote process group.
 * The sink is neither ended nor destroyed here: that is the caller's decision once it sees the result.
 */
function runExecToSink(host, command, opts, defaultTimeoutMs, sink) {
    return runOnChannel(host, command, opts, defaultTimeoutMs, sink);
}
async function runOnChannel(host, command, opts, defaultTimeoutMs, sink) {
    const lost = host.lostReason();
    if (lost)
        throw new SshConnectionLostError(host.hostLabel, lost);
    const started = Date.now();
    const marker = `a2a-pgid-${(0,external_node_crypto_.randomBytes)(8).toString('hex')}:`;
    const tailBytes = opts.tailBytes ?? DEFAULT_TAIL_BYTES;
    const timeoutMs = opts.timeoutMs ?? defaultTimeoutMs;
    const { channel, exit, closed } = await openChannel(host.client, wrapCommand(command, marker, opts.cwd));
    const outTail = new TailBuffer(sink ? 0 : tailBytes);
    const errTail = new TailBuffer(tailBytes);
    const outLines = opts.onStdout && !sink ? new LineSplitter(opts.onStdout) : undefined;
    const errLines = opts.onStderr ? new LineSplitter(opts.onStderr) : undefined;
    let pgid;
    // Set while an abort waits for the process group id (the run was aborted before the marker line came).
    let onPgidKnown;
    // Until the marker line is seen, stderr bytes are held back (at most MARKER_LINE_MAX).
    let errHead = Buffer.alloc(0);
    const pushErr = (chunk) => {
        errTail.push(chunk);
        errLines?.push(chunk);
    };
    channel.stderr.on('data', (chunk) => {
        if (errHead === undefined)
            return pushErr(chunk);
        const head = Buffer.concat([errHead, chunk]);
        const nl = head.indexOf(0x0a);
        if (nl < 0 && head.length < MARKER_LINE_MAX) {
            errHead = head;
            return;
        }
        errHead = undefined;
        const first = head.subarray(0, nl < 0 ? head.length : nl).toString('latin1');
        if (nl >= 0 && first.startsWith(marker) && /^\d+$/.test(first.slice(marker.length))) {
            pgid = Number(first.slice(marker.length));
            onPgidKnown?.();
            if (head.length > nl + 1)
                pushErr(head.subarray(nl + 1));
        }
        else {
            pushErr(head);
        }
    });
    return new Promise((resolve) => {
        let timedOut = false;
        let connectionError;
        let sinkError;
        let done = false;
        let aborting = false;
        let timer;
        let closeTimer;
        let stdoutBytes = 0;
        // Stream mode: set once the command is being killed, so what is still buffered drains into nothing.
        let discard = false;
        let waitingForDrain = false;
        const finish = () => {
            if (done)
                return;
            done = true;
            clearTimeout(timer);
            clearTimeout(closeTimer);
            unsubscribe();
            sink?.off('drain', onDrain);
            if (errHead && errHead.length)
                pushErr(errHead);
            errHead = undefined;
            outLines?.end();
            errLines?.end();
            const { code, signal } = exit;
            if (code === null && !signal && !timedOut && !connectionError && !sinkError) {
                connectionError = host.lostReason() ?? 'the channel closed without an exit status (session killed?)';
            }
            resolve({
                code: timedOut ? null : code,
                ...(signal ? { signal } : {}),
                stdout: outTail.text(),
                stderr: errTail.text(),
                truncated: outTail.truncated || errTail.truncated,
                durationMs: Date.now() - started,
                timedOut,
                ...(connectionError ? { connectionError } : {}),
                stdoutBytes,
                ...(sinkError ? { sinkError } : {})
            });
        };
        /** Kills the remote process group (TERM, then KILL) and closes the channel; `why` is for the case the group is not known. */
        const abortRemote = (why) => {
            if (aborting)
                return;
            aborting = true;
            if (sink) {
                discard = true;
                channel.resume();
            }
            const closeAnyway = () => {
                if (done)
                    return;
                closeTimer = setTimeout(() => {
                    channel.close();
                    finish();
                }, CLOSE_AFTER_KILL_MS);
            };
            const killGroup = (group) => {
                runControl(host.client, killGroupCommand(group), KILL_GRACE_MS + 3000)
                    .catch((err) => {
                    connectionError = `${why}, and killing the remote process group failed: ${String(err)}`;
                })
                    .finally(() => {
                    channel.close();
                    closeAnyway();
                });
            };
            if (pgid !== undefined)
                return killGroup(pgid);
            // Aborted before the wrapper announced its process group (a destination closed while the channel
            // opened, on a slow machine): wait briefly for it, since closing a channel without a pty leaves
            // the remote command running.
            const giveUp = setTimeout(() => {
                onPgidKnown = undefined;
                connectionError = `${why} before the remote process group was known; it may still be running`;
                channel.close();
                closeAnyway();
            }, PGID_WAIT_MS);
            onPgidKnown = () => {
                onPgidKnown = undefined;
                clearTimeout(giveUp);
                if (pgid !== undefined)
                    killGroup(pgid);
            };
        };
        const onDrain = () => {
            waitingForDrain = false;
            channel.resume();
        };
        if (sink) {
            channel.on('data', (chunk) => {
                if (discard)
                    return;
                stdoutBytes += chunk.length;
                if (!sink.write(chunk) && !waitingForDrain && !discard) {
                    waitingForDrain = true;
                    channel.pause();
                    sink.once('drain', onDrain);
                }
            });
            const failSink = (err) => {
                if (done || sinkError)
                    return;
                sinkError = err;
                abortRemote('the destination failed');
            };
            // Stays attached after the run: an error the sink raises later must not become an uncaught exception.
            sink.on('error', failSink);
            const closedEarly = () => failSink(new Error('the destination was closed before the command finished'));
            sink.once('close', closedEarly);
            // Closed while the channel was being opened: its 'close' event has already gone by.
            if (sink.destroyed || sink.writableEnded)
                closedEarly();
        }
        else {
            channel.on('data', (chunk) => {
                outTail.push(chunk);
                outLines?.push(chunk);
            });
        }
        const unsubscribe = host.onLost((reason) => {
            connectionError = reason;
            finish();
        });
        // After the streams' buffered data has flowed (resume() emits it on a later tick).
        void closed.then(() => setImmediate(finish));
        if (timeoutMs > 0) {
            timer = setTimeout(() => {
                timedOut = true;
                abortRemote('timed out');
            }, timeoutMs);
        }
        if (opts.stdin !== undefined)
            channel.end(opts.stdin);
        else
            channel.end();
    });
}
/** Throws a RemoteCommandError unless the result is a clean exit 0. `code === null` is never success. */
function assertSucceeded(host, label, result) {
    if (result.code === 0 && !result.timedOut)
        return result;
    const tail = (0,secrets/* scrubSecrets */.Zg)(lastLines(result.stderr, 20, 4000));
    let detail;
    if (result.timedOut)
        detail = `timed out after ${result.durationMs} ms; the remote process group was killed`;
    else if (result.code !== null)
        detail = `exited with code ${result.code}`;
    else if (result.signal)
        detail = `was killed by signal ${result.signal}`;
    else
        detail = `ended without an exit status: outcome unknown (${result.connectionError ?? 'no reason given'})`;
    throw new RemoteCommandError(host, label, result.code, tail, detail);
}
/** The last `n` lines of `text`, at most `maxChars`. */
function lastLines(text, n, maxChars) {
    const lines = text.replace(/\n$/, '').split('\n');
    const tail = lines.slice(-n).join('\n');
    return tail.length > maxChars ? tail.slice(-maxChars) : tail;
}
/**
 * Runs `command` exactly as given (no `setsid` wrapper, so the login shell itself interprets it),
 * keeping 64 KiB of each stream. Used for the shell probe; on timeout the channel is closed and
 * `code` is null.
 */
async function runRawExec(client, command, timeoutMs) {
    const { channel, exit, closed } = await openChannel(client, command);
    const out = new TailBuffer(64 * 1024);
    const err = new TailBuffer(64 * 1024);
    channel.on('data', (c) => out.push(c));
    channel.stderr.on('data', (c) => err.push(c));
    return new Promise((resolve) => {
        const timer = setTimeout(() => channel.close(), timeoutMs);
        void closed.then(() => setImmediate(() => {
            clearTimeout(timer);
            resolve({ code: exit.code, stdout: out.text(), stderr: err.text() });
        }));
        channel.end();
    });
}

;// CONCATENATED MODULE: external "node:stream/promises"
const external_node_stream_promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");
;// CONCATENATED MODULE: ./shared/src/ssh/exec-stream.ts
// Remote commands whose stdout is an artifact (a backup: `pg_dump -Fc | zstd` on the host, bytes to the
// runner): raw bytes into a Writable with backpressure, and every stage of a remote pipeline checked.






/** Default stderr bytes kept by `execToStream` (stdout is the artifact and is never kept). */
const STREAM_STDERR_TAIL_BYTES = 64 * 1024;
/** SIGPIPE as a shell exit status (128 + 13): a stage that died because the next one stopped reading. */
const SIGPIPE_STATUS = 128 + external_node_os_namespaceObject.constants.signals.SIGPIPE;
/**
 * POSIX sh text that runs `stages` as one pipeline, first stage's stdout into the second's stdin and so
 * on, the last stage's stdout on the script's stdout, and records EVERY stage's exit status: sh has no
 * portable `pipefail`, so each stage runs as `( stage ) ; echo "i:$?" >&3` with fd 3 the pipe of a
 * command substitution that collects the statuses (the classic technique), while fd 4 carries the real
 * stdout out of it. Stages run in their own subshell (an `exit` in a stage ends only that stage) with
 * fds 3 and 4 closed, so nothing a stage leaves behind holds the status pipe open. At the end one
 * line `<marker><i:code> ...` goes to stderr, and the script exits 1 when a stage failed or reported no
 * status. Tested under dash, bash and busybox sh.
 */
function pipelineCommand(stages, marker) {
    if (stages.length === 0)
        throw new TypeError('pipelineCommand: give at least one stage');
    if (!/^[A-Za-z0-9_:-]+$/.test(marker))
        throw new TypeError('pipelineCommand: the marker must be plain ASCII letters, digits, _ : -');
    const last = stages.length - 1;
    const parts = stages.map((stage, i) => {
        if (!stage.trim())
            throw new TypeError(`pipelineCommand: stage ${i + 1} is empty`);
        // The newline before ')' ends a stage that finishes in a `# comment`.
        const out = i === last ? '>&4 ' : '';
        return `{ ( ${stage}\n) ${out}3>&- 4>&-; echo "${i + 1}:$?" >&3; }`;
    });
    return [
        'exec 4>&1',
        `a2a_st=$( { ${parts.join(' | ')}; } 3>&1 )`,
        'exec 4>&-',
        'set -- $a2a_st',
        'a2a_rc=0',
        `[ $# -eq ${stages.length} ] || a2a_rc=1`,
        'for a2a_s; do [ "${a2a_s#*:}" = 0 ] || a2a_rc=1; done',
        `printf '%s%s\\n' '${marker}' "$*" >&2`,
        'exit $a2a_rc'
    ].join('\n');
}
/**
 * Takes the stage-status line written by `pipelineCommand` out of `stderr`. Returns the statuses (a
 * stage without one has `code: null`; `undefined` when the line never came, e.g. the script was
 * killed) and stderr without the line.
 */
function extractStageStatuses(stderr, marker, stages) {
    // The last occurrence whose rest of line is nothing but `i:code` tokens: a shell error message that
    // quotes the script (and so the marker) is not mistaken for it.
    for (let at = stderr.lastIndexOf(marker); at >= 0; at = at === 0 ? -1 : stderr.lastIndexOf(marker, at - 1)) {
        const nl = stderr.indexOf('\n', at);
        const rest = stderr.slice(at + marker.length, nl < 0 ? undefined : nl);
        if (!/^(?:\d+:\d+(?: \d+:\d+)*)?$/.test(rest))
            continue;
        const codes = new Map(rest ? rest.split(' ').map((t) => t.split(':').map(Number)) : []);
        return {
            stages: stages.map((command, i) => ({ index: i + 1, command, code: codes.get(i + 1) ?? null })),
            stderr: stderr.slice(0, at) + stderr.slice(nl < 0 ? stderr.length : nl + 1)
        };
    }
    return { stderr };
}
/**
 * The stage a failed pipeline is blamed on: the first that failed other than by SIGPIPE, since a stage
 * killed by SIGPIPE only lost its reader (zstd failed, so pg_dump's writes broke); else the first failed.
 */
function blamedStage(stages) {
    const failed = stages.filter((s) => s.code !== 0);
    return failed.find((s) => s.code !== SIGPIPE_STATUS) ?? failed[0];
}
/** `exited with code 3`, `exited with code 141 (128+13: killed by SIGPIPE)`, `reported no exit status`. */
function describeStageCode(code) {
    if (code === null)
        return 'reported no exit status (killed?)';
    const signo = code - 128;
    const name = signo > 0 ? Object.entries(external_node_os_namespaceObject.constants.signals).find(([, n]) => n === signo)?.[0] : undefined;
    return name ? `exited with code ${code} (128+${signo}: killed by ${name})` : `exited with code ${code}`;
}
/** The status line is ours, not the command's: it stays out of the caller's log (text before it on the line does not). */
function withoutStatusLine(onLine, marker) {
    return (line) => {
        const at = line.indexOf(marker);
        if (at < 0)
            onLine(line);
        else if (at > 0)
            onLine(line.slice(0, at));
    };
}
/**
 * Runs `command` (or the pipeline of `stages`) and writes its stdout, byte for byte, into `destination`;
 * see `SshSession.execToStream`. On success the destination has been ended and has finished; on any
 * failure it has been destroyed (as `stream.pipeline` does: the partial artifact must not pass for a
 * whole one) and a RemoteCommandError (a PipelineStageError for a failed stage) naming the host is thrown.
 */
async function runExecToStream(host, command, destination, opts, defaultTimeoutMs) {
    const stages = typeof command === 'string' ? undefined : [...command];
    const text = typeof command === 'string' ? command : command.join(' | ');
    const label = commandLabel(text, opts.label);
    const statusMarker = `a2a-stages-${(0,external_node_crypto_.randomBytes)(8).toString('hex')}:`;
    const script = stages ? pipelineCommand(stages, statusMarker) : text;
    if (destination.destroyed || destination.writableEnded)
        throw new TypeError(`execToStream: the destination of ${label} is already ended or destroyed`);
    let result;
    try {
        result = await runExecToSink(host, script, {
            ...opts,
            tailBytes: opts.tailBytes ?? STREAM_STDERR_TAIL_BYTES,
            ...(opts.onStderr ? { onStderr: stages ? withoutStatusLine(opts.onStderr, statusMarker) : opts.onStderr } : {})
        }, defaultTimeoutMs, destination);
    }
    catch (err) {
        destination.destroy();
        throw err;
    }
    const statuses = stages ? extractStageStatuses(result.stderr, statusMarker, stages) : undefined;
    const stderr = statuses ? statuses.stderr : result.stderr;
    try {
        checkStreamResult(host.hostLabel, label, { ...result, stderr }, stages, statuses?.stages);
    }
    catch (err) {
        destination.destroy();
        throw err;
    }
    try {
        destination.end();
        await (0,external_node_stream_promises_namespaceObject.finished)(destination, { readable: false });
    }
    catch (err) {
        throw new RemoteCommandError(host.hostLabel, label, 0, '', `succeeded, but its output could not be completed at the destination: ${err.message}`);
    }
    return {
        bytes: result.stdoutBytes,
        stderr,
        truncated: result.truncated,
        durationMs: result.durationMs,
        ...(statuses?.stages ? { stages: statuses.stages } : {})
    };
}
/** Throws unless the run, the destination and (when given) every stage succeeded. */
function checkStreamResult(host, label, result, stages, statuses) {
    const tail = () => (0,secrets/* scrubSecrets */.Zg)(lastLines(result.stderr, 20, 4000));
    if (result.sinkError) {
        throw new RemoteCommandError(host, label, result.code, tail(), `could not be written to its destination (${result.sinkError.message}) after ${result.stdoutBytes} bytes; the remote process group was killed`);
    }
    if (result.timedOut)
        assertSucceeded(host, label, result);
    if (stages && statuses) {
        const blamed = blamedStage(statuses);
        if (blamed) {
            const all = statuses.map((s) => `${s.index}=${s.code ?? 'none'}`).join(', ');
            throw new PipelineStageError(host, label, blamed.index, blamed.command, statuses, tail(), `failed at stage ${blamed.index} of ${stages.length} (${(0,secrets/* scrubSecrets */.Zg)(commandLabel(blamed.command))}), which ${describeStageCode(blamed.code)} (stage exit codes: ${all})`);
        }
    }
    assertSucceeded(host, label, result);
    if (stages && !statuses) {
        throw new RemoteCommandError(host, label, result.code, tail(), 'ended without reporting the exit status of every stage: outcome unknown');
    }
}

;// CONCATENATED MODULE: ./shared/src/ssh/session.ts






/** ssh2 host key algorithm names for a pinned key type (RSA keys sign with several). */
function hostKeyAlgorithms(keyType) {
    return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType];
}
/** Network errors worth another connect attempt: nothing about keys or authentication. */
const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE']);
function classify(target, err, mismatch, attempt, via) {
    const host = errors_describeTarget(target);
    if (mismatch)
        return { error: mismatch, retryable: false };
    const where = via ? ` (through jump host ${via})` : '';
    const mk = (phase, msg, retryable) => ({
        error: new SshConnectError(host, phase, msg, attempt, { cause: err }),
        retryable
    });
    if (err.level === 'client-authentication') {
        return mk('auth', `authentication to ${host}${where} as the configured user was refused: check 'ssh-user' and that the public half of 'ssh-private-key' is in the user's authorized_keys`, false);
    }
    if (err.level === 'client-timeout' && /handshake/i.test(err.message)) {
        return mk('connect', `no SSH handshake with ${host}${where} within the connect timeout (server silent or network dropping packets)`, true);
    }
    if (err.code === 'ECONNREFUSED')
        return mk('connect', `connection to ${host}${where} was refused: nothing listens on that port`, true);
    if (err.code === 'ENOTFOUND')
        return mk('connect', `host name of ${host} does not resolve (DNS): check the address`, false);
    if (err.code && RETRYABLE_CODES.has(err.code))
        return mk('connect', `could not connect to ${host}${where}: ${err.code} ${err.message}`, true);
    if (err.level === 'client-socket')
        return mk('connect', `could not connect to ${host}${where}: ${err.message}`, true);
    if (err.level === 'protocol' || err.level === 'handshake')
        return mk('handshake', `SSH handshake with ${host}${where} failed: ${err.message}`, false);
    return mk('connect', `could not connect to ${host}${where}: ${err.message}`, false);
}
/** Opens one authenticated ssh2 client, or rejects with a classified failure. Never hangs past the timeout. */
function connectOnce(target, params, attempt, sock, via) {
    const { auth, hostKeys, options } = params;
    return new Promise((resolve, reject) => {
        // ssh2 loads with the first connection: a run that never opens SSH never parses it.
        const client = new ((0,load_library/* requireLibrary */.T)('ssh2').Client)();
        let mismatch;
        let settled = false;
        const settle = (err) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(guard);
            if (!err)
                return resolve(client);
            client.removeAllListeners('ready');
            client.on('error', () => undefined);
            client.end();
            const failure = classify(target, err, mismatch, attempt, via);
            reject(Object.assign(failure.error, { retryable: failure.retryable }));
        };
        // ssh2's readyTimeout already bounds the handshake; this guard bounds everything else too.
        const guard = setTimeout(() => {
            const e = Object.assign(new Error('Timed out while waiting for handshake'), { level: 'client-timeout' });
            settle(e);
            client.destroy();
        }, options.connectTimeoutMs + 2000);
        client.on('ready', () => settle());
        client.on('error', (err) => settle(err));
        client.on('close', () => settle(Object.assign(new Error('connection closed during setup'), { level: 'client-socket' })));
        const keyTypes = hostKeys.keyTypesFor(target);
        const config = {
            host: target.address,
            port: target.port,
            username: target.user,
            privateKey: auth.privateKey,
            ...(auth.passphrase ? { passphrase: auth.passphrase } : {}),
            readyTimeout: options.connectTimeoutMs,
            keepaliveInterval: options.keepaliveIntervalMs,
            keepaliveCountMax: options.keepaliveCountMax,
            // Only the pinned key decides: returning false aborts the handshake before any authentication.
            hostVerifier: (key) => {
                const check = hostKeys.check(target, key);
                if (!check.ok)
                    mismatch = new HostKeyMismatchError(errors_describeTarget(target), check.expected, check.presented, check.presentedType);
                return check.ok;
            },
            ...(keyTypes.length ? { algorithms: { serverHostKey: { prepend: keyTypes.flatMap(hostKeyAlgorithms) } } } : {}),
            ...(sock ? { sock: sock } : {})
        };
        try {
            client.connect(config);
        }
        catch (err) {
            settle(err);
        }
    });
}
/**
 * Retries `attempt` on failures its classification marked retryable (the connect phase only: never a
 * host-key mismatch, authentication or handshake failure), `connectRetries` times, with the core's
 * jittered exponential backoff from `connectRetryDelayMs`.
 */
function withConnectRetries(params, attempt) {
    return withRetries(attempt, {
        attempts: Math.max(0, params.options.connectRetries) + 1,
        baseMs: params.options.connectRetryDelayMs,
        classify: (err) => ({ retry: err.retryable === true })
    });
}
function forwardThrough(jump, target) {
    return new Promise((resolve, reject) => {
        jump.forwardOut('127.0.0.1', 0, target.address, target.port, (err, stream) => (err ? reject(err) : resolve(stream)));
    });
}
/**
 * An open, authenticated connection to one host. Open with `SshSession.connect`; run commands with
 * `exec` (result, never throws on a non-zero exit) or `execChecked` (throws RemoteCommandError).
 */
class SshSession {
    target;
    client;
    params;
    jump;
    lost;
    lostListeners = new Set();
    closing = false;
    constructor(target, client, params, jump) {
        this.target = target;
        this.client = client;
        this.params = params;
        this.jump = jump;
        const markLost = (reason) => {
            if (this.lost)
                return;
            this.lost = reason;
            for (const l of [...this.lostListeners])
                l(reason);
        };
        client.on('error', (err) => markLost(err.message || String(err)));
        client.on('close', () => markLost(this.closing ? 'the session was closed' : 'the connection closed'));
        jump?.on('error', (err) => markLost(`jump host: ${err.message}`));
        jump?.on('close', () => markLost(this.closing ? 'the session was closed' : 'the jump host connection closed'));
    }
    /**
     * Connects and authenticates, through `params.options.jumpHost` when set. The private key and its
     * passphrase are registered as secrets first. Throws HostKeyMismatchError (never retried),
     * SshConnectError with `phase` (only `connect` failures are retried, `connectRetries` times).
     */
    static async connect(target, params) {
        (0,secrets/* registerSecret */.cl)(params.auth.privateKey);
        (0,secrets/* registerSecret */.cl)(params.auth.passphrase);
        params.hostKeys.assertCovers(target);
        const jumpTarget = params.options.jumpHost;
        if (!jumpTarget) {
            const client = await withConnectRetries(params, (n) => connectOnce(target, params, n));
            return new SshSession(target, client, params);
        }
        params.hostKeys.assertCovers(jumpTarget);
        return withConnectRetries(params, async (n) => {
            const jump = await connectOnce(jumpTarget, params, n);
            try {
                const stream = await forwardThrough(jump, target).catch((err) => {
                    throw Object.assign(new SshConnectError(errors_describeTarget(target), 'jump', `jump host ${errors_describeTarget(jumpTarget)} could not open a tunnel to ${errors_describeTarget(target)}: ${err.message}`, n, { cause: err }), { retryable: true });
                });
                const client = await connectOnce(target, params, n, stream, errors_describeTarget(jumpTarget));
                return new SshSession(target, client, params, jump);
            }
            catch (err) {
                jump.end();
                throw err;
            }
        });
    }
    /** `name (address:port)`. */
    get label() {
        return errors_describeTarget(this.target);
    }
    /** Why the connection broke, or undefined while it is usable. */
    get lostReason() {
        return this.lost;
    }
    execHost() {
        return {
            client: this.client,
            hostLabel: this.label,
            lostReason: () => this.lost,
            onLost: (listener) => {
                this.lostListeners.add(listener);
                return () => this.lostListeners.delete(listener);
            }
        };
    }
    /**
     * Runs `command` with the remote user's shell, in its own process group (killed on timeout), and
     * resolves with the result whatever the exit code. `code === null` means the outcome is unknown.
     */
    exec(command, opts = {}) {
        return runExec(this.execHost(), command, opts, this.params.options.commandTimeoutMs);
    }
    /** Like `exec`, but throws RemoteCommandError unless the command exited 0 (a `null` code is a failure). */
    async execChecked(command, opts = {}) {
        const result = await this.exec(command, opts);
        return assertSucceeded(this.label, commandLabel(command, opts.label), result);
    }
    /**
     * Runs a command whose stdout is an artifact and writes that stdout, byte for byte (never decoded),
     * into `destination`, e.g. a file stream for `['pg_dump -Fc app', 'zstd -1']`. Memory stays bounded
     * whatever the size: while `destination.write` reports a full buffer the channel is paused, and SSH
     * flow control holds the remote command back. stderr is kept as a bounded tail; the process group is
     * killed on timeout as for `exec`.
     *
     * Give `command` as stages to have each stage's exit status checked (sh has no portable `pipefail`):
     * a failed first stage fails the whole even when the last stage exits 0, and the PipelineStageError
     * names the host, the stage and its exit code. A plain string is one command, judged by its own exit
     * status only.
     *
     * Resolves, once the destination has been ended and has finished, with the byte count. Throws a
     * RemoteCommandError on a non-zero exit, timeout, lost connection or failing destination (which also
     * kills the remote command); the destination is then destroyed, never ended, so a partial artifact
     * cannot pass for a whole one.
     */
    execToStream(command, destination, opts = {}) {
        return runExecToStream(this.execHost(), command, destination, opts, this.params.options.commandTimeoutMs);
    }
    /**
     * Runs `command` unwrapped (no process group, no kill on timeout: the channel is just closed).
     * Only for tiny control commands such as the shell probe.
     */
    execRaw(command, timeoutMs) {
        if (this.lost)
            return Promise.resolve({ code: null, stdout: '', stderr: this.lost });
        return runRawExec(this.client, command, timeoutMs);
    }
    /**
     * Opens a `direct-tcpip` channel to `host:port` as the remote host sees it (what `ssh -L` does per
     * connection) on this session's connection. Rejects when the server refuses the channel (nothing
     * listens there, forwarding disabled), when the connection is or gets lost, or after `timeoutMs`:
     * sshd confirms the channel only once its own TCP connect finished, which for a silent address takes
     * minutes. A channel that opens after the timeout is closed at once.
     */
    forwardOut(host, port, timeoutMs = this.params.options.connectTimeoutMs) {
        if (this.lost)
            return Promise.reject(new Error(`cannot forward to ${host}:${port} through ${this.label}: ${this.lost}`));
        return new Promise((resolve, reject) => {
            let settled = false;
            const finish = (err, channel) => {
                if (settled) {
                    // Too late: nobody waits for this channel any more.
                    channel?.destroy();
                    return;
                }
                settled = true;
                clearTimeout(timer);
                offLost();
                if (err || !channel)
                    reject(err ?? new Error('no channel'));
                else
                    resolve(channel);
            };
            const timer = setTimeout(() => finish(new Error(`${this.label} did not open a channel to ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
            const onLost = (reason) => finish(new Error(`cannot forward to ${host}:${port} through ${this.label}: ${reason}`));
            this.lostListeners.add(onLost);
            const offLost = () => this.lostListeners.delete(onLost);
            try {
                this.client.forwardOut('127.0.0.1', 0, host, port, (err, channel) => {
                    finish(err ? new Error(`${this.label} could not open a channel to ${host}:${port}: ${err.message}`, { cause: err }) : undefined, channel);
                });
            }
            catch (err) {
                finish(err);
            }
        });
    }
    /** Closes the connection (and the jump connection). Safe to call twice. */
    async close() {
        if (this.closing)
            return;
        this.closing = true;
        const ended = new Promise((resolve) => {
            if (this.lost)
                return resolve();
            const t = setTimeout(resolve, 2000);
            this.client.once('close', () => {
                clearTimeout(t);
                resolve();
            });
        });
        this.client.end();
        await ended;
        this.jump?.end();
    }
}

;// CONCATENATED MODULE: ./shared/src/ssh/pool.ts
// One connection per host for a whole run; fan-out over hosts: all at once with a bound (read-only work)
// or rolling, batch by batch, stopping at the first failure (changes to production).




function targetKey(t) {
    return `${t.user}@${t.address}:${t.port}`;
}
/**
 * Memoises `SshSession.connect` per `user@address:port`, so every command of a run reuses one
 * connection per host. A failed connect is remembered too: a dead host costs one timeout, not one per command.
 */
class SshPool {
    params;
    sessions = new Map();
    constructor(params) {
        this.params = params;
    }
    /** The session for `target`, connecting on first use. */
    get(target) {
        const key = targetKey(target);
        let session = this.sessions.get(key);
        if (!session) {
            session = SshSession.connect(target, this.params);
            // Keep an unobserved rejection from crashing the process; callers still see it.
            session.catch(() => undefined);
            this.sessions.set(key, session);
        }
        return session;
    }
    /** How many distinct connections were opened (or attempted). */
    get size() {
        return this.sessions.size;
    }
    /** Closes every session that connected; never throws. */
    async closeAll() {
        const all = [...this.sessions.values()];
        this.sessions.clear();
        await Promise.all(all.map((p) => p.then((s) => s.close()).catch(() => undefined)));
    }
}
/** Per-host lines collected by `runOnHosts`, bounded so a chatty host cannot exhaust memory. */
class HostLog {
    maxLines;
    lines = [];
    dropped = 0;
    constructor(maxLines = 2000) {
        this.maxLines = maxLines;
    }
    /** Adds one line; beyond `maxLines` the oldest lines are dropped and counted. */
    add(line) {
        this.lines.push(line);
        if (this.lines.length > this.maxLines) {
            this.lines.shift();
            this.dropped++;
        }
    }
}
/** Runs `fn` for one host, keeping its log and timing whatever happens. */
async function runOnHost(target, fn) {
    const log = new HostLog();
    const started = Date.now();
    const label = describeTarget(target);
    // toError first: a thrown non-Error keeps its JSON in the message (settle alone would print [object Object]).
    const settled = await settle(() => fn(target, log).catch((err) => Promise.reject(toError(err))));
    const durationMs = Date.now() - started;
    return settled.ok ? { target, label, ok: true, value: settled.value, log, durationMs } : { target, label, ok: false, error: settled.error, log, durationMs };
}
/**
 * Runs `fn` for every target with at most `limit` running at once, and returns one settled outcome per
 * target in input order. A failing host never stops the others; its log lines are kept. For read-only
 * work (health checks); operations that change production use `runOnHostsRolling`.
 */
async function runOnHosts(targets, limit, fn) {
    return mapLimit(targets, limit, (target) => runOnHost(target, fn));
}
/**
 * Runs `fn` over the targets in order for an operation that changes production (deploy, migration,
 * certificate renewal): in batches of `maxParallel` hosts, each batch started only once the previous one
 * has finished. After a batch in which any host failed nothing more is started: the hosts of that batch
 * still finish (stopping a host half-way through a change is worse than letting it end), and every later
 * host is reported as `skipped`, never run. Outcomes come in input order, with per-host logs as in
 * `runOnHosts`.
 */
async function runOnHostsRolling(targets, opts, fn) {
    const size = opts.maxParallel;
    if (!Number.isInteger(size) || size < 1)
        throw new RangeError(`runOnHostsRolling: maxParallel must be a positive integer, got ${String(size)}`);
    const outcomes = [];
    let stoppedBy;
    for (let start = 0; start < targets.length; start += size) {
        const batch = targets.slice(start, start + size);
        if (stoppedBy !== undefined) {
            const reason = `not started: ${stoppedBy} failed`;
            for (const target of batch)
                outcomes.push({ target, label: describeTarget(target), ok: false, skipped: true, reason, log: new HostLog(), durationMs: 0 });
            continue;
        }
        const ran = await runOnHosts(batch, size, fn);
        outcomes.push(...ran.map((o) => ({ ...o, skipped: false })));
        const failed = ran.filter((o) => !o.ok).map((o) => o.label);
        if (failed.length)
            stoppedBy = failed.join(', ');
    }
    return outcomes;
}

;// CONCATENATED MODULE: ./shared/src/ssh/validate.ts
// Allow-list validators for values that end up in remote command lines (service names, tags, paths,
// database names). They run before any connection and never echo a dangerous value back.

/** Why a value was refused, described without repeating it. */
function describeProblem(value) {
    if (value.length === 0)
        return 'is empty';
    if (value.includes('\0'))
        return 'contains a NUL byte';
    if (/[\r\n]/.test(value))
        return 'contains a line break';
    if (/[\u0000-\u001f\u007f]/.test(value))
        return 'contains a control character';
    if (/[^\x20-\x7e]/.test(value))
        return 'contains a non-ASCII character (possibly a look-alike of an ASCII one)';
    if (value.startsWith('-'))
        return "starts with '-' (it would be read as an option)";
    if (/[;&|`$(){}<>\\'"*?!#~\s[\]^]/.test(value))
        return 'contains a shell metacharacter or space';
    return undefined;
}
function assertAllowed(value, what, pattern, rule) {
    const problem = describeProblem(value);
    if (problem)
        throw new errors/* ConfigurationError */.j(`${what} ${problem}; it must be ${rule}.`);
    if (!pattern.test(value))
        throw new errors/* ConfigurationError */.j(`${what} is not allowed; it must be ${rule}.`);
    return value;
}
/** A compose service or container name: letters, digits, `_ . -`, up to 63 characters. Returns the value. */
function assertServiceName(value, what = 'service name') {
    return assertAllowed(value, what, /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, "letters, digits, '_', '.', '-' (up to 63, not starting with '-' or '.')");
}
/** A Docker image tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}` as Docker defines it. Returns the value. */
function assertImageTag(value, what = 'image tag') {
    return assertAllowed(value, what, /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "a Docker tag: letters, digits, '_', '.', '-' (up to 128)");
}
/** A release version such as `v1.4.2` or `2024.06.01-rc1` (same alphabet as an image tag). Returns the value. */
function assertVersion(value, what = 'version') {
    return assertAllowed(value, what, /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "a version such as 'v1.4.2': letters, digits, '_', '.', '-'");
}
/** A remote path: `A-Za-z0-9 _ . / -`, no `..` segment, not starting with `-`. Returns the value. */
function assertRemotePath(value, what = 'remote path') {
    assertAllowed(value, what, /^[A-Za-z0-9_./-]{1,4096}$/, "a path of letters, digits, '_', '.', '/', '-'");
    if (value.split('/').includes('..'))
        throw new errors/* ConfigurationError */.j(`${what} contains a '..' segment; give a path without it.`);
    return value;
}
/** A PostgreSQL database (or role) name we are willing to put on a command line. Returns the value. */
function assertDatabaseName(value, what = 'database name') {
    return assertAllowed(value, what, /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/, "letters, digits, '_', '-' (up to 63, starting with a letter or '_')");
}

;// CONCATENATED MODULE: ./shared/src/compose/project.ts




/** Every compose CLI, in the order detection tries them (v2 first: v1 is end-of-life). */
const COMPOSE_CLIS = (/* unused pure expression or super */ null && (['docker compose', 'docker-compose']));
const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
/**
 * Compose's project name: `explicit` when given (validated), else what compose v1 and v2 derive from
 * the project directory: its base name, lower-cased, with everything outside `[a-z0-9_-]` removed.
 * Throws ConfigurationError when that leaves no valid name.
 */
function composeProjectName(projectDir, explicit) {
    if (explicit)
        return assertProjectName(explicit, `Config key compose.project-name`);
    const base = projectDir.replace(/\/+$/, '').split('/').pop() ?? '';
    const derived = base.toLowerCase().replace(/[^a-z0-9_-]/g, '');
    if (!PROJECT_NAME.test(derived)) {
        throw new errors/* ConfigurationError */.j(`The compose project directory '${truncate(projectDir)}' gives no usable project name ('${truncate(derived)}'): set compose.project-name in the config.`);
    }
    return derived;
}
/** Compose project names are `[a-z0-9][a-z0-9_-]*`; anything else is a typo or an injection attempt. Returns the name. */
function assertProjectName(name, what = 'compose project name') {
    if (!PROJECT_NAME.test(name)) {
        throw new errors/* ConfigurationError */.j(`${what} is '${truncate(name)}', not a compose project name: use lower-case letters, digits, '-' and '_'.`);
    }
    return name;
}
/** The config's compose project, for a host whose CLI is `cli` (see resolveComposeProject to detect it). */
function composeProjectFromConfig(compose, cli) {
    return {
        cli,
        dir: compose.projectDir,
        name: composeProjectName(compose.projectDir, compose.projectName),
        file: compose.file || undefined,
        envFile: compose.envFile || undefined
    };
}
/** The words that start a command line of `cli`: `docker compose` is the docker CLI with a plugin verb. */
function cliWords(cli) {
    return cli === 'docker compose' ? ['docker', 'compose'] : ['docker-compose'];
}
/**
 * The remote command line that runs compose with `args` for `project`: `cd -- <dir> && <cli> -p <name>
 * [-f <file>] [--env-file <file>] <args...>`. Every word is quoted with shellQuote, so `args` reach
 * compose byte for byte; the directory, files and name are validated first (ConfigurationError).
 * A missing directory fails the command (`cd` fails, nothing runs), never runs compose in `$HOME`.
 * `args` are compose's own (`ps`, `exec`, `-T`...): validate any user value in them before calling.
 * `env` sets variables for this one command (`env NAME=value docker compose ...`), quoted like the rest.
 */
function composeCommand(project, args, opts = {}) {
    const dir = assertRemotePath(project.dir, 'compose project directory (compose.project-dir)');
    // Variables set here win over the env file (compose reads the shell's environment first).
    const env = Object.entries(opts.env ?? {}).map(([k, v]) => {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
            throw new errors/* ConfigurationError */.j(`'${truncate(k)}' is not an environment variable name.`);
        return `${k}=${v}`;
    });
    const words = [...(env.length ? ['env', ...env] : []), ...cliWords(project.cli), '-p', assertProjectName(project.name)];
    if (project.file)
        words.push('-f', assertRemotePath(project.file, 'compose file (compose.file)'));
    if (project.envFile)
        words.push('--env-file', assertRemotePath(project.envFile, 'compose env file (compose.env-file)'));
    return `cd -- ${shellQuote(dir)} && ${shellJoin([...words, ...args])}`;
}

;// CONCATENATED MODULE: ./shared/src/compose/errors.ts
// The one error type of the compose module: what went wrong on the host, in a sentence for the report.
/** A compose or docker step that failed on a host. `message` is scrubbed of registered secrets and fit for a report. */
class errors_ComposeError extends Error {
    failure;
    detail;
    name = 'ComposeError';
    constructor(message, 
    /** What kind of failure it is, so callers can tell "no docker here" from "docker is broken". */
    failure, 
    /** The remote command's own words (first stderr lines), scrubbed, when there were any. */
    detail) {
        super(message);
        this.failure = failure;
        this.detail = detail;
    }
}

;// CONCATENATED MODULE: ./shared/src/compose/remote.ts
// What the compose module needs from an SSH session, and the one way it words a failed remote command.

/** Default bound on one docker/compose command of this module. */
const DOCKER_COMMAND_TIMEOUT_MS = 30_000;
/** The shell's "command not found" status: the CLI is not installed (or not on the login PATH). */
const COMMAND_NOT_FOUND = 127;
/** First lines of a failed command's stderr, scrubbed: what the host said, short enough for a report. */
function remoteWords(result, lines = 3) {
    return (0,secrets/* scrubSecrets */.Zg)(result.stderr
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(0, lines)
        .join(' | ')).slice(0, 500);
}
/** Why a command did not succeed, in a few words: timed out, lost connection, its stderr, or its code. */
function whyFailed(result, timeoutMs) {
    if (result.timedOut)
        return `timed out after ${timeoutMs} ms`;
    if (result.code === null)
        return `ended without an exit status (${(0,secrets/* scrubSecrets */.Zg)(result.connectionError ?? 'connection lost')})`;
    return remoteWords(result) || `exit code ${result.code}`;
}

;// CONCATENATED MODULE: ./shared/src/compose/containers.ts
// A compose project's containers on a host, found by the labels compose v1 and v2 both set:
// `docker ps -a` by label for the ids, then `docker inspect` (JSON in every Docker version, unlike v1's
// `ps`) for state, health, image, times, restarts, networks and ports. Also where a service listens.





/** The labels compose (v1 and v2) puts on every container it creates. */
const COMPOSE_LABELS = {
    project: 'com.docker.compose.project',
    service: 'com.docker.compose.service',
    /** `True` on `compose run` containers: never one of the service's replicas. */
    oneOff: 'com.docker.compose.oneoff',
    containerNumber: 'com.docker.compose.container-number',
    version: 'com.docker.compose.version',
    workingDir: 'com.docker.compose.project.working_dir',
    configFiles: 'com.docker.compose.project.config_files'
};
// Docker's zero time: the container never started (or never stopped).
const ZERO_TIME = /^0001-01-01T/;
/** The exit status the listing script gives when `docker inspect` itself failed. */
const INSPECT_FAILED = 100;
const time = (t) => (t && !ZERO_TIME.test(t) ? t : null);
/** One `docker inspect` object as a ServiceContainer. */
function toServiceContainer(c) {
    const labels = c.Config?.Labels ?? {};
    const number = Number.parseInt(labels[COMPOSE_LABELS.containerNumber] ?? '', 10);
    const networks = Object.entries(c.NetworkSettings?.Networks ?? {})
        .map(([name, n]) => ({
        name,
        ipAddress: n?.IPAddress ?? '',
        ...(n?.GlobalIPv6Address ? { ipv6Address: n.GlobalIPv6Address } : {}),
        aliases: n?.Aliases ?? []
    }))
        .sort((a, b) => a.name.localeCompare(b.name));
    // Daemons before user-defined networks only filled the top-level address (the default bridge).
    const legacyIp = c.NetworkSettings?.IPAddress;
    if (legacyIp && !networks.some((n) => n.ipAddress === legacyIp))
        networks.push({ name: 'bridge', ipAddress: legacyIp, aliases: [] });
    const ports = [];
    for (const [key, bindings] of Object.entries(c.NetworkSettings?.Ports ?? {})) {
        const [port, protocol = 'tcp'] = key.split('/');
        const containerPort = Number(port);
        if (!Number.isInteger(containerPort))
            continue;
        if (!bindings || bindings.length === 0)
            ports.push({ containerPort, protocol });
        for (const b of bindings ?? []) {
            const hostPort = Number(b.HostPort);
            ports.push({ containerPort, protocol, ...(b.HostIp !== undefined ? { hostIp: b.HostIp } : {}), ...(Number.isInteger(hostPort) && hostPort > 0 ? { hostPort } : {}) });
        }
    }
    ports.sort((a, b) => a.containerPort - b.containerPort || a.protocol.localeCompare(b.protocol) || (a.hostIp ?? '').localeCompare(b.hostIp ?? ''));
    const state = c.State?.Status ?? 'unknown';
    return {
        id: c.Id ?? '',
        name: (c.Name ?? '?').replace(/^\//, ''),
        project: labels[COMPOSE_LABELS.project] ?? '',
        service: labels[COMPOSE_LABELS.service] ?? '',
        containerNumber: Number.isInteger(number) ? number : null,
        oneOff: /^true$/i.test(labels[COMPOSE_LABELS.oneOff] ?? ''),
        image: c.Config?.Image ?? '',
        imageId: c.Image ?? '',
        state,
        running: c.State?.Running === true || state === 'running',
        health: c.State?.Health?.Status ?? null,
        healthFailingStreak: c.State?.Health?.FailingStreak ?? 0,
        exitCode: c.State?.ExitCode ?? 0,
        restartCount: c.RestartCount ?? 0,
        createdAt: c.Created ?? '',
        startedAt: time(c.State?.StartedAt),
        finishedAt: time(c.State?.FinishedAt),
        composeVersion: labels[COMPOSE_LABELS.version] ?? null,
        networkMode: c.HostConfig?.NetworkMode ?? '',
        networks,
        ports,
        labels
    };
}
/**
 * Parses `docker inspect` output (a JSON array; one JSON object per line is accepted too, as printed by
 * `--format '{{json .}}'`). Throws a SyntaxError when it is neither.
 */
function parseDockerInspect(text) {
    const trimmed = text.trim();
    if (!trimmed)
        return [];
    let parsed;
    try {
        parsed = JSON.parse(trimmed);
    }
    catch (err) {
        const lines = trimmed.split('\n').filter((l) => l.trim().startsWith('{'));
        if (!lines.length)
            throw err;
        parsed = lines.map((l) => JSON.parse(l));
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.filter((c) => typeof c === 'object' && c !== null).map(toServiceContainer);
}
/** Compose's own order: by service, then replica number (unnumbered, e.g. one-off runs, last), then name. */
function byServiceAndNumber(a, b) {
    const number = (c) => c.containerNumber ?? Number.MAX_SAFE_INTEGER;
    return a.service.localeCompare(b.service) || number(a) - number(b) || a.name.localeCompare(b.name);
}
/** The `docker ps` command that lists the ids of a project's (or one service's) containers, running or not. */
function listContainersCommand(selector) {
    const filters = ['--filter', `label=${COMPOSE_LABELS.project}=${assertProjectName(selector.project)}`];
    if (selector.service !== undefined)
        filters.push('--filter', `label=${COMPOSE_LABELS.service}=${assertServiceName(selector.service, 'compose service name')}`);
    return shellJoin(['docker', 'ps', '-a', '--no-trunc', ...filters, '--format', '{{.ID}}']);
}
/**
 * Lists the containers of a compose project (or of one service) on the session's host, running or not,
 * whichever compose created them: `docker ps -a` by the compose labels, then `docker inspect` of those
 * ids, in one remote command. No project directory or compose CLI is needed. Bounded by `timeoutMs`.
 * Throws ComposeError: `docker-missing` when the host has no docker CLI, `docker-failed` when docker
 * fails (daemon down, permission, timeout). A container removed between the two commands is left out.
 */
async function listServiceContainers(session, selector, opts = {}) {
    const timeoutMs = opts.timeoutMs ?? DOCKER_COMMAND_TIMEOUT_MS;
    const host = session.target.name;
    const what = selector.service === undefined ? `compose project '${selector.project}'` : `compose service '${selector.service}' of project '${selector.project}'`;
    // One round trip: the ids by label, then `docker inspect` of them (exit 100 marks inspect's failure).
    const command = `ids=$(${listContainersCommand(selector)}) || exit $?\nif [ -z "$ids" ]; then echo '[]'; exit 0; fi\ndocker inspect $ids || exit ${INSPECT_FAILED}`;
    const r = await session.exec(command, { timeoutMs, label: `docker ps + inspect (${what})`, tailBytes: 16 * 1024 * 1024 });
    if (r.code === COMMAND_NOT_FOUND) {
        throw new errors_ComposeError(`docker is not installed on ${host} (or not on the SSH user's PATH)`, 'docker-missing', remoteWords(r) || undefined);
    }
    if (r.code !== 0 && r.code !== INSPECT_FAILED) {
        throw new errors_ComposeError(`could not list the containers of ${what} on ${host}: docker ps failed: ${whyFailed(r, timeoutMs)}`, 'docker-failed', remoteWords(r) || undefined);
    }
    let containers;
    try {
        // A container removed between the two commands makes inspect exit 1 but still print the others.
        containers = parseDockerInspect(r.stdout);
        if (containers.length === 0 && r.code !== 0)
            throw new Error('no output');
    }
    catch {
        throw new errors_ComposeError(`could not inspect the containers of ${what} on ${host}: ${whyFailed(r, timeoutMs)}`, 'docker-failed', remoteWords(r) || undefined);
    }
    return containers
        .filter((c) => c.project === selector.project && (selector.service === undefined || c.service === selector.service))
        .filter((c) => selector.includeOneOff || !c.oneOff)
        .sort(byServiceAndNumber);
}
/**
 * The address of one container as its host sees it: on the project's network (`<project>_default`,
 * then any `<project>_*`, then any other), 127.0.0.1 for the host network, the old top-level address
 * as a last resort. Undefined when it has none (stopped, `network_mode: none`).
 */
function containerAddress(c, project = c.project) {
    if (c.networkMode === 'host')
        return { address: '127.0.0.1', network: 'host' };
    const rank = (name) => (name === `${project}_default` ? 0 : name.startsWith(`${project}_`) ? 1 : 2);
    const best = c.networks.filter((n) => n.ipAddress).sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name))[0];
    return best ? { address: best.ipAddress, network: best.name } : undefined;
}
/**
 * Picks the one running container of `service` from a listing and its address (see containerAddress).
 * Throws ComposeError `lookup` with a sentence naming what was found when there is no running
 * container, more than one, or no address.
 */
function pickServiceAddress(containers, project, service, hostLabel) {
    const what = `compose service '${service}' of project '${project}' on ${hostLabel}`;
    const ours = containers.filter((c) => c.project === project && c.service === service && !c.oneOff);
    const running = ours.filter((c) => c.running);
    if (running.length === 0) {
        const others = ours.map((c) => `${c.name}: ${c.state}`).join(', ');
        throw new ComposeError(ours.length
            ? `the ${what} has no running container (${others})`
            : `the ${what} has no container: check the project name and that the project is up there`, 'lookup');
    }
    if (running.length > 1) {
        throw new ComposeError(`the ${what} runs ${running.length} containers (${running.map((c) => c.name).sort().join(', ')}): expected exactly one`, 'lookup');
    }
    const c = running[0];
    const found = containerAddress(c, project);
    if (found)
        return { ...found, container: c.name };
    throw new ComposeError(`container ${c.name} of the ${what} has no IP address on any network`, 'lookup');
}
/**
 * Finds where `service` of `project` listens on the session's host: its one running container (by the
 * compose labels) and that container's address. Throws ComposeError with a sentence for the report on
 * any failure (docker missing or failing, no/several running containers, no address).
 */
async function findServiceAddress(session, project, service, opts = {}) {
    const containers = await listServiceContainers(session, { project, service }, opts);
    return pickServiceAddress(containers, project, service, session.target.name);
}

;// CONCATENATED MODULE: ./shared/src/compose/logs.ts
// The last log lines of containers (the runbook's `docker-compose logs --tail=100 api`), read in one
// remote command by container id, so neither the project directory nor the compose CLI is needed.





/** Most lines asked of one container, and most bytes kept of its log tail. */
const LOG_LINES_MAX = 1000;
const LOG_BYTES_MAX = 16_000;
const CONTAINER_ID = /^[0-9a-f]{12,64}$/;
/** The one command that prints each container's log tail behind a marker line naming its id. */
function containerLogsCommand(ids, lines, marker, timestamps = false) {
    const n = Math.max(1, Math.min(Math.floor(lines), LOG_LINES_MAX));
    return ids
        .map((id) => {
        if (!CONTAINER_ID.test(id))
            throw new TypeError(`containerLogsCommand: '${id.slice(0, 80)}' is not a container id`);
        return `echo ${shellQuote(`${marker} ${id}`)}; docker logs${timestamps ? ' --timestamps' : ''} --tail ${n} ${id} 2>&1 | tail -c ${LOG_BYTES_MAX}`;
    })
        .join('\n');
}
/** Splits the command's output back into log text per container id; a forged marker inside a log cannot match the random one. */
function splitContainerLogs(stdout, marker) {
    const logs = {};
    let id;
    let lines = [];
    const flush = () => {
        if (id !== undefined)
            logs[id] = lines.join('\n').replace(/\n+$/, '');
    };
    for (const line of stdout.split('\n')) {
        if (line.startsWith(`${marker} `) && CONTAINER_ID.test(line.slice(marker.length + 1))) {
            flush();
            id = line.slice(marker.length + 1);
            lines = [];
        }
        else if (id !== undefined)
            lines.push(line);
    }
    flush();
    return logs;
}
/**
 * Reads the last `lines` log lines (stdout and stderr interleaved, at most LOG_BYTES_MAX bytes each)
 * of every container in `ids` with one remote command. Returns the scrubbed text by container id.
 * With `timestamps`, each line starts with Docker's RFC 3339 receive time (`docker logs --timestamps`).
 * Throws ComposeError `docker-failed` when the command fails as a whole (timeout, connection lost).
 */
async function readContainerLogs(session, ids, opts) {
    if (ids.length === 0)
        return {};
    const timeoutMs = opts.timeoutMs ?? DOCKER_COMMAND_TIMEOUT_MS;
    const marker = `@@a2a-logs-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}`;
    const result = await session.exec(containerLogsCommand(ids, opts.lines, marker, opts.timestamps), { timeoutMs, label: 'docker logs' });
    if (result.code !== 0) {
        throw new errors_ComposeError(`could not read container logs on ${session.target.name}: ${whyFailed(result, timeoutMs)}`, 'docker-failed');
    }
    const logs = splitContainerLogs(result.stdout, marker);
    return Object.fromEntries(Object.entries(logs).map(([id, text]) => [id, (0,secrets/* scrubSecrets */.Zg)(text)]));
}

;// CONCATENATED MODULE: ./shared/src/compose/detect.ts



/**
 * The probe: `docker compose version`, and only if that fails `docker-compose version`. The first line
 * of the output names the CLI that answered (or `none`); both are `version` subcommands, which need no
 * daemon and no project, so the probe is cheap and has no effect.
 */
const COMPOSE_PROBE_COMMAND = [
    'if a2a_v=$(docker compose version 2>&1); then printf "%s\\n%s\\n" "docker compose" "$a2a_v"; exit 0; fi',
    'a2a_v2err="$a2a_v"',
    'if a2a_v=$(docker-compose version 2>&1); then printf "%s\\n%s\\n" "docker-compose" "$a2a_v"; exit 0; fi',
    'printf "none\\n%s\\n%s\\n" "$a2a_v2err" "$a2a_v" >&2; exit 3'
].join('\n');
// Per session object: a detection in progress or done. A failed probe is forgotten, so a later call retries.
const detected = new WeakMap();
/**
 * Parses the probe's stdout: the CLI on the first line, the first `x.y.z` version after it.
 * Returns undefined when the output is not the probe's.
 */
function parseComposeProbe(stdout) {
    const [first, ...rest] = stdout.split('\n');
    const cli = first.trim();
    if (cli !== 'docker compose' && cli !== 'docker-compose')
        return undefined;
    const version = /\bv?(\d+\.\d+\.\d+[0-9A-Za-z.+-]*)/.exec(rest.join('\n'))?.[1]?.replace(/[.,]+$/, '');
    return { cli, version, detected: true };
}
/**
 * Detects the host's compose CLI with one remote command (COMPOSE_PROBE_COMMAND), once per session:
 * later calls with the same session reuse the answer. Throws ComposeError `no-compose` (naming what
 * both commands said) when neither works, `docker-failed` when the probe itself could not run.
 */
function detectComposeCli(session, opts = {}) {
    const cached = detected.get(session);
    if (cached)
        return cached;
    const probe = probeComposeCli(session, opts.timeoutMs ?? DOCKER_COMMAND_TIMEOUT_MS);
    detected.set(session, probe);
    probe.catch(() => detected.delete(session));
    return probe;
}
async function probeComposeCli(session, timeoutMs) {
    const host = session.target.name;
    const result = await session.exec(COMPOSE_PROBE_COMMAND, { timeoutMs, label: 'compose version probe' });
    if (result.code === 0) {
        const info = parseComposeProbe(result.stdout);
        if (info)
            return info;
        throw new errors_ComposeError(`the compose version probe on ${host} printed something unexpected: ${result.stdout.trim().slice(0, 200)}`, 'docker-failed');
    }
    if (result.code === 3 && result.stderr.startsWith('none')) {
        const said = remoteWords({ ...result, stderr: result.stderr.replace(/^none\n/, '') }, 4);
        throw new errors_ComposeError(`neither 'docker compose' (v2) nor 'docker-compose' (v1) works on ${host}: install one, or set compose.command in the config if it is elsewhere on the PATH${said ? ` (${said})` : ''}`, 'no-compose', said || undefined);
    }
    throw new errors_ComposeError(`could not find out which compose CLI ${host} has: ${whyFailed(result, timeoutMs)}`, 'docker-failed', remoteWords(result) || undefined);
}
/**
 * The compose CLI to use on a host: the config's `compose.command` when it names one (no probe), else
 * (`auto`) what detectComposeCli finds there.
 */
async function resolveComposeCli(session, setting, opts = {}) {
    if (setting && setting !== 'auto')
        return { cli: setting, detected: false };
    return detectComposeCli(session, opts);
}
/**
 * The config's compose project on the session's host, with the CLI resolved there (config wins, else
 * detected). Validation errors of the config are ConfigurationErrors and come before any remote call.
 */
async function resolveComposeProject(session, compose, opts = {}) {
    // Validate the name before asking the host anything: a config mistake should not cost a round trip.
    composeProjectFromConfig(compose, 'docker compose');
    const { cli } = await resolveComposeCli(session, compose.command, opts);
    return composeProjectFromConfig(compose, cli);
}

;// CONCATENATED MODULE: ./shared/src/compose/exec.ts
// `compose exec -T <service> <argv...>` on a host (the runbook's `docker-compose exec -T postgres pg_dump ...`):
// no TTY, so output is clean bytes and stdin can be piped; every word validated and quoted by the core.



const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const CONTAINER_USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?$/;
const CONTAINER_DIR = /^\/[A-Za-z0-9_./-]{0,4095}$/;
/** The compose arguments of `exec -T [options] <service> <argv...>`, validated (ConfigurationError) but not yet quoted. */
function composeExecArgs(service, argv, opts = {}) {
    if (argv.length === 0)
        throw new errors/* ConfigurationError */.j(`compose exec in service '${assertServiceName(service)}' needs a command to run.`);
    for (const word of argv) {
        if (word.includes('\0'))
            throw new errors/* ConfigurationError */.j(`compose exec in service '${service}': an argument contains a NUL byte, which no command line can carry.`);
    }
    const args = ['exec', '-T'];
    if (opts.user !== undefined) {
        if (!CONTAINER_USER.test(opts.user))
            throw new errors/* ConfigurationError */.j(`compose exec user must be a user name or uid[:gid] such as 'postgres' or '999:999'.`);
        args.push('-u', opts.user);
    }
    if (opts.workdir !== undefined) {
        if (!CONTAINER_DIR.test(opts.workdir) || opts.workdir.split('/').includes('..')) {
            throw new errors/* ConfigurationError */.j(`compose exec workdir must be an absolute path of letters, digits, '_', '.', '/', '-' without '..'.`);
        }
        args.push('-w', opts.workdir);
    }
    if (opts.index !== undefined) {
        if (!Number.isInteger(opts.index) || opts.index < 1)
            throw new errors/* ConfigurationError */.j(`compose exec index must be a replica number from 1.`);
        args.push('--index', String(opts.index));
    }
    for (const [name, value] of Object.entries(opts.env ?? {})) {
        if (!ENV_NAME.test(name))
            throw new errors/* ConfigurationError */.j(`compose exec environment variable names must be letters, digits and '_' (not starting with a digit).`);
        if (value.includes('\0') || /[\r\n]/.test(value))
            throw new errors/* ConfigurationError */.j(`compose exec environment variable ${name} contains a NUL byte or a line break.`);
        args.push('-e', `${name}=${value}`);
    }
    args.push(assertServiceName(service, 'compose service name'), ...argv);
    return args;
}
/**
 * Runs `argv` in the running container of `service` with `compose exec -T`, in the project directory
 * (fails when it is missing). Every argument is quoted with the core's quoting, the service name and
 * options are checked by the allow-lists first (ConfigurationError, nothing is sent). Like
 * SshSession.exec, resolves with the result whatever the exit code (`code === null`: outcome unknown).
 */
function composeExec(session, project, service, argv, opts = {}) {
    const { user, env, workdir, index, ...execOpts } = opts;
    const command = composeCommand(project, composeExecArgs(service, argv, { user, env, workdir, index }));
    return session.exec(command, { label: `compose exec ${service} ${argv[0]}`, ...execOpts });
}

;// CONCATENATED MODULE: ./action-incident/src/hosts/daemon-log.ts
// The runbook's `ssh deploy@<app-server> "sudo journalctl -u docker -f"`, bounded: the Docker daemon's
// recent log where systemd runs; where it does not (containers, this lab), said plainly instead.
/** The remote script: first line `@@journal` (then journalctl's output) or `@@no-systemd`. */
function daemonLogScript(lines) {
    const n = Math.max(1, Math.min(500, Math.floor(lines)));
    return [
        'if [ -d /run/systemd/system ] && command -v journalctl >/dev/null 2>&1; then',
        '  echo @@journal',
        `  journalctl -u docker --no-pager -n ${n} 2>&1 || sudo -n journalctl -u docker --no-pager -n ${n} 2>&1`,
        'else echo @@no-systemd; fi'
    ].join('\n');
}
function parseDaemonLog(stdout) {
    const nl = stdout.indexOf('\n');
    const first = (nl < 0 ? stdout : stdout.slice(0, nl)).trim();
    if (first === '@@journal')
        return { kind: 'journal', text: nl < 0 ? '' : stdout.slice(nl + 1).replace(/\n+$/, '') };
    return { kind: 'no-systemd' };
}
/** The sentence for a host without systemd. */
function noSystemdNote(host) {
    return `${host}: systemd is not running (no /run/systemd/system), so there is no \`journalctl -u docker\`; the Docker daemon's log is wherever the host's init starts dockerd writing it.`;
}

;// CONCATENATED MODULE: ./action-incident/src/hosts/processes.ts
// The runbook's "docker-compose exec api ps aux --sort=-%mem | head": the top processes by memory in a
// container. BusyBox images (as the lab's, and many alpine ones) have a ps without --sort or aux: the
// script detects that, falls back to `ps -o pid,user,rss,vsz,args` sorted here by RSS, and says so.
/** The script run with `compose exec -T <service> sh -c`; its first line names the mode. */
const PS_SCRIPT = [
    'if out=$(ps aux --sort=-%mem 2>/dev/null); then echo @@sorted; printf "%s\\n" "$out"',
    'elif out=$(ps -o pid,user,rss,vsz,args 2>/dev/null); then echo @@rss; printf "%s\\n" "$out"',
    'else echo @@plain; ps 2>&1; fi'
].join('\n');
/** Reads the script's output: the mode line, then ps's table; keeps the header and `limit` rows. */
function parsePsOutput(stdout, limit) {
    const all = stdout.replace(/\r/g, '').split('\n');
    const first = all.findIndex((l) => l.startsWith('@@'));
    // No mode line (first is -1): no marker, so plain.
    const marker = all[first]?.trim();
    const table = all.slice(first + 1).filter((l) => l.trim() !== '');
    const [header = '', ...rows] = table;
    if (marker === '@@sorted')
        return { mode: 'sorted', lines: [header, ...rows.slice(0, limit)] };
    if (marker === '@@rss') {
        const cols = header.trim().split(/\s+/);
        const rssAt = cols.findIndex((c) => c.toUpperCase() === 'RSS');
        const rss = (row) => parseRss(row.trim().split(/\s+/)[rssAt]);
        const sorted = rssAt >= 0 ? [...rows].sort((a, b) => rss(b) - rss(a)) : rows;
        return {
            mode: 'rss',
            lines: [header, ...sorted.slice(0, limit)],
            note: "this container's ps (BusyBox) has no --sort: sorted by RSS from `ps -o pid,user,rss,vsz,args`"
        };
    }
    return { mode: 'plain', lines: [header, ...rows.slice(0, limit)], note: "this container's ps shows no memory column: processes in ps's own order" };
}
/** BusyBox prints RSS in KiB, with `m`/`g` suffixes once large (`12m`). */
function parseRss(value) {
    const m = /^(\d+(?:\.\d+)?)([kmg])?$/i.exec(value ?? '');
    if (!m)
        return -1;
    const n = Number(m[1]);
    // No suffix is KiB.
    const unit = m[2]?.toLowerCase();
    return unit === 'g' ? n * 1024 * 1024 : unit === 'm' ? n * 1024 : n;
}

;// CONCATENATED MODULE: ./action-incident/src/hosts/diagnose-hosts.ts
// Per host, what the runbook's "Log Analysis" and "Troubleshooting Guide" look at by hand: every
// service's containers with state, health and restarts (`docker-compose ps`), their last log lines
// (`docker-compose logs --tail=100 api`), the top processes by memory in each app container
// (`docker-compose exec api ps aux --sort=-%mem | head`) and the Docker daemon's log. Read-only. Each
// host, and each step on a host, fails alone: what the others found is still reported.




const diagnose_hosts_FAMILY = 'services';
/** Bound on each remote command of this family. */
const STEP_TIMEOUT_MS = 20_000;
/** `compose exec ps` commands at once on one host (channels over its one SSH connection). */
const PS_PARALLEL = 4;
/** The faults in one host's container list: stopped or unhealthy containers, configured services missing. */
function judgeContainers(host, containers, configured) {
    const faults = [];
    for (const c of containers) {
        const target = `${host}: ${c.service} (${c.name})`;
        if (c.state === 'restarting')
            faults.push({ family: diagnose_hosts_FAMILY, target, severity: 'fail', message: `restarting (${c.restartCount} restarts, last exit code ${c.exitCode})` });
        else if (!c.running)
            faults.push({ family: diagnose_hosts_FAMILY, target, severity: 'fail', message: `${c.state} (exit code ${c.exitCode}${c.finishedAt ? `, since ${c.finishedAt}` : ''})` });
        else if (c.health === 'unhealthy')
            faults.push({ family: diagnose_hosts_FAMILY, target, severity: 'fail', message: `unhealthy (${c.healthFailingStreak} failed health checks in a row)` });
        else if (c.health === 'starting')
            faults.push({ family: diagnose_hosts_FAMILY, target, severity: 'warn', message: 'health check still starting' });
    }
    for (const s of configured) {
        if (s.replicas === 0)
            continue;
        const running = containers.filter((c) => c.service === s.name && c.running).length;
        if (!containers.some((c) => c.service === s.name)) {
            faults.push({ family: diagnose_hosts_FAMILY, target: `${host}: ${s.name}`, severity: 'fail', message: `no container of the configured service (${s.replicas} expected)` });
        }
        else if (running < s.replicas) {
            faults.push({ family: diagnose_hosts_FAMILY, target: `${host}: ${s.name}`, severity: 'warn', message: `${running} of ${s.replicas} configured replicas running` });
        }
    }
    return faults;
}
/** Runs the hosts family over every host, a few at once. */
async function diagnoseHosts(opts, signal) {
    const d = diagnosis(diagnose_hosts_FAMILY);
    const logs = [];
    const pool = new SshPool(opts.ssh);
    const abort = () => void pool.closeAll().catch(() => undefined);
    signal.addEventListener('abort', abort, { once: true });
    // Per host, then joined in the hosts' order: the hosts run in parallel, the summary reads in order.
    const perHost = opts.ssh.targets.map(() => ({ serviceRows: [], logBlocks: [], psBlocks: [], daemonBlocks: [] }));
    try {
        await map_limit_mapLimit(opts.ssh.targets, opts.ssh.options.parallel, async (target, index) => {
            const host = target.name;
            const { serviceRows, logBlocks, psBlocks, daemonBlocks } = perHost[index];
            let session;
            try {
                session = await pool.get(target);
            }
            catch (error) {
                d.faults.push({ family: diagnose_hosts_FAMILY, target: errors_describeTarget(target), severity: 'fail', message: `not reachable over SSH: ${(0,secrets/* scrubSecrets */.Zg)((0,errors/* toError */.i)(error).message)}` });
                return;
            }
            const compose = composeFor(opts.config, target);
            const projectName = composeProjectName(compose.projectDir, compose.projectName);
            const step = async (what, fn) => {
                try {
                    return await fn();
                }
                catch (error) {
                    d.faults.push({ family: diagnose_hosts_FAMILY, target: host, severity: 'warn', message: `could not ${what}: ${(0,secrets/* scrubSecrets */.Zg)((0,errors/* toError */.i)(error).message)}` });
                    return undefined;
                }
            };
            const containers = await step('list the containers', () => listServiceContainers(session, { project: projectName }, { timeoutMs: STEP_TIMEOUT_MS }));
            if (containers) {
                d.faults.push(...judgeContainers(host, containers, opts.config.services));
                for (const c of containers) {
                    serviceRows.push([host, c.service, c.name, c.state, c.health ?? '—', c.restartCount, c.running ? since(c.startedAt) : `exit ${c.exitCode}`]);
                }
                const texts = await step('read the container logs', () => readContainerLogs(session, containers.map((c) => c.id), { lines: opts.patternLines, timeoutMs: STEP_TIMEOUT_MS, timestamps: true }));
                for (const c of containers) {
                    const text = texts?.[c.id] ?? '';
                    logs.push({ host, service: c.service, container: c.name, text });
                    const tail = text.split('\n').slice(-opts.logLines).join('\n');
                    logBlocks.push(`<details><summary>${(0,markdown_text/* escapeHtml */.ZD)(`${host}: ${c.name} (${c.state})`)}</summary>\n\n${(0,markdown_text/* fence */.EU)(tail || '(no log lines)')}\n\n</details>`);
                }
                const running = containers.filter((c) => c.running && !opts.skipProcessServices.includes(c.service));
                if (running.length) {
                    const project = await step('detect the compose CLI (for compose exec)', () => resolveComposeProject(session, compose, { timeoutMs: STEP_TIMEOUT_MS }));
                    // A few at once: each `compose exec` starts the compose CLI (a second or more for compose v1).
                    if (project)
                        psBlocks.push(...(await map_limit_mapLimit(running, PS_PARALLEL, (c) => topProcesses(session, project, host, c, opts.processLines, d))));
                }
            }
            const daemon = await step("read the Docker daemon's log", () => session.exec(daemonLogScript(opts.daemonLogLines), { timeoutMs: STEP_TIMEOUT_MS, label: 'journalctl -u docker' }));
            if (daemon) {
                const parsed = parseDaemonLog(daemon.stdout);
                if (parsed.kind === 'journal')
                    daemonBlocks.push(`<details><summary>${(0,markdown_text/* escapeHtml */.ZD)(host)}: journalctl -u docker</summary>\n\n${(0,markdown_text/* fence */.EU)((0,secrets/* scrubSecrets */.Zg)(parsed.text) || '(empty)')}\n\n</details>`);
                else
                    d.notes.push(noSystemdNote(host));
            }
        });
    }
    finally {
        signal.removeEventListener('abort', abort);
        await pool.closeAll().catch(() => undefined);
    }
    const serviceRows = perHost.flatMap((h) => h.serviceRows);
    const logBlocks = perHost.flatMap((h) => h.logBlocks);
    const psBlocks = perHost.flatMap((h) => h.psBlocks);
    const daemonBlocks = perHost.flatMap((h) => h.daemonBlocks);
    if (serviceRows.length) {
        d.sections.push({
            title: 'Services per host (docker-compose ps)',
            markdown: markdownTable(['Host', 'Service', 'Container', 'State', 'Health', { title: 'Restarts', align: 'right' }, 'Up since / exit'], serviceRows)
        });
    }
    if (logBlocks.length)
        d.sections.push({ title: `Last ${opts.logLines} log lines per container`, markdown: logBlocks.join('\n\n') });
    if (psBlocks.length)
        d.sections.push({ title: 'Top processes by memory (ps aux --sort=-%mem)', markdown: psBlocks.join('\n\n') });
    if (daemonBlocks.length)
        d.sections.push({ title: 'Docker daemon log (journalctl -u docker)', markdown: daemonBlocks.join('\n\n') });
    return { diagnosis: d, logs };
}
async function topProcesses(session, project, host, c, limit, d) {
    const title = (0,markdown_text/* escapeHtml */.ZD)(`${host}: ${c.name}`);
    try {
        const r = await composeExec(session, project, c.service, ['sh', '-c', PS_SCRIPT], {
            ...(c.containerNumber !== null ? { index: c.containerNumber } : {}),
            timeoutMs: STEP_TIMEOUT_MS,
            tailBytes: 64 * 1024
        });
        if (r.code !== 0)
            throw new Error(r.timedOut ? `timed out after ${STEP_TIMEOUT_MS} ms` : one_line_oneLine(r.stderr || `exit code ${String(r.code)}`, 300));
        const top = parsePsOutput(r.stdout, limit);
        const note = top.note ? `\n\n_${top.note}._` : '';
        return `<details><summary>${title}</summary>\n\n${(0,markdown_text/* fence */.EU)((0,secrets/* scrubSecrets */.Zg)(top.lines.join('\n')))}${note}\n\n</details>`;
    }
    catch (error) {
        d.notes.push(`${title}: no process list (${(0,secrets/* scrubSecrets */.Zg)((0,errors/* toError */.i)(error).message)}).`);
        return `<details><summary>${title}</summary>\n\nno process list: ${one_line_oneLine((0,secrets/* scrubSecrets */.Zg)((0,errors/* toError */.i)(error).message), 300)}\n\n</details>`;
    }
}
/** The host's compose settings: the config's, then that host's own. */
function composeFor(config, target) {
    const host = config.hosts.find((h) => h.name === target.name);
    return { ...config.compose, ...(host?.compose ?? {}) };
}
function since(startedAt) {
    return startedAt ?? '—';
}

;// CONCATENATED MODULE: ./action-incident/src/incident/bounded.ts
// Runs each diagnostic family under its own deadline and catches what it throws, so one hung host or a
// failing API never hides what the other families found.



/**
 * Runs every family at once. A family that throws, or is still running after `timeoutMs`, becomes a
 * diagnosis with one `warn` fault saying it could not finish (a blind spot is not an outage); its
 * signal is aborted so its sockets close. The result keeps the families' order.
 */
async function runFamilies(families, timeoutMs, outer) {
    return Promise.all(families.map(async (f) => {
        const controller = new AbortController();
        const onAbort = () => controller.abort(outer.reason);
        outer.addEventListener('abort', onAbort, { once: true });
        const timer = new AbortController();
        try {
            const timedOut = (0,promises_namespaceObject.setTimeout)(timeoutMs, 'timeout', { signal: timer.signal, ref: false }).catch(() => 'cancelled');
            const outcome = await Promise.race([f.run(controller.signal).then((d) => ({ d })), timedOut]);
            if (typeof outcome === 'object')
                return outcome.d;
            controller.abort(new Error(`${f.family} took longer than ${timeoutMs} ms`));
            return couldNotFinish(f.family, `did not finish within ${Math.round(timeoutMs / 1000)} s (diagnostic-timeout); what it found is not shown`);
        }
        catch (error) {
            return couldNotFinish(f.family, `failed: ${(0,secrets/* scrubSecrets */.Zg)((0,errors/* toError */.i)(error).message)}`);
        }
        finally {
            timer.abort();
            outer.removeEventListener('abort', onAbort);
        }
    }));
}
function couldNotFinish(family, why) {
    const d = diagnosis(family);
    d.faults.push({ family, target: family, severity: 'warn', message: `the ${family} diagnostic ${why}` });
    return d;
}

;// CONCATENATED MODULE: ./action-incident/src/incident/incident-check.ts
// The one check an incident run reports, and so the one issue it files (the core's incident issues key
// issues by check): every fault of every family named in its message and listed in its details. A run
// that finds nothing reports it passing, which closes the open incident issue with its downtime.

/** The check id (the issue key is `incident:faults`), named once. */
const INCIDENT_CHECK_ID = 'faults';
/** Faults named in the one-line message; the details list every one. */
const NAMED_IN_MESSAGE = 12;
/** Failing faults first, then warnings; within a severity, in the families' order. */
function orderFaults(faults) {
    const rank = (s) => (s === 'fail' ? 0 : 1);
    // Array sort is stable (ES2019): within a severity, the faults keep their order.
    return [...faults].sort((a, b) => rank(a.severity) - rank(b.severity));
}
/**
 * `endpoints · https://x/health: hangs: ...`, on one line whatever the remote text held: a line break
 * followed by `::add-mask::` or `::stop-commands::` in a log or an error can never start a workflow
 * command in the runner's log, nor a second line in the issue.
 */
function describeFault(f) {
    return `${one_line_oneLine(f.family, 40)} · ${one_line_oneLine(f.target, 200)}: ${one_line_oneLine(f.message, 600)}`;
}
/** The incident check over all faults. */
function buildIncidentCheck(platform, faults, families) {
    const ordered = orderFaults(faults);
    const status = ordered.some((f) => f.severity === 'fail') ? 'fail' : ordered.length ? 'warn' : 'ok';
    const base = { id: INCIDENT_CHECK_ID, kind: 'incident', target: platform, status, value: ordered.length, unit: ordered.length === 1 ? 'fault' : 'faults' };
    if (ordered.length === 0)
        return { ...base, message: `no fault found by ${families.join(', ')}` };
    const named = ordered.slice(0, NAMED_IN_MESSAGE).map(describeFault);
    const more = ordered.length > NAMED_IN_MESSAGE ? `; and ${ordered.length - NAMED_IN_MESSAGE} more (see details)` : '';
    return {
        ...base,
        message: `${ordered.length} fault${ordered.length === 1 ? '' : 's'}: ${named.join('; ')}${more}`,
        details: [`Diagnostics run: ${families.join(', ')}.`, '', ...ordered.map((f) => `[${f.severity}] ${describeFault(f)}`)].join('\n')
    };
}
/** The summary's first section: every fault in one table. */
function faultsSection(faults) {
    const ordered = orderFaults(faults);
    return {
        title: `Faults (${ordered.length})`,
        markdown: ordered.length
            ? markdownTable(['', 'Diagnostic', 'Target', 'What was seen'], ordered.map((f) => [{ markdown: STATUS_ICON[f.severity] }, f.family, f.target, f.message]))
            : 'No fault found.'
    };
}

;// CONCATENATED MODULE: ./shared/src/ssh/host-key.ts
// Host key pinning: parses `ssh-fingerprint` and `ssh-known-hosts` into a policy and checks presented keys.
// There is no trust-on-first-use: without a pin there is no connection.



/** Key types we accept in known_hosts lines (and expect inside the key blob). */
const HOST_KEY_TYPES = [
    'ssh-ed25519',
    'ssh-rsa',
    'ecdsa-sha2-nistp256',
    'ecdsa-sha2-nistp384',
    'ecdsa-sha2-nistp521',
    'sk-ssh-ed25519@openssh.com',
    'sk-ecdsa-sha2-nistp256@openssh.com'
];
/** `SHA256:` + unpadded base64 of the SHA-256 of a raw SSH public key blob, as `ssh-keygen -l` prints it. */
function fingerprintOf(keyBlob) {
    return `SHA256:${(0,external_node_crypto_.createHash)('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}
/** The key type written at the start of an SSH public key blob (`ssh-ed25519`), or `unknown`. */
function keyTypeOf(keyBlob) {
    if (keyBlob.length < 4)
        return 'unknown';
    const len = keyBlob.readUInt32BE(0);
    if (len <= 0 || len > 64 || 4 + len > keyBlob.length)
        return 'unknown';
    return keyBlob.subarray(4, 4 + len).toString('latin1');
}
/**
 * Normalises one fingerprint to `SHA256:<base64 without padding>`. Accepts `SHA256:` base64 with or
 * without `=` padding, and the 64-hex-digit form (colons allowed). MD5 and anything else is a
 * ConfigurationError naming `what`.
 */
function normalizeFingerprint(raw, what = "Input 'ssh-fingerprint'") {
    const text = raw.trim();
    if (/^MD5:/i.test(text) || /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/i.test(text)) {
        throw new errors/* ConfigurationError */.j(`${what} holds an MD5 fingerprint; only SHA-256 is accepted. Get it with 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub' on the host.`);
    }
    const b64 = /^SHA256:([A-Za-z0-9+/]{43})(=?)$/.exec(text);
    if (b64) {
        const bytes = Buffer.from(b64[1] + '=', 'base64');
        if (bytes.length === 32)
            return `SHA256:${b64[1]}`;
    }
    const hex = text.replace(/^SHA256:/i, '').replace(/:/g, '');
    if (/^[0-9a-fA-F]{64}$/.test(hex)) {
        return `SHA256:${Buffer.from(hex, 'hex').toString('base64').replace(/=+$/, '')}`;
    }
    throw new errors/* ConfigurationError */.j(`${what} is not a SHA-256 host key fingerprint ('${truncate(text, 24)}'). Use the 'SHA256:…' form that ` +
        `'ssh-keygen -lf <host key>.pub' prints (43 base64 characters), or the 64-hex-digit form.`);
}
/** Parses a comma/newline list of fingerprints. */
function parseFingerprints(raw, what = "Input 'ssh-fingerprint'") {
    const items = raw
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter((s) => s && !s.startsWith('#'));
    return items.map((item, i) => ({
        fingerprint: normalizeFingerprint(item, items.length > 1 ? `${what} (entry ${i + 1})` : what),
        source: 'ssh-fingerprint'
    }));
}
/** Parses OpenSSH known_hosts text (plain, `[host]:port` and hashed `|1|` host fields). */
function parseKnownHosts(raw, what = "Input 'ssh-known-hosts'") {
    const entries = [];
    raw.split(/\r?\n/).forEach((line, index) => {
        const text = line.trim();
        if (!text || text.startsWith('#'))
            return;
        const where = `${what} line ${index + 1}`;
        const fields = text.split(/\s+/);
        if (fields[0].startsWith('@')) {
            throw new errors/* ConfigurationError */.j(`${where} uses the '${truncate(fields[0], 20)}' marker, which is not supported: pin plain host keys only.`);
        }
        if (fields.length < 3) {
            throw new errors/* ConfigurationError */.j(`${where} is not a known_hosts line: expected '<host> <key type> <base64 key>' (as 'ssh-keyscan' prints).`);
        }
        const [hosts, keyType, keyB64] = fields;
        if (!HOST_KEY_TYPES.includes(keyType)) {
            throw new errors/* ConfigurationError */.j(`${where} has key type '${truncate(keyType, 30)}', which is not a host key type (${HOST_KEY_TYPES.join(', ')}).`);
        }
        if (!/^[A-Za-z0-9+/]+={0,2}$/.test(keyB64)) {
            throw new errors/* ConfigurationError */.j(`${where}: the key is not valid base64.`);
        }
        const blob = Buffer.from(keyB64, 'base64');
        const inner = keyTypeOf(blob);
        if (inner !== keyType) {
            throw new errors/* ConfigurationError */.j(`${where} says '${keyType}' but the key itself is '${truncate(inner, 30)}': the line is corrupt or mixed up.`);
        }
        entries.push({
            patterns: hosts.split(','),
            key: { fingerprint: fingerprintOf(blob), keyType, source: `ssh-known-hosts line ${index + 1}` }
        });
    });
    return entries;
}
/** The host name string known_hosts stores for an address and port. */
function knownHostsName(address, port) {
    return port === 22 ? address : `[${address}]:${port}`;
}
function globMatch(pattern, name) {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    return re.test(name);
}
function patternMatches(pattern, name) {
    if (pattern.startsWith('|1|')) {
        const [, , salt, hash] = pattern.split('|');
        if (!salt || !hash)
            return false;
        const mac = (0,external_node_crypto_.createHmac)('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
        return mac === hash;
    }
    return globMatch(pattern, name);
}
function entryMatches(entry, name) {
    let matched = false;
    for (const p of entry.patterns) {
        if (p.startsWith('!')) {
            if (patternMatches(p.slice(1), name))
                return false;
        }
        else if (patternMatches(p, name)) {
            matched = true;
        }
    }
    return matched;
}
/**
 * The host keys a run trusts: fingerprints (valid for every host) plus known_hosts entries (matched
 * by `address` / `[address]:port`). Build it with `HostKeyPolicy.fromInputs`.
 */
class HostKeyPolicy {
    fingerprints;
    knownHosts;
    constructor(fingerprints, knownHosts) {
        this.fingerprints = fingerprints;
        this.knownHosts = knownHosts;
    }
    /**
     * Builds the policy from the raw `ssh-fingerprint` / `ssh-known-hosts` values. Neither given is a
     * ConfigurationError: there is no trust-on-first-use and no insecure switch.
     */
    static fromInputs(inputs) {
        const fps = inputs.fingerprint?.trim() ? parseFingerprints(inputs.fingerprint) : [];
        const kh = inputs.knownHosts?.trim() ? parseKnownHosts(inputs.knownHosts) : [];
        if (fps.length === 0 && kh.length === 0) {
            throw new errors/* ConfigurationError */.j(`Host key verification is mandatory: set input 'ssh-fingerprint' (the 'SHA256:…' value of ` +
                `'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub' on the host) or 'ssh-known-hosts' (known_hosts lines for every host).`);
        }
        return new HostKeyPolicy(fps, kh);
    }
    /** The pinned keys that are valid for a target. */
    expectedFor(target) {
        const name = knownHostsName(target.address, target.port);
        return [...this.fingerprints, ...this.knownHosts.filter((e) => entryMatches(e, name)).map((e) => e.key)];
    }
    /** Throws a ConfigurationError (before any connection) when nothing is pinned for a target. */
    assertCovers(target) {
        if (this.expectedFor(target).length === 0) {
            throw new errors/* ConfigurationError */.j(`Input 'ssh-known-hosts' has no entry for '${knownHostsName(target.address, target.port)}' (host '${target.name}'): ` +
                `add its line (the host field must be the address, or '[address]:port' when the port is not 22).`);
        }
    }
    /** Host key types pinned for a target (known_hosts only), so the client can ask for them first. */
    keyTypesFor(target) {
        return [...new Set(this.expectedFor(target).flatMap((k) => (k.keyType ? [k.keyType] : [])))];
    }
    /** Checks a raw public key blob presented by `target`. */
    check(target, keyBlob) {
        const presented = fingerprintOf(keyBlob);
        const presentedType = keyTypeOf(keyBlob);
        const expectedKeys = this.expectedFor(target);
        const ok = expectedKeys.some((k) => k.fingerprint === presented && (!k.keyType || k.keyType === presentedType));
        return { ok, presented, presentedType, expected: [...new Set(expectedKeys.map((k) => k.fingerprint))] };
    }
}

;// CONCATENATED MODULE: ./shared/src/net/host-name.ts
// The one host-name check: SSH host specs, TLS endpoints and anything else that names a host use it.
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
/** True for a DNS host name made of letters, digits and hyphens (an optional trailing dot allowed). */
function isHostName(text) {
    const name = text.endsWith('.') ? text.slice(0, -1) : text;
    if (name.length === 0 || name.length > 253)
        return false;
    // An all-numeric dotted name would be an IPv4 literal gone wrong ("1.2.3.999"): refuse it.
    if (/^[\d.]+$/.test(name))
        return false;
    return name.split('.').every((label) => LABEL.test(label));
}

;// CONCATENATED MODULE: ./shared/src/ssh/host-spec.ts
// Parses `[user@]host[:port]` host specs (IPv6 in brackets) with strict validation against argument injection.



const USER_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
/**
 * Parses `[user@]host[:port]` (`deploy@10.0.0.5:2222`, `[2001:db8::1]:22`, `app.example.com`).
 * `name` is the host part as written. Spaces, a leading `-`, shell metacharacters, control characters
 * and non-ASCII are a ConfigurationError naming `what` (the value is not echoed).
 */
function parseHostSpec(spec, defaults, what = "Input 'hosts'") {
    const text = spec.trim();
    const fail = (why) => {
        throw new errors/* ConfigurationError */.j(`${what}: a host entry ${why}. Write hosts as '[user@]host[:port]', e.g. 'deploy@10.0.0.5:22' or '[2001:db8::1]:22'.`);
    };
    if (!text)
        fail('is empty');
    if (/[\u0000-\u001f\u007f]/.test(text))
        fail('contains a control character or line break');
    if (/[^\x20-\x7e]/.test(text))
        fail('contains a non-ASCII character');
    if (/\s/.test(text))
        fail('contains a space');
    if (text.startsWith('-'))
        fail("starts with '-'");
    if (/[;&|`$(){}<>\\'"*?!#~^,=%+/]/.test(text))
        fail('contains a shell metacharacter');
    let rest = text;
    let user = defaults.user;
    const at = rest.lastIndexOf('@');
    if (at >= 0) {
        user = rest.slice(0, at);
        rest = rest.slice(at + 1);
        if (!USER_RE.test(user))
            fail('has an invalid user name (letters, digits, _ . - and starting with a letter or _)');
    }
    let host;
    let portText;
    if (rest.startsWith('[')) {
        const close = rest.indexOf(']');
        if (close < 0)
            fail("has '[' without ']'");
        host = rest.slice(1, close);
        const after = rest.slice(close + 1);
        if (after) {
            if (!after.startsWith(':'))
                fail("has text after ']' that is not ':port'");
            portText = after.slice(1);
        }
        if ((0,external_node_net_namespaceObject.isIP)(host) !== 6)
            fail('has brackets around something that is not an IPv6 address');
    }
    else {
        const colons = rest.split(':').length - 1;
        if (colons > 1)
            fail('looks like an IPv6 address without brackets');
        [host, portText] = colons === 1 ? rest.split(':') : [rest, undefined];
        if (!host.startsWith('-') && (0,external_node_net_namespaceObject.isIP)(host) !== 4 && !isHostName(host))
            fail('has an invalid host name');
    }
    if (host.startsWith('-'))
        fail("has a host starting with '-'");
    let port = defaults.port ?? 22;
    if (portText !== undefined) {
        if (!/^\d{1,5}$/.test(portText))
            fail('has a port that is not a number');
        port = Number(portText);
    }
    if (port < 1 || port > 65535)
        fail('has a port outside 1-65535');
    if (!USER_RE.test(user))
        fail('has an invalid default user name');
    return { name: host, address: host, port, user };
}

;// CONCATENATED MODULE: ./shared/src/ssh/inputs.ts
// Reads the common SSH inputs (hosts, ssh-user, ssh-private-key, ssh-passphrase, ssh-known-hosts, ssh-fingerprint) and the
// config's `ssh` section into typed SshSettings. Every problem is a ConfigurationError naming the input.







/** The user when neither the hosts entry, `ssh-user`, nor the config names one (the runbook's user). */
const DEFAULT_SSH_USER = 'deploy';
/** Connect-phase retries and their base delay (not configurable: bounded on purpose). */
const CONNECT_RETRIES = 2;
const CONNECT_RETRY_DELAY_MS = 1000;
const inputs_USER_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
/** Checks that a private key parses (and decrypts with the passphrase) without ever echoing it. */
function assertPrivateKey(key, passphrase, what) {
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) {
        throw new errors/* ConfigurationError */.j(`${what} is not a private key: paste the whole key file, including its '-----BEGIN … PRIVATE KEY-----' and '-----END …-----' lines (a public key or a path does not work).`);
    }
    const parsed = (0,load_library/* requireLibrary */.T)('ssh2').utils.parseKey(key, passphrase);
    if (parsed instanceof Error) {
        throw new errors/* ConfigurationError */.j(`${what} could not be read: ${(0,secrets/* scrubSecrets */.Zg)(parsed.message)}. Check that it is complete and, if it is encrypted, pass its passphrase in '${SSH_INPUTS.sshPassphrase}' from a secret.`);
    }
}
function fromConfigHost(h, userOverride) {
    const what = `Config host '${h.name}'`;
    const spec = h.address.includes(':') && !h.address.startsWith('[') ? `[${h.address}]` : h.address;
    const parsed = parseHostSpec(spec, { user: userOverride ?? (h.user || DEFAULT_SSH_USER), port: h.port }, what);
    return { ...parsed, name: h.name };
}
/**
 * Reads what connecting needs, whatever the hosts: the private key (registered as a secret first),
 * `ssh-user`, the pinned host keys and `config.ssh`. For an action that reaches a host other than
 * the `hosts` list (a database through SSH) as well as for `readSshInputs`.
 */
function readSshConnectParams(config) {
    const privateKey = readSecret(SSH_INPUTS.sshPrivateKey, { required: true });
    const passphrase = readSecret(SSH_INPUTS.sshPassphrase);
    assertPrivateKey(privateKey, passphrase, `Input '${SSH_INPUTS.sshPrivateKey}'`);
    const sshUser = readString(SSH_INPUTS.sshUser);
    if (sshUser !== undefined && !inputs_USER_RE.test(sshUser)) {
        throw new errors/* ConfigurationError */.j(`Input '${SSH_INPUTS.sshUser}' is not a valid user name: letters, digits, '_', '.', '-', starting with a letter or '_'.`);
    }
    const hostKeys = HostKeyPolicy.fromInputs({
        fingerprint: readString(SSH_INPUTS.sshFingerprint),
        knownHosts: readString(SSH_INPUTS.sshKnownHosts)
    });
    const ssh = config.ssh;
    const options = {
        connectTimeoutMs: ssh.connectTimeoutMs,
        commandTimeoutMs: ssh.commandTimeoutMs,
        keepaliveIntervalMs: ssh.keepaliveIntervalMs,
        keepaliveCountMax: ssh.keepaliveCountMax,
        connectRetries: CONNECT_RETRIES,
        connectRetryDelayMs: CONNECT_RETRY_DELAY_MS,
        parallel: Math.max(1, ssh.parallel),
        ...(ssh.jumpHost ? { jumpHost: parseHostSpec(ssh.jumpHost, { user: sshUser ?? DEFAULT_SSH_USER }, "Config key 'ssh.jump-host'") } : {})
    };
    if (options.jumpHost)
        hostKeys.assertCovers(options.jumpHost);
    return { auth: { privateKey, ...(passphrase ? { passphrase } : {}) }, hostKeys, options, sshUser };
}
/**
 * Resolves one host reference the way `hosts` entries are resolved: a host name from `config.hosts`,
 * else a `[user@]host[:port]` spec (errors name `what`).
 */
function resolveHostEntry(entry, config, sshUser, what = `Input '${SSH_INPUTS.hosts}'`) {
    const named = config.hosts.find((h) => h.name === entry);
    if (named)
        return fromConfigHost(named, sshUser);
    return parseHostSpec(entry, { user: sshUser ?? DEFAULT_SSH_USER }, what);
}
/**
 * Reads the SSH inputs of the common contract plus `config.ssh`. `hosts` entries are host names from
 * `config.hosts` or `[user@]host[:port]` specs; an empty `hosts` input means every host in the config.
 * The private key is registered as a secret before anything else happens.
 */
function readSshInputs(config) {
    const { auth, hostKeys, options, sshUser } = readSshConnectParams(config);
    const entries = readList(SSH_INPUTS.hosts);
    let targets;
    if (entries.length === 0) {
        if (config.hosts.length === 0) {
            throw new errors/* ConfigurationError */.j(`Input '${SSH_INPUTS.hosts}' is empty and the config lists no hosts: set '${SSH_INPUTS.hosts}' or add 'hosts:' to the ops config.`);
        }
        targets = config.hosts.map((h) => fromConfigHost(h, sshUser));
    }
    else {
        targets = entries.map((entry) => resolveHostEntry(entry, config, sshUser));
    }
    const seen = new Set();
    targets = targets.filter((t) => {
        const key = `${t.user}@${t.address}:${t.port}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
    for (const t of targets)
        hostKeys.assertCovers(t);
    return { targets, auth, hostKeys, options };
}

;// CONCATENATED MODULE: ./shared/src/health/nats/check-nats.ts
// Checks that NATS answers: the TCP INFO greeting every NATS server sends on connect, or its monitoring /healthz.


/** The first line of a NATS connection must be `INFO {...}`; anything else is not a NATS server. */
const GREETING_MAX_BYTES = 16 * 1024;
/**
 * Opens a TCP connection, reads the `INFO {json}` greeting and closes. Bounded by `timeoutMs`.
 * Never throws: a refused port, a silent one, or a non-NATS answer each become a failed check.
 */
async function checkNats(target, timeoutMs) {
    const start = performance.now();
    const base = { id: `nats:${target.host}:${target.port}`, kind: 'nats', target: `nats://${target.host}:${target.port}`, threshold: `INFO greeting within ${timeoutMs} ms` };
    const outcome = await new Promise((resolve) => {
        let buf = '';
        const socket = (0,external_node_net_namespaceObject.connect)({ host: target.host, port: target.port });
        const done = (ok, text) => {
            clearTimeout(timer);
            socket.destroy();
            resolve({ ok, text });
        };
        const timer = setTimeout(() => done(false, `no greeting within ${timeoutMs} ms`), timeoutMs);
        socket.setEncoding('utf8');
        socket.on('data', (chunk) => {
            buf += chunk;
            const nl = buf.indexOf('\n');
            if (nl < 0 && buf.length < GREETING_MAX_BYTES)
                return;
            const line = (nl < 0 ? buf : buf.slice(0, nl)).trim();
            if (!line.startsWith('INFO '))
                return done(false, `answered '${one_line_oneLine(line, 40)}', which is not a NATS greeting`);
            try {
                const info = JSON.parse(line.slice(5));
                done(true, `NATS ${one_line_oneLine(String(info.version ?? '?'), 40)} (${one_line_oneLine(String(info.server_name ?? info.server_id ?? 'unnamed'), 80)})${info.jetstream ? ', JetStream on' : ''}`);
            }
            catch {
                done(false, 'sent an INFO line that is not valid JSON');
            }
        });
        socket.on('error', (err) => done(false, err.code === 'ECONNREFUSED' ? 'connection refused: NATS is not listening' : `connection failed: ${err.code ?? err.message}`));
        socket.on('close', () => done(false, 'connection closed before a greeting'));
    });
    const ms = Math.round(performance.now() - start);
    return outcome.ok
        ? { ...base, status: 'ok', value: ms, unit: 'ms', message: `answers: ${outcome.text}` }
        : { ...base, status: 'fail', value: 'no answer', message: `down: ${outcome.text}` };
}
/** Checks the NATS monitoring endpoint (`http://host:8222/healthz`), which answers `{"status":"ok"}` when healthy. */
async function checkNatsMonitor(url, timeoutMs) {
    const start = performance.now();
    const base = { id: `nats-monitor:${url}`, kind: 'nats', target: url, threshold: `200 {"status":"ok"} within ${timeoutMs} ms` };
    try {
        const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
        const body = (await res.text()).slice(0, 2000);
        const ms = Math.round(performance.now() - start);
        if (res.status === 200 && /"status"\s*:\s*"ok"/.test(body))
            return { ...base, status: 'ok', value: ms, unit: 'ms', message: 'healthz ok' };
        return { ...base, status: 'fail', value: res.status, message: `healthz answered ${res.status}: ${oneLine(body)}` };
    }
    catch (err) {
        const e = err;
        const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : e.cause?.code === 'ECONNREFUSED' ? 'connection refused' : String(err.message);
        return { ...base, status: 'fail', value: 'no answer', message: `healthz down: ${why}` };
    }
}
/** Parses `nats://host:4222` (or `host:4222`) into a target; credentials in the URL are ignored, never echoed. */
function parseNatsUrl(raw) {
    try {
        const url = new URL(raw.includes('://') ? raw : `nats://${raw}`);
        if (url.protocol !== 'nats:' && url.protocol !== 'tls:')
            return undefined;
        return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : 4222 };
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./shared/src/database/client-config.ts



const EXAMPLE = 'postgresql://a2a_user:PASSWORD@db.example.com:5432/a2a_world';
/**
 * Validates a Postgres DSN. The password (raw and URL-decoded) and the whole URL are registered as
 * secrets first, and the value is never echoed in an error. `what` names the input or config key in
 * errors (`Input 'database-url'`). Throws ConfigurationError saying how to fix it.
 */
function parseDatabaseUrl(url, what) {
    (0,secrets/* registerUrlSecrets */.AI)(url);
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        throw new errors/* ConfigurationError */.j(`${what} is not a URL: pass a DSN such as '${EXAMPLE}' (from a secret).`);
    }
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
        throw new errors/* ConfigurationError */.j(`${what} must start with postgresql:// or postgres://, e.g. '${EXAMPLE}'.`);
    }
    if (!parsed.hostname)
        throw new errors/* ConfigurationError */.j(`${what} has no host: use the form '${EXAMPLE}'.`);
    if (!parsed.pathname || parsed.pathname === '/') {
        throw new errors/* ConfigurationError */.j(`${what} names no database: end the URL with '/<database>', e.g. '${EXAMPLE}'.`);
    }
    let user;
    let database;
    try {
        decodeURIComponent(parsed.password);
        user = decodeURIComponent(parsed.username);
        database = decodeURIComponent(parsed.pathname.slice(1));
    }
    catch {
        throw new errors/* ConfigurationError */.j(`${what} has a badly percent-encoded user, password or database name: encode each with encodeURIComponent.`);
    }
    const port = parsed.port ? Number(parsed.port) : 5432;
    return { url, target: describeDatabaseTarget(url), host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port, database, user, source: what };
}
/**
 * Reads the database URL of an action: the secret input `input` (e.g. `database-url`), else the
 * environment variable the config names in `database.url-env`. Undefined when neither is set (the
 * caller decides whether that is a mistake); otherwise parsed by parseDatabaseUrl.
 */
function readDatabaseUrl(input, config) {
    const fromInput = readSecret(input);
    if (fromInput)
        return parseDatabaseUrl(fromInput, `Input '${input}'`);
    const envName = config.database.urlEnv;
    const fromEnv = envName ? process.env[envName]?.trim() : undefined;
    if (envName && fromEnv)
        return parseDatabaseUrl(fromEnv, `Environment variable '${envName}' (config database.url-env)`);
    return undefined;
}
/** `user@host:port/database` for reports: never the password, never query parameters. */
function describeDatabaseTarget(url) {
    try {
        const u = new URL(url);
        const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
        return `${user}${u.hostname}:${u.port || '5432'}${u.pathname}`;
    }
    catch {
        return 'database';
    }
}

;// CONCATENATED MODULE: ./action-incident/src/inputs.ts
// The inputs and outputs of action-incident, named once, and the reader that parses them all before
// anything is contacted. Every diagnostic is read-only; recovery lives in the workflow's later steps.

/** Action name and title, named once (state key, issue key prefix, report headline). */
const INCIDENT_ACTION = { name: 'incident', title: 'Incident diagnostics' };
/** action-incident's own inputs (the common and SSH ones are in shared/src/contract.ts). */
const INCIDENT_INPUTS = {
    endpoints: 'endpoints',
    endpointTimeout: 'endpoint-timeout',
    logLines: 'log-lines',
    patternLines: 'pattern-lines',
    processLines: 'process-lines',
    daemonLogLines: 'daemon-log-lines',
    databaseUrl: 'database-url',
    longQuery: 'long-query',
    natsUrl: 'nats-url',
    digitaloceanToken: 'digitalocean-token',
    digitaloceanApiUrl: 'digitalocean-api-url',
    loadBalancer: 'load-balancer',
    skipServices: 'skip-process-services',
    diagnosticTimeout: 'diagnostic-timeout'
};
/** action-incident's own outputs. */
const INCIDENT_OUTPUTS = {
    faults: 'faults',
    faultCount: 'fault-count'
};
const DEFAULT_DO_API = 'https://api.digitalocean.com';
/** Parses and validates every input; throws ConfigurationError naming the input. */
function readIncidentInputs(ctx) {
    const I = INCIDENT_INPUTS;
    const endpoints = collectEndpoints(ctx, readList(I.endpoints));
    const hostsNamed = readList(SSH_INPUTS.hosts).length > 0 || ctx.config.hosts.length > 0;
    const ssh = hostsNamed ? readSshInputs(ctx.config) : undefined;
    const natsRaw = readString(I.natsUrl);
    let nats;
    if (natsRaw) {
        nats = parseNatsUrl(natsRaw);
        if (!nats)
            throw new errors/* ConfigurationError */.j(`Input '${I.natsUrl}' is not a NATS URL: give it as 'nats://host:4222'.`);
    }
    const token = readSecret(I.digitaloceanToken);
    const apiUrl = readString(I.digitaloceanApiUrl) ?? DEFAULT_DO_API;
    assertHttpUrl(apiUrl, `Input '${I.digitaloceanApiUrl}'`);
    const loadBalancer = readString(I.loadBalancer);
    if (loadBalancer && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(loadBalancer)) {
        throw new errors/* ConfigurationError */.j(`Input '${I.loadBalancer}' must be a load balancer id or name (letters, digits, '.', '_', '-').`);
    }
    if (loadBalancer && !token) {
        throw new errors/* ConfigurationError */.j(`Input '${I.loadBalancer}' is set but '${I.digitaloceanToken}' is empty: pass a DigitalOcean token with load_balancer:read (from a secret).`);
    }
    const skip = readList(I.skipServices).map((s) => assertServiceName(s, `Input '${I.skipServices}'`));
    return {
        endpoints,
        endpointTimeoutMs: readDuration(I.endpointTimeout, 10_000, { minMs: 500, maxMs: 120_000 }),
        ssh,
        logLines: readInt(I.logLines, { min: 1, max: 200, fallback: 20 }),
        patternLines: readInt(I.patternLines, { min: 10, max: 1000, fallback: 1000 }),
        processLines: readInt(I.processLines, { min: 1, max: 50, fallback: 10 }),
        daemonLogLines: readInt(I.daemonLogLines, { min: 1, max: 500, fallback: 50 }),
        database: readDatabaseUrl(I.databaseUrl, ctx.config),
        longQueryMs: readDuration(I.longQuery, ctx.config.thresholds.longQueryMs, { minMs: 1000, maxMs: 24 * 3600_000 }),
        nats,
        digitalocean: token ? { token, apiUrl, ...(loadBalancer ? { loadBalancer } : {}) } : undefined,
        skipProcessServices: skip.length ? skip : [ctx.config.database.service],
        diagnosticTimeoutMs: readDuration(I.diagnosticTimeout, 120_000, { minMs: 5000, maxMs: 30 * 60_000 })
    };
}
/**
 * The endpoints to time: the config's `endpoints`, every service's `health-url`, then the input's URLs
 * (one per line or comma-separated), each URL once.
 */
function collectEndpoints(ctx, extra) {
    const out = [];
    const seen = new Set();
    const add = (t) => {
        if (seen.has(t.url))
            return;
        seen.add(t.url);
        out.push(t);
    };
    for (const e of ctx.config.endpoints)
        add({ name: e.name, url: e.url, method: e.method, expectStatus: e.expectStatus });
    for (const s of ctx.config.services)
        if (s.healthUrl)
            add({ name: `${s.name} health`, url: s.healthUrl, method: 'GET', expectStatus: [] });
    for (const url of extra) {
        assertHttpUrl(url, `Input '${INCIDENT_INPUTS.endpoints}'`);
        add({ name: url, url, method: 'GET', expectStatus: [] });
    }
    return out;
}
function assertHttpUrl(value, what) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new errors/* ConfigurationError */.j(`${what} is not a URL: '${truncate(value)}'. Give http(s) URLs, e.g. 'https://api.a2aworld.ai/health'.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new errors/* ConfigurationError */.j(`${what} must hold http or https URLs, got '${url.protocol}'.`);
    if (url.username || url.password)
        throw new errors/* ConfigurationError */.j(`${what}: put no credentials in a URL; they would be printed in the report.`);
}

;// CONCATENATED MODULE: ./shared/src/health/database/query-text.ts
// Query text as it may appear in a report: one line, short, with passwords and registered secrets removed.

/** Longest query excerpt shown in check details. */
const QUERY_TEXT_MAX = 160;
// `ALTER ROLE x PASSWORD '...'`, `CREATE USER ... WITH ENCRYPTED PASSWORD '...'`: the literal is a secret
// nobody registered, so it is cut out by shape as well.
const PASSWORD_LITERAL = /(password\s+)('(?:[^']|'')*'|\$\$[\s\S]*?\$\$)/gi;
/**
 * Makes a query printable: secrets scrubbed, password literals replaced, whitespace collapsed to one line,
 * cut at `max` characters with an ellipsis.
 */
function presentQuery(query, max = QUERY_TEXT_MAX) {
    if (!query)
        return '(no query text)';
    // Scrub before collapsing whitespace, so a secret spread over the original text is still found.
    const clean = (0,secrets/* scrubSecrets */.Zg)(query)
        .replace(PASSWORD_LITERAL, "$1'***'")
        .replace(/\s+/g, ' ')
        .trim();
    return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

;// CONCATENATED MODULE: ./shared/src/health/database/format.ts
// Small formatters for database check messages: durations, byte sizes, session lines.

/** How many offending sessions or rows a check lists in its details before "…and N more". */
const DETAIL_ROWS_MAX = 10;
/** `850 ms`, `12.4 s`, `6 min 3 s`, `2 h 5 min`. */
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(1)} s`;
    const totalSeconds = Math.floor(ms / 1000);
    if (ms < 3_600_000)
        return joinUnits(Math.floor(totalSeconds / 60), 'min', totalSeconds % 60, 's');
    return joinUnits(Math.floor(totalSeconds / 3600), 'h', Math.floor((totalSeconds % 3600) / 60), 'min');
}
function joinUnits(big, bigUnit, small, smallUnit) {
    return small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
}
// Sizes are written the core's one way (report/markdown-text.ts).

/** One line per session: who, where, for how long, waiting on what, and the (scrubbed, cut) query. */
function formatSession(s, duration, verb) {
    const who = [s.user ?? '?', s.database ? `@${s.database}` : ''].join('');
    const parts = [`pid ${s.pid}`, who, `${verb} ${formatDuration(duration)}`];
    if (s.application)
        parts.push(`app '${presentQuery(s.application, 40)}'`);
    if (s.waitEvent)
        parts.push(`waiting on ${s.waitEvent}`);
    if (s.blockedBy.length > 0)
        parts.push(`blocked by pid ${s.blockedBy.join(', ')}`);
    return `${parts.join(' · ')}: ${presentQuery(s.query)}`;
}
/** Bullet list of at most DETAIL_ROWS_MAX lines, noting how many were left out. */
function bulletList(lines) {
    const shown = lines.slice(0, DETAIL_ROWS_MAX).map((l) => `- ${l}`);
    if (lines.length > DETAIL_ROWS_MAX)
        shown.push(`- …and ${lines.length - DETAIL_ROWS_MAX} more`);
    return shown.join('\n');
}

;// CONCATENATED MODULE: ./shared/src/health/database/classify-database.ts


const DEFAULT_CACHE_HIT_POLICY = { warnPercent: 99, minBlocks: 10_000 };
/** Check ids, named once: they are also the incident-issue keys. */
const DATABASE_CHECK_IDS = {
    reachability: 'database:reachability',
    connections: 'database:connections',
    longQueries: 'database:long-queries',
    idleInTransaction: 'database:idle-in-transaction',
    blocked: 'database:blocked-queries',
    topQueries: 'database:top-queries',
    cacheHit: 'database:cache-hit-rate',
    unusedIndexes: 'database:unused-indexes'
};
const KIND = 'database';
/** The reachability check for a server that answered. */
function reachableCheck(target, snapshot) {
    return {
        id: DATABASE_CHECK_IDS.reachability,
        kind: KIND,
        target,
        status: 'ok',
        value: snapshot.connectMs,
        unit: 'ms',
        message: `accepting connections: PostgreSQL ${snapshot.serverVersion}, database '${snapshot.database}', connected in ${snapshot.connectMs} ms`
    };
}
/** The reachability check for a server that did not let us in; `reason` comes from describeConnectError. */
function unreachableCheck(target, reason, timeoutMs) {
    return {
        id: DATABASE_CHECK_IDS.reachability,
        kind: KIND,
        target,
        status: 'fail',
        threshold: `connects within ${timeoutMs} ms`,
        message: reason
    };
}
/** Every check after a successful connection, in report order. */
function classifyDatabase(target, snapshot, thresholds, cachePolicy = DEFAULT_CACHE_HIT_POLICY) {
    return [
        reachableCheck(target, snapshot),
        classifyConnections(target, snapshot.connections, thresholds),
        ...classifySessions(target, snapshot.sessions, thresholds),
        classifyStatements(target, snapshot.statements),
        classifyCache(target, snapshot.cache, cachePolicy),
        classifyUnusedIndexes(target, snapshot.unusedIndexes)
    ];
}
function probeFailed(id, target, what, error) {
    // A probe we could not run is a blind spot, not an outage: warn, and say why.
    return { id, kind: KIND, target, status: 'warn', message: `could not read ${what}: ${error}` };
}
/** Connections against max_connections (warn at a share) and the runbook's absolute alert. */
function classifyConnections(target, probed, t) {
    const id = DATABASE_CHECK_IDS.connections;
    if (!probed.ok)
        return probeFailed(id, target, 'pg_stat_activity', probed.error);
    const { total, maxConnections, reserved, byState } = probed.value;
    const percent = maxConnections > 0 ? (total / maxConnections) * 100 : 0;
    const usable = Math.max(0, maxConnections - reserved);
    const pct = `${percent.toFixed(0)} % of max_connections ${maxConnections}`;
    let status = 'ok';
    const noun = `${total} connection${total === 1 ? '' : 's'}`;
    let message = `${noun} (${pct})`;
    if (total > t.dbConnectionsFail) {
        status = 'fail';
        message = `${noun}: above the alert threshold of ${t.dbConnectionsFail} (${pct})`;
    }
    else if (total >= usable) {
        status = 'fail';
        message = `${noun}: at the limit, new non-superuser connections are refused (${pct}, ${reserved} reserved for superusers)`;
    }
    else if (percent >= t.dbConnectionsWarnPercent) {
        status = 'warn';
        message = `${noun}: ${pct}, at or above the ${t.dbConnectionsWarnPercent} % warning level`;
    }
    const states = Object.entries(byState)
        .map(([state, n]) => `${state}: ${n}`)
        .join(', ');
    return {
        id,
        kind: KIND,
        target,
        status,
        value: total,
        unit: 'connections',
        threshold: `< ${t.dbConnectionsWarnPercent} % of ${maxConnections}, <= ${t.dbConnectionsFail}`,
        message,
        details: states ? `By state: ${states}` : undefined
    };
}
/** Long-running queries (fail), sessions idle in a transaction (warn) and lock waits (warn). */
function classifySessions(target, probed, t) {
    const ids = DATABASE_CHECK_IDS;
    if (!probed.ok) {
        return [
            probeFailed(ids.longQueries, target, 'pg_stat_activity', probed.error),
            probeFailed(ids.idleInTransaction, target, 'pg_stat_activity', probed.error),
            probeFailed(ids.blocked, target, 'pg_stat_activity', probed.error)
        ];
    }
    const sessions = probed.value;
    const limit = formatDuration(t.longQueryMs);
    const hidden = sessions.some((s) => s.query === '<insufficient privilege>');
    const privilegeNote = hidden ? '\n\nSome query texts are hidden: grant the checking role pg_monitor (or pg_read_all_stats) to see them.' : '';
    const long = sessions.filter((s) => s.state === 'active' && s.queryMs > t.longQueryMs).sort((a, b) => b.queryMs - a.queryMs);
    const idle = sessions.filter((s) => s.state.startsWith('idle in transaction') && s.stateMs > t.longQueryMs).sort((a, b) => b.stateMs - a.stateMs);
    const blocked = sessions.filter((s) => s.blockedBy.length > 0).sort((a, b) => b.queryMs - a.queryMs);
    const longCheck = {
        id: ids.longQueries,
        kind: KIND,
        target,
        status: long.length > 0 ? 'fail' : 'ok',
        value: long.length > 0 ? long[0].queryMs : 0,
        unit: 'ms',
        threshold: `<= ${limit}`,
        message: long.length > 0
            ? `${long.length} quer${long.length === 1 ? 'y has' : 'ies have'} run longer than ${limit} (longest: pid ${long[0].pid}, ${formatDuration(long[0].queryMs)})`
            : `no query has run longer than ${limit}`,
        details: long.length > 0 ? bulletList(long.map((s) => formatSession(s, s.queryMs, 'running'))) + privilegeNote : undefined
    };
    const idleCheck = {
        id: ids.idleInTransaction,
        kind: KIND,
        target,
        status: idle.length > 0 ? 'warn' : 'ok',
        value: idle.length,
        unit: 'sessions',
        threshold: `idle in transaction <= ${limit}`,
        message: idle.length > 0
            ? `${idle.length} session${idle.length === 1 ? ' has' : 's have'} sat idle in a transaction longer than ${limit} (holding locks and old snapshots; longest: pid ${idle[0].pid}, ${formatDuration(idle[0].stateMs)})`
            : `no session idle in a transaction longer than ${limit}`,
        details: idle.length > 0 ? bulletList(idle.map((s) => formatSession(s, s.stateMs, 'idle for'))) + privilegeNote : undefined
    };
    const blockedCheck = {
        id: ids.blocked,
        kind: KIND,
        target,
        status: blocked.length > 0 ? 'warn' : 'ok',
        value: blocked.length,
        unit: 'sessions',
        threshold: 'none waiting on a lock',
        message: blocked.length > 0
            ? `${blocked.length} session${blocked.length === 1 ? ' is' : 's are'} waiting on locks held by pid ${[...new Set(blocked.flatMap((s) => s.blockedBy))].join(', ')}`
            : 'no query is waiting on a lock',
        details: blocked.length > 0 ? bulletList(blocked.map((s) => formatSession(s, s.queryMs, 'waiting'))) + privilegeNote : undefined
    };
    return [longCheck, idleCheck, blockedCheck];
}
/** Top queries by total time: information only. A missing extension is said, never failed. */
function classifyStatements(target, probed) {
    const id = DATABASE_CHECK_IDS.topQueries;
    if (!probed.ok)
        return { id, kind: KIND, target, status: 'ok', message: `top queries unavailable: ${probed.error}` };
    const facts = probed.value;
    if (!facts.available)
        return { id, kind: KIND, target, status: 'ok', message: `top queries unavailable: ${facts.reason}` };
    if (facts.top.length === 0)
        return { id, kind: KIND, target, status: 'ok', value: 0, message: 'pg_stat_statements has recorded no statements yet' };
    const first = facts.top[0];
    const lines = facts.top.map((s) => `${s.totalMs.toFixed(0)} ms total · ${s.calls} calls · ${s.meanMs.toFixed(2)} ms mean · ${s.rows} rows: ${presentQuery(s.query)}`);
    return {
        id,
        kind: KIND,
        target,
        status: 'ok',
        value: Math.round(first.totalMs),
        unit: 'ms',
        message: `top query by total time: ${presentQuery(first.query, 60)} (${first.totalMs.toFixed(0)} ms in ${first.calls} calls)`,
        details: bulletList(lines)
    };
}
/** Buffer cache hit rate of this database since its statistics were reset. */
function classifyCache(target, probed, policy) {
    const id = DATABASE_CHECK_IDS.cacheHit;
    if (!probed.ok)
        return probeFailed(id, target, 'pg_stat_database', probed.error);
    const { blocksHit, blocksRead, statsSince } = probed.value;
    const total = blocksHit + blocksRead;
    const since = statsSince ? ` since ${statsSince}` : '';
    if (total === 0)
        return { id, kind: KIND, target, status: 'ok', message: `no blocks read yet${since}` };
    const rate = (blocksHit / total) * 100;
    const value = Number(rate.toFixed(2));
    const threshold = `>= ${policy.warnPercent} %`;
    if (total < policy.minBlocks) {
        return { id, kind: KIND, target, status: 'ok', value, unit: '%', threshold, message: `${value} % cache hits over only ${total} block reads${since}: too few to judge` };
    }
    const low = rate < policy.warnPercent;
    return {
        id,
        kind: KIND,
        target,
        status: low ? 'warn' : 'ok',
        value,
        unit: '%',
        threshold,
        message: low
            ? `${value} % of block reads hit the cache${since}: below ${policy.warnPercent} %, the working set may not fit shared_buffers`
            : `${value} % of block reads hit the cache${since}`
    };
}
/** Indexes never scanned since the stats reset: reported for a person to weigh, never an alert. */
function classifyUnusedIndexes(target, probed) {
    const id = DATABASE_CHECK_IDS.unusedIndexes;
    if (!probed.ok)
        return probeFailed(id, target, 'pg_stat_user_indexes', probed.error);
    const { indexes, statsSince } = probed.value;
    const since = statsSince ? ` since ${statsSince}` : '';
    if (indexes.length === 0)
        return { id, kind: KIND, target, status: 'ok', value: 0, message: `every non-unique index has been used${since}` };
    const bytes = indexes.reduce((sum, i) => sum + i.sizeBytes, 0);
    return {
        id,
        kind: KIND,
        target,
        status: 'ok',
        value: indexes.length,
        unit: 'indexes',
        message: `${indexes.length} index${indexes.length === 1 ? '' : 'es'} never scanned${since} (${(0,markdown_text/* formatBytes */.z3)(bytes)}): candidates to drop after checking replicas and rare jobs`,
        details: bulletList(indexes.map((i) => `${i.schema}.${i.index} on ${i.table} (${(0,markdown_text/* formatBytes */.z3)(i.sizeBytes)})`))
    };
}

;// CONCATENATED MODULE: ./shared/src/database/describe-connect-error.ts
// Turns a failed PostgreSQL connection attempt into the one line a person needs (pg_isready's words
// where they fit), scrubbed of every registered secret.

/**
 * Says why the database could not be reached: refused ("not accepting connections"), no answer within
 * the timeout, unknown host, rejected credentials, missing database, starting up / shutting down,
 * too many clients. The text is scrubbed of registered secrets.
 */
function describeConnectError(error, timeoutMs) {
    const e = (error ?? {});
    const code = e.code ?? '';
    const message = e.message ?? String(error);
    const text = (() => {
        switch (code) {
            case 'ECONNREFUSED':
                return 'not accepting connections: connection refused (is the server running and listening on this port?)';
            case 'ENOTFOUND':
            case 'EAI_AGAIN':
                return 'not accepting connections: the host name does not resolve';
            case 'EHOSTUNREACH':
            case 'ENETUNREACH':
                return 'not accepting connections: no route to the host';
            case 'ECONNRESET':
                return 'not accepting connections: the server closed the connection during start-up';
            case '28P01':
                return `rejected the credentials: ${message}`;
            case '28000':
                return `rejected the connection (pg_hba.conf or role): ${message}`;
            case '3D000':
                return `accepting connections, but ${message}`;
            case '57P03':
                return `not accepting connections: ${message}`;
            case '53300':
                return `not accepting connections: ${message} (max_connections reached)`;
        }
        if (/timeout/i.test(message))
            return `no answer within ${timeoutMs} ms (pg_isready: no response)`;
        if (/terminated unexpectedly|ended unexpectedly/i.test(message)) {
            return 'not accepting connections: the server closed the connection during start-up';
        }
        return `could not connect: ${message}`;
    })();
    return (0,secrets/* scrubSecrets */.Zg)(text);
}

;// CONCATENATED MODULE: ./shared/src/database/session.ts
// The one way an action opens PostgreSQL: a `pg` client with a bounded connect, and per-session
// settings (read-only by default for checks, statement and lock timeouts, application_name) in effect
// before the caller's first query. `pg` is loaded on first use, so an action that never opens a
// database never loads it.




/**
 * The session could not be opened. `message` says why in plain words (refused, no answer, bad
 * credentials...) and never contains a password: it is built from the error, not the URL, and scrubbed
 * of every registered secret. The original error is deliberately not attached.
 */
class DatabaseConnectError extends Error {
    code;
    name = 'DatabaseConnectError';
    constructor(message, 
    /** The driver's or server's code (`ECONNREFUSED`, `28P01`...), when there was one. */
    code) {
        super(message);
        this.code = code;
    }
}
// A client-side guard in case the server stops answering altogether: a little longer than
// statement_timeout, so the server's own (clearer) error normally wins.
const QUERY_GUARD_MS = 1000;
/** How long close() waits for the rollback and reset before it just disconnects. */
const CLOSE_GRACE_MS = 2000;
const session_ms = (value) => Math.max(0, Math.round(value));
/**
 * The statements that put a session's settings in effect, in one round trip. `quote` makes a string
 * literal (the client's escapeLiteral). Read-only sets `default_transaction_read_only`; read-write
 * leaves the server's (or the role's) default alone.
 */
function sessionSettingsSql(opts, quote) {
    const statements = [];
    if (opts.mode === 'read-only')
        statements.push('SET default_transaction_read_only = on');
    if (opts.statementTimeoutMs !== undefined)
        statements.push(`SET statement_timeout = ${session_ms(opts.statementTimeoutMs)}`);
    if (opts.lockTimeoutMs !== undefined)
        statements.push(`SET lock_timeout = ${session_ms(opts.lockTimeoutMs)}`);
    statements.push(`SET application_name = ${quote(opts.applicationName)}`);
    return statements.join('; ');
}
function clientConfigOf(target) {
    if (typeof target === 'string')
        return { connectionString: parseDatabaseUrl(target, 'The database URL').url };
    if ('url' in target && 'target' in target)
        return { connectionString: target.url };
    const config = target;
    // A config built by hand may carry a password nobody registered yet.
    if (typeof config.password === 'string')
        (0,secrets/* registerSecret */.cl)(config.password);
    (0,secrets/* registerUrlSecrets */.AI)(config.connectionString);
    return config;
}
/**
 * Opens a PostgreSQL session: connects within `connectTimeoutMs`, then sets the session's mode,
 * timeouts and application_name (one round trip) before returning, so the caller's first statement
 * already runs under them. Throws DatabaseConnectError with a readable, password-free message when the
 * server cannot be reached, refuses the login, or refuses the settings. Call `close()` when done.
 */
async function openDatabaseSession(target, opts) {
    const config = clientConfigOf(target);
    const { default: pg } = await (0,load_library/* loadLibrary */._)('pg');
    const statementTimeout = opts.statementTimeoutMs ? session_ms(opts.statementTimeoutMs) : 0;
    const client = new pg.Client({
        ...config,
        application_name: opts.applicationName,
        connectionTimeoutMillis: session_ms(opts.connectTimeoutMs),
        ...(statementTimeout > 0 ? { query_timeout: statementTimeout + QUERY_GUARD_MS } : {}),
        keepAlive: true
    });
    // A server that dies mid-session emits 'error' on the client; without a listener that would crash the process.
    client.on('error', () => undefined);
    const started = performance.now();
    try {
        await client.connect();
    }
    catch (error) {
        await client.end().catch(() => undefined);
        throw new DatabaseConnectError(describeConnectError(error, opts.connectTimeoutMs), error?.code);
    }
    const connectMs = Math.round(performance.now() - started);
    try {
        await client.query(sessionSettingsSql(opts, (v) => client.escapeLiteral(v)));
    }
    catch (error) {
        await client.end().catch(() => undefined);
        const reason = (0,secrets/* scrubSecrets */.Zg)(error instanceof Error ? error.message : String(error));
        throw new DatabaseConnectError(`accepted the connection, then refused the session settings: ${reason}`, error?.code);
    }
    let closed = false;
    return {
        client,
        mode: opts.mode,
        connectMs,
        query: (text, values) => client.query(text, values),
        async close() {
            if (closed)
                return;
            closed = true;
            // Bounded: a server that stopped answering must not hold the caller (pg has no per-query bound here).
            let timer;
            const grace = new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)));
            const reset = (async () => {
                await client.query('ROLLBACK').catch(() => undefined);
                await client.query('RESET ALL').catch(() => undefined);
            })();
            await Promise.race([reset, grace]);
            clearTimeout(timer);
            await client.end().catch(() => undefined);
        }
    };
}

;// CONCATENATED MODULE: ./shared/src/health/database/probe-database.ts

/** How many sessions, statements and indexes are read at most: bounds memory and report size. */
const PROBE_LIMITS = { sessions: 200, statements: 10, unusedIndexes: 50 };
// Backends that occupy a max_connections slot as clients; PGlite reports its single backend as "standalone".
const CLIENT_BACKENDS = `backend_type IN ('client backend', 'standalone backend')`;
const CONNECTIONS_SQL = `
SELECT (SELECT count(*) FROM pg_stat_activity WHERE ${CLIENT_BACKENDS})::int AS total,
       current_setting('max_connections')::int AS max_connections,
       current_setting('superuser_reserved_connections')::int
         + coalesce(current_setting('reserved_connections', true)::int, 0) AS reserved`;
const STATES_SQL = `
SELECT coalesce(state, 'not visible') AS state, count(*)::int AS n
FROM pg_stat_activity WHERE ${CLIENT_BACKENDS} GROUP BY 1 ORDER BY 1`;
// clock_timestamp(), not now(): now() is frozen at BEGIN of the check's own transaction.
const SESSIONS_SQL = `
SELECT pid, datname AS database, usename AS "user", application_name AS application, client_addr::text AS client, state,
       coalesce(extract(epoch FROM clock_timestamp() - query_start) * 1000, 0)::float8 AS query_ms,
       coalesce(extract(epoch FROM clock_timestamp() - state_change) * 1000, 0)::float8 AS state_ms,
       (extract(epoch FROM clock_timestamp() - xact_start) * 1000)::float8 AS xact_ms,
       CASE WHEN wait_event IS NULL THEN NULL ELSE wait_event_type || ':' || wait_event END AS wait_event,
       pg_blocking_pids(pid) AS blocked_by,
       left(query, 2000) AS query
FROM pg_stat_activity
WHERE pid <> pg_backend_pid()
  AND backend_type = 'client backend'
  AND state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')
ORDER BY query_start NULLS LAST
LIMIT ${PROBE_LIMITS.sessions}`;
const STATEMENTS_SQL = (total, mean) => `
SELECT query, calls::float8 AS calls, ${total}::float8 AS total_ms, ${mean}::float8 AS mean_ms, rows::float8 AS rows
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY ${total} DESC
LIMIT ${PROBE_LIMITS.statements}`;
const CACHE_SQL = `
SELECT coalesce(blks_hit, 0)::float8 AS hit, coalesce(blks_read, 0)::float8 AS read, stats_reset
FROM pg_stat_database WHERE datname = current_database()`;
// Unique, primary-key and constraint-backing indexes do work even when never scanned: never "unused".
const UNUSED_INDEXES_SQL = `
SELECT s.schemaname AS schema, s.relname AS "table", s.indexrelname AS index,
       pg_relation_size(s.indexrelid)::float8 AS size_bytes
FROM pg_stat_user_indexes s
JOIN pg_index i ON i.indexrelid = s.indexrelid
WHERE s.idx_scan = 0
  AND NOT i.indisunique AND NOT i.indisprimary AND NOT i.indisexclusion
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = s.indexrelid)
ORDER BY size_bytes DESC, s.indexrelname
LIMIT ${PROBE_LIMITS.unusedIndexes}`;
/** Runs every probe on a client already inside the read-only transaction. */
async function probeDatabase(client, connectMs) {
    const head = await client.query(`SELECT current_setting('server_version') AS version, current_database() AS database`);
    const { version, database } = head.rows[0];
    return {
        serverVersion: version,
        database,
        connectMs,
        connections: await underSavepoint(client, 'connections', () => readConnections(client)),
        sessions: await underSavepoint(client, 'sessions', () => readSessions(client)),
        statements: await underSavepoint(client, 'statements', () => readStatements(client, database)),
        cache: await underSavepoint(client, 'cache', () => readCache(client)),
        unusedIndexes: await underSavepoint(client, 'unused_indexes', () => readUnusedIndexes(client))
    };
}
async function underSavepoint(client, name, fn) {
    try {
        await client.query(`SAVEPOINT ${name}`);
        const value = await fn();
        await client.query(`RELEASE SAVEPOINT ${name}`);
        return { ok: true, value };
    }
    catch (error) {
        await client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
        return { ok: false, error: (0,secrets/* scrubSecrets */.Zg)(error instanceof Error ? error.message : String(error)) };
    }
}
async function readConnections(client) {
    const head = await client.query(CONNECTIONS_SQL);
    const states = await client.query(STATES_SQL);
    const { total, max_connections, reserved } = head.rows[0];
    return {
        total,
        maxConnections: max_connections,
        reserved,
        byState: Object.fromEntries(states.rows.map((r) => [r.state, r.n]))
    };
}
async function readSessions(client) {
    const result = await client.query(SESSIONS_SQL);
    return result.rows.map((r) => ({
        pid: r.pid,
        database: r.database,
        user: r.user,
        application: r.application,
        client: r.client,
        state: r.state,
        queryMs: Math.round(r.query_ms),
        stateMs: Math.round(r.state_ms),
        xactMs: r.xact_ms === null ? null : Math.round(r.xact_ms),
        waitEvent: r.wait_event,
        blockedBy: (r.blocked_by ?? []).map(Number),
        query: r.query ?? ''
    }));
}
async function readStatements(client, database) {
    const ext = await client.query(`SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'`);
    if (ext.rowCount === 0) {
        return {
            available: false,
            reason: `the pg_stat_statements extension is not created in database '${database}' (needs shared_preload_libraries = 'pg_stat_statements' and CREATE EXTENSION pg_stat_statements)`
        };
    }
    let rows;
    try {
        await client.query('SAVEPOINT statements_columns');
        rows = (await client.query(STATEMENTS_SQL('total_exec_time', 'mean_exec_time'))).rows;
    }
    catch (error) {
        await client.query('ROLLBACK TO SAVEPOINT statements_columns');
        // PostgreSQL 12 and older name the columns total_time / mean_time.
        if (error.code !== '42703') {
            return { available: false, reason: `pg_stat_statements cannot be read: ${error.message}` };
        }
        rows = (await client.query(STATEMENTS_SQL('total_time', 'mean_time'))).rows;
    }
    const top = rows.map((r) => ({
        query: r.query ?? '',
        calls: r.calls,
        totalMs: r.total_ms,
        meanMs: r.mean_ms,
        rows: r.rows
    }));
    return { available: true, top };
}
async function readCache(client) {
    const result = await client.query(CACHE_SQL);
    const row = result.rows[0] ?? { hit: 0, read: 0, stats_reset: null };
    return { blocksHit: row.hit, blocksRead: row.read, statsSince: row.stats_reset ? row.stats_reset.toISOString() : null };
}
async function readUnusedIndexes(client) {
    const result = await client.query(UNUSED_INDEXES_SQL);
    const since = await client.query(`SELECT stats_reset AS since FROM pg_stat_database WHERE datname = current_database()`);
    return {
        indexes: result.rows.map((r) => ({ schema: r.schema, table: r.table, index: r.index, sizeBytes: r.size_bytes })),
        statsSince: since.rows[0]?.since ? since.rows[0].since.toISOString() : null
    };
}

;// CONCATENATED MODULE: ./shared/src/health/database/check-database.ts
// The database part of the health check: connect read-only within a timeout, probe, judge. Never writes, never kills.





/** `application_name` of the check's session, so a DBA sees who is looking (and the check can skip itself). */
const CHECK_APPLICATION_NAME = 'a2a-ops health';
/**
 * Checks one PostgreSQL database the way the runbook's "Database Issues" section does, read-only:
 * reachability (pg_isready), connections vs max_connections and the absolute alert, long-running
 * queries, sessions idle in a transaction, queries blocked on locks, top queries from pg_stat_statements
 * (when installed), cache hit rate and unused indexes.
 *
 * `database` is what the core's openDatabaseSession takes: a parsed URL (`parseDatabaseUrl`), or a `pg`
 * client config, e.g. one aimed at an SSH tunnel to the compose `postgres` service. The session is
 * read-only, with the statement and lock timeouts at `timeoutMs`, and everything runs in one READ ONLY
 * transaction that is rolled back. When the server cannot be reached the result is the single failed
 * `database:reachability` check; otherwise one check per aspect, kind `database`.
 */
async function checkDatabase(database, thresholds, opts) {
    let session;
    try {
        session = await openDatabaseSession(database, {
            mode: 'read-only',
            applicationName: CHECK_APPLICATION_NAME,
            connectTimeoutMs: opts.timeoutMs,
            statementTimeoutMs: opts.timeoutMs,
            lockTimeoutMs: opts.timeoutMs
        });
    }
    catch (error) {
        const reason = error instanceof DatabaseConnectError ? error.message : describeConnectError(error, opts.timeoutMs);
        return [unreachableCheck(opts.target, reason, opts.timeoutMs)];
    }
    try {
        // One snapshot for every probe; each probe runs under its own savepoint inside it.
        await session.query('BEGIN READ ONLY');
        const snapshot = await probeDatabase(session.client, session.connectMs);
        return classifyDatabase(opts.target, snapshot, thresholds, opts.cacheHit ?? DEFAULT_CACHE_HIT_POLICY);
    }
    catch (error) {
        // The server let us in, then failed the first query (shut down mid-check, statement timeout).
        const reason = (0,secrets/* scrubSecrets */.Zg)(error instanceof Error ? error.message : String(error));
        return [unreachableCheck(opts.target, `accepted the connection, then failed: ${reason}`, opts.timeoutMs)];
    }
    finally {
        await session.close();
    }
}

;// CONCATENATED MODULE: ./action-incident/src/platform/checks-section.ts
// A summary section from health-core checks: one row per check, their details (session lists) folded.

function checksSection(title, checks) {
    const table = markdownTable(['Check', 'Status', 'Message'], checks.map((c) => [c.id, { markdown: `${STATUS_ICON[c.status]} ${c.status}` }, c.message]));
    const details = checks
        .filter((c) => c.details)
        .map((c) => `<details><summary>${(0,markdown_text/* escapeHtml */.ZD)(c.id)}</summary>\n\n${(0,markdown_text/* fence */.EU)(c.details ?? '')}\n\n</details>`);
    return { title, markdown: [table, ...details].join('\n\n') };
}

;// CONCATENATED MODULE: ./action-incident/src/platform/diagnose-database.ts
// The runbook's "Database Issues" looks (pg_isready, connections in pg_stat_activity, queries running
// longer than five minutes) through the health core's read-only database check: never writes, never kills.



const diagnose_database_FAMILY = 'database';
/** The health checks an incident looks at: status, connections, long, idle-in-transaction and blocked queries. */
const WANTED = [
    DATABASE_CHECK_IDS.reachability,
    DATABASE_CHECK_IDS.connections,
    DATABASE_CHECK_IDS.longQueries,
    DATABASE_CHECK_IDS.idleInTransaction,
    DATABASE_CHECK_IDS.blocked
];
async function diagnoseDatabase(db, thresholds, longQueryMs, timeoutMs) {
    const d = diagnosis(diagnose_database_FAMILY);
    const checks = (await checkDatabase(db, { ...thresholds, longQueryMs }, { target: db.target, timeoutMs })).filter((c) => WANTED.includes(c.id));
    for (const c of checks)
        if (c.status !== 'ok')
            d.faults.push({ family: diagnose_database_FAMILY, target: db.target, severity: c.status, message: c.message });
    d.sections.push(checksSection('Database (read-only: pg_isready, pg_stat_activity)', checks));
    return d;
}

;// CONCATENATED MODULE: ./shared/src/digitalocean/client.ts
// A small DigitalOcean API v2 client on global fetch: bearer token registered as a secret, pagination
// through `links.pages.next`, bounded retries on 429/5xx, and errors that name the endpoint, never the token.



/** A DigitalOcean API failure: the endpoint, the status and DO's own `id` and `message`. */
class DigitalOceanApiError extends Error {
    status;
    endpoint;
    doId;
    name = 'DigitalOceanApiError';
    constructor(message, status, endpoint, doId) {
        super(message);
        this.status = status;
        this.endpoint = endpoint;
        this.doId = doId;
    }
}
/**
 * The read scope each endpoint needs, as DigitalOcean's OpenAPI description declares it (its `security`
 * block; a test checks this table against that file), so a refusal can say which scope is missing.
 */
const SCOPES = [
    [/^\/v2\/account$/, 'account:read'],
    [/^\/v2\/customers\/my\//, 'billing:read'],
    [/^\/v2\/droplets/, 'droplet:read'],
    [/^\/v2\/databases/, 'database:read'],
    [/^\/v2\/volumes/, 'block_storage:read'],
    [/^\/v2\/snapshots/, 'snapshot:read'],
    [/^\/v2\/load_balancers\/[^/]+\/droplets$/, 'load_balancer:update'],
    [/^\/v2\/load_balancers/, 'load_balancer:read'],
    [/^\/v2\/sizes/, 'sizes:read'],
    [/^\/v2\/images/, 'image:read'],
    [/^\/v2\/registry/, 'registry:read']
];
/** The scope DigitalOcean requires for a path, when this client knows it. */
function scopeForPath(path) {
    return SCOPES.find(([re]) => re.test(path))?.[1];
}
/** A registry or repository name as DO allows it, so it can go into a path unescaped. */
const REGISTRY_NAME = /^[a-z0-9-]{1,63}$/;
const LB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * Creates a client. The token is registered as a secret before any request. Throws ConfigurationError
 * for a missing token or a base URL that is not http(s).
 */
function createDigitalOceanClient(opts) {
    const token = opts.token?.trim();
    if (!token) {
        throw new errors/* ConfigurationError */.j('A DigitalOcean API token is required: pass a read-scoped token from a secret, e.g. `${{ secrets.DIGITALOCEAN_TOKEN }}`.');
    }
    (0,secrets/* registerSecret */.cl)(token);
    let base;
    try {
        base = new URL(opts.baseUrl ?? 'https://api.digitalocean.com');
    }
    catch {
        throw new errors/* ConfigurationError */.j(`The DigitalOcean API base URL must be an http(s) URL such as https://api.digitalocean.com.`);
    }
    if (!/^https?:$/.test(base.protocol)) {
        throw new errors/* ConfigurationError */.j(`The DigitalOcean API base URL must be an http(s) URL such as https://api.digitalocean.com.`);
    }
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const maxAttempts = opts.maxAttempts ?? 4;
    const maxRetryWaitMs = opts.maxRetryWaitMs ?? 30_000;
    const maxPages = opts.maxPages ?? 50;
    const pageSize = Math.min(200, Math.max(1, Math.floor(opts.pageSize ?? 200)));
    const tokenName = opts.tokenName ?? 'the DigitalOcean token';
    const limits = { waitedMs: 0 };
    /** Remembers DO's `ratelimit-*` headers (sent on every answer). */
    const noteLimits = (res) => {
        const n = (h) => {
            const v = res.headers.get(h);
            return v !== null && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
        };
        const limit = n('ratelimit-limit');
        const remaining = n('ratelimit-remaining');
        const reset = n('ratelimit-reset');
        if (limit !== undefined)
            limits.limit = limit;
        if (remaining !== undefined)
            limits.remaining = remaining;
        if (reset !== undefined)
            limits.resetAt = new Date(reset * 1000).toISOString();
    };
    /**
     * When the last answer said no request is left until the reset, wait for it (within the retry budget)
     * rather than spend a request on a certain 429.
     */
    const paceForLimit = async () => {
        if (limits.remaining !== 0 || !limits.resetAt)
            return;
        const waitMs = Date.parse(limits.resetAt) - Date.now();
        if (waitMs <= 0)
            return;
        const wait = Math.min(waitMs, Math.max(0, maxRetryWaitMs - limits.waitedMs));
        limits.waitedMs += wait;
        limits.remaining = undefined;
        await new Promise((resolve) => setTimeout(resolve, wait));
    };
    /** Resolves a path (or a `links.pages.next` URL) against the base URL: the token never goes to another host. */
    const urlFor = (pathOrUrl) => {
        const u = new URL(pathOrUrl, base);
        return new URL(`${u.pathname}${u.search}`, base);
    };
    const request = async (method, pathOrUrl, body) => {
        const url = urlFor(pathOrUrl);
        const endpoint = `${method} ${url.pathname}`;
        // One attempt; a retryable failure carries the wait DigitalOcean asked for (or none: backoff).
        const attempt = async (n) => {
            await paceForLimit();
            let res;
            try {
                res = await fetch(url, {
                    method,
                    headers: {
                        authorization: `Bearer ${token}`,
                        accept: 'application/json',
                        ...(body === undefined ? {} : { 'content-type': 'application/json' })
                    },
                    body: body === undefined ? undefined : JSON.stringify(body),
                    signal: AbortSignal.timeout(timeoutMs)
                });
            }
            catch (error) {
                // A network failure is retried like a 5xx: the request may not have reached DO.
                const reason = error instanceof Error ? (error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : error.message) : String(error);
                throw new RetryableFailure(new DigitalOceanApiError((0,secrets/* scrubSecrets */.Zg)(`DigitalOcean ${endpoint} failed: ${reason}`), undefined, endpoint));
            }
            noteLimits(res);
            const text = await res.text();
            if (res.ok) {
                if (!text)
                    return undefined;
                try {
                    return JSON.parse(text);
                }
                catch {
                    throw new DigitalOceanApiError(`DigitalOcean ${endpoint} answered ${res.status} with a body that is not JSON`, res.status, endpoint);
                }
            }
            const retryable = res.status === 429 || res.status >= 500;
            // A 429's own wait (retry-after) covers the limit: do not wait for the reset a second time.
            if (res.status === 429)
                limits.remaining = undefined;
            const error = apiError(endpoint, res.status, text, retryable ? n : 0, tokenName, scopeForPath(url.pathname));
            throw retryable ? new RetryableFailure(error, retryWait(res)) : error;
        };
        try {
            return await withRetries(attempt, {
                attempts: maxAttempts,
                baseMs: 1000,
                maxMs: 8000,
                jitter: 0,
                maxTotalWaitMs: maxRetryWaitMs,
                classify: (e) => {
                    if (!(e instanceof RetryableFailure))
                        return { retry: false };
                    if (e.waitMs !== undefined)
                        limits.waitedMs += e.waitMs;
                    return { retry: true, waitMs: e.waitMs };
                }
            });
        }
        catch (e) {
            throw e instanceof RetryableFailure ? e.error : e;
        }
    };
    const list = async (path, key, map, paged = true) => {
        const out = [];
        let next = paged ? `${path}${path.includes('?') ? '&' : '?'}per_page=${pageSize}` : path;
        for (let pages = 0; next; pages++) {
            if (pages >= maxPages)
                throw new DigitalOceanApiError(`DigitalOcean GET ${path}: more than ${maxPages} pages; stopped following links.pages.next`, undefined, `GET ${path}`);
            const page = (await request('GET', next)) ?? {};
            const items = page[key];
            if (!Array.isArray(items))
                throw new DigitalOceanApiError(`DigitalOcean GET ${path} answered without a '${key}' list`, 200, `GET ${path}`);
            for (const item of items)
                out.push(map(item));
            const links = page.links;
            next = typeof links?.pages?.next === 'string' ? links.pages.next : undefined;
        }
        return out;
    };
    const lbChange = async (method, lbId, dropletIds) => {
        if (!LB_ID.test(lbId))
            throw new errors/* ConfigurationError */.j(`Load balancer id '${lbId.slice(0, 40)}' is not a DigitalOcean load balancer UUID (see 'doctl compute load-balancer list').`);
        if (!dropletIds.length || !dropletIds.every((id) => Number.isSafeInteger(id) && id > 0)) {
            throw new errors/* ConfigurationError */.j(`Droplet ids for load balancer ${lbId} must be a non-empty list of positive whole numbers, got ${JSON.stringify(dropletIds).slice(0, 80)}.`);
        }
        await request(method, `/v2/load_balancers/${lbId}/droplets`, { droplet_ids: dropletIds });
    };
    return {
        async getAccount() {
            const a = ((await request('GET', '/v2/account')) ?? {}).account;
            const team = a.team;
            return {
                email: str(a.email),
                uuid: str(a.uuid),
                status: str(a.status),
                statusMessage: str(a.status_message),
                dropletLimit: num(a.droplet_limit),
                ...(team && typeof team.name === 'string' ? { teamName: team.name } : {})
            };
        },
        async getBalance() {
            const b = (await request('GET', '/v2/customers/my/balance')) ?? {};
            return {
                monthToDateBalance: money(b.month_to_date_balance),
                accountBalance: money(b.account_balance),
                monthToDateUsage: money(b.month_to_date_usage),
                generatedAt: str(b.generated_at)
            };
        },
        // Billing history documents no page parameters: ask without them, still follow any next link.
        listBillingHistory: () => list('/v2/customers/my/billing_history', 'billing_history', (e) => ({
            description: str(e.description),
            amount: money(e.amount),
            date: str(e.date),
            type: str(e.type),
            ...(typeof e.invoice_id === 'string' && e.invoice_id ? { invoiceId: e.invoice_id } : {}),
            ...(typeof e.invoice_uuid === 'string' && e.invoice_uuid ? { invoiceUuid: e.invoice_uuid } : {})
        }), false),
        async listInvoices() {
            let preview;
            const invoices = [];
            let next = `/v2/customers/my/invoices?per_page=${pageSize}`;
            for (let pages = 0; next && pages < maxPages; pages++) {
                const page = (await request('GET', next)) ?? {};
                for (const raw of page.invoices ?? [])
                    invoices.push(invoice(raw));
                if (page.invoice_preview && typeof page.invoice_preview === 'object')
                    preview = invoice(page.invoice_preview);
                const links = page.links;
                next = typeof links?.pages?.next === 'string' ? links.pages.next : undefined;
            }
            return preview ? { invoices, preview } : { invoices };
        },
        listDroplets: (o = {}) => list(`/v2/droplets${o.tag ? `?tag_name=${encodeURIComponent(o.tag)}` : ''}`, 'droplets', droplet),
        // The cluster list documents no page parameters either.
        listDatabases: () => list('/v2/databases', 'databases', database, false),
        listDatabaseBackups: async (databaseId) => {
            const backups = await list(`/v2/databases/${encodeURIComponent(databaseId)}/backups`, 'backups', (b) => ({ createdAt: str(b.created_at), sizeGigabytes: num(b.size_gigabytes) }), false);
            return backups.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
        },
        listVolumes: () => list('/v2/volumes', 'volumes', (v) => ({
            id: str(v.id),
            name: str(v.name),
            sizeGigabytes: num(v.size_gigabytes),
            ...(regionSlug(v.region) ? { region: regionSlug(v.region) } : {}),
            dropletIds: Array.isArray(v.droplet_ids) ? v.droplet_ids : [],
            ...(typeof v.created_at === 'string' ? { createdAt: v.created_at } : {})
        })),
        listSnapshots: (o = {}) => list(`/v2/snapshots${o.resourceType ? `?resource_type=${o.resourceType}` : ''}`, 'snapshots', (s) => ({
            id: str(s.id),
            name: str(s.name),
            createdAt: str(s.created_at),
            sizeGigabytes: num(s.size_gigabytes),
            minDiskSize: num(s.min_disk_size),
            resourceId: str(s.resource_id),
            resourceType: str(s.resource_type),
            regions: Array.isArray(s.regions) ? s.regions : []
        })),
        listLoadBalancers: () => list('/v2/load_balancers', 'load_balancers', loadBalancer),
        addDropletsToLoadBalancer: (lbId, ids) => lbChange('POST', lbId, ids),
        removeDropletsFromLoadBalancer: (lbId, ids) => lbChange('DELETE', lbId, ids),
        listSizes: () => list('/v2/sizes', 'sizes', (z) => ({
            slug: str(z.slug),
            vcpus: num(z.vcpus),
            memoryMb: num(z.memory),
            diskGb: num(z.disk),
            priceMonthly: num(z.price_monthly),
            priceHourly: num(z.price_hourly),
            regions: Array.isArray(z.regions) ? z.regions : [],
            available: z.available === true,
            description: str(z.description)
        })),
        listImages: (o = {}) => {
            const q = [o.private ? 'private=true' : '', o.type ? `type=${o.type}` : ''].filter(Boolean).join('&');
            return list(`/v2/images${q ? `?${q}` : ''}`, 'images', (i) => ({
                id: num(i.id),
                name: str(i.name),
                type: str(i.type),
                createdAt: str(i.created_at),
                sizeGigabytes: typeof i.size_gigabytes === 'number' ? i.size_gigabytes : 0,
                regions: Array.isArray(i.regions) ? i.regions : [],
                ...(typeof i.status === 'string' ? { status: i.status } : {})
            }));
        },
        async getRegistry() {
            let raw;
            try {
                raw = (((await request('GET', '/v2/registry')) ?? {}).registry ?? {});
            }
            catch (e) {
                if (e instanceof DigitalOceanApiError && e.status === 404)
                    return undefined;
                throw e;
            }
            const sub = (((await request('GET', '/v2/registry/subscription')) ?? {}).subscription ?? {});
            const tier = (sub.tier ?? {});
            return {
                name: str(raw.name),
                ...(typeof raw.region === 'string' ? { region: raw.region } : {}),
                storageUsageBytes: num(raw.storage_usage_bytes ?? 0),
                tier: {
                    slug: str(tier.slug),
                    name: str(tier.name),
                    monthlyPriceCents: num(tier.monthly_price_in_cents ?? 0),
                    includedStorageBytes: num(tier.included_storage_bytes ?? 0),
                    storageOveragePriceCents: num(tier.storage_overage_price_in_cents ?? 0),
                    allowStorageOverage: tier.allow_storage_overage === true
                }
            };
        },
        listRegistryRepositories: (registry) => list(`/v2/registry/${registryName(registry)}/repositoriesV2`, 'repositories', (r) => ({
            name: str(r.name),
            tagCount: num(r.tag_count ?? 0),
            manifestCount: num(r.manifest_count ?? 0)
        })),
        listRegistryManifests: (registry, repository) => list(`/v2/registry/${registryName(registry)}/repositories/${encodeURIComponent(repository)}/digests`, 'manifests', (m) => ({
            digest: str(m.digest),
            tags: Array.isArray(m.tags) ? m.tags : [],
            compressedSizeBytes: num(m.compressed_size_bytes ?? 0),
            sizeBytes: num(m.size_bytes ?? 0),
            updatedAt: str(m.updated_at)
        })),
        rateLimit: () => ({ ...limits })
    };
}
/** A failure worth another attempt, with the wait DigitalOcean asked for when it said. */
class RetryableFailure extends Error {
    error;
    waitMs;
    constructor(error, waitMs) {
        super(error.message);
        this.error = error;
        this.waitMs = waitMs;
    }
}
/** DO sends `retry-after` (seconds) on 429 and `ratelimit-reset` (epoch seconds) on every answer. */
function retryWait(res) {
    const retryAfter = Number(res.headers.get('retry-after'));
    if (res.headers.has('retry-after') && Number.isFinite(retryAfter) && retryAfter >= 0)
        return retryAfter * 1000;
    const reset = Number(res.headers.get('ratelimit-reset'));
    if (res.status === 429 && Number.isFinite(reset) && reset > 0)
        return Math.max(0, reset * 1000 - Date.now());
    return undefined;
}
function registryName(name) {
    if (!REGISTRY_NAME.test(name))
        throw new errors/* ConfigurationError */.j(`'${name.slice(0, 70)}' is not a DigitalOcean registry name (lower-case letters, digits and dashes).`);
    return name;
}
function apiError(endpoint, status, text, attempts, tokenName, scope) {
    let id;
    let message = text.slice(0, 300);
    try {
        const body = JSON.parse(text);
        if (typeof body.id === 'string')
            id = body.id;
        if (typeof body.message === 'string')
            message = body.message;
    }
    catch {
        // Not JSON (a proxy's HTML page): the start of the text is the best we have.
    }
    const detail = `${status}${id ? ` ${id}` : ''}: ${message}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`;
    const needs = scope ? `the scope '${scope}'` : 'the scope this action needs';
    if (status === 401) {
        return new errors/* ConfigurationError */.j((0,secrets/* scrubSecrets */.Zg)(`DigitalOcean refused ${endpoint} (${detail}): it rejected ${tokenName} as wrong, expired or revoked. ` +
            `Put a current personal access token in the secret; this call needs ${needs} (a custom-scoped token with read scopes, or a read-only token, is enough).`));
    }
    if (status === 403) {
        return new errors/* ConfigurationError */.j((0,secrets/* scrubSecrets */.Zg)(`DigitalOcean refused ${endpoint} (${detail}): ${tokenName} is valid but lacks ${needs}. Add that scope to the token, or use a read-only token.`));
    }
    return new DigitalOceanApiError((0,secrets/* scrubSecrets */.Zg)(`DigitalOcean ${endpoint} failed: ${detail}`), status, endpoint, id);
}
function str(v) {
    return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}
function num(v) {
    return typeof v === 'number' ? v : Number(v);
}
/** DO sends money as decimal strings ("61.30"). */
function money(v) {
    const n = Number(v);
    return Number.isFinite(n) ? n : NaN;
}
function regionSlug(v) {
    if (typeof v === 'string')
        return v;
    if (v && typeof v === 'object' && typeof v.slug === 'string')
        return v.slug;
    return undefined;
}
function invoice(raw) {
    return {
        invoiceUuid: str(raw.invoice_uuid),
        ...(typeof raw.invoice_id === 'string' && raw.invoice_id ? { invoiceId: raw.invoice_id } : {}),
        amount: money(raw.amount),
        period: str(raw.invoice_period),
        ...(typeof raw.updated_at === 'string' ? { updatedAt: raw.updated_at } : {})
    };
}
function droplet(d) {
    const size = (d.size ?? {});
    const v4 = ((d.networks ?? {}).v4 ?? []);
    const ip = (type) => v4.find((n) => n.type === type)?.ip_address;
    const pub = ip('public');
    const priv = ip('private');
    return {
        id: num(d.id),
        name: str(d.name),
        status: str(d.status),
        sizeSlug: str(d.size_slug ?? size.slug),
        vcpus: num(d.vcpus),
        memoryMb: num(d.memory),
        diskGb: num(d.disk),
        priceMonthly: num(size.price_monthly),
        priceHourly: num(size.price_hourly),
        region: regionSlug(d.region) ?? '',
        tags: Array.isArray(d.tags) ? d.tags : [],
        createdAt: str(d.created_at),
        ...(pub ? { publicIpv4: pub } : {}),
        ...(priv ? { privateIpv4: priv } : {}),
        volumeIds: Array.isArray(d.volume_ids) ? d.volume_ids : [],
        ...(Array.isArray(d.features) && d.features.includes('backups') ? { backupsEnabled: true } : {})
    };
}
function database(d) {
    return {
        id: str(d.id),
        name: str(d.name),
        engine: str(d.engine),
        ...(typeof d.version === 'string' ? { version: d.version } : {}),
        sizeSlug: str(d.size),
        numNodes: num(d.num_nodes),
        region: str(d.region),
        ...(typeof d.status === 'string' ? { status: d.status } : {}),
        ...(typeof d.storage_size_mib === 'number' ? { storageSizeMib: d.storage_size_mib } : {}),
        tags: Array.isArray(d.tags) ? d.tags : []
    };
}
function loadBalancer(lb) {
    return {
        id: str(lb.id),
        name: str(lb.name),
        ...(typeof lb.status === 'string' ? { status: lb.status } : {}),
        ...(typeof lb.ip === 'string' && lb.ip ? { ip: lb.ip } : {}),
        ...(typeof lb.size === 'string' ? { size: lb.size } : {}),
        ...(typeof lb.size_unit === 'number' ? { sizeUnit: lb.size_unit } : {}),
        ...(regionSlug(lb.region) ? { region: regionSlug(lb.region) } : {}),
        dropletIds: Array.isArray(lb.droplet_ids) ? lb.droplet_ids : [],
        ...(typeof lb.tag === 'string' && lb.tag ? { tag: lb.tag } : {})
    };
}

;// CONCATENATED MODULE: ./action-incident/src/platform/diagnose-load-balancer.ts
// The runbook's `doctl compute load-balancer get <lb-id>`: the DigitalOcean load balancer's status and
// its Droplets (each one's own status), through the core's DigitalOcean client. Read-only.


const diagnose_load_balancer_FAMILY = 'load balancer';
/** The faults of one load balancer: not active, no Droplets, or Droplets that are not active (or gone). */
function judgeLoadBalancer(lb, droplets) {
    const target = `load balancer ${lb.name} (${lb.id})`;
    const faults = [];
    if (lb.status !== 'active')
        faults.push({ family: diagnose_load_balancer_FAMILY, target, severity: 'fail', message: `status is '${lb.status ?? 'unknown'}', not 'active'` });
    if (lb.dropletIds.length === 0)
        faults.push({ family: diagnose_load_balancer_FAMILY, target, severity: 'fail', message: lb.tag ? `no Droplet carries its tag '${lb.tag}'` : 'has no Droplets behind it' });
    for (const id of lb.dropletIds) {
        const d = droplets.find((x) => x.id === id);
        if (!d)
            faults.push({ family: diagnose_load_balancer_FAMILY, target, severity: 'fail', message: `Droplet ${id} behind it no longer exists` });
        else if (d.status !== 'active')
            faults.push({ family: diagnose_load_balancer_FAMILY, target, severity: 'fail', message: `Droplet ${d.name} (${id}) behind it is '${d.status}'` });
    }
    return faults;
}
async function diagnoseLoadBalancer(opts) {
    const d = diagnosis(diagnose_load_balancer_FAMILY);
    const client = createDigitalOceanClient({ token: opts.token, baseUrl: opts.apiUrl, timeoutMs: Math.min(opts.timeoutMs, 30_000), tokenName: "input 'digitalocean-token'" });
    const all = await client.listLoadBalancers();
    const chosen = opts.loadBalancer ? all.filter((lb) => lb.id === opts.loadBalancer || lb.name === opts.loadBalancer) : all;
    if (opts.loadBalancer && chosen.length === 0) {
        d.faults.push({ family: diagnose_load_balancer_FAMILY, target: opts.loadBalancer, severity: 'fail', message: `no load balancer with that id or name in the account (${all.length} found: ${all.map((lb) => lb.name).join(', ') || 'none'})` });
        return d;
    }
    if (chosen.length === 0) {
        d.notes.push('Load balancer: the DigitalOcean account has none.');
        return d;
    }
    const droplets = await client.listDroplets();
    const rows = [];
    for (const lb of chosen) {
        d.faults.push(...judgeLoadBalancer(lb, droplets));
        const behind = lb.dropletIds.map((id) => {
            const x = droplets.find((y) => y.id === id);
            return x ? `${x.name} (${x.status})` : `${id} (missing)`;
        });
        rows.push([lb.name, lb.id, lb.status ?? '—', lb.ip ?? '—', lb.region ?? '—', behind.join(', ') || '—']);
    }
    d.sections.push({ title: 'DigitalOcean load balancer (doctl compute load-balancer get)', markdown: markdownTable(['Name', 'Id', 'Status', 'IP', 'Region', 'Droplets'], rows) });
    return d;
}

;// CONCATENATED MODULE: ./action-incident/src/platform/diagnose-nats.ts
// The runbook's "Check NATS connectivity": the health core's NATS greeting probe (`INFO {...}` on connect).



async function diagnoseNats(target, timeoutMs) {
    const d = diagnosis('nats');
    const check = await checkNats(target, timeoutMs);
    if (check.status !== 'ok')
        d.faults.push({ family: 'nats', target: check.target, severity: check.status, message: check.message });
    d.sections.push(checksSection('NATS', [check]));
    return d;
}

;// CONCATENATED MODULE: ./action-incident/src/execute.ts









async function executeIncident(inputs, ctx) {
    const families = [];
    const skipped = [];
    const perCheckMs = Math.min(inputs.endpointTimeoutMs, inputs.diagnosticTimeoutMs);
    families.push({ family: 'endpoints', run: (signal) => diagnoseEndpoints(inputs.endpoints, inputs.endpointTimeoutMs, ctx.config.thresholds, signal) });
    let logs = [];
    if (inputs.ssh) {
        const ssh = inputs.ssh;
        families.push({
            family: 'services',
            run: async (signal) => {
                const found = await diagnoseHosts({ ...inputs, ssh, config: ctx.config }, signal);
                logs = found.logs;
                return found.diagnosis;
            }
        });
    }
    else
        skipped.push('hosts (no `hosts` input and none in the ops config)');
    if (inputs.database) {
        const db = inputs.database;
        families.push({ family: 'database', run: () => diagnoseDatabase(db, ctx.config.thresholds, inputs.longQueryMs, perCheckMs) });
    }
    else
        skipped.push('database (no `database-url`)');
    if (inputs.nats) {
        const nats = inputs.nats;
        families.push({ family: 'nats', run: () => diagnoseNats(nats, perCheckMs) });
    }
    else
        skipped.push('NATS (no `nats-url`)');
    if (inputs.digitalocean) {
        const d = inputs.digitalocean;
        families.push({ family: 'load balancer', run: () => diagnoseLoadBalancer({ ...d, timeoutMs: inputs.diagnosticTimeoutMs }) });
    }
    else
        skipped.push('DigitalOcean load balancer (no `digitalocean-token`)');
    const found = await ctx.log.group(`Diagnostics: ${families.map((f) => f.family).join(', ')}`, async () => {
        const all = await runFamilies(families, inputs.diagnosticTimeoutMs, ctx.signal);
        for (const d of all)
            ctx.log.info(`${d.family}: ${d.faults.length ? `${d.faults.length} fault(s)` : 'no fault'}`);
        return all;
    });
    const diagnoses = [...found];
    if (inputs.ssh)
        diagnoses.push(await ctx.log.group('Error log patterns', async () => diagnoseErrorPatterns(logs, ctx.state, new Date())));
    const faults = orderFaults(diagnoses.flatMap((d) => d.faults));
    const names = diagnoses.map((d) => d.family);
    ctx.report.add(buildIncidentCheck(ctx.config.platform, faults, names));
    ctx.report.section(faultsSection(faults));
    for (const d of diagnoses)
        for (const s of d.sections)
            ctx.report.section(s);
    for (const d of diagnoses)
        for (const n of d.notes)
            ctx.report.note(n);
    if (skipped.length)
        ctx.report.note(`Not diagnosed: ${skipped.join('; ')}.`);
    for (const f of faults)
        ctx.log.warn(describeFault(f));
    return {
        outputs: {
            [INCIDENT_OUTPUTS.faultCount]: String(faults.length),
            [INCIDENT_OUTPUTS.faults]: JSON.stringify(faults)
        }
    };
}

;// CONCATENATED MODULE: ./action-incident/src/main.ts
// action-incident: one run gathers what the runbook's "Service Outage Response" and "Troubleshooting
// Guide" ask for, into one summary and one incident issue. Read-only; recovery is the workflow's job.



const definition = {
    ...INCIDENT_ACTION,
    // Any fault, a warning included, is part of the incident: the one issue opens on 'warn'.
    issueOn: 'warn',
    readInputs: readIncidentInputs,
    execute: executeIncident
};
/** Runs the action through the shared funnel. */
async function run() {
    await runAction(definition);
}


/***/ }),

/***/ 3904:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   i: () => (/* binding */ toError),
/* harmony export */   j: () => (/* binding */ ConfigurationError)
/* harmony export */ });
// Error types the run funnel knows how to print: a user mistake is shown plainly, anything else with its stack in debug.
/**
 * A user mistake: a bad input, a bad config key, a missing secret. The message names the input or
 * key, says what was wrong and how to fix it. The funnel prints it without a stack trace.
 */
class ConfigurationError extends Error {
    name = 'ConfigurationError';
}
/** Wraps any thrown value into an Error so that a non-Error throw can never pass as success. */
function toError(thrown) {
    if (thrown instanceof Error)
        return thrown;
    return new Error(typeof thrown === 'string' ? thrown : `non-Error thrown: ${safeJson(thrown)}`);
}
function safeJson(value) {
    try {
        return JSON.stringify(value) ?? String(value);
    }
    catch {
        return String(value);
    }
}


/***/ }),

/***/ 6841:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  _: () => (/* binding */ loadLibrary),
  T: () => (/* binding */ requireLibrary)
});

;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: ./shared/src/libraries/load-library.ts
// Loads a heavy library only when a run needs it. From source (tests, tsx) that is the package itself;
// from a bundle it is the one copy scripts/build.mjs writes to shared/dist/libraries/<name>/, which
// every action's bundle points at (the entry's banner sets __A2A_LIBRARIES__).

const PACKAGES = { ssh2: 'ssh2', pg: 'pg', cache: '@actions/cache', github: '@actions/github' };
const COMMONJS = ['ssh2', 'pg'];
function sharedCopy() {
    return globalThis.__A2A_LIBRARIES__;
}
/** The module namespace of `name` (CommonJS libraries under `.default`, as `import()` gives them). */
async function loadLibrary(name) {
    const base = sharedCopy();
    if (base)
        return (await import(/* webpackIgnore: true */ new URL(`${name}/index.${COMMONJS.includes(name) ? 'cjs' : 'js'}`, base).href));
    if (name === 'github') {
        // From source the plugins are packages of their own; the bundle's copy holds all four together.
        const [github, retry, throttling, bottleneck] = await Promise.all([
            import(/* webpackIgnore: true */ PACKAGES.github),
            import(/* webpackIgnore: true */ '@octokit/plugin-retry'),
            import(/* webpackIgnore: true */ '@octokit/plugin-throttling'),
            import(/* webpackIgnore: true */ 'bottleneck/light.js')
        ]);
        return { ...github, retry: retry.retry, throttling: throttling.throttling, Bottleneck: bottleneck.default };
    }
    return (await import(/* webpackIgnore: true */ PACKAGES[name]));
}
/**
 * A CommonJS library, synchronously (its `module.exports`): for code that must stay synchronous, such
 * as checking a private key while inputs are read. Loaded on the first call only.
 */
function requireLibrary(name) {
    // Through getBuiltinModule so the bundler does not see a require it would try to resolve itself.
    const { createRequire } = process.getBuiltinModule('node:module');
    const require = createRequire(import.meta.url);
    const base = sharedCopy();
    return require(base ? (0,external_node_url_namespaceObject.fileURLToPath)(new URL(`${name}/index.cjs`, base)) : PACKAGES[name]);
}


/***/ }),

/***/ 5505:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   EU: () => (/* binding */ fence),
/* harmony export */   ZD: () => (/* binding */ escapeHtml),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   ln: () => (/* binding */ inlineText),
/* harmony export */   yY: () => (/* binding */ neutraliseMentions),
/* harmony export */   z3: () => (/* binding */ formatBytes)
/* harmony export */ });
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(9214);
// Making untrusted text safe and readable in GitHub Markdown (job summaries, issue bodies), in one place.

/** Inserts a zero-width joiner after `@` so `@user` and `@org/team` notify no one. */
function neutraliseMentions(text) {
    return text.replace(/(^|[^\w`])@(?=[A-Za-z0-9])/g, '$1@\u200D');
}
/** Escapes the three characters that would let text open HTML. */
function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/**
 * Makes one line of untrusted text inert in Markdown: secrets scrubbed first (escaping could otherwise
 * hide a secret from the scrubber), then no HTML, no table breaks, no mentions, one line, at most `max` characters.
 */
function inlineText(text, max = 1000) {
    const scrubbed = (0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .scrubSecrets */ .Zg)(text).replace(/\s*[\r\n]+\s*/g, ' ');
    const flat = scrubbed.length > max ? `${scrubbed.slice(0, max - 1)}…` : scrubbed;
    return neutraliseMentions(escapeHtml(flat).replace(/\|/g, '\\|'));
}
/**
 * Puts untrusted text in a fenced code block whose fence is longer than any backtick run inside, so
 * the text cannot close it (CommonMark), and HTML or Markdown in it is shown, never rendered.
 */
function fence(text, info = 'text') {
    const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
    const ticks = '`'.repeat(longest + 1);
    return `${ticks}${info}\n${text.replace(/\r\n?/g, '\n')}\n${ticks}`;
}
/** Human-readable size: `512 B`, `16 kB`, `3.2 MB`, `1.5 GB` (powers of 1024). */
function formatBytes(bytes) {
    if (bytes < 1024)
        return `${bytes} B`;
    if (bytes < 1024 * 1024)
        return `${Math.round(bytes / 1024)} kB`;
    if (bytes < 1024 ** 3)
        return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
    return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
/** Human-readable duration: `850 ms`, `45 s`, `12 min`, `2 h 5 min`, `3 d 4 h`; `?` when unknown. */
function formatDuration(ms) {
    if (!Number.isFinite(ms) || ms < 0)
        return '?';
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    const s = Math.round(ms / 1000);
    if (s < 60)
        return `${s} s`;
    const min = Math.floor(s / 60);
    if (min < 60)
        return `${min} min`;
    const h = Math.floor(min / 60);
    if (h < 24)
        return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
    const d = Math.floor(h / 24);
    return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}


/***/ }),

/***/ 8127:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   FK: () => (/* binding */ buildReport),
/* harmony export */   O6: () => (/* binding */ reaches)
/* harmony export */ });
/* unused harmony exports STATUS_ORDER, worst, overallStatus */
// The one result model every action reports in: checks with a status, rendered as job summary, console and JSON.
const STATUS_ORDER = ['ok', 'warn', 'fail'];
/** The worse of two statuses. */
function worst(a, b) {
    return STATUS_ORDER.indexOf(a) >= STATUS_ORDER.indexOf(b) ? a : b;
}
/** True when `status` is at least as severe as `level`. */
function reaches(status, level) {
    return STATUS_ORDER.indexOf(status) >= STATUS_ORDER.indexOf(level);
}
/** Overall status of a list of checks: the worst one, `ok` when there are none. */
function overallStatus(checks) {
    return checks.reduce((acc, c) => worst(acc, c.status), 'ok');
}
/** Builds a report from checks; the status is derived, never set by hand. */
function buildReport(init) {
    return {
        action: init.action,
        title: init.title,
        status: overallStatus(init.checks),
        startedAt: init.startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        checks: init.checks,
        sections: init.sections ?? [],
        notes: init.notes ?? [],
        outcome: init.outcome ?? 'finished'
    };
}


/***/ }),

/***/ 9214:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   AI: () => (/* binding */ registerUrlSecrets),
/* harmony export */   Zg: () => (/* binding */ scrubSecrets),
/* harmony export */   cl: () => (/* binding */ registerSecret)
/* harmony export */ });
/* unused harmony export clearSecretsForTest */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(9407);
// Secret registry: every secret and every value derived from it is masked by the runner and scrubbed
// from text we build ourselves (issue bodies, summaries, captured remote output).

const registered = new Set();
const MIN_SECRET_LENGTH = 4;
/**
 * Registers a secret with the runner (`core.setSecret`) and with our own scrubber, together with the
 * forms it may appear in: each line of a multi-line value, its URL-encoded and Base64 forms.
 * Call before anything that could print the value.
 */
function registerSecret(value) {
    if (!value)
        return;
    for (const form of secretForms(value)) {
        if (form.length < MIN_SECRET_LENGTH || registered.has(form))
            continue;
        registered.add(form);
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(form);
    }
}
/** Registers the password (and user:password pair) found in a connection URL such as a Postgres DSN. */
function registerUrlSecrets(url) {
    if (!url)
        return;
    registerSecret(url);
    try {
        const parsed = new URL(url);
        if (parsed.password) {
            registerSecret(parsed.password);
            registerSecret(decodeURIComponent(parsed.password));
        }
    }
    catch {
        // Not a URL: the whole value is already registered.
    }
}
/** Replaces every registered secret form in `text` with `***`. Longest first, so a substring never leaks a tail. */
function scrubSecrets(text) {
    if (registered.size === 0 || !text)
        return text;
    let out = text;
    for (const secret of [...registered].sort((a, b) => b.length - a.length)) {
        out = out.split(secret).join('***');
    }
    return out;
}
/** For tests: forget every registered secret. */
function clearSecretsForTest() {
    registered.clear();
}
function secretForms(value) {
    const forms = new Set();
    const add = (v) => {
        const t = v.trim();
        if (t)
            forms.add(t);
    };
    add(value);
    // PEM armour lines are public boilerplate; every other line of a key is secret on its own.
    for (const line of value.split(/\r?\n/))
        if (!/^-----(BEGIN|END) /.test(line.trim()))
            add(line);
    add(encodeURIComponent(value));
    add(Buffer.from(value, 'utf8').toString('base64'));
    add(Buffer.from(value.trim(), 'utf8').toString('base64').replace(/=+$/, ''));
    return [...forms];
}


/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 7349:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var resolveBlockMap = __nccwpck_require__(7103);
var resolveBlockSeq = __nccwpck_require__(334);
var resolveFlowCollection = __nccwpck_require__(3142);

function resolveCollection(CN, ctx, token, onError, tagName, tag) {
    const coll = token.type === 'block-map'
        ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag)
        : token.type === 'block-seq'
            ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag)
            : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
    const Coll = coll.constructor;
    // If we got a tagName matching the class, or the tag name is '!',
    // then use the tagName from the node class used to create it.
    if (tagName === '!' || tagName === Coll.tagName) {
        coll.tag = Coll.tagName;
        return coll;
    }
    if (tagName)
        coll.tag = tagName;
    return coll;
}
function composeCollection(CN, ctx, token, props, onError) {
    const tagToken = props.tag;
    const tagName = !tagToken
        ? null
        : ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg));
    if (token.type === 'block-seq') {
        const { anchor, newlineAfterProp: nl } = props;
        const lastProp = anchor && tagToken
            ? anchor.offset > tagToken.offset
                ? anchor
                : tagToken
            : (anchor ?? tagToken);
        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
            const message = 'Missing newline after block sequence props';
            onError(lastProp, 'MISSING_CHAR', message);
        }
    }
    const expType = token.type === 'block-map'
        ? 'map'
        : token.type === 'block-seq'
            ? 'seq'
            : token.start.source === '{'
                ? 'map'
                : 'seq';
    // shortcut: check if it's a generic YAMLMap or YAMLSeq
    // before jumping into the custom tag logic.
    if (!tagToken ||
        !tagName ||
        tagName === '!' ||
        (tagName === YAMLMap.YAMLMap.tagName && expType === 'map') ||
        (tagName === YAMLSeq.YAMLSeq.tagName && expType === 'seq')) {
        return resolveCollection(CN, ctx, token, onError, tagName);
    }
    let tag = ctx.schema.tags.find(t => t.tag === tagName && t.collection === expType);
    if (!tag) {
        const kt = ctx.schema.knownTags[tagName];
        if (kt?.collection === expType) {
            ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
            tag = kt;
        }
        else {
            if (kt) {
                onError(tagToken, 'BAD_COLLECTION_TYPE', `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? 'scalar'}`, true);
            }
            else {
                onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, true);
            }
            return resolveCollection(CN, ctx, token, onError, tagName);
        }
    }
    const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
    const res = tag.resolve?.(coll, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg), ctx.options) ?? coll;
    const node = identity.isNode(res)
        ? res
        : new Scalar.Scalar(res);
    node.range = coll.range;
    node.tag = tagName;
    if (tag?.format)
        node.format = tag.format;
    return node;
}

exports.composeCollection = composeCollection;


/***/ }),

/***/ 3683:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Document = __nccwpck_require__(3021);
var composeNode = __nccwpck_require__(5937);
var resolveEnd = __nccwpck_require__(7788);
var resolveProps = __nccwpck_require__(4631);

function composeDoc(options, directives, { offset, start, value, end }, onError) {
    const opts = Object.assign({ _directives: directives }, options);
    const doc = new Document.Document(undefined, opts);
    const ctx = {
        atKey: false,
        atRoot: true,
        directives: doc.directives,
        options: doc.options,
        schema: doc.schema
    };
    const props = resolveProps.resolveProps(start, {
        indicator: 'doc-start',
        next: value ?? end?.[0],
        offset,
        onError,
        parentIndent: 0,
        startOnNewline: true
    });
    if (props.found) {
        doc.directives.docStart = true;
        if (value &&
            (value.type === 'block-map' || value.type === 'block-seq') &&
            !props.hasNewline)
            onError(props.end, 'MISSING_CHAR', 'Block collection cannot start on same line with directives-end marker');
    }
    // @ts-expect-error If Contents is set, let's trust the user
    doc.contents = value
        ? composeNode.composeNode(ctx, value, props, onError)
        : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
    const contentEnd = doc.contents.range[2];
    const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
    if (re.comment)
        doc.comment = re.comment;
    doc.range = [offset, contentEnd, re.offset];
    return doc;
}

exports.composeDoc = composeDoc;


/***/ }),

/***/ 5937:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var composeCollection = __nccwpck_require__(7349);
var composeScalar = __nccwpck_require__(5413);
var resolveEnd = __nccwpck_require__(7788);
var utilEmptyScalarPosition = __nccwpck_require__(2599);

const CN = { composeNode, composeEmptyNode };
function composeNode(ctx, token, props, onError) {
    const atKey = ctx.atKey;
    const { spaceBefore, comment, anchor, tag } = props;
    let node;
    let isSrcToken = true;
    switch (token.type) {
        case 'alias':
            node = composeAlias(ctx, token, onError);
            if (anchor || tag)
                onError(token, 'ALIAS_PROPS', 'An alias node must not specify any properties');
            break;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'block-scalar':
            node = composeScalar.composeScalar(ctx, token, tag, onError);
            if (anchor)
                node.anchor = anchor.source.substring(1);
            break;
        case 'block-map':
        case 'block-seq':
        case 'flow-collection':
            try {
                node = composeCollection.composeCollection(CN, ctx, token, props, onError);
                if (anchor)
                    node.anchor = anchor.source.substring(1);
            }
            catch (error) {
                // Almost certainly here due to a stack overflow
                const message = error instanceof Error ? error.message : String(error);
                onError(token, 'RESOURCE_EXHAUSTION', message);
            }
            break;
        default: {
            const message = token.type === 'error'
                ? token.message
                : `Unsupported token (type: ${token.type})`;
            onError(token, 'UNEXPECTED_TOKEN', message);
            isSrcToken = false;
        }
    }
    node ?? (node = composeEmptyNode(ctx, token.offset, undefined, null, props, onError));
    if (anchor && node.anchor === '')
        onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    if (atKey &&
        ctx.options.stringKeys &&
        (!identity.isScalar(node) ||
            typeof node.value !== 'string' ||
            (node.tag && node.tag !== 'tag:yaml.org,2002:str'))) {
        const msg = 'With stringKeys, all keys must be strings';
        onError(tag ?? token, 'NON_STRING_KEY', msg);
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        if (token.type === 'scalar' && token.source === '')
            node.comment = comment;
        else
            node.commentBefore = comment;
    }
    // @ts-expect-error Type checking misses meaning of isSrcToken
    if (ctx.options.keepSourceTokens && isSrcToken)
        node.srcToken = token;
    return node;
}
function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
    const token = {
        type: 'scalar',
        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
        indent: -1,
        source: ''
    };
    const node = composeScalar.composeScalar(ctx, token, tag, onError);
    if (anchor) {
        node.anchor = anchor.source.substring(1);
        if (node.anchor === '')
            onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        node.comment = comment;
        node.range[2] = end;
    }
    return node;
}
function composeAlias({ options }, { offset, source, end }, onError) {
    const alias = new Alias.Alias(source.substring(1));
    if (alias.source === '')
        onError(offset, 'BAD_ALIAS', 'Alias cannot be an empty string');
    if (alias.source.endsWith(':'))
        onError(offset + source.length - 1, 'BAD_ALIAS', 'Alias ending in : is ambiguous', true);
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
    alias.range = [offset, valueEnd, re.offset];
    if (re.comment)
        alias.comment = re.comment;
    return alias;
}

exports.composeEmptyNode = composeEmptyNode;
exports.composeNode = composeNode;


/***/ }),

/***/ 5413:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var resolveBlockScalar = __nccwpck_require__(8913);
var resolveFlowScalar = __nccwpck_require__(6842);

function composeScalar(ctx, token, tagToken, onError) {
    const { value, type, comment, range } = token.type === 'block-scalar'
        ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError)
        : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
    const tagName = tagToken
        ? ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg))
        : null;
    let tag;
    if (ctx.options.stringKeys && ctx.atKey) {
        tag = ctx.schema[identity.SCALAR];
    }
    else if (tagName)
        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
    else if (token.type === 'scalar')
        tag = findScalarTagByTest(ctx, value, token, onError);
    else
        tag = ctx.schema[identity.SCALAR];
    let scalar;
    try {
        const res = tag.resolve(value, msg => onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg), ctx.options);
        scalar = identity.isScalar(res) ? res : new Scalar.Scalar(res);
    }
    catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg);
        scalar = new Scalar.Scalar(value);
    }
    scalar.range = range;
    scalar.source = value;
    if (type)
        scalar.type = type;
    if (tagName)
        scalar.tag = tagName;
    if (tag.format)
        scalar.format = tag.format;
    if (comment)
        scalar.comment = comment;
    return scalar;
}
function findScalarTagByName(schema, value, tagName, tagToken, onError) {
    if (tagName === '!')
        return schema[identity.SCALAR]; // non-specific tag
    const matchWithTest = [];
    for (const tag of schema.tags) {
        if (!tag.collection && tag.tag === tagName) {
            if (tag.default && tag.test)
                matchWithTest.push(tag);
            else
                return tag;
        }
    }
    for (const tag of matchWithTest)
        if (tag.test?.test(value))
            return tag;
    const kt = schema.knownTags[tagName];
    if (kt && !kt.collection) {
        // Ensure that the known tag is available for stringifying,
        // but does not get used by default.
        schema.tags.push(Object.assign({}, kt, { default: false, test: undefined }));
        return kt;
    }
    onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, tagName !== 'tag:yaml.org,2002:str');
    return schema[identity.SCALAR];
}
function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
    const tag = schema.tags.find(tag => (tag.default === true || (atKey && tag.default === 'key')) &&
        tag.test?.test(value)) || schema[identity.SCALAR];
    if (schema.compat) {
        const compat = schema.compat.find(tag => tag.default && tag.test?.test(value)) ??
            schema[identity.SCALAR];
        if (tag.tag !== compat.tag) {
            const ts = directives.tagString(tag.tag);
            const cs = directives.tagString(compat.tag);
            const msg = `Value may be parsed as either ${ts} or ${cs}`;
            onError(token, 'TAG_RESOLVE_FAILED', msg, true);
        }
    }
    return tag;
}

exports.composeScalar = composeScalar;


/***/ }),

/***/ 9984:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var directives = __nccwpck_require__(1342);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(1464);
var identity = __nccwpck_require__(1127);
var composeDoc = __nccwpck_require__(3683);
var resolveEnd = __nccwpck_require__(7788);

function getErrorPos(src) {
    if (typeof src === 'number')
        return [src, src + 1];
    if (Array.isArray(src))
        return src.length === 2 ? src : [src[0], src[1]];
    const { offset, source } = src;
    return [offset, offset + (typeof source === 'string' ? source.length : 1)];
}
function parsePrelude(prelude) {
    let comment = '';
    let atComment = false;
    let afterEmptyLine = false;
    for (let i = 0; i < prelude.length; ++i) {
        const source = prelude[i];
        switch (source[0]) {
            case '#':
                comment +=
                    (comment === '' ? '' : afterEmptyLine ? '\n\n' : '\n') +
                        (source.substring(1) || ' ');
                atComment = true;
                afterEmptyLine = false;
                break;
            case '%':
                if (prelude[i + 1]?.[0] !== '#')
                    i += 1;
                atComment = false;
                break;
            default:
                // This may be wrong after doc-end, but in that case it doesn't matter
                if (!atComment)
                    afterEmptyLine = true;
                atComment = false;
        }
    }
    return { comment, afterEmptyLine };
}
/**
 * Compose a stream of CST nodes into a stream of YAML Documents.
 *
 * ```ts
 * import { Composer, Parser } from 'yaml'
 *
 * const src: string = ...
 * const tokens = new Parser().parse(src)
 * const docs = new Composer().compose(tokens)
 * ```
 */
class Composer {
    constructor(options = {}) {
        this.doc = null;
        this.atDirectives = false;
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
        this.onError = (source, code, message, warning) => {
            const pos = getErrorPos(source);
            if (warning)
                this.warnings.push(new errors.YAMLWarning(pos, code, message));
            else
                this.errors.push(new errors.YAMLParseError(pos, code, message));
        };
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        this.directives = new directives.Directives({ version: options.version || '1.2' });
        this.options = options;
    }
    decorate(doc, afterDoc) {
        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
        //console.log({ dc: doc.comment, prelude, comment })
        if (comment) {
            const dc = doc.contents;
            if (afterDoc) {
                doc.comment = doc.comment ? `${doc.comment}\n${comment}` : comment;
            }
            else if (afterEmptyLine || doc.directives.docStart || !dc) {
                doc.commentBefore = comment;
            }
            else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
                let it = dc.items[0];
                if (identity.isPair(it))
                    it = it.key;
                const cb = it.commentBefore;
                it.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
            else {
                const cb = dc.commentBefore;
                dc.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
        }
        if (afterDoc) {
            for (let i = 0; i < this.errors.length; ++i)
                doc.errors.push(this.errors[i]);
            for (let i = 0; i < this.warnings.length; ++i)
                doc.warnings.push(this.warnings[i]);
        }
        else {
            doc.errors = this.errors;
            doc.warnings = this.warnings;
        }
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
    }
    /**
     * Current stream status information.
     *
     * Mostly useful at the end of input for an empty stream.
     */
    streamInfo() {
        return {
            comment: parsePrelude(this.prelude).comment,
            directives: this.directives,
            errors: this.errors,
            warnings: this.warnings
        };
    }
    /**
     * Compose tokens into documents.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *compose(tokens, forceDoc = false, endOffset = -1) {
        for (const token of tokens)
            yield* this.next(token);
        yield* this.end(forceDoc, endOffset);
    }
    /** Advance the composer by one CST token. */
    *next(token) {
        if (node_process.env.LOG_STREAM)
            console.dir(token, { depth: null });
        switch (token.type) {
            case 'directive':
                this.directives.add(token.source, (offset, message, warning) => {
                    const pos = getErrorPos(token);
                    pos[0] += offset;
                    this.onError(pos, 'BAD_DIRECTIVE', message, warning);
                });
                this.prelude.push(token.source);
                this.atDirectives = true;
                break;
            case 'document': {
                const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
                if (this.atDirectives && !doc.directives.docStart)
                    this.onError(token, 'MISSING_CHAR', 'Missing directives-end/doc-start indicator line');
                this.decorate(doc, false);
                if (this.doc)
                    yield this.doc;
                this.doc = doc;
                this.atDirectives = false;
                break;
            }
            case 'byte-order-mark':
            case 'space':
                break;
            case 'comment':
            case 'newline':
                this.prelude.push(token.source);
                break;
            case 'error': {
                const msg = token.source
                    ? `${token.message}: ${JSON.stringify(token.source)}`
                    : token.message;
                const error = new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg);
                if (this.atDirectives || !this.doc)
                    this.errors.push(error);
                else
                    this.doc.errors.push(error);
                break;
            }
            case 'doc-end': {
                if (!this.doc) {
                    const msg = 'Unexpected doc-end without preceding document';
                    this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg));
                    break;
                }
                this.doc.directives.docEnd = true;
                const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
                this.decorate(this.doc, true);
                if (end.comment) {
                    const dc = this.doc.comment;
                    this.doc.comment = dc ? `${dc}\n${end.comment}` : end.comment;
                }
                this.doc.range[2] = end.offset;
                break;
            }
            default:
                this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', `Unsupported token ${token.type}`));
        }
    }
    /**
     * Call at end of input to yield any remaining document.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *end(forceDoc = false, endOffset = -1) {
        if (this.doc) {
            this.decorate(this.doc, true);
            yield this.doc;
            this.doc = null;
        }
        else if (forceDoc) {
            const opts = Object.assign({ _directives: this.directives }, this.options);
            const doc = new Document.Document(undefined, opts);
            if (this.atDirectives)
                this.onError(endOffset, 'MISSING_CHAR', 'Missing directives-end indicator line');
            doc.range = [0, endOffset, endOffset];
            this.decorate(doc, false);
            yield doc;
        }
    }
}

exports.Composer = Composer;


/***/ }),

/***/ 7103:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);
var resolveProps = __nccwpck_require__(4631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilFlowIndentCheck = __nccwpck_require__(4051);
var utilMapIncludes = __nccwpck_require__(1187);

const startColMsg = 'All mapping items must start at the same column';
function resolveBlockMap({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
    const map = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    let offset = bm.offset;
    let commentEnd = null;
    for (const collItem of bm.items) {
        const { start, key, sep, value } = collItem;
        // key properties
        const keyProps = resolveProps.resolveProps(start, {
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: bm.indent,
            startOnNewline: true
        });
        const implicitKey = !keyProps.found;
        if (implicitKey) {
            if (key) {
                if (key.type === 'block-seq')
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'A block sequence may not be used as an implicit map key');
                else if ('indent' in key && key.indent !== bm.indent)
                    onError(offset, 'BAD_INDENT', startColMsg);
            }
            if (!keyProps.anchor && !keyProps.tag && !sep) {
                commentEnd = keyProps.end;
                if (keyProps.comment) {
                    if (map.comment)
                        map.comment += '\n' + keyProps.comment;
                    else
                        map.comment = keyProps.comment;
                }
                continue;
            }
            if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
                onError(key ?? start[start.length - 1], 'MULTILINE_IMPLICIT_KEY', 'Implicit keys need to be on a single line');
            }
        }
        else if (keyProps.found?.indent !== bm.indent) {
            onError(offset, 'BAD_INDENT', startColMsg);
        }
        // key value
        ctx.atKey = true;
        const keyStart = keyProps.end;
        const keyNode = key
            ? composeNode(ctx, key, keyProps, onError)
            : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
        ctx.atKey = false;
        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
            onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
        // value properties
        const valueProps = resolveProps.resolveProps(sep ?? [], {
            indicator: 'map-value-ind',
            next: value,
            offset: keyNode.range[2],
            onError,
            parentIndent: bm.indent,
            startOnNewline: !key || key.type === 'block-scalar'
        });
        offset = valueProps.end;
        if (valueProps.found) {
            if (implicitKey) {
                if (value?.type === 'block-map' && !valueProps.hasNewline)
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'Nested mappings are not allowed in compact mappings');
                if (ctx.options.strict &&
                    keyProps.start < valueProps.found.offset - 1024)
                    onError(keyNode.range, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit block mapping key');
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : composeEmptyNode(ctx, offset, sep, null, valueProps, onError);
            if (ctx.schema.compat)
                utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
            offset = valueNode.range[2];
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
        else {
            // key with no value
            if (implicitKey)
                onError(keyNode.range, 'MISSING_CHAR', 'Implicit map keys need to be followed by map values');
            if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
    }
    if (commentEnd && commentEnd < offset)
        onError(commentEnd, 'IMPOSSIBLE', 'Map comment with trailing content');
    map.range = [bm.offset, offset, commentEnd ?? offset];
    return map;
}

exports.resolveBlockMap = resolveBlockMap;


/***/ }),

/***/ 8913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

function resolveBlockScalar(ctx, scalar, onError) {
    const start = scalar.offset;
    const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
    if (!header)
        return { value: '', type: null, comment: '', range: [start, start, start] };
    const type = header.mode === '>' ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
    const lines = scalar.source ? splitLines(scalar.source) : [];
    // determine the end of content & start of chomping
    let chompStart = lines.length;
    for (let i = lines.length - 1; i >= 0; --i) {
        const content = lines[i][1];
        if (content === '' || content === '\r')
            chompStart = i;
        else
            break;
    }
    // shortcut for empty contents
    if (chompStart === 0) {
        const value = header.chomp === '+' && lines.length > 0
            ? '\n'.repeat(Math.max(1, lines.length - 1))
            : '';
        let end = start + header.length;
        if (scalar.source)
            end += scalar.source.length;
        return { value, type, comment: header.comment, range: [start, end, end] };
    }
    // find the indentation level to trim from start
    let trimIndent = scalar.indent + header.indent;
    let offset = scalar.offset + header.length;
    let contentStart = 0;
    for (let i = 0; i < chompStart; ++i) {
        const [indent, content] = lines[i];
        if (content === '' || content === '\r') {
            if (header.indent === 0 && indent.length > trimIndent)
                trimIndent = indent.length;
        }
        else {
            if (indent.length < trimIndent) {
                const message = 'Block scalars with more-indented leading empty lines must use an explicit indentation indicator';
                onError(offset + indent.length, 'MISSING_CHAR', message);
            }
            if (header.indent === 0)
                trimIndent = indent.length;
            contentStart = i;
            if (trimIndent === 0 && !ctx.atRoot) {
                const message = 'Block scalar values in collections must be indented';
                onError(offset, 'BAD_INDENT', message);
            }
            break;
        }
        offset += indent.length + content.length + 1;
    }
    // include trailing more-indented empty lines in content
    for (let i = lines.length - 1; i >= chompStart; --i) {
        if (lines[i][0].length > trimIndent)
            chompStart = i + 1;
    }
    let value = '';
    let sep = '';
    let prevMoreIndented = false;
    // leading whitespace is kept intact
    for (let i = 0; i < contentStart; ++i)
        value += lines[i][0].slice(trimIndent) + '\n';
    for (let i = contentStart; i < chompStart; ++i) {
        let [indent, content] = lines[i];
        offset += indent.length + content.length + 1;
        const crlf = content[content.length - 1] === '\r';
        if (crlf)
            content = content.slice(0, -1);
        /* istanbul ignore if already caught in lexer */
        if (content && indent.length < trimIndent) {
            const src = header.indent
                ? 'explicit indentation indicator'
                : 'first line';
            const message = `Block scalar lines must not be less indented than their ${src}`;
            onError(offset - content.length - (crlf ? 2 : 1), 'BAD_INDENT', message);
            indent = '';
        }
        if (type === Scalar.Scalar.BLOCK_LITERAL) {
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
        }
        else if (indent.length > trimIndent || content[0] === '\t') {
            // more-indented content within a folded block
            if (sep === ' ')
                sep = '\n';
            else if (!prevMoreIndented && sep === '\n')
                sep = '\n\n';
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
            prevMoreIndented = true;
        }
        else if (content === '') {
            // empty line
            if (sep === '\n')
                value += '\n';
            else
                sep = '\n';
        }
        else {
            value += sep + content;
            sep = ' ';
            prevMoreIndented = false;
        }
    }
    switch (header.chomp) {
        case '-':
            break;
        case '+':
            for (let i = chompStart; i < lines.length; ++i)
                value += '\n' + lines[i][0].slice(trimIndent);
            if (value[value.length - 1] !== '\n')
                value += '\n';
            break;
        default:
            value += '\n';
    }
    const end = start + header.length + scalar.source.length;
    return { value, type, comment: header.comment, range: [start, end, end] };
}
function parseBlockScalarHeader({ offset, props }, strict, onError) {
    /* istanbul ignore if should not happen */
    if (props[0].type !== 'block-scalar-header') {
        onError(props[0], 'IMPOSSIBLE', 'Block scalar header not found');
        return null;
    }
    const { source } = props[0];
    const mode = source[0];
    let indent = 0;
    let chomp = '';
    let error = -1;
    for (let i = 1; i < source.length; ++i) {
        const ch = source[i];
        if (!chomp && (ch === '-' || ch === '+'))
            chomp = ch;
        else {
            const n = Number(ch);
            if (!indent && n)
                indent = n;
            else if (error === -1)
                error = offset + i;
        }
    }
    if (error !== -1)
        onError(error, 'UNEXPECTED_TOKEN', `Block scalar header includes extra characters: ${source}`);
    let hasSpace = false;
    let comment = '';
    let length = source.length;
    for (let i = 1; i < props.length; ++i) {
        const token = props[i];
        switch (token.type) {
            case 'space':
                hasSpace = true;
            // fallthrough
            case 'newline':
                length += token.source.length;
                break;
            case 'comment':
                if (strict && !hasSpace) {
                    const message = 'Comments must be separated from other tokens by white space characters';
                    onError(token, 'MISSING_CHAR', message);
                }
                length += token.source.length;
                comment = token.source.substring(1);
                break;
            case 'error':
                onError(token, 'UNEXPECTED_TOKEN', token.message);
                length += token.source.length;
                break;
            /* istanbul ignore next should not happen */
            default: {
                const message = `Unexpected token in block scalar header: ${token.type}`;
                onError(token, 'UNEXPECTED_TOKEN', message);
                const ts = token.source;
                if (ts && typeof ts === 'string')
                    length += ts.length;
            }
        }
    }
    return { mode, indent, chomp, comment, length };
}
/** @returns Array of lines split up as `[indent, content]` */
function splitLines(source) {
    const split = source.split(/\n( *)/);
    const first = split[0];
    const m = first.match(/^( *)/);
    const line0 = m?.[1]
        ? [m[1], first.slice(m[1].length)]
        : ['', first];
    const lines = [line0];
    for (let i = 1; i < split.length; i += 2)
        lines.push([split[i], split[i + 1]]);
    return lines;
}

exports.resolveBlockScalar = resolveBlockScalar;


/***/ }),

/***/ 334:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var YAMLSeq = __nccwpck_require__(2223);
var resolveProps = __nccwpck_require__(4631);
var utilFlowIndentCheck = __nccwpck_require__(4051);

function resolveBlockSeq({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
    const seq = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = bs.offset;
    let commentEnd = null;
    for (const { start, value } of bs.items) {
        const props = resolveProps.resolveProps(start, {
            indicator: 'seq-item-ind',
            next: value,
            offset,
            onError,
            parentIndent: bs.indent,
            startOnNewline: true
        });
        if (!props.found) {
            if (props.anchor || props.tag || value) {
                if (value?.type === 'block-seq')
                    onError(props.end, 'BAD_INDENT', 'All sequence items must start at the same column');
                else
                    onError(offset, 'MISSING_CHAR', 'Sequence item without - indicator');
            }
            else {
                commentEnd = props.end;
                if (props.comment)
                    seq.comment = props.comment;
                continue;
            }
        }
        const node = value
            ? composeNode(ctx, value, props, onError)
            : composeEmptyNode(ctx, props.end, start, null, props, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
        offset = node.range[2];
        seq.items.push(node);
    }
    seq.range = [bs.offset, offset, commentEnd ?? offset];
    return seq;
}

exports.resolveBlockSeq = resolveBlockSeq;


/***/ }),

/***/ 7788:
/***/ ((__unused_webpack_module, exports) => {



function resolveEnd(end, offset, reqSpace, onError) {
    let comment = '';
    if (end) {
        let hasSpace = false;
        let sep = '';
        for (const token of end) {
            const { source, type } = token;
            switch (type) {
                case 'space':
                    hasSpace = true;
                    break;
                case 'comment': {
                    if (reqSpace && !hasSpace)
                        onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                    const cb = source.substring(1) || ' ';
                    if (!comment)
                        comment = cb;
                    else
                        comment += sep + cb;
                    sep = '';
                    break;
                }
                case 'newline':
                    if (comment)
                        sep += source;
                    hasSpace = true;
                    break;
                default:
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${type} at node end`);
            }
            offset += source.length;
        }
    }
    return { comment, offset };
}

exports.resolveEnd = resolveEnd;


/***/ }),

/***/ 3142:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var resolveEnd = __nccwpck_require__(7788);
var resolveProps = __nccwpck_require__(4631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilMapIncludes = __nccwpck_require__(1187);

const blockMsg = 'Block collections are not allowed within flow collections';
const isBlock = (token) => token && (token.type === 'block-map' || token.type === 'block-seq');
function resolveFlowCollection({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
    const isMap = fc.start.source === '{';
    const fcName = isMap ? 'flow map' : 'flow sequence';
    const NodeClass = (tag?.nodeClass ?? (isMap ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq));
    const coll = new NodeClass(ctx.schema);
    coll.flow = true;
    const atRoot = ctx.atRoot;
    if (atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = fc.offset + fc.start.source.length;
    for (let i = 0; i < fc.items.length; ++i) {
        const collItem = fc.items[i];
        const { start, key, sep, value } = collItem;
        const props = resolveProps.resolveProps(start, {
            flow: fcName,
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: fc.indent,
            startOnNewline: false
        });
        if (!props.found) {
            if (!props.anchor && !props.tag && !sep && !value) {
                if (i === 0 && props.comma)
                    onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
                else if (i < fc.items.length - 1)
                    onError(props.start, 'UNEXPECTED_TOKEN', `Unexpected empty item in ${fcName}`);
                if (props.comment) {
                    if (coll.comment)
                        coll.comment += '\n' + props.comment;
                    else
                        coll.comment = props.comment;
                }
                offset = props.end;
                continue;
            }
            if (!isMap && ctx.options.strict && utilContainsNewline.containsNewline(key))
                onError(key, // checked by containsNewline()
                'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
        }
        if (i === 0) {
            if (props.comma)
                onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
        }
        else {
            if (!props.comma)
                onError(props.start, 'MISSING_CHAR', `Missing , between ${fcName} items`);
            if (props.comment) {
                let prevItemComment = '';
                loop: for (const st of start) {
                    switch (st.type) {
                        case 'comma':
                        case 'space':
                            break;
                        case 'comment':
                            prevItemComment = st.source.substring(1);
                            break loop;
                        default:
                            break loop;
                    }
                }
                if (prevItemComment) {
                    let prev = coll.items[coll.items.length - 1];
                    if (identity.isPair(prev))
                        prev = prev.value ?? prev.key;
                    if (prev.comment)
                        prev.comment += '\n' + prevItemComment;
                    else
                        prev.comment = prevItemComment;
                    props.comment = props.comment.substring(prevItemComment.length + 1);
                }
            }
        }
        if (!isMap && !sep && !props.found) {
            // item is a value in a seq
            // → key & sep are empty, start does not include ? or :
            const valueNode = value
                ? composeNode(ctx, value, props, onError)
                : composeEmptyNode(ctx, props.end, sep, null, props, onError);
            coll.items.push(valueNode);
            offset = valueNode.range[2];
            if (isBlock(value))
                onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
        }
        else {
            // item is a key+value pair
            // key value
            ctx.atKey = true;
            const keyStart = props.end;
            const keyNode = key
                ? composeNode(ctx, key, props, onError)
                : composeEmptyNode(ctx, keyStart, start, null, props, onError);
            if (isBlock(key))
                onError(keyNode.range, 'BLOCK_IN_FLOW', blockMsg);
            ctx.atKey = false;
            // value properties
            const valueProps = resolveProps.resolveProps(sep ?? [], {
                flow: fcName,
                indicator: 'map-value-ind',
                next: value,
                offset: keyNode.range[2],
                onError,
                parentIndent: fc.indent,
                startOnNewline: false
            });
            if (valueProps.found) {
                if (!isMap && !props.found && ctx.options.strict) {
                    if (sep)
                        for (const st of sep) {
                            if (st === valueProps.found)
                                break;
                            if (st.type === 'newline') {
                                onError(st, 'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
                                break;
                            }
                        }
                    if (props.start < valueProps.found.offset - 1024)
                        onError(valueProps.found, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit flow sequence key');
                }
            }
            else if (value) {
                if ('source' in value && value.source?.[0] === ':')
                    onError(value, 'MISSING_CHAR', `Missing space after : in ${fcName}`);
                else
                    onError(valueProps.start, 'MISSING_CHAR', `Missing , or : between ${fcName} items`);
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : valueProps.found
                    ? composeEmptyNode(ctx, valueProps.end, sep, null, valueProps, onError)
                    : null;
            if (valueNode) {
                if (isBlock(value))
                    onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
            }
            else if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            if (isMap) {
                const map = coll;
                if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
                    onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
                map.items.push(pair);
            }
            else {
                const map = new YAMLMap.YAMLMap(ctx.schema);
                map.flow = true;
                map.items.push(pair);
                const endRange = (valueNode ?? keyNode).range;
                map.range = [keyNode.range[0], endRange[1], endRange[2]];
                coll.items.push(map);
            }
            offset = valueNode ? valueNode.range[2] : valueProps.end;
        }
    }
    const expectedEnd = isMap ? '}' : ']';
    const [ce, ...ee] = fc.end;
    let cePos = offset;
    if (ce?.source === expectedEnd)
        cePos = ce.offset + ce.source.length;
    else {
        const name = fcName[0].toUpperCase() + fcName.substring(1);
        const msg = atRoot
            ? `${name} must end with a ${expectedEnd}`
            : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        onError(offset, atRoot ? 'MISSING_CHAR' : 'BAD_INDENT', msg);
        if (ce && ce.source.length !== 1)
            ee.unshift(ce);
    }
    if (ee.length > 0) {
        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
        if (end.comment) {
            if (coll.comment)
                coll.comment += '\n' + end.comment;
            else
                coll.comment = end.comment;
        }
        coll.range = [fc.offset, cePos, end.offset];
    }
    else {
        coll.range = [fc.offset, cePos, cePos];
    }
    return coll;
}

exports.resolveFlowCollection = resolveFlowCollection;


/***/ }),

/***/ 6842:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var resolveEnd = __nccwpck_require__(7788);

function resolveFlowScalar(scalar, strict, onError) {
    const { offset, type, source, end } = scalar;
    let _type;
    let value;
    const _onError = (rel, code, msg) => onError(offset + rel, code, msg);
    switch (type) {
        case 'scalar':
            _type = Scalar.Scalar.PLAIN;
            value = plainValue(source, _onError);
            break;
        case 'single-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_SINGLE;
            value = singleQuotedValue(source, _onError);
            break;
        case 'double-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_DOUBLE;
            value = doubleQuotedValue(source, _onError);
            break;
        /* istanbul ignore next should not happen */
        default:
            onError(scalar, 'UNEXPECTED_TOKEN', `Expected a flow scalar value, but found: ${type}`);
            return {
                value: '',
                type: null,
                comment: '',
                range: [offset, offset + source.length, offset + source.length]
            };
    }
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
    return {
        value,
        type: _type,
        comment: re.comment,
        range: [offset, valueEnd, re.offset]
    };
}
function plainValue(source, onError) {
    let badChar = '';
    switch (source[0]) {
        /* istanbul ignore next should not happen */
        case '\t':
            badChar = 'a tab character';
            break;
        case ',':
            badChar = 'flow indicator character ,';
            break;
        case '%':
            badChar = 'directive indicator character %';
            break;
        case '|':
        case '>': {
            badChar = `block scalar indicator ${source[0]}`;
            break;
        }
        case '@':
        case '`': {
            badChar = `reserved character ${source[0]}`;
            break;
        }
    }
    if (badChar)
        onError(0, 'BAD_SCALAR_START', `Plain value cannot start with ${badChar}`);
    return unfoldLines(source);
}
function singleQuotedValue(source, onError) {
    if (source[source.length - 1] !== "'" || source.length === 1)
        onError(source.length, 'MISSING_CHAR', "Missing closing 'quote");
    return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
}
function unfoldLines(source) {
    const line = /(.*?)\r?\n/sy;
    let match = line.exec(source);
    if (!match)
        return source;
    /**
     * The negative lookbehinds in these RegExps are to
     * prevent causing a polynomial search time in certain cases.
     *
     * The try-catch is for Safari < 16.4 and other old browsers:
     * https://caniuse.com/js-regexp-lookbehind
     */
    let trimEnd, trimBoth;
    try {
        trimEnd = new RegExp('(?<![ \t])[ \t]+$');
        trimBoth = new RegExp('^[ \t]+|(?<![ \t])[ \t]+$', 'g');
    }
    catch {
        trimEnd = /[ \t]+$/;
        trimBoth = /^[ \t]+|[ \t]+$/g;
    }
    let res = match[1].replace(trimEnd, '');
    let sep = ' ';
    let pos = line.lastIndex;
    while ((match = line.exec(source))) {
        const lm = match[1].replace(trimBoth, '');
        if (lm === '') {
            if (sep === '\n')
                res += sep;
            else
                sep = '\n';
        }
        else {
            res += sep + lm;
            sep = ' ';
        }
        pos = line.lastIndex;
    }
    const last = /[ \t]*(.*)/sy;
    last.lastIndex = pos;
    match = last.exec(source);
    return res + sep + (match?.[1] ?? '');
}
function doubleQuotedValue(source, onError) {
    let res = '';
    for (let i = 1; i < source.length - 1; ++i) {
        const ch = source[i];
        if (ch === '\r' && source[i + 1] === '\n')
            continue;
        if (ch === '\n') {
            const { fold, offset } = foldNewline(source, i);
            res += fold;
            i = offset;
        }
        else if (ch === '\\') {
            let next = source[++i];
            const cc = escapeCodes[next];
            if (cc)
                res += cc;
            else if (next === '\n') {
                // skip escaped newlines, but still trim the following line
                next = source[i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === '\r' && source[i + 1] === '\n') {
                // skip escaped CRLF newlines, but still trim the following line
                next = source[++i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === 'x' || next === 'u' || next === 'U') {
                const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
                res += parseCharCode(source, i + 1, length, onError);
                i += length;
            }
            else {
                const raw = source.substr(i - 1, 2);
                onError(i - 1, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
                res += raw;
            }
        }
        else if (ch === ' ' || ch === '\t') {
            // trim trailing whitespace
            const wsStart = i;
            let next = source[i + 1];
            while (next === ' ' || next === '\t')
                next = source[++i + 1];
            if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n'))
                res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
        }
        else {
            res += ch;
        }
    }
    if (source[source.length - 1] !== '"' || source.length === 1)
        onError(source.length, 'MISSING_CHAR', 'Missing closing "quote');
    return res;
}
/**
 * Fold a single newline into a space, multiple newlines to N - 1 newlines.
 * Presumes `source[offset] === '\n'`
 */
function foldNewline(source, offset) {
    let fold = '';
    let ch = source[offset + 1];
    while (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        if (ch === '\r' && source[offset + 2] !== '\n')
            break;
        if (ch === '\n')
            fold += '\n';
        offset += 1;
        ch = source[offset + 1];
    }
    if (!fold)
        fold = ' ';
    return { fold, offset };
}
const escapeCodes = {
    '0': '\0', // null character
    a: '\x07', // bell character
    b: '\b', // backspace
    e: '\x1b', // escape character
    f: '\f', // form feed
    n: '\n', // line feed
    r: '\r', // carriage return
    t: '\t', // horizontal tab
    v: '\v', // vertical tab
    N: '\u0085', // Unicode next line
    _: '\u00a0', // Unicode non-breaking space
    L: '\u2028', // Unicode line separator
    P: '\u2029', // Unicode paragraph separator
    ' ': ' ',
    '"': '"',
    '/': '/',
    '\\': '\\',
    '\t': '\t'
};
function parseCharCode(source, offset, length, onError) {
    const cc = source.substr(offset, length);
    const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
    const code = ok ? parseInt(cc, 16) : NaN;
    try {
        return String.fromCodePoint(code);
    }
    catch {
        const raw = source.substr(offset - 2, length + 2);
        onError(offset - 2, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
        return raw;
    }
}

exports.resolveFlowScalar = resolveFlowScalar;


/***/ }),

/***/ 4631:
/***/ ((__unused_webpack_module, exports) => {



function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
    let spaceBefore = false;
    let atNewline = startOnNewline;
    let hasSpace = startOnNewline;
    let comment = '';
    let commentSep = '';
    let hasNewline = false;
    let reqSpace = false;
    let tab = null;
    let anchor = null;
    let tag = null;
    let newlineAfterProp = null;
    let comma = null;
    let found = null;
    let start = null;
    for (const token of tokens) {
        if (reqSpace) {
            if (token.type !== 'space' &&
                token.type !== 'newline' &&
                token.type !== 'comma')
                onError(token.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
            reqSpace = false;
        }
        if (tab) {
            if (atNewline && token.type !== 'comment' && token.type !== 'newline') {
                onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
            }
            tab = null;
        }
        switch (token.type) {
            case 'space':
                // At the doc level, tabs at line start may be parsed
                // as leading white space rather than indentation.
                // In a flow collection, only the parser handles indent.
                if (!flow &&
                    (indicator !== 'doc-start' || next?.type !== 'flow-collection') &&
                    token.source.includes('\t')) {
                    tab = token;
                }
                hasSpace = true;
                break;
            case 'comment': {
                if (!hasSpace)
                    onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                const cb = token.source.substring(1) || ' ';
                if (!comment)
                    comment = cb;
                else
                    comment += commentSep + cb;
                commentSep = '';
                atNewline = false;
                break;
            }
            case 'newline':
                if (atNewline) {
                    if (comment)
                        comment += token.source;
                    else if (!found || indicator !== 'seq-item-ind')
                        spaceBefore = true;
                }
                else
                    commentSep += token.source;
                atNewline = true;
                hasNewline = true;
                if (anchor || tag)
                    newlineAfterProp = token;
                hasSpace = true;
                break;
            case 'anchor':
                if (anchor)
                    onError(token, 'MULTIPLE_ANCHORS', 'A node can have at most one anchor');
                if (token.source.endsWith(':'))
                    onError(token.offset + token.source.length - 1, 'BAD_ALIAS', 'Anchor ending in : is ambiguous', true);
                anchor = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            case 'tag': {
                if (tag)
                    onError(token, 'MULTIPLE_TAGS', 'A node can have at most one tag');
                tag = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            }
            case indicator:
                // Could here handle preceding comments differently
                if (anchor || tag)
                    onError(token, 'BAD_PROP_ORDER', `Anchors and tags must be after the ${token.source} indicator`);
                if (found)
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.source} in ${flow ?? 'collection'}`);
                found = token;
                atNewline =
                    indicator === 'seq-item-ind' || indicator === 'explicit-key-ind';
                hasSpace = false;
                break;
            case 'comma':
                if (flow) {
                    if (comma)
                        onError(token, 'UNEXPECTED_TOKEN', `Unexpected , in ${flow}`);
                    comma = token;
                    atNewline = false;
                    hasSpace = false;
                    break;
                }
            // else fallthrough
            default:
                onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.type} token`);
                atNewline = false;
                hasSpace = false;
        }
    }
    const last = tokens[tokens.length - 1];
    const end = last ? last.offset + last.source.length : offset;
    if (reqSpace &&
        next &&
        next.type !== 'space' &&
        next.type !== 'newline' &&
        next.type !== 'comma' &&
        (next.type !== 'scalar' || next.source !== '')) {
        onError(next.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
    }
    if (tab &&
        ((atNewline && tab.indent <= parentIndent) ||
            next?.type === 'block-map' ||
            next?.type === 'block-seq'))
        onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
    return {
        comma,
        found,
        spaceBefore,
        comment,
        hasNewline,
        anchor,
        tag,
        newlineAfterProp,
        end,
        start: start ?? end
    };
}

exports.resolveProps = resolveProps;


/***/ }),

/***/ 9499:
/***/ ((__unused_webpack_module, exports) => {



function containsNewline(key) {
    if (!key)
        return null;
    switch (key.type) {
        case 'alias':
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            if (key.source.includes('\n'))
                return true;
            if (key.end)
                for (const st of key.end)
                    if (st.type === 'newline')
                        return true;
            return false;
        case 'flow-collection':
            for (const it of key.items) {
                for (const st of it.start)
                    if (st.type === 'newline')
                        return true;
                if (it.sep)
                    for (const st of it.sep)
                        if (st.type === 'newline')
                            return true;
                if (containsNewline(it.key) || containsNewline(it.value))
                    return true;
            }
            return false;
        default:
            return true;
    }
}

exports.containsNewline = containsNewline;


/***/ }),

/***/ 2599:
/***/ ((__unused_webpack_module, exports) => {



function emptyScalarPosition(offset, before, pos) {
    if (before) {
        pos ?? (pos = before.length);
        for (let i = pos - 1; i >= 0; --i) {
            let st = before[i];
            switch (st.type) {
                case 'space':
                case 'comment':
                case 'newline':
                    offset -= st.source.length;
                    continue;
            }
            // Technically, an empty scalar is immediately after the last non-empty
            // node, but it's more useful to place it after any whitespace.
            st = before[++i];
            while (st?.type === 'space') {
                offset += st.source.length;
                st = before[++i];
            }
            break;
        }
    }
    return offset;
}

exports.emptyScalarPosition = emptyScalarPosition;


/***/ }),

/***/ 4051:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var utilContainsNewline = __nccwpck_require__(9499);

function flowIndentCheck(indent, fc, onError) {
    if (fc?.type === 'flow-collection') {
        const end = fc.end[0];
        if (end.indent === indent &&
            (end.source === ']' || end.source === '}') &&
            utilContainsNewline.containsNewline(fc)) {
            const msg = 'Flow end indicator should be more indented than parent';
            onError(end, 'BAD_INDENT', msg, true);
        }
    }
}

exports.flowIndentCheck = flowIndentCheck;


/***/ }),

/***/ 1187:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

function mapIncludes(ctx, items, search) {
    const { uniqueKeys } = ctx.options;
    if (uniqueKeys === false)
        return false;
    const isEqual = typeof uniqueKeys === 'function'
        ? uniqueKeys
        : (a, b) => a === b || (identity.isScalar(a) && identity.isScalar(b) && a.value === b.value);
    return items.some(pair => isEqual(pair.key, search));
}

exports.mapIncludes = mapIncludes;


/***/ }),

/***/ 3021:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var toJS = __nccwpck_require__(4043);
var Schema = __nccwpck_require__(5840);
var stringifyDocument = __nccwpck_require__(6829);
var anchors = __nccwpck_require__(1596);
var applyReviver = __nccwpck_require__(3661);
var createNode = __nccwpck_require__(2404);
var directives = __nccwpck_require__(1342);

class Document {
    constructor(value, replacer, options) {
        /** A comment before this Document */
        this.commentBefore = null;
        /** A comment immediately after this Document */
        this.comment = null;
        /** Errors encountered during parsing. */
        this.errors = [];
        /** Warnings encountered during parsing. */
        this.warnings = [];
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
        let _replacer = null;
        if (typeof replacer === 'function' || Array.isArray(replacer)) {
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const opt = Object.assign({
            intAsBigInt: false,
            keepSourceTokens: false,
            logLevel: 'warn',
            prettyErrors: true,
            strict: true,
            stringKeys: false,
            uniqueKeys: true,
            version: '1.2'
        }, options);
        this.options = opt;
        let { version } = opt;
        if (options?._directives) {
            this.directives = options._directives.atDocument();
            if (this.directives.yaml.explicit)
                version = this.directives.yaml.version;
        }
        else
            this.directives = new directives.Directives({ version });
        this.setSchema(version, options);
        // @ts-expect-error We can't really know that this matches Contents.
        this.contents =
            value === undefined ? null : this.createNode(value, _replacer, options);
    }
    /**
     * Create a deep copy of this Document and its contents.
     *
     * Custom Node values that inherit from `Object` still refer to their original instances.
     */
    clone() {
        const copy = Object.create(Document.prototype, {
            [identity.NODE_TYPE]: { value: identity.DOC }
        });
        copy.commentBefore = this.commentBefore;
        copy.comment = this.comment;
        copy.errors = this.errors.slice();
        copy.warnings = this.warnings.slice();
        copy.options = Object.assign({}, this.options);
        if (this.directives)
            copy.directives = this.directives.clone();
        copy.schema = this.schema.clone();
        // @ts-expect-error We can't really know that this matches Contents.
        copy.contents = identity.isNode(this.contents)
            ? this.contents.clone(copy.schema)
            : this.contents;
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** Adds a value to the document. */
    add(value) {
        if (assertCollection(this.contents))
            this.contents.add(value);
    }
    /** Adds a value to the document. */
    addIn(path, value) {
        if (assertCollection(this.contents))
            this.contents.addIn(path, value);
    }
    /**
     * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
     *
     * If `node` already has an anchor, `name` is ignored.
     * Otherwise, the `node.anchor` value will be set to `name`,
     * or if an anchor with that name is already present in the document,
     * `name` will be used as a prefix for a new unique anchor.
     * If `name` is undefined, the generated anchor will use 'a' as a prefix.
     */
    createAlias(node, name) {
        if (!node.anchor) {
            const prev = anchors.anchorNames(this);
            node.anchor =
                // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
                !name || prev.has(name) ? anchors.findNewAnchor(name || 'a', prev) : name;
        }
        return new Alias.Alias(node.anchor);
    }
    createNode(value, replacer, options) {
        let _replacer = undefined;
        if (typeof replacer === 'function') {
            value = replacer.call({ '': value }, '', value);
            _replacer = replacer;
        }
        else if (Array.isArray(replacer)) {
            const keyToStr = (v) => typeof v === 'number' || v instanceof String || v instanceof Number;
            const asStr = replacer.filter(keyToStr).map(String);
            if (asStr.length > 0)
                replacer = replacer.concat(asStr);
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(this, 
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        anchorPrefix || 'a');
        const ctx = {
            aliasDuplicateObjects: aliasDuplicateObjects ?? true,
            keepUndefined: keepUndefined ?? false,
            onAnchor,
            onTagObj,
            replacer: _replacer,
            schema: this.schema,
            sourceObjects
        };
        const node = createNode.createNode(value, tag, ctx);
        if (flow && identity.isCollection(node))
            node.flow = true;
        setAnchors();
        return node;
    }
    /**
     * Convert a key and a value into a `Pair` using the current schema,
     * recursively wrapping all values as `Scalar` or `Collection` nodes.
     */
    createPair(key, value, options = {}) {
        const k = this.createNode(key, null, options);
        const v = this.createNode(value, null, options);
        return new Pair.Pair(k, v);
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        return assertCollection(this.contents) ? this.contents.delete(key) : false;
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        if (Collection.isEmptyPath(path)) {
            if (this.contents == null)
                return false;
            // @ts-expect-error Presumed impossible if Strict extends false
            this.contents = null;
            return true;
        }
        return assertCollection(this.contents)
            ? this.contents.deleteIn(path)
            : false;
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    get(key, keepScalar) {
        return identity.isCollection(this.contents)
            ? this.contents.get(key, keepScalar)
            : undefined;
    }
    /**
     * Returns item at `path`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        if (Collection.isEmptyPath(path))
            return !keepScalar && identity.isScalar(this.contents)
                ? this.contents.value
                : this.contents;
        return identity.isCollection(this.contents)
            ? this.contents.getIn(path, keepScalar)
            : undefined;
    }
    /**
     * Checks if the document includes a value with the key `key`.
     */
    has(key) {
        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
    }
    /**
     * Checks if the document includes a value at `path`.
     */
    hasIn(path) {
        if (Collection.isEmptyPath(path))
            return this.contents !== undefined;
        return identity.isCollection(this.contents) ? this.contents.hasIn(path) : false;
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    set(key, value) {
        if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, [key], value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.set(key, value);
        }
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        if (Collection.isEmptyPath(path)) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = value;
        }
        else if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, Array.from(path), value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.setIn(path, value);
        }
    }
    /**
     * Change the YAML version and schema used by the document.
     * A `null` version disables support for directives, explicit tags, anchors, and aliases.
     * It also requires the `schema` option to be given as a `Schema` instance value.
     *
     * Overrides all previously set schema options.
     */
    setSchema(version, options = {}) {
        if (typeof version === 'number')
            version = String(version);
        let opt;
        switch (version) {
            case '1.1':
                if (this.directives)
                    this.directives.yaml.version = '1.1';
                else
                    this.directives = new directives.Directives({ version: '1.1' });
                opt = { resolveKnownTags: false, schema: 'yaml-1.1' };
                break;
            case '1.2':
            case 'next':
                if (this.directives)
                    this.directives.yaml.version = version;
                else
                    this.directives = new directives.Directives({ version });
                opt = { resolveKnownTags: true, schema: 'core' };
                break;
            case null:
                if (this.directives)
                    delete this.directives;
                opt = null;
                break;
            default: {
                const sv = JSON.stringify(version);
                throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
            }
        }
        // Not using `instanceof Schema` to allow for duck typing
        if (options.schema instanceof Object)
            this.schema = options.schema;
        else if (opt)
            this.schema = new Schema.Schema(Object.assign(opt, options));
        else
            throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
    }
    // json & jsonArg are only used from toJSON()
    toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        const ctx = {
            anchors: new Map(),
            doc: this,
            keep: !json,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this.contents, jsonArg ?? '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
    /**
     * A JSON representation of the document `contents`.
     *
     * @param jsonArg Used by `JSON.stringify` to indicate the array index or
     *   property name.
     */
    toJSON(jsonArg, onAnchor) {
        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
    }
    /** A YAML representation of the document. */
    toString(options = {}) {
        if (this.errors.length > 0)
            throw new Error('Document with errors cannot be stringified');
        if ('indent' in options &&
            (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
            const s = JSON.stringify(options.indent);
            throw new Error(`"indent" option must be a positive integer, not ${s}`);
        }
        return stringifyDocument.stringifyDocument(this, options);
    }
}
function assertCollection(contents) {
    if (identity.isCollection(contents))
        return true;
    throw new Error('Expected a YAML collection as document contents');
}

exports.Document = Document;


/***/ }),

/***/ 1596:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var visit = __nccwpck_require__(204);

/**
 * Verify that the input string is a valid anchor.
 *
 * Will throw on errors.
 */
function anchorIsValid(anchor) {
    if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
        const sa = JSON.stringify(anchor);
        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
        throw new Error(msg);
    }
    return true;
}
function anchorNames(root) {
    const anchors = new Set();
    visit.visit(root, {
        Value(_key, node) {
            if (node.anchor)
                anchors.add(node.anchor);
        }
    });
    return anchors;
}
/** Find a new anchor name with the given `prefix` and a one-indexed suffix. */
function findNewAnchor(prefix, exclude) {
    for (let i = 1; true; ++i) {
        const name = `${prefix}${i}`;
        if (!exclude.has(name))
            return name;
    }
}
function createNodeAnchors(doc, prefix) {
    const aliasObjects = [];
    const sourceObjects = new Map();
    let prevAnchors = null;
    return {
        onAnchor: (source) => {
            aliasObjects.push(source);
            prevAnchors ?? (prevAnchors = anchorNames(doc));
            const anchor = findNewAnchor(prefix, prevAnchors);
            prevAnchors.add(anchor);
            return anchor;
        },
        /**
         * With circular references, the source node is only resolved after all
         * of its child nodes are. This is why anchors are set only after all of
         * the nodes have been created.
         */
        setAnchors: () => {
            for (const source of aliasObjects) {
                const ref = sourceObjects.get(source);
                if (typeof ref === 'object' &&
                    ref.anchor &&
                    (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
                    ref.node.anchor = ref.anchor;
                }
                else {
                    const error = new Error('Failed to resolve repeated object (this should not happen)');
                    error.source = source;
                    throw error;
                }
            }
        },
        sourceObjects
    };
}

exports.anchorIsValid = anchorIsValid;
exports.anchorNames = anchorNames;
exports.createNodeAnchors = createNodeAnchors;
exports.findNewAnchor = findNewAnchor;


/***/ }),

/***/ 3661:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Applies the JSON.parse reviver algorithm as defined in the ECMA-262 spec,
 * in section 24.5.1.1 "Runtime Semantics: InternalizeJSONProperty" of the
 * 2021 edition: https://tc39.es/ecma262/#sec-json.parse
 *
 * Includes extensions for handling Map and Set objects.
 */
function applyReviver(reviver, obj, key, val) {
    if (val && typeof val === 'object') {
        if (Array.isArray(val)) {
            for (let i = 0, len = val.length; i < len; ++i) {
                const v0 = val[i];
                const v1 = applyReviver(reviver, val, String(i), v0);
                // eslint-disable-next-line @typescript-eslint/no-array-delete
                if (v1 === undefined)
                    delete val[i];
                else if (v1 !== v0)
                    val[i] = v1;
            }
        }
        else if (val instanceof Map) {
            for (const k of Array.from(val.keys())) {
                const v0 = val.get(k);
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    val.delete(k);
                else if (v1 !== v0)
                    val.set(k, v1);
            }
        }
        else if (val instanceof Set) {
            for (const v0 of Array.from(val)) {
                const v1 = applyReviver(reviver, val, v0, v0);
                if (v1 === undefined)
                    val.delete(v0);
                else if (v1 !== v0) {
                    val.delete(v0);
                    val.add(v1);
                }
            }
        }
        else {
            for (const [k, v0] of Object.entries(val)) {
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    delete val[k];
                else if (v1 !== v0)
                    val[k] = v1;
            }
        }
    }
    return reviver.call(obj, key, val);
}

exports.applyReviver = applyReviver;


/***/ }),

/***/ 2404:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);

const defaultTagPrefix = 'tag:yaml.org,2002:';
function findTagObject(value, tagName, tags) {
    if (tagName) {
        const match = tags.filter(t => t.tag === tagName);
        const tagObj = match.find(t => !t.format) ?? match[0];
        if (!tagObj)
            throw new Error(`Tag ${tagName} not found`);
        return tagObj;
    }
    return tags.find(t => t.identify?.(value) && !t.format);
}
function createNode(value, tagName, ctx) {
    if (identity.isDocument(value))
        value = value.contents;
    if (identity.isNode(value))
        return value;
    if (identity.isPair(value)) {
        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
        map.items.push(value);
        return map;
    }
    if (value instanceof String ||
        value instanceof Number ||
        value instanceof Boolean ||
        (typeof BigInt !== 'undefined' && value instanceof BigInt) // not supported everywhere
    ) {
        // https://tc39.es/ecma262/#sec-serializejsonproperty
        value = value.valueOf();
    }
    const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
    // Detect duplicate references to the same object & use Alias nodes for all
    // after first. The `ref` wrapper allows for circular references to resolve.
    let ref = undefined;
    if (aliasDuplicateObjects && value && typeof value === 'object') {
        ref = sourceObjects.get(value);
        if (ref) {
            ref.anchor ?? (ref.anchor = onAnchor(value));
            return new Alias.Alias(ref.anchor);
        }
        else {
            ref = { anchor: null, node: null };
            sourceObjects.set(value, ref);
        }
    }
    if (tagName?.startsWith('!!'))
        tagName = defaultTagPrefix + tagName.slice(2);
    let tagObj = findTagObject(value, tagName, schema.tags);
    if (!tagObj) {
        if (value && typeof value.toJSON === 'function') {
            // eslint-disable-next-line @typescript-eslint/no-unsafe-call
            value = value.toJSON();
        }
        if (!value || typeof value !== 'object') {
            const node = new Scalar.Scalar(value);
            if (ref)
                ref.node = node;
            return node;
        }
        tagObj =
            value instanceof Map
                ? schema[identity.MAP]
                : Symbol.iterator in Object(value)
                    ? schema[identity.SEQ]
                    : schema[identity.MAP];
    }
    if (onTagObj) {
        onTagObj(tagObj);
        delete ctx.onTagObj;
    }
    const node = tagObj?.createNode
        ? tagObj.createNode(ctx.schema, value, ctx)
        : typeof tagObj?.nodeClass?.from === 'function'
            ? tagObj.nodeClass.from(ctx.schema, value, ctx)
            : new Scalar.Scalar(value);
    if (tagName)
        node.tag = tagName;
    else if (!tagObj.default)
        node.tag = tagObj.tag;
    if (ref)
        ref.node = node;
    return node;
}

exports.createNode = createNode;


/***/ }),

/***/ 1342:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var visit = __nccwpck_require__(204);

const escapeChars = {
    '!': '%21',
    ',': '%2C',
    '[': '%5B',
    ']': '%5D',
    '{': '%7B',
    '}': '%7D'
};
const escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, ch => escapeChars[ch]);
class Directives {
    constructor(yaml, tags) {
        /**
         * The directives-end/doc-start marker `---`. If `null`, a marker may still be
         * included in the document's stringified representation.
         */
        this.docStart = null;
        /** The doc-end marker `...`.  */
        this.docEnd = false;
        this.yaml = Object.assign({}, Directives.defaultYaml, yaml);
        this.tags = Object.assign({}, Directives.defaultTags, tags);
    }
    clone() {
        const copy = new Directives(this.yaml, this.tags);
        copy.docStart = this.docStart;
        return copy;
    }
    /**
     * During parsing, get a Directives instance for the current document and
     * update the stream state according to the current version's spec.
     */
    atDocument() {
        const res = new Directives(this.yaml, this.tags);
        switch (this.yaml.version) {
            case '1.1':
                this.atNextDocument = true;
                break;
            case '1.2':
                this.atNextDocument = false;
                this.yaml = {
                    explicit: Directives.defaultYaml.explicit,
                    version: '1.2'
                };
                this.tags = Object.assign({}, Directives.defaultTags);
                break;
        }
        return res;
    }
    /**
     * @param onError - May be called even if the action was successful
     * @returns `true` on success
     */
    add(line, onError) {
        if (this.atNextDocument) {
            this.yaml = { explicit: Directives.defaultYaml.explicit, version: '1.1' };
            this.tags = Object.assign({}, Directives.defaultTags);
            this.atNextDocument = false;
        }
        const parts = line.trim().split(/[ \t]+/);
        const name = parts.shift();
        switch (name) {
            case '%TAG': {
                if (parts.length !== 2) {
                    onError(0, '%TAG directive should contain exactly two parts');
                    if (parts.length < 2)
                        return false;
                }
                const [handle, prefix] = parts;
                this.tags[handle] = prefix;
                return true;
            }
            case '%YAML': {
                this.yaml.explicit = true;
                if (parts.length !== 1) {
                    onError(0, '%YAML directive should contain exactly one part');
                    return false;
                }
                const [version] = parts;
                if (version === '1.1' || version === '1.2') {
                    this.yaml.version = version;
                    return true;
                }
                else {
                    const isValid = /^\d+\.\d+$/.test(version);
                    onError(6, `Unsupported YAML version ${version}`, isValid);
                    return false;
                }
            }
            default:
                onError(0, `Unknown directive ${name}`, true);
                return false;
        }
    }
    /**
     * Resolves a tag, matching handles to those defined in %TAG directives.
     *
     * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
     *   `'!local'` tag, or `null` if unresolvable.
     */
    tagName(source, onError) {
        if (source === '!')
            return '!'; // non-specific tag
        if (source[0] !== '!') {
            onError(`Not a valid tag: ${source}`);
            return null;
        }
        if (source[1] === '<') {
            const verbatim = source.slice(2, -1);
            if (verbatim === '!' || verbatim === '!!') {
                onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
                return null;
            }
            if (source[source.length - 1] !== '>')
                onError('Verbatim tags must end with a >');
            return verbatim;
        }
        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
        if (!suffix)
            onError(`The ${source} tag has no suffix`);
        const prefix = this.tags[handle];
        if (prefix) {
            try {
                return prefix + decodeURIComponent(suffix);
            }
            catch (error) {
                onError(String(error));
                return null;
            }
        }
        if (handle === '!')
            return source; // local tag
        onError(`Could not resolve tag: ${source}`);
        return null;
    }
    /**
     * Given a fully resolved tag, returns its printable string form,
     * taking into account current tag prefixes and defaults.
     */
    tagString(tag) {
        for (const [handle, prefix] of Object.entries(this.tags)) {
            if (tag.startsWith(prefix))
                return handle + escapeTagName(tag.substring(prefix.length));
        }
        return tag[0] === '!' ? tag : `!<${tag}>`;
    }
    toString(doc) {
        const lines = this.yaml.explicit
            ? [`%YAML ${this.yaml.version || '1.2'}`]
            : [];
        const tagEntries = Object.entries(this.tags);
        let tagNames;
        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
            const tags = {};
            visit.visit(doc.contents, (_key, node) => {
                if (identity.isNode(node) && node.tag)
                    tags[node.tag] = true;
            });
            tagNames = Object.keys(tags);
        }
        else
            tagNames = [];
        for (const [handle, prefix] of tagEntries) {
            if (handle === '!!' && prefix === 'tag:yaml.org,2002:')
                continue;
            if (!doc || tagNames.some(tn => tn.startsWith(prefix)))
                lines.push(`%TAG ${handle} ${prefix}`);
        }
        return lines.join('\n');
    }
}
Directives.defaultYaml = { explicit: false, version: '1.2' };
Directives.defaultTags = { '!!': 'tag:yaml.org,2002:' };

exports.Directives = Directives;


/***/ }),

/***/ 1464:
/***/ ((__unused_webpack_module, exports) => {



class YAMLError extends Error {
    constructor(name, pos, code, message) {
        super();
        this.name = name;
        this.code = code;
        this.message = message;
        this.pos = pos;
    }
}
class YAMLParseError extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLParseError', pos, code, message);
    }
}
class YAMLWarning extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLWarning', pos, code, message);
    }
}
const prettifyError = (src, lc) => (error) => {
    if (error.pos[0] === -1)
        return;
    error.linePos = error.pos.map(pos => lc.linePos(pos));
    const { line, col } = error.linePos[0];
    error.message += ` at line ${line}, column ${col}`;
    let ci = col - 1;
    let lineStr = src
        .substring(lc.lineStarts[line - 1], lc.lineStarts[line])
        .replace(/[\n\r]+$/, '');
    // Trim to max 80 chars, keeping col position near the middle
    if (ci >= 60 && lineStr.length > 80) {
        const trimStart = Math.min(ci - 39, lineStr.length - 79);
        lineStr = '…' + lineStr.substring(trimStart);
        ci -= trimStart - 1;
    }
    if (lineStr.length > 80)
        lineStr = lineStr.substring(0, 79) + '…';
    // Include previous line in context if pointing at line start
    if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
        // Regexp won't match if start is trimmed
        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
        if (prev.length > 80)
            prev = prev.substring(0, 79) + '…\n';
        lineStr = prev + lineStr;
    }
    if (/[^ ]/.test(lineStr)) {
        let count = 1;
        const end = error.linePos[1];
        if (end?.line === line && end.col > col) {
            count = Math.max(1, Math.min(end.col - col, 80 - ci));
        }
        const pointer = ' '.repeat(ci) + '^'.repeat(count);
        error.message += `:\n\n${lineStr}\n${pointer}\n`;
    }
};

exports.YAMLError = YAMLError;
exports.YAMLParseError = YAMLParseError;
exports.YAMLWarning = YAMLWarning;
exports.prettifyError = prettifyError;


/***/ }),

/***/ 8815:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

var __webpack_unused_export__;


var composer = __nccwpck_require__(9984);
var Document = __nccwpck_require__(3021);
var Schema = __nccwpck_require__(5840);
var errors = __nccwpck_require__(1464);
var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(361);
var lineCounter = __nccwpck_require__(6628);
var parser = __nccwpck_require__(3456);
var publicApi = __nccwpck_require__(4047);
var visit = __nccwpck_require__(204);



__webpack_unused_export__ = composer.Composer;
__webpack_unused_export__ = Document.Document;
__webpack_unused_export__ = Schema.Schema;
__webpack_unused_export__ = errors.YAMLError;
__webpack_unused_export__ = errors.YAMLParseError;
__webpack_unused_export__ = errors.YAMLWarning;
__webpack_unused_export__ = Alias.Alias;
__webpack_unused_export__ = identity.isAlias;
__webpack_unused_export__ = identity.isCollection;
__webpack_unused_export__ = identity.isDocument;
__webpack_unused_export__ = identity.isMap;
__webpack_unused_export__ = identity.isNode;
__webpack_unused_export__ = identity.isPair;
__webpack_unused_export__ = identity.isScalar;
__webpack_unused_export__ = identity.isSeq;
__webpack_unused_export__ = Pair.Pair;
__webpack_unused_export__ = Scalar.Scalar;
__webpack_unused_export__ = YAMLMap.YAMLMap;
__webpack_unused_export__ = YAMLSeq.YAMLSeq;
__webpack_unused_export__ = cst;
__webpack_unused_export__ = lexer.Lexer;
__webpack_unused_export__ = lineCounter.LineCounter;
__webpack_unused_export__ = parser.Parser;
exports.qg = publicApi.parse;
__webpack_unused_export__ = publicApi.parseAllDocuments;
__webpack_unused_export__ = publicApi.parseDocument;
__webpack_unused_export__ = publicApi.stringify;
__webpack_unused_export__ = visit.visit;
__webpack_unused_export__ = visit.visitAsync;


/***/ }),

/***/ 7249:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);

function debug(logLevel, ...messages) {
    if (logLevel === 'debug')
        console.log(...messages);
}
function warn(logLevel, warning) {
    if (logLevel === 'debug' || logLevel === 'warn') {
        if (typeof node_process.emitWarning === 'function')
            node_process.emitWarning(warning);
        else
            console.warn(warning);
    }
}

exports.debug = debug;
exports.warn = warn;


/***/ }),

/***/ 4065:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(1596);
var visit = __nccwpck_require__(204);
var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);
var toJS = __nccwpck_require__(4043);

class Alias extends Node.NodeBase {
    constructor(source) {
        super(identity.ALIAS);
        this.source = source;
        Object.defineProperty(this, 'tag', {
            set() {
                throw new Error('Alias nodes cannot have tags');
            }
        });
    }
    /**
     * Resolve the value of this alias within `doc`, finding the last
     * instance of the `source` anchor before this node.
     */
    resolve(doc, ctx) {
        if (ctx?.maxAliasCount === 0)
            throw new ReferenceError('Alias resolution is disabled');
        let nodes;
        if (ctx?.aliasResolveCache) {
            nodes = ctx.aliasResolveCache;
        }
        else {
            nodes = [];
            visit.visit(doc, {
                Node: (_key, node) => {
                    if (identity.isAlias(node) || identity.hasAnchor(node))
                        nodes.push(node);
                }
            });
            if (ctx)
                ctx.aliasResolveCache = nodes;
        }
        let found = undefined;
        for (const node of nodes) {
            if (node === this)
                break;
            if (node.anchor === this.source)
                found = node;
        }
        if (found && ctx) {
            const { anchors, doc, maxAliasCount } = ctx;
            let data = anchors.get(found);
            if (!data) {
                // Resolve anchors for Node.prototype.toJS()
                toJS.toJS(found, null, ctx);
                data = anchors.get(found);
            }
            /* istanbul ignore if */
            if (data?.res === undefined) {
                const msg = 'This should not happen: Alias anchor was not resolved?';
                throw new ReferenceError(msg);
            }
            if (maxAliasCount >= 0) {
                data.count += 1;
                if (data.aliasCount === 0)
                    data.aliasCount = getAliasCount(doc, found, anchors);
                if (data.count * data.aliasCount > maxAliasCount) {
                    const msg = 'Excessive alias count indicates a resource exhaustion attack';
                    throw new ReferenceError(msg);
                }
            }
        }
        return found;
    }
    toJSON(_arg, ctx) {
        if (!ctx)
            return { source: this.source };
        const source = this.resolve(ctx.doc, ctx);
        if (!source) {
            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
            throw new ReferenceError(msg);
        }
        return ctx.anchors.get(source).res;
    }
    toString(ctx, _onComment, _onChompKeep) {
        const src = `*${this.source}`;
        if (ctx) {
            anchors.anchorIsValid(this.source);
            if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
                const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
                throw new Error(msg);
            }
            if (ctx.implicitKey)
                return `${src} `;
        }
        return src;
    }
}
function getAliasCount(doc, node, anchors) {
    if (identity.isAlias(node)) {
        const source = node.resolve(doc);
        const anchor = anchors && source && anchors.get(source);
        return anchor ? anchor.count * anchor.aliasCount : 0;
    }
    else if (identity.isCollection(node)) {
        let count = 0;
        for (const item of node.items) {
            const c = getAliasCount(doc, item, anchors);
            if (c > count)
                count = c;
        }
        return count;
    }
    else if (identity.isPair(node)) {
        const kc = getAliasCount(doc, node.key, anchors);
        const vc = getAliasCount(doc, node.value, anchors);
        return Math.max(kc, vc);
    }
    return 1;
}

exports.Alias = Alias;


/***/ }),

/***/ 101:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);

function collectionFromPath(schema, path, value) {
    let v = value;
    for (let i = path.length - 1; i >= 0; --i) {
        const k = path[i];
        if (typeof k === 'number' && Number.isInteger(k) && k >= 0) {
            const a = [];
            a[k] = v;
            v = a;
        }
        else {
            v = new Map([[k, v]]);
        }
    }
    return createNode.createNode(v, undefined, {
        aliasDuplicateObjects: false,
        keepUndefined: false,
        onAnchor: () => {
            throw new Error('This should not happen, please report a bug.');
        },
        schema,
        sourceObjects: new Map()
    });
}
// Type guard is intentionally a little wrong so as to be more useful,
// as it does not cover untypable empty non-string iterables (e.g. []).
const isEmptyPath = (path) => path == null ||
    (typeof path === 'object' && !!path[Symbol.iterator]().next().done);
class Collection extends Node.NodeBase {
    constructor(type, schema) {
        super(type);
        Object.defineProperty(this, 'schema', {
            value: schema,
            configurable: true,
            enumerable: false,
            writable: true
        });
    }
    /**
     * Create a copy of this collection.
     *
     * @param schema - If defined, overwrites the original's schema
     */
    clone(schema) {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (schema)
            copy.schema = schema;
        copy.items = copy.items.map(it => identity.isNode(it) || identity.isPair(it) ? it.clone(schema) : it);
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /**
     * Adds a value to the collection. For `!!map` and `!!omap` the value must
     * be a Pair instance or a `{ key, value }` object, which may not have a key
     * that already exists in the map.
     */
    addIn(path, value) {
        if (isEmptyPath(path))
            this.add(value);
        else {
            const [key, ...rest] = path;
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.addIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
    /**
     * Removes a value from the collection.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.delete(key);
        const node = this.get(key, true);
        if (identity.isCollection(node))
            return node.deleteIn(rest);
        else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        const [key, ...rest] = path;
        const node = this.get(key, true);
        if (rest.length === 0)
            return !keepScalar && identity.isScalar(node) ? node.value : node;
        else
            return identity.isCollection(node) ? node.getIn(rest, keepScalar) : undefined;
    }
    hasAllNullValues(allowScalar) {
        return this.items.every(node => {
            if (!identity.isPair(node))
                return false;
            const n = node.value;
            return (n == null ||
                (allowScalar &&
                    identity.isScalar(n) &&
                    n.value == null &&
                    !n.commentBefore &&
                    !n.comment &&
                    !n.tag));
        });
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     */
    hasIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.has(key);
        const node = this.get(key, true);
        return identity.isCollection(node) ? node.hasIn(rest) : false;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        const [key, ...rest] = path;
        if (rest.length === 0) {
            this.set(key, value);
        }
        else {
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.setIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
}

exports.Collection = Collection;
exports.collectionFromPath = collectionFromPath;
exports.isEmptyPath = isEmptyPath;


/***/ }),

/***/ 6673:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var applyReviver = __nccwpck_require__(3661);
var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);

class NodeBase {
    constructor(type) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
    }
    /** Create a copy of this node.  */
    clone() {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** A plain JavaScript representation of this node. */
    toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        if (!identity.isDocument(doc))
            throw new TypeError('A document argument is required');
        const ctx = {
            anchors: new Map(),
            doc,
            keep: true,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this, '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
}

exports.NodeBase = NodeBase;


/***/ }),

/***/ 7165:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var stringifyPair = __nccwpck_require__(9748);
var addPairToJSMap = __nccwpck_require__(7104);
var identity = __nccwpck_require__(1127);

function createPair(key, value, ctx) {
    const k = createNode.createNode(key, undefined, ctx);
    const v = createNode.createNode(value, undefined, ctx);
    return new Pair(k, v);
}
class Pair {
    constructor(key, value = null) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
        this.key = key;
        this.value = value;
    }
    clone(schema) {
        let { key, value } = this;
        if (identity.isNode(key))
            key = key.clone(schema);
        if (identity.isNode(value))
            value = value.clone(schema);
        return new Pair(key, value);
    }
    toJSON(_, ctx) {
        const pair = ctx?.mapAsMap ? new Map() : {};
        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
    }
    toString(ctx, onComment, onChompKeep) {
        return ctx?.doc
            ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep)
            : JSON.stringify(this);
    }
}

exports.Pair = Pair;
exports.createPair = createPair;


/***/ }),

/***/ 3301:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);
var toJS = __nccwpck_require__(4043);

const isScalarValue = (value) => !value || (typeof value !== 'function' && typeof value !== 'object');
class Scalar extends Node.NodeBase {
    constructor(value) {
        super(identity.SCALAR);
        this.value = value;
    }
    toJSON(arg, ctx) {
        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
    }
    toString() {
        return String(this.value);
    }
}
Scalar.BLOCK_FOLDED = 'BLOCK_FOLDED';
Scalar.BLOCK_LITERAL = 'BLOCK_LITERAL';
Scalar.PLAIN = 'PLAIN';
Scalar.QUOTE_DOUBLE = 'QUOTE_DOUBLE';
Scalar.QUOTE_SINGLE = 'QUOTE_SINGLE';

exports.Scalar = Scalar;
exports.isScalarValue = isScalarValue;


/***/ }),

/***/ 4454:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyCollection = __nccwpck_require__(1212);
var addPairToJSMap = __nccwpck_require__(7104);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);

function findPair(items, key) {
    const k = identity.isScalar(key) ? key.value : key;
    for (const it of items) {
        if (identity.isPair(it)) {
            if (it.key === key || it.key === k)
                return it;
            if (identity.isScalar(it.key) && it.key.value === k)
                return it;
        }
    }
    return undefined;
}
class YAMLMap extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:map';
    }
    constructor(schema) {
        super(identity.MAP, schema);
        this.items = [];
    }
    /**
     * A generic collection parsing method that can be extended
     * to other node classes that inherit from YAMLMap
     */
    static from(schema, obj, ctx) {
        const { keepUndefined, replacer } = ctx;
        const map = new this(schema);
        const add = (key, value) => {
            if (typeof replacer === 'function')
                value = replacer.call(obj, key, value);
            else if (Array.isArray(replacer) && !replacer.includes(key))
                return;
            if (value !== undefined || keepUndefined)
                map.items.push(Pair.createPair(key, value, ctx));
        };
        if (obj instanceof Map) {
            for (const [key, value] of obj)
                add(key, value);
        }
        else if (obj && typeof obj === 'object') {
            for (const key of Object.keys(obj))
                add(key, obj[key]);
        }
        if (typeof schema.sortMapEntries === 'function') {
            map.items.sort(schema.sortMapEntries);
        }
        return map;
    }
    /**
     * Adds a value to the collection.
     *
     * @param overwrite - If not set `true`, using a key that is already in the
     *   collection will throw. Otherwise, overwrites the previous value.
     */
    add(pair, overwrite) {
        let _pair;
        if (identity.isPair(pair))
            _pair = pair;
        else if (!pair || typeof pair !== 'object' || !('key' in pair)) {
            // In TypeScript, this never happens.
            _pair = new Pair.Pair(pair, pair?.value);
        }
        else
            _pair = new Pair.Pair(pair.key, pair.value);
        const prev = findPair(this.items, _pair.key);
        const sortEntries = this.schema?.sortMapEntries;
        if (prev) {
            if (!overwrite)
                throw new Error(`Key ${_pair.key} already set`);
            // For scalars, keep the old node & its comments and anchors
            if (identity.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
                prev.value.value = _pair.value;
            else
                prev.value = _pair.value;
        }
        else if (sortEntries) {
            const i = this.items.findIndex(item => sortEntries(_pair, item) < 0);
            if (i === -1)
                this.items.push(_pair);
            else
                this.items.splice(i, 0, _pair);
        }
        else {
            this.items.push(_pair);
        }
    }
    delete(key) {
        const it = findPair(this.items, key);
        if (!it)
            return false;
        const del = this.items.splice(this.items.indexOf(it), 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const it = findPair(this.items, key);
        const node = it?.value;
        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? undefined;
    }
    has(key) {
        return !!findPair(this.items, key);
    }
    set(key, value) {
        this.add(new Pair.Pair(key, value), true);
    }
    /**
     * @param ctx - Conversion context, originally set in Document#toJS()
     * @param {Class} Type - If set, forces the returned collection type
     * @returns Instance of Type, Map, or Object
     */
    toJSON(_, ctx, Type) {
        const map = Type ? new Type() : ctx?.mapAsMap ? new Map() : {};
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const item of this.items)
            addPairToJSMap.addPairToJSMap(ctx, map, item);
        return map;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        for (const item of this.items) {
            if (!identity.isPair(item))
                throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
        }
        if (!ctx.allNullValues && this.hasAllNullValues(false))
            ctx = Object.assign({}, ctx, { allNullValues: true });
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '',
            flowChars: { start: '{', end: '}' },
            itemIndent: ctx.indent || '',
            onChompKeep,
            onComment
        });
    }
}

exports.YAMLMap = YAMLMap;
exports.findPair = findPair;


/***/ }),

/***/ 2223:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var stringifyCollection = __nccwpck_require__(1212);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var toJS = __nccwpck_require__(4043);

class YAMLSeq extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:seq';
    }
    constructor(schema) {
        super(identity.SEQ, schema);
        this.items = [];
    }
    add(value) {
        this.items.push(value);
    }
    /**
     * Removes a value from the collection.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     *
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return false;
        const del = this.items.splice(idx, 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return undefined;
        const it = this.items[idx];
        return !keepScalar && identity.isScalar(it) ? it.value : it;
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     */
    has(key) {
        const idx = asItemIndex(key);
        return typeof idx === 'number' && idx < this.items.length;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     *
     * If `key` does not contain a representation of an integer, this will throw.
     * It may be wrapped in a `Scalar`.
     */
    set(key, value) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            throw new Error(`Expected a valid index, not ${key}.`);
        const prev = this.items[idx];
        if (identity.isScalar(prev) && Scalar.isScalarValue(value))
            prev.value = value;
        else
            this.items[idx] = value;
    }
    toJSON(_, ctx) {
        const seq = [];
        if (ctx?.onCreate)
            ctx.onCreate(seq);
        let i = 0;
        for (const item of this.items)
            seq.push(toJS.toJS(item, String(i++), ctx));
        return seq;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '- ',
            flowChars: { start: '[', end: ']' },
            itemIndent: (ctx.indent || '') + '  ',
            onChompKeep,
            onComment
        });
    }
    static from(schema, obj, ctx) {
        const { replacer } = ctx;
        const seq = new this(schema);
        if (obj && Symbol.iterator in Object(obj)) {
            let i = 0;
            for (let it of obj) {
                if (typeof replacer === 'function') {
                    const key = obj instanceof Set ? it : String(i++);
                    it = replacer.call(obj, key, it);
                }
                seq.items.push(createNode.createNode(it, undefined, ctx));
            }
        }
        return seq;
    }
}
function asItemIndex(key) {
    let idx = identity.isScalar(key) ? key.value : key;
    if (idx && typeof idx === 'string')
        idx = Number(idx);
    return typeof idx === 'number' && Number.isInteger(idx) && idx >= 0
        ? idx
        : null;
}

exports.YAMLSeq = YAMLSeq;


/***/ }),

/***/ 7104:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var log = __nccwpck_require__(7249);
var merge = __nccwpck_require__(452);
var stringify = __nccwpck_require__(2148);
var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);

function addPairToJSMap(ctx, map, { key, value }) {
    if (identity.isNode(key) && key.addToJSMap)
        key.addToJSMap(ctx, map, value);
    // TODO: Should drop this special case for bare << handling
    else if (merge.isMergeKey(ctx, key))
        merge.addMergeToJSMap(ctx, map, value);
    else {
        const jsKey = toJS.toJS(key, '', ctx);
        if (map instanceof Map) {
            map.set(jsKey, toJS.toJS(value, jsKey, ctx));
        }
        else if (map instanceof Set) {
            map.add(jsKey);
        }
        else {
            const stringKey = stringifyKey(key, jsKey, ctx);
            const jsValue = toJS.toJS(value, stringKey, ctx);
            if (stringKey in map)
                Object.defineProperty(map, stringKey, {
                    value: jsValue,
                    writable: true,
                    enumerable: true,
                    configurable: true
                });
            else
                map[stringKey] = jsValue;
        }
    }
    return map;
}
function stringifyKey(key, jsKey, ctx) {
    if (jsKey === null)
        return '';
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    if (typeof jsKey !== 'object')
        return String(jsKey);
    if (identity.isNode(key) && ctx?.doc) {
        const strCtx = stringify.createStringifyContext(ctx.doc, {});
        strCtx.anchors = new Set();
        for (const node of ctx.anchors.keys())
            strCtx.anchors.add(node.anchor);
        strCtx.inFlow = true;
        strCtx.inStringifyKey = true;
        const strKey = key.toString(strCtx);
        if (!ctx.mapKeyWarned) {
            let jsonStr = JSON.stringify(strKey);
            if (jsonStr.length > 40)
                jsonStr = jsonStr.substring(0, 36) + '..."';
            log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
            ctx.mapKeyWarned = true;
        }
        return strKey;
    }
    return JSON.stringify(jsKey);
}

exports.addPairToJSMap = addPairToJSMap;


/***/ }),

/***/ 1127:
/***/ ((__unused_webpack_module, exports) => {



const ALIAS = Symbol.for('yaml.alias');
const DOC = Symbol.for('yaml.document');
const MAP = Symbol.for('yaml.map');
const PAIR = Symbol.for('yaml.pair');
const SCALAR = Symbol.for('yaml.scalar');
const SEQ = Symbol.for('yaml.seq');
const NODE_TYPE = Symbol.for('yaml.node.type');
const isAlias = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === ALIAS;
const isDocument = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === DOC;
const isMap = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === MAP;
const isPair = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === PAIR;
const isScalar = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SCALAR;
const isSeq = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SEQ;
function isCollection(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case MAP:
            case SEQ:
                return true;
        }
    return false;
}
function isNode(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case ALIAS:
            case MAP:
            case SCALAR:
            case SEQ:
                return true;
        }
    return false;
}
const hasAnchor = (node) => (isScalar(node) || isCollection(node)) && !!node.anchor;

exports.ALIAS = ALIAS;
exports.DOC = DOC;
exports.MAP = MAP;
exports.NODE_TYPE = NODE_TYPE;
exports.PAIR = PAIR;
exports.SCALAR = SCALAR;
exports.SEQ = SEQ;
exports.hasAnchor = hasAnchor;
exports.isAlias = isAlias;
exports.isCollection = isCollection;
exports.isDocument = isDocument;
exports.isMap = isMap;
exports.isNode = isNode;
exports.isPair = isPair;
exports.isScalar = isScalar;
exports.isSeq = isSeq;


/***/ }),

/***/ 4043:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

/**
 * Recursively convert any node or its contents to native JavaScript
 *
 * @param value - The input value
 * @param arg - If `value` defines a `toJSON()` method, use this
 *   as its first argument
 * @param ctx - Conversion context, originally set in Document#toJS(). If
 *   `{ keep: true }` is not set, output should be suitable for JSON
 *   stringification.
 */
function toJS(value, arg, ctx) {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return
    if (Array.isArray(value))
        return value.map((v, i) => toJS(v, String(i), ctx));
    if (value && typeof value.toJSON === 'function') {
        // eslint-disable-next-line @typescript-eslint/no-unsafe-call
        if (!ctx || !identity.hasAnchor(value))
            return value.toJSON(arg, ctx);
        const data = { aliasCount: 0, count: 1, res: undefined };
        ctx.anchors.set(value, data);
        ctx.onCreate = res => {
            data.res = res;
            delete ctx.onCreate;
        };
        const res = value.toJSON(arg, ctx);
        if (ctx.onCreate)
            ctx.onCreate(res);
        return res;
    }
    if (typeof value === 'bigint' && !ctx?.keep)
        return Number(value);
    return value;
}

exports.toJS = toJS;


/***/ }),

/***/ 110:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var resolveBlockScalar = __nccwpck_require__(8913);
var resolveFlowScalar = __nccwpck_require__(6842);
var errors = __nccwpck_require__(1464);
var stringifyString = __nccwpck_require__(3069);

function resolveAsScalar(token, strict = true, onError) {
    if (token) {
        const _onError = (pos, code, message) => {
            const offset = typeof pos === 'number' ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
            if (onError)
                onError(offset, code, message);
            else
                throw new errors.YAMLParseError([offset, offset + 1], code, message);
        };
        switch (token.type) {
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
            case 'block-scalar':
                return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
        }
    }
    return null;
}
/**
 * Create a new scalar token with `value`
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.end Comments and whitespace after the end of the value, or after the block scalar header. If undefined, a newline will be added.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.indent The indent level of the token.
 * @param context.inFlow Is this scalar within a flow collection? This may affect the resolved type of the token's value.
 * @param context.offset The offset position of the token.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function createScalarToken(value, context) {
    const { implicitKey = false, indent, inFlow = false, offset = -1, type = 'PLAIN' } = context;
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey,
        indent: indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    const end = context.end ?? [
        { type: 'newline', offset: -1, indent, source: '\n' }
    ];
    switch (source[0]) {
        case '|':
        case '>': {
            const he = source.indexOf('\n');
            const head = source.substring(0, he);
            const body = source.substring(he + 1) + '\n';
            const props = [
                { type: 'block-scalar-header', offset, indent, source: head }
            ];
            if (!addEndtoBlockProps(props, end))
                props.push({ type: 'newline', offset: -1, indent, source: '\n' });
            return { type: 'block-scalar', offset, indent, props, source: body };
        }
        case '"':
            return { type: 'double-quoted-scalar', offset, indent, source, end };
        case "'":
            return { type: 'single-quoted-scalar', offset, indent, source, end };
        default:
            return { type: 'scalar', offset, indent, source, end };
    }
}
/**
 * Set the value of `token` to the given string `value`, overwriting any previous contents and type that it may have.
 *
 * Best efforts are made to retain any comments previously associated with the `token`,
 * though all contents within a collection's `items` will be overwritten.
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param token Any token. If it does not include an `indent` value, the value will be stringified as if it were an implicit key.
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.afterKey In most cases, values after a key should have an additional level of indentation.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.inFlow Being within a flow collection may affect the resolved type of the token's value.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function setScalarValue(token, value, context = {}) {
    let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
    let indent = 'indent' in token ? token.indent : null;
    if (afterKey && typeof indent === 'number')
        indent += 2;
    if (!type)
        switch (token.type) {
            case 'single-quoted-scalar':
                type = 'QUOTE_SINGLE';
                break;
            case 'double-quoted-scalar':
                type = 'QUOTE_DOUBLE';
                break;
            case 'block-scalar': {
                const header = token.props[0];
                if (header.type !== 'block-scalar-header')
                    throw new Error('Invalid block scalar header');
                type = header.source[0] === '>' ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL';
                break;
            }
            default:
                type = 'PLAIN';
        }
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey: implicitKey || indent === null,
        indent: indent !== null && indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    switch (source[0]) {
        case '|':
        case '>':
            setBlockScalarValue(token, source);
            break;
        case '"':
            setFlowScalarValue(token, source, 'double-quoted-scalar');
            break;
        case "'":
            setFlowScalarValue(token, source, 'single-quoted-scalar');
            break;
        default:
            setFlowScalarValue(token, source, 'scalar');
    }
}
function setBlockScalarValue(token, source) {
    const he = source.indexOf('\n');
    const head = source.substring(0, he);
    const body = source.substring(he + 1) + '\n';
    if (token.type === 'block-scalar') {
        const header = token.props[0];
        if (header.type !== 'block-scalar-header')
            throw new Error('Invalid block scalar header');
        header.source = head;
        token.source = body;
    }
    else {
        const { offset } = token;
        const indent = 'indent' in token ? token.indent : -1;
        const props = [
            { type: 'block-scalar-header', offset, indent, source: head }
        ];
        if (!addEndtoBlockProps(props, 'end' in token ? token.end : undefined))
            props.push({ type: 'newline', offset: -1, indent, source: '\n' });
        for (const key of Object.keys(token))
            if (key !== 'type' && key !== 'offset')
                delete token[key];
        Object.assign(token, { type: 'block-scalar', indent, props, source: body });
    }
}
/** @returns `true` if last token is a newline */
function addEndtoBlockProps(props, end) {
    if (end)
        for (const st of end)
            switch (st.type) {
                case 'space':
                case 'comment':
                    props.push(st);
                    break;
                case 'newline':
                    props.push(st);
                    return true;
            }
    return false;
}
function setFlowScalarValue(token, source, type) {
    switch (token.type) {
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            token.type = type;
            token.source = source;
            break;
        case 'block-scalar': {
            const end = token.props.slice(1);
            let oa = source.length;
            if (token.props[0].type === 'block-scalar-header')
                oa -= token.props[0].source.length;
            for (const tok of end)
                tok.offset += oa;
            delete token.props;
            Object.assign(token, { type, source, end });
            break;
        }
        case 'block-map':
        case 'block-seq': {
            const offset = token.offset + source.length;
            const nl = { type: 'newline', offset, indent: token.indent, source: '\n' };
            delete token.items;
            Object.assign(token, { type, source, end: [nl] });
            break;
        }
        default: {
            const indent = 'indent' in token ? token.indent : -1;
            const end = 'end' in token && Array.isArray(token.end)
                ? token.end.filter(st => st.type === 'space' ||
                    st.type === 'comment' ||
                    st.type === 'newline')
                : [];
            for (const key of Object.keys(token))
                if (key !== 'type' && key !== 'offset')
                    delete token[key];
            Object.assign(token, { type, indent, source, end });
        }
    }
}

exports.createScalarToken = createScalarToken;
exports.resolveAsScalar = resolveAsScalar;
exports.setScalarValue = setScalarValue;


/***/ }),

/***/ 1733:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringify a CST document, token, or collection item
 *
 * Fair warning: This applies no validation whatsoever, and
 * simply concatenates the sources in their logical order.
 */
const stringify = (cst) => 'type' in cst ? stringifyToken(cst) : stringifyItem(cst);
function stringifyToken(token) {
    switch (token.type) {
        case 'block-scalar': {
            let res = '';
            for (const tok of token.props)
                res += stringifyToken(tok);
            return res + token.source;
        }
        case 'block-map':
        case 'block-seq': {
            let res = '';
            for (const item of token.items)
                res += stringifyItem(item);
            return res;
        }
        case 'flow-collection': {
            let res = token.start.source;
            for (const item of token.items)
                res += stringifyItem(item);
            for (const st of token.end)
                res += st.source;
            return res;
        }
        case 'document': {
            let res = stringifyItem(token);
            if (token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
        default: {
            let res = token.source;
            if ('end' in token && token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
    }
}
function stringifyItem({ start, key, sep, value }) {
    let res = '';
    for (const st of start)
        res += st.source;
    if (key)
        res += stringifyToken(key);
    if (sep)
        for (const st of sep)
            res += st.source;
    if (value)
        res += stringifyToken(value);
    return res;
}

exports.stringify = stringify;


/***/ }),

/***/ 7715:
/***/ ((__unused_webpack_module, exports) => {



const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove item');
/**
 * Apply a visitor to a CST document or item.
 *
 * Walks through the tree (depth-first) starting from the root, calling a
 * `visitor` function with two arguments when entering each item:
 *   - `item`: The current item, which included the following members:
 *     - `start: SourceToken[]` – Source tokens before the key or value,
 *       possibly including its anchor or tag.
 *     - `key?: Token | null` – Set for pair values. May then be `null`, if
 *       the key before the `:` separator is empty.
 *     - `sep?: SourceToken[]` – Source tokens between the key and the value,
 *       which should include the `:` map value indicator if `value` is set.
 *     - `value?: Token` – The value of a sequence item, or of a map pair.
 *   - `path`: The steps from the root to the current node, as an array of
 *     `['key' | 'value', number]` tuples.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this token, continue with
 *      next sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current item, then continue with the next one
 *   - `number`: Set the index of the next step. This is useful especially if
 *     the index of the current token has changed.
 *   - `function`: Define the next visitor for this item. After the original
 *     visitor is called on item entry, next visitors are called after handling
 *     a non-empty `key` and when exiting the item.
 */
function visit(cst, visitor) {
    if ('type' in cst && cst.type === 'document')
        cst = { start: cst.start, value: cst.value };
    _visit(Object.freeze([]), cst, visitor);
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current item */
visit.SKIP = SKIP;
/** Remove the current item */
visit.REMOVE = REMOVE;
/** Find the item at `path` from `cst` as the root */
visit.itemAtPath = (cst, path) => {
    let item = cst;
    for (const [field, index] of path) {
        const tok = item?.[field];
        if (tok && 'items' in tok) {
            item = tok.items[index];
        }
        else
            return undefined;
    }
    return item;
};
/**
 * Get the immediate parent collection of the item at `path` from `cst` as the root.
 *
 * Throws an error if the collection is not found, which should never happen if the item itself exists.
 */
visit.parentCollection = (cst, path) => {
    const parent = visit.itemAtPath(cst, path.slice(0, -1));
    const field = path[path.length - 1][0];
    const coll = parent?.[field];
    if (coll && 'items' in coll)
        return coll;
    throw new Error('Parent collection not found');
};
function _visit(path, item, visitor) {
    let ctrl = visitor(item, path);
    if (typeof ctrl === 'symbol')
        return ctrl;
    for (const field of ['key', 'value']) {
        const token = item[field];
        if (token && 'items' in token) {
            for (let i = 0; i < token.items.length; ++i) {
                const ci = _visit(Object.freeze(path.concat([[field, i]])), token.items[i], visitor);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    token.items.splice(i, 1);
                    i -= 1;
                }
            }
            if (typeof ctrl === 'function' && field === 'key')
                ctrl = ctrl(item, path);
        }
    }
    return typeof ctrl === 'function' ? ctrl(item, path) : ctrl;
}

exports.visit = visit;


/***/ }),

/***/ 3461:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cstScalar = __nccwpck_require__(110);
var cstStringify = __nccwpck_require__(1733);
var cstVisit = __nccwpck_require__(7715);

/** The byte order mark */
const BOM = '\u{FEFF}';
/** Start of doc-mode */
const DOCUMENT = '\x02'; // C0: Start of Text
/** Unexpected end of flow-mode */
const FLOW_END = '\x18'; // C0: Cancel
/** Next token is a scalar value */
const SCALAR = '\x1f'; // C0: Unit Separator
/** @returns `true` if `token` is a flow or block collection */
const isCollection = (token) => !!token && 'items' in token;
/** @returns `true` if `token` is a flow or block scalar; not an alias */
const isScalar = (token) => !!token &&
    (token.type === 'scalar' ||
        token.type === 'single-quoted-scalar' ||
        token.type === 'double-quoted-scalar' ||
        token.type === 'block-scalar');
/* istanbul ignore next */
/** Get a printable representation of a lexer token */
function prettyToken(token) {
    switch (token) {
        case BOM:
            return '<BOM>';
        case DOCUMENT:
            return '<DOC>';
        case FLOW_END:
            return '<FLOW_END>';
        case SCALAR:
            return '<SCALAR>';
        default:
            return JSON.stringify(token);
    }
}
/** Identify the type of a lexer token. May return `null` for unknown tokens. */
function tokenType(source) {
    switch (source) {
        case BOM:
            return 'byte-order-mark';
        case DOCUMENT:
            return 'doc-mode';
        case FLOW_END:
            return 'flow-error-end';
        case SCALAR:
            return 'scalar';
        case '---':
            return 'doc-start';
        case '...':
            return 'doc-end';
        case '':
        case '\n':
        case '\r\n':
            return 'newline';
        case '-':
            return 'seq-item-ind';
        case '?':
            return 'explicit-key-ind';
        case ':':
            return 'map-value-ind';
        case '{':
            return 'flow-map-start';
        case '}':
            return 'flow-map-end';
        case '[':
            return 'flow-seq-start';
        case ']':
            return 'flow-seq-end';
        case ',':
            return 'comma';
    }
    switch (source[0]) {
        case ' ':
        case '\t':
            return 'space';
        case '#':
            return 'comment';
        case '%':
            return 'directive-line';
        case '*':
            return 'alias';
        case '&':
            return 'anchor';
        case '!':
            return 'tag';
        case "'":
            return 'single-quoted-scalar';
        case '"':
            return 'double-quoted-scalar';
        case '|':
        case '>':
            return 'block-scalar-header';
    }
    return null;
}

exports.createScalarToken = cstScalar.createScalarToken;
exports.resolveAsScalar = cstScalar.resolveAsScalar;
exports.setScalarValue = cstScalar.setScalarValue;
exports.stringify = cstStringify.stringify;
exports.visit = cstVisit.visit;
exports.BOM = BOM;
exports.DOCUMENT = DOCUMENT;
exports.FLOW_END = FLOW_END;
exports.SCALAR = SCALAR;
exports.isCollection = isCollection;
exports.isScalar = isScalar;
exports.prettyToken = prettyToken;
exports.tokenType = tokenType;


/***/ }),

/***/ 361:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cst = __nccwpck_require__(3461);

/*
START -> stream

stream
  directive -> line-end -> stream
  indent + line-end -> stream
  [else] -> line-start

line-end
  comment -> line-end
  newline -> .
  input-end -> END

line-start
  doc-start -> doc
  doc-end -> stream
  [else] -> indent -> block-start

block-start
  seq-item-start -> block-start
  explicit-key-start -> block-start
  map-value-start -> block-start
  [else] -> doc

doc
  line-end -> line-start
  spaces -> doc
  anchor -> doc
  tag -> doc
  flow-start -> flow -> doc
  flow-end -> error -> doc
  seq-item-start -> error -> doc
  explicit-key-start -> error -> doc
  map-value-start -> doc
  alias -> doc
  quote-start -> quoted-scalar -> doc
  block-scalar-header -> line-end -> block-scalar(min) -> line-start
  [else] -> plain-scalar(false, min) -> doc

flow
  line-end -> flow
  spaces -> flow
  anchor -> flow
  tag -> flow
  flow-start -> flow -> flow
  flow-end -> .
  seq-item-start -> error -> flow
  explicit-key-start -> flow
  map-value-start -> flow
  alias -> flow
  quote-start -> quoted-scalar -> flow
  comma -> flow
  [else] -> plain-scalar(true, 0) -> flow

quoted-scalar
  quote-end -> .
  [else] -> quoted-scalar

block-scalar(min)
  newline + peek(indent < min) -> .
  [else] -> block-scalar(min)

plain-scalar(is-flow, min)
  scalar-end(is-flow) -> .
  peek(newline + (indent < min)) -> .
  [else] -> plain-scalar(min)
*/
function isEmpty(ch) {
    switch (ch) {
        case undefined:
        case ' ':
        case '\n':
        case '\r':
        case '\t':
            return true;
        default:
            return false;
    }
}
const hexDigits = new Set('0123456789ABCDEFabcdef');
const tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
const flowIndicatorChars = new Set(',[]{}');
const invalidAnchorChars = new Set(' ,[]{}\n\r\t');
const isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
/**
 * Splits an input string into lexical tokens, i.e. smaller strings that are
 * easily identifiable by `tokens.tokenType()`.
 *
 * Lexing starts always in a "stream" context. Incomplete input may be buffered
 * until a complete token can be emitted.
 *
 * In addition to slices of the original input, the following control characters
 * may also be emitted:
 *
 * - `\x02` (Start of Text): A document starts with the next token
 * - `\x18` (Cancel): Unexpected end of flow-mode (indicates an error)
 * - `\x1f` (Unit Separator): Next token is a scalar value
 * - `\u{FEFF}` (Byte order mark): Emitted separately outside documents
 */
class Lexer {
    constructor() {
        /**
         * Flag indicating whether the end of the current buffer marks the end of
         * all input
         */
        this.atEnd = false;
        /**
         * Explicit indent set in block scalar header, as an offset from the current
         * minimum indent, so e.g. set to 1 from a header `|2+`. Set to -1 if not
         * explicitly set.
         */
        this.blockScalarIndent = -1;
        /**
         * Block scalars that include a + (keep) chomping indicator in their header
         * include trailing empty lines, which are otherwise excluded from the
         * scalar's contents.
         */
        this.blockScalarKeep = false;
        /** Current input */
        this.buffer = '';
        /**
         * Flag noting whether the map value indicator : can immediately follow this
         * node within a flow context.
         */
        this.flowKey = false;
        /** Count of surrounding flow collection levels. */
        this.flowLevel = 0;
        /**
         * Minimum level of indentation required for next lines to be parsed as a
         * part of the current scalar value.
         */
        this.indentNext = 0;
        /** Indentation level of the current line. */
        this.indentValue = 0;
        /** Position of the next \n character. */
        this.lineEndPos = null;
        /** Stores the state of the lexer if reaching the end of incpomplete input */
        this.next = null;
        /** A pointer to `buffer`; the current position of the lexer. */
        this.pos = 0;
    }
    /**
     * Generate YAML tokens from the `source` string. If `incomplete`,
     * a part of the last line may be left as a buffer for the next call.
     *
     * @returns A generator of lexical tokens
     */
    *lex(source, incomplete = false) {
        if (source) {
            if (typeof source !== 'string')
                throw TypeError('source is not a string');
            this.buffer = this.buffer ? this.buffer + source : source;
            this.lineEndPos = null;
        }
        this.atEnd = !incomplete;
        let next = this.next ?? 'stream';
        while (next && (incomplete || this.hasChars(1)))
            next = yield* this.parseNext(next);
    }
    atLineEnd() {
        let i = this.pos;
        let ch = this.buffer[i];
        while (ch === ' ' || ch === '\t')
            ch = this.buffer[++i];
        if (!ch || ch === '#' || ch === '\n')
            return true;
        if (ch === '\r')
            return this.buffer[i + 1] === '\n';
        return false;
    }
    charAt(n) {
        return this.buffer[this.pos + n];
    }
    continueScalar(offset) {
        let ch = this.buffer[offset];
        if (this.indentNext > 0) {
            let indent = 0;
            while (ch === ' ')
                ch = this.buffer[++indent + offset];
            if (ch === '\r') {
                const next = this.buffer[indent + offset + 1];
                if (next === '\n' || (!next && !this.atEnd))
                    return offset + indent + 1;
            }
            return ch === '\n' || indent >= this.indentNext || (!ch && !this.atEnd)
                ? offset + indent
                : -1;
        }
        if (ch === '-' || ch === '.') {
            const dt = this.buffer.substr(offset, 3);
            if ((dt === '---' || dt === '...') && isEmpty(this.buffer[offset + 3]))
                return -1;
        }
        return offset;
    }
    getLine() {
        let end = this.lineEndPos;
        if (typeof end !== 'number' || (end !== -1 && end < this.pos)) {
            end = this.buffer.indexOf('\n', this.pos);
            this.lineEndPos = end;
        }
        if (end === -1)
            return this.atEnd ? this.buffer.substring(this.pos) : null;
        if (this.buffer[end - 1] === '\r')
            end -= 1;
        return this.buffer.substring(this.pos, end);
    }
    hasChars(n) {
        return this.pos + n <= this.buffer.length;
    }
    setNext(state) {
        this.buffer = this.buffer.substring(this.pos);
        this.pos = 0;
        this.lineEndPos = null;
        this.next = state;
        return null;
    }
    peek(n) {
        return this.buffer.substr(this.pos, n);
    }
    *parseNext(next) {
        switch (next) {
            case 'stream':
                return yield* this.parseStream();
            case 'line-start':
                return yield* this.parseLineStart();
            case 'block-start':
                return yield* this.parseBlockStart();
            case 'doc':
                return yield* this.parseDocument();
            case 'flow':
                return yield* this.parseFlowCollection();
            case 'quoted-scalar':
                return yield* this.parseQuotedScalar();
            case 'block-scalar':
                return yield* this.parseBlockScalar();
            case 'plain-scalar':
                return yield* this.parsePlainScalar();
        }
    }
    *parseStream() {
        let line = this.getLine();
        if (line === null)
            return this.setNext('stream');
        if (line[0] === cst.BOM) {
            yield* this.pushCount(1);
            line = line.substring(1);
        }
        if (line[0] === '%') {
            let dirEnd = line.length;
            let cs = line.indexOf('#');
            while (cs !== -1) {
                const ch = line[cs - 1];
                if (ch === ' ' || ch === '\t') {
                    dirEnd = cs - 1;
                    break;
                }
                else {
                    cs = line.indexOf('#', cs + 1);
                }
            }
            while (true) {
                const ch = line[dirEnd - 1];
                if (ch === ' ' || ch === '\t')
                    dirEnd -= 1;
                else
                    break;
            }
            const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
            yield* this.pushCount(line.length - n); // possible comment
            this.pushNewline();
            return 'stream';
        }
        if (this.atLineEnd()) {
            const sp = yield* this.pushSpaces(true);
            yield* this.pushCount(line.length - sp);
            yield* this.pushNewline();
            return 'stream';
        }
        yield cst.DOCUMENT;
        return yield* this.parseLineStart();
    }
    *parseLineStart() {
        const ch = this.charAt(0);
        if (!ch && !this.atEnd)
            return this.setNext('line-start');
        if (ch === '-' || ch === '.') {
            if (!this.atEnd && !this.hasChars(4))
                return this.setNext('line-start');
            const s = this.peek(3);
            if ((s === '---' || s === '...') && isEmpty(this.charAt(3))) {
                yield* this.pushCount(3);
                this.indentValue = 0;
                this.indentNext = 0;
                return s === '---' ? 'doc' : 'stream';
            }
        }
        this.indentValue = yield* this.pushSpaces(false);
        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
            this.indentNext = this.indentValue;
        return yield* this.parseBlockStart();
    }
    *parseBlockStart() {
        const [ch0, ch1] = this.peek(2);
        if (!ch1 && !this.atEnd)
            return this.setNext('block-start');
        if ((ch0 === '-' || ch0 === '?' || ch0 === ':') && isEmpty(ch1)) {
            const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
            this.indentNext = this.indentValue + 1;
            this.indentValue += n;
            return 'block-start';
        }
        return 'doc';
    }
    *parseDocument() {
        yield* this.pushSpaces(true);
        const line = this.getLine();
        if (line === null)
            return this.setNext('doc');
        let n = yield* this.pushIndicators();
        switch (line[n]) {
            case '#':
                yield* this.pushCount(line.length - n);
            // fallthrough
            case undefined:
                yield* this.pushNewline();
                return yield* this.parseLineStart();
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel = 1;
                return 'flow';
            case '}':
            case ']':
                // this is an error
                yield* this.pushCount(1);
                return 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'doc';
            case '"':
            case "'":
                return yield* this.parseQuotedScalar();
            case '|':
            case '>':
                n += yield* this.parseBlockScalarHeader();
                n += yield* this.pushSpaces(true);
                yield* this.pushCount(line.length - n);
                yield* this.pushNewline();
                return yield* this.parseBlockScalar();
            default:
                return yield* this.parsePlainScalar();
        }
    }
    *parseFlowCollection() {
        let nl, sp;
        let indent = -1;
        do {
            nl = yield* this.pushNewline();
            if (nl > 0) {
                sp = yield* this.pushSpaces(false);
                this.indentValue = indent = sp;
            }
            else {
                sp = 0;
            }
            sp += yield* this.pushSpaces(true);
        } while (nl + sp > 0);
        const line = this.getLine();
        if (line === null)
            return this.setNext('flow');
        if ((indent !== -1 && indent < this.indentNext && line[0] !== '#') ||
            (indent === 0 &&
                (line.startsWith('---') || line.startsWith('...')) &&
                isEmpty(line[3]))) {
            // Allowing for the terminal ] or } at the same (rather than greater)
            // indent level as the initial [ or { is technically invalid, but
            // failing here would be surprising to users.
            const atFlowEndMarker = indent === this.indentNext - 1 &&
                this.flowLevel === 1 &&
                (line[0] === ']' || line[0] === '}');
            if (!atFlowEndMarker) {
                // this is an error
                this.flowLevel = 0;
                yield cst.FLOW_END;
                return yield* this.parseLineStart();
            }
        }
        let n = 0;
        while (line[n] === ',') {
            n += yield* this.pushCount(1);
            n += yield* this.pushSpaces(true);
            this.flowKey = false;
        }
        n += yield* this.pushIndicators();
        switch (line[n]) {
            case undefined:
                return 'flow';
            case '#':
                yield* this.pushCount(line.length - n);
                return 'flow';
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel += 1;
                return 'flow';
            case '}':
            case ']':
                yield* this.pushCount(1);
                this.flowKey = true;
                this.flowLevel -= 1;
                return this.flowLevel ? 'flow' : 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'flow';
            case '"':
            case "'":
                this.flowKey = true;
                return yield* this.parseQuotedScalar();
            case ':': {
                const next = this.charAt(1);
                if (this.flowKey || isEmpty(next) || next === ',') {
                    this.flowKey = false;
                    yield* this.pushCount(1);
                    yield* this.pushSpaces(true);
                    return 'flow';
                }
            }
            // fallthrough
            default:
                this.flowKey = false;
                return yield* this.parsePlainScalar();
        }
    }
    *parseQuotedScalar() {
        const quote = this.charAt(0);
        let end = this.buffer.indexOf(quote, this.pos + 1);
        if (quote === "'") {
            while (end !== -1 && this.buffer[end + 1] === "'")
                end = this.buffer.indexOf("'", end + 2);
        }
        else {
            // double-quote
            while (end !== -1) {
                let n = 0;
                while (this.buffer[end - 1 - n] === '\\')
                    n += 1;
                if (n % 2 === 0)
                    break;
                end = this.buffer.indexOf('"', end + 1);
            }
        }
        // Only looking for newlines within the quotes
        const qb = this.buffer.substring(0, end);
        let nl = qb.indexOf('\n', this.pos);
        if (nl !== -1) {
            while (nl !== -1) {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = qb.indexOf('\n', cs);
            }
            if (nl !== -1) {
                // this is an error caused by an unexpected unindent
                end = nl - (qb[nl - 1] === '\r' ? 2 : 1);
            }
        }
        if (end === -1) {
            if (!this.atEnd)
                return this.setNext('quoted-scalar');
            end = this.buffer.length;
        }
        yield* this.pushToIndex(end + 1, false);
        return this.flowLevel ? 'flow' : 'doc';
    }
    *parseBlockScalarHeader() {
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        let i = this.pos;
        while (true) {
            const ch = this.buffer[++i];
            if (ch === '+')
                this.blockScalarKeep = true;
            else if (ch > '0' && ch <= '9')
                this.blockScalarIndent = Number(ch) - 1;
            else if (ch !== '-')
                break;
        }
        return yield* this.pushUntil(ch => isEmpty(ch) || ch === '#');
    }
    *parseBlockScalar() {
        let nl = this.pos - 1; // may be -1 if this.pos === 0
        let indent = 0;
        let ch;
        loop: for (let i = this.pos; (ch = this.buffer[i]); ++i) {
            switch (ch) {
                case ' ':
                    indent += 1;
                    break;
                case '\n':
                    nl = i;
                    indent = 0;
                    break;
                case '\r': {
                    const next = this.buffer[i + 1];
                    if (!next && !this.atEnd)
                        return this.setNext('block-scalar');
                    if (next === '\n')
                        break;
                } // fallthrough
                default:
                    break loop;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('block-scalar');
        if (indent >= this.indentNext) {
            if (this.blockScalarIndent === -1)
                this.indentNext = indent;
            else {
                this.indentNext =
                    this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
            }
            do {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = this.buffer.indexOf('\n', cs);
            } while (nl !== -1);
            if (nl === -1) {
                if (!this.atEnd)
                    return this.setNext('block-scalar');
                nl = this.buffer.length;
            }
        }
        // Trailing insufficiently indented tabs are invalid.
        // To catch that during parsing, we include them in the block scalar value.
        let i = nl + 1;
        ch = this.buffer[i];
        while (ch === ' ')
            ch = this.buffer[++i];
        if (ch === '\t') {
            while (ch === '\t' || ch === ' ' || ch === '\r' || ch === '\n')
                ch = this.buffer[++i];
            nl = i - 1;
        }
        else if (!this.blockScalarKeep) {
            do {
                let i = nl - 1;
                let ch = this.buffer[i];
                if (ch === '\r')
                    ch = this.buffer[--i];
                const lastChar = i; // Drop the line if last char not more indented
                while (ch === ' ')
                    ch = this.buffer[--i];
                if (ch === '\n' && i >= this.pos && i + 1 + indent > lastChar)
                    nl = i;
                else
                    break;
            } while (true);
        }
        yield cst.SCALAR;
        yield* this.pushToIndex(nl + 1, true);
        return yield* this.parseLineStart();
    }
    *parsePlainScalar() {
        const inFlow = this.flowLevel > 0;
        let end = this.pos - 1;
        let i = this.pos - 1;
        let ch;
        while ((ch = this.buffer[++i])) {
            if (ch === ':') {
                const next = this.buffer[i + 1];
                if (isEmpty(next) || (inFlow && flowIndicatorChars.has(next)))
                    break;
                end = i;
            }
            else if (isEmpty(ch)) {
                let next = this.buffer[i + 1];
                if (ch === '\r') {
                    if (next === '\n') {
                        i += 1;
                        ch = '\n';
                        next = this.buffer[i + 1];
                    }
                    else
                        end = i;
                }
                if (next === '#' || (inFlow && flowIndicatorChars.has(next)))
                    break;
                if (ch === '\n') {
                    const cs = this.continueScalar(i + 1);
                    if (cs === -1)
                        break;
                    i = Math.max(i, cs - 2); // to advance, but still account for ' #'
                }
            }
            else {
                if (inFlow && flowIndicatorChars.has(ch))
                    break;
                end = i;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('plain-scalar');
        yield cst.SCALAR;
        yield* this.pushToIndex(end + 1, true);
        return inFlow ? 'flow' : 'doc';
    }
    *pushCount(n) {
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos += n;
            return n;
        }
        return 0;
    }
    *pushToIndex(i, allowEmpty) {
        const s = this.buffer.slice(this.pos, i);
        if (s) {
            yield s;
            this.pos += s.length;
            return s.length;
        }
        else if (allowEmpty)
            yield '';
        return 0;
    }
    *pushIndicators() {
        let n = 0;
        loop: while (true) {
            switch (this.charAt(0)) {
                case '!':
                    n += yield* this.pushTag();
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '&':
                    n += yield* this.pushUntil(isNotAnchorChar);
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '-': // this is an error
                case '?': // this is an error outside flow collections
                case ':': {
                    const inFlow = this.flowLevel > 0;
                    const ch1 = this.charAt(1);
                    if (isEmpty(ch1) || (inFlow && flowIndicatorChars.has(ch1))) {
                        if (!inFlow)
                            this.indentNext = this.indentValue + 1;
                        else if (this.flowKey)
                            this.flowKey = false;
                        n += yield* this.pushCount(1);
                        n += yield* this.pushSpaces(true);
                        continue loop;
                    }
                }
            }
            break loop;
        }
        return n;
    }
    *pushTag() {
        if (this.charAt(1) === '<') {
            let i = this.pos + 2;
            let ch = this.buffer[i];
            while (!isEmpty(ch) && ch !== '>')
                ch = this.buffer[++i];
            return yield* this.pushToIndex(ch === '>' ? i + 1 : i, false);
        }
        else {
            let i = this.pos + 1;
            let ch = this.buffer[i];
            while (ch) {
                if (tagChars.has(ch))
                    ch = this.buffer[++i];
                else if (ch === '%' &&
                    hexDigits.has(this.buffer[i + 1]) &&
                    hexDigits.has(this.buffer[i + 2])) {
                    ch = this.buffer[(i += 3)];
                }
                else
                    break;
            }
            return yield* this.pushToIndex(i, false);
        }
    }
    *pushNewline() {
        const ch = this.buffer[this.pos];
        if (ch === '\n')
            return yield* this.pushCount(1);
        else if (ch === '\r' && this.charAt(1) === '\n')
            return yield* this.pushCount(2);
        else
            return 0;
    }
    *pushSpaces(allowTabs) {
        let i = this.pos - 1;
        let ch;
        do {
            ch = this.buffer[++i];
        } while (ch === ' ' || (allowTabs && ch === '\t'));
        const n = i - this.pos;
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos = i;
        }
        return n;
    }
    *pushUntil(test) {
        let i = this.pos;
        let ch = this.buffer[i];
        while (!test(ch))
            ch = this.buffer[++i];
        return yield* this.pushToIndex(i, false);
    }
}

exports.Lexer = Lexer;


/***/ }),

/***/ 6628:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Tracks newlines during parsing in order to provide an efficient API for
 * determining the one-indexed `{ line, col }` position for any offset
 * within the input.
 */
class LineCounter {
    constructor() {
        this.lineStarts = [];
        /**
         * Should be called in ascending order. Otherwise, call
         * `lineCounter.lineStarts.sort()` before calling `linePos()`.
         */
        this.addNewLine = (offset) => this.lineStarts.push(offset);
        /**
         * Performs a binary search and returns the 1-indexed { line, col }
         * position of `offset`. If `line === 0`, `addNewLine` has never been
         * called or `offset` is before the first known newline.
         */
        this.linePos = (offset) => {
            let low = 0;
            let high = this.lineStarts.length;
            while (low < high) {
                const mid = (low + high) >> 1; // Math.floor((low + high) / 2)
                if (this.lineStarts[mid] < offset)
                    low = mid + 1;
                else
                    high = mid;
            }
            if (this.lineStarts[low] === offset)
                return { line: low + 1, col: 1 };
            if (low === 0)
                return { line: 0, col: offset };
            const start = this.lineStarts[low - 1];
            return { line: low, col: offset - start + 1 };
        };
    }
}

exports.LineCounter = LineCounter;


/***/ }),

/***/ 3456:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(361);

function includesToken(list, type) {
    for (let i = 0; i < list.length; ++i)
        if (list[i].type === type)
            return true;
    return false;
}
function findNonEmptyIndex(list) {
    for (let i = 0; i < list.length; ++i) {
        switch (list[i].type) {
            case 'space':
            case 'comment':
            case 'newline':
                break;
            default:
                return i;
        }
    }
    return -1;
}
function isFlowToken(token) {
    switch (token?.type) {
        case 'alias':
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'flow-collection':
            return true;
        default:
            return false;
    }
}
function getPrevProps(parent) {
    switch (parent.type) {
        case 'document':
            return parent.start;
        case 'block-map': {
            const it = parent.items[parent.items.length - 1];
            return it.sep ?? it.start;
        }
        case 'block-seq':
            return parent.items[parent.items.length - 1].start;
        /* istanbul ignore next should not happen */
        default:
            return [];
    }
}
/** Note: May modify input array */
function getFirstKeyStartProps(prev) {
    if (prev.length === 0)
        return [];
    let i = prev.length;
    loop: while (--i >= 0) {
        switch (prev[i].type) {
            case 'doc-start':
            case 'explicit-key-ind':
            case 'map-value-ind':
            case 'seq-item-ind':
            case 'newline':
                break loop;
        }
    }
    while (prev[++i]?.type === 'space') {
        /* loop */
    }
    return prev.splice(i, prev.length);
}
function arrayPushArray(target, source) {
    // May exhaust call stack with large `source` array
    if (source.length < 1e5)
        Array.prototype.push.apply(target, source);
    else
        for (let i = 0; i < source.length; ++i)
            target.push(source[i]);
}
function fixFlowSeqItems(fc) {
    if (fc.start.type === 'flow-seq-start') {
        for (const it of fc.items) {
            if (it.sep &&
                !it.value &&
                !includesToken(it.start, 'explicit-key-ind') &&
                !includesToken(it.sep, 'map-value-ind')) {
                if (it.key)
                    it.value = it.key;
                delete it.key;
                if (isFlowToken(it.value)) {
                    if (it.value.end)
                        arrayPushArray(it.value.end, it.sep);
                    else
                        it.value.end = it.sep;
                }
                else
                    arrayPushArray(it.start, it.sep);
                delete it.sep;
            }
        }
    }
}
/**
 * A YAML concrete syntax tree (CST) parser
 *
 * ```ts
 * const src: string = ...
 * for (const token of new Parser().parse(src)) {
 *   // token: Token
 * }
 * ```
 *
 * To use the parser with a user-provided lexer:
 *
 * ```ts
 * function* parse(source: string, lexer: Lexer) {
 *   const parser = new Parser()
 *   for (const lexeme of lexer.lex(source))
 *     yield* parser.next(lexeme)
 *   yield* parser.end()
 * }
 *
 * const src: string = ...
 * const lexer = new Lexer()
 * for (const token of parse(src, lexer)) {
 *   // token: Token
 * }
 * ```
 */
class Parser {
    /**
     * @param onNewLine - If defined, called separately with the start position of
     *   each new line (in `parse()`, including the start of input).
     */
    constructor(onNewLine) {
        /** If true, space and sequence indicators count as indentation */
        this.atNewLine = true;
        /** If true, next token is a scalar value */
        this.atScalar = false;
        /** Current indentation level */
        this.indent = 0;
        /** Current offset since the start of parsing */
        this.offset = 0;
        /** On the same line with a block map key */
        this.onKeyLine = false;
        /** Top indicates the node that's currently being built */
        this.stack = [];
        /** The source of the current token, set in parse() */
        this.source = '';
        /** The type of the current token, set in parse() */
        this.type = '';
        // Must be defined after `next()`
        this.lexer = new lexer.Lexer();
        this.onNewLine = onNewLine;
    }
    /**
     * Parse `source` as a YAML stream.
     * If `incomplete`, a part of the last line may be left as a buffer for the next call.
     *
     * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
     *
     * @returns A generator of tokens representing each directive, document, and other structure.
     */
    *parse(source, incomplete = false) {
        if (this.onNewLine && this.offset === 0)
            this.onNewLine(0);
        for (const lexeme of this.lexer.lex(source, incomplete))
            yield* this.next(lexeme);
        if (!incomplete)
            yield* this.end();
    }
    /**
     * Advance the parser by the `source` of one lexical token.
     */
    *next(source) {
        this.source = source;
        if (node_process.env.LOG_TOKENS)
            console.log('|', cst.prettyToken(source));
        if (this.atScalar) {
            this.atScalar = false;
            yield* this.step();
            this.offset += source.length;
            return;
        }
        const type = cst.tokenType(source);
        if (!type) {
            const message = `Not a YAML token: ${source}`;
            yield* this.pop({ type: 'error', offset: this.offset, message, source });
            this.offset += source.length;
        }
        else if (type === 'scalar') {
            this.atNewLine = false;
            this.atScalar = true;
            this.type = 'scalar';
        }
        else {
            this.type = type;
            yield* this.step();
            switch (type) {
                case 'newline':
                    this.atNewLine = true;
                    this.indent = 0;
                    if (this.onNewLine)
                        this.onNewLine(this.offset + source.length);
                    break;
                case 'space':
                    if (this.atNewLine && source[0] === ' ')
                        this.indent += source.length;
                    break;
                case 'explicit-key-ind':
                case 'map-value-ind':
                case 'seq-item-ind':
                    if (this.atNewLine)
                        this.indent += source.length;
                    break;
                case 'doc-mode':
                case 'flow-error-end':
                    return;
                default:
                    this.atNewLine = false;
            }
            this.offset += source.length;
        }
    }
    /** Call at end of input to push out any remaining constructions */
    *end() {
        while (this.stack.length > 0)
            yield* this.pop();
    }
    get sourceToken() {
        const st = {
            type: this.type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
        return st;
    }
    *step() {
        const top = this.peek(1);
        if (this.type === 'doc-end' && top?.type !== 'doc-end') {
            while (this.stack.length > 0)
                yield* this.pop();
            this.stack.push({
                type: 'doc-end',
                offset: this.offset,
                source: this.source
            });
            return;
        }
        if (!top)
            return yield* this.stream();
        switch (top.type) {
            case 'document':
                return yield* this.document(top);
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return yield* this.scalar(top);
            case 'block-scalar':
                return yield* this.blockScalar(top);
            case 'block-map':
                return yield* this.blockMap(top);
            case 'block-seq':
                return yield* this.blockSequence(top);
            case 'flow-collection':
                return yield* this.flowCollection(top);
            case 'doc-end':
                return yield* this.documentEnd(top);
        }
        /* istanbul ignore next should not happen */
        yield* this.pop();
    }
    peek(n) {
        return this.stack[this.stack.length - n];
    }
    *pop(error) {
        const token = error ?? this.stack.pop();
        /* istanbul ignore if should not happen */
        if (!token) {
            const message = 'Tried to pop an empty stack';
            yield { type: 'error', offset: this.offset, source: '', message };
        }
        else if (this.stack.length === 0) {
            yield token;
        }
        else {
            const top = this.peek(1);
            if (token.type === 'block-scalar') {
                // Block scalars use their parent rather than header indent
                token.indent = 'indent' in top ? top.indent : 0;
            }
            else if (token.type === 'flow-collection' && top.type === 'document') {
                // Ignore all indent for top-level flow collections
                token.indent = 0;
            }
            if (token.type === 'flow-collection')
                fixFlowSeqItems(token);
            switch (top.type) {
                case 'document':
                    top.value = token;
                    break;
                case 'block-scalar':
                    top.props.push(token); // error
                    break;
                case 'block-map': {
                    const it = top.items[top.items.length - 1];
                    if (it.value) {
                        top.items.push({ start: [], key: token, sep: [] });
                        this.onKeyLine = true;
                        return;
                    }
                    else if (it.sep) {
                        it.value = token;
                    }
                    else {
                        Object.assign(it, { key: token, sep: [] });
                        this.onKeyLine = !it.explicitKey;
                        return;
                    }
                    break;
                }
                case 'block-seq': {
                    const it = top.items[top.items.length - 1];
                    if (it.value)
                        top.items.push({ start: [], value: token });
                    else
                        it.value = token;
                    break;
                }
                case 'flow-collection': {
                    const it = top.items[top.items.length - 1];
                    if (!it || it.value)
                        top.items.push({ start: [], key: token, sep: [] });
                    else if (it.sep)
                        it.value = token;
                    else
                        Object.assign(it, { key: token, sep: [] });
                    return;
                }
                /* istanbul ignore next should not happen */
                default:
                    yield* this.pop();
                    yield* this.pop(token);
            }
            if ((top.type === 'document' ||
                top.type === 'block-map' ||
                top.type === 'block-seq') &&
                (token.type === 'block-map' || token.type === 'block-seq')) {
                const last = token.items[token.items.length - 1];
                if (last &&
                    !last.sep &&
                    !last.value &&
                    last.start.length > 0 &&
                    findNonEmptyIndex(last.start) === -1 &&
                    (token.indent === 0 ||
                        last.start.every(st => st.type !== 'comment' || st.indent < token.indent))) {
                    if (top.type === 'document')
                        top.end = last.start;
                    else
                        top.items.push({ start: last.start });
                    token.items.splice(-1, 1);
                }
            }
        }
    }
    *stream() {
        switch (this.type) {
            case 'directive-line':
                yield { type: 'directive', offset: this.offset, source: this.source };
                return;
            case 'byte-order-mark':
            case 'space':
            case 'comment':
            case 'newline':
                yield this.sourceToken;
                return;
            case 'doc-mode':
            case 'doc-start': {
                const doc = {
                    type: 'document',
                    offset: this.offset,
                    start: []
                };
                if (this.type === 'doc-start')
                    doc.start.push(this.sourceToken);
                this.stack.push(doc);
                return;
            }
        }
        yield {
            type: 'error',
            offset: this.offset,
            message: `Unexpected ${this.type} token in YAML stream`,
            source: this.source
        };
    }
    *document(doc) {
        if (doc.value)
            return yield* this.lineEnd(doc);
        switch (this.type) {
            case 'doc-start': {
                if (findNonEmptyIndex(doc.start) !== -1) {
                    yield* this.pop();
                    yield* this.step();
                }
                else
                    doc.start.push(this.sourceToken);
                return;
            }
            case 'anchor':
            case 'tag':
            case 'space':
            case 'comment':
            case 'newline':
                doc.start.push(this.sourceToken);
                return;
        }
        const bv = this.startBlockValue(doc);
        if (bv)
            this.stack.push(bv);
        else {
            yield {
                type: 'error',
                offset: this.offset,
                message: `Unexpected ${this.type} token in YAML document`,
                source: this.source
            };
        }
    }
    *scalar(scalar) {
        if (this.type === 'map-value-ind') {
            const prev = getPrevProps(this.peek(2));
            const start = getFirstKeyStartProps(prev);
            let sep;
            if (scalar.end) {
                sep = scalar.end;
                sep.push(this.sourceToken);
                delete scalar.end;
            }
            else
                sep = [this.sourceToken];
            const map = {
                type: 'block-map',
                offset: scalar.offset,
                indent: scalar.indent,
                items: [{ start, key: scalar, sep }]
            };
            this.onKeyLine = true;
            this.stack[this.stack.length - 1] = map;
        }
        else
            yield* this.lineEnd(scalar);
    }
    *blockScalar(scalar) {
        switch (this.type) {
            case 'space':
            case 'comment':
            case 'newline':
                scalar.props.push(this.sourceToken);
                return;
            case 'scalar':
                scalar.source = this.source;
                // block-scalar source includes trailing newline
                this.atNewLine = true;
                this.indent = 0;
                if (this.onNewLine) {
                    let nl = this.source.indexOf('\n') + 1;
                    while (nl !== 0) {
                        this.onNewLine(this.offset + nl);
                        nl = this.source.indexOf('\n', nl) + 1;
                    }
                }
                yield* this.pop();
                break;
            /* istanbul ignore next should not happen */
            default:
                yield* this.pop();
                yield* this.step();
        }
    }
    *blockMap(map) {
        const it = map.items[map.items.length - 1];
        // it.sep is true-ish if pair already has key or : separator
        switch (this.type) {
            case 'newline':
                this.onKeyLine = false;
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    it.start.push(this.sourceToken);
                }
                return;
            case 'space':
            case 'comment':
                if (it.value) {
                    map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    if (this.atIndentedComment(it.start, map.indent)) {
                        const prev = map.items[map.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            map.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
        }
        if (this.indent >= map.indent) {
            const atMapIndent = !this.onKeyLine && this.indent === map.indent;
            const atNextItem = atMapIndent &&
                (it.sep || it.explicitKey) &&
                this.type !== 'seq-item-ind';
            // For empty nodes, assign newline-separated not indented empty tokens to following node
            let start = [];
            if (atNextItem && it.sep && !it.value) {
                const nl = [];
                for (let i = 0; i < it.sep.length; ++i) {
                    const st = it.sep[i];
                    switch (st.type) {
                        case 'newline':
                            nl.push(i);
                            break;
                        case 'space':
                            break;
                        case 'comment':
                            if (st.indent > map.indent)
                                nl.length = 0;
                            break;
                        default:
                            nl.length = 0;
                    }
                }
                if (nl.length >= 2)
                    start = it.sep.splice(nl[1]);
            }
            switch (this.type) {
                case 'anchor':
                case 'tag':
                    if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        it.sep.push(this.sourceToken);
                    }
                    else {
                        it.start.push(this.sourceToken);
                    }
                    return;
                case 'explicit-key-ind':
                    if (!it.sep && !it.explicitKey) {
                        it.start.push(this.sourceToken);
                        it.explicitKey = true;
                    }
                    else if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start, explicitKey: true });
                    }
                    else {
                        this.stack.push({
                            type: 'block-map',
                            offset: this.offset,
                            indent: this.indent,
                            items: [{ start: [this.sourceToken], explicitKey: true }]
                        });
                    }
                    this.onKeyLine = true;
                    return;
                case 'map-value-ind':
                    if (it.explicitKey) {
                        if (!it.sep) {
                            if (includesToken(it.start, 'newline')) {
                                Object.assign(it, { key: null, sep: [this.sourceToken] });
                            }
                            else {
                                const start = getFirstKeyStartProps(it.start);
                                this.stack.push({
                                    type: 'block-map',
                                    offset: this.offset,
                                    indent: this.indent,
                                    items: [{ start, key: null, sep: [this.sourceToken] }]
                                });
                            }
                        }
                        else if (it.value) {
                            map.items.push({ start: [], key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else if (isFlowToken(it.key) &&
                            !includesToken(it.sep, 'newline')) {
                            const start = getFirstKeyStartProps(it.start);
                            const key = it.key;
                            const sep = it.sep;
                            sep.push(this.sourceToken);
                            // @ts-expect-error type guard is wrong here
                            delete it.key;
                            // @ts-expect-error type guard is wrong here
                            delete it.sep;
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key, sep }]
                            });
                        }
                        else if (start.length > 0) {
                            // Not actually at next item
                            it.sep = it.sep.concat(start, this.sourceToken);
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    else {
                        if (!it.sep) {
                            Object.assign(it, { key: null, sep: [this.sourceToken] });
                        }
                        else if (it.value || atNextItem) {
                            map.items.push({ start, key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start: [], key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    this.onKeyLine = true;
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (atNextItem || it.value) {
                        map.items.push({ start, key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        this.stack.push(fs);
                    }
                    else {
                        Object.assign(it, { key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    return;
                }
                default: {
                    const bv = this.startBlockValue(map);
                    if (bv) {
                        if (bv.type === 'block-seq') {
                            if (!it.explicitKey &&
                                it.sep &&
                                !includesToken(it.sep, 'newline')) {
                                yield* this.pop({
                                    type: 'error',
                                    offset: this.offset,
                                    message: 'Unexpected block-seq-ind on same line with key',
                                    source: this.source
                                });
                                return;
                            }
                        }
                        else if (atMapIndent) {
                            map.items.push({ start });
                        }
                        this.stack.push(bv);
                        return;
                    }
                }
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *blockSequence(seq) {
        const it = seq.items[seq.items.length - 1];
        switch (this.type) {
            case 'newline':
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        seq.items.push({ start: [this.sourceToken] });
                }
                else
                    it.start.push(this.sourceToken);
                return;
            case 'space':
            case 'comment':
                if (it.value)
                    seq.items.push({ start: [this.sourceToken] });
                else {
                    if (this.atIndentedComment(it.start, seq.indent)) {
                        const prev = seq.items[seq.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            seq.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
            case 'anchor':
            case 'tag':
                if (it.value || this.indent <= seq.indent)
                    break;
                it.start.push(this.sourceToken);
                return;
            case 'seq-item-ind':
                if (this.indent !== seq.indent)
                    break;
                if (it.value || includesToken(it.start, 'seq-item-ind'))
                    seq.items.push({ start: [this.sourceToken] });
                else
                    it.start.push(this.sourceToken);
                return;
        }
        if (this.indent > seq.indent) {
            const bv = this.startBlockValue(seq);
            if (bv) {
                this.stack.push(bv);
                return;
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *flowCollection(fc) {
        const it = fc.items[fc.items.length - 1];
        if (this.type === 'flow-error-end') {
            let top;
            do {
                yield* this.pop();
                top = this.peek(1);
            } while (top?.type === 'flow-collection');
        }
        else if (fc.end.length === 0) {
            switch (this.type) {
                case 'comma':
                case 'explicit-key-ind':
                    if (!it || it.sep)
                        fc.items.push({ start: [this.sourceToken] });
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'map-value-ind':
                    if (!it || it.value)
                        fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        Object.assign(it, { key: null, sep: [this.sourceToken] });
                    return;
                case 'space':
                case 'comment':
                case 'newline':
                case 'anchor':
                case 'tag':
                    if (!it || it.value)
                        fc.items.push({ start: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (!it || it.value)
                        fc.items.push({ start: [], key: fs, sep: [] });
                    else if (it.sep)
                        this.stack.push(fs);
                    else
                        Object.assign(it, { key: fs, sep: [] });
                    return;
                }
                case 'flow-map-end':
                case 'flow-seq-end':
                    fc.end.push(this.sourceToken);
                    return;
            }
            const bv = this.startBlockValue(fc);
            /* istanbul ignore else should not happen */
            if (bv)
                this.stack.push(bv);
            else {
                yield* this.pop();
                yield* this.step();
            }
        }
        else {
            const parent = this.peek(2);
            if (parent.type === 'block-map' &&
                ((this.type === 'map-value-ind' && parent.indent === fc.indent) ||
                    (this.type === 'newline' &&
                        !parent.items[parent.items.length - 1].sep))) {
                yield* this.pop();
                yield* this.step();
            }
            else if (this.type === 'map-value-ind' &&
                parent.type !== 'flow-collection') {
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                fixFlowSeqItems(fc);
                const sep = fc.end.splice(1, fc.end.length);
                sep.push(this.sourceToken);
                const map = {
                    type: 'block-map',
                    offset: fc.offset,
                    indent: fc.indent,
                    items: [{ start, key: fc, sep }]
                };
                this.onKeyLine = true;
                this.stack[this.stack.length - 1] = map;
            }
            else {
                yield* this.lineEnd(fc);
            }
        }
    }
    flowScalar(type) {
        if (this.onNewLine) {
            let nl = this.source.indexOf('\n') + 1;
            while (nl !== 0) {
                this.onNewLine(this.offset + nl);
                nl = this.source.indexOf('\n', nl) + 1;
            }
        }
        return {
            type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
    }
    startBlockValue(parent) {
        switch (this.type) {
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return this.flowScalar(this.type);
            case 'block-scalar-header':
                return {
                    type: 'block-scalar',
                    offset: this.offset,
                    indent: this.indent,
                    props: [this.sourceToken],
                    source: ''
                };
            case 'flow-map-start':
            case 'flow-seq-start':
                return {
                    type: 'flow-collection',
                    offset: this.offset,
                    indent: this.indent,
                    start: this.sourceToken,
                    items: [],
                    end: []
                };
            case 'seq-item-ind':
                return {
                    type: 'block-seq',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: [this.sourceToken] }]
                };
            case 'explicit-key-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                start.push(this.sourceToken);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, explicitKey: true }]
                };
            }
            case 'map-value-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, key: null, sep: [this.sourceToken] }]
                };
            }
        }
        return null;
    }
    atIndentedComment(start, indent) {
        if (this.type !== 'comment')
            return false;
        if (this.indent <= indent)
            return false;
        return start.every(st => st.type === 'newline' || st.type === 'space');
    }
    *documentEnd(docEnd) {
        if (this.type !== 'doc-mode') {
            if (docEnd.end)
                docEnd.end.push(this.sourceToken);
            else
                docEnd.end = [this.sourceToken];
            if (this.type === 'newline')
                yield* this.pop();
        }
    }
    *lineEnd(token) {
        switch (this.type) {
            case 'comma':
            case 'doc-start':
            case 'doc-end':
            case 'flow-seq-end':
            case 'flow-map-end':
            case 'map-value-ind':
                yield* this.pop();
                yield* this.step();
                break;
            case 'newline':
                this.onKeyLine = false;
            // fallthrough
            case 'space':
            case 'comment':
            default:
                // all other values are errors
                if (token.end)
                    token.end.push(this.sourceToken);
                else
                    token.end = [this.sourceToken];
                if (this.type === 'newline')
                    yield* this.pop();
        }
    }
}

exports.Parser = Parser;


/***/ }),

/***/ 4047:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var composer = __nccwpck_require__(9984);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(1464);
var log = __nccwpck_require__(7249);
var identity = __nccwpck_require__(1127);
var lineCounter = __nccwpck_require__(6628);
var parser = __nccwpck_require__(3456);

function parseOptions(options) {
    const prettyErrors = options.prettyErrors !== false;
    const lineCounter$1 = options.lineCounter || (prettyErrors && new lineCounter.LineCounter()) || null;
    return { lineCounter: lineCounter$1, prettyErrors };
}
/**
 * Parse the input as a stream of YAML documents.
 *
 * Documents should be separated from each other by `...` or `---` marker lines.
 *
 * @returns If an empty `docs` array is returned, it will be of type
 *   EmptyStream and contain additional stream information. In
 *   TypeScript, you should use `'empty' in docs` as a type guard for it.
 */
function parseAllDocuments(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    const docs = Array.from(composer$1.compose(parser$1.parse(source)));
    if (prettyErrors && lineCounter)
        for (const doc of docs) {
            doc.errors.forEach(errors.prettifyError(source, lineCounter));
            doc.warnings.forEach(errors.prettifyError(source, lineCounter));
        }
    if (docs.length > 0)
        return docs;
    return Object.assign([], { empty: true }, composer$1.streamInfo());
}
/** Parse an input string into a single YAML.Document */
function parseDocument(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    // `doc` is always set by compose.end(true) at the very latest
    let doc = null;
    for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
        if (!doc)
            doc = _doc;
        else if (doc.options.logLevel !== 'silent') {
            doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
            break;
        }
    }
    if (prettyErrors && lineCounter) {
        doc.errors.forEach(errors.prettifyError(source, lineCounter));
        doc.warnings.forEach(errors.prettifyError(source, lineCounter));
    }
    return doc;
}
function parse(src, reviver, options) {
    let _reviver = undefined;
    if (typeof reviver === 'function') {
        _reviver = reviver;
    }
    else if (options === undefined && reviver && typeof reviver === 'object') {
        options = reviver;
    }
    const doc = parseDocument(src, options);
    if (!doc)
        return null;
    doc.warnings.forEach(warning => log.warn(doc.options.logLevel, warning));
    if (doc.errors.length > 0) {
        if (doc.options.logLevel !== 'silent')
            throw doc.errors[0];
        else
            doc.errors = [];
    }
    return doc.toJS(Object.assign({ reviver: _reviver }, options));
}
function stringify(value, replacer, options) {
    let _replacer = null;
    if (typeof replacer === 'function' || Array.isArray(replacer)) {
        _replacer = replacer;
    }
    else if (options === undefined && replacer) {
        options = replacer;
    }
    if (typeof options === 'string')
        options = options.length;
    if (typeof options === 'number') {
        const indent = Math.round(options);
        options = indent < 1 ? undefined : indent > 8 ? { indent: 8 } : { indent };
    }
    if (value === undefined) {
        const { keepUndefined } = options ?? replacer ?? {};
        if (!keepUndefined)
            return undefined;
    }
    if (identity.isDocument(value) && !_replacer)
        return value.toString(options);
    return new Document.Document(value, _replacer, options).toString(options);
}

exports.parse = parse;
exports.parseAllDocuments = parseAllDocuments;
exports.parseDocument = parseDocument;
exports.stringify = stringify;


/***/ }),

/***/ 5840:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var map = __nccwpck_require__(7451);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var tags = __nccwpck_require__(18);

const sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
class Schema {
    constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
        this.compat = Array.isArray(compat)
            ? tags.getTags(compat, 'compat')
            : compat
                ? tags.getTags(null, compat)
                : null;
        this.name = (typeof schema === 'string' && schema) || 'core';
        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
        this.tags = tags.getTags(customTags, this.name, merge);
        this.toStringOptions = toStringDefaults ?? null;
        Object.defineProperty(this, identity.MAP, { value: map.map });
        Object.defineProperty(this, identity.SCALAR, { value: string.string });
        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
        // Used by createMap()
        this.sortMapEntries =
            typeof sortMapEntries === 'function'
                ? sortMapEntries
                : sortMapEntries === true
                    ? sortMapEntriesByKey
                    : null;
    }
    clone() {
        const copy = Object.create(Schema.prototype, Object.getOwnPropertyDescriptors(this));
        copy.tags = this.tags.slice();
        return copy;
    }
}

exports.Schema = Schema;


/***/ }),

/***/ 7451:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var YAMLMap = __nccwpck_require__(4454);

const map = {
    collection: 'map',
    default: true,
    nodeClass: YAMLMap.YAMLMap,
    tag: 'tag:yaml.org,2002:map',
    resolve(map, onError) {
        if (!identity.isMap(map))
            onError('Expected a mapping for this tag');
        return map;
    },
    createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
};

exports.map = map;


/***/ }),

/***/ 3632:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

const nullTag = {
    identify: value => value == null,
    createNode: () => new Scalar.Scalar(null),
    default: true,
    tag: 'tag:yaml.org,2002:null',
    test: /^(?:~|[Nn]ull|NULL)?$/,
    resolve: () => new Scalar.Scalar(null),
    stringify: ({ source }, ctx) => typeof source === 'string' && nullTag.test.test(source)
        ? source
        : ctx.options.nullStr
};

exports.nullTag = nullTag;


/***/ }),

/***/ 1706:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var YAMLSeq = __nccwpck_require__(2223);

const seq = {
    collection: 'seq',
    default: true,
    nodeClass: YAMLSeq.YAMLSeq,
    tag: 'tag:yaml.org,2002:seq',
    resolve(seq, onError) {
        if (!identity.isSeq(seq))
            onError('Expected a sequence for this tag');
        return seq;
    },
    createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
};

exports.seq = seq;


/***/ }),

/***/ 6464:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyString = __nccwpck_require__(3069);

const string = {
    identify: value => typeof value === 'string',
    default: true,
    tag: 'tag:yaml.org,2002:str',
    resolve: str => str,
    stringify(item, ctx, onComment, onChompKeep) {
        ctx = Object.assign({ actualString: true }, ctx);
        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
    }
};

exports.string = string;


/***/ }),

/***/ 3959:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

const boolTag = {
    identify: value => typeof value === 'boolean',
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
    resolve: str => new Scalar.Scalar(str[0] === 't' || str[0] === 'T'),
    stringify({ source, value }, ctx) {
        if (source && boolTag.test.test(source)) {
            const sv = source[0] === 't' || source[0] === 'T';
            if (value === sv)
                return source;
        }
        return value ? ctx.options.trueStr : ctx.options.falseStr;
    }
};

exports.boolTag = boolTag;


/***/ }),

/***/ 8405:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var stringifyNumber = __nccwpck_require__(8689);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: str => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
    resolve: str => parseFloat(str),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str));
        const dot = str.indexOf('.');
        if (dot !== -1 && str[str.length - 1] === '0')
            node.minFractionDigits = str.length - dot - 1;
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 9874:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
const intResolve = (str, offset, radix, { intAsBigInt }) => (intAsBigInt ? BigInt(str) : parseInt(str.substring(offset), radix));
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value) && value >= 0)
        return prefix + value.toString(radix);
    return stringifyNumber.stringifyNumber(node);
}
const intOct = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^0o[0-7]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 8, opt),
    stringify: node => intStringify(node, 8, '0o')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^0x[0-9a-fA-F]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 896:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var bool = __nccwpck_require__(3959);
var float = __nccwpck_require__(8405);
var int = __nccwpck_require__(9874);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.boolTag,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float
];

exports.schema = schema;


/***/ }),

/***/ 3559:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var map = __nccwpck_require__(7451);
var seq = __nccwpck_require__(1706);

function intIdentify(value) {
    return typeof value === 'bigint' || Number.isInteger(value);
}
const stringifyJSON = ({ value }) => JSON.stringify(value);
const jsonScalars = [
    {
        identify: value => typeof value === 'string',
        default: true,
        tag: 'tag:yaml.org,2002:str',
        resolve: str => str,
        stringify: stringifyJSON
    },
    {
        identify: value => value == null,
        createNode: () => new Scalar.Scalar(null),
        default: true,
        tag: 'tag:yaml.org,2002:null',
        test: /^null$/,
        resolve: () => null,
        stringify: stringifyJSON
    },
    {
        identify: value => typeof value === 'boolean',
        default: true,
        tag: 'tag:yaml.org,2002:bool',
        test: /^true$|^false$/,
        resolve: str => str === 'true',
        stringify: stringifyJSON
    },
    {
        identify: intIdentify,
        default: true,
        tag: 'tag:yaml.org,2002:int',
        test: /^-?(?:0|[1-9][0-9]*)$/,
        resolve: (str, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str, 10),
        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
    },
    {
        identify: value => typeof value === 'number',
        default: true,
        tag: 'tag:yaml.org,2002:float',
        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
        resolve: str => parseFloat(str),
        stringify: stringifyJSON
    }
];
const jsonError = {
    default: true,
    tag: '',
    test: /^/,
    resolve(str, onError) {
        onError(`Unresolved plain scalar ${JSON.stringify(str)}`);
        return str;
    }
};
const schema = [map.map, seq.seq].concat(jsonScalars, jsonError);

exports.schema = schema;


/***/ }),

/***/ 18:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var bool = __nccwpck_require__(3959);
var float = __nccwpck_require__(8405);
var int = __nccwpck_require__(9874);
var schema = __nccwpck_require__(896);
var schema$1 = __nccwpck_require__(3559);
var binary = __nccwpck_require__(6083);
var merge = __nccwpck_require__(452);
var omap = __nccwpck_require__(303);
var pairs = __nccwpck_require__(8385);
var schema$2 = __nccwpck_require__(5913);
var set = __nccwpck_require__(1528);
var timestamp = __nccwpck_require__(6752);

const schemas = new Map([
    ['core', schema.schema],
    ['failsafe', [map.map, seq.seq, string.string]],
    ['json', schema$1.schema],
    ['yaml11', schema$2.schema],
    ['yaml-1.1', schema$2.schema]
]);
const tagsByName = {
    binary: binary.binary,
    bool: bool.boolTag,
    float: float.float,
    floatExp: float.floatExp,
    floatNaN: float.floatNaN,
    floatTime: timestamp.floatTime,
    int: int.int,
    intHex: int.intHex,
    intOct: int.intOct,
    intTime: timestamp.intTime,
    map: map.map,
    merge: merge.merge,
    null: _null.nullTag,
    omap: omap.omap,
    pairs: pairs.pairs,
    seq: seq.seq,
    set: set.set,
    timestamp: timestamp.timestamp
};
const coreKnownTags = {
    'tag:yaml.org,2002:binary': binary.binary,
    'tag:yaml.org,2002:merge': merge.merge,
    'tag:yaml.org,2002:omap': omap.omap,
    'tag:yaml.org,2002:pairs': pairs.pairs,
    'tag:yaml.org,2002:set': set.set,
    'tag:yaml.org,2002:timestamp': timestamp.timestamp
};
function getTags(customTags, schemaName, addMergeTag) {
    const schemaTags = schemas.get(schemaName);
    if (schemaTags && !customTags) {
        return addMergeTag && !schemaTags.includes(merge.merge)
            ? schemaTags.concat(merge.merge)
            : schemaTags.slice();
    }
    let tags = schemaTags;
    if (!tags) {
        if (Array.isArray(customTags))
            tags = [];
        else {
            const keys = Array.from(schemas.keys())
                .filter(key => key !== 'yaml11')
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
        }
    }
    if (Array.isArray(customTags)) {
        for (const tag of customTags)
            tags = tags.concat(tag);
    }
    else if (typeof customTags === 'function') {
        tags = customTags(tags.slice());
    }
    if (addMergeTag)
        tags = tags.concat(merge.merge);
    return tags.reduce((tags, tag) => {
        const tagObj = typeof tag === 'string' ? tagsByName[tag] : tag;
        if (!tagObj) {
            const tagName = JSON.stringify(tag);
            const keys = Object.keys(tagsByName)
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
        }
        if (!tags.includes(tagObj))
            tags.push(tagObj);
        return tags;
    }, []);
}

exports.coreKnownTags = coreKnownTags;
exports.getTags = getTags;


/***/ }),

/***/ 6083:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_buffer = __nccwpck_require__(181);
var Scalar = __nccwpck_require__(3301);
var stringifyString = __nccwpck_require__(3069);

const binary = {
    identify: value => value instanceof Uint8Array, // Buffer inherits from Uint8Array
    default: false,
    tag: 'tag:yaml.org,2002:binary',
    /**
     * Returns a Buffer in node and an Uint8Array in browsers
     *
     * To use the resulting buffer as an image, you'll want to do something like:
     *
     *   const blob = new Blob([buffer], { type: 'image/jpeg' })
     *   document.querySelector('#photo').src = URL.createObjectURL(blob)
     */
    resolve(src, onError) {
        if (typeof node_buffer.Buffer === 'function') {
            return node_buffer.Buffer.from(src, 'base64');
        }
        else if (typeof atob === 'function') {
            // On IE 11, atob() can't handle newlines
            const str = atob(src.replace(/[\n\r]/g, ''));
            const buffer = new Uint8Array(str.length);
            for (let i = 0; i < str.length; ++i)
                buffer[i] = str.charCodeAt(i);
            return buffer;
        }
        else {
            onError('This environment does not support reading binary tags; either Buffer or atob is required');
            return src;
        }
    },
    stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
        if (!value)
            return '';
        const buf = value; // checked earlier by binary.identify()
        let str;
        if (typeof node_buffer.Buffer === 'function') {
            str =
                buf instanceof node_buffer.Buffer
                    ? buf.toString('base64')
                    : node_buffer.Buffer.from(buf.buffer).toString('base64');
        }
        else if (typeof btoa === 'function') {
            let s = '';
            for (let i = 0; i < buf.length; ++i)
                s += String.fromCharCode(buf[i]);
            str = btoa(s);
        }
        else {
            throw new Error('This environment does not support writing binary tags; either Buffer or btoa is required');
        }
        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
            const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
            const n = Math.ceil(str.length / lineWidth);
            const lines = new Array(n);
            for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
                lines[i] = str.substr(o, lineWidth);
            }
            str = lines.join(type === Scalar.Scalar.BLOCK_LITERAL ? '\n' : ' ');
        }
        return stringifyString.stringifyString({ comment, type, value: str }, ctx, onComment, onChompKeep);
    }
};

exports.binary = binary;


/***/ }),

/***/ 8398:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

function boolStringify({ value, source }, ctx) {
    const boolObj = value ? trueTag : falseTag;
    if (source && boolObj.test.test(source))
        return source;
    return value ? ctx.options.trueStr : ctx.options.falseStr;
}
const trueTag = {
    identify: value => value === true,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
    resolve: () => new Scalar.Scalar(true),
    stringify: boolStringify
};
const falseTag = {
    identify: value => value === false,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
    resolve: () => new Scalar.Scalar(false),
    stringify: boolStringify
};

exports.falseTag = falseTag;
exports.trueTag = trueTag;


/***/ }),

/***/ 5782:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var stringifyNumber = __nccwpck_require__(8689);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: (str) => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
    resolve: (str) => parseFloat(str.replace(/_/g, '')),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str.replace(/_/g, '')));
        const dot = str.indexOf('.');
        if (dot !== -1) {
            const f = str.substring(dot + 1).replace(/_/g, '');
            if (f[f.length - 1] === '0')
                node.minFractionDigits = f.length;
        }
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 873:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
function intResolve(str, offset, radix, { intAsBigInt }) {
    const sign = str[0];
    if (sign === '-' || sign === '+')
        offset += 1;
    str = str.substring(offset).replace(/_/g, '');
    if (intAsBigInt) {
        switch (radix) {
            case 2:
                str = `0b${str}`;
                break;
            case 8:
                str = `0o${str}`;
                break;
            case 16:
                str = `0x${str}`;
                break;
        }
        const n = BigInt(str);
        return sign === '-' ? BigInt(-1) * n : n;
    }
    const n = parseInt(str, radix);
    return sign === '-' ? -1 * n : n;
}
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value)) {
        const str = value.toString(radix);
        return value < 0 ? '-' + prefix + str.substr(1) : prefix + str;
    }
    return stringifyNumber.stringifyNumber(node);
}
const intBin = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'BIN',
    test: /^[-+]?0b[0-1_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 2, opt),
    stringify: node => intStringify(node, 2, '0b')
};
const intOct = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^[-+]?0[0-7_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 1, 8, opt),
    stringify: node => intStringify(node, 8, '0')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9][0-9_]*$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^[-+]?0x[0-9a-fA-F_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intBin = intBin;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 452:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);

// If the value associated with a merge key is a single mapping node, each of
// its key/value pairs is inserted into the current mapping, unless the key
// already exists in it. If the value associated with the merge key is a
// sequence, then this sequence is expected to contain mapping nodes and each
// of these nodes is merged in turn according to its order in the sequence.
// Keys in mapping nodes earlier in the sequence override keys specified in
// later mapping nodes. -- http://yaml.org/type/merge.html
const MERGE_KEY = '<<';
const merge = {
    identify: value => value === MERGE_KEY ||
        (typeof value === 'symbol' && value.description === MERGE_KEY),
    default: 'key',
    tag: 'tag:yaml.org,2002:merge',
    test: /^<<$/,
    resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
        addToJSMap: addMergeToJSMap
    }),
    stringify: () => MERGE_KEY
};
const isMergeKey = (ctx, key) => (merge.identify(key) ||
    (identity.isScalar(key) &&
        (!key.type || key.type === Scalar.Scalar.PLAIN) &&
        merge.identify(key.value))) &&
    ctx?.doc.schema.tags.some(tag => tag.tag === merge.tag && tag.default);
function addMergeToJSMap(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (identity.isSeq(source))
        for (const it of source.items)
            mergeValue(ctx, map, it);
    else if (Array.isArray(source))
        for (const it of source)
            mergeValue(ctx, map, it);
    else
        mergeValue(ctx, map, source);
}
function mergeValue(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (!identity.isMap(source))
        throw new Error('Merge sources must be maps or map aliases');
    const srcMap = source.toJSON(null, ctx, Map);
    for (const [key, value] of srcMap) {
        if (map instanceof Map) {
            if (!map.has(key))
                map.set(key, value);
        }
        else if (map instanceof Set) {
            map.add(key);
        }
        else if (!Object.prototype.hasOwnProperty.call(map, key)) {
            Object.defineProperty(map, key, {
                value,
                writable: true,
                enumerable: true,
                configurable: true
            });
        }
    }
    return map;
}
function resolveAliasValue(ctx, value) {
    return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
}

exports.addMergeToJSMap = addMergeToJSMap;
exports.isMergeKey = isMergeKey;
exports.merge = merge;


/***/ }),

/***/ 303:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var pairs = __nccwpck_require__(8385);

class YAMLOMap extends YAMLSeq.YAMLSeq {
    constructor() {
        super();
        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
        this.tag = YAMLOMap.tag;
    }
    /**
     * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
     * but TypeScript won't allow widening the signature of a child method.
     */
    toJSON(_, ctx) {
        if (!ctx)
            return super.toJSON(_);
        const map = new Map();
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const pair of this.items) {
            let key, value;
            if (identity.isPair(pair)) {
                key = toJS.toJS(pair.key, '', ctx);
                value = toJS.toJS(pair.value, key, ctx);
            }
            else {
                key = toJS.toJS(pair, '', ctx);
            }
            if (map.has(key))
                throw new Error('Ordered maps must not include duplicate keys');
            map.set(key, value);
        }
        return map;
    }
    static from(schema, iterable, ctx) {
        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
        const omap = new this();
        omap.items = pairs$1.items;
        return omap;
    }
}
YAMLOMap.tag = 'tag:yaml.org,2002:omap';
const omap = {
    collection: 'seq',
    identify: value => value instanceof Map,
    nodeClass: YAMLOMap,
    default: false,
    tag: 'tag:yaml.org,2002:omap',
    resolve(seq, onError) {
        const pairs$1 = pairs.resolvePairs(seq, onError);
        const seenKeys = [];
        for (const { key } of pairs$1.items) {
            if (identity.isScalar(key)) {
                if (seenKeys.includes(key.value)) {
                    onError(`Ordered maps must not include duplicate keys: ${key.value}`);
                }
                else {
                    seenKeys.push(key.value);
                }
            }
        }
        return Object.assign(new YAMLOMap(), pairs$1);
    },
    createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
};

exports.YAMLOMap = YAMLOMap;
exports.omap = omap;


/***/ }),

/***/ 8385:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);
var YAMLSeq = __nccwpck_require__(2223);

function resolvePairs(seq, onError) {
    if (identity.isSeq(seq)) {
        for (let i = 0; i < seq.items.length; ++i) {
            let item = seq.items[i];
            if (identity.isPair(item))
                continue;
            else if (identity.isMap(item)) {
                if (item.items.length > 1)
                    onError('Each pair must have its own sequence indicator');
                const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
                if (item.commentBefore)
                    pair.key.commentBefore = pair.key.commentBefore
                        ? `${item.commentBefore}\n${pair.key.commentBefore}`
                        : item.commentBefore;
                if (item.comment) {
                    const cn = pair.value ?? pair.key;
                    cn.comment = cn.comment
                        ? `${item.comment}\n${cn.comment}`
                        : item.comment;
                }
                item = pair;
            }
            seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
        }
    }
    else
        onError('Expected a sequence for this tag');
    return seq;
}
function createPairs(schema, iterable, ctx) {
    const { replacer } = ctx;
    const pairs = new YAMLSeq.YAMLSeq(schema);
    pairs.tag = 'tag:yaml.org,2002:pairs';
    let i = 0;
    if (iterable && Symbol.iterator in Object(iterable))
        for (let it of iterable) {
            if (typeof replacer === 'function')
                it = replacer.call(iterable, String(i++), it);
            let key, value;
            if (Array.isArray(it)) {
                if (it.length === 2) {
                    key = it[0];
                    value = it[1];
                }
                else
                    throw new TypeError(`Expected [key, value] tuple: ${it}`);
            }
            else if (it && it instanceof Object) {
                const keys = Object.keys(it);
                if (keys.length === 1) {
                    key = keys[0];
                    value = it[key];
                }
                else {
                    throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
                }
            }
            else {
                key = it;
            }
            pairs.items.push(Pair.createPair(key, value, ctx));
        }
    return pairs;
}
const pairs = {
    collection: 'seq',
    default: false,
    tag: 'tag:yaml.org,2002:pairs',
    resolve: resolvePairs,
    createNode: createPairs
};

exports.createPairs = createPairs;
exports.pairs = pairs;
exports.resolvePairs = resolvePairs;


/***/ }),

/***/ 5913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var binary = __nccwpck_require__(6083);
var bool = __nccwpck_require__(8398);
var float = __nccwpck_require__(5782);
var int = __nccwpck_require__(873);
var merge = __nccwpck_require__(452);
var omap = __nccwpck_require__(303);
var pairs = __nccwpck_require__(8385);
var set = __nccwpck_require__(1528);
var timestamp = __nccwpck_require__(6752);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.trueTag,
    bool.falseTag,
    int.intBin,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float,
    binary.binary,
    merge.merge,
    omap.omap,
    pairs.pairs,
    set.set,
    timestamp.intTime,
    timestamp.floatTime,
    timestamp.timestamp
];

exports.schema = schema;


/***/ }),

/***/ 1528:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);

class YAMLSet extends YAMLMap.YAMLMap {
    constructor(schema) {
        super(schema);
        this.tag = YAMLSet.tag;
    }
    add(key) {
        let pair;
        if (identity.isPair(key))
            pair = key;
        else if (key &&
            typeof key === 'object' &&
            'key' in key &&
            'value' in key &&
            key.value === null)
            pair = new Pair.Pair(key.key, null);
        else
            pair = new Pair.Pair(key, null);
        const prev = YAMLMap.findPair(this.items, pair.key);
        if (!prev)
            this.items.push(pair);
    }
    /**
     * If `keepPair` is `true`, returns the Pair matching `key`.
     * Otherwise, returns the value of that Pair's key.
     */
    get(key, keepPair) {
        const pair = YAMLMap.findPair(this.items, key);
        return !keepPair && identity.isPair(pair)
            ? identity.isScalar(pair.key)
                ? pair.key.value
                : pair.key
            : pair;
    }
    set(key, value) {
        if (typeof value !== 'boolean')
            throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
        const prev = YAMLMap.findPair(this.items, key);
        if (prev && !value) {
            this.items.splice(this.items.indexOf(prev), 1);
        }
        else if (!prev && value) {
            this.items.push(new Pair.Pair(key));
        }
    }
    toJSON(_, ctx) {
        return super.toJSON(_, ctx, Set);
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        if (this.hasAllNullValues(true))
            return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
        else
            throw new Error('Set items must all have null values');
    }
    static from(schema, iterable, ctx) {
        const { replacer } = ctx;
        const set = new this(schema);
        if (iterable && Symbol.iterator in Object(iterable))
            for (let value of iterable) {
                if (typeof replacer === 'function')
                    value = replacer.call(iterable, value, value);
                set.items.push(Pair.createPair(value, null, ctx));
            }
        return set;
    }
}
YAMLSet.tag = 'tag:yaml.org,2002:set';
const set = {
    collection: 'map',
    identify: value => value instanceof Set,
    nodeClass: YAMLSet,
    default: false,
    tag: 'tag:yaml.org,2002:set',
    createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
    resolve(map, onError) {
        if (identity.isMap(map)) {
            if (map.hasAllNullValues(true))
                return Object.assign(new YAMLSet(), map);
            else
                onError('Set items must all have null values');
        }
        else
            onError('Expected a mapping for this tag');
        return map;
    }
};

exports.YAMLSet = YAMLSet;
exports.set = set;


/***/ }),

/***/ 6752:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

/** Internal types handle bigint as number, because TS can't figure it out. */
function parseSexagesimal(str, asBigInt) {
    const sign = str[0];
    const parts = sign === '-' || sign === '+' ? str.substring(1) : str;
    const num = (n) => asBigInt ? BigInt(n) : Number(n);
    const res = parts
        .replace(/_/g, '')
        .split(':')
        .reduce((res, p) => res * num(60) + num(p), num(0));
    return (sign === '-' ? num(-1) * res : res);
}
/**
 * hhhh:mm:ss.sss
 *
 * Internal types handle bigint as number, because TS can't figure it out.
 */
function stringifySexagesimal(node) {
    let { value } = node;
    let num = (n) => n;
    if (typeof value === 'bigint')
        num = n => BigInt(n);
    else if (isNaN(value) || !isFinite(value))
        return stringifyNumber.stringifyNumber(node);
    let sign = '';
    if (value < 0) {
        sign = '-';
        value *= num(-1);
    }
    const _60 = num(60);
    const parts = [value % _60]; // seconds, including ms
    if (value < 60) {
        parts.unshift(0); // at least one : is required
    }
    else {
        value = (value - parts[0]) / _60;
        parts.unshift(value % _60); // minutes
        if (value >= 60) {
            value = (value - parts[0]) / _60;
            parts.unshift(value); // hours
        }
    }
    return (sign +
        parts
            .map(n => String(n).padStart(2, '0'))
            .join(':')
            .replace(/000000\d*$/, '') // % 60 may introduce error
    );
}
const intTime = {
    identify: value => typeof value === 'bigint' || Number.isInteger(value),
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
    resolve: (str, _onError, { intAsBigInt }) => parseSexagesimal(str, intAsBigInt),
    stringify: stringifySexagesimal
};
const floatTime = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
    resolve: str => parseSexagesimal(str, false),
    stringify: stringifySexagesimal
};
const timestamp = {
    identify: value => value instanceof Date,
    default: true,
    tag: 'tag:yaml.org,2002:timestamp',
    // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
    // may be omitted altogether, resulting in a date format. In such a case, the time part is
    // assumed to be 00:00:00Z (start of day, UTC).
    test: RegExp('^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})' + // YYYY-Mm-Dd
        '(?:' + // time is optional
        '(?:t|T|[ \\t]+)' + // t | T | whitespace
        '([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)' + // Hh:Mm:Ss(.ss)?
        '(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?' + // Z | +5 | -03:30
        ')?$'),
    resolve(str) {
        const match = str.match(timestamp.test);
        if (!match)
            throw new Error('!!timestamp expects a date, starting with yyyy-mm-dd');
        const [, year, month, day, hour, minute, second] = match.map(Number);
        const millisec = match[7] ? Number((match[7] + '00').substr(1, 3)) : 0;
        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
        const tz = match[8];
        if (tz && tz !== 'Z') {
            let d = parseSexagesimal(tz, false);
            if (Math.abs(d) < 30)
                d *= 60;
            date -= 60000 * d;
        }
        return new Date(date);
    },
    stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, '') ?? ''
};

exports.floatTime = floatTime;
exports.intTime = intTime;
exports.timestamp = timestamp;


/***/ }),

/***/ 4475:
/***/ ((__unused_webpack_module, exports) => {



const FOLD_FLOW = 'flow';
const FOLD_BLOCK = 'block';
const FOLD_QUOTED = 'quoted';
/**
 * Tries to keep input at up to `lineWidth` characters, splitting only on spaces
 * not followed by newlines or spaces unless `mode` is `'quoted'`. Lines are
 * terminated with `\n` and started with `indent`.
 */
function foldFlowLines(text, indent, mode = 'flow', { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
    if (!lineWidth || lineWidth < 0)
        return text;
    if (lineWidth < minContentWidth)
        minContentWidth = 0;
    const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
    if (text.length <= endStep)
        return text;
    const folds = [];
    const escapedFolds = {};
    let end = lineWidth - indent.length;
    if (typeof indentAtStart === 'number') {
        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
            folds.push(0);
        else
            end = lineWidth - indentAtStart;
    }
    let split = undefined;
    let prev = undefined;
    let overflow = false;
    let i = -1;
    let escStart = -1;
    let escEnd = -1;
    if (mode === FOLD_BLOCK) {
        i = consumeMoreIndentedLines(text, i, indent.length);
        if (i !== -1)
            end = i + endStep;
    }
    for (let ch; (ch = text[(i += 1)]);) {
        if (mode === FOLD_QUOTED && ch === '\\') {
            escStart = i;
            switch (text[i + 1]) {
                case 'x':
                    i += 3;
                    break;
                case 'u':
                    i += 5;
                    break;
                case 'U':
                    i += 9;
                    break;
                default:
                    i += 1;
            }
            escEnd = i;
        }
        if (ch === '\n') {
            if (mode === FOLD_BLOCK)
                i = consumeMoreIndentedLines(text, i, indent.length);
            end = i + indent.length + endStep;
            split = undefined;
        }
        else {
            if (ch === ' ' &&
                prev &&
                prev !== ' ' &&
                prev !== '\n' &&
                prev !== '\t') {
                // space surrounded by non-space can be replaced with newline + indent
                const next = text[i + 1];
                if (next && next !== ' ' && next !== '\n' && next !== '\t')
                    split = i;
            }
            if (i >= end) {
                if (split) {
                    folds.push(split);
                    end = split + endStep;
                    split = undefined;
                }
                else if (mode === FOLD_QUOTED) {
                    // white-space collected at end may stretch past lineWidth
                    while (prev === ' ' || prev === '\t') {
                        prev = ch;
                        ch = text[(i += 1)];
                        overflow = true;
                    }
                    // Account for newline escape, but don't break preceding escape
                    const j = i > escEnd + 1 ? i - 2 : escStart - 1;
                    // Bail out if lineWidth & minContentWidth are shorter than an escape string
                    if (escapedFolds[j])
                        return text;
                    folds.push(j);
                    escapedFolds[j] = true;
                    end = j + endStep;
                    split = undefined;
                }
                else {
                    overflow = true;
                }
            }
        }
        prev = ch;
    }
    if (overflow && onOverflow)
        onOverflow();
    if (folds.length === 0)
        return text;
    if (onFold)
        onFold();
    let res = text.slice(0, folds[0]);
    for (let i = 0; i < folds.length; ++i) {
        const fold = folds[i];
        const end = folds[i + 1] || text.length;
        if (fold === 0)
            res = `\n${indent}${text.slice(0, end)}`;
        else {
            if (mode === FOLD_QUOTED && escapedFolds[fold])
                res += `${text[fold]}\\`;
            res += `\n${indent}${text.slice(fold + 1, end)}`;
        }
    }
    return res;
}
/**
 * Presumes `i + 1` is at the start of a line
 * @returns index of last newline in more-indented block
 */
function consumeMoreIndentedLines(text, i, indent) {
    let end = i;
    let start = i + 1;
    let ch = text[start];
    while (ch === ' ' || ch === '\t') {
        if (i < start + indent) {
            ch = text[++i];
        }
        else {
            do {
                ch = text[++i];
            } while (ch && ch !== '\n');
            end = i;
            start = i + 1;
            ch = text[start];
        }
    }
    return end;
}

exports.FOLD_BLOCK = FOLD_BLOCK;
exports.FOLD_FLOW = FOLD_FLOW;
exports.FOLD_QUOTED = FOLD_QUOTED;
exports.foldFlowLines = foldFlowLines;


/***/ }),

/***/ 2148:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(1596);
var identity = __nccwpck_require__(1127);
var stringifyComment = __nccwpck_require__(9799);
var stringifyString = __nccwpck_require__(3069);

function createStringifyContext(doc, options) {
    const opt = Object.assign({
        blockQuote: true,
        commentString: stringifyComment.stringifyComment,
        defaultKeyType: null,
        defaultStringType: 'PLAIN',
        directives: null,
        doubleQuotedAsJSON: false,
        doubleQuotedMinMultiLineLength: 40,
        falseStr: 'false',
        flowCollectionPadding: true,
        indentSeq: true,
        lineWidth: 80,
        minContentWidth: 20,
        nullStr: 'null',
        simpleKeys: false,
        singleQuote: null,
        trailingComma: false,
        trueStr: 'true',
        verifyAliasOrder: true
    }, doc.schema.toStringOptions, options);
    let inFlow;
    switch (opt.collectionStyle) {
        case 'block':
            inFlow = false;
            break;
        case 'flow':
            inFlow = true;
            break;
        default:
            inFlow = null;
    }
    return {
        anchors: new Set(),
        doc,
        flowCollectionPadding: opt.flowCollectionPadding ? ' ' : '',
        indent: '',
        indentStep: typeof opt.indent === 'number' ? ' '.repeat(opt.indent) : '  ',
        inFlow,
        options: opt
    };
}
function getTagObject(tags, item) {
    if (item.tag) {
        const match = tags.filter(t => t.tag === item.tag);
        if (match.length > 0)
            return match.find(t => t.format === item.format) ?? match[0];
    }
    let tagObj = undefined;
    let obj;
    if (identity.isScalar(item)) {
        obj = item.value;
        let match = tags.filter(t => t.identify?.(obj));
        if (match.length > 1) {
            const testMatch = match.filter(t => t.test);
            if (testMatch.length > 0)
                match = testMatch;
        }
        tagObj =
            match.find(t => t.format === item.format) ?? match.find(t => !t.format);
    }
    else {
        obj = item;
        tagObj = tags.find(t => t.nodeClass && obj instanceof t.nodeClass);
    }
    if (!tagObj) {
        const name = obj?.constructor?.name ?? (obj === null ? 'null' : typeof obj);
        throw new Error(`Tag not resolved for ${name} value`);
    }
    return tagObj;
}
// needs to be called before value stringifier to allow for circular anchor refs
function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
    if (!doc.directives)
        return '';
    const props = [];
    const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
    if (anchor && anchors.anchorIsValid(anchor)) {
        anchors$1.add(anchor);
        props.push(`&${anchor}`);
    }
    const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
    if (tag)
        props.push(doc.directives.tagString(tag));
    return props.join(' ');
}
function stringify(item, ctx, onComment, onChompKeep) {
    if (identity.isPair(item))
        return item.toString(ctx, onComment, onChompKeep);
    if (identity.isAlias(item)) {
        if (ctx.doc.directives)
            return item.toString(ctx);
        if (ctx.resolvedAliases?.has(item)) {
            throw new TypeError(`Cannot stringify circular structure without alias nodes`);
        }
        else {
            if (ctx.resolvedAliases)
                ctx.resolvedAliases.add(item);
            else
                ctx.resolvedAliases = new Set([item]);
            item = item.resolve(ctx.doc);
        }
    }
    let tagObj = undefined;
    const node = identity.isNode(item)
        ? item
        : ctx.doc.createNode(item, { onTagObj: o => (tagObj = o) });
    tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
    const props = stringifyProps(node, tagObj, ctx);
    if (props.length > 0)
        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
    const str = typeof tagObj.stringify === 'function'
        ? tagObj.stringify(node, ctx, onComment, onChompKeep)
        : identity.isScalar(node)
            ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep)
            : node.toString(ctx, onComment, onChompKeep);
    if (!props)
        return str;
    return identity.isScalar(node) || str[0] === '{' || str[0] === '['
        ? `${props} ${str}`
        : `${props}\n${ctx.indent}${str}`;
}

exports.createStringifyContext = createStringifyContext;
exports.stringify = stringify;


/***/ }),

/***/ 1212:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyCollection(collection, ctx, options) {
    const flow = ctx.inFlow ?? collection.flow;
    const stringify = flow ? stringifyFlowCollection : stringifyBlockCollection;
    return stringify(collection, ctx, options);
}
function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
    const { indent, options: { commentString } } = ctx;
    const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
    let chompKeep = false; // flag for the preceding node's status
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (!chompKeep && item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (!chompKeep && ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
            }
        }
        chompKeep = false;
        let str = stringify.stringify(item, itemCtx, () => (comment = null), () => (chompKeep = true));
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        if (chompKeep && comment)
            chompKeep = false;
        lines.push(blockItemPrefix + str);
    }
    let str;
    if (lines.length === 0) {
        str = flowChars.start + flowChars.end;
    }
    else {
        str = lines[0];
        for (let i = 1; i < lines.length; ++i) {
            const line = lines[i];
            str += line ? `\n${indent}${line}` : '\n';
        }
    }
    if (comment) {
        str += '\n' + stringifyComment.indentComment(commentString(comment), indent);
        if (onComment)
            onComment();
    }
    else if (chompKeep && onChompKeep)
        onChompKeep();
    return str;
}
function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
    const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
    itemIndent += indentStep;
    const itemCtx = Object.assign({}, ctx, {
        indent: itemIndent,
        inFlow: true,
        type: null
    });
    let reqNewline = false;
    let linesAtValue = 0;
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, false);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, false);
                if (ik.comment)
                    reqNewline = true;
            }
            const iv = identity.isNode(item.value) ? item.value : null;
            if (iv) {
                if (iv.comment)
                    comment = iv.comment;
                if (iv.commentBefore)
                    reqNewline = true;
            }
            else if (item.value == null && ik?.comment) {
                comment = ik.comment;
            }
        }
        if (comment)
            reqNewline = true;
        let str = stringify.stringify(item, itemCtx, () => (comment = null));
        reqNewline || (reqNewline = lines.length > linesAtValue || str.includes('\n'));
        if (i < items.length - 1) {
            str += ',';
        }
        else if (ctx.options.trailingComma) {
            if (ctx.options.lineWidth > 0) {
                reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) +
                    (str.length + 2) >
                    ctx.options.lineWidth);
            }
            if (reqNewline) {
                str += ',';
            }
        }
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        lines.push(str);
        linesAtValue = lines.length;
    }
    const { start, end } = flowChars;
    if (lines.length === 0) {
        return start + end;
    }
    else {
        if (!reqNewline) {
            const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
            reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
        }
        if (reqNewline) {
            let str = start;
            for (const line of lines)
                str += line ? `\n${indentStep}${indent}${line}` : '\n';
            return `${str}\n${indent}${end}`;
        }
        else {
            return `${start}${fcPadding}${lines.join(' ')}${fcPadding}${end}`;
        }
    }
}
function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
    if (comment && chompKeep)
        comment = comment.replace(/^\n+/, '');
    if (comment) {
        const ic = stringifyComment.indentComment(commentString(comment), indent);
        lines.push(ic.trimStart()); // Avoid double indent on first line
    }
}

exports.stringifyCollection = stringifyCollection;


/***/ }),

/***/ 9799:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringifies a comment.
 *
 * Empty comment lines are left empty,
 * lines consisting of a single space are replaced by `#`,
 * and all other lines are prefixed with a `#`.
 */
const stringifyComment = (str) => str.replace(/^(?!$)(?: $)?/gm, '#');
function indentComment(comment, indent) {
    if (/^\n+$/.test(comment))
        return comment.substring(1);
    return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
}
const lineComment = (str, indent, comment) => str.endsWith('\n')
    ? indentComment(comment, indent)
    : comment.includes('\n')
        ? '\n' + indentComment(comment, indent)
        : (str.endsWith(' ') ? '' : ' ') + comment;

exports.indentComment = indentComment;
exports.lineComment = lineComment;
exports.stringifyComment = stringifyComment;


/***/ }),

/***/ 6829:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyDocument(doc, options) {
    const lines = [];
    let hasDirectives = options.directives === true;
    if (options.directives !== false && doc.directives) {
        const dir = doc.directives.toString(doc);
        if (dir) {
            lines.push(dir);
            hasDirectives = true;
        }
        else if (doc.directives.docStart)
            hasDirectives = true;
    }
    if (hasDirectives)
        lines.push('---');
    const ctx = stringify.createStringifyContext(doc, options);
    const { commentString } = ctx.options;
    if (doc.commentBefore) {
        if (lines.length !== 1)
            lines.unshift('');
        const cs = commentString(doc.commentBefore);
        lines.unshift(stringifyComment.indentComment(cs, ''));
    }
    let chompKeep = false;
    let contentComment = null;
    if (doc.contents) {
        if (identity.isNode(doc.contents)) {
            if (doc.contents.spaceBefore && hasDirectives)
                lines.push('');
            if (doc.contents.commentBefore) {
                const cs = commentString(doc.contents.commentBefore);
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            // top-level block scalars need to be indented if followed by a comment
            ctx.forceBlockIndent = !!doc.comment;
            contentComment = doc.contents.comment;
        }
        const onChompKeep = contentComment ? undefined : () => (chompKeep = true);
        let body = stringify.stringify(doc.contents, ctx, () => (contentComment = null), onChompKeep);
        if (contentComment)
            body += stringifyComment.lineComment(body, '', commentString(contentComment));
        if ((body[0] === '|' || body[0] === '>') &&
            lines[lines.length - 1] === '---') {
            // Top-level block scalars with a preceding doc marker ought to use the
            // same line for their header.
            lines[lines.length - 1] = `--- ${body}`;
        }
        else
            lines.push(body);
    }
    else {
        lines.push(stringify.stringify(doc.contents, ctx));
    }
    if (doc.directives?.docEnd) {
        if (doc.comment) {
            const cs = commentString(doc.comment);
            if (cs.includes('\n')) {
                lines.push('...');
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            else {
                lines.push(`... ${cs}`);
            }
        }
        else {
            lines.push('...');
        }
    }
    else {
        let dc = doc.comment;
        if (dc && chompKeep)
            dc = dc.replace(/^\n+/, '');
        if (dc) {
            if ((!chompKeep || contentComment) && lines[lines.length - 1] !== '')
                lines.push('');
            lines.push(stringifyComment.indentComment(commentString(dc), ''));
        }
    }
    return lines.join('\n') + '\n';
}

exports.stringifyDocument = stringifyDocument;


/***/ }),

/***/ 8689:
/***/ ((__unused_webpack_module, exports) => {



function stringifyNumber({ format, minFractionDigits, tag, value }) {
    if (typeof value === 'bigint')
        return String(value);
    const num = typeof value === 'number' ? value : Number(value);
    if (!isFinite(num))
        return isNaN(num) ? '.nan' : num < 0 ? '-.inf' : '.inf';
    let n = Object.is(value, -0) ? '-0' : JSON.stringify(value);
    if (!format &&
        minFractionDigits &&
        (!tag || tag === 'tag:yaml.org,2002:float') &&
        /^-?\d/.test(n) &&
        !n.includes('e')) {
        let i = n.indexOf('.');
        if (i < 0) {
            i = n.length;
            n += '.';
        }
        let d = minFractionDigits - (n.length - i - 1);
        while (d-- > 0)
            n += '0';
    }
    return n;
}

exports.stringifyNumber = stringifyNumber;


/***/ }),

/***/ 9748:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
    const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
    let keyComment = (identity.isNode(key) && key.comment) || null;
    if (simpleKeys) {
        if (keyComment) {
            throw new Error('With simple keys, key nodes cannot have comments');
        }
        if (identity.isCollection(key) || (!identity.isNode(key) && typeof key === 'object')) {
            const msg = 'With simple keys, collection cannot be used as a key value';
            throw new Error(msg);
        }
    }
    let explicitKey = !simpleKeys &&
        (!key ||
            (keyComment && value == null && !ctx.inFlow) ||
            identity.isCollection(key) ||
            (identity.isScalar(key)
                ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL
                : typeof key === 'object'));
    ctx = Object.assign({}, ctx, {
        allNullValues: false,
        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
        indent: indent + indentStep
    });
    let keyCommentDone = false;
    let chompKeep = false;
    let str = stringify.stringify(key, ctx, () => (keyCommentDone = true), () => (chompKeep = true));
    if (!explicitKey && !ctx.inFlow && str.length > 1024) {
        if (simpleKeys)
            throw new Error('With simple keys, single line scalar must not span more than 1024 characters');
        explicitKey = true;
    }
    if (ctx.inFlow) {
        if (allNullValues || value == null) {
            if (keyCommentDone && onComment)
                onComment();
            return str === '' ? '?' : explicitKey ? `? ${str}` : str;
        }
    }
    else if ((allNullValues && !simpleKeys) || (value == null && explicitKey)) {
        str = `? ${str}`;
        if (keyComment && !keyCommentDone) {
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        }
        else if (chompKeep && onChompKeep)
            onChompKeep();
        return str;
    }
    if (keyCommentDone)
        keyComment = null;
    if (explicitKey) {
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        str = `? ${str}\n${indent}:`;
    }
    else {
        str = `${str}:`;
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
    }
    let vsb, vcb, valueComment;
    if (identity.isNode(value)) {
        vsb = !!value.spaceBefore;
        vcb = value.commentBefore;
        valueComment = value.comment;
    }
    else {
        vsb = false;
        vcb = null;
        valueComment = null;
        if (value && typeof value === 'object')
            value = doc.createNode(value);
    }
    ctx.implicitKey = false;
    if (!explicitKey && !keyComment && identity.isScalar(value))
        ctx.indentAtStart = str.length + 1;
    chompKeep = false;
    if (!indentSeq &&
        indentStep.length >= 2 &&
        !ctx.inFlow &&
        !explicitKey &&
        identity.isSeq(value) &&
        !value.flow &&
        !value.tag &&
        !value.anchor) {
        // If indentSeq === false, consider '- ' as part of indentation where possible
        ctx.indent = ctx.indent.substring(2);
    }
    let valueCommentDone = false;
    const valueStr = stringify.stringify(value, ctx, () => (valueCommentDone = true), () => (chompKeep = true));
    let ws = ' ';
    if (keyComment || vsb || vcb) {
        ws = vsb ? '\n' : '';
        if (vcb) {
            const cs = commentString(vcb);
            ws += `\n${stringifyComment.indentComment(cs, ctx.indent)}`;
        }
        if (valueStr === '' && !ctx.inFlow) {
            if (ws === '\n' && valueComment)
                ws = '\n\n';
        }
        else {
            ws += `\n${ctx.indent}`;
        }
    }
    else if (!explicitKey && identity.isCollection(value)) {
        const vs0 = valueStr[0];
        const nl0 = valueStr.indexOf('\n');
        const hasNewline = nl0 !== -1;
        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
        if (hasNewline || !flow) {
            let hasPropsLine = false;
            if (hasNewline && (vs0 === '&' || vs0 === '!')) {
                let sp0 = valueStr.indexOf(' ');
                if (vs0 === '&' &&
                    sp0 !== -1 &&
                    sp0 < nl0 &&
                    valueStr[sp0 + 1] === '!') {
                    sp0 = valueStr.indexOf(' ', sp0 + 1);
                }
                if (sp0 === -1 || nl0 < sp0)
                    hasPropsLine = true;
            }
            if (!hasPropsLine)
                ws = `\n${ctx.indent}`;
        }
    }
    else if (valueStr === '' || valueStr[0] === '\n') {
        ws = '';
    }
    str += ws + valueStr;
    if (ctx.inFlow) {
        if (valueCommentDone && onComment)
            onComment();
    }
    else if (valueComment && !valueCommentDone) {
        str += stringifyComment.lineComment(str, ctx.indent, commentString(valueComment));
    }
    else if (chompKeep && onChompKeep) {
        onChompKeep();
    }
    return str;
}

exports.stringifyPair = stringifyPair;


/***/ }),

/***/ 3069:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var foldFlowLines = __nccwpck_require__(4475);

const getFoldOptions = (ctx, isBlock) => ({
    indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
    lineWidth: ctx.options.lineWidth,
    minContentWidth: ctx.options.minContentWidth
});
// Also checks for lines starting with %, as parsing the output as YAML 1.1 will
// presume that's starting a new document.
const containsDocumentMarker = (str) => /^(%|---|\.\.\.)/m.test(str);
function lineLengthOverLimit(str, lineWidth, indentLength) {
    if (!lineWidth || lineWidth < 0)
        return false;
    const limit = lineWidth - indentLength;
    const strLen = str.length;
    if (strLen <= limit)
        return false;
    for (let i = 0, start = 0; i < strLen; ++i) {
        if (str[i] === '\n') {
            if (i - start > limit)
                return true;
            start = i + 1;
            if (strLen - start <= limit)
                return false;
        }
    }
    return true;
}
function doubleQuotedString(value, ctx) {
    const json = JSON.stringify(value);
    if (ctx.options.doubleQuotedAsJSON)
        return json;
    const { implicitKey } = ctx;
    const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    let str = '';
    let start = 0;
    for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
        if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
            // space before newline needs to be escaped to not be folded
            str += json.slice(start, i) + '\\ ';
            i += 1;
            start = i;
            ch = '\\';
        }
        if (ch === '\\')
            switch (json[i + 1]) {
                case 'u':
                    {
                        str += json.slice(start, i);
                        const code = json.substr(i + 2, 4);
                        switch (code) {
                            case '0000':
                                str += '\\0';
                                break;
                            case '0007':
                                str += '\\a';
                                break;
                            case '000b':
                                str += '\\v';
                                break;
                            case '001b':
                                str += '\\e';
                                break;
                            case '0085':
                                str += '\\N';
                                break;
                            case '00a0':
                                str += '\\_';
                                break;
                            case '2028':
                                str += '\\L';
                                break;
                            case '2029':
                                str += '\\P';
                                break;
                            default:
                                if (code.substr(0, 2) === '00')
                                    str += '\\x' + code.substr(2);
                                else
                                    str += json.substr(i, 6);
                        }
                        i += 5;
                        start = i + 1;
                    }
                    break;
                case 'n':
                    if (implicitKey ||
                        json[i + 2] === '"' ||
                        json.length < minMultiLineLength) {
                        i += 1;
                    }
                    else {
                        // folding will eat first newline
                        str += json.slice(start, i) + '\n\n';
                        while (json[i + 2] === '\\' &&
                            json[i + 3] === 'n' &&
                            json[i + 4] !== '"') {
                            str += '\n';
                            i += 2;
                        }
                        str += indent;
                        // space after newline needs to be escaped to not be folded
                        if (json[i + 2] === ' ')
                            str += '\\';
                        i += 1;
                        start = i + 1;
                    }
                    break;
                default:
                    i += 1;
            }
    }
    str = start ? str + json.slice(start) : json;
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
}
function singleQuotedString(value, ctx) {
    if (ctx.options.singleQuote === false ||
        (ctx.implicitKey && value.includes('\n')) ||
        /[ \t]\n|\n[ \t]/.test(value) // single quoted string can't have leading or trailing whitespace around newline
    )
        return doubleQuotedString(value, ctx);
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`) + "'";
    return ctx.implicitKey
        ? res
        : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function quotedString(value, ctx) {
    const { singleQuote } = ctx.options;
    let qs;
    if (singleQuote === false)
        qs = doubleQuotedString;
    else {
        const hasDouble = value.includes('"');
        const hasSingle = value.includes("'");
        if (hasDouble && !hasSingle)
            qs = singleQuotedString;
        else if (hasSingle && !hasDouble)
            qs = doubleQuotedString;
        else
            qs = singleQuote ? singleQuotedString : doubleQuotedString;
    }
    return qs(value, ctx);
}
// The negative lookbehind avoids a polynomial search,
// but isn't supported yet on Safari: https://caniuse.com/js-regexp-lookbehind
let blockEndNewlines;
try {
    blockEndNewlines = new RegExp('(^|(?<!\n))\n+(?!\n|$)', 'g');
}
catch {
    blockEndNewlines = /\n+(?!\n|$)/g;
}
function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
    const { blockQuote, commentString, lineWidth } = ctx.options;
    // 1. Block can't end in whitespace unless the last line is non-empty.
    // 2. Strings consisting of only whitespace are best rendered explicitly.
    if (!blockQuote || /\n[\t ]+$/.test(value)) {
        return quotedString(value, ctx);
    }
    const indent = ctx.indent ||
        (ctx.forceBlockIndent || containsDocumentMarker(value) ? '  ' : '');
    const literal = blockQuote === 'literal'
        ? true
        : blockQuote === 'folded' || type === Scalar.Scalar.BLOCK_FOLDED
            ? false
            : type === Scalar.Scalar.BLOCK_LITERAL
                ? true
                : !lineLengthOverLimit(value, lineWidth, indent.length);
    if (!value)
        return literal ? '|\n' : '>\n';
    // determine chomping from whitespace at value end
    let chomp;
    let endStart;
    for (endStart = value.length; endStart > 0; --endStart) {
        const ch = value[endStart - 1];
        if (ch !== '\n' && ch !== '\t' && ch !== ' ')
            break;
    }
    let end = value.substring(endStart);
    const endNlPos = end.indexOf('\n');
    if (endNlPos === -1) {
        chomp = '-'; // strip
    }
    else if (value === end || endNlPos !== end.length - 1) {
        chomp = '+'; // keep
        if (onChompKeep)
            onChompKeep();
    }
    else {
        chomp = ''; // clip
    }
    if (end) {
        value = value.slice(0, -end.length);
        if (end[end.length - 1] === '\n')
            end = end.slice(0, -1);
        end = end.replace(blockEndNewlines, `$&${indent}`);
    }
    // determine indent indicator from whitespace at value start
    let startWithSpace = false;
    let startEnd;
    let startNlPos = -1;
    for (startEnd = 0; startEnd < value.length; ++startEnd) {
        const ch = value[startEnd];
        if (ch === ' ')
            startWithSpace = true;
        else if (ch === '\n')
            startNlPos = startEnd;
        else
            break;
    }
    let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
    if (start) {
        value = value.substring(start.length);
        start = start.replace(/\n+/g, `$&${indent}`);
    }
    const indentSize = indent ? '2' : '1'; // root is at -1
    // Leading | or > is added later
    let header = (startWithSpace ? indentSize : '') + chomp;
    if (comment) {
        header += ' ' + commentString(comment.replace(/ ?[\r\n]+/g, ' '));
        if (onComment)
            onComment();
    }
    if (!literal) {
        const foldedValue = value
            .replace(/\n+/g, '\n$&')
            .replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, '$1$2') // more-indented lines aren't folded
            //                ^ more-ind. ^ empty     ^ capture next empty lines only at end of indent
            .replace(/\n+/g, `$&${indent}`);
        let literalFallback = false;
        const foldOptions = getFoldOptions(ctx, true);
        if (blockQuote !== 'folded' && type !== Scalar.Scalar.BLOCK_FOLDED) {
            foldOptions.onOverflow = () => {
                literalFallback = true;
            };
        }
        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
        if (!literalFallback)
            return `>${header}\n${indent}${body}`;
    }
    value = value.replace(/\n+/g, `$&${indent}`);
    return `|${header}\n${indent}${start}${value}${end}`;
}
function plainString(item, ctx, onComment, onChompKeep) {
    const { type, value } = item;
    const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
    if ((implicitKey && value.includes('\n')) ||
        (inFlow && /[[\]{},]/.test(value))) {
        return quotedString(value, ctx);
    }
    if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
        // not allowed:
        // - '-' or '?'
        // - start with an indicator character (except [?:-]) or /[?-] /
        // - '\n ', ': ' or ' \n' anywhere
        // - '#' not preceded by a non-space char
        // - end with ' ' or ':'
        return implicitKey || inFlow || !value.includes('\n')
            ? quotedString(value, ctx)
            : blockString(item, ctx, onComment, onChompKeep);
    }
    if (!implicitKey &&
        !inFlow &&
        type !== Scalar.Scalar.PLAIN &&
        value.includes('\n')) {
        // Where allowed & type not set explicitly, prefer block style for multiline strings
        return blockString(item, ctx, onComment, onChompKeep);
    }
    if (containsDocumentMarker(value)) {
        if (indent === '') {
            ctx.forceBlockIndent = true;
            return blockString(item, ctx, onComment, onChompKeep);
        }
        else if (implicitKey && indent === indentStep) {
            return quotedString(value, ctx);
        }
    }
    const str = value.replace(/\n+/g, `$&\n${indent}`);
    // Verify that output will be parsed as a string, as e.g. plain numbers and
    // booleans get parsed with those types in v1.2 (e.g. '42', 'true' & '0.9e-3'),
    // and others in v1.1.
    if (actualString) {
        const test = (tag) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test?.test(str);
        const { compat, tags } = ctx.doc.schema;
        if (tags.some(test) || compat?.some(test))
            return quotedString(value, ctx);
    }
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function stringifyString(item, ctx, onComment, onChompKeep) {
    const { implicitKey, inFlow } = ctx;
    const ss = typeof item.value === 'string'
        ? item
        : Object.assign({}, item, { value: String(item.value) });
    let { type } = item;
    if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
        // force double quotes on control characters & unpaired surrogates
        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
            type = Scalar.Scalar.QUOTE_DOUBLE;
    }
    const _stringify = (_type) => {
        switch (_type) {
            case Scalar.Scalar.BLOCK_FOLDED:
            case Scalar.Scalar.BLOCK_LITERAL:
                return implicitKey || inFlow
                    ? quotedString(ss.value, ctx) // blocks are not valid inside flow containers
                    : blockString(ss, ctx, onComment, onChompKeep);
            case Scalar.Scalar.QUOTE_DOUBLE:
                return doubleQuotedString(ss.value, ctx);
            case Scalar.Scalar.QUOTE_SINGLE:
                return singleQuotedString(ss.value, ctx);
            case Scalar.Scalar.PLAIN:
                return plainString(ss, ctx, onComment, onChompKeep);
            default:
                return null;
        }
    };
    let res = _stringify(type);
    if (res === null) {
        const { defaultKeyType, defaultStringType } = ctx.options;
        const t = (implicitKey && defaultKeyType) || defaultStringType;
        res = _stringify(t);
        if (res === null)
            throw new Error(`Unsupported default string type ${t}`);
    }
    return res;
}

exports.stringifyString = stringifyString;


/***/ }),

/***/ 204:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove node');
/**
 * Apply a visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
function visit(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        visit_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current node */
visit.SKIP = SKIP;
/** Remove the current node */
visit.REMOVE = REMOVE;
function visit_(key, node, visitor, path) {
    const ctrl = callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visit_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = visit_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = visit_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = visit_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
/**
 * Apply an async visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `Promise`: Must resolve to one of the following values
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
async function visitAsync(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        await visitAsync_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visitAsync.BREAK = BREAK;
/** Do not visit the children of the current node */
visitAsync.SKIP = SKIP;
/** Remove the current node */
visitAsync.REMOVE = REMOVE;
async function visitAsync_(key, node, visitor, path) {
    const ctrl = await callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visitAsync_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = await visitAsync_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = await visitAsync_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = await visitAsync_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
function initVisitor(visitor) {
    if (typeof visitor === 'object' &&
        (visitor.Collection || visitor.Node || visitor.Value)) {
        return Object.assign({
            Alias: visitor.Node,
            Map: visitor.Node,
            Scalar: visitor.Node,
            Seq: visitor.Node
        }, visitor.Value && {
            Map: visitor.Value,
            Scalar: visitor.Value,
            Seq: visitor.Value
        }, visitor.Collection && {
            Map: visitor.Collection,
            Seq: visitor.Collection
        }, visitor);
    }
    return visitor;
}
function callVisitor(key, node, visitor, path) {
    if (typeof visitor === 'function')
        return visitor(key, node, path);
    if (identity.isMap(node))
        return visitor.Map?.(key, node, path);
    if (identity.isSeq(node))
        return visitor.Seq?.(key, node, path);
    if (identity.isPair(node))
        return visitor.Pair?.(key, node, path);
    if (identity.isScalar(node))
        return visitor.Scalar?.(key, node, path);
    if (identity.isAlias(node))
        return visitor.Alias?.(key, node, path);
    return undefined;
}
function replaceNode(key, path, node) {
    const parent = path[path.length - 1];
    if (identity.isCollection(parent)) {
        parent.items[key] = node;
    }
    else if (identity.isPair(parent)) {
        if (key === 'key')
            parent.key = node;
        else
            parent.value = node;
    }
    else if (identity.isDocument(parent)) {
        parent.contents = node;
    }
    else {
        const pt = identity.isAlias(parent) ? 'alias' : 'scalar';
        throw new Error(`Cannot replace node with ${pt} parent`);
    }
}

exports.visit = visit;
exports.visitAsync = visitAsync;


/***/ }),

/***/ 9407:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Yz: () => (/* binding */ core_debug),
  V4: () => (/* binding */ getInput),
  Os: () => (/* binding */ group),
  pq: () => (/* binding */ info),
  LZ: () => (/* binding */ saveState),
  C1: () => (/* binding */ setFailed),
  uH: () => (/* binding */ setOutput),
  Pq: () => (/* binding */ core_setSecret),
  $e: () => (/* binding */ warning)
});

// UNUSED EXPORTS: ExitCode, addPath, endGroup, error, exportVariable, getBooleanInput, getIDToken, getMultilineInput, getState, isDebug, markdownSummary, notice, platform, setCommandEcho, startGroup, summary, toPlatformPath, toPosixPath, toWin32Path

;// CONCATENATED MODULE: external "os"
const external_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/utils.js
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function utils_toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function utils_toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}
//# sourceMappingURL=utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/command.js


/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function command_issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + external_os_namespaceObject.EOL);
}
function command_issue(name, message = '') {
    command_issueCommand(name, {}, message);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return utils_toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return utils_toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}
//# sourceMappingURL=command.js.map
;// CONCATENATED MODULE: external "crypto"
const external_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");
;// CONCATENATED MODULE: external "fs"
const external_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/file-command.js
// For internal use, subject to change.
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */




function file_command_issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!external_fs_namespaceObject.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    external_fs_namespaceObject.appendFileSync(filePath, `${utils_toCommandValue(message)}${external_os_namespaceObject.EOL}`, {
        encoding: 'utf8'
    });
}
function file_command_prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${external_crypto_namespaceObject.randomUUID()}`;
    const convertedValue = utils_toCommandValue(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${external_os_namespaceObject.EOL}${convertedValue}${external_os_namespaceObject.EOL}${delimiter}`;
}
//# sourceMappingURL=file-command.js.map
;// CONCATENATED MODULE: external "path"
const external_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");
// EXTERNAL MODULE: external "http"
var external_http_ = __nccwpck_require__(8611);
// EXTERNAL MODULE: external "https"
var external_https_ = __nccwpck_require__(5692);
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/proxy.js
function getProxyUrl(reqUrl) {
    const usingSsl = reqUrl.protocol === 'https:';
    if (checkBypass(reqUrl)) {
        return undefined;
    }
    const proxyVar = (() => {
        if (usingSsl) {
            return process.env['https_proxy'] || process.env['HTTPS_PROXY'];
        }
        else {
            return process.env['http_proxy'] || process.env['HTTP_PROXY'];
        }
    })();
    if (proxyVar) {
        try {
            return new DecodedURL(proxyVar);
        }
        catch (_a) {
            if (!proxyVar.startsWith('http://') && !proxyVar.startsWith('https://'))
                return new DecodedURL(`http://${proxyVar}`);
        }
    }
    else {
        return undefined;
    }
}
function checkBypass(reqUrl) {
    if (!reqUrl.hostname) {
        return false;
    }
    const reqHost = reqUrl.hostname;
    if (isLoopbackAddress(reqHost)) {
        return true;
    }
    const noProxy = process.env['no_proxy'] || process.env['NO_PROXY'] || '';
    if (!noProxy) {
        return false;
    }
    // Determine the request port
    let reqPort;
    if (reqUrl.port) {
        reqPort = Number(reqUrl.port);
    }
    else if (reqUrl.protocol === 'http:') {
        reqPort = 80;
    }
    else if (reqUrl.protocol === 'https:') {
        reqPort = 443;
    }
    // Format the request hostname and hostname with port
    const upperReqHosts = [reqUrl.hostname.toUpperCase()];
    if (typeof reqPort === 'number') {
        upperReqHosts.push(`${upperReqHosts[0]}:${reqPort}`);
    }
    // Compare request host against noproxy
    for (const upperNoProxyItem of noProxy
        .split(',')
        .map(x => x.trim().toUpperCase())
        .filter(x => x)) {
        if (upperNoProxyItem === '*' ||
            upperReqHosts.some(x => x === upperNoProxyItem ||
                x.endsWith(`.${upperNoProxyItem}`) ||
                (upperNoProxyItem.startsWith('.') &&
                    x.endsWith(`${upperNoProxyItem}`)))) {
            return true;
        }
    }
    return false;
}
function isLoopbackAddress(host) {
    const hostLower = host.toLowerCase();
    return (hostLower === 'localhost' ||
        hostLower.startsWith('127.') ||
        hostLower.startsWith('[::1]') ||
        hostLower.startsWith('[0:0:0:0:0:0:0:1]'));
}
class DecodedURL extends URL {
    constructor(url, base) {
        super(url, base);
        this._decodedUsername = decodeURIComponent(super.username);
        this._decodedPassword = decodeURIComponent(super.password);
    }
    get username() {
        return this._decodedUsername;
    }
    get password() {
        return this._decodedPassword;
    }
}
//# sourceMappingURL=proxy.js.map
// EXTERNAL MODULE: ./node_modules/tunnel/index.js
var node_modules_tunnel = __nccwpck_require__(770);
;// CONCATENATED MODULE: external "../../shared/dist/libraries/undici/on-first-use.js"
var x = (y) => {
	var x = {}; __nccwpck_require__.d(x, y); return x
} 
var y = (x) => (() => (x))
const on_first_use_js_namespaceObject = x({  });
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/index.js
/* eslint-disable @typescript-eslint/no-explicit-any */
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};





var HttpCodes;
(function (HttpCodes) {
    HttpCodes[HttpCodes["OK"] = 200] = "OK";
    HttpCodes[HttpCodes["MultipleChoices"] = 300] = "MultipleChoices";
    HttpCodes[HttpCodes["MovedPermanently"] = 301] = "MovedPermanently";
    HttpCodes[HttpCodes["ResourceMoved"] = 302] = "ResourceMoved";
    HttpCodes[HttpCodes["SeeOther"] = 303] = "SeeOther";
    HttpCodes[HttpCodes["NotModified"] = 304] = "NotModified";
    HttpCodes[HttpCodes["UseProxy"] = 305] = "UseProxy";
    HttpCodes[HttpCodes["SwitchProxy"] = 306] = "SwitchProxy";
    HttpCodes[HttpCodes["TemporaryRedirect"] = 307] = "TemporaryRedirect";
    HttpCodes[HttpCodes["PermanentRedirect"] = 308] = "PermanentRedirect";
    HttpCodes[HttpCodes["BadRequest"] = 400] = "BadRequest";
    HttpCodes[HttpCodes["Unauthorized"] = 401] = "Unauthorized";
    HttpCodes[HttpCodes["PaymentRequired"] = 402] = "PaymentRequired";
    HttpCodes[HttpCodes["Forbidden"] = 403] = "Forbidden";
    HttpCodes[HttpCodes["NotFound"] = 404] = "NotFound";
    HttpCodes[HttpCodes["MethodNotAllowed"] = 405] = "MethodNotAllowed";
    HttpCodes[HttpCodes["NotAcceptable"] = 406] = "NotAcceptable";
    HttpCodes[HttpCodes["ProxyAuthenticationRequired"] = 407] = "ProxyAuthenticationRequired";
    HttpCodes[HttpCodes["RequestTimeout"] = 408] = "RequestTimeout";
    HttpCodes[HttpCodes["Conflict"] = 409] = "Conflict";
    HttpCodes[HttpCodes["Gone"] = 410] = "Gone";
    HttpCodes[HttpCodes["TooManyRequests"] = 429] = "TooManyRequests";
    HttpCodes[HttpCodes["InternalServerError"] = 500] = "InternalServerError";
    HttpCodes[HttpCodes["NotImplemented"] = 501] = "NotImplemented";
    HttpCodes[HttpCodes["BadGateway"] = 502] = "BadGateway";
    HttpCodes[HttpCodes["ServiceUnavailable"] = 503] = "ServiceUnavailable";
    HttpCodes[HttpCodes["GatewayTimeout"] = 504] = "GatewayTimeout";
})(HttpCodes || (HttpCodes = {}));
var Headers;
(function (Headers) {
    Headers["Accept"] = "accept";
    Headers["ContentType"] = "content-type";
})(Headers || (Headers = {}));
var MediaTypes;
(function (MediaTypes) {
    MediaTypes["ApplicationJson"] = "application/json";
})(MediaTypes || (MediaTypes = {}));
/**
 * Returns the proxy URL, depending upon the supplied url and proxy environment variables.
 * @param serverUrl  The server URL where the request will be sent. For example, https://api.github.com
 */
function lib_getProxyUrl(serverUrl) {
    const proxyUrl = pm.getProxyUrl(new URL(serverUrl));
    return proxyUrl ? proxyUrl.href : '';
}
const HttpRedirectCodes = [
    HttpCodes.MovedPermanently,
    HttpCodes.ResourceMoved,
    HttpCodes.SeeOther,
    HttpCodes.TemporaryRedirect,
    HttpCodes.PermanentRedirect
];
const HttpResponseRetryCodes = [
    HttpCodes.BadGateway,
    HttpCodes.ServiceUnavailable,
    HttpCodes.GatewayTimeout
];
const RetryableHttpVerbs = (/* unused pure expression or super */ null && (['OPTIONS', 'GET', 'DELETE', 'HEAD']));
const ExponentialBackoffCeiling = 10;
const ExponentialBackoffTimeSlice = 5;
class HttpClientError extends Error {
    constructor(message, statusCode) {
        super(message);
        this.name = 'HttpClientError';
        this.statusCode = statusCode;
        Object.setPrototypeOf(this, HttpClientError.prototype);
    }
}
class HttpClientResponse {
    constructor(message) {
        this.message = message;
    }
    readBody() {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve) => __awaiter(this, void 0, void 0, function* () {
                let output = Buffer.alloc(0);
                this.message.on('data', (chunk) => {
                    output = Buffer.concat([output, chunk]);
                });
                this.message.on('end', () => {
                    resolve(output.toString());
                });
            }));
        });
    }
    readBodyBuffer() {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve) => __awaiter(this, void 0, void 0, function* () {
                const chunks = [];
                this.message.on('data', (chunk) => {
                    chunks.push(chunk);
                });
                this.message.on('end', () => {
                    resolve(Buffer.concat(chunks));
                });
            }));
        });
    }
}
function isHttps(requestUrl) {
    const parsedUrl = new URL(requestUrl);
    return parsedUrl.protocol === 'https:';
}
class lib_HttpClient {
    constructor(userAgent, handlers, requestOptions) {
        this._ignoreSslError = false;
        this._allowRedirects = true;
        this._allowRedirectDowngrade = false;
        this._maxRedirects = 50;
        this._allowRetries = false;
        this._maxRetries = 1;
        this._keepAlive = false;
        this._disposed = false;
        this.userAgent = this._getUserAgentWithOrchestrationId(userAgent);
        this.handlers = handlers || [];
        this.requestOptions = requestOptions;
        if (requestOptions) {
            if (requestOptions.ignoreSslError != null) {
                this._ignoreSslError = requestOptions.ignoreSslError;
            }
            this._socketTimeout = requestOptions.socketTimeout;
            if (requestOptions.allowRedirects != null) {
                this._allowRedirects = requestOptions.allowRedirects;
            }
            if (requestOptions.allowRedirectDowngrade != null) {
                this._allowRedirectDowngrade = requestOptions.allowRedirectDowngrade;
            }
            if (requestOptions.maxRedirects != null) {
                this._maxRedirects = Math.max(requestOptions.maxRedirects, 0);
            }
            if (requestOptions.keepAlive != null) {
                this._keepAlive = requestOptions.keepAlive;
            }
            if (requestOptions.allowRetries != null) {
                this._allowRetries = requestOptions.allowRetries;
            }
            if (requestOptions.maxRetries != null) {
                this._maxRetries = requestOptions.maxRetries;
            }
        }
    }
    options(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('OPTIONS', requestUrl, null, additionalHeaders || {});
        });
    }
    get(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('GET', requestUrl, null, additionalHeaders || {});
        });
    }
    del(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('DELETE', requestUrl, null, additionalHeaders || {});
        });
    }
    post(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('POST', requestUrl, data, additionalHeaders || {});
        });
    }
    patch(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('PATCH', requestUrl, data, additionalHeaders || {});
        });
    }
    put(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('PUT', requestUrl, data, additionalHeaders || {});
        });
    }
    head(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('HEAD', requestUrl, null, additionalHeaders || {});
        });
    }
    sendStream(verb, requestUrl, stream, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request(verb, requestUrl, stream, additionalHeaders);
        });
    }
    /**
     * Gets a typed object from an endpoint
     * Be aware that not found returns a null.  Other errors (4xx, 5xx) reject the promise
     */
    getJson(requestUrl_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, additionalHeaders = {}) {
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            const res = yield this.get(requestUrl, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    postJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.post(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    putJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.put(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    patchJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.patch(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    /**
     * Makes a raw http request.
     * All other methods such as get, post, patch, and request ultimately call this.
     * Prefer get, del, post and patch
     */
    request(verb, requestUrl, data, headers) {
        return __awaiter(this, void 0, void 0, function* () {
            if (this._disposed) {
                throw new Error('Client has already been disposed.');
            }
            const parsedUrl = new URL(requestUrl);
            let info = this._prepareRequest(verb, parsedUrl, headers);
            // Only perform retries on reads since writes may not be idempotent.
            const maxTries = this._allowRetries && RetryableHttpVerbs.includes(verb)
                ? this._maxRetries + 1
                : 1;
            let numTries = 0;
            let response;
            do {
                response = yield this.requestRaw(info, data);
                // Check if it's an authentication challenge
                if (response &&
                    response.message &&
                    response.message.statusCode === HttpCodes.Unauthorized) {
                    let authenticationHandler;
                    for (const handler of this.handlers) {
                        if (handler.canHandleAuthentication(response)) {
                            authenticationHandler = handler;
                            break;
                        }
                    }
                    if (authenticationHandler) {
                        return authenticationHandler.handleAuthentication(this, info, data);
                    }
                    else {
                        // We have received an unauthorized response but have no handlers to handle it.
                        // Let the response return to the caller.
                        return response;
                    }
                }
                let redirectsRemaining = this._maxRedirects;
                while (response.message.statusCode &&
                    HttpRedirectCodes.includes(response.message.statusCode) &&
                    this._allowRedirects &&
                    redirectsRemaining > 0) {
                    const redirectUrl = response.message.headers['location'];
                    if (!redirectUrl) {
                        // if there's no location to redirect to, we won't
                        break;
                    }
                    const parsedRedirectUrl = new URL(redirectUrl);
                    if (parsedUrl.protocol === 'https:' &&
                        parsedUrl.protocol !== parsedRedirectUrl.protocol &&
                        !this._allowRedirectDowngrade) {
                        throw new Error('Redirect from HTTPS to HTTP protocol. This downgrade is not allowed for security reasons. If you want to allow this behavior, set the allowRedirectDowngrade option to true.');
                    }
                    // we need to finish reading the response before reassigning response
                    // which will leak the open socket.
                    yield response.readBody();
                    // strip authorization header if redirected to a different hostname
                    if (parsedRedirectUrl.hostname !== parsedUrl.hostname) {
                        for (const header in headers) {
                            // header names are case insensitive
                            if (header.toLowerCase() === 'authorization') {
                                delete headers[header];
                            }
                        }
                    }
                    // let's make the request with the new redirectUrl
                    info = this._prepareRequest(verb, parsedRedirectUrl, headers);
                    response = yield this.requestRaw(info, data);
                    redirectsRemaining--;
                }
                if (!response.message.statusCode ||
                    !HttpResponseRetryCodes.includes(response.message.statusCode)) {
                    // If not a retry code, return immediately instead of retrying
                    return response;
                }
                numTries += 1;
                if (numTries < maxTries) {
                    yield response.readBody();
                    yield this._performExponentialBackoff(numTries);
                }
            } while (numTries < maxTries);
            return response;
        });
    }
    /**
     * Needs to be called if keepAlive is set to true in request options.
     */
    dispose() {
        if (this._agent) {
            this._agent.destroy();
        }
        this._disposed = true;
    }
    /**
     * Raw request.
     * @param info
     * @param data
     */
    requestRaw(info, data) {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve, reject) => {
                function callbackForResult(err, res) {
                    if (err) {
                        reject(err);
                    }
                    else if (!res) {
                        // If `err` is not passed, then `res` must be passed.
                        reject(new Error('Unknown error'));
                    }
                    else {
                        resolve(res);
                    }
                }
                this.requestRawWithCallback(info, data, callbackForResult);
            });
        });
    }
    /**
     * Raw request with callback.
     * @param info
     * @param data
     * @param onResult
     */
    requestRawWithCallback(info, data, onResult) {
        if (typeof data === 'string') {
            if (!info.options.headers) {
                info.options.headers = {};
            }
            info.options.headers['Content-Length'] = Buffer.byteLength(data, 'utf8');
        }
        let callbackCalled = false;
        function handleResult(err, res) {
            if (!callbackCalled) {
                callbackCalled = true;
                onResult(err, res);
            }
        }
        const req = info.httpModule.request(info.options, (msg) => {
            const res = new HttpClientResponse(msg);
            handleResult(undefined, res);
        });
        let socket;
        req.on('socket', sock => {
            socket = sock;
        });
        // If we ever get disconnected, we want the socket to timeout eventually
        req.setTimeout(this._socketTimeout || 3 * 60000, () => {
            if (socket) {
                socket.end();
            }
            handleResult(new Error(`Request timeout: ${info.options.path}`));
        });
        req.on('error', function (err) {
            // err has statusCode property
            // res should have headers
            handleResult(err);
        });
        if (data && typeof data === 'string') {
            req.write(data, 'utf8');
        }
        if (data && typeof data !== 'string') {
            data.on('close', function () {
                req.end();
            });
            data.pipe(req);
        }
        else {
            req.end();
        }
    }
    /**
     * Gets an http agent. This function is useful when you need an http agent that handles
     * routing through a proxy server - depending upon the url and proxy environment variables.
     * @param serverUrl  The server URL where the request will be sent. For example, https://api.github.com
     */
    getAgent(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        return this._getAgent(parsedUrl);
    }
    getAgentDispatcher(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        const proxyUrl = pm.getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (!useProxy) {
            return;
        }
        return this._getProxyAgentDispatcher(parsedUrl, proxyUrl);
    }
    _prepareRequest(method, requestUrl, headers) {
        const info = {};
        info.parsedUrl = requestUrl;
        const usingSsl = info.parsedUrl.protocol === 'https:';
        info.httpModule = usingSsl ? https : http;
        const defaultPort = usingSsl ? 443 : 80;
        info.options = {};
        info.options.host = info.parsedUrl.hostname;
        info.options.port = info.parsedUrl.port
            ? parseInt(info.parsedUrl.port)
            : defaultPort;
        info.options.path =
            (info.parsedUrl.pathname || '') + (info.parsedUrl.search || '');
        info.options.method = method;
        info.options.headers = this._mergeHeaders(headers);
        if (this.userAgent != null) {
            info.options.headers['user-agent'] = this.userAgent;
        }
        info.options.agent = this._getAgent(info.parsedUrl);
        // gives handlers an opportunity to participate
        if (this.handlers) {
            for (const handler of this.handlers) {
                handler.prepareRequest(info.options);
            }
        }
        return info;
    }
    _mergeHeaders(headers) {
        if (this.requestOptions && this.requestOptions.headers) {
            return Object.assign({}, lowercaseKeys(this.requestOptions.headers), lowercaseKeys(headers || {}));
        }
        return lowercaseKeys(headers || {});
    }
    /**
     * Gets an existing header value or returns a default.
     * Handles converting number header values to strings since HTTP headers must be strings.
     * Note: This returns string | string[] since some headers can have multiple values.
     * For headers that must always be a single string (like Content-Type), use the
     * specialized _getExistingOrDefaultContentTypeHeader method instead.
     */
    _getExistingOrDefaultHeader(additionalHeaders, header, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
            const headerValue = lowercaseKeys(this.requestOptions.headers)[header];
            if (headerValue) {
                clientHeader =
                    typeof headerValue === 'number' ? headerValue.toString() : headerValue;
            }
        }
        const additionalValue = additionalHeaders[header];
        if (additionalValue !== undefined) {
            return typeof additionalValue === 'number'
                ? additionalValue.toString()
                : additionalValue;
        }
        if (clientHeader !== undefined) {
            return clientHeader;
        }
        return _default;
    }
    /**
     * Specialized version of _getExistingOrDefaultHeader for Content-Type header.
     * Always returns a single string (not an array) since Content-Type should be a single value.
     * Converts arrays to comma-separated strings and numbers to strings to ensure type safety.
     * This was split from _getExistingOrDefaultHeader to provide stricter typing for callers
     * that assign the result to places expecting a string (e.g., additionalHeaders[Headers.ContentType]).
     */
    _getExistingOrDefaultContentTypeHeader(additionalHeaders, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
            const headerValue = lowercaseKeys(this.requestOptions.headers)[Headers.ContentType];
            if (headerValue) {
                if (typeof headerValue === 'number') {
                    clientHeader = String(headerValue);
                }
                else if (Array.isArray(headerValue)) {
                    clientHeader = headerValue.join(', ');
                }
                else {
                    clientHeader = headerValue;
                }
            }
        }
        const additionalValue = additionalHeaders[Headers.ContentType];
        // Return the first non-undefined value, converting numbers or arrays to strings if necessary
        if (additionalValue !== undefined) {
            if (typeof additionalValue === 'number') {
                return String(additionalValue);
            }
            else if (Array.isArray(additionalValue)) {
                return additionalValue.join(', ');
            }
            else {
                return additionalValue;
            }
        }
        if (clientHeader !== undefined) {
            return clientHeader;
        }
        return _default;
    }
    _getAgent(parsedUrl) {
        let agent;
        const proxyUrl = pm.getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (this._keepAlive && useProxy) {
            agent = this._proxyAgent;
        }
        if (!useProxy) {
            agent = this._agent;
        }
        // if agent is already assigned use that agent.
        if (agent) {
            return agent;
        }
        const usingSsl = parsedUrl.protocol === 'https:';
        let maxSockets = 100;
        if (this.requestOptions) {
            maxSockets = this.requestOptions.maxSockets || http.globalAgent.maxSockets;
        }
        // This is `useProxy` again, but we need to check `proxyURl` directly for TypeScripts's flow analysis.
        if (proxyUrl && proxyUrl.hostname) {
            const agentOptions = {
                maxSockets,
                keepAlive: this._keepAlive,
                proxy: Object.assign(Object.assign({}, ((proxyUrl.username || proxyUrl.password) && {
                    proxyAuth: `${proxyUrl.username}:${proxyUrl.password}`
                })), { host: proxyUrl.hostname, port: proxyUrl.port })
            };
            let tunnelAgent;
            const overHttps = proxyUrl.protocol === 'https:';
            if (usingSsl) {
                tunnelAgent = overHttps ? tunnel.httpsOverHttps : tunnel.httpsOverHttp;
            }
            else {
                tunnelAgent = overHttps ? tunnel.httpOverHttps : tunnel.httpOverHttp;
            }
            agent = tunnelAgent(agentOptions);
            this._proxyAgent = agent;
        }
        // if tunneling agent isn't assigned create a new agent
        if (!agent) {
            const options = { keepAlive: this._keepAlive, maxSockets };
            agent = usingSsl ? new https.Agent(options) : new http.Agent(options);
            this._agent = agent;
        }
        if (usingSsl && this._ignoreSslError) {
            // we don't want to set NODE_TLS_REJECT_UNAUTHORIZED=0 since that will affect request for entire process
            // http.RequestOptions doesn't expose a way to modify RequestOptions.agent.options
            // we have to cast it to any and change it directly
            agent.options = Object.assign(agent.options || {}, {
                rejectUnauthorized: false
            });
        }
        return agent;
    }
    _getProxyAgentDispatcher(parsedUrl, proxyUrl) {
        let proxyAgent;
        if (this._keepAlive) {
            proxyAgent = this._proxyAgentDispatcher;
        }
        // if agent is already assigned use that agent.
        if (proxyAgent) {
            return proxyAgent;
        }
        const usingSsl = parsedUrl.protocol === 'https:';
        proxyAgent = new ProxyAgent(Object.assign({ uri: proxyUrl.href, pipelining: !this._keepAlive ? 0 : 1 }, ((proxyUrl.username || proxyUrl.password) && {
            token: `Basic ${Buffer.from(`${proxyUrl.username}:${proxyUrl.password}`).toString('base64')}`
        })));
        this._proxyAgentDispatcher = proxyAgent;
        if (usingSsl && this._ignoreSslError) {
            // we don't want to set NODE_TLS_REJECT_UNAUTHORIZED=0 since that will affect request for entire process
            // http.RequestOptions doesn't expose a way to modify RequestOptions.agent.options
            // we have to cast it to any and change it directly
            proxyAgent.options = Object.assign(proxyAgent.options.requestTls || {}, {
                rejectUnauthorized: false
            });
        }
        return proxyAgent;
    }
    _getUserAgentWithOrchestrationId(userAgent) {
        const baseUserAgent = userAgent || 'actions/http-client';
        const orchId = process.env['ACTIONS_ORCHESTRATION_ID'];
        if (orchId) {
            // Sanitize the orchestration ID to ensure it contains only valid characters
            // Valid characters: 0-9, a-z, _, -, .
            const sanitizedId = orchId.replace(/[^a-z0-9_.-]/gi, '_');
            return `${baseUserAgent} actions_orchestration_id/${sanitizedId}`;
        }
        return baseUserAgent;
    }
    _performExponentialBackoff(retryNumber) {
        return __awaiter(this, void 0, void 0, function* () {
            retryNumber = Math.min(ExponentialBackoffCeiling, retryNumber);
            const ms = ExponentialBackoffTimeSlice * Math.pow(2, retryNumber);
            return new Promise(resolve => setTimeout(() => resolve(), ms));
        });
    }
    _processResponse(res, options) {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve, reject) => __awaiter(this, void 0, void 0, function* () {
                const statusCode = res.message.statusCode || 0;
                const response = {
                    statusCode,
                    result: null,
                    headers: {}
                };
                // not found leads to null obj returned
                if (statusCode === HttpCodes.NotFound) {
                    resolve(response);
                }
                // get the result from the body
                function dateTimeDeserializer(key, value) {
                    if (typeof value === 'string') {
                        const a = new Date(value);
                        if (!isNaN(a.valueOf())) {
                            return a;
                        }
                    }
                    return value;
                }
                let obj;
                let contents;
                try {
                    contents = yield res.readBody();
                    if (contents && contents.length > 0) {
                        if (options && options.deserializeDates) {
                            obj = JSON.parse(contents, dateTimeDeserializer);
                        }
                        else {
                            obj = JSON.parse(contents);
                        }
                        response.result = obj;
                    }
                    response.headers = res.message.headers;
                }
                catch (err) {
                    // Invalid resource (contents not json);  leaving result obj null
                }
                // note that 3xx redirects are handled by the http layer.
                if (statusCode > 299) {
                    let msg;
                    // if exception/error in body, attempt to get better error
                    if (obj && obj.message) {
                        msg = obj.message;
                    }
                    else if (contents && contents.length > 0) {
                        // it may be the case that the exception is in the body message as string
                        msg = contents;
                    }
                    else {
                        msg = `Failed request: (${statusCode})`;
                    }
                    const err = new HttpClientError(msg, statusCode);
                    err.result = response.result;
                    reject(err);
                }
                else {
                    resolve(response);
                }
            }));
        });
    }
}
const lowercaseKeys = (obj) => Object.keys(obj).reduce((c, k) => ((c[k.toLowerCase()] = obj[k]), c), {});
//# sourceMappingURL=index.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/auth.js
var auth_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
class BasicCredentialHandler {
    constructor(username, password) {
        this.username = username;
        this.password = password;
    }
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return auth_awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
class auth_BearerCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    // currently implements pre-authorization
    // TODO: support preAuth = false where it hooks on 401
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Bearer ${this.token}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return auth_awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
class PersonalAccessTokenCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    // currently implements pre-authorization
    // TODO: support preAuth = false where it hooks on 401
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Basic ${Buffer.from(`PAT:${this.token}`).toString('base64')}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return auth_awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
//# sourceMappingURL=auth.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/oidc-utils.js
var oidc_utils_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



class oidc_utils_OidcClient {
    static createHttpClient(allowRetry = true, maxRetry = 10) {
        const requestOptions = {
            allowRetries: allowRetry,
            maxRetries: maxRetry
        };
        return new HttpClient('actions/oidc-client', [new BearerCredentialHandler(oidc_utils_OidcClient.getRequestToken())], requestOptions);
    }
    static getRequestToken() {
        const token = process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
        if (!token) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable');
        }
        return token;
    }
    static getIDTokenUrl() {
        const runtimeUrl = process.env['ACTIONS_ID_TOKEN_REQUEST_URL'];
        if (!runtimeUrl) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
        }
        return runtimeUrl;
    }
    static getCall(id_token_url) {
        return oidc_utils_awaiter(this, void 0, void 0, function* () {
            var _a;
            const httpclient = oidc_utils_OidcClient.createHttpClient();
            const res = yield httpclient
                .getJson(id_token_url)
                .catch(error => {
                throw new Error(`Failed to get ID Token. \n 
        Error Code : ${error.statusCode}\n 
        Error Message: ${error.message}`);
            });
            const id_token = (_a = res.result) === null || _a === void 0 ? void 0 : _a.value;
            if (!id_token) {
                throw new Error('Response json body do not have ID Token field');
            }
            return id_token;
        });
    }
    static getIDToken(audience) {
        return oidc_utils_awaiter(this, void 0, void 0, function* () {
            try {
                // New ID Token is requested from action service
                let id_token_url = oidc_utils_OidcClient.getIDTokenUrl();
                if (audience) {
                    const encodedAudience = encodeURIComponent(audience);
                    id_token_url = `${id_token_url}&audience=${encodedAudience}`;
                }
                debug(`ID token url is ${id_token_url}`);
                const id_token = yield oidc_utils_OidcClient.getCall(id_token_url);
                setSecret(id_token);
                return id_token;
            }
            catch (error) {
                throw new Error(`Error message: ${error.message}`);
            }
        });
    }
}
//# sourceMappingURL=oidc-utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/summary.js
var summary_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { access, appendFile, writeFile } = external_fs_namespaceObject.promises;
const SUMMARY_ENV_VAR = 'GITHUB_STEP_SUMMARY';
const SUMMARY_DOCS_URL = 'https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary';
class Summary {
    constructor() {
        this._buffer = '';
    }
    /**
     * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
     * Also checks r/w permissions.
     *
     * @returns step summary file path
     */
    filePath() {
        return summary_awaiter(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, external_fs_namespaceObject.constants.R_OK | external_fs_namespaceObject.constants.W_OK);
            }
            catch (_a) {
                throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
            }
            this._filePath = pathFromEnv;
            return this._filePath;
        });
    }
    /**
     * Wraps content in an HTML tag, adding any HTML attributes
     *
     * @param {string} tag HTML tag to wrap
     * @param {string | null} content content within the tag
     * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
     *
     * @returns {string} content wrapped in HTML element
     */
    wrap(tag, content, attrs = {}) {
        const htmlAttrs = Object.entries(attrs)
            .map(([key, value]) => ` ${key}="${value}"`)
            .join('');
        if (!content) {
            return `<${tag}${htmlAttrs}>`;
        }
        return `<${tag}${htmlAttrs}>${content}</${tag}>`;
    }
    /**
     * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
     *
     * @param {SummaryWriteOptions} [options] (optional) options for write operation
     *
     * @returns {Promise<Summary>} summary instance
     */
    write(options) {
        return summary_awaiter(this, void 0, void 0, function* () {
            const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
            const filePath = yield this.filePath();
            const writeFunc = overwrite ? writeFile : appendFile;
            yield writeFunc(filePath, this._buffer, { encoding: 'utf8' });
            return this.emptyBuffer();
        });
    }
    /**
     * Clears the summary buffer and wipes the summary file
     *
     * @returns {Summary} summary instance
     */
    clear() {
        return summary_awaiter(this, void 0, void 0, function* () {
            return this.emptyBuffer().write({ overwrite: true });
        });
    }
    /**
     * Returns the current summary buffer as a string
     *
     * @returns {string} string of summary buffer
     */
    stringify() {
        return this._buffer;
    }
    /**
     * If the summary buffer is empty
     *
     * @returns {boolen} true if the buffer is empty
     */
    isEmptyBuffer() {
        return this._buffer.length === 0;
    }
    /**
     * Resets the summary buffer without writing to summary file
     *
     * @returns {Summary} summary instance
     */
    emptyBuffer() {
        this._buffer = '';
        return this;
    }
    /**
     * Adds raw text to the summary buffer
     *
     * @param {string} text content to add
     * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
     *
     * @returns {Summary} summary instance
     */
    addRaw(text, addEOL = false) {
        this._buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    /**
     * Adds the operating system-specific end-of-line marker to the buffer
     *
     * @returns {Summary} summary instance
     */
    addEOL() {
        return this.addRaw(external_os_namespaceObject.EOL);
    }
    /**
     * Adds an HTML codeblock to the summary buffer
     *
     * @param {string} code content to render within fenced code block
     * @param {string} lang (optional) language to syntax highlight code
     *
     * @returns {Summary} summary instance
     */
    addCodeBlock(code, lang) {
        const attrs = Object.assign({}, (lang && { lang }));
        const element = this.wrap('pre', this.wrap('code', code), attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML list to the summary buffer
     *
     * @param {string[]} items list of items to render
     * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
     *
     * @returns {Summary} summary instance
     */
    addList(items, ordered = false) {
        const tag = ordered ? 'ol' : 'ul';
        const listItems = items.map(item => this.wrap('li', item)).join('');
        const element = this.wrap(tag, listItems);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML table to the summary buffer
     *
     * @param {SummaryTableCell[]} rows table rows
     *
     * @returns {Summary} summary instance
     */
    addTable(rows) {
        const tableBody = rows
            .map(row => {
            const cells = row
                .map(cell => {
                if (typeof cell === 'string') {
                    return this.wrap('td', cell);
                }
                const { header, data, colspan, rowspan } = cell;
                const tag = header ? 'th' : 'td';
                const attrs = Object.assign(Object.assign({}, (colspan && { colspan })), (rowspan && { rowspan }));
                return this.wrap(tag, data, attrs);
            })
                .join('');
            return this.wrap('tr', cells);
        })
            .join('');
        const element = this.wrap('table', tableBody);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds a collapsable HTML details element to the summary buffer
     *
     * @param {string} label text for the closed state
     * @param {string} content collapsable content
     *
     * @returns {Summary} summary instance
     */
    addDetails(label, content) {
        const element = this.wrap('details', this.wrap('summary', label) + content);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML image tag to the summary buffer
     *
     * @param {string} src path to the image you to embed
     * @param {string} alt text description of the image
     * @param {SummaryImageOptions} options (optional) addition image attributes
     *
     * @returns {Summary} summary instance
     */
    addImage(src, alt, options) {
        const { width, height } = options || {};
        const attrs = Object.assign(Object.assign({}, (width && { width })), (height && { height }));
        const element = this.wrap('img', null, Object.assign({ src, alt }, attrs));
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML section heading element
     *
     * @param {string} text heading text
     * @param {number | string} [level=1] (optional) the heading level, default: 1
     *
     * @returns {Summary} summary instance
     */
    addHeading(text, level) {
        const tag = `h${level}`;
        const allowedTag = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tag)
            ? tag
            : 'h1';
        const element = this.wrap(allowedTag, text);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML thematic break (<hr>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addSeparator() {
        const element = this.wrap('hr', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML line break (<br>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addBreak() {
        const element = this.wrap('br', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML blockquote to the summary buffer
     *
     * @param {string} text quote text
     * @param {string} cite (optional) citation url
     *
     * @returns {Summary} summary instance
     */
    addQuote(text, cite) {
        const attrs = Object.assign({}, (cite && { cite }));
        const element = this.wrap('blockquote', text, attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML anchor tag to the summary buffer
     *
     * @param {string} text link text/content
     * @param {string} href hyperlink
     *
     * @returns {Summary} summary instance
     */
    addLink(text, href) {
        const element = this.wrap('a', text, { href });
        return this.addRaw(element).addEOL();
    }
}
const _summary = new Summary();
/**
 * @deprecated use `core.summary`
 */
const markdownSummary = (/* unused pure expression or super */ null && (_summary));
const summary = (/* unused pure expression or super */ null && (_summary));
//# sourceMappingURL=summary.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/path-utils.js

/**
 * toPosixPath converts the given path to the posix form. On Windows, \\ will be
 * replaced with /.
 *
 * @param pth. Path to transform.
 * @return string Posix path.
 */
function toPosixPath(pth) {
    return pth.replace(/[\\]/g, '/');
}
/**
 * toWin32Path converts the given path to the win32 form. On Linux, / will be
 * replaced with \\.
 *
 * @param pth. Path to transform.
 * @return string Win32 path.
 */
function toWin32Path(pth) {
    return pth.replace(/[/]/g, '\\');
}
/**
 * toPlatformPath converts the given path to a platform-specific path. It does
 * this by replacing instances of / and \ with the platform-specific path
 * separator.
 *
 * @param pth The path to platformize.
 * @return string The platform-specific path.
 */
function toPlatformPath(pth) {
    return pth.replace(/[/\\]/g, path.sep);
}
//# sourceMappingURL=path-utils.js.map
;// CONCATENATED MODULE: external "string_decoder"
const external_string_decoder_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");
// EXTERNAL MODULE: external "events"
var external_events_ = __nccwpck_require__(4434);
;// CONCATENATED MODULE: external "child_process"
const external_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");
// EXTERNAL MODULE: external "assert"
var external_assert_ = __nccwpck_require__(2613);
;// CONCATENATED MODULE: ./node_modules/@actions/io/lib/io-util.js
var io_util_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { chmod, copyFile, lstat, mkdir, open: io_util_open, readdir, rename, rm, rmdir, stat, symlink, unlink } = external_fs_namespaceObject.promises;
// export const {open} = 'fs'
const IS_WINDOWS = process.platform === 'win32';
/**
 * Custom implementation of readlink to ensure Windows junctions
 * maintain trailing backslash for backward compatibility with Node.js < 24
 *
 * In Node.js 20, Windows junctions (directory symlinks) always returned paths
 * with trailing backslashes. Node.js 24 removed this behavior, which breaks
 * code that relied on this format for path operations.
 *
 * This implementation restores the Node 20 behavior by adding a trailing
 * backslash to all junction results on Windows.
 */
function readlink(fsPath) {
    return io_util_awaiter(this, void 0, void 0, function* () {
        const result = yield fs.promises.readlink(fsPath);
        // On Windows, restore Node 20 behavior: add trailing backslash to all results
        // since junctions on Windows are always directory links
        if (IS_WINDOWS && !result.endsWith('\\')) {
            return `${result}\\`;
        }
        return result;
    });
}
// See https://github.com/nodejs/node/blob/d0153aee367422d0858105abec186da4dff0a0c5/deps/uv/include/uv/win.h#L691
const UV_FS_O_EXLOCK = 0x10000000;
const READONLY = external_fs_namespaceObject.constants.O_RDONLY;
function exists(fsPath) {
    return io_util_awaiter(this, void 0, void 0, function* () {
        try {
            yield stat(fsPath);
        }
        catch (err) {
            if (err.code === 'ENOENT') {
                return false;
            }
            throw err;
        }
        return true;
    });
}
function isDirectory(fsPath_1) {
    return io_util_awaiter(this, arguments, void 0, function* (fsPath, useStat = false) {
        const stats = useStat ? yield stat(fsPath) : yield lstat(fsPath);
        return stats.isDirectory();
    });
}
/**
 * On OSX/Linux, true if path starts with '/'. On Windows, true for paths like:
 * \, \hello, \\hello\share, C:, and C:\hello (and corresponding alternate separator cases).
 */
function isRooted(p) {
    p = normalizeSeparators(p);
    if (!p) {
        throw new Error('isRooted() parameter "p" cannot be empty');
    }
    if (IS_WINDOWS) {
        return (p.startsWith('\\') || /^[A-Z]:/i.test(p) // e.g. \ or \hello or \\hello
        ); // e.g. C: or C:\hello
    }
    return p.startsWith('/');
}
/**
 * Best effort attempt to determine whether a file exists and is executable.
 * @param filePath    file path to check
 * @param extensions  additional file extensions to try
 * @return if file exists and is executable, returns the file path. otherwise empty string.
 */
function tryGetExecutablePath(filePath, extensions) {
    return io_util_awaiter(this, void 0, void 0, function* () {
        let stats = undefined;
        try {
            // test file exists
            stats = yield stat(filePath);
        }
        catch (err) {
            if (err.code !== 'ENOENT') {
                // eslint-disable-next-line no-console
                console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
            }
        }
        if (stats && stats.isFile()) {
            if (IS_WINDOWS) {
                // on Windows, test for valid extension
                const upperExt = external_path_namespaceObject.extname(filePath).toUpperCase();
                if (extensions.some(validExt => validExt.toUpperCase() === upperExt)) {
                    return filePath;
                }
            }
            else {
                if (isUnixExecutable(stats)) {
                    return filePath;
                }
            }
        }
        // try each extension
        const originalFilePath = filePath;
        for (const extension of extensions) {
            filePath = originalFilePath + extension;
            stats = undefined;
            try {
                stats = yield stat(filePath);
            }
            catch (err) {
                if (err.code !== 'ENOENT') {
                    // eslint-disable-next-line no-console
                    console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
                }
            }
            if (stats && stats.isFile()) {
                if (IS_WINDOWS) {
                    // preserve the case of the actual file (since an extension was appended)
                    try {
                        const directory = external_path_namespaceObject.dirname(filePath);
                        const upperName = external_path_namespaceObject.basename(filePath).toUpperCase();
                        for (const actualName of yield readdir(directory)) {
                            if (upperName === actualName.toUpperCase()) {
                                filePath = external_path_namespaceObject.join(directory, actualName);
                                break;
                            }
                        }
                    }
                    catch (err) {
                        // eslint-disable-next-line no-console
                        console.log(`Unexpected error attempting to determine the actual case of the file '${filePath}': ${err}`);
                    }
                    return filePath;
                }
                else {
                    if (isUnixExecutable(stats)) {
                        return filePath;
                    }
                }
            }
        }
        return '';
    });
}
function normalizeSeparators(p) {
    p = p || '';
    if (IS_WINDOWS) {
        // convert slashes on Windows
        p = p.replace(/\//g, '\\');
        // remove redundant slashes
        return p.replace(/\\\\+/g, '\\');
    }
    // remove redundant slashes
    return p.replace(/\/\/+/g, '/');
}
// on Mac/Linux, test the execute bit
//     R   W  X  R  W X R W X
//   256 128 64 32 16 8 4 2 1
function isUnixExecutable(stats) {
    return ((stats.mode & 1) > 0 ||
        ((stats.mode & 8) > 0 &&
            process.getgid !== undefined &&
            stats.gid === process.getgid()) ||
        ((stats.mode & 64) > 0 &&
            process.getuid !== undefined &&
            stats.uid === process.getuid()));
}
// Get the path of cmd.exe in windows
function getCmdPath() {
    var _a;
    return (_a = process.env['COMSPEC']) !== null && _a !== void 0 ? _a : `cmd.exe`;
}
//# sourceMappingURL=io-util.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/io/lib/io.js
var io_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



/**
 * Copies a file or folder.
 * Based off of shelljs - https://github.com/shelljs/shelljs/blob/9237f66c52e5daa40458f94f9565e18e8132f5a6/src/cp.js
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See CopyOptions.
 */
function cp(source_1, dest_1) {
    return io_awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        const { force, recursive, copySourceDirectory } = readCopyOptions(options);
        const destStat = (yield ioUtil.exists(dest)) ? yield ioUtil.stat(dest) : null;
        // Dest is an existing file, but not forcing
        if (destStat && destStat.isFile() && !force) {
            return;
        }
        // If dest is an existing directory, should copy inside.
        const newDest = destStat && destStat.isDirectory() && copySourceDirectory
            ? path.join(dest, path.basename(source))
            : dest;
        if (!(yield ioUtil.exists(source))) {
            throw new Error(`no such file or directory: ${source}`);
        }
        const sourceStat = yield ioUtil.stat(source);
        if (sourceStat.isDirectory()) {
            if (!recursive) {
                throw new Error(`Failed to copy. ${source} is a directory, but tried to copy without recursive flag.`);
            }
            else {
                yield cpDirRecursive(source, newDest, 0, force);
            }
        }
        else {
            if (path.relative(source, newDest) === '') {
                // a file cannot be copied to itself
                throw new Error(`'${newDest}' and '${source}' are the same file`);
            }
            yield io_copyFile(source, newDest, force);
        }
    });
}
/**
 * Moves a path.
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See MoveOptions.
 */
function mv(source_1, dest_1) {
    return io_awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        if (yield ioUtil.exists(dest)) {
            let destExists = true;
            if (yield ioUtil.isDirectory(dest)) {
                // If dest is directory copy src into dest
                dest = path.join(dest, path.basename(source));
                destExists = yield ioUtil.exists(dest);
            }
            if (destExists) {
                if (options.force == null || options.force) {
                    yield rmRF(dest);
                }
                else {
                    throw new Error('Destination already exists');
                }
            }
        }
        yield mkdirP(path.dirname(dest));
        yield ioUtil.rename(source, dest);
    });
}
/**
 * Remove a path recursively with force
 *
 * @param inputPath path to remove
 */
function rmRF(inputPath) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (ioUtil.IS_WINDOWS) {
            // Check for invalid characters
            // https://docs.microsoft.com/en-us/windows/win32/fileio/naming-a-file
            if (/[*"<>|]/.test(inputPath)) {
                throw new Error('File path must not contain `*`, `"`, `<`, `>` or `|` on Windows');
            }
        }
        try {
            // note if path does not exist, error is silent
            yield ioUtil.rm(inputPath, {
                force: true,
                maxRetries: 3,
                recursive: true,
                retryDelay: 300
            });
        }
        catch (err) {
            throw new Error(`File was unable to be removed ${err}`);
        }
    });
}
/**
 * Make a directory.  Creates the full path with folders in between
 * Will throw if it fails
 *
 * @param   fsPath        path to create
 * @returns Promise<void>
 */
function mkdirP(fsPath) {
    return io_awaiter(this, void 0, void 0, function* () {
        ok(fsPath, 'a path argument must be provided');
        yield ioUtil.mkdir(fsPath, { recursive: true });
    });
}
/**
 * Returns path of a tool had the tool actually been invoked.  Resolves via paths.
 * If you check and the tool does not exist, it will throw.
 *
 * @param     tool              name of the tool
 * @param     check             whether to check if tool exists
 * @returns   Promise<string>   path to tool
 */
function which(tool, check) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // recursive when check=true
        if (check) {
            const result = yield which(tool, false);
            if (!result) {
                if (IS_WINDOWS) {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also verify the file has a valid extension for an executable file.`);
                }
                else {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also check the file mode to verify the file is executable.`);
                }
            }
            return result;
        }
        const matches = yield findInPath(tool);
        if (matches && matches.length > 0) {
            return matches[0];
        }
        return '';
    });
}
/**
 * Returns a list of all occurrences of the given tool on the system path.
 *
 * @returns   Promise<string[]>  the paths of the tool
 */
function findInPath(tool) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // build the list of extensions to try
        const extensions = [];
        if (IS_WINDOWS && process.env['PATHEXT']) {
            for (const extension of process.env['PATHEXT'].split(external_path_namespaceObject.delimiter)) {
                if (extension) {
                    extensions.push(extension);
                }
            }
        }
        // if it's rooted, return it if exists. otherwise return empty.
        if (isRooted(tool)) {
            const filePath = yield tryGetExecutablePath(tool, extensions);
            if (filePath) {
                return [filePath];
            }
            return [];
        }
        // if any path separators, return empty
        if (tool.includes(external_path_namespaceObject.sep)) {
            return [];
        }
        // build the list of directories
        //
        // Note, technically "where" checks the current directory on Windows. From a toolkit perspective,
        // it feels like we should not do this. Checking the current directory seems like more of a use
        // case of a shell, and the which() function exposed by the toolkit should strive for consistency
        // across platforms.
        const directories = [];
        if (process.env.PATH) {
            for (const p of process.env.PATH.split(external_path_namespaceObject.delimiter)) {
                if (p) {
                    directories.push(p);
                }
            }
        }
        // find all matches
        const matches = [];
        for (const directory of directories) {
            const filePath = yield tryGetExecutablePath(external_path_namespaceObject.join(directory, tool), extensions);
            if (filePath) {
                matches.push(filePath);
            }
        }
        return matches;
    });
}
function readCopyOptions(options) {
    const force = options.force == null ? true : options.force;
    const recursive = Boolean(options.recursive);
    const copySourceDirectory = options.copySourceDirectory == null
        ? true
        : Boolean(options.copySourceDirectory);
    return { force, recursive, copySourceDirectory };
}
function cpDirRecursive(sourceDir, destDir, currentDepth, force) {
    return io_awaiter(this, void 0, void 0, function* () {
        // Ensure there is not a run away recursive copy
        if (currentDepth >= 255)
            return;
        currentDepth++;
        yield mkdirP(destDir);
        const files = yield ioUtil.readdir(sourceDir);
        for (const fileName of files) {
            const srcFile = `${sourceDir}/${fileName}`;
            const destFile = `${destDir}/${fileName}`;
            const srcFileStat = yield ioUtil.lstat(srcFile);
            if (srcFileStat.isDirectory()) {
                // Recurse
                yield cpDirRecursive(srcFile, destFile, currentDepth, force);
            }
            else {
                yield io_copyFile(srcFile, destFile, force);
            }
        }
        // Change the mode for the newly created directory
        yield ioUtil.chmod(destDir, (yield ioUtil.stat(sourceDir)).mode);
    });
}
// Buffered file copy
function io_copyFile(srcFile, destFile, force) {
    return io_awaiter(this, void 0, void 0, function* () {
        if ((yield ioUtil.lstat(srcFile)).isSymbolicLink()) {
            // unlink/re-link it
            try {
                yield ioUtil.lstat(destFile);
                yield ioUtil.unlink(destFile);
            }
            catch (e) {
                // Try to override file permission
                if (e.code === 'EPERM') {
                    yield ioUtil.chmod(destFile, '0666');
                    yield ioUtil.unlink(destFile);
                }
                // other errors = it doesn't exist, no work to do
            }
            // Copy over symlink
            const symlinkFull = yield ioUtil.readlink(srcFile);
            yield ioUtil.symlink(symlinkFull, destFile, ioUtil.IS_WINDOWS ? 'junction' : null);
        }
        else if (!(yield ioUtil.exists(destFile)) || force) {
            yield ioUtil.copyFile(srcFile, destFile);
        }
    });
}
//# sourceMappingURL=io.js.map
;// CONCATENATED MODULE: external "timers"
const external_timers_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");
;// CONCATENATED MODULE: ./node_modules/@actions/exec/lib/toolrunner.js
var toolrunner_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};







/* eslint-disable @typescript-eslint/unbound-method */
const toolrunner_IS_WINDOWS = process.platform === 'win32';
/*
 * Class for running command line tools. Handles quoting and arg parsing in a platform agnostic way.
 */
class ToolRunner extends external_events_.EventEmitter {
    constructor(toolPath, args, options) {
        super();
        if (!toolPath) {
            throw new Error("Parameter 'toolPath' cannot be null or empty.");
        }
        this.toolPath = toolPath;
        this.args = args || [];
        this.options = options || {};
    }
    _debug(message) {
        if (this.options.listeners && this.options.listeners.debug) {
            this.options.listeners.debug(message);
        }
    }
    _getCommandString(options, noPrefix) {
        const toolPath = this._getSpawnFileName();
        const args = this._getSpawnArgs(options);
        let cmd = noPrefix ? '' : '[command]'; // omit prefix when piped to a second tool
        if (toolrunner_IS_WINDOWS) {
            // Windows + cmd file
            if (this._isCmdFile()) {
                cmd += toolPath;
                for (const a of args) {
                    cmd += ` ${a}`;
                }
            }
            // Windows + verbatim
            else if (options.windowsVerbatimArguments) {
                cmd += `"${toolPath}"`;
                for (const a of args) {
                    cmd += ` ${a}`;
                }
            }
            // Windows (regular)
            else {
                cmd += this._windowsQuoteCmdArg(toolPath);
                for (const a of args) {
                    cmd += ` ${this._windowsQuoteCmdArg(a)}`;
                }
            }
        }
        else {
            // OSX/Linux - this can likely be improved with some form of quoting.
            // creating processes on Unix is fundamentally different than Windows.
            // on Unix, execvp() takes an arg array.
            cmd += toolPath;
            for (const a of args) {
                cmd += ` ${a}`;
            }
        }
        return cmd;
    }
    _processLineBuffer(data, strBuffer, onLine) {
        try {
            let s = strBuffer + data.toString();
            let n = s.indexOf(external_os_namespaceObject.EOL);
            while (n > -1) {
                const line = s.substring(0, n);
                onLine(line);
                // the rest of the string ...
                s = s.substring(n + external_os_namespaceObject.EOL.length);
                n = s.indexOf(external_os_namespaceObject.EOL);
            }
            return s;
        }
        catch (err) {
            // streaming lines to console is best effort.  Don't fail a build.
            this._debug(`error processing line. Failed with error ${err}`);
            return '';
        }
    }
    _getSpawnFileName() {
        if (toolrunner_IS_WINDOWS) {
            if (this._isCmdFile()) {
                return process.env['COMSPEC'] || 'cmd.exe';
            }
        }
        return this.toolPath;
    }
    _getSpawnArgs(options) {
        if (toolrunner_IS_WINDOWS) {
            if (this._isCmdFile()) {
                let argline = `/D /S /C "${this._windowsQuoteCmdArg(this.toolPath)}`;
                for (const a of this.args) {
                    argline += ' ';
                    argline += options.windowsVerbatimArguments
                        ? a
                        : this._windowsQuoteCmdArg(a);
                }
                argline += '"';
                return [argline];
            }
        }
        return this.args;
    }
    _endsWith(str, end) {
        return str.endsWith(end);
    }
    _isCmdFile() {
        const upperToolPath = this.toolPath.toUpperCase();
        return (this._endsWith(upperToolPath, '.CMD') ||
            this._endsWith(upperToolPath, '.BAT'));
    }
    _windowsQuoteCmdArg(arg) {
        // for .exe, apply the normal quoting rules that libuv applies
        if (!this._isCmdFile()) {
            return this._uvQuoteCmdArg(arg);
        }
        // otherwise apply quoting rules specific to the cmd.exe command line parser.
        // the libuv rules are generic and are not designed specifically for cmd.exe
        // command line parser.
        //
        // for a detailed description of the cmd.exe command line parser, refer to
        // http://stackoverflow.com/questions/4094699/how-does-the-windows-command-interpreter-cmd-exe-parse-scripts/7970912#7970912
        // need quotes for empty arg
        if (!arg) {
            return '""';
        }
        // determine whether the arg needs to be quoted
        const cmdSpecialChars = [
            ' ',
            '\t',
            '&',
            '(',
            ')',
            '[',
            ']',
            '{',
            '}',
            '^',
            '=',
            ';',
            '!',
            "'",
            '+',
            ',',
            '`',
            '~',
            '|',
            '<',
            '>',
            '"'
        ];
        let needsQuotes = false;
        for (const char of arg) {
            if (cmdSpecialChars.some(x => x === char)) {
                needsQuotes = true;
                break;
            }
        }
        // short-circuit if quotes not needed
        if (!needsQuotes) {
            return arg;
        }
        // the following quoting rules are very similar to the rules that by libuv applies.
        //
        // 1) wrap the string in quotes
        //
        // 2) double-up quotes - i.e. " => ""
        //
        //    this is different from the libuv quoting rules. libuv replaces " with \", which unfortunately
        //    doesn't work well with a cmd.exe command line.
        //
        //    note, replacing " with "" also works well if the arg is passed to a downstream .NET console app.
        //    for example, the command line:
        //          foo.exe "myarg:""my val"""
        //    is parsed by a .NET console app into an arg array:
        //          [ "myarg:\"my val\"" ]
        //    which is the same end result when applying libuv quoting rules. although the actual
        //    command line from libuv quoting rules would look like:
        //          foo.exe "myarg:\"my val\""
        //
        // 3) double-up slashes that precede a quote,
        //    e.g.  hello \world    => "hello \world"
        //          hello\"world    => "hello\\""world"
        //          hello\\"world   => "hello\\\\""world"
        //          hello world\    => "hello world\\"
        //
        //    technically this is not required for a cmd.exe command line, or the batch argument parser.
        //    the reasons for including this as a .cmd quoting rule are:
        //
        //    a) this is optimized for the scenario where the argument is passed from the .cmd file to an
        //       external program. many programs (e.g. .NET console apps) rely on the slash-doubling rule.
        //
        //    b) it's what we've been doing previously (by deferring to node default behavior) and we
        //       haven't heard any complaints about that aspect.
        //
        // note, a weakness of the quoting rules chosen here, is that % is not escaped. in fact, % cannot be
        // escaped when used on the command line directly - even though within a .cmd file % can be escaped
        // by using %%.
        //
        // the saving grace is, on the command line, %var% is left as-is if var is not defined. this contrasts
        // the line parsing rules within a .cmd file, where if var is not defined it is replaced with nothing.
        //
        // one option that was explored was replacing % with ^% - i.e. %var% => ^%var^%. this hack would
        // often work, since it is unlikely that var^ would exist, and the ^ character is removed when the
        // variable is used. the problem, however, is that ^ is not removed when %* is used to pass the args
        // to an external program.
        //
        // an unexplored potential solution for the % escaping problem, is to create a wrapper .cmd file.
        // % can be escaped within a .cmd file.
        let reverse = '"';
        let quoteHit = true;
        for (let i = arg.length; i > 0; i--) {
            // walk the string in reverse
            reverse += arg[i - 1];
            if (quoteHit && arg[i - 1] === '\\') {
                reverse += '\\'; // double the slash
            }
            else if (arg[i - 1] === '"') {
                quoteHit = true;
                reverse += '"'; // double the quote
            }
            else {
                quoteHit = false;
            }
        }
        reverse += '"';
        return reverse.split('').reverse().join('');
    }
    _uvQuoteCmdArg(arg) {
        // Tool runner wraps child_process.spawn() and needs to apply the same quoting as
        // Node in certain cases where the undocumented spawn option windowsVerbatimArguments
        // is used.
        //
        // Since this function is a port of quote_cmd_arg from Node 4.x (technically, lib UV,
        // see https://github.com/nodejs/node/blob/v4.x/deps/uv/src/win/process.c for details),
        // pasting copyright notice from Node within this function:
        //
        //      Copyright Joyent, Inc. and other Node contributors. All rights reserved.
        //
        //      Permission is hereby granted, free of charge, to any person obtaining a copy
        //      of this software and associated documentation files (the "Software"), to
        //      deal in the Software without restriction, including without limitation the
        //      rights to use, copy, modify, merge, publish, distribute, sublicense, and/or
        //      sell copies of the Software, and to permit persons to whom the Software is
        //      furnished to do so, subject to the following conditions:
        //
        //      The above copyright notice and this permission notice shall be included in
        //      all copies or substantial portions of the Software.
        //
        //      THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
        //      IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
        //      FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
        //      AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
        //      LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
        //      FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
        //      IN THE SOFTWARE.
        if (!arg) {
            // Need double quotation for empty argument
            return '""';
        }
        if (!arg.includes(' ') && !arg.includes('\t') && !arg.includes('"')) {
            // No quotation needed
            return arg;
        }
        if (!arg.includes('"') && !arg.includes('\\')) {
            // No embedded double quotes or backslashes, so I can just wrap
            // quote marks around the whole thing.
            return `"${arg}"`;
        }
        // Expected input/output:
        //   input : hello"world
        //   output: "hello\"world"
        //   input : hello""world
        //   output: "hello\"\"world"
        //   input : hello\world
        //   output: hello\world
        //   input : hello\\world
        //   output: hello\\world
        //   input : hello\"world
        //   output: "hello\\\"world"
        //   input : hello\\"world
        //   output: "hello\\\\\"world"
        //   input : hello world\
        //   output: "hello world\\" - note the comment in libuv actually reads "hello world\"
        //                             but it appears the comment is wrong, it should be "hello world\\"
        let reverse = '"';
        let quoteHit = true;
        for (let i = arg.length; i > 0; i--) {
            // walk the string in reverse
            reverse += arg[i - 1];
            if (quoteHit && arg[i - 1] === '\\') {
                reverse += '\\';
            }
            else if (arg[i - 1] === '"') {
                quoteHit = true;
                reverse += '\\';
            }
            else {
                quoteHit = false;
            }
        }
        reverse += '"';
        return reverse.split('').reverse().join('');
    }
    _cloneExecOptions(options) {
        options = options || {};
        const result = {
            cwd: options.cwd || process.cwd(),
            env: options.env || process.env,
            silent: options.silent || false,
            windowsVerbatimArguments: options.windowsVerbatimArguments || false,
            failOnStdErr: options.failOnStdErr || false,
            ignoreReturnCode: options.ignoreReturnCode || false,
            delay: options.delay || 10000
        };
        result.outStream = options.outStream || process.stdout;
        result.errStream = options.errStream || process.stderr;
        return result;
    }
    _getSpawnOptions(options, toolPath) {
        options = options || {};
        const result = {};
        result.cwd = options.cwd;
        result.env = options.env;
        result['windowsVerbatimArguments'] =
            options.windowsVerbatimArguments || this._isCmdFile();
        if (options.windowsVerbatimArguments) {
            result.argv0 = `"${toolPath}"`;
        }
        return result;
    }
    /**
     * Exec a tool.
     * Output will be streamed to the live console.
     * Returns promise with return code
     *
     * @param     tool     path to tool to exec
     * @param     options  optional exec options.  See ExecOptions
     * @returns   number
     */
    exec() {
        return toolrunner_awaiter(this, void 0, void 0, function* () {
            // root the tool path if it is unrooted and contains relative pathing
            if (!isRooted(this.toolPath) &&
                (this.toolPath.includes('/') ||
                    (toolrunner_IS_WINDOWS && this.toolPath.includes('\\')))) {
                // prefer options.cwd if it is specified, however options.cwd may also need to be rooted
                this.toolPath = external_path_namespaceObject.resolve(process.cwd(), this.options.cwd || process.cwd(), this.toolPath);
            }
            // if the tool is only a file name, then resolve it from the PATH
            // otherwise verify it exists (add extension on Windows if necessary)
            this.toolPath = yield which(this.toolPath, true);
            return new Promise((resolve, reject) => toolrunner_awaiter(this, void 0, void 0, function* () {
                this._debug(`exec tool: ${this.toolPath}`);
                this._debug('arguments:');
                for (const arg of this.args) {
                    this._debug(`   ${arg}`);
                }
                const optionsNonNull = this._cloneExecOptions(this.options);
                if (!optionsNonNull.silent && optionsNonNull.outStream) {
                    optionsNonNull.outStream.write(this._getCommandString(optionsNonNull) + external_os_namespaceObject.EOL);
                }
                const state = new ExecState(optionsNonNull, this.toolPath);
                state.on('debug', (message) => {
                    this._debug(message);
                });
                if (this.options.cwd && !(yield exists(this.options.cwd))) {
                    return reject(new Error(`The cwd: ${this.options.cwd} does not exist!`));
                }
                const fileName = this._getSpawnFileName();
                const cp = external_child_process_namespaceObject.spawn(fileName, this._getSpawnArgs(optionsNonNull), this._getSpawnOptions(this.options, fileName));
                let stdbuffer = '';
                if (cp.stdout) {
                    cp.stdout.on('data', (data) => {
                        if (this.options.listeners && this.options.listeners.stdout) {
                            this.options.listeners.stdout(data);
                        }
                        if (!optionsNonNull.silent && optionsNonNull.outStream) {
                            optionsNonNull.outStream.write(data);
                        }
                        stdbuffer = this._processLineBuffer(data, stdbuffer, (line) => {
                            if (this.options.listeners && this.options.listeners.stdline) {
                                this.options.listeners.stdline(line);
                            }
                        });
                    });
                }
                let errbuffer = '';
                if (cp.stderr) {
                    cp.stderr.on('data', (data) => {
                        state.processStderr = true;
                        if (this.options.listeners && this.options.listeners.stderr) {
                            this.options.listeners.stderr(data);
                        }
                        if (!optionsNonNull.silent &&
                            optionsNonNull.errStream &&
                            optionsNonNull.outStream) {
                            const s = optionsNonNull.failOnStdErr
                                ? optionsNonNull.errStream
                                : optionsNonNull.outStream;
                            s.write(data);
                        }
                        errbuffer = this._processLineBuffer(data, errbuffer, (line) => {
                            if (this.options.listeners && this.options.listeners.errline) {
                                this.options.listeners.errline(line);
                            }
                        });
                    });
                }
                cp.on('error', (err) => {
                    state.processError = err.message;
                    state.processExited = true;
                    state.processClosed = true;
                    state.CheckComplete();
                });
                cp.on('exit', (code) => {
                    state.processExitCode = code;
                    state.processExited = true;
                    this._debug(`Exit code ${code} received from tool '${this.toolPath}'`);
                    state.CheckComplete();
                });
                cp.on('close', (code) => {
                    state.processExitCode = code;
                    state.processExited = true;
                    state.processClosed = true;
                    this._debug(`STDIO streams have closed for tool '${this.toolPath}'`);
                    state.CheckComplete();
                });
                state.on('done', (error, exitCode) => {
                    if (stdbuffer.length > 0) {
                        this.emit('stdline', stdbuffer);
                    }
                    if (errbuffer.length > 0) {
                        this.emit('errline', errbuffer);
                    }
                    cp.removeAllListeners();
                    if (error) {
                        reject(error);
                    }
                    else {
                        resolve(exitCode);
                    }
                });
                if (this.options.input) {
                    if (!cp.stdin) {
                        throw new Error('child process missing stdin');
                    }
                    cp.stdin.end(this.options.input);
                }
            }));
        });
    }
}
/**
 * Convert an arg string to an array of args. Handles escaping
 *
 * @param    argString   string of arguments
 * @returns  string[]    array of arguments
 */
function argStringToArray(argString) {
    const args = [];
    let inQuotes = false;
    let escaped = false;
    let arg = '';
    function append(c) {
        // we only escape double quotes.
        if (escaped && c !== '"') {
            arg += '\\';
        }
        arg += c;
        escaped = false;
    }
    for (let i = 0; i < argString.length; i++) {
        const c = argString.charAt(i);
        if (c === '"') {
            if (!escaped) {
                inQuotes = !inQuotes;
            }
            else {
                append(c);
            }
            continue;
        }
        if (c === '\\' && escaped) {
            append(c);
            continue;
        }
        if (c === '\\' && inQuotes) {
            escaped = true;
            continue;
        }
        if (c === ' ' && !inQuotes) {
            if (arg.length > 0) {
                args.push(arg);
                arg = '';
            }
            continue;
        }
        append(c);
    }
    if (arg.length > 0) {
        args.push(arg.trim());
    }
    return args;
}
class ExecState extends external_events_.EventEmitter {
    constructor(options, toolPath) {
        super();
        this.processClosed = false; // tracks whether the process has exited and stdio is closed
        this.processError = '';
        this.processExitCode = 0;
        this.processExited = false; // tracks whether the process has exited
        this.processStderr = false; // tracks whether stderr was written to
        this.delay = 10000; // 10 seconds
        this.done = false;
        this.timeout = null;
        if (!toolPath) {
            throw new Error('toolPath must not be empty');
        }
        this.options = options;
        this.toolPath = toolPath;
        if (options.delay) {
            this.delay = options.delay;
        }
    }
    CheckComplete() {
        if (this.done) {
            return;
        }
        if (this.processClosed) {
            this._setResult();
        }
        else if (this.processExited) {
            this.timeout = (0,external_timers_namespaceObject.setTimeout)(ExecState.HandleTimeout, this.delay, this);
        }
    }
    _debug(message) {
        this.emit('debug', message);
    }
    _setResult() {
        // determine whether there is an error
        let error;
        if (this.processExited) {
            if (this.processError) {
                error = new Error(`There was an error when attempting to execute the process '${this.toolPath}'. This may indicate the process failed to start. Error: ${this.processError}`);
            }
            else if (this.processExitCode !== 0 && !this.options.ignoreReturnCode) {
                error = new Error(`The process '${this.toolPath}' failed with exit code ${this.processExitCode}`);
            }
            else if (this.processStderr && this.options.failOnStdErr) {
                error = new Error(`The process '${this.toolPath}' failed because one or more lines were written to the STDERR stream`);
            }
        }
        // clear the timeout
        if (this.timeout) {
            clearTimeout(this.timeout);
            this.timeout = null;
        }
        this.done = true;
        this.emit('done', error, this.processExitCode);
    }
    static HandleTimeout(state) {
        if (state.done) {
            return;
        }
        if (!state.processClosed && state.processExited) {
            const message = `The STDIO streams did not close within ${state.delay / 1000} seconds of the exit event from process '${state.toolPath}'. This may indicate a child process inherited the STDIO streams and has not yet exited.`;
            state._debug(message);
        }
        state._setResult();
    }
}
//# sourceMappingURL=toolrunner.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/exec/lib/exec.js
var exec_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


/**
 * Exec a command.
 * Output will be streamed to the live console.
 * Returns promise with return code
 *
 * @param     commandLine        command to execute (can include additional args). Must be correctly escaped.
 * @param     args               optional arguments for tool. Escaping is handled by the lib.
 * @param     options            optional exec options.  See ExecOptions
 * @returns   Promise<number>    exit code
 */
function exec_exec(commandLine, args, options) {
    return exec_awaiter(this, void 0, void 0, function* () {
        const commandArgs = tr.argStringToArray(commandLine);
        if (commandArgs.length === 0) {
            throw new Error(`Parameter 'commandLine' cannot be null or empty.`);
        }
        // Path to tool to execute should be first arg
        const toolPath = commandArgs[0];
        args = commandArgs.slice(1).concat(args || []);
        const runner = new tr.ToolRunner(toolPath, args, options);
        return runner.exec();
    });
}
/**
 * Exec a command and get the output.
 * Output will be streamed to the live console.
 * Returns promise with the exit code and collected stdout and stderr
 *
 * @param     commandLine           command to execute (can include additional args). Must be correctly escaped.
 * @param     args                  optional arguments for tool. Escaping is handled by the lib.
 * @param     options               optional exec options.  See ExecOptions
 * @returns   Promise<ExecOutput>   exit code, stdout, and stderr
 */
function getExecOutput(commandLine, args, options) {
    return exec_awaiter(this, void 0, void 0, function* () {
        var _a, _b;
        let stdout = '';
        let stderr = '';
        //Using string decoder covers the case where a mult-byte character is split
        const stdoutDecoder = new StringDecoder('utf8');
        const stderrDecoder = new StringDecoder('utf8');
        const originalStdoutListener = (_a = options === null || options === void 0 ? void 0 : options.listeners) === null || _a === void 0 ? void 0 : _a.stdout;
        const originalStdErrListener = (_b = options === null || options === void 0 ? void 0 : options.listeners) === null || _b === void 0 ? void 0 : _b.stderr;
        const stdErrListener = (data) => {
            stderr += stderrDecoder.write(data);
            if (originalStdErrListener) {
                originalStdErrListener(data);
            }
        };
        const stdOutListener = (data) => {
            stdout += stdoutDecoder.write(data);
            if (originalStdoutListener) {
                originalStdoutListener(data);
            }
        };
        const listeners = Object.assign(Object.assign({}, options === null || options === void 0 ? void 0 : options.listeners), { stdout: stdOutListener, stderr: stdErrListener });
        const exitCode = yield exec_exec(commandLine, args, Object.assign(Object.assign({}, options), { listeners }));
        //flush any remaining characters
        stdout += stdoutDecoder.end();
        stderr += stderrDecoder.end();
        return {
            exitCode,
            stdout,
            stderr
        };
    });
}
//# sourceMappingURL=exec.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/platform.js
var platform_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const getWindowsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout: version } = yield exec.getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Version"', undefined, {
        silent: true
    });
    const { stdout: name } = yield exec.getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Caption"', undefined, {
        silent: true
    });
    return {
        name: name.trim(),
        version: version.trim()
    };
});
const getMacOsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    var _a, _b, _c, _d;
    const { stdout } = yield exec.getExecOutput('sw_vers', undefined, {
        silent: true
    });
    const version = (_b = (_a = stdout.match(/ProductVersion:\s*(.+)/)) === null || _a === void 0 ? void 0 : _a[1]) !== null && _b !== void 0 ? _b : '';
    const name = (_d = (_c = stdout.match(/ProductName:\s*(.+)/)) === null || _c === void 0 ? void 0 : _c[1]) !== null && _d !== void 0 ? _d : '';
    return {
        name,
        version
    };
});
const getLinuxInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout } = yield exec.getExecOutput('lsb_release', ['-i', '-r', '-s'], {
        silent: true
    });
    const [name, version] = stdout.trim().split('\n');
    return {
        name,
        version
    };
});
const platform = external_os_namespaceObject.platform();
const arch = external_os_namespaceObject.arch();
const isWindows = platform === 'win32';
const isMacOS = platform === 'darwin';
const isLinux = platform === 'linux';
function getDetails() {
    return platform_awaiter(this, void 0, void 0, function* () {
        return Object.assign(Object.assign({}, (yield (isWindows
            ? getWindowsInfo()
            : isMacOS
                ? getMacOsInfo()
                : getLinuxInfo()))), { platform,
            arch,
            isWindows,
            isMacOS,
            isLinux });
    });
}
//# sourceMappingURL=platform.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/core.js
var core_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};






/**
 * The code to exit an action
 */
var ExitCode;
(function (ExitCode) {
    /**
     * A code indicating that the action was successful
     */
    ExitCode[ExitCode["Success"] = 0] = "Success";
    /**
     * A code indicating that the action was a failure
     */
    ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
//-----------------------------------------------------------------------
// Variables
//-----------------------------------------------------------------------
/**
 * Sets env variable for this action and future actions in the job
 * @param name the name of the variable to set
 * @param val the value of the variable. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function exportVariable(name, val) {
    const convertedVal = toCommandValue(val);
    process.env[name] = convertedVal;
    const filePath = process.env['GITHUB_ENV'] || '';
    if (filePath) {
        return issueFileCommand('ENV', prepareKeyValueMessage(name, val));
    }
    issueCommand('set-env', { name }, convertedVal);
}
/**
 * Registers a secret which will get masked from logs
 *
 * @param secret - Value of the secret to be masked
 * @remarks
 * This function instructs the Actions runner to mask the specified value in any
 * logs produced during the workflow run. Once registered, the secret value will
 * be replaced with asterisks (***) whenever it appears in console output, logs,
 * or error messages.
 *
 * This is useful for protecting sensitive information such as:
 * - API keys
 * - Access tokens
 * - Authentication credentials
 * - URL parameters containing signatures (SAS tokens)
 *
 * Note that masking only affects future logs; any previous appearances of the
 * secret in logs before calling this function will remain unmasked.
 *
 * @example
 * ```typescript
 * // Register an API token as a secret
 * const apiToken = "abc123xyz456";
 * setSecret(apiToken);
 *
 * // Now any logs containing this value will show *** instead
 * console.log(`Using token: ${apiToken}`); // Outputs: "Using token: ***"
 * ```
 */
function core_setSecret(secret) {
    command_issueCommand('add-mask', {}, secret);
}
/**
 * Prepends inputPath to the PATH (for this action and future actions)
 * @param inputPath
 */
function addPath(inputPath) {
    const filePath = process.env['GITHUB_PATH'] || '';
    if (filePath) {
        issueFileCommand('PATH', inputPath);
    }
    else {
        issueCommand('add-path', {}, inputPath);
    }
    process.env['PATH'] = `${inputPath}${path.delimiter}${process.env['PATH']}`;
}
/**
 * Gets the value of an input.
 * Unless trimWhitespace is set to false in InputOptions, the value is also trimmed.
 * Returns an empty string if the value is not defined.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string
 */
function getInput(name, options) {
    const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    if (options && options.required && !val) {
        throw new Error(`Input required and not supplied: ${name}`);
    }
    if (options && options.trimWhitespace === false) {
        return val;
    }
    return val.trim();
}
/**
 * Gets the values of an multiline input.  Each value is also trimmed.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string[]
 *
 */
function getMultilineInput(name, options) {
    const inputs = getInput(name, options)
        .split('\n')
        .filter(x => x !== '');
    if (options && options.trimWhitespace === false) {
        return inputs;
    }
    return inputs.map(input => input.trim());
}
/**
 * Gets the input value of the boolean type in the YAML 1.2 "core schema" specification.
 * Support boolean input list: `true | True | TRUE | false | False | FALSE` .
 * The return value is also in boolean type.
 * ref: https://yaml.org/spec/1.2/spec.html#id2804923
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   boolean
 */
function getBooleanInput(name, options) {
    const trueValue = ['true', 'True', 'TRUE'];
    const falseValue = ['false', 'False', 'FALSE'];
    const val = getInput(name, options);
    if (trueValue.includes(val))
        return true;
    if (falseValue.includes(val))
        return false;
    throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}\n` +
        `Support boolean input list: \`true | True | TRUE | false | False | FALSE\``);
}
/**
 * Sets the value of an output.
 *
 * @param     name     name of the output to set
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setOutput(name, value) {
    const filePath = process.env['GITHUB_OUTPUT'] || '';
    if (filePath) {
        return file_command_issueFileCommand('OUTPUT', file_command_prepareKeyValueMessage(name, value));
    }
    process.stdout.write(external_os_namespaceObject.EOL);
    command_issueCommand('set-output', { name }, utils_toCommandValue(value));
}
/**
 * Enables or disables the echoing of commands into stdout for the rest of the step.
 * Echoing is disabled by default if ACTIONS_STEP_DEBUG is not set.
 *
 */
function setCommandEcho(enabled) {
    issue('echo', enabled ? 'on' : 'off');
}
//-----------------------------------------------------------------------
// Results
//-----------------------------------------------------------------------
/**
 * Sets the action status to failed.
 * When the action exits it will be with an exit code of 1
 * @param message add error issue message
 */
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}
//-----------------------------------------------------------------------
// Logging Commands
//-----------------------------------------------------------------------
/**
 * Gets whether Actions Step Debug is on or not
 */
function isDebug() {
    return process.env['RUNNER_DEBUG'] === '1';
}
/**
 * Writes debug message to user log
 * @param message debug message
 */
function core_debug(message) {
    command_issueCommand('debug', {}, message);
}
/**
 * Adds an error issue
 * @param message error issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function error(message, properties = {}) {
    command_issueCommand('error', utils_toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a warning issue
 * @param message warning issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function warning(message, properties = {}) {
    command_issueCommand('warning', utils_toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a notice issue
 * @param message notice issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function notice(message, properties = {}) {
    issueCommand('notice', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Writes info to log with console.log.
 * @param message info message
 */
function info(message) {
    process.stdout.write(message + external_os_namespaceObject.EOL);
}
/**
 * Begin an output group.
 *
 * Output until the next `groupEnd` will be foldable in this group
 *
 * @param name The name of the output group
 */
function startGroup(name) {
    command_issue('group', name);
}
/**
 * End an output group.
 */
function endGroup() {
    command_issue('endgroup');
}
/**
 * Wrap an asynchronous function call in a group.
 *
 * Returns the same type as the function itself.
 *
 * @param name The name of the group
 * @param fn The function to wrap in the group
 */
function group(name, fn) {
    return core_awaiter(this, void 0, void 0, function* () {
        startGroup(name);
        let result;
        try {
            result = yield fn();
        }
        finally {
            endGroup();
        }
        return result;
    });
}
//-----------------------------------------------------------------------
// Wrapper action state
//-----------------------------------------------------------------------
/**
 * Saves state for current action, the state can only be retrieved by this action's post job execution.
 *
 * @param     name     name of the state to store
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function saveState(name, value) {
    const filePath = process.env['GITHUB_STATE'] || '';
    if (filePath) {
        return file_command_issueFileCommand('STATE', file_command_prepareKeyValueMessage(name, value));
    }
    command_issueCommand('save-state', { name }, utils_toCommandValue(value));
}
/**
 * Gets the value of an state set by this action's main execution.
 *
 * @param     name     name of the state to get
 * @returns   string
 */
function getState(name) {
    return process.env[`STATE_${name}`] || '';
}
function getIDToken(aud) {
    return core_awaiter(this, void 0, void 0, function* () {
        return yield OidcClient.getIDToken(aud);
    });
}
/**
 * Summary exports
 */

/**
 * @deprecated use core.summary
 */

/**
 * Path exports
 */

/**
 * Platform utilities exports
 */

//# sourceMappingURL=core.js.map

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(471);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
