// The one host-name check: SSH host specs, TLS endpoints and anything else that names a host use it.

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** True for a DNS host name made of letters, digits and hyphens (an optional trailing dot allowed). */
export function isHostName(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) return false;
  // An all-numeric dotted name would be an IPv4 literal gone wrong ("1.2.3.999"): refuse it.
  if (/^[\d.]+$/.test(name)) return false;
  return name.split('.').every((label) => LABEL.test(label));
}
