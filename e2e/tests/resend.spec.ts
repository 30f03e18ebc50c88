// "Check your email" (issue 15): Resend sends a fresh link (only the newest works), and "Use a
// different email" cancels the pending activation and goes back to the account step.
import { ACCOUNT_EN as a } from '../support/account-texts';
import { sloppy } from '../support/api';
import { baseURL } from '../support/env';
import { expect, test } from '../support/fixtures';
import { EN as t } from '../support/texts';
import { enterKey, expectStep, signUp } from '../support/wizard';

test('resend the link, then use a different email and activate with it', async ({ page, partner, mailbox, newEmail, checkStep }) => {
  test.slow();
  // An XDR add-on: the account-based flow (with its email step).
  const order = await partner.createOrder({ lines: [{ sku: 'XDR-EPS' }, { sku: 'A1', seats: 25 }] });
  const first = newEmail('resend');

  await page.goto('/');
  await enterKey(page, t, sloppy(order.key()));
  await expectStep(page, t, t.reviewHeading, t.steps.review);
  await page.getByRole('button', { name: t.reviewContinue }).click();
  await expectStep(page, t, t.accountHeading, t.steps.account);
  await signUp(page, t, { email: first, fullName: 'Re Send' });
  await expectStep(page, t, t.confirmHeading, t.steps.confirmEmail);
  const original = await mailbox.waitForVerificationLink(first);
  await checkStep(page, 'resend-1-check-your-email');

  // Resend: a new link to the same address.
  const resent = page.waitForResponse((r) => /\/api\/v1\/activations\/[^/]+\/resend$/.test(r.url()));
  await page.getByRole('button', { name: a.resendButton }).click();
  expect((await resent).ok()).toBe(true);
  await expect(page.getByRole('main').getByText(a.resendSent)).toBeVisible();
  const fresh = await mailbox.waitForVerificationLink(first, { not: original });
  expect(fresh).not.toBe(original);
  await checkStep(page, 'resend-2-sent');

  // Use a different email: the pending activation is cancelled, the account step comes back.
  const cancelled = page.waitForResponse((r) => /\/api\/v1\/activations\/[^/]+$/.test(r.url()) && r.request().method() === 'DELETE');
  await page.getByRole('button', { name: a.differentEmailButton }).click();
  expect((await cancelled).ok()).toBe(true);
  await expectStep(page, t, t.accountHeading, t.steps.account);

  // The cancelled activation's newest link no longer completes anything.
  const stale = await page.request.post(`${baseURL}/api/v1/activations/verify`, {
    data: { token: new URL(fresh).searchParams.get('token') },
  });
  expect(stale.ok()).toBe(false);

  const second = newEmail('resend-other');
  await signUp(page, t, { email: second, fullName: 'Re Send' });
  await expectStep(page, t, t.confirmHeading, t.steps.confirmEmail);
  await expect(page.getByText(second)).toBeVisible();
  await page.goto(await mailbox.waitForVerificationLink(second));
  const dialog = page.getByRole('dialog', { name: t.dialogTitle });
  await dialog.getByRole('button', { name: t.close }).click();
  await expectStep(page, t, t.doneHeading, t.steps.done);
});
