// Test data through the REST API: partner orders (OAuth2 client credentials) and, for the
// tests that need an account with history, customer activations.
import { type APIRequestContext, expect } from '@playwright/test';

import { partnerClientId, partnerClientSecret } from './env';

export interface OrderLineSpec {
  sku: string;
  seats?: number;
  term_start?: string;
  term_end?: string;
  components?: { sku: string; retained_ac?: string }[];
  renews_ac?: string;
}

export interface OrderSpec {
  type?: 'new' | 'renewal';
  lines: OrderLineSpec[];
  company?: string;
  contactName?: string;
  contactEmail?: string;
  country?: string;
  purchaseDate?: string;
}

export interface CreatedLine {
  line_id: number;
  sku: string;
  product_name: string;
  seats: number;
  term_start: string;
  term_end: string;
  registration_key: string;
  status: string;
}

export interface CreatedOrder {
  order_number: string;
  type: string;
  flow: 'account_based' | 'legacy';
  end_customer: { company: string; contact_name: string; contact_email: string; country: string };
  lines: CreatedLine[];
}

/// A short id unique enough for one test run (order numbers, emails, company names).
export function uid(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

/// Today (UTC) plus `days`, as `YYYY-MM-DD`.
export function isoDate(days = 0, from = new Date()): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + days));
  return d.toISOString().slice(0, 10);
}

/// The partner side: a bearer token and order creation.
export class PartnerApi {
  private constructor(
    private readonly request: APIRequestContext,
    private readonly baseURL: string,
    private readonly token: string,
  ) {}

  /// Gets a token with the client credentials of the bootstrap partner.
  static async connect(request: APIRequestContext, baseURL: string): Promise<PartnerApi> {
    const response = await request.post(`${baseURL}/api/v1/oauth/token`, {
      form: { grant_type: 'client_credentials', client_id: partnerClientId, client_secret: partnerClientSecret },
    });
    expect(response.status(), await response.text()).toBe(200);
    const body = (await response.json()) as { access_token: string; token_type: string };
    expect(body.token_type).toBe('Bearer');
    return new PartnerApi(request, baseURL, body.access_token);
  }

  /// Creates an order (a license certificate) with fresh, unique identifiers.
  async createOrder(spec: OrderSpec): Promise<Order> {
    const id = uid();
    const start = isoDate();
    const end = isoDate(364);
    const body = {
      order_number: `E2E-${id}`.toUpperCase(),
      type: spec.type ?? 'new',
      purchase_date: spec.purchaseDate ?? start,
      end_customer: {
        company: spec.company ?? `Acme ${id} Inc.`,
        contact_name: spec.contactName ?? 'Jane Doe',
        contact_email: spec.contactEmail ?? `jane.doe@acme-${id}.example`,
        country: spec.country ?? 'US',
      },
      lines: spec.lines.map((line) => ({
        seats: 25,
        term_start: start,
        term_end: end,
        ...line,
      })),
    };
    const response = await this.request.post(`${this.baseURL}/api/v1/partner/orders`, {
      headers: { authorization: `Bearer ${this.token}`, 'idempotency-key': `e2e-${id}` },
      data: body,
    });
    expect(response.status(), await response.text()).toBe(201);
    return new Order((await response.json()) as CreatedOrder);
  }

  /// The order with each line's status.
  async order(orderNumber: string): Promise<CreatedOrder> {
    const response = await this.request.get(`${this.baseURL}/api/v1/partner/orders/${encodeURIComponent(orderNumber)}`, {
      headers: { authorization: `Bearer ${this.token}` },
    });
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()) as CreatedOrder;
  }
}

/// A created order with helpers to find its keys.
export class Order {
  constructor(readonly data: CreatedOrder) {}

  get number(): string {
    return this.data.order_number;
  }

  line(sku: string): CreatedLine {
    const line = this.data.lines.find((l) => l.sku === sku);
    if (!line) throw new Error(`order ${this.number} has no ${sku} line`);
    return line;
  }

  /// The registration key of the line of `sku` (the first line by default).
  key(sku?: string): string {
    return (sku ? this.line(sku) : this.data.lines[0]).registration_key;
  }
}

/// A key as a customer might type it from paper: lower case, spaces instead of hyphens.
export function sloppy(key: string): string {
  return key.toLowerCase().replace(/-/g, ' ');
}

/// The key with its check digit changed: well formed, but "looks mistyped".
export function mistyped(key: string): string {
  const last = Number(key.at(-1));
  return `${key.slice(0, -1)}${(last + 1) % 10}`;
}

export interface NewAccount {
  email: string;
  password: string;
  full_name: string;
  company?: string;
  country?: string;
  language?: string;
}

/// Starts an account-based activation with a new account (`POST /api/v1/activations`).
export async function requestActivation(
  request: APIRequestContext,
  baseURL: string,
  key: string,
  account: NewAccount,
  region?: string,
): Promise<{ activation_id: string; expires_at: string }> {
  const response = await request.post(`${baseURL}/api/v1/activations`, { data: { key, region, account } });
  expect(response.status(), await response.text()).toBe(202);
  return response.json();
}

/// Completes an activation with the emailed token (`POST /api/v1/activations/verify`).
export async function verifyActivation(request: APIRequestContext, baseURL: string, link: string): Promise<unknown> {
  const token = new URL(link).searchParams.get('token');
  const response = await request.post(`${baseURL}/api/v1/activations/verify`, { data: { token } });
  expect(response.status(), await response.text()).toBe(200);
  return response.json();
}
