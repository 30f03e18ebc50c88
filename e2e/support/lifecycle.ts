// Accounts with history for the honest-wizard and My products tests, built through the REST API
// as a customer would: a verified account (an activation completed through its emailed link),
// legacy registrations that give it activation codes, and a look at the viewport sizes.
import { type APIRequestContext, type Page, expect } from '@playwright/test';

import { type PartnerApi, requestActivation, verifyActivation } from './api';
import { baseURL } from './env';
import type { Mailbox, StepCheck } from './fixtures';
import { PASSWORD } from './wizard';

/// An account whose email is verified: it completed an XDR activation through its link.
export async function verifiedAccount(
  request: APIRequestContext,
  partner: PartnerApi,
  mailbox: Mailbox,
  email: string,
  fullName = 'Olive Owner',
): Promise<void> {
  const order = await partner.createOrder({ lines: [{ sku: 'XDR-CAS', seats: 10 }] });
  await requestActivation(request, baseURL, order.key(), { email, password: PASSWORD, full_name: fullName }, 'us');
  await verifyActivation(request, baseURL, await mailbox.waitForVerificationLink(email));
}

/// Signs `request` in as `email` (the context keeps the session cookie).
export async function signInApi(request: APIRequestContext, email: string): Promise<void> {
  const session = await request.post(`${baseURL}/api/v1/session`, { data: { login: email, password: PASSWORD } });
  expect(session.status(), await session.text()).toBe(200);
}

/// Registers a legacy key to the signed-in account of `request`; returns its first activation code.
export async function registerKey(request: APIRequestContext, key: string): Promise<string> {
  const response = await request.post(`${baseURL}/api/v1/registrations`, { data: { key } });
  expect(response.status(), await response.text()).toBe(201);
  const body = (await response.json()) as { line: { activation_codes: string[] } };
  return body.line.activation_codes[0];
}

/// An account made with the simplified sign-up (`POST /api/v1/accounts`), signed in on `request`.
export async function plainAccount(request: APIRequestContext, email: string, fullName: string): Promise<void> {
  const created = await request.post(`${baseURL}/api/v1/accounts`, {
    data: { email, password: PASSWORD, full_name: fullName, language: 'en' },
  });
  expect(created.status(), await created.text()).toBe(201);
  await signInApi(request, email);
}

/// An email as the server masks it in hints: `j***@acme.example`.
export function masked(email: string): string {
  const [local, domain] = email.split('@');
  return `${local[0]}***@${domain}`;
}

/// axe and a kept screenshot at 360 px and at 1280 px wide (back at 1280 afterwards).
export async function checkWidths(page: Page, checkStep: StepCheck, name: string): Promise<void> {
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await checkStep(page, `${name}-${width}px`);
  }
}

/// Switches the app's language with the header's selector.
export async function switchLanguage(page: Page, lang: 'en' | 'ja'): Promise<void> {
  await page.locator('#lang-select').selectOption(lang);
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
}
