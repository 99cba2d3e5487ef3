import { fileURLToPath as __a2aFileURLToPath } from 'node:url';
import { dirname as __a2aDirname } from 'node:path';
const __filename = __a2aFileURLToPath(import.meta.url);
const __dirname = __a2aDirname(__filename);
globalThis.__A2A_LIBRARIES__ ??= new URL('../../../shared/dist/libraries/', import.meta.url).href;
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 539:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  P: () => (/* binding */ runHandshakeBatch)
});

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
async function mapLimit(items, limit, fn) {
    const run = pLimit(Math.max(1, Math.floor(limit)));
    return Promise.all(items.map((item, i) => run(() => fn(item, i))));
}
/** `fn`'s result or its error, never a rejection: for fan-outs where one failure must not drop the rest. */
async function settle(fn) {
    try {
        return { ok: true, value: await fn() };
    }
    catch (error) {
        return { ok: false, error: toError(error) };
    }
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:net"
const external_node_net_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");
;// CONCATENATED MODULE: external "node:tls"
const external_node_tls_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");
;// CONCATENATED MODULE: ./action-ssl/src/probe.ts
// One TLS handshake against one address, with SNI set and verification recorded rather than enforced,
// so that a single handshake yields every fact (dates, chain, name, protocol) even for a broken certificate.



// Building a context parses every trust anchor (~150 system roots): once per trust list, not per handshake,
// which measured ~40 ms per connection on this machine kind and made 100 endpoints CPU-bound.
const contexts = new WeakMap();
function contextFor(ca) {
    if (!ca)
        return undefined;
    let ctx = contexts.get(ca);
    if (!ctx) {
        ctx = (0,external_node_tls_namespaceObject.createSecureContext)({ ca });
        contexts.set(ca, ctx);
    }
    return ctx;
}
/**
 * The facts of one certificate, from the fields node already parsed during the handshake: building an
 * X509Certificate per certificate again costs about 0.25 ms each, which is most of the CPU a check
 * spends beyond the handshake itself when a hundred endpoints are checked at once.
 */
function certFacts(cert) {
    const key = cert.modulus ? `RSA ${cert.bits ?? '?'}` : cert.asn1Curve || cert.nistCurve ? `EC ${curveName(cert.nistCurve ?? cert.asn1Curve)}` : 'unknown';
    const subject = distinguishedName(cert.subject);
    const issuer = distinguishedName(cert.issuer);
    return {
        subject,
        issuer,
        sans: (cert.subjectaltname ?? '').split(/,\s*/).filter(Boolean),
        serial: cert.serialNumber.toUpperCase(),
        notBefore: new Date(cert.valid_from).toISOString(),
        notAfter: new Date(cert.valid_to).toISOString(),
        key,
        fingerprint256: cert.fingerprint256,
        // Node links a self-signed certificate to itself only when it completed the chain to a trusted root;
        // an untrusted self-signed leaf comes with no issuer at all, so its own signature is checked here
        // (parsed only when subject and issuer read the same, which few certificates outside roots do).
        selfIssued: cert.issuerCertificate === cert || (!cert.issuerCertificate && subject === issuer && signsItself(cert.raw))
    };
}
/**
 * True when the DER certificate names itself as issuer and its signature verifies with its own key.
 * Not `checkIssued`: OpenSSL's issuer check also wants keyCertSign, which a self-signed leaf lacks.
 */
function signsItself(raw) {
    try {
        const x = new external_node_crypto_namespaceObject.X509Certificate(raw);
        return x.subject === x.issuer && x.verify(x.publicKey);
    }
    catch {
        return false;
    }
}
function curveName(curve) {
    const names = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521' };
    return curve ? (names[curve] ?? curve) : '?';
}
/** `CN=localhost, O=A2A` from node's parsed subject or issuer (values may repeat as arrays). */
function distinguishedName(dn) {
    return Object.entries(dn ?? {})
        .flatMap(([k, v]) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => `${k}=${x}`))
        .join(', ');
}
/** Walks node's issuer links from the leaf, stopping at a self-issued certificate or a loop. */
function walkChain(leaf) {
    const out = [];
    const seen = new Set();
    let cur = leaf;
    while (cur?.raw && !seen.has(cur.fingerprint256) && out.length < 10) {
        seen.add(cur.fingerprint256);
        out.push(certFacts(cur));
        cur = cur.issuerCertificate;
    }
    return out;
}
/**
 * Connects to `address:port`, sends `host` as SNI (unless it is an IP literal), and records the
 * certificate chain, the verification code and the host name check. Never throws: a failure to complete
 * a handshake within `timeoutMs` comes back as `error`.
 */
