// The wizard says what is true before the customer types anything (issue 15, item 6): a renewal
// or a cross grade names the one account it can go to and offers only signing in to it; a fully
// registered order and a legacy key whose own line is registered each get one message; a field
// error names the field as the form labels it; the verify page explains a stopped or used link
// and shows the completed result again after a reload.
import { isoDate, requestActivation, sloppy, verifyActivation } from '../support/api';
import { baseURL } from '../support/env';
import { expect, test } from '../support/fixtures';
import { checkWidths, masked, plainAccount, registerKey, signInApi, switchLanguage, verifiedAccount } from '../support/lifecycle';
import { verificationLink } from '../support/mime';
import { EN as t, JA as ja } from '../support/texts';
import { EN_LIFECYCLE as l, JA_LIFECYCLE as lja } from '../support/texts-lifecycle';
import { PASSWORD, enterKey, expectStep, legacyForm, lineCard, signUpForm } from '../support/wizard';

test('a renewal key names the account holding the renewed code before any form, and offers only signing in', async ({
  page,
  request,
  partner,
  mailbox,
  newEmail,
  checkStep,
}) => {
  const owner = newEmail('renewal-owner');
  await verifiedAccount(request, partner, mailbox, owner);
  await signInApi(request, owner);
  const original = await partner.createOrder({ lines: [{ sku: 'SMEX', seats: 50 }] });
  const renewed = await registerKey(request, original.key());
  const renewal = await partner.createOrder({ type: 'renewal', lines: [{ sku: 'SMEX', seats: 50, renews_ac: renewed }] });
  expect(renewal.data.flow).toBe('legacy');

  await page.goto('/');
  await enterKey(page, t, sloppy(renewal.key()));

  // Review: the one account, masked, said up front.
  await expectStep(page, t, t.reviewHeading, t.steps.review);
  const notice = page.getByRole('region', { name: l.renewalHeading });
  await expect(notice).toContainText(l.renewalBody(masked(owner)));
  await expect(page.getByText(owner)).toHaveCount(0);
  await checkWidths(page, checkStep, 'renewal-1-review');

  // Account: the notice again and the sign-in form; no long form to fill in vain.
  await page.getByRole('button', { name: t.reviewContinue }).click();
  await expectStep(page, t, t.legacyAccountHeading, t.steps.account);
  await expect(page.getByRole('region', { name: l.renewalHeading })).toBeVisible();
  await expect(page.getByRole('form', { name: t.signInHeading })).toBeVisible();
  await expect(legacyForm(page, t)).toHaveCount(0);
  await checkWidths(page, checkStep, 'renewal-2-account');

  // The same screen in Japanese.
  await switchLanguage(page, 'ja');
  await expect(page.getByRole('region', { name: lja.renewalHeading })).toContainText(lja.renewalBody(masked(owner)));
  await expect(page.getByRole('form', { name: ja.signInHeading })).toBeVisible();
  await checkWidths(page, checkStep, 'ja-renewal-2-account');
  await switchLanguage(page, 'en');

  // Signing in to that account registers the renewal.
  const signIn = page.getByRole('form', { name: t.signInHeading });
  await signIn.getByRole('textbox', { name: t.loginLabel }).fill(owner);
  await signIn.getByLabel(t.passwordLabel).fill(PASSWORD);
  await signIn.getByRole('button', { name: t.signInButton }).click();
  await page.getByRole('button', { name: l.legacyRegisterSignedIn }).click();
  await expectStep(page, t, t.legacyDoneHeading, t.steps.done);
  await expect(page.getByText(l.legacyRenewalDone)).toBeVisible();
});

