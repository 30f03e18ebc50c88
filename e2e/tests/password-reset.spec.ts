// Forgot password (issue 15): "Forgot password?" on the sign-in form → the request page (the
// same confirmation for any address) → the emailed link → a new password (its rules shown
// before submitting) → sign in with it; the used link then says so and leads to a new one.
import { ACCOUNT_EN as a } from '../support/account-texts';
import { createAccount, signInOnPage, waitForResetLink } from '../support/accounts';
import { uid } from '../support/api';
import { baseURL } from '../support/env';
import { expect, test } from '../support/fixtures';
import { PASSWORD } from '../support/wizard';

test('forgot password → email → new password → sign in; the link works once', async ({ page, request, newEmail, checkStep }) => {
  const email = newEmail('forgot');
  await createAccount(request, baseURL, email, { fullName: 'Fay Gotten' });
  const newPassword = `a brand new passphrase ${uid()}`;

  // The sign-in form links to the request page.
  await page.goto('/signin');
  await page.getByRole('link', { name: a.forgotPasswordLink }).click();
  await expect(page).toHaveURL(`${baseURL}/forgot-password`);
  await expect(page.getByRole('heading', { level: 1, name: a.forgotHeading })).toBeVisible();
  await checkStep(page, 'password-reset-1-request');

  // An unknown address gets the same confirmation as a known one.
  const unknown = newEmail('nobody');
  await page.getByRole('textbox', { name: a.emailLabel }).fill(unknown);
  await page.getByRole('button', { name: a.forgotButton }).click();
  await expect(page.getByRole('heading', { level: 2, name: a.forgotSentHeading })).toBeVisible();
  await expect(page.getByText(a.forgotSentTo(unknown))).toBeVisible();

  await page.goto('/forgot-password');
  await page.getByRole('textbox', { name: a.emailLabel }).fill(email);
  await page.getByRole('button', { name: a.forgotButton }).click();
  await expect(page.getByRole('heading', { level: 2, name: a.forgotSentHeading })).toBeVisible();
  await expect(page.getByText(a.forgotSentTo(email))).toBeVisible();
  await checkStep(page, 'password-reset-2-sent');

  // The emailed link: the token leaves the address bar; the rules show before submitting.
  const link = await waitForResetLink(email);
  expect(link.startsWith(`${baseURL}/reset-password?token=`), link).toBe(true);
  await page.goto(link);
  await expect(page).toHaveURL(`${baseURL}/reset-password`);
  await expect(page.getByRole('heading', { level: 1, name: a.resetHeading })).toBeVisible();
  const field = page.getByLabel(a.newPasswordLabel, { exact: true });
  await expect(field).toHaveAccessibleDescription(a.passwordRules);
  await checkStep(page, 'password-reset-3-new-password');
  await field.fill(newPassword);
  const confirmed = page.waitForResponse((r) => r.url().endsWith('/api/v1/password-resets/confirm'));
  await page.getByRole('button', { name: a.resetButton }).click();
  expect((await confirmed).status()).toBe(204);
  await expect(page.getByRole('heading', { level: 2, name: a.resetDoneHeading })).toBeVisible();
  await checkStep(page, 'password-reset-4-done');

  // The old password no longer works; the new one does.
  const old = await request.post(`${baseURL}/api/v1/session`, { data: { login: email, password: PASSWORD } });
  expect(old.status()).toBe(401);
  await page.getByRole('main').getByRole('link', { name: a.signInButton }).click();
  await expect(page).toHaveURL(`${baseURL}/signin`);
  await signInOnPage(page, a, email, newPassword);
  await expect(page.getByRole('heading', { level: 1, name: a.productsHeading })).toBeVisible();

  // The link works once: opened again, it says so and leads to a new one.
  await page.goto(link);
  const alert = page.getByRole('alert').filter({ hasText: a.resetExpiredTitle });
  await page.getByLabel(a.newPasswordLabel, { exact: true }).fill(`${newPassword} again`);
  const again = page.waitForResponse((r) => r.url().endsWith('/api/v1/password-resets/confirm'));
  await page.getByRole('button', { name: a.resetButton }).click();
  expect((await again).status()).toBe(410);
  await expect(alert).toBeVisible();
  await checkStep(page, 'password-reset-5-used-link');
  await page.getByRole('link', { name: a.resetNewLink }).click();
  await expect(page).toHaveURL(`${baseURL}/forgot-password`);
});

test('a reset address without its token says the link is incomplete', async ({ page, checkStep }) => {
  await page.goto('/reset-password');
  await expect(page.getByRole('alert').filter({ hasText: a.resetMissingToken })).toBeVisible();
  await expect(page.getByRole('link', { name: a.resetNewLink })).toBeVisible();
  await checkStep(page, 'password-reset-6-no-token');
});
