// The account-based flow once in Japanese (issue 9): browser locale ja-JP, the emailed link
// followed, Japanese texts on each step, `<html lang="ja">`, dates as 2026年11月28日.
import { sloppy } from '../support/api';
import { baseURL } from '../support/env';
import { expect, test } from '../support/fixtures';
import { JA as t, dateTime } from '../support/texts';
import { activationCodeOf, enterKey, expectStep, lineCard, signUp, signUpForm } from '../support/wizard';

test.use({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

test('日本語: a Japanese customer activates a Japan-pinned XDR order with the emailed link', async ({
  page,
  partner,
  mailbox,
  newEmail,
  checkStep,
}) => {
  const order = await partner.createOrder({
    company: `株式会社テスト ${Date.now()}`,
    contactName: '山田 太郎',
    country: 'JP',
    lines: [
      { sku: 'XDR-DDI-JP', seats: 5 },
      { sku: 'A1', seats: 1200 },
    ],
  });
  const ddi = order.line('XDR-DDI-JP');
  const a1 = order.line('A1');
  const email = newEmail('yamada');

  // 1. キーの入力: the language follows the browser.
  await page.goto('/FullRegistration?T=TM');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page).toHaveTitle('Open CLP：製品のアクティベーション');
  await expect(page.getByRole('heading', { level: 1, name: t.wizardHeading })).toBeVisible();
  await expect(page.getByRole('combobox', { name: t.languageLabel })).toHaveValue('ja');
  await expect(page.getByRole('navigation', { name: t.stepsLabel }).getByRole('listitem')).toHaveText([
    new RegExp(t.steps.enterKey),
    new RegExp(t.steps.review),
    new RegExp(t.steps.account),
    new RegExp(t.steps.confirmEmail),
    new RegExp(t.steps.done),
  ]);
  await checkStep(page, 'ja-1-enter-key');
  const preview = page.waitForRequest((r) => r.url().endsWith('/api/v1/preview'));
  await enterKey(page, t, sloppy(ddi.registration_key));
  expect((await preview).headers()['accept-language'] ?? '', 'the API is asked in Japanese').toMatch(/^ja/);

  // 2. 注文の確認: Japanese dates, badges, the pinned region.
  await expectStep(page, t, t.reviewHeading, t.steps.review);
  await expect(page.getByText(t.orderNumber(order.number), { exact: true })).toBeVisible();
  const lines = page.getByRole('region', { name: t.linesHeading });
  const ddiCard = lineCard(lines, ddi.product_name);
  await expect(ddiCard.getByText(t.badgeXdrAddon, { exact: true })).toBeVisible();
  await expect(ddiCard).toContainText(t.term(ddi.term_start, ddi.term_end));
  expect(t.term(ddi.term_start, ddi.term_end)).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日～\d{4}年\d{1,2}月\d{1,2}日$/);
  const a1Card = lineCard(lines, a1.product_name);
  await expect(a1Card.getByText(t.badgeXdrRelated, { exact: true })).toBeVisible();
  await expect(a1Card).toContainText('1,200');
  await expect(page.getByText(t.regionPinned(t.regions.jp))).toBeVisible();
  await expect(page.getByRole('combobox', { name: t.regionLabel })).toHaveCount(0);
  await checkStep(page, 'ja-2-review');
  await page.getByRole('button', { name: t.reviewContinue }).click();

  // 3. アカウント
  await expectStep(page, t, t.accountHeading, t.steps.account);
  const form = signUpForm(page, t);
  await expect(form.getByRole('textbox', { name: t.companyLabel })).toHaveValue(order.data.end_customer.company);
  await expect(form.getByRole('textbox', { name: t.countryCodeLabel })).toHaveValue('JP');
  await checkStep(page, 'ja-3-account');
  const accepted = page.waitForResponse((r) => r.url().endsWith('/api/v1/activations') && r.request().method() === 'POST');
  await signUp(page, t, { email, fullName: '山田 太郎' });
  const { expires_at } = (await (await accepted).json()) as { expires_at: string };

  // 4. メールの確認: the expiry in Japanese, in the browser's time zone (UTC+09:00).
  await expectStep(page, t, t.confirmHeading, t.steps.confirmEmail);
  await expect(page.getByText(t.confirmSentTo(email))).toBeVisible();
  const expiry = t.confirmExpires(dateTime('ja', expires_at, 'Asia/Tokyo'));
  expect(expiry).toMatch(/^リンクの有効期限：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（UTC\+09:00）$/);
  await expect(page.getByText(expiry)).toBeVisible();
  await checkStep(page, 'ja-4-confirm-email');

  // The email, in the account's language (set at sign-up from the app's language).
  const mail = await mailbox.waitForMail(email);
  expect.soft(mail.subject, 'the verification email is in Japanese').toMatch(JAPANESE);
  expect.soft(mail.text, 'the verification email is in Japanese').toMatch(JAPANESE);
  const link = await mailbox.waitForVerificationLink(email);
  expect(link.startsWith(`${baseURL}/activate/verify?token=`), link).toBe(true);

  // 5. 完了: the pop-up in Japanese, the Japanese console; 閉じる closes it.
  await page.goto(link);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByRole('heading', { level: 1, name: t.verifyHeading })).toBeVisible();
  const dialog = page.getByRole('dialog', { name: t.dialogTitle });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(t.dialogBody(t.regions.jp));
  const consoleLink = dialog.getByRole('link', { name: t.openConsole });
  await expect(consoleLink).toBeFocused();
  await expect(consoleLink).toHaveAttribute('href', /^https:\/\/portal\.xdr\.trendmicro\.co\.jp\/?$/);
  await expect(consoleLink).toHaveAttribute('target', '_blank');
  await checkStep(page, 'ja-5-done-xdr-dialog', { fullPage: false });
  await dialog.getByRole('button', { name: t.close }).click();
  await expect(dialog).toBeHidden();

  await expectStep(page, t, t.doneHeading, t.steps.done);
  await expect(page.getByText(t.doneIntro(order.number))).toBeVisible();
  const a1Done = lineCard(page, a1.product_name);
  await activationCodeOf(a1Done, t);
  await expect(a1Done).toContainText(t.term(a1.term_start, a1.term_end));
  await expect(page.getByRole('link', { name: t.goProducts })).toBeVisible();
  await checkStep(page, 'ja-6-done');
});

test('日本語: the language switch changes the page to English and remembers it', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await page.getByRole('combobox', { name: t.languageLabel }).selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Activate your products' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Activate your products' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