test('a cross grade blocks sign-up up front and names the account holding the retained code', async ({
  page,
  request,
  partner,
  mailbox,
  newEmail,
  checkStep,
}) => {
  const owner = newEmail('cup-owner');
  await verifiedAccount(request, partner, mailbox, owner);
  await signInApi(request, owner);
  const earlier = await partner.createOrder({ lines: [{ sku: 'A1', seats: 100 }] });
  const retained = await registerKey(request, earlier.key());
  // Bought after the retained code was registered (tomorrow), so a cross grade.
  const cup = await partner.createOrder({
    purchaseDate: isoDate(1),
    lines: [
      {
        sku: 'CUP',
        seats: 100,
        components: [{ sku: 'A1', retained_ac: retained }, { sku: 'SMEX' }, { sku: 'IMSVA' }, { sku: 'IWSVA' }],
      },
      { sku: 'XDR-EPS', seats: 100 },
    ],
  });
  expect(cup.data.flow).toBe('account_based');

  await page.goto('/');
  await enterKey(page, t, sloppy(cup.key('XDR-EPS')));
  await expectStep(page, t, t.reviewHeading, t.steps.review);
  await expect(page.getByRole('region', { name: l.crossgradeHeading })).toContainText(l.crossgradeBody(masked(owner)));
  await checkWidths(page, checkStep, 'crossgrade-1-review');

  // Account: only signing in; no sign-up form that would fail after it is filled in.
  await page.getByRole('button', { name: t.reviewContinue }).click();
  await expectStep(page, t, t.accountHeading, t.steps.account);
  await expect(page.getByRole('region', { name: l.crossgradeHeading })).toBeVisible();
  await expect(page.getByRole('form', { name: t.signInHeading })).toBeVisible();
  await expect(signUpForm(page, t)).toHaveCount(0);
  await checkWidths(page, checkStep, 'crossgrade-2-account');

  await switchLanguage(page, 'ja');
  await expect(page.getByRole('region', { name: lja.crossgradeHeading })).toContainText(lja.crossgradeBody(masked(owner)));
  await expect(signUpForm(page, ja)).toHaveCount(0);
  await checkWidths(page, checkStep, 'ja-crossgrade-2-account');
  await switchLanguage(page, 'en');

  // Signed in to the owner, the order can be activated there.
  const signIn = page.getByRole('form', { name: t.signInHeading });
  await signIn.getByRole('textbox', { name: t.loginLabel }).fill(owner);
  await signIn.getByLabel(t.passwordLabel).fill(PASSWORD);
  await signIn.getByRole('button', { name: t.signInButton }).click();
  await expect(page.getByRole('button', { name: t.activateButton })).toBeVisible();
  await expect(page.getByRole('region', { name: t.conflictsHeading })).toHaveCount(0);
});

test('a fully registered order says so once, and nothing about "your account" when signed out', async ({
  page,
  request,
  partner,
  mailbox,
  newEmail,
  checkStep,
}) => {
  const order = await partner.createOrder({ lines: [{ sku: 'XDR-CAS' }, { sku: 'A1' }] });
  const email = newEmail('done');
  await requestActivation(request, baseURL, order.key(), { email, password: PASSWORD, full_name: 'Dana Done' }, 'us');
  await verifyActivation(request, baseURL, await mailbox.waitForVerificationLink(email));

  await page.goto('/');
  await enterKey(page, t, sloppy(order.key('A1')));
  await expectStep(page, t, t.reviewHeading, t.steps.review);
  const main = page.getByRole('main');
  await expect(main.getByRole('alert')).toHaveCount(1);
  await expect(main.getByRole('alert')).toContainText(l.nothingToActivateTitle);
  await expect(main.getByText(l.nothingToActivateTitle)).toHaveCount(1);
  await expect(page.getByText(l.registeredCount)).toHaveCount(0);
  await expect(page.getByRole('region', { name: t.conflictsHeading })).toHaveCount(0);
  await expect(page.getByRole('button', { name: t.reviewContinue })).toHaveCount(0);
  await checkWidths(page, checkStep, 'registered-order-review');

  await switchLanguage(page, 'ja');
  await expect(main.getByRole('alert')).toHaveCount(1);
  await expect(main.getByRole('alert')).toContainText(lja.nothingToActivateTitle);
  await expect(page.getByRole('region', { name: ja.conflictsHeading })).toHaveCount(0);
  await checkWidths(page, checkStep, 'ja-registered-order-review');
});

