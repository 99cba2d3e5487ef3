// Realistic DigitalOcean account data for A2A World: three droplets, a managed Postgres, volumes,
// old snapshots, one load balancer, a balance and three months of billing. Shapes follow DO's API v2.

/** Everything the stand-in serves; tests may change it before or between calls. */
export interface DigitalOceanFixtures {
  account: Record<string, unknown>;
  balance: Record<string, unknown>;
  billingHistory: Array<Record<string, unknown>>;
  invoices: Array<Record<string, unknown>>;
  invoicePreview: Record<string, unknown>;
  droplets: Array<Record<string, unknown>>;
  databases: Array<Record<string, unknown>>;
  volumes: Array<Record<string, unknown>>;
  snapshots: Array<Record<string, unknown>>;
  loadBalancers: Array<Record<string, unknown> & { id: string; droplet_ids: number[] }>;
  /** Droplet sizes with prices (`GET /v2/sizes`); the cost report right-sizes from these. */
  sizes?: Array<Record<string, unknown>>;
  /** Images; `private: false` ones are DO's distributions, the rest the account's own. */
  images?: Array<Record<string, unknown>>;
  /** The container registry (`GET /v2/registry`); absent: the account has none (404). */
  registry?: Record<string, unknown>;
  /** `GET /v2/registry/subscription`'s `subscription`. */
  registrySubscription?: Record<string, unknown>;
  /** Repositories of the registry, each with its manifests (`.../digests`). */
  registryRepositories?: Array<{ repository: Record<string, unknown>; manifests: Array<Record<string, unknown>> }>;
  /** Backups of managed database clusters by cluster id (`GET /v2/databases/{id}/backups`); absent: none. */
  databaseBackups?: Record<string, Array<Record<string, unknown>>>;
}

const REGION = {
  name: 'Frankfurt 1',
  slug: 'fra1',
  features: ['backups', 'ipv6', 'metadata', 'install_agent', 'storage', 'image_transfer'],
  available: true,
  sizes: ['s-1vcpu-2gb', 's-2vcpu-4gb', 's-4vcpu-8gb']
};

const IMAGE = {
  id: 160_000_001,
  name: '12 x64',
  distribution: 'Debian',
  slug: 'debian-12-x64',
  public: true,
  regions: ['fra1', 'ams3'],
  created_at: '2025-06-10T12:00:00Z',
  type: 'base',
  min_disk_size: 15,
  size_gigabytes: 1.2,
  description: 'Debian 12 x64',
  tags: [],
  status: 'available'
};

function size(slug: string, vcpus: number, memory: number, disk: number, monthly: number) {
  return {
    slug,
    memory,
    vcpus,
    disk,
    transfer: vcpus >= 2 ? 4 : 2,
    price_monthly: monthly,
    price_hourly: Math.round((monthly / 730) * 100000) / 100000,
    regions: ['fra1', 'ams3', 'nyc3'],
    available: true,
    description: 'Basic'
  };
}

function droplet(id: number, name: string, sz: ReturnType<typeof size>, publicIp: string, privateIp: string, tags: string[], volumeIds: string[]) {
  return {
    id,
    name,
    memory: sz.memory,
    vcpus: sz.vcpus,
    disk: sz.disk,
    locked: false,
    status: 'active',
    created_at: '2025-09-01T09:30:00Z',
    features: ['backups', 'monitoring', 'private_networking'],
    backup_ids: [],
    next_backup_window: null,
    snapshot_ids: [],
    image: IMAGE,
    volume_ids: volumeIds,
    size: sz,
    size_slug: sz.slug,
    networks: {
      v4: [
        { ip_address: publicIp, netmask: '255.255.240.0', gateway: '164.90.160.1', type: 'public' },
        { ip_address: privateIp, netmask: '255.255.0.0', gateway: '10.114.0.1', type: 'private' }
      ],
      v6: []
    },
    region: REGION,
    tags,
    vpc_uuid: '5a4981aa-9653-4bd1-bef5-d6bff52042e4'
  };
}

