import { fileURLToPath as __a2aFileURLToPath } from 'node:url';
import { dirname as __a2aDirname } from 'node:path';
const __filename = __a2aFileURLToPath(import.meta.url);
const __dirname = __a2aDirname(__filename);
export const id = 116;
export const ids = [116];
export const modules = {

/***/ 5116:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  syncIncidentIssues: () => (/* binding */ syncIncidentIssues)
});

// EXTERNAL MODULE: ./shared/src/libraries/load-library.ts + 1 modules
var load_library = __webpack_require__(6841);
// EXTERNAL MODULE: ./shared/src/secrets.ts
var secrets = __webpack_require__(9214);
;// CONCATENATED MODULE: ./shared/src/issues/github-call.ts
// Names what a GitHub call was doing when it failed, in words the issue manager reports as a warning.
// Nothing is retried here: the client from github-client.ts retries rate limits and server errors
// itself (Octokit's retry and throttling plugins) and leaves a note on the error it finally gives up on.

/** A GitHub API failure, classified. `permission` means the token lacks `issues: write`. */
class GitHubCallError extends Error {
    kind;
    status;
    name = 'GitHubCallError';
    constructor(message, kind, status) {
        super(message);
        this.kind = kind;
        this.status = status;
    }
}
// Kept beside the error rather than on it: the RequestError reaches other callers unchanged.
const notes = new WeakMap();
/** Records what the client knows about `error` (called by github-client.ts only). */
function recordFailureNotes(error, note) {
    if (error !== null && typeof error === 'object')
        notes.set(error, note);
}
/** Runs `call` and turns any failure into a GitHubCallError whose message starts with `what`. */
async function callGitHub(what, call) {
    try {
        return await call();
    }
    catch (thrown) {
        throw describeGitHubError(what, thrown);
    }
}
/**
 * A plain-language GitHubCallError for a failed call: what was being done, what GitHub said (secrets
 * scrubbed) and, for rate limits, how many attempts were made and why the client stopped waiting.
 */
function describeGitHubError(what, thrown) {
    if (thrown instanceof GitHubCallError)
        return thrown;
    const error = (thrown ?? {});
    const status = typeof error.status === 'number' ? error.status : undefined;
    const message = apiMessage(error);
    const note = typeof thrown === 'object' && thrown !== null ? notes.get(thrown) : undefined;
    const tries = note && note.attempts > 1 ? ` after ${note.attempts} attempts` : '';
    const said = `${status ? `${status} ` : ''}${message}`;
    if (note?.rateLimit || isRateLimit(error, status, message)) {
        const limit = note?.rateLimit;
        const why = limit
            ? ` (GitHub asked to wait ${limit.waitSeconds} s; the retry budget left was ${Math.floor(limit.budgetLeftMs / 1000)} s)`
            : '';
        const n = note?.attempts ?? 1;
        return new GitHubCallError(`${what}: still rate limited after ${n} attempt${n === 1 ? '' : 's'}${why}: ${said}`, 'rate-limit', status);
    }
    if (status === 403 && /not accessible by integration|resource not accessible/i.test(message)) {
        return new GitHubCallError(`${what}: the token may not write issues (403 ${message}). Give the job 'permissions: issues: write'.`, 'permission', status);
    }
    if (status === 401)
        return new GitHubCallError(`${what}: GitHub rejected the token (401 ${message}).`, 'auth', status);
    if (status === 404) {
        return new GitHubCallError(`${what}: not found (404) — the repository is wrong or the token cannot see it.`, 'not-found', status);
    }
    if (status === 422)
        return new GitHubCallError(`${what}: GitHub refused the request (422 ${message}).`, 'validation', status);
    if (status !== undefined && status >= 500)
        return new GitHubCallError(`${what}: GitHub failed${tries} (HTTP ${said}).`, 'server', status);
    return new GitHubCallError(`${what}: ${status ? `HTTP ${status} ` : ''}${message}${tries}`, 'other', status);
}
function apiMessage(error) {
    const data = error.response?.data;
    const text = typeof data?.message === 'string' ? data.message : (error.message ?? String(error));
    return (0,secrets/* scrubSecrets */.Zg)(text).slice(0, 300);
}
/** GitHub's two ways of saying "rate limited": 429, or 403 with the wording or an exhausted quota. */
function isRateLimit(error, status, message) {
    const remaining = error.response?.headers?.['x-ratelimit-remaining'];
    return status === 429 || (status === 403 && (/rate limit/i.test(message) || String(remaining) === '0'));
}

;// CONCATENATED MODULE: ./shared/src/issues/github-client.ts


