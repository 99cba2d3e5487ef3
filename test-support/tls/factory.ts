// Certificate factory for tests and the demo sandbox: CAs, intermediates and leaves with chosen dates and
// SANs, made with @peculiar/x509 over WebCrypto so it runs on any machine with Node (no openssl binary).
// tsyringe (inside @peculiar/x509) needs the Reflect metadata API before it loads.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;

const DAY_MS = 86_400_000;
const EC_KEY: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const EC_SIGN: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

/** A certificate with its key, in PEM and as parsed objects (to sign further certificates). */
export interface IssuedCert {
  /** Common name of the subject. */
  name: string;
  certPem: string;
  keyPem: string;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

/** What a leaf certificate should say. Dates default to "valid from yesterday for 90 days". */
export interface LeafOptions {
  commonName: string;
  dnsNames?: string[];
  ipAddresses?: string[];
  notBefore?: Date;
  notAfter?: Date;
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function keyToPem(keys: CryptoKeyPair): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as webcrypto.CryptoKey);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function randomSerial(): string {
  // Positive 16-byte serial: leading nibble below 8 keeps the DER integer positive.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0] & 0x7f;
  bytes[0] = bytes[0] === 0 ? 1 : bytes[0];
  return Buffer.from(bytes).toString('hex');
}

/** Returns `now + days` (negative days go back in time). */
export function daysFromNow(days: number, now = new Date()): Date {
  return new Date(now.getTime() + days * DAY_MS);
}

async function caExtensions(keys: CryptoKeyPair, issuer?: IssuedCert): Promise<x509.Extension[]> {
  const exts: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)
  ];
  if (issuer) exts.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey));
  return exts;
}

/** Creates a self-signed root CA valid for ten years around now. */
export async function createRootCa(name = 'A2A Test Root CA'): Promise<IssuedCert> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${name}`,
    notBefore: daysFromNow(-1),
    notAfter: daysFromNow(3650),
    keys,
    signingAlgorithm: EC_SIGN,
    extensions: await caExtensions(keys)
  });
  return { name, cert, keys, certPem: cert.toString('pem'), keyPem: await keyToPem(keys) };
}

/** Creates an intermediate CA signed by `issuer`. */
export async function createIntermediateCa(issuer: IssuedCert, name = 'A2A Test Intermediate CA'): Promise<IssuedCert> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${name}`,
    issuer: issuer.cert.subject,
    notBefore: daysFromNow(-1),
    notAfter: daysFromNow(1825),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: EC_SIGN,
    extensions: await caExtensions(keys, issuer)
  });
  return { name, cert, keys, certPem: cert.toString('pem'), keyPem: await keyToPem(keys) };
}

function leafExtensions(opts: LeafOptions): x509.Extension[] {
  const names: x509.JsonGeneralName[] = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value }))
  ];
  const exts: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth])
  ];
  if (names.length > 0) exts.push(new x509.SubjectAlternativeNameExtension(names));
  return exts;
}

/** Creates a server certificate signed by `issuer` with the chosen dates and SANs. */
export async function createLeaf(issuer: IssuedCert, opts: LeafOptions): Promise<IssuedCert> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${opts.commonName}`,
    issuer: issuer.cert.subject,
    notBefore: opts.notBefore ?? daysFromNow(-1),
    notAfter: opts.notAfter ?? daysFromNow(90),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: EC_SIGN,
    extensions: [...leafExtensions(opts), await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey)]
  });
  return { name: opts.commonName, cert, keys, certPem: cert.toString('pem'), keyPem: await keyToPem(keys) };
}

/** Creates a self-signed server certificate (no CA behind it). */
export async function createSelfSignedLeaf(opts: LeafOptions): Promise<IssuedCert> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${opts.commonName}`,
    notBefore: opts.notBefore ?? daysFromNow(-1),
    notAfter: opts.notAfter ?? daysFromNow(90),
    keys,
    signingAlgorithm: EC_SIGN,
    extensions: leafExtensions(opts)
  });
  return { name: opts.commonName, cert, keys, certPem: cert.toString('pem'), keyPem: await keyToPem(keys) };
}

/** What a TLS server should present: its key and the certificate chain it sends (leaf first). */
export interface ServedCert {
  keyPem: string;
  /** Leaf followed by the intermediates the server sends, PEM-concatenated. */
  chainPem: string;
  leaf: IssuedCert;
}

/** The classic cases a TLS check must tell apart, each ready to serve. */
export interface TlsScenarioSet {
  root: IssuedCert;
  intermediate: IssuedCert;
  /** Valid for 90 days, full chain, names `localhost` and 127.0.0.1. */
  valid: ServedCert;
  /** Valid, full chain, expires in 10 days. */
  expiring: ServedCert;
  /** Expired 5 days ago. */
  expired: ServedCert;
  /** Valid from 5 days in the future. */
  notYetValid: ServedCert;
  /** Valid chain, but only for `other.example.test`. */
  wrongName: ServedCert;
  /** Self-signed for `localhost`. */
  selfSigned: ServedCert;
  /** Leaf signed by the intermediate, served without it. */
  missingIntermediate: ServedCert;
}

function serve(leaf: IssuedCert, intermediates: IssuedCert[]): ServedCert {
  return { keyPem: leaf.keyPem, chainPem: [leaf.certPem, ...intermediates.map((c) => c.certPem)].join('\n'), leaf };
}

/** Builds every scenario under one root + intermediate, dated relative to `now`. */
export async function createTlsScenarios(now = new Date()): Promise<TlsScenarioSet> {
  const root = await createRootCa();
  const intermediate = await createIntermediateCa(root);
  const local = { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] };
  const [valid, expiring, expired, notYetValid, wrongName, selfSigned, missingIntermediate] = await Promise.all([
    createLeaf(intermediate, { commonName: 'localhost', ...local, notBefore: daysFromNow(-1, now), notAfter: daysFromNow(90, now) }),
    createLeaf(intermediate, { commonName: 'localhost', ...local, notBefore: daysFromNow(-80, now), notAfter: daysFromNow(10, now) }),
    createLeaf(intermediate, { commonName: 'localhost', ...local, notBefore: daysFromNow(-95, now), notAfter: daysFromNow(-5, now) }),
    createLeaf(intermediate, { commonName: 'localhost', ...local, notBefore: daysFromNow(5, now), notAfter: daysFromNow(95, now) }),
    createLeaf(intermediate, { commonName: 'other.example.test', dnsNames: ['other.example.test'], notAfter: daysFromNow(90, now) }),
    createSelfSignedLeaf({ commonName: 'localhost', ...local, notAfter: daysFromNow(90, now) }),
    createLeaf(intermediate, { commonName: 'localhost', ...local, notAfter: daysFromNow(90, now) })
  ]);
  return {
    root,
    intermediate,
    valid: serve(valid, [intermediate]),
    expiring: serve(expiring, [intermediate]),
    expired: serve(expired, [intermediate]),
    notYetValid: serve(notYetValid, [intermediate]),
    wrongName: serve(wrongName, [intermediate]),
    selfSigned: serve(selfSigned, []),
    missingIntermediate: serve(missingIntermediate, [])
  };
}
