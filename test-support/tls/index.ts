// Barrel of the test TLS kit: certificate factory and loopback servers.
export * from './factory.js';
export * from './servers.js';