/** Statuses a retry cannot fix. 403 and 429 are left to the throttling plugin, which knows rate limits. */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];
/**
 * Creates the GitHub client. Rate limits (403/429 with `retry-after`, or an exhausted quota until
 * `x-ratelimit-reset`) are retried at most `rateLimitRetries` times per request and only while the wait
 * fits in the budget shared by every request of this client; 5xx and network failures are retried
 * `serverErrorRetries` times; 401, 403 (permission), 404 and 422 are never retried. A request that fails
 * for good rejects with Octokit's RequestError; `describeGitHubError` (github-call.ts) reads how many
 * attempts were made and why waiting stopped.
 */
async function createGitHubClient(opts) {
    // Octokit, its two plugins and Bottleneck: one shared library, loaded only by runs that call GitHub.
    const { getOctokit, retry, throttling, Bottleneck } = await (0,load_library/* loadLibrary */._)('github');
    const scale = opts.timeScale ?? 1;
    const maxRetries = opts.rateLimitRetries ?? 3;
    const budget = { leftMs: opts.rateLimitBudgetMs ?? 30_000 };
    const say = opts.warn;
    // Per request (Octokit passes the same options object to every hook of one call, retries included).
    const attempts = new WeakMap();
    const gaveUp = new WeakMap();
    const onLimit = (kind) => (retryAfter, options, _octokit, retryCount) => {
        const route = `${options.method} ${options.url}`;
        const waitMs = retryAfter * 1000;
        if (retryCount >= maxRetries || waitMs > budget.leftMs) {
            gaveUp.set(options, { reason: retryCount >= maxRetries ? 'retries' : 'budget', waitSeconds: retryAfter, budgetLeftMs: budget.leftMs });
            return false;
        }
        budget.leftMs -= waitMs;
        say?.(`GitHub ${kind} on ${route}: waiting ${retryAfter} s as asked, then retry ${retryCount + 1} of ${maxRetries}.`);
        return true;
    };
    // Innermost hook: runs once per attempt.
    const countAttempts = (octokit) => {
        octokit.hook.wrap('request', (request, options) => {
            attempts.set(options, (attempts.get(options) ?? 0) + 1);
            return request(options);
        });
    };
    // Outermost hook: runs once per call, after every retry is spent.
    const noteFailures = (octokit) => {
        octokit.hook.wrap('request', async (request, options) => {
            try {
                return await request(options);
            }
            catch (error) {
                recordFailureNotes(error, { attempts: attempts.get(options) ?? 1, rateLimit: gaveUp.get(options) });
                throw error;
            }
        });
    };
    const log = say ? { debug: () => undefined, info: () => undefined, warn: say, error: say } : undefined;
    // The plugin paces writes through process-wide Bottleneck groups; scaled time needs groups of its own.
    const pacing = scale === 1
        ? {}
        : {
            write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 1000 * scale }),
            notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3000 * scale }),
            search: new Bottleneck.Group({ maxConcurrent: 1, minTime: 2000 * scale })
        };
    return getOctokit(opts.token, {
        baseUrl: opts.baseUrl || process.env.GITHUB_API_URL || 'https://api.github.com',
        ...(log ? { log } : {}),
        retry: { retries: opts.serverErrorRetries ?? 2, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: 1000 * scale },
        throttle: {
            onRateLimit: onLimit('rate limit'),
            onSecondaryRateLimit: onLimit('secondary rate limit'),
            retryAfterBaseValue: 1000 * scale,
            ...pacing
        }
    }, 
    // Order matters: the first plugin's hook is innermost. Throttling wraps retry, as Octokit documents.
    countAttempts, retry, throttling, noteFailures);
}

// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __webpack_require__(3904);
// EXTERNAL MODULE: ./shared/src/report/model.ts
var model = __webpack_require__(8127);
;// CONCATENATED MODULE: ./shared/src/issues/decide.ts


/** A check's memory with no streak: what a passing check with no incident keeps. */
function quietMemory(status) {
    return { lastStatus: status, consecutiveFailures: 0, consecutiveSuccesses: 0 };
}
/**
 * Moves a check's memory on by one run and says what its issue needs. A failing run extends the failure
 * streak and ends the success streak; a passing run counts towards closing only while an incident is (or,
 * with the list unreadable, may be) open; otherwise the memory is reset. The issue opens after
 * `failuresToOpen` failing runs in a row (not while suppressed), is kept current while it keeps failing,
 * and closes after `successesToClose` passing runs in a row. The memory returned is a new object.
 */