test('a legacy key whose own line is registered says that line is registered, not the whole order', async ({
  page,
  request,
  partner,
  newEmail,
  checkStep,
}) => {
  const order = await partner.createOrder({ lines: [{ sku: 'SMEX', seats: 40 }, { sku: 'IMSVA', seats: 40 }] });
  await plainAccount(request, newEmail('legacy-line'), 'Lee Line');
  await registerKey(request, order.key('IMSVA'));

  await page.goto('/');
  await enterKey(page, t, sloppy(order.key('IMSVA')));
  await expectStep(page, t, t.reviewHeading, t.steps.review);
  const main = page.getByRole('main');
  await expect(main.getByRole('alert')).toHaveCount(1);
  await expect(main.getByRole('alert')).toContainText(l.alreadyRegisteredTitle);
  await expect(page.getByText(l.nothingToActivateTitle)).toHaveCount(0);
  await expect(page.getByText(l.registeredCount)).toHaveCount(0);
  await expect(page.getByRole('region', { name: t.conflictsHeading })).toHaveCount(0);
  await checkWidths(page, checkStep, 'legacy-line-registered-review');

  await switchLanguage(page, 'ja');
  await expect(main.getByRole('alert')).toContainText(lja.alreadyRegisteredTitle);
  await checkWidths(page, checkStep, 'ja-legacy-line-registered-review');
  await switchLanguage(page, 'en');

  // The other line's key still shows its line, with nothing about the registered one.
  await page.getByRole('button', { name: l.useOtherKey }).click();
  await page.getByRole('textbox', { name: t.keyLabel }).fill(order.key('SMEX'));
  await page.getByRole('button', { name: t.keySubmit }).click();
  await expectStep(page, t, t.reviewHeading, t.steps.review);
  await expect(lineCard(page.getByRole('region', { name: t.linesHeading }), order.line('SMEX').product_name)).toBeVisible();
  await expect(page.getByRole('main').getByRole('alert')).toHaveCount(0);
});

test('the sign-up shows the password rules first, marks optional fields, and names fields as labelled', async ({
  page,
  partner,
  newEmail,
  checkStep,
}) => {
  const order = await partner.createOrder({ lines: [{ sku: 'XDR-CAS' }] });
  await page.goto('/');
  await enterKey(page, t, order.key());
  await page.getByRole('button', { name: t.reviewContinue }).click();
  await expectStep(page, t, t.accountHeading, t.steps.account);

  const form = signUpForm(page, t);
  await expect(form.getByText(l.passwordRules)).toBeVisible();
  await expect(form.getByLabel(t.passwordLabel)).toHaveAccessibleDescription(l.passwordRules);
  await expect(form.getByRole('textbox', { name: `${t.companyLabel} ${l.optionalMark}` })).not.toHaveAttribute('required', '');
  await expect(form.getByRole('textbox', { name: new RegExp(`^${t.countryCodeLabel} `) })).not.toHaveAttribute('required', '');
  await expect(form.getByRole('textbox', { name: t.emailLabel })).toHaveAttribute('required', '');

  await form.getByRole('textbox', { name: t.emailLabel }).fill(newEmail('short'));
  await form.getByLabel(t.passwordLabel).fill('too short');
  await form.getByRole('textbox', { name: t.fullNameLabel }).fill('Sam Short');
  await form.getByRole('button', { name: t.signUpButton }).click();
  const problem = page.getByRole('alert').filter({ hasText: l.validationFailedTitle });
  await expect(problem).toBeVisible();
  await expect(problem.getByRole('listitem')).toHaveCount(1);
  await expect(problem.getByRole('listitem')).toContainText(`${t.passwordLabel}: `);
  await expect(page.getByText('account.password')).toHaveCount(0);
  await checkWidths(page, checkStep, 'signup-field-error');
});

