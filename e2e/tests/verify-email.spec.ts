// The email verification link of the plain sign-up (`/verify-email?token=...`): the page posts
// the token once, takes it out of the address bar and says whether the address is confirmed.
import type { APIRequestContext } from '@playwright/test';

import { baseURL, shortTtl, shortTtlBaseURL } from '../support/env';
import { expect, test } from '../support/fixtures';
import { emailVerificationLink } from '../support/mime';
import { EN as t } from '../support/texts';
import { PASSWORD } from '../support/wizard';

interface Account {
  email: string;
  email_verified: boolean;
}

/// Creates an account with `POST /api/v1/accounts` (unverified; the server emails the link).
async function signUpThroughApi(request: APIRequestContext, base: string, email: string, fullName: string): Promise<Account> {
  const response = await request.post(`${base}/api/v1/accounts`, {
    data: { email, password: PASSWORD, full_name: fullName, language: 'en' },
  });
  expect(response.status(), await response.text()).toBe(201);
  const account = (await response.json()) as Account;
  expect(account.email_verified).toBe(false);
  return account;
}

/// Whether the account's email is verified, as `GET /api/v1/me` says after `POST /api/v1/session`.
async function emailVerified(request: APIRequestContext, base: string, email: string): Promise<boolean> {
  const session = await request.post(`${base}/api/v1/session`, { data: { login: email, password: PASSWORD } });
  expect(session.status(), await session.text()).toBe(200);
  const me = await request.get(`${base}/api/v1/me`);
  expect(me.status(), await me.text()).toBe(200);
  return ((await me.json()) as Account).email_verified;
}

test('the emailed link confirms the address once; opened again, it says it was used', async ({
  page,
  request,
  mailbox,
  newEmail,
  checkStep,
}) => {
  const email = newEmail('signup');
  await signUpThroughApi(request, baseURL, email, 'Vera Fied');
  const link = emailVerificationLink(await mailbox.waitForMail(email));
  expect(link.startsWith(`${baseURL}/verify-email?token=`), link).toBe(true);

  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/v1/accounts/verify-email')) posts.push(r.method());
  });
  const verified = page.waitForResponse((r) => r.url().endsWith('/api/v1/accounts/verify-email'));
  await page.goto(link);
  const response = await verified;
  expect(response.status(), await response.text()).toBe(200);
  expect(((await response.json()) as Account).email_verified).toBe(true);

  await expect(page.getByRole('heading', { level: 1, name: t.verifyEmailHeading })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: t.verifyEmailDoneHeading })).toBeVisible();
  await expect(page.getByText(t.verifyEmailDoneBody)).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  // The token is a credential: gone from the address bar, and posted once.
  await expect(page).toHaveURL(`${baseURL}/verify-email`);
  expect(posts).toEqual(['POST']);
  await checkStep(page, 'verify-email-1-confirmed');

  expect(await emailVerified(request, baseURL, email)).toBe(true);

  // The links lead on: Activate products goes to the wizard without a reload.
  await page.getByRole('main').getByRole('link', { name: t.productsActivateLink }).click();
  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByRole('heading', { level: 1, name: t.wizardHeading })).toBeVisible();

  // The link works once.
  const again = page.waitForResponse((r) => r.url().endsWith('/api/v1/accounts/verify-email'));
  await page.goto(link);
  expect((await again).status()).toBe(404);
  const alert = page.getByRole('alert').filter({ hasText: t.verifyEmailInvalidTitle });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(t.verifyEmailInvalidRemedy);
  await expect(page.getByRole('main').getByRole('link', { name: t.signInLink })).toBeVisible();
  await expect(page).toHaveURL(`${baseURL}/verify-email`);
  await checkStep(page, 'verify-email-2-used');
});

test('a network failure offers Retry, which posts the same token', async ({ page, request, mailbox, newEmail }) => {
  const email = newEmail('signup-offline');
  await signUpThroughApi(request, baseURL, email, 'Otto Offline');
  const link = emailVerificationLink(await mailbox.waitForMail(email));

  await page.route('**/api/v1/accounts/verify-email', (route) => route.abort('internetdisconnected'));
  await page.goto(link);
  const alert = page.getByRole('alert').filter({ hasText: t.networkTitle });
  await expect(alert).toBeVisible();
  await expect(page).toHaveURL(`${baseURL}/verify-email`);
  expect(await emailVerified(request, baseURL, email)).toBe(false);

  await page.unroute('**/api/v1/accounts/verify-email');
  const verified = page.waitForResponse((r) => r.url().endsWith('/api/v1/accounts/verify-email'));
  await alert.getByRole('button', { name: t.retry }).click();
  expect((await verified).status()).toBe(200);
  await expect(page.getByRole('heading', { level: 2, name: t.verifyEmailDoneHeading })).toBeVisible();
  expect(await emailVerified(request, baseURL, email)).toBe(true);
});

test('an expired link says how to get a new one and verifies nothing', async ({ page, request, mailbox, newEmail, checkStep }) => {
  expect(shortTtlBaseURL, 'needs the short-TTL server (CLP_E2E_SHORT_TTL_BASE_URL with an external server)').toBeTruthy();
  const base = shortTtlBaseURL!;
  const email = newEmail('signup-late');
  const signedUpAt = Date.now();
  await signUpThroughApi(request, base, email, 'Lena Late');
  const link = emailVerificationLink(await mailbox.waitForMail(email));
  expect(link.startsWith(`${base}/verify-email?token=`), link).toBe(true);

  // Wait out the link's lifetime (a few seconds on this server).
  const ttlMs = Number.parseFloat(shortTtl) * 1000;
  await expect
    .poll(() => Date.now(), { message: 'the link expires', timeout: ttlMs + 10_000 })
    .toBeGreaterThan(signedUpAt + ttlMs + 500);

  const verified = page.waitForResponse((r) => r.url().endsWith('/api/v1/accounts/verify-email'));
  await page.goto(link);
  const response = await verified;
  expect(response.status()).toBe(410);
  expect(((await response.json()) as { code: string }).code).toBe('verification_expired');
  await expect(page.getByRole('heading', { level: 1, name: t.verifyEmailHeading })).toBeVisible();
  const alert = page.getByRole('alert').filter({ hasText: t.verifyEmailExpiredTitle });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(t.verifyEmailExpiredRemedy);
  const main = page.getByRole('main');
  await expect(main.getByRole('link', { name: t.productsActivateLink })).toBeVisible();
  await expect(main.getByRole('link', { name: t.signInLink })).toBeVisible();
  await checkStep(page, 'verify-email-3-expired');

  expect(await emailVerified(request, base, email)).toBe(false);
});