function stepCheck(previous, input) {
    const memory = { ...(previous ?? quietMemory('ok')), lastStatus: input.status };
    if ((0,model/* reaches */.O6)(input.status, input.openOn)) {
        memory.consecutiveFailures += 1;
        memory.consecutiveSuccesses = 0;
        // With the state lost and the issue still open, its creation is the earliest start we know.
        memory.failingSince ??= input.existing?.createdAt ?? input.now.toISOString();
        memory.failingRuns = (memory.failingRuns ?? 0) + 1;
        memory.lastFailureAt = input.now.toISOString();
        if (!input.listed)
            return { memory, step: 'none' };
        if (input.existing)
            return { memory, step: 'keep-current' };
        const due = !input.suppressed && memory.consecutiveFailures >= input.settings.failuresToOpen;
        return { memory, step: due ? 'open' : 'none' };
    }
    // Unlisted issues leave `existing` unknown: a remembered failure may still have its issue open.
    const incident = input.existing !== undefined || (!input.listed && memory.failingSince !== undefined);
    if (!incident)
        return { memory: quietMemory(input.status), step: 'none' };
    memory.consecutiveSuccesses += 1;
    memory.consecutiveFailures = 0;
    if (!input.listed)
        return { memory, step: 'none' };
    return { memory, step: memory.consecutiveSuccesses >= input.settings.successesToClose ? 'close' : 'none' };
}
/** The reason text of the maintenance window `now` falls in (start inclusive, end exclusive), if any. */
function activeWindow(windows, now) {
    const t = now.getTime();
    for (const w of windows) {
        if (Date.parse(w.start) <= t && t < Date.parse(w.end)) {
            return `maintenance window ${w.start} → ${w.end}${w.reason ? ` (${w.reason})` : ''}`;
        }
    }
    return undefined;
}
/** Refuses issue settings that would lose incidents or file one per passing check, naming the key and the fix. */
function validateSettings(settings, openOn) {
    if (openOn !== 'warn' && openOn !== 'fail') {
        throw new errors/* ConfigurationError */.j(`Issues open on 'warn' or 'fail', not '${String(openOn)}': every passing check would become an incident.`);
    }
    const where = "the 'issues' section of the ops config";
    if (!settings.labels.length || !settings.labels[0]?.trim()) {
        throw new errors/* ConfigurationError */.j(`issues.labels in ${where} must name at least one label: the first one is how incident issues are found again.`);
    }
    for (const [name, value] of [['failures-to-open', settings.failuresToOpen], ['successes-to-close', settings.successesToClose]]) {
        if (!Number.isInteger(value) || value < 1) {
            throw new errors/* ConfigurationError */.j(`issues.${name} in ${where} must be a whole number of at least 1, got ${String(value)}.`);
        }
    }
    if (!Number.isFinite(settings.commentIntervalMs) || settings.commentIntervalMs < 0) {
        throw new errors/* ConfigurationError */.j(`issues.comment-interval in ${where} must be a duration such as '6h' or '30m' (0 comments on every failing run), got ${String(settings.commentIntervalMs)}.`);
    }
    settings.maintenanceWindows.forEach((w, i) => {
        const start = Date.parse(w.start);
        const end = Date.parse(w.end);
        if (!Number.isFinite(start) || !Number.isFinite(end)) {
            throw new errors/* ConfigurationError */.j(`issues.maintenance-windows[${i}] in ${where} needs ISO 8601 'start' and 'end' times such as '2026-01-31T22:00:00Z'.`);
        }
        if (end <= start)
            throw new errors/* ConfigurationError */.j(`issues.maintenance-windows[${i}] in ${where} ends before it starts: swap 'start' and 'end'.`);
    });
}

// EXTERNAL MODULE: ./shared/src/report/markdown-text.ts
var markdown_text = __webpack_require__(5505);
;// CONCATENATED MODULE: ./shared/src/issues/issue-body.ts


/** GitHub rejects issue and comment bodies longer than this (characters). */
const GITHUB_BODY_LIMIT = 65_536;
/** What we allow ourselves: a margin below the limit for the truncation note and multi-unit characters. */
const BODY_BUDGET = 60_000;
const TITLE_LIMIT = 200;
const MARKER_PREFIX = '<!-- a2a-ops:key=';
const MARKER_SUFFIX = ' -->';
/**
 * The hidden marker that finds an issue again. The key is percent-encoded only where it could end the
 * HTML comment (`--`, `>`) or break the line, so ordinary keys stay readable in the raw body.
 */
function issueMarker(key) {
    const safe = (0,secrets/* scrubSecrets */.Zg)(key)
        .replace(/%/g, '%25')
        .replace(/-(?=-)/g, '%2D')
        .replace(/[<>\r\n]/g, (c) => encodeURIComponent(c));
    return `${MARKER_PREFIX}${safe}${MARKER_SUFFIX}`;
}
/**
 * Reads the key from a body's first line. Only the first line counts: text quoted further down (a log
 * excerpt that happens to contain a marker) can never make an issue look like another check's.
 */
