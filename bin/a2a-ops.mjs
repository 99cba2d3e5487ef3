#!/usr/bin/env node
// The local runner: runs an action's committed bundle exactly as a GitHub runner would (INPUT_* env,
// GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), from a terminal. Same code path as on a runner, no fork.
//   npx a2a-ops health --input urls=https://a2aworld.ai --input fail-on=warn
//   npx a2a-ops ssl --config .github/ops.yml --summary report.md
import { existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const actions = readdirSync(root).filter((d) => d.startsWith('action-')).map((d) => d.slice('action-'.length)).sort();

function usage(code) {
  const text = `usage: a2a-ops <action> [--config FILE] [--input name=value ...] [--summary FILE]
actions: ${actions.join(', ')}
Inputs come from --input flags, then INPUT_<NAME> variables already in the environment, then the
defaults in action-<action>/action.yml. github-token defaults to $GITHUB_TOKEN.
The Markdown job summary is written to --summary (default .a2a-ops/summary-<action>.md).`;
  (code ? console.error : console.log)(text);
  process.exit(code);
}

/** Parses argv into { action, inputs, summary }. Exported shape kept tiny on purpose. */
function parseArgs(argv) {
  const [action, ...rest] = argv;
  if (!action || action === '--help' || action === '-h') usage(action ? 0 : 2);
  if (!actions.includes(action)) {
    console.error(`a2a-ops: unknown action '${action}' (have: ${actions.join(', ')})`);
    process.exit(2);
  }
  const inputs = {};
  let summary;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = rest[i + 1];
    if (value === undefined) usage(2);
    i++;
    if (flag === '--config') inputs.config = value;
    else if (flag === '--summary') summary = value;
    else if (flag === '--input') {
      const eq = value.indexOf('=');
      if (eq < 1) {
        console.error(`a2a-ops: --input takes name=value, got '${value}'`);
        process.exit(2);
      }
      inputs[value.slice(0, eq)] = value.slice(eq + 1);
    } else usage(2);
  }
  return { action, inputs, summary };
}

/**
 * A terminal is not a runner: drop `::add-mask::` (values are masked by the action's own scrubber
 * anyway), show groups as headings and annotations as words. Text between `::stop-commands::TOKEN` and
 * `::TOKEN::` is remote output and is printed exactly as it came.
 */
function translateWorkflowCommands() {
  const write = process.stdout.write.bind(process.stdout);
  let stopToken;
  let pending = '';
  const translate = (line) => {
    if (stopToken) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      else return line;
      return undefined;
    }
    const m = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (!m) return line;
    const [, cmd, text] = m;
    if (cmd === 'stop-commands') stopToken = text;
    else if (cmd === 'group') return `▸ ${text}`;
    else if (cmd === 'error' || cmd === 'warning' || cmd === 'notice') return `${cmd}: ${text}`;
    else if (cmd === 'debug' && process.env.RUNNER_DEBUG === '1') return `debug: ${text}`;
    return undefined;
  };
  process.stdout.write = (chunk, ...rest) => {
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    const out = lines.map(translate).filter((l) => l !== undefined);
    return out.length ? write(out.map((l) => `${l}\n`).join(''), ...rest) : true;
  };
  process.on('exit', () => pending && write(`${translate(pending) ?? ''}\n`));
}

const envName = (input) => `INPUT_${input.replace(/ /g, '_').toUpperCase()}`;

const { action, inputs, summary } = parseArgs(process.argv.slice(2));
const dir = join(root, `action-${action}`);
const bundle = join(dir, 'dist', 'index.js');
if (!existsSync(bundle)) {
  console.error(`a2a-ops: ${bundle} is missing: run 'npm run build' first`);
  process.exit(2);
}
const meta = parseYaml(readFileSync(join(dir, 'action.yml'), 'utf8'));
for (const name of Object.keys(inputs)) {
  if (!(name in (meta.inputs ?? {}))) {
    console.error(`a2a-ops: action '${action}' has no input '${name}' (see action-${action}/action.yml)`);
    process.exit(2);
  }
}

// What the runner does before starting the action: every declared input gets a value.
for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
  const key = envName(name);
  if (name in inputs) process.env[key] = inputs[name];
  else if (process.env[key] === undefined) {
    const def = String(spec?.default ?? '');
    process.env[key] = def.replace(/\$\{\{\s*github\.token\s*\}\}/g, process.env.GITHUB_TOKEN ?? '');
  }
}

const work = resolve('.a2a-ops');
mkdirSync(work, { recursive: true });
const summaryFile = resolve(summary ?? join(work, `summary-${action}.md`));
const outputFile = join(work, `outputs-${action}.txt`);
// Step state (what a post step would be handed, e.g. a deploy lock to release) goes to a file, as on a runner.
const stateFile = join(work, `state-${action}.txt`);
writeFileSync(summaryFile, '');
writeFileSync(outputFile, '');
writeFileSync(stateFile, '');
process.env.GITHUB_STEP_SUMMARY = summaryFile;
process.env.GITHUB_OUTPUT = outputFile;
process.env.GITHUB_STATE = stateFile;
process.env.GITHUB_EVENT_NAME ??= 'local';
process.env.A2A_OPS_STATE_DIR ??= join(work, 'state');

translateWorkflowCommands();
await import(pathToFileURL(bundle).href);

process.on('exit', (code) => {
  console.log(`\nJob summary (Markdown): ${summaryFile}`);
  console.log(`Outputs: ${outputFile}`);
  console.log(`Result: ${code === 0 ? 'passed' : 'failed'}`);
});
