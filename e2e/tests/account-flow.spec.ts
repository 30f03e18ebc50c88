// The account-based flow (DOMAIN.md "Account-based flow"): a new customer, the emailed link,
// the Trend Micro XDR pop-up, and the console reached again from My products.
import { requestActivation, sloppy, verifyActivation } from '../support/api';
import { baseURL } from '../support/env';
import { CONSOLE_URL_PATTERN, expect, test } from '../support/fixtures';
import { EN as t, dateTime } from '../support/texts';
import { PASSWORD, activationCodeOf, enterKey, expectStep, lineCard, signUp, signUpForm } from '../support/wizard';

test('a new customer activates an XDR order by following the emailed link and gets the XDR pop-up', async ({
  page,
  partner,
  mailbox,
  newEmail,
  checkStep,
}) => {
  const order = await partner.createOrder({
    lines: [
      { sku: 'XDR-CAS', seats: 100 },
      { sku: 'A1', seats: 50 },
    ],
  });
  const cas = order.line('XDR-CAS');
  const a1 = order.line('A1');
  const email = newEmail();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  // 1. Enter key: typed from paper, in lower case with spaces.
  await page.goto('/FullRegistration?T=TM');
  await expect(page.getByRole('heading', { level: 1, name: t.wizardHeading })).toBeVisible();
  await expectStep(page, t, t.enterKeyHeading, t.steps.enterKey);
  await checkStep(page, 'account-flow-1-enter-key');
  await enterKey(page, t, sloppy(cas.registration_key));

  // 2. Review order: every line, with its XDR badge.
  await expectStep(page, t, t.reviewHeading, t.steps.review);
  expect(page.url(), 'the key never goes into the URL').not.toContain(cas.registration_key.slice(3, 7));
  await expect(page.getByText(t.orderNumber(order.number), { exact: true })).toBeVisible();
  const lines = page.getByRole('region', { name: t.linesHeading });
  await expect(lines.getByRole('listitem')).toHaveCount(2);
  const casCard = lineCard(lines, cas.product_name);
  await expect(casCard.getByText(t.badgeXdrAddon, { exact: true })).toBeVisible();
  await expect(casCard).toContainText('100');
  await expect(casCard).toContainText(t.term(cas.term_start, cas.term_end));
  const a1Card = lineCard(lines, a1.product_name);
  await expect(a1Card.getByText(t.badgeXdrRelated, { exact: true })).toBeVisible();
  await expect(a1Card.getByText(t.badgeXdrAddon, { exact: true })).toHaveCount(0);
  // No add-on pins a region: the picker defaults to the order's country's.
  await expect(page.getByRole('combobox', { name: t.regionLabel })).toHaveValue('us');
  await checkStep(page, 'account-flow-2-review');
  await page.getByRole('button', { name: t.reviewContinue }).click();

  // 3. Account: the simplified sign-up, company and country prefilled from the order.
  await expectStep(page, t, t.accountHeading, t.steps.account);
  const form = signUpForm(page, t);
  // The simplified form: email, password, full name, and company and country from the order.
  await expect(form.getByRole('textbox')).toHaveCount(5);
  await expect(form.getByRole('textbox', { name: t.companyLabel })).toHaveValue(order.data.end_customer.company);
  await expect(form.getByRole('textbox', { name: t.countryCodeLabel })).toHaveValue('US');
  await checkStep(page, 'account-flow-3-account');
  const accepted = page.waitForResponse((r) => r.url().endsWith('/api/v1/activations') && r.request().method() === 'POST');
  await signUp(page, t, { email, fullName: 'Jane Doe' });
  const activation = (await (await accepted).json()) as { expires_at: string };
  const ttl = Date.parse(activation.expires_at) - Date.now();
  expect(ttl, 'the link lives 24 hours by default').toBeGreaterThan(23.9 * 3600_000);
  expect(ttl).toBeLessThanOrEqual(24 * 3600_000);

  // 4. Confirm email: where the link went and when it expires.
  await expectStep(page, t, t.confirmHeading, t.steps.confirmEmail);
  await expect(page.getByText(t.confirmSentTo(email))).toBeVisible();
  await expect(page.getByText(t.confirmExpires(dateTime('en', activation.expires_at, 'UTC')))).toBeVisible();
  await checkStep(page, 'account-flow-4-confirm-email');

  // The emailed link.
  const link = await mailbox.waitForVerificationLink(email);
  expect(link.startsWith(`${baseURL}/activate/verify?token=`), link).toBe(true);
  const verified = page.waitForResponse((r) => r.url().endsWith('/api/v1/activations/verify'));
  await page.goto(link);
  const verifyResponse = await verified;
  expect(verifyResponse.status()).toBe(200);
  const { xdr } = (await verifyResponse.json()) as { xdr: { region: string; console_url: string } };
  expect(xdr.region).toBe('us');
  expect(xdr.console_url).toMatch(CONSOLE_URL_PATTERN);
  // The token is a credential: the app takes it out of the address bar.
  await expect(page).toHaveURL(`${baseURL}/activate/verify`);

  // 5. The Trend Micro XDR pop-up: a modal dialog with the focus inside, trapped.
  const dialog = page.getByRole('dialog', { name: t.dialogTitle });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  await expect(dialog).toContainText(t.dialogBody(t.regions.us));
  const consoleLink = dialog.getByRole('link', { name: t.openConsole });
  await expect(consoleLink).toBeFocused();
  await expect(consoleLink).toHaveAttribute('href', xdr.console_url);
  await expect(consoleLink).toHaveAttribute('target', '_blank');
  await expect(consoleLink).toHaveAttribute('rel', /noopener/);
  const close = dialog.getByRole('button', { name: t.close });
  await page.keyboard.press('Tab');
  await expect(close).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(consoleLink, 'Tab from the last control wraps to the first').toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(close, 'Shift+Tab from the first control wraps to the last').toBeFocused();
  await expectStep(page, t, t.doneHeading, t.steps.done);
  // The viewport only: the backdrop is fixed, a full-page picture would show it cut.
  await checkStep(page, 'account-flow-5-done-xdr-dialog', { fullPage: false });

  // Esc closes it; the focus stays in the page.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await page.evaluate(() => document.activeElement !== document.body && document.activeElement !== null)).toBe(true);

  // 6. Done: the registered lines, with the activation code of the AC product.
  await expect(page.getByText(t.doneIntro(order.number))).toBeVisible();
  await expect(lineCard(page, cas.product_name)).toBeVisible();
  const a1Done = lineCard(page, a1.product_name);
  await activationCodeOf(a1Done, t);
  const pageConsoleLink = page.getByRole('main').getByRole('link', { name: t.openConsole });
  await expect(pageConsoleLink).toHaveAttribute('href', xdr.console_url);
  await expect(pageConsoleLink).toHaveAttribute('target', '_blank');
  await checkStep(page, 'account-flow-6-done');

  // The partner sees the whole order registered.
  const after = await partner.order(order.number);
  expect(after.lines.map((l) => l.status)).toEqual(['registered', 'registered']);
  expect(errors).toEqual([]);
});

