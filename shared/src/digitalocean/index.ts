// DigitalOcean API v2: a typed client for billing, inventory and load-balancer membership.
export { createDigitalOceanClient, DigitalOceanApiError, type DigitalOceanClient, type DigitalOceanClientOptions } from './client.js';
export type {
  DoAccount,
  DoBalance,
  DoBillingEntry,
  DoDatabase,
  DoDroplet,
  DoInvoice,
  DoInvoiceList,
  DoLoadBalancer,
  DoSnapshot,
  DoVolume
} from './types.js';
