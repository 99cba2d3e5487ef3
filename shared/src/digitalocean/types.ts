// Typed results of the DigitalOcean API client: only the fields the actions use, money as numbers.

export interface DoAccount {
  email: string;
  uuid: string;
  status: string;
  statusMessage: string;
  dropletLimit: number;
  teamName?: string;
}

/** Money is in US dollars. `monthToDateBalance` = `accountBalance` + `monthToDateUsage`. */
export interface DoBalance {
  monthToDateBalance: number;
  accountBalance: number;
  monthToDateUsage: number;
  generatedAt: string;
}

export interface DoBillingEntry {
  description: string;
  /** Positive for charges (invoices), negative for payments and credits. */
  amount: number;
  date: string;
  type: string;
  invoiceId?: string;
  invoiceUuid?: string;
}

export interface DoInvoice {
  invoiceUuid: string;
  invoiceId?: string;
  amount: number;
  /** `YYYY-MM`. */
  period: string;
  updatedAt?: string;
}

export interface DoInvoiceList {
  invoices: DoInvoice[];
  /** The running invoice of the current month, when DO sends one. */
  preview?: DoInvoice;
}

export interface DoDroplet {
  id: number;
  name: string;
  status: string;
  sizeSlug: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  priceMonthly: number;
  priceHourly: number;
  region: string;
  tags: string[];
  createdAt: string;
  publicIpv4?: string;
  privateIpv4?: string;
  volumeIds: string[];
  /** Weekly backups are on (DO bills them at 20 % of the Droplet's price). */
  backupsEnabled?: boolean;
}

/** A managed database cluster. Connection details (and their passwords) are deliberately left out. */
/** One backup of a managed database cluster. */
export interface DoDatabaseBackup {
  createdAt: string;
  sizeGigabytes: number;
}

export interface DoDatabase {
  id: string;
  name: string;
  engine: string;
  version?: string;
  sizeSlug: string;
  numNodes: number;
  region: string;
  status?: string;
  storageSizeMib?: number;
  tags: string[];
}

export interface DoVolume {
  id: string;
  name: string;
  sizeGigabytes: number;
  region?: string;
  dropletIds: number[];
  createdAt?: string;
}

export interface DoSnapshot {
  id: string;
  name: string;
  createdAt: string;
  sizeGigabytes: number;
  minDiskSize: number;
  resourceId: string;
  resourceType: string;
  regions: string[];
}

export interface DoLoadBalancer {
  id: string;
  name: string;
  status?: string;
  ip?: string;
  size?: string;
  /** Nodes of a regional load balancer (what DO bills), when it says. */
  sizeUnit?: number;
  region?: string;
  dropletIds: number[];
  /** When set, membership follows a Droplet tag and individual Droplets cannot be added. */
  tag?: string;
}

/** A Droplet size with its list price (DO prices sizes in dollars). */
export interface DoSize {
  slug: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  priceMonthly: number;
  priceHourly: number;
  regions: string[];
  available: boolean;
  description: string;
}

/** An image: the account's own when listed with `private=true` (snapshot, backup or custom). */
export interface DoImage {
  id: number;
  name: string;
  type: string;
  createdAt: string;
  sizeGigabytes: number;
  regions: string[];
  status?: string;
}

/** The container registry and its subscription tier (DO prices the tier in cents). */
export interface DoRegistry {
  name: string;
  region?: string;
  storageUsageBytes: number;
  tier: {
    slug: string;
    name: string;
    monthlyPriceCents: number;
    includedStorageBytes: number;
    storageOveragePriceCents: number;
    allowStorageOverage: boolean;
  };
}

export interface DoRegistryRepository {
  name: string;
  tagCount: number;
  manifestCount: number;
}

/** One manifest (image) in a repository; no tags means nothing points to it any more. */
export interface DoRegistryManifest {
  digest: string;
  tags: string[];
  compressedSizeBytes: number;
  sizeBytes: number;
  updatedAt: string;
}

/** DO's `ratelimit-limit`, `ratelimit-remaining` and `ratelimit-reset` as last seen. */
export interface DoRateLimit {
  limit?: number;
  remaining?: number;
  /** ISO time the window resets. */
  resetAt?: string;
  /** Time spent waiting on 429s and on an exhausted limit, in ms. */
  waitedMs: number;
}