test('a customer closes the XDR pop-up and opens the console later from My products', async ({
  page,
  context,
  request,
  partner,
  mailbox,
  newEmail,
  checkStep,
}) => {
  const order = await partner.createOrder({ lines: [{ sku: 'XDR-CAS' }, { sku: 'A1' }] });
  const email = newEmail();
  await requestActivation(request, baseURL, order.key('XDR-CAS'), { email, password: PASSWORD, full_name: 'Jo Smith' }, 'us');
  const link = await mailbox.waitForVerificationLink(email);

  await page.goto(link);
  const dialog = page.getByRole('dialog', { name: t.dialogTitle });
  await expect(dialog).toBeVisible();
  const consoleUrl = await dialog.getByRole('link', { name: t.openConsole }).getAttribute('href');
  expect(consoleUrl).toMatch(CONSOLE_URL_PATTERN);
  await dialog.getByRole('button', { name: t.close }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole('link', { name: t.goProducts }).click();
  await expect(page).toHaveURL(/\/products$/);
  await expect(page.getByRole('heading', { level: 1, name: t.productsHeading })).toBeVisible();
  // The activation did not sign the customer in: sign in here.
  const signIn = page.getByRole('form', { name: t.signInHeading });
  await signIn.getByRole('textbox', { name: t.loginLabel }).fill(email);
  await signIn.getByLabel(t.passwordLabel).fill(PASSWORD);
  await signIn.getByRole('button', { name: t.signInButton }).click();

  const xdrSection = page.getByRole('region', { name: t.xdrHeading });
  const consoleLink = xdrSection.getByRole('link', { name: t.openConsole });
  await expect(consoleLink).toHaveAttribute('href', consoleUrl!);
  await expect(consoleLink).toHaveAttribute('target', '_blank');
  const casCard = lineCard(page, order.line('XDR-CAS').product_name);
  await expect(casCard.getByText(t.badgeXdrAddon, { exact: true })).toBeVisible();
  const a1Card = lineCard(page, order.line('A1').product_name);
  await expect(a1Card.getByText(t.badgeXdrRelated, { exact: true })).toBeVisible();
  await activationCodeOf(a1Card, t);
  await checkStep(page, 'products-page-with-console');

  // The console opens in a new tab (answered by a stub: the tests stay offline).
  const [consoleTab] = await Promise.all([context.waitForEvent('page'), consoleLink.click()]);
  await consoleTab.waitForLoadState();
  expect(consoleTab.url().replace(/\/$/, '')).toBe(consoleUrl!.replace(/\/$/, ''));
  await consoleTab.close();
});

// Kept for the API-only helpers' sake: verifying through the API completes the same way.
test('an activation completed through the API shows on My products after sign-in', async ({ page, request, partner, mailbox, newEmail }) => {
  const order = await partner.createOrder({ lines: [{ sku: 'XDR-EPS', seats: 10 }] });
  const email = newEmail();
  await requestActivation(request, baseURL, order.key(), { email, password: PASSWORD, full_name: 'Ann Lee' }, 'eu');
  await verifyActivation(request, baseURL, await mailbox.waitForVerificationLink(email));

  const signedIn = await page.request.post('/api/v1/session', { data: { login: email, password: PASSWORD } });
  expect(signedIn.status()).toBe(200);
  await page.goto('/products');
  await expect(page.getByRole('region', { name: t.xdrHeading })).toContainText(t.regions.eu);
  await expect(lineCard(page, order.line('XDR-EPS').product_name).getByText(t.badgeXdrAddon, { exact: true })).toBeVisible();
});