/** DO's Basic sizes, a slice of `GET /v2/sizes` (prices as DO lists them). */
function basicSizes(): Array<Record<string, unknown>> {
  return [size('s-1vcpu-512mb-10gb', 1, 512, 10, 4), size('s-1vcpu-1gb', 1, 1024, 25, 6), size('s-1vcpu-2gb', 1, 2048, 50, 12), size('s-2vcpu-2gb', 2, 2048, 60, 18), size('s-2vcpu-4gb', 2, 4096, 80, 24), size('s-4vcpu-8gb', 4, 8192, 160, 48)];
}

function manifest(repository: string, digest: string, tags: string[], sizeBytes: number, updatedAt: string): Record<string, unknown> {
  return { registry_name: 'a2a-world', repository, digest, compressed_size_bytes: sizeBytes, size_bytes: sizeBytes * 2, updated_at: updatedAt, tags, blobs: [] };
}

/** The A2A World registry: two repositories, each with images no tag points to any more. */
function registryRepositories(): NonNullable<DigitalOceanFixtures['registryRepositories']> {
  const repos: Record<string, Array<Record<string, unknown>>> = {
    'a2a-api': [
      manifest('a2a-api', 'sha256:3f9c2a61b7d04e58a1c6f0e2d9b8a7c6e5f4d3c2b1a09f8e7d6c5b4a39281706', ['v2.3.1', 'latest'], 180_000_000, '2026-11-20T10:00:00Z'),
      manifest('a2a-api', 'sha256:8e21d4c7a9b35f60e1d2c3b4a5968778695a4b3c2d1e0f9e8d7c6b5a49382716', ['v2.3.0'], 179_000_000, '2026-10-02T10:00:00Z'),
      manifest('a2a-api', 'sha256:c04b7e19d2a86f35b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3', [], 175_000_000, '2026-08-14T10:00:00Z'),
      manifest('a2a-api', 'sha256:5d7a03e8c1f94b26a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80912', [], 171_000_000, '2026-07-01T10:00:00Z')
    ],
    'a2a-frontend': [
      manifest('a2a-frontend', 'sha256:a6e2f9b0c3d74185e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6', ['v1.9.0', 'latest'], 60_000_000, '2026-11-18T10:00:00Z'),
      manifest('a2a-frontend', 'sha256:1b8d5c2e7f3a4960d1e2f3a4b5c6d7e8f9011223344556677889900aabbccdde', [], 58_000_000, '2026-09-09T10:00:00Z')
    ]
  };
  return Object.entries(repos).map(([name, manifests]) => ({
    repository: { registry_name: 'a2a-world', name, latest_manifest: manifests[0], tag_count: manifests.reduce((n, m) => n + (m.tags as string[]).length, 0), manifest_count: manifests.length },
    manifests
  }));
}

