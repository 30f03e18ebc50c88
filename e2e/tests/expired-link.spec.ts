// An expired verification link activates nothing; the page says so and restarts the activation.
// Runs against the second server of playwright.config.ts, whose links expire after a few seconds.
import { PartnerApi, sloppy } from '../support/api';
import { shortTtlBaseURL } from '../support/env';
import { expect, test } from '../support/fixtures';
import { EN as t } from '../support/texts';
import { PASSWORD, enterKey, expectCurrentStep, expectStep, keyField, lineCard, signUp } from '../support/wizard';

test('an expired link activates nothing and Start again goes back to the key', async ({
  page,
  request,
  mailbox,
  newEmail,
  checkStep,
}) => {
  expect(shortTtlBaseURL, 'needs the short-TTL server (CLP_E2E_SHORT_TTL_BASE_URL with an external server)').toBeTruthy();
  const base = shortTtlBaseURL!;
  const partner = await PartnerApi.connect(request, base);
  const order = await partner.createOrder({ lines: [{ sku: 'XDR-EPS' }, { sku: 'A1' }] });
  const email = newEmail();

  await page.goto(`${base}/FullRegistration?T=TM`);
  await enterKey(page, t, sloppy(order.key('XDR-EPS')));
  await expectStep(page, t, t.reviewHeading, t.steps.review);
  await page.getByRole('button', { name: t.reviewContinue }).click();
  await expectStep(page, t, t.accountHeading, t.steps.account);
  const accepted = page.waitForResponse((r) => r.url().endsWith('/api/v1/activations') && r.request().method() === 'POST');
  await signUp(page, t, { email, fullName: 'Late Larry' });
  const { expires_at } = (await (await accepted).json()) as { expires_at: string };
  await expectStep(page, t, t.confirmHeading, t.steps.confirmEmail);
  const link = await mailbox.waitForVerificationLink(email);
  expect(link.startsWith(`${base}/activate/verify?token=`), link).toBe(true);

  // Wait out the link's lifetime (a few seconds on this server), polling the clock.
  await expect
    .poll(() => Date.now(), { message: 'the link expires', timeout: 15_000 })
    .toBeGreaterThan(Date.parse(expires_at) + 200);

  const verified = page.waitForResponse((r) => r.url().endsWith('/api/v1/activations/verify'));
  await page.goto(link);
  const response = await verified;
  expect(response.status()).toBe(410);
  expect(((await response.json()) as { code: string }).code).toBe('verification_expired');
  const alert = page.getByRole('alert').filter({ hasText: t.expiredTitle });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(t.expiredRemedy);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: t.verifyHeading })).toBeVisible();
  await expectCurrentStep(page, t, t.steps.confirmEmail);
  await checkStep(page, 'expired-link-1-expired');

  // Nothing was activated.
  const after = await partner.order(order.number);
  expect(after.lines.map((l) => l.status)).toEqual(['unregistered', 'unregistered']);

  // Start again: back to the first step, and the same key shows the whole order again.
  await page.getByRole('button', { name: t.startAgain }).click();
  await expect(page).toHaveURL(`${base}/`);
  await expectStep(page, t, t.enterKeyHeading, t.steps.enterKey);
  await expect(keyField(page, t)).toHaveValue('');
  await checkStep(page, 'expired-link-2-restarted');
  await enterKey(page, t, order.key('XDR-EPS'));
  await expectStep(page, t, t.reviewHeading, t.steps.review);
  const lines = page.getByRole('region', { name: t.linesHeading });
  await expect(lineCard(lines, order.line('XDR-EPS').product_name)).toBeVisible();
  await expect(lineCard(lines, order.line('A1').product_name)).toBeVisible();

  // Repeating the activation: the account made the first time exists (not yet verified); the
  // customer signs in to it and gets a new link, which works while it is fresh.
  await page.getByRole('button', { name: t.reviewContinue }).click();
  await expectStep(page, t, t.accountHeading, t.steps.account);
  const signIn = page.getByRole('form', { name: t.signInHeading });
  await signIn.getByRole('textbox', { name: t.loginLabel }).fill(email);
  await signIn.getByLabel(t.passwordLabel).fill(PASSWORD);
  await signIn.getByRole('button', { name: t.signInButton }).click();
  await expect(page.getByText(t.signedInContinue(email))).toBeVisible();
  await page.getByRole('button', { name: t.activateButton }).click();
  await expectStep(page, t, t.confirmHeading, t.steps.confirmEmail);
  const second = await mailbox.waitForVerificationLink(email, { not: link });
  await page.goto(second);
  await expect(page.getByRole('dialog', { name: t.dialogTitle })).toBeVisible();
  expect((await partner.order(order.number)).lines.map((l) => l.status)).toEqual(['registered', 'registered']);
});
