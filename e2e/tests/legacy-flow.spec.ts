// The legacy flow (non-XDR order): only the entered key's line, the long registration form,
// the registration at once with its activation code, a notice by email, no XDR pop-up.
import { sloppy, uid } from '../support/api';
import { expect, test } from '../support/fixtures';
import { EN as t } from '../support/texts';
import { activationCodeOf, enterKey, expectStep, fillLegacyForm, legacyForm, lineCard } from '../support/wizard';

test('a non-XDR order registers the entered line at once with the long form', async ({
  page,
  partner,
  mailbox,
  newEmail,
  checkStep,
}) => {
  const order = await partner.createOrder({
    lines: [
      { sku: 'SMEX', seats: 40 },
      { sku: 'IMSVA', seats: 40 },
    ],
  });
  expect(order.data.flow).toBe('legacy');
  const imsva = order.line('IMSVA');
  const email = newEmail('legacy');

  await page.goto('/FullRegistration?T=TM');
  await enterKey(page, t, sloppy(imsva.registration_key));

  // Review: the notice and only this key's line; four steps (no email confirmation).
  await expectStep(page, t, t.reviewHeading, t.steps.review);
  await expect(page.getByText(t.legacyNotice)).toBeVisible();
  const lines = page.getByRole('region', { name: t.linesHeading });
  await expect(lines.getByRole('listitem')).toHaveCount(1);
  await expect(lineCard(lines, imsva.product_name)).toBeVisible();
  await expect(lineCard(lines, order.line('SMEX').product_name)).toHaveCount(0);
  const steps = page.getByRole('navigation', { name: t.stepsLabel }).getByRole('listitem');
  await expect(steps).toHaveText([/Enter key/, /Review order/, /Account/, /Done/]);
  await expect(page.getByRole('combobox', { name: t.regionLabel })).toHaveCount(0);
  await checkStep(page, 'legacy-flow-1-review');
  await page.getByRole('button', { name: t.reviewContinue }).click();

  // Account: sign in, or the long registration form.
  await expectStep(page, t, t.legacyAccountHeading, t.steps.account);
  await expect(page.getByRole('form', { name: t.signInHeading })).toBeVisible();
  await fillLegacyForm(page, t, {
    loginId: `legacy-${uid()}`,
    email,
    contactName: 'Larry Legacy',
    company: 'Legacy Systems Ltd.',
    address: '1 Old Road',
    city: 'Springfield',
    state: 'IL',
    postalCode: '62701',
    countryCode: 'us',
    phone: '+1 217 555 0100',
  });
  await checkStep(page, 'legacy-flow-2-account-long-form');
  await legacyForm(page, t).getByRole('button', { name: t.legacyRegisterButton }).click();

  // Done at once: the line and its activation code; no pop-up.
  await expectStep(page, t, t.legacyDoneHeading, t.steps.done);
  await expect(page.getByText(t.doneIntro(order.number))).toBeVisible();
  const done = lineCard(page, imsva.product_name);
  await activationCodeOf(done, t);
  await expect(page.getByText(t.legacyDoneEmail)).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await checkStep(page, 'legacy-flow-3-done');

  // The email notice, and only the entered line is registered.
  const notice = await mailbox.waitForMail(email);
  expect(notice.subject).toContain(order.number);
  const after = await partner.order(order.number);
  expect(Object.fromEntries(after.lines.map((l) => [l.sku, l.status]))).toEqual({ SMEX: 'unregistered', IMSVA: 'registered' });
});