function readIssueMarker(body) {
    if (!body?.startsWith(MARKER_PREFIX))
        return undefined;
    const end = body.indexOf(MARKER_SUFFIX, MARKER_PREFIX.length);
    const newline = body.indexOf('\n');
    if (end < 0 || (newline >= 0 && end > newline))
        return undefined;
    try {
        return decodeURIComponent(body.slice(MARKER_PREFIX.length, end));
    }
    catch {
        return undefined;
    }
}
/** The key as it appears in a marker (secrets scrubbed), for comparing with `readIssueMarker`. */
function markerKey(key) {
    return (0,secrets/* scrubSecrets */.Zg)(key);
}
/**
 * Cuts text to at most `max` UTF-16 units, keeping its end (the end of a log is where the error is)
 * and never splitting a surrogate pair. Returns the text unchanged when it fits.
 */
function keepTail(text, max) {
    if (text.length <= max)
        return { text, cut: 0 };
    let start = text.length - max;
    if (/[\uDC00-\uDFFF]/.test(text[start] ?? ''))
        start += 1;
    return { text: text.slice(start), cut: start };
}
/** A value with its unit and threshold: `1200 ms (threshold < 500 ms)`. */
function describeValue(check) {
    if (check.value === undefined)
        return undefined;
    const value = `${check.value}${check.unit ? ` ${check.unit}` : ''}`;
    return check.threshold ? `${value} (threshold ${check.threshold})` : value;
}
const STATUS_WORD = { ok: 'passing', warn: 'warning', fail: 'failing' };
const STATUS_ICON = { ok: '🟢', warn: '🟡', fail: '🔴' };
/** The issue title: action, target, status. Titles are not rendered, but mentions and secrets still matter. */
function buildIssueTitle(action, check) {
    const raw = `[${action}] ${check.target} is ${STATUS_WORD[check.status]}: ${check.message}`;
    const clean = (0,markdown_text/* neutraliseMentions */.yY)((0,secrets/* scrubSecrets */.Zg)(raw).replace(/\s+/g, ' ').trim());
    return clean.length > TITLE_LIMIT ? `${clean.slice(0, TITLE_LIMIT - 1)}…` : clean;
}
/** The issue body: marker first, a table of the facts, the message, the details fenced and folded. */
function buildIssueBody(check, ctx) {
    const rows = [
        ['Check', (0,markdown_text/* inlineText */.ln)(`${ctx.action}:${check.id}`)],
        ['Target', (0,markdown_text/* inlineText */.ln)(check.target)],
        ['Status', `${STATUS_ICON[check.status]} **${check.status}**`]
    ];
    const value = describeValue(check);
    if (value)
        rows.push(['Value', (0,markdown_text/* inlineText */.ln)(value)]);
    rows.push(['First seen', (0,markdown_text/* inlineText */.ln)(ctx.failingSince ?? ctx.now.toISOString())]);
    rows.push(['Last seen', (0,markdown_text/* inlineText */.ln)(ctx.lastSeen ?? ctx.now.toISOString())]);
    rows.push(['Failing runs', describeRuns(ctx)]);
    rows.push(['Latest run', `[workflow run](${safeUrl(ctx.runUrl)})`]);
    const head = [
        issueMarker(ctx.key),
        `### ${STATUS_ICON[check.status]} ${(0,markdown_text/* inlineText */.ln)(check.target)} is ${STATUS_WORD[check.status]}`,
        '',
        '| | |',
        '|---|---|',
        ...rows.map(([k, v]) => `| ${k} | ${v} |`),
        '',
        `**Message:** ${(0,markdown_text/* inlineText */.ln)(check.message, 4000)}`
    ].join('\n');
    const comments = ctx.commentIntervalMs > 0
        ? `A comment is added when the failure changes, and otherwise at most every ${(0,markdown_text/* formatDuration */.a3)(ctx.commentIntervalMs)} while it lasts; this description always shows the latest failing run.`
        : 'Every later failing run adds a comment and updates this description.';
    const foot = `_Opened by a2a-ops after ${ctx.failuresToOpen} failing run${ctx.failuresToOpen === 1 ? '' : 's'} in a row. ${comments} ` +
        `It is closed after ${ctx.successesToClose} passing run${ctx.successesToClose === 1 ? '' : 's'} in a row._`;
    return assemble((0,secrets/* scrubSecrets */.Zg)(head), check.details, (0,secrets/* scrubSecrets */.Zg)(foot));
}
/** `12`, or `12 (3 in a row)` when a passing run broke the streak while the issue stayed open. */
function describeRuns(ctx) {
    const total = ctx.failingRuns ?? ctx.consecutiveFailures;
    return total === ctx.consecutiveFailures ? String(total) : `${total} (${ctx.consecutiveFailures} in a row)`;
}
/**
 * A comment for a check that is still failing while its issue is open: `changed` when the failure is
 * new to this incident, `interval` for the periodic reminder that the same failure goes on, `no-memory`
 * when earlier runs left no record to compare with.
 */