function probeTls(host, address, port, opts) {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    return new Promise((resolve) => {
        let done = false;
        const socket = (0,external_node_tls_namespaceObject.connect)({
            host: address,
            port,
            servername: (0,external_node_net_namespaceObject.isIP)(host) === 0 ? host : undefined,
            secureContext: contextFor(opts.ca),
            rejectUnauthorized: false,
            // The name is checked below with the same function node uses, so a mismatch is reported, not fatal.
            checkServerIdentity: () => undefined
        });
        const finish = (result) => {
            if (done)
                return;
            done = true;
            clearTimeout(timer);
            socket.destroy();
            resolve({ address, elapsedMs: elapsed(), ...result });
        };
        const timer = setTimeout(() => finish({ error: `no TLS handshake within ${opts.timeoutMs} ms`, chain: [] }), opts.timeoutMs);
        socket.once('secureConnect', () => {
            const peer = socket.getPeerCertificate(true);
            if (!peer || !peer.raw) {
                finish({ error: 'the server sent no certificate', protocol: socket.getProtocol() ?? undefined, chain: [] });
                return;
            }
            const identity = (0,external_node_tls_namespaceObject.checkServerIdentity)(host, peer);
            const authError = socket.authorizationError;
            finish({
                protocol: socket.getProtocol() ?? undefined,
                cipher: socket.getCipher()?.name,
                authorizationError: authError ? String(typeof authError === 'string' ? authError : (authError.code ?? authError.message)) : undefined,
                identityError: identity ? identity.message : undefined,
                chain: walkChain(peer)
            });
        });
        socket.once('error', (err) => {
            finish({ error: describeSocketError(err, address, port), chain: [] });
        });
    });
}
function describeSocketError(err, address, port) {
    const where = `${(0,external_node_net_namespaceObject.isIP)(address) === 6 ? `[${address}]` : address}:${port}`;
    switch (err.code) {
        case 'ECONNREFUSED':
            return `connection refused by ${where} (nothing listens on that port)`;
        case 'ECONNRESET':
            return `connection reset by ${where} during the TLS handshake`;
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
            return `${where} is unreachable (${err.code})`;
        default:
            if (/wrong version number|packet length too long|unknown protocol/i.test(err.message)) {
                return `${where} does not speak TLS on this port (${err.message})`;
            }
            return `TLS handshake with ${where} failed: ${err.message}`;
    }
}

;// CONCATENATED MODULE: ./action-ssl/src/handshake-batch.ts
// A batch of TLS handshakes run on one event loop: the one code path for every handshake, whether it runs
// in the action's own thread or inside a worker thread (src/workers/tls-handshake.ts only wraps this).


/**
 * Runs every handshake of the batch, at most `concurrency` at once, and resolves with one ProbeResult per
 * job in job order. Never rejects for a failed handshake: `probeTls` reports it in the result.
 */
function runHandshakeBatch(batch) {
    return mapLimit(batch.jobs, batch.concurrency, (job) => probeTls(job.host, job.address, job.port, { timeoutMs: batch.timeoutMs, ca: batch.ca }));
}


/***/ }),

/***/ 62:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var node_worker_threads__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(919);
/* harmony import */ var node_worker_threads__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_worker_threads__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _handshake_batch_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(539);
// Worker thread entry (bundled to dist/workers/tls-handshake.js): runs one batch of TLS handshakes on this
// thread's own event loop and posts the plain results back. All the logic is in ../handshake-batch.ts.


if (!node_worker_threads__WEBPACK_IMPORTED_MODULE_0__.parentPort)
    throw new Error('tls-handshake.js is a worker thread script: start it with new Worker(), not node.');
node_worker_threads__WEBPACK_IMPORTED_MODULE_0__.parentPort.postMessage(await (0,_handshake_batch_js__WEBPACK_IMPORTED_MODULE_1__/* .runHandshakeBatch */ .P)(node_worker_threads__WEBPACK_IMPORTED_MODULE_0__.workerData));

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

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
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
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
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(62);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
