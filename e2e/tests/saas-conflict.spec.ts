// A signed-in account that already holds a SaaS service cannot take a second order of it:
// the preview shows the conflict with its remedy, and the remedy (another account) is offered.
import { requestActivation, sloppy, verifyActivation } from '../support/api';
import { baseURL } from '../support/env';
import { expect, test } from '../support/fixtures';
import { EN as t } from '../support/texts';
import { PASSWORD, enterKey, expectStep, signUpForm } from '../support/wizard';

test('a SaaS service already active in the account is shown as a conflict with its remedy', async ({
  page,
  request,
  partner,
  mailbox,
  newEmail,
  checkStep,
}) => {
  // The account got cloud-app-security from an earlier order.
  const earlier = await partner.createOrder({ lines: [{ sku: 'XDR-CAS' }] });
  const email = newEmail('cas-owner');
  await requestActivation(request, baseURL, earlier.key(), { email, password: PASSWORD, full_name: 'Cass Owner' }, 'us');
  await verifyActivation(request, baseURL, await mailbox.waitForVerificationLink(email));
  const second = await partner.createOrder({ lines: [{ sku: 'XDR-CAS', seats: 30 }] });

  // Signed in (the session cookie is shared by the page).
  const session = await page.request.post('/api/v1/session', { data: { login: email, password: PASSWORD } });
  expect(session.status(), await session.text()).toBe(200);
  await page.goto('/');
  await enterKey(page, t, sloppy(second.key()));

  // Review: the conflict, its title and remedy.
  await expectStep(page, t, t.reviewHeading, t.steps.review);
  const conflicts = page.getByRole('region', { name: t.conflictsHeading });
  await expect(conflicts).toBeVisible();
  await expect(conflicts.getByRole('listitem')).toHaveCount(1);
  await expect(conflicts).toContainText(t.saasConflictTitle);
  await expect(conflicts).toContainText(t.saasConflictRemedy);
  await checkStep(page, 'saas-conflict-1-review');

  // Account: still signed in; the conflict again, and no way to activate into this account.
  await page.getByRole('button', { name: t.reviewContinue }).click();
  await expectStep(page, t, t.accountHeading, t.steps.account);
  await expect(page.getByText(t.signedInContinue(email))).toBeVisible();
  await expect(page.getByRole('region', { name: t.conflictsHeading })).toContainText(t.saasConflictRemedy);
  await expect(page.getByRole('button', { name: t.activateButton })).toHaveCount(0);
  await checkStep(page, 'saas-conflict-2-account');
  // The server refuses it too, when the activation is requested.
  const refused = await page.request.post('/api/v1/activations', { data: { key: second.key() } });
  expect(refused.status()).toBe(409);
  expect(((await refused.json()) as { code: string }).code).toBe('saas_conflict');

  // The remedy: another account. Signing out offers the sign-up form.
  await page.getByRole('button', { name: t.useOtherAccount }).click();
  await expect(signUpForm(page, t)).toBeVisible();
  await expect(page.getByRole('region', { name: t.conflictsHeading })).toHaveCount(0);
  const after = await partner.order(second.number);
  expect(after.lines.map((l) => l.status)).toEqual(['unregistered']);
});