function buildRecurrenceComment(check, ctx, reason) {
    const value = describeValue(check);
    const runs = ctx.failingRuns ?? ctx.consecutiveFailures;
    const since = ctx.failingSince ? ` since ${ctx.failingSince}` : '';
    const at = ctx.now.toISOString();
    const lead = {
        changed: `${STATUS_ICON[check.status]} The failure changed at ${at}; now **${check.status}**`,
        interval: `${STATUS_ICON[check.status]} Still **${check.status}** at ${at}, unchanged`,
        'no-memory': `${STATUS_ICON[check.status]} Still **${check.status}** at ${at} (no record of earlier runs was found to compare with)`
    }[reason];
    const head = [
        `${lead} (${runs} failing run${runs === 1 ? '' : 's'}${since}): ${(0,markdown_text/* inlineText */.ln)(check.message, 4000)}`,
        ...(value ? ['', `Value: ${(0,markdown_text/* inlineText */.ln)(value)}`] : []),
        '',
        `[Workflow run](${safeUrl(ctx.runUrl)})`
    ].join('\n');
    return assemble((0,secrets/* scrubSecrets */.Zg)(head), check.details, '');
}
/** The comment posted before closing: how long it was down, and how many runs saw it fail. */
function buildRecoveryComment(check, ctx) {
    const since = ctx.failingSince ? Date.parse(ctx.failingSince) : NaN;
    const downtime = Number.isFinite(since) ? (0,markdown_text/* formatDuration */.a3)(ctx.now.getTime() - since) : 'an unknown time (no record of when it began)';
    const facts = [
        Number.isFinite(since) ? `failing since ${ctx.failingSince}` : '',
        ctx.failingRuns ? `${ctx.failingRuns} failing run${ctx.failingRuns === 1 ? '' : 's'}` : '',
        ctx.lastSeen ? `last failure ${ctx.lastSeen}` : ''
    ].filter(Boolean);
    const text = [
        `${STATUS_ICON.ok} Recovered after ${downtime}${facts.length ? ` (${facts.join('; ')})` : ''}.`,
        '',
        `Passing for ${ctx.successes} run${ctx.successes === 1 ? '' : 's'} in a row; latest: ${(0,markdown_text/* inlineText */.ln)(check.message)}`,
        '',
        `[Workflow run](${safeUrl(ctx.runUrl)})`
    ].join('\n');
    return (0,secrets/* scrubSecrets */.Zg)(text);
}
/** The comment on a second open issue carrying the same marker, posted before it is closed as a duplicate. */
function buildDuplicateComment(key, canonical) {
    return (0,secrets/* scrubSecrets */.Zg)(`Duplicate of #${canonical}, which a2a-ops keeps as the incident for ${(0,markdown_text/* inlineText */.ln)(key)} (the oldest open issue ` +
        `with this check's marker). Two runs probably filed at once; a \`concurrency:\` group on the workflow prevents that. ` +
        `Closing this one: updates, comments and the recovery go to #${canonical}.`);
}
/** Joins head, fenced details and foot, cutting the details so the whole stays within BODY_BUDGET. */
function assemble(head, details, foot) {
    const parts = [head];
    if (details) {
        // Fenced text notifies no one already; neutralising too keeps a copy-paste out of the fence inert.
        const clean = (0,markdown_text/* neutraliseMentions */.yY)((0,secrets/* scrubSecrets */.Zg)(details));
        // Room left for the details once the fixed text, the fence and the wrapper are counted.
        const overhead = head.length + foot.length + 400;
        const room = Math.max(1000, BODY_BUDGET - overhead);
        const { text, cut } = keepTail(clean, room);
        const note = cut ? `\n\n_Details truncated: the first ${cut.toLocaleString('en-US')} of ${clean.length.toLocaleString('en-US')} characters were dropped to stay under GitHub's ${GITHUB_BODY_LIMIT.toLocaleString('en-US')}-character limit; the full text is in the workflow run log._` : '';
        parts.push(`<details><summary>Details</summary>\n\n${(0,markdown_text/* fence */.EU)(text)}\n\n</details>${note}`);
    }
    if (foot)
        parts.push(foot);
    const body = parts.join('\n\n');
    // The head itself is built from bounded fields, but a huge message must still never exceed the limit.
    return body.length > BODY_BUDGET ? `${body.slice(0, BODY_BUDGET - 40)}\n\n_…truncated to fit GitHub's limit._` : body;
}
/** Only http(s) links go into Markdown links; anything else is shown as inert text. */
function safeUrl(url) {
    return /^https?:\/\/[^\s()<>]+$/.test(url) ? url : '#';
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./shared/src/issues/recurrence.ts
// Decides whether a failing run that finds its incident issue open deserves a comment: yes when the
// failure is new to this incident, otherwise at most once per `issues.comment-interval`.


/** How many announced fingerprints an incident remembers (newest kept). */
const ANNOUNCED_LIMIT = 5;
/**
 * The message with what changes from run to run blanked out, so that only a change in kind counts:
 * secrets scrubbed, whitespace collapsed, ISO times → `<time>`, long hex ids and UUIDs (request ids,
 * container ids, checksums) → `<id>`, a 3-digit HTTP status → its class (`answered 503, expected 200`
 * → `answered 5xx, expected 2xx`: 502/503 is one outage, 404 → 503 is news), and every other number → `#`
 * (latency, percent, bytes, sample counts, days left). A 3-digit number followed by a word or unit
 * (`120 samples`, `250 ms`) is a measurement, not a status. The words stay: "timed out" and
 * "connection refused" differ.
 */
function normaliseFailureMessage(message) {
    return (0,secrets/* scrubSecrets */.Zg)(message)
        .replace(/\s+/g, ' ')
        .trim()
        .replace(/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, '<time>')
        .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
        .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi, '<id>')
        // A status code stands alone: not followed by a unit or word ("503:" yes, "120 ms"/"250 samples" no).
        .replace(/(?<![\d.,:])\b([1-5])\d\d\b(?![.,]\d)(?!\s*[A-Za-z%])/g, '$1xx')
        // Every other number; the status classes just written (`5xx`) are left alone.
        .replace(/\d+(?:[.,:]\d+)*(?!xx\b)/g, '#');
}
/** Status plus normalised message, hashed: what "the same failure" means, without keeping its text in state. */
function failureFingerprint(check) {
    return (0,external_node_crypto_.createHash)('sha256').update(`${check.status}\n${normaliseFailureMessage(check.message)}`).digest('hex').slice(0, 16);
}
/**
 * The rule: a failure not yet announced in this incident comments at once; the same failure comments
 * again only once `intervalMs` has passed since the last announcement (opening or comment). A failure
 * that returns to one already announced does not count as new, or two alternating errors would comment
 * on every run. `intervalMs` 0 comments on every failing run. With no memory at all (state lost, or an
 * issue filed before this rule) it comments once, since it cannot know what was said.
 */
