// The inputs and outputs of action-cost, named once, and the reader that parses them all before the
// DigitalOcean API is called: a bad value is a ConfigurationError naming the input and the fix.
import { ConfigurationError, readInt, readSecret, readString, registerSecret, truncate, type InputContext } from '../../shared/src/index.js';

/** Action name and title, named once (state key, issue keys, report headline). */
export const COST_ACTION = { name: 'cost', title: 'DigitalOcean cost report' } as const;

/** action-cost's own inputs (the common ones are in shared/src/contract.ts). */
export const COST_INPUTS = {
  doToken: 'do-token',
  apiUrl: 'api-url',
  budgetUsd: 'budget-usd',
  alertPercent: 'alert-percent',
  snapshotAgeDays: 'snapshot-age-days',
  rightSizePercent: 'right-size-percent',
  rightSizeDays: 'right-size-days'
} as const;

/** action-cost's own outputs (beside `status` and `report`). */
export const COST_OUTPUTS = {
  monthToDateUsd: 'month-to-date-usd',
  projectedUsd: 'projected-usd'
} as const;

export const DEFAULT_API_URL = 'https://api.digitalocean.com';

/** Every input of action-cost, parsed. Money in integer cents. */
export interface CostInputs {
  token: string;
  apiUrl: string;
  /** Month-end budget; undefined: no budget check. */
  budgetCents?: number;
  /** Alert when the projected month beats last month by more than this (percent); undefined: no alert. */
  alertPercent?: number;
  snapshotAgeDays: number;
  /** A droplet whose CPU and memory p95 both stay under this (percent) is a right-sizing candidate. */
  rightSizePercent: number;
  /** Days of health history a right-sizing verdict needs at least. */
  rightSizeDays: number;
}

/** Parses and validates every input; throws ConfigurationError naming the input. */
export function readCostInputs(_ctx: InputContext): CostInputs {
  const I = COST_INPUTS;
  const token = readSecret(I.doToken);
  if (!token) {
    throw new ConfigurationError(
      `Input '${I.doToken}' is required: a DigitalOcean token with read scopes (account, billing, droplet, database, block_storage, snapshot, load_balancer, sizes, image, registry), e.g. \`\${{ secrets.DIGITALOCEAN_TOKEN }}\`.`
    );
  }
  registerSecret(token);
  const apiUrl = readString(I.apiUrl) ?? DEFAULT_API_URL;
  assertApiUrl(apiUrl);
  return {
    token,
    apiUrl,
    budgetCents: readMoney(I.budgetUsd),
    alertPercent: readPercent(I.alertPercent, 20),
    snapshotAgeDays: readInt(I.snapshotAgeDays, { min: 1, max: 3650, fallback: 90 }) as number,
    rightSizePercent: readPercent(I.rightSizePercent, 25) as number,
    rightSizeDays: readInt(I.rightSizeDays, { min: 1, max: 31, fallback: 7 }) as number
  };
}

/** `120`, `120.5`, `$120.50` → cents; empty → undefined. */
export function parseUsd(raw: string, what: string): number {
  const m = /^\$?\s*(\d{1,9})(?:\.(\d{1,2}))?$/.exec(raw.trim());
  if (!m) throw new ConfigurationError(`${what} must be an amount in US dollars such as '150' or '150.50', got '${truncate(raw)}'.`);
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

function readMoney(name: string): number | undefined {
  const raw = readString(name);
  if (raw === undefined) return undefined;
  const cents = parseUsd(raw, `Input '${name}'`);
  if (cents === 0) throw new ConfigurationError(`Input '${name}' is 0: give the month's budget in dollars, or leave it empty for no budget check.`);
  return cents;
}

function readPercent(name: string, fallback: number): number | undefined {
  const raw = readString(name);
  if (raw === undefined) return fallback;
  if (raw === 'off') return undefined;
  const v = Number(raw.replace(/%$/, ''));
  if (!/^\d+(\.\d+)?%?$/.test(raw) || !(v > 0) || v > 1000) {
    throw new ConfigurationError(`Input '${name}' must be a percentage above 0 such as '20' (or 'off'), got '${truncate(raw)}'.`);
  }
  return v;
}

function assertApiUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`Input '${COST_INPUTS.apiUrl}' is not a URL: '${truncate(value)}'. Leave it empty for ${DEFAULT_API_URL}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(`Input '${COST_INPUTS.apiUrl}' must be an http(s) URL such as ${DEFAULT_API_URL}, got '${url.protocol}'.`);
  }
  if (url.username || url.password) throw new ConfigurationError(`Input '${COST_INPUTS.apiUrl}' must not carry credentials: the token goes in '${COST_INPUTS.doToken}'.`);
}
