// Accounts for the account pages' tests (issue 15): created through the API, the password
// reset link read from the test SMTP server's spool, signing in and out through the UI.
import { type APIRequestContext, type Page, expect } from '@playwright/test';

import type { AccountTexts } from './account-texts';
import { mailSpoolDir } from './env';
import type { Mail } from './mime';
import { waitForSpooledMail } from './smtp';
import { PASSWORD } from './wizard';

/// Creates an account with `POST /api/v1/accounts` (the simplified sign-up).
export async function createAccount(
  request: APIRequestContext,
  baseURL: string,
  email: string,
  options: { fullName?: string; password?: string; language?: string } = {},
): Promise<void> {
  const response = await request.post(`${baseURL}/api/v1/accounts`, {
    data: {
      email,
      password: options.password ?? PASSWORD,
      full_name: options.fullName ?? 'Acco Unt',
      language: options.language ?? 'en',
    },
  });
  expect(response.status(), await response.text()).toBe(201);
}

const RESET_LINK = /https?:\/\/[^\s"'<>]+\/reset-password\?token=[A-Za-z0-9_\-.~%]+/;

function resetLinkIn(mail: Mail): string | undefined {
  return RESET_LINK.exec(mail.text)?.[0] ?? RESET_LINK.exec(mail.html.replace(/&amp;/g, '&'))?.[0];
}

/// The password reset link of the first reset email to `to` (waits for it).
export async function waitForResetLink(to: string): Promise<string> {
  const mail = await waitForSpooledMail(mailSpoolDir, to, { matches: (m) => resetLinkIn(m) !== undefined });
  return resetLinkIn(mail)!;
}

/// Signs in on `/signin` with the header's page; ends on My products.
export async function signInOnPage(page: Page, a: AccountTexts, login: string, password = PASSWORD): Promise<void> {
  await page.goto('/signin');
  const form = page.getByRole('form', { name: a.signInButton });
  await form.getByRole('textbox', { name: a.loginLabel }).fill(login);
  await form.getByLabel(a.passwordLabel, { exact: true }).fill(password);
  await form.getByRole('button', { name: a.signInButton }).click();
}