function decideRecurrenceComment(memory, fingerprint, now, intervalMs) {
    if (!memory.announced?.length)
        return { comment: true, reason: 'no-memory' };
    if (!memory.announced.includes(fingerprint))
        return { comment: true, reason: 'changed' };
    const last = memory.lastCommentAt ? Date.parse(memory.lastCommentAt) : NaN;
    if (!Number.isFinite(last) || now.getTime() - last >= intervalMs)
        return { comment: true, reason: 'interval' };
    return { comment: false };
}
/** Records that the incident was just announced with this failure (issue opened or comment posted). */
function rememberAnnouncement(memory, fingerprint, now) {
    const announced = (memory.announced ?? []).filter((f) => f !== fingerprint);
    announced.push(fingerprint);
    memory.announced = announced.slice(-ANNOUNCED_LIMIT);
    memory.lastCommentAt = now.toISOString();
}

;// CONCATENATED MODULE: ./shared/src/issues/sync-issues.ts





/**
 * Files, updates, comments on and closes incident issues for a report and updates the flap-guard and
 * recurrence memory in `state` (the caller saves it). `octokit` comes from `createGitHubClient`, which
 * retries rate limits and server errors. Never throws for GitHub API trouble: that becomes `warnings`,
 * so the action's own result stays the job's result. Throws ConfigurationError for bad issue settings.
 */
