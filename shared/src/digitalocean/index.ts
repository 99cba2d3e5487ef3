// DigitalOcean API v2: a typed client for billing, inventory and load-balancer membership.
export { createDigitalOceanClient, DigitalOceanApiError, scopeForPath, type DigitalOceanClient, type DigitalOceanClientOptions } from './client.js';
export type {
  DoAccount,
  DoBalance,
  DoBillingEntry,
  DoDatabase,
  DoDatabaseBackup,
  DoDroplet,
  DoInvoice,
  DoInvoiceList,
  DoImage,
  DoLoadBalancer,
  DoRateLimit,
  DoRegistry,
  DoRegistryManifest,
  DoRegistryRepository,
  DoSize,
  DoSnapshot,
  DoVolume
} from './types.js';
