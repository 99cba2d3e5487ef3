// Secret registry: every secret and every value derived from it is masked by the runner and scrubbed
// from text we build ourselves (issue bodies, summaries, captured remote output).
import * as core from '@actions/core';

const registered = new Set<string>();
const MIN_SECRET_LENGTH = 4;

/**
 * Registers a secret with the runner (`core.setSecret`) and with our own scrubber, together with the
 * forms it may appear in: each line of a multi-line value, its URL-encoded and Base64 forms.
 * Call before anything that could print the value.
 */
export function registerSecret(value: string | undefined | null): void {
  if (!value) return;
  for (const form of secretForms(value)) {
    if (form.length < MIN_SECRET_LENGTH || registered.has(form)) continue;
    registered.add(form);
    core.setSecret(form);
  }
}

/** Registers the password (and user:password pair) found in a connection URL such as a Postgres DSN. */
export function registerUrlSecrets(url: string | undefined): void {
  if (!url) return;
  registerSecret(url);
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      registerSecret(parsed.password);
      registerSecret(decodeURIComponent(parsed.password));
    }
  } catch {
    // Not a URL: the whole value is already registered.
  }
}

/** Replaces every registered secret form in `text` with `***`. Longest first, so a substring never leaks a tail. */
export function scrubSecrets(text: string): string {
  if (registered.size === 0 || !text) return text;
  let out = text;
  for (const secret of [...registered].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('***');
  }
  return out;
}

/** For tests: forget every registered secret. */
export function clearSecretsForTest(): void {
  registered.clear();
}

function secretForms(value: string): string[] {
  const forms = new Set<string>();
  const add = (v: string): void => {
    const t = v.trim();
    if (t) forms.add(t);
  };
  add(value);
  // PEM armour lines are public boilerplate; every other line of a key is secret on its own.
  for (const line of value.split(/\r?\n/)) if (!/^-----(BEGIN|END) /.test(line.trim())) add(line);
  add(encodeURIComponent(value));
  add(Buffer.from(value, 'utf8').toString('base64'));
  add(Buffer.from(value.trim(), 'utf8').toString('base64').replace(/=+$/, ''));
  return [...forms];
}