async function syncIssues(octokit, report, state, opts) {
    validateSettings(opts.settings, opts.openOn);
    const now = opts.now ?? new Date();
    const { owner, repo } = opts.repo;
    const settings = opts.settings;
    const result = { opened: [], commented: [], updated: [], closed: [], closedAsDuplicates: [], warnings: [] };
    // After a 401/403-permission answer every further write would fail the same way: stop writing.
    let writesBlocked = false;
    const warn = (error) => {
        const text = (0,secrets/* scrubSecrets */.Zg)(error instanceof Error ? error.message : String(error));
        if (!result.warnings.includes(text))
            result.warnings.push(text);
        if (error instanceof GitHubCallError && (error.kind === 'permission' || error.kind === 'auth'))
            writesBlocked = true;
    };
    let open;
    let duplicates = [];
    try {
        ({ open, duplicates } = await listIncidentIssues(octokit, owner, repo, settings.labels[0], result.warnings));
    }
    catch (error) {
        warn(error);
    }
    for (const dup of duplicates) {
        if (writesBlocked)
            break;
        try {
            await closeDuplicate(octokit, owner, repo, dup);
            result.closedAsDuplicates.push(dup.issue.number);
        }
        catch (error) {
            warn(error);
        }
    }
    const windowReason = activeWindow(settings.maintenanceWindows, now);
    let suppressed = windowReason;
    if (!suppressed && settings.maintenanceLabel) {
        try {
            const labelled = await callGitHub(`Listing open issues labelled '${settings.maintenanceLabel}'`, () => octokit.rest.issues.listForRepo({ owner, repo, state: 'open', labels: settings.maintenanceLabel, per_page: 1 }));
            const first = labelled.data[0];
            if (first)
                suppressed = `open issue #${first.number} is labelled '${settings.maintenanceLabel}' (maintenance)`;
        }
        catch (error) {
            warn(error);
        }
    }
    if (suppressed)
        result.suppressed = suppressed;
    for (const check of report.checks) {
        const key = `${report.action}:${check.id}`;
        const existing = open?.get(markerKey(key));
        const { memory, step } = stepCheck(state.checks[key], {
            status: check.status,
            openOn: opts.openOn,
            listed: open !== undefined,
            existing,
            suppressed: suppressed !== undefined,
            settings,
            now
        });
        state.checks[key] = memory;
        if (step === 'none' || !open || writesBlocked)
            continue;
        const ctx = {
            key,
            action: report.action,
            runUrl: opts.runUrl,
            now,
            failingSince: memory.failingSince,
            lastSeen: memory.lastFailureAt,
            failingRuns: memory.failingRuns,
            consecutiveFailures: memory.consecutiveFailures,
            failuresToOpen: settings.failuresToOpen,
            successesToClose: settings.successesToClose,
            commentIntervalMs: settings.commentIntervalMs
        };
        try {
            if (step === 'keep-current' && existing) {
                await keepIncidentCurrent(octokit, owner, repo, existing, check, memory, ctx, settings, suppressed, result);
            }
            else if (step === 'open') {
                const body = buildIssueBody(check, ctx);
                const created = await callGitHub(`Opening an incident issue for ${key}`, () => octokit.rest.issues.create({
                    owner,
                    repo,
                    title: buildIssueTitle(report.action, check),
                    body,
                    labels: settings.labels,
                    ...(settings.assignees.length ? { assignees: settings.assignees } : {})
                }));
                open.set(markerKey(key), { number: created.data.number, id: created.data.id, createdAt: created.data.created_at, body });
                // A new issue starts a new conversation: what an earlier (closed) issue said does not count.
                memory.announced = [];
                rememberAnnouncement(memory, failureFingerprint(check), now);
                result.opened.push(created.data.number);
            }
            else if (step === 'close' && existing) {
                await closeRecovered(octokit, owner, repo, existing, check, memory, opts.runUrl, now);
                result.closed.push(existing.number);
                open.delete(markerKey(key));
                state.checks[key] = quietMemory(check.status);
            }
        }
        catch (error) {
            warn(error);
        }
    }
    return result;
}
/**
 * A failing run that finds its issue open: the body always shows the latest run (rewritten only when
 * it differs), and a comment is added only when `decideRecurrenceComment` says so and no maintenance
 * is on. Body edits notify no one; comments do, hence the rule.
 */
async function keepIncidentCurrent(octokit, owner, repo, issue, check, memory, ctx, settings, suppressed, result) {
    const body = buildIssueBody(check, ctx);
    if (body !== issue.body) {
        await callGitHub(`Updating incident #${issue.number}`, () => octokit.rest.issues.update({ owner, repo, issue_number: issue.number, body }));
        issue.body = body;
        result.updated.push(issue.number);
    }
    if (suppressed)
        return;
    const fingerprint = failureFingerprint(check);
    const decision = decideRecurrenceComment(memory, fingerprint, ctx.now, settings.commentIntervalMs);
    if (!decision.comment)
        return;
    await callGitHub(`Commenting on incident #${issue.number}`, () => octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body: buildRecurrenceComment(check, ctx, decision.reason) }));
    rememberAnnouncement(memory, fingerprint, ctx.now);
    result.commented.push(issue.number);
}
async function closeRecovered(octokit, owner, repo, issue, check, memory, runUrl, now) {
    // Without memory (state lost between runs) the issue's creation time is the best start we know.
    const failingSince = memory.failingSince ?? issue.createdAt;
    const body = buildRecoveryComment(check, {
        runUrl,
        now,
        failingSince,
        successes: memory.consecutiveSuccesses,
        failingRuns: memory.failingRuns,
        lastSeen: memory.lastFailureAt
    });
    await callGitHub(`Commenting recovery on incident #${issue.number}`, () => octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body }));
    await callGitHub(`Closing incident #${issue.number}`, () => octokit.rest.issues.update({ owner, repo, issue_number: issue.number, state: 'closed', state_reason: 'completed' }));
}
/** Points a duplicate at the canonical issue, then closes it as GitHub's "duplicate of". */
async function closeDuplicate(octokit, owner, repo, dup) {
    const n = dup.issue.number;
    await callGitHub(`Commenting on duplicate incident #${n}`, () => octokit.rest.issues.createComment({ owner, repo, issue_number: n, body: buildDuplicateComment(dup.key, dup.canonical.number) }));
    await callGitHub(`Closing duplicate incident #${n}`, () => octokit.rest.issues.update({ owner, repo, issue_number: n, state: 'closed', state_reason: 'duplicate', duplicate_issue_id: dup.canonical.id }));
}
/**
 * Open incident issues by key: listed by the first label (every page), matched by the body marker;
 * pull requests are skipped. When several open issues carry one key (two runs filed at once, or an
 * old incident reopened by hand), the OLDEST (lowest number) is the incident: it is the one people
 * were notified about first and may have bookmarked, and it stays the same however many duplicates
 * appear later. The others are returned as duplicates, to be pointed at it and closed, with a warning.
 */