test('the verify page shows the completed result again after a reload', async ({ page, request, partner, mailbox, newEmail, checkStep }) => {
  const order = await partner.createOrder({ lines: [{ sku: 'XDR-CAS' }] });
  const email = newEmail('reload');
  await requestActivation(request, baseURL, order.key(), { email, password: PASSWORD, full_name: 'Rey Load' }, 'us');
  await page.goto(await mailbox.waitForVerificationLink(email));
  await expect(page.getByRole('heading', { level: 2, name: t.doneHeading })).toBeVisible();
  await page.getByRole('dialog').getByRole('button', { name: t.close }).click();

  await page.reload();
  await expect(page).toHaveURL(/\/activate\/verify$/);
  await expect(page.getByRole('heading', { level: 2, name: t.doneHeading })).toBeVisible();
  await expect(page.getByText(l.verifyDoneBefore)).toBeVisible();
  await expect(page.getByText(t.doneIntro(order.number))).toBeVisible();
  await expect(page.getByRole('button', { name: t.startAgain })).toHaveCount(0);
  await checkWidths(page, checkStep, 'verify-reloaded');
});

test('a link stopped by a restriction says why and what to do; a used link says the order is activated', async ({
  page,
  request,
  partner,
  mailbox,
  newEmail,
  checkStep,
}) => {
  // Two pending activations of the same cloud service for one account: the first completes,
  // so the second is stopped by `saas_conflict` when its link is opened.
  const email = newEmail('stopped');
  const first = await partner.createOrder({ lines: [{ sku: 'XDR-CAS' }] });
  const second = await partner.createOrder({ lines: [{ sku: 'XDR-CAS', seats: 30 }] });
  await requestActivation(request, baseURL, first.key(), { email, password: PASSWORD, full_name: 'Stan Stop' }, 'us');
  await signInApi(request, email);
  const pending = await request.post(`${baseURL}/api/v1/activations`, { data: { key: second.key() } });
  expect(pending.status(), await pending.text()).toBe(202);
  const linkOf = async (number: string) =>
    verificationLink(await mailbox.waitForMail(email, { subject: new RegExp(number.replace(/[-]/g, '\\-')) }));
  const firstLink = await linkOf(first.number);
  const secondLink = await linkOf(second.number);
  await verifyActivation(request, baseURL, firstLink);
  const refused = await request.post(`${baseURL}/api/v1/activations/verify`, {
    data: { token: new URL(secondLink).searchParams.get('token') },
  });
  expect(refused.status(), await refused.text()).toBe(409);

  // Opened again: the same restriction, its remedy, and starting again; nothing about reloading.
  await page.goto(secondLink);
  const stopped = page.getByRole('main').getByRole('alert');
  await expect(stopped).toContainText(t.saasConflictTitle);
  await expect(stopped).toContainText(t.saasConflictRemedy);
  await expect(page.getByText(/reload/i)).toHaveCount(0);
  await expect(page.getByRole('button', { name: t.startAgain })).toBeVisible();
  await checkWidths(page, checkStep, 'verify-stopped');
  await switchLanguage(page, 'ja');
  await expect(stopped).toContainText(ja.saasConflictTitle);
  await checkWidths(page, checkStep, 'ja-verify-stopped');
  await switchLanguage(page, 'en');

  await page.goto(firstLink);
  await expect(page.getByRole('main').getByRole('alert')).toContainText(l.verifyUsedTitle);
  await expect(page.getByRole('main').getByRole('link', { name: t.goProducts })).toBeVisible();
  await expect(page.getByRole('button', { name: t.startAgain })).toHaveCount(0);
  await checkWidths(page, checkStep, 'verify-used');
});
