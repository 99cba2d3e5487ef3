// Parses `[user@]host[:port]` host specs (IPv6 in brackets) with strict validation against argument injection.
import { isHostName } from '../net/host-name.js';
import { isIP } from 'node:net';
import { ConfigurationError } from '../errors.js';
import type { HostTarget } from './types.js';

const USER_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;

/** Defaults for the parts a spec leaves out. */
export interface HostSpecDefaults {
  user: string;
  port?: number;
}

/**
 * Parses `[user@]host[:port]` (`deploy@10.0.0.5:2222`, `[2001:db8::1]:22`, `app.example.com`).
 * `name` is the host part as written. Spaces, a leading `-`, shell metacharacters, control characters
 * and non-ASCII are a ConfigurationError naming `what` (the value is not echoed).
 */
export function parseHostSpec(spec: string, defaults: HostSpecDefaults, what = "Input 'hosts'"): HostTarget {
  const text = spec.trim();
  const fail = (why: string): never => {
    throw new ConfigurationError(`${what}: a host entry ${why}. Write hosts as '[user@]host[:port]', e.g. 'deploy@10.0.0.5:22' or '[2001:db8::1]:22'.`);
  };
  if (!text) fail('is empty');
   
  if (/[\u0000-\u001f\u007f]/.test(text)) fail('contains a control character or line break');
  if (/[^\x20-\x7e]/.test(text)) fail('contains a non-ASCII character');
  if (/\s/.test(text)) fail('contains a space');
  if (text.startsWith('-')) fail("starts with '-'");
  if (/[;&|`$(){}<>\\'"*?!#~^,=%+/]/.test(text)) fail('contains a shell metacharacter');

  let rest = text;
  let user = defaults.user;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (!USER_RE.test(user)) fail('has an invalid user name (letters, digits, _ . - and starting with a letter or _)');
  }

  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) fail("has '[' without ']'");
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after) {
      if (!after.startsWith(':')) fail("has text after ']' that is not ':port'");
      portText = after.slice(1);
    }
    if (isIP(host) !== 6) fail('has brackets around something that is not an IPv6 address');
  } else {
    const colons = rest.split(':').length - 1;
    if (colons > 1) fail('looks like an IPv6 address without brackets');
    [host, portText] = colons === 1 ? (rest.split(':') as [string, string]) : [rest, undefined];
    if (!host.startsWith('-') && isIP(host) !== 4 && !isHostName(host)) fail('has an invalid host name');
  }
  if (host.startsWith('-')) fail("has a host starting with '-'");

  let port = defaults.port ?? 22;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) fail('has a port that is not a number');
    port = Number(portText);
  }
  if (port < 1 || port > 65535) fail('has a port outside 1-65535');
  if (!USER_RE.test(user)) fail('has an invalid default user name');
  return { name: host, address: host, port, user };
}
