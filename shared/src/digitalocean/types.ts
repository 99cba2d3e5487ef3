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
}

/** A managed database cluster. Connection details (and their passwords) are deliberately left out. */
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
  region?: string;
  dropletIds: number[];
  /** When set, membership follows a Droplet tag and individual Droplets cannot be added. */
  tag?: string;
}
