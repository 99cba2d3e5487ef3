// Typed readers for action inputs. Every reader throws a ConfigurationError naming the input and the fix.
import * as core from '@actions/core';
import { ConfigurationError } from './errors.js';
import { registerSecret } from './secrets.js';

/** Reads a string input; `undefined` when empty and not required. */
export function readString(name: string, opts: { required?: boolean; secret?: boolean } = {}): string | undefined {
  const value = core.getInput(name, { trimWhitespace: true });
  if (opts.secret) registerSecret(value);
  if (!value) {
    if (opts.required) throw new ConfigurationError(`Input '${name}' is required: set it in the step's 'with:' block.`);
    return undefined;
  }
  return value;
}

/** Reads a secret input and registers it (and its derived forms) before anything can print it. */
export function readSecret(name: string, opts: { required?: boolean } = {}): string | undefined {
  // Multi-line keys must keep their line breaks: read untrimmed, then trim the ends only.
  const raw = core.getInput(name, { trimWhitespace: false });
  registerSecret(raw);
  const value = raw.trim();
  if (!value) {
    if (opts.required) throw new ConfigurationError(`Input '${name}' is required: pass it from a secret, e.g. '${name}: \${{ secrets.NAME }}'.`);
    return undefined;
  }
  return value;
}

/** Reads an integer input within bounds. */
export function readInt(name: string, opts: { min?: number; max?: number; fallback?: number } = {}): number | undefined {
  const raw = readString(name);
  if (raw === undefined) return opts.fallback;
  return parseIntValue(raw, `Input '${name}'`, opts);
}

/** Parses an integer with bounds; `what` names the input or config key in the error. */
export function parseIntValue(raw: string | number, what: string, opts: { min?: number; max?: number } = {}): number {
  const text = String(raw).trim();
  if (!/^-?\d+$/.test(text)) throw new ConfigurationError(`${what} must be a whole number, got '${truncate(text)}'.`);
  const n = Number(text);
  if (opts.min !== undefined && n < opts.min) throw new ConfigurationError(`${what} must be at least ${opts.min}, got ${n}.`);
  if (opts.max !== undefined && n > opts.max) throw new ConfigurationError(`${what} must be at most ${opts.max}, got ${n}.`);
  return n;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses `250ms`, `90s`, `5m`, `1h`, `2d` into milliseconds. The unit is required (only `0` may go
 * without): a bare `500` could mean 500 ms or 500 s, and keys that used to end in `-ms` invite it.
 */
export function parseDuration(raw: string | number, what: string): number {
  const text = String(raw).trim();
  if (text === '0') return 0;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(text);
  if (!m) {
    const bare = /^\d+(?:\.\d+)?$/.test(text);
    throw new ConfigurationError(
      `${what} must be a duration with its unit, such as '90s', '5m' or '500ms', got '${truncate(text)}'${bare ? ` (write '${text}ms' or '${text}s')` : ''}.`
    );
  }
  return Math.round(Number(m[1]) * DURATION_UNITS[m[2]]);
}

/** Reads a duration input (`90s`, `5m`) into milliseconds, optionally within bounds (inclusive). */
export function readDuration(name: string): number | undefined;
export function readDuration(name: string, fallbackMs: number, bounds?: { minMs: number; maxMs: number }): number;
export function readDuration(name: string, fallbackMs?: number, bounds?: { minMs: number; maxMs: number }): number | undefined {
  const raw = readString(name);
  const ms = raw === undefined ? fallbackMs : parseDuration(raw, `Input '${name}'`);
  if (ms !== undefined && bounds && (ms < bounds.minMs || ms > bounds.maxMs)) {
    throw new ConfigurationError(`Input '${name}' must be between ${formatBound(bounds.minMs)} and ${formatBound(bounds.maxMs)}, got ${formatBound(ms)}.`);
  }
  return ms;
}

function formatBound(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** Reads a newline- or comma-separated list; blank entries and `#` comments are dropped. */
export function readList(name: string): string[] {
  return splitList(core.getInput(name));
}

/** Splits a newline- or comma-separated list, dropping blanks and `#` comment lines. */
export function splitList(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Reads a boolean with the YAML 1.2 core schema (`true|True|TRUE|false|False|FALSE`); anything else fails. */
export function readBoolean(name: string, fallback = false): boolean {
  if (!core.getInput(name)) return fallback;
  try {
    return core.getBooleanInput(name);
  } catch {
    throw new ConfigurationError(
      `Input '${name}' must be 'true' or 'false' (YAML 1.2 booleans), got '${truncate(core.getInput(name))}'.`
    );
  }
}

/** Reads one of a fixed set of values. */
export function readChoice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const raw = readString(name);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ConfigurationError(`Input '${name}' must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got '${truncate(raw)}'.`);
  }
  return raw as T;
}

/** Shortens and de-controls a user value before echoing it in an error. */
export function truncate(text: string, max = 60): string {
  const safe = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}
