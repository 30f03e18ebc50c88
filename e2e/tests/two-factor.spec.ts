// Two-step sign-in (issue 15): enrol on My account by reading the setup key under the QR code,
// confirm with a code computed here (RFC 6238), keep the recovery codes, sign out, and sign in
// again with the password and then a fresh code.
import { ACCOUNT_EN as a } from '../support/account-texts';
import { createAccount, signInOnPage } from '../support/accounts';
import { baseURL } from '../support/env';
import { expect, test } from '../support/fixtures';
import { totp, totpStep } from '../support/totp';

test('enrol two-step sign-in, sign out, sign in with a code from the secret', async ({ page, request, newEmail, checkStep }) => {
  test.slow(); // A code is accepted once per 30-second step: the second sign-in waits for the next.
  const email = newEmail('mfa');
  await createAccount(request, baseURL, email, { fullName: 'Tim Otp' });

  await signInOnPage(page, a, email);
  await expect(page.getByRole('heading', { level: 1, name: a.productsHeading })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: a.navAccount }).click();
  await expect(page).toHaveURL(`${baseURL}/account`);
  await expect(page.getByRole('heading', { level: 1, name: a.accountPageHeading })).toBeVisible();

  const mfa = page.getByRole('region', { name: a.mfaHeading });
  await mfa.getByRole('button', { name: a.mfaEnrolButton }).click();
  await expect(mfa.getByRole('img', { name: a.mfaQrLabel })).toBeVisible();
  const secret = ((await mfa.getByTestId('totp-secret').textContent()) ?? '').trim();
  expect(secret).toMatch(/^[A-Z2-7]{16,}=*$/);
  await checkStep(page, 'two-factor-1-enrol');

  const enrolledStep = totpStep();
  await mfa.getByRole('textbox', { name: a.mfaCodeLabel }).fill(totp(secret, enrolledStep));
  await mfa.getByRole('button', { name: a.mfaConfirmButton }).click();
  await expect(mfa.getByRole('heading', { name: a.recoveryHeading })).toBeVisible();
  const codes = mfa.getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const recovery = ((await codes.first().textContent()) ?? '').trim();
  expect(recovery.length).toBeGreaterThan(5);
  await checkStep(page, 'two-factor-2-recovery-codes');
  await mfa.getByRole('button', { name: a.recoveryDone }).click();
  await expect(mfa.getByText(a.mfaOnStatus)).toBeVisible();
  const me = await page.request.get(`${baseURL}/api/v1/me`);
  expect(((await me.json()) as { mfa_enabled: boolean }).mfa_enabled).toBe(true);

  // Sign out; the password alone now asks for the code.
  await page.getByRole('button', { name: a.signOut }).click();
  await expect(page.getByRole('link', { name: a.signInButton }).first()).toBeVisible();
  const asked = page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST');
  await signInOnPage(page, a, email);
  const first = await asked;
  expect(first.status()).toBe(401);
  expect(((await first.json()) as { code: string }).code).toBe('mfa_required');
  const otp = page.getByRole('textbox', { name: a.otpLabel });
  await expect(otp).toBeVisible();
  await expect(otp).toBeFocused();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await checkStep(page, 'two-factor-3-code-asked');

  // A code is not accepted twice: wait for the step after the one used to confirm.
  await expect.poll(() => totpStep(), { timeout: 40_000, intervals: [1000] }).toBeGreaterThan(enrolledStep);
  await otp.fill(totp(secret));
  await page.getByRole('button', { name: a.signInButton }).click();
  await expect(page.getByRole('heading', { level: 1, name: a.productsHeading })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: a.navAccount })).toBeVisible();
});
