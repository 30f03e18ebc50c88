// The wizard's steps as a customer sees them, found by role and accessible name.
import { type Locator, type Page, expect } from '@playwright/test';

import type { Texts } from './texts';

export const PASSWORD = 'correct horse battery staple 42';

/// The step's heading is shown and the step indicator marks it as the current step.
export async function expectStep(page: Page, t: Texts, heading: string, step: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 2, name: heading })).toBeVisible();
  await expectCurrentStep(page, t, step);
}

/// The step indicator marks `step` as the current step.
export async function expectCurrentStep(page: Page, t: Texts, step: string): Promise<void> {
  // Exact: "完了" (Done) is also in the "（完了）" (completed) mark of the earlier steps.
  const current = page
    .getByRole('navigation', { name: t.stepsLabel })
    .getByRole('listitem')
    .filter({ has: page.getByText(step, { exact: true }) });
  await expect(current).toHaveAttribute('aria-current', 'step');
}

export function keyField(page: Page, t: Texts): Locator {
  return page.getByRole('textbox', { name: t.keyLabel });
}

/// Types `key` (as typed, not pasted) and asks for the order.
export async function enterKey(page: Page, t: Texts, key: string): Promise<void> {
  await expectStep(page, t, t.enterKeyHeading, t.steps.enterKey);
  await keyField(page, t).pressSequentially(key);
  await page.getByRole('button', { name: t.keySubmit }).click();
}

/// One previewed or registered line: a list item whose heading names the product.
export function lineCard(scope: Page | Locator, productName: string): Locator {
  // The inner locator of `has` is relative to each list item: start it from the page.
  const page = 'page' in scope && typeof scope.page === 'function' ? (scope as Locator).page() : (scope as Page);
  return scope.getByRole('listitem').filter({ has: page.getByRole('heading', { name: productName }) });
}

export function signUpForm(page: Page, t: Texts): Locator {
  return page.getByRole('form', { name: t.signUpHeading });
}

/// Fills the simplified sign-up form and submits it.
export async function signUp(page: Page, t: Texts, account: { email: string; fullName: string; password?: string }): Promise<void> {
  const form = signUpForm(page, t);
  await form.getByRole('textbox', { name: t.emailLabel }).fill(account.email);
  await form.getByLabel(t.passwordLabel).fill(account.password ?? PASSWORD);
  await form.getByRole('textbox', { name: t.fullNameLabel }).fill(account.fullName);
  await form.getByRole('button', { name: t.signUpButton }).click();
}

export interface LegacyAccount {
  loginId: string;
  email: string;
  contactName: string;
  company: string;
  address: string;
  city: string;
  state: string;
  postalCode: string;
  countryCode: string;
  phone: string;
  password?: string;
}

export function legacyForm(page: Page, t: Texts): Locator {
  return page.getByRole('form', { name: t.legacyFormHeading });
}

/// Fills every field of the long registration form (not submitted).
export async function fillLegacyForm(page: Page, t: Texts, account: LegacyAccount): Promise<void> {
  const form = legacyForm(page, t);
  const l = t.legacyLabels;
  const fields: [string, string][] = [
    [l.loginId, account.loginId],
    [l.password, account.password ?? PASSWORD],
    [l.email, account.email],
    [l.contactName, account.contactName],
    [l.company, account.company],
    [l.address, account.address],
    [l.city, account.city],
    [l.state, account.state],
    [l.postalCode, account.postalCode],
    [l.countryCode, account.countryCode],
    [l.phone, account.phone],
  ];
  for (const [label, value] of fields) {
    await form.getByLabel(label, { exact: true }).fill(value);
  }
}

/// The activation code shown in a registered line's card, checked against its Copy button.
export async function activationCodeOf(card: Locator, t: Texts): Promise<string> {
  const code = ((await card.locator('code').first().textContent()) ?? '').trim();
  expect(code).toMatch(AC_PATTERN);
  await expect(card.getByRole('button', { name: t.copyLabel(code) })).toBeVisible();
  return code;
}

/// The canonical form of an Activation Code.
export const AC_PATTERN = /^[A-Z]{2}-[0-9A-Z]{4}(-[0-9A-Z]{5}){5}$/;
