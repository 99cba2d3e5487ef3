// One TLS handshake against one address, with SNI set and verification recorded rather than enforced,
// so that a single handshake yields every fact (dates, chain, name, protocol) even for a broken certificate.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { checkServerIdentity, connect, createSecureContext, type DetailedPeerCertificate, type PeerCertificate, type SecureContext } from 'node:tls';

/** What one certificate says, in the terms a report needs. */
export interface CertFacts {
  subject: string;
  issuer: string;
  /** Subject alternative names as `DNS:name` / `IP Address:addr`. */
  sans: string[];
  serial: string;
  notBefore: string;
  notAfter: string;
  /** `EC P-256`, `RSA 2048`, `ED25519`. */
  key: string;
  fingerprint256: string;
  /** Issuer and subject are the same and the certificate verifies its own signature. */
  selfIssued: boolean;
}

/** The outcome of one handshake with one address. */
export interface ProbeResult {
  /** The address connected to. */
  address: string;
  /** Milliseconds from connect to handshake done (or to failure). */
  elapsedMs: number;
  /** Set when no handshake completed: refused, reset, timed out, not TLS. */
  error?: string;
  /** `TLSv1.3`, `TLSv1.2`. */
  protocol?: string;
  cipher?: string;
  /** OpenSSL's verification code against the trust store (`CERT_HAS_EXPIRED`, ...); undefined when trusted. */
  authorizationError?: string;
  /** Host name mismatch found by `tls.checkServerIdentity`, undefined when the name matches. */
  identityError?: string;
  /**
   * The leaf, then its issuers as node reports them: what the server sent, completed from the trust
   * store when verification could complete it.
   */
  chain: CertFacts[];
}

export interface ProbeOptions {
  timeoutMs: number;
  /** Trust anchors: system roots plus any extra CA; undefined means node's default roots. */
  ca?: string[];
}

// Building a context parses every trust anchor (~150 system roots): once per trust list, not per handshake,
// which measured ~40 ms per connection on this machine kind and made 100 endpoints CPU-bound.
const contexts = new WeakMap<string[], SecureContext>();

function contextFor(ca: string[] | undefined): SecureContext | undefined {
  if (!ca) return undefined;
  let ctx = contexts.get(ca);
  if (!ctx) {
    ctx = createSecureContext({ ca });
    contexts.set(ca, ctx);
  }
  return ctx;
}

/**
 * The facts of one certificate, from the fields node already parsed during the handshake: building an
 * X509Certificate per certificate again costs about 0.25 ms each, which is most of the CPU a check
 * spends beyond the handshake itself when a hundred endpoints are checked at once.
 */
export function certFacts(cert: DetailedPeerCertificate): CertFacts {
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
function signsItself(raw: Buffer): boolean {
  try {
    const x = new X509Certificate(raw);
    return x.subject === x.issuer && x.verify(x.publicKey);
  } catch {
    return false;
  }
}

function curveName(curve: string | undefined): string {
  const names: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521' };
  return curve ? (names[curve] ?? curve) : '?';
}

/** `CN=localhost, O=A2A` from node's parsed subject or issuer (values may repeat as arrays). */
function distinguishedName(dn: Record<string, string | string[] | undefined> | undefined): string {
  return Object.entries(dn ?? {})
    .flatMap(([k, v]) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => `${k}=${x}`))
    .join(', ');
}

/** Walks node's issuer links from the leaf, stopping at a self-issued certificate or a loop. */
function walkChain(leaf: DetailedPeerCertificate): CertFacts[] {
  const out: CertFacts[] = [];
  const seen = new Set<string>();
  let cur: DetailedPeerCertificate | undefined = leaf;
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
export function probeTls(host: string, address: string, port: number, opts: ProbeOptions): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
  return new Promise((resolve) => {
    let done = false;
    const socket = connect({
      host: address,
      port,
      servername: isIP(host) === 0 ? host : undefined,
      secureContext: contextFor(opts.ca),
      rejectUnauthorized: false,
      // The name is checked below with the same function node uses, so a mismatch is reported, not fatal.
      checkServerIdentity: () => undefined
    });
    const finish = (result: Omit<ProbeResult, 'address' | 'elapsedMs'>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ address, elapsedMs: elapsed(), ...result });
    };
    const timer = setTimeout(
      () => finish({ error: `no TLS handshake within ${opts.timeoutMs} ms`, chain: [] }),
      opts.timeoutMs
    );
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate(true);
      if (!peer || !peer.raw) {
        finish({ error: 'the server sent no certificate', protocol: socket.getProtocol() ?? undefined, chain: [] });
        return;
      }
      const identity = checkServerIdentity(host, peer as PeerCertificate);
      const authError = socket.authorizationError as unknown as string | Error | null;
      finish({
        protocol: socket.getProtocol() ?? undefined,
        cipher: socket.getCipher()?.name,
        authorizationError: authError ? String(typeof authError === 'string' ? authError : ((authError as NodeJS.ErrnoException).code ?? authError.message)) : undefined,
        identityError: identity ? identity.message : undefined,
        chain: walkChain(peer)
      });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      finish({ error: describeSocketError(err, address, port), chain: [] });
    });
  });
}

function describeSocketError(err: NodeJS.ErrnoException, address: string, port: number): string {
  const where = `${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
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