/** A fresh copy of the A2A World account, as of `now`. */
export function a2aWorldFixtures(now = new Date()): DigitalOceanFixtures {
  const month = (offset: number): string => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  };
  const app = size('s-2vcpu-4gb', 2, 4096, 80, 24);
  const mon = size('s-1vcpu-2gb', 1, 2048, 50, 12);
  const volumeBackups = '506f78a4-e098-11e5-ad9f-000f53306ae1';
  const volumeOld = '7724db7c-e098-11e5-b522-000f53304e51';
  const history: Array<Record<string, unknown>> = [];
  const invoices: Array<Record<string, unknown>> = [];
  const amounts = ['96.40', '101.75', '104.20'];
  for (let i = 3; i >= 1; i--) {
    const period = month(-i);
    const uuid = `fdabb512-6faf-443c-ba2e-665452332a${String(i).padStart(2, '0')}`;
    const amount = amounts[3 - i];
    const invoiceDay = `${month(-i + 1)}-01T00:00:00Z`;
    history.push({ description: `Invoice for ${period}`, amount, invoice_id: `3${i}5711`, invoice_uuid: uuid, date: invoiceDay, type: 'Invoice' });
    history.push({ description: 'Payment (MC 2665)', amount: `-${amount}`, date: invoiceDay.replace('T00', 'T06'), type: 'Payment' });
    invoices.push({ invoice_uuid: uuid, invoice_id: `3${i}5711`, amount, invoice_period: period, updated_at: invoiceDay });
  }
  return {
    account: {
      droplet_limit: 25,
      floating_ip_limit: 3,
      email: 'ops@a2aworld.ai',
      name: 'A2A World Ops',
      uuid: 'b6fr89dbf6d9156cace5f3c78dc9851d957381ef',
      email_verified: true,
      status: 'active',
      status_message: '',
      team: { uuid: '5df3e3004a17e242b7c20ca6c9fc25b701a47ece', name: 'A2A World' }
    },
    balance: { month_to_date_balance: '61.30', account_balance: '0.00', month_to_date_usage: '61.30', generated_at: now.toISOString().replace(/\.\d+Z$/, 'Z') },
    billingHistory: history.reverse(),
    invoices: invoices.reverse(),
    invoicePreview: { invoice_uuid: '1afe95e6-0958-4eb0-8d9a-9c5060d3ef03', invoice_id: '', amount: '61.30', invoice_period: month(0), updated_at: now.toISOString().replace(/\.\d+Z$/, 'Z') },
    droplets: [
      droplet(3164444, 'app-1', app, '164.90.161.11', '10.114.0.2', ['a2a-world', 'app'], [volumeBackups]),
      droplet(3164445, 'app-2', app, '164.90.161.12', '10.114.0.3', ['a2a-world', 'app'], []),
      droplet(3164446, 'monitoring', mon, '164.90.161.13', '10.114.0.4', ['a2a-world', 'monitoring'], [])
    ],
    databases: [
      {
        id: '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30',
        name: 'a2a-db',
        engine: 'pg',
        version: '15',
        num_nodes: 1,
        size: 'db-s-1vcpu-2gb',
        region: 'fra1',
        status: 'online',
        created_at: '2025-09-01T09:40:00Z',
        private_network_uuid: '5a4981aa-9653-4bd1-bef5-d6bff52042e4',
        tags: ['a2a-world'],
        db_names: ['a2a'],
        connection: {
          uri: 'postgresql://doadmin:standin-not-a-secret@a2a-db-do-user-1.db.ondigitalocean.com:25060/defaultdb?sslmode=require',
          database: 'defaultdb',
          host: 'a2a-db-do-user-1.db.ondigitalocean.com',
          port: 25060,
          user: 'doadmin',
          password: 'standin-not-a-secret',
          ssl: true
        },
        maintenance_window: { day: 'tuesday', hour: '02:00:00', pending: false, description: [] },
        storage_size_mib: 30720
      }
    ],
    volumes: [
      {
        id: volumeBackups,
        region: REGION,
        droplet_ids: [3164444],
        name: 'a2a-backups',
        description: 'pg_dump archives',
        size_gigabytes: 100,
        created_at: '2025-09-02T10:00:00Z',
        filesystem_type: 'ext4',
        filesystem_label: 'backups',
        tags: ['a2a-world']
      },
      {
        id: volumeOld,
        region: REGION,
        droplet_ids: [],
        name: 'old-data',
        description: 'left over from the 2025 migration',
        size_gigabytes: 50,
        created_at: '2025-03-15T08:00:00Z',
        filesystem_type: 'ext4',
        filesystem_label: 'olddata',
        tags: []
      }
    ],
    snapshots: [
      { id: '6372321', name: 'app-1 before-upgrade 2025-04', created_at: '2025-04-01T12:00:00Z', regions: ['fra1'], min_disk_size: 80, size_gigabytes: 14.2, resource_id: '3164444', resource_type: 'droplet', tags: [] },
      { id: '6372322', name: 'app-2 before-upgrade 2025-04', created_at: '2025-04-01T12:05:00Z', regions: ['fra1'], min_disk_size: 80, size_gigabytes: 13.9, resource_id: '3164445', resource_type: 'droplet', tags: [] },
      { id: '6372323', name: 'monitoring 2025-06', created_at: '2025-06-20T08:00:00Z', regions: ['fra1'], min_disk_size: 50, size_gigabytes: 6.1, resource_id: '3164446', resource_type: 'droplet', tags: [] },
      { id: 'fbe805e8-866b-11e6-96bf-000f53315a41', name: 'old-data final', created_at: '2025-05-10T09:00:00Z', regions: ['fra1'], min_disk_size: 50, size_gigabytes: 21.5, resource_id: volumeOld, resource_type: 'volume', tags: [] }
    ],
    sizes: basicSizes(),
    images: [
      IMAGE,
      { ...IMAGE, id: 170_000_101, name: 'a2a-base 2025-05', distribution: 'Debian', slug: null, public: false, type: 'custom', created_at: '2025-05-02T09:00:00Z', size_gigabytes: 3.4, min_disk_size: 25, description: 'hand-built base image', tags: [] },
      { ...IMAGE, id: 170_000_102, name: 'app-1 before-upgrade 2025-04', slug: null, public: false, type: 'snapshot', created_at: '2025-04-01T12:00:00Z', size_gigabytes: 14.2, min_disk_size: 80, description: '', tags: [] }
    ],
    registry: { name: 'a2a-world', created_at: '2025-09-01T09:00:00Z', region: 'fra1', storage_usage_bytes: 6_500_000_000, storage_usage_bytes_updated_at: now.toISOString().replace(/\.\d+Z$/, 'Z') },
    registrySubscription: {
      tier: {
        name: 'Basic',
        slug: 'basic',
        included_repositories: 5,
        included_storage_bytes: 5_368_709_120,
        allow_storage_overage: true,
        included_bandwidth_bytes: 5_368_709_120,
        monthly_price_in_cents: 500,
        storage_overage_price_in_cents: 2
      },
      created_at: '2025-09-01T09:00:00Z',
      updated_at: '2025-09-01T09:00:00Z'
    },
    registryRepositories: registryRepositories(),
    loadBalancers: [
      {
        id: '4de7ac8b-495b-4884-9a69-1050c6793cd6',
        name: 'a2a-lb',
        ip: '164.90.160.20',
        size_unit: 1,
        size: 'lb-small',
        algorithm: 'round_robin',
        status: 'active',
        created_at: '2025-09-01T10:00:00Z',
        forwarding_rules: [
          { entry_protocol: 'https', entry_port: 443, target_protocol: 'http', target_port: 80, certificate_id: '892071a0-bb95-49bc-8021-3afd67a210bf', tls_passthrough: false },
          { entry_protocol: 'http', entry_port: 80, target_protocol: 'http', target_port: 80, certificate_id: '', tls_passthrough: false }
        ],
        health_check: { protocol: 'http', port: 80, path: '/health', check_interval_seconds: 10, response_timeout_seconds: 5, healthy_threshold: 3, unhealthy_threshold: 3 },
        sticky_sessions: { type: 'none' },
        region: REGION,
        tag: '',
        droplet_ids: [3164444, 3164445],
        redirect_http_to_https: true,
        enable_proxy_protocol: false,
        enable_backend_keepalive: true,
        http_idle_timeout_seconds: 60,
        vpc_uuid: '5a4981aa-9653-4bd1-bef5-d6bff52042e4',
        disable_lets_encrypt_dns_records: false,
        network: 'EXTERNAL',
        type: 'REGIONAL'
      }
    ]
  };
}