async function listIncidentIssues(octokit, owner, repo, label, warnings) {
    const byKey = new Map();
    const MAX_PAGES = 20;
    let complete = false;
    for (let page = 1; page <= MAX_PAGES && !complete; page++) {
        const res = await callGitHub(`Listing open issues labelled '${label}'`, () => octokit.rest.issues.listForRepo({ owner, repo, state: 'open', labels: label, per_page: 100, page }));
        for (const issue of res.data) {
            if (issue.pull_request)
                continue;
            const key = readIssueMarker(issue.body);
            if (key === undefined)
                continue;
            const entry = { number: issue.number, id: issue.id, createdAt: issue.created_at, body: issue.body ?? '' };
            byKey.set(key, [...(byKey.get(key) ?? []), entry]);
        }
        complete = res.data.length < 100;
    }
    if (!complete)
        warnings.push(`More than ${MAX_PAGES * 100} open issues are labelled '${label}'; only the first ${MAX_PAGES * 100} were read.`);
    const open = new Map();
    const duplicates = [];
    for (const [key, issues] of byKey) {
        const [canonical, ...others] = issues.sort((a, b) => a.number - b.number);
        open.set(key, canonical);
        for (const issue of others) {
            duplicates.push({ key, issue, canonical });
            warnings.push(`Issues #${canonical.number} and #${issue.number} both track '${key}': #${canonical.number} (the oldest) stays the incident, #${issue.number} is closed as its duplicate.`);
        }
    }
    return { open, duplicates };
}

;// CONCATENATED MODULE: ./shared/src/run/incident-issues.ts
// The funnel's glue to incident issues: loaded only by runs that file issues, so Octokit stays out of
// every other run's start-up.


/** Opens, comments on and closes the incident issues for `report`; logs what it changed. */
async function syncIncidentIssues(action, report, ctx) {
    const token = ctx.common.githubToken;
    const repository = process.env.GITHUB_REPOSITORY;
    if (!token || !repository?.includes('/')) {
        ctx.log.info('Incident issues: skipped (no github-token or GITHUB_REPOSITORY; set issue: off to silence this).');
        return;
    }
    const [owner, repo] = repository.split('/');
    // Read at call time: @actions/github computes its default base URL once, when it is first imported.
    const octokit = await createGitHubClient({ token, warn: (m) => ctx.log.warn(`Incident issues: ${m}`) });
    const result = await syncIssues(octokit, report, ctx.state, {
        repo: { owner, repo },
        settings: ctx.config.issues,
        openOn: action.issueOn,
        runUrl: ctx.runUrl
    });
    for (const w of result.warnings)
        ctx.log.warn(`Incident issues: ${w}`);
    const parts = [
        result.opened.length ? `opened ${result.opened.map((n) => `#${n}`).join(', ')}` : '',
        result.commented.length ? `commented on ${result.commented.map((n) => `#${n}`).join(', ')}` : '',
        result.closed.length ? `closed ${result.closed.map((n) => `#${n}`).join(', ')}` : '',
        result.updated.length ? `updated ${result.updated.map((n) => `#${n}`).join(', ')}` : '',
        result.closedAsDuplicates.length ? `closed as duplicates ${result.closedAsDuplicates.map((n) => `#${n}`).join(', ')}` : '',
        result.suppressed ? `alerts suppressed: ${result.suppressed}` : ''
    ].filter(Boolean);
    ctx.log.info(`Incident issues: ${parts.length ? parts.join('; ') : 'nothing to change'}.`);
}


/***/ })

};
