// The account pages (issue 15) in English and Japanese at 360 px and 1280 px: axe-core, no
// overflow or clipped content, a screenshot each (test-results/screenshots/account-*.png);
// the anonymous landing page logs no console error; My account's profile form.
import type { Page, TestInfo } from '@playwright/test';

import { ACCOUNT_TEXTS } from '../support/account-texts';
import { createAccount, signInOnPage } from '../support/accounts';
import { uid } from '../support/api';
import { baseURL } from '../support/env';
import {
  expect,
  expectNoClippedContent,
  expectNoHorizontalOverflow,
  expectNoSeriousA11yViolations,
  saveScreenshot,
  test,
} from '../support/fixtures';
import type { Lang } from '../support/texts';

const WIDTHS = [360, 1280] as const;

async function layout(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    const label = `${name} at ${width} px`;
    await expect.poll(() => page.evaluate(() => window.innerWidth)).toBe(width);
    await expectNoHorizontalOverflow(page, label);
    await expectNoClippedContent(page, label);
    await expectNoSeriousA11yViolations(page, label);
    await saveScreenshot(page, `${name}-${width}px`, testInfo);
  }
}

test('an anonymous page load logs no console error (no 401)', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const session = page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'GET');
  await page.goto('/');
  expect((await session).status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.goto('/account');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(errors).toEqual([]);
  const robots = await page.request.get(`${baseURL}/robots.txt`);
  expect(robots.status()).toBe(200);
  expect(await robots.text()).toContain('User-agent: *');
  await page.goto('/');
  await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', /.{50,}/);
});

for (const lang of ['en', 'ja'] as const satisfies readonly Lang[]) {
  const a = ACCOUNT_TEXTS[lang];

  test.describe(`account pages in ${lang}`, () => {
    test.use({ locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
    // axe-core at both widths on every page: slower than a flow.
    test.slow();

    test(`forgot and reset password pages fit and pass axe (${lang})`, async ({ page }, testInfo) => {
      await page.goto('/signin');
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.getByRole('link', { name: a.forgotPasswordLink })).toBeVisible();
      await layout(page, testInfo, `account-${lang}-sign-in`);
      await page.getByRole('link', { name: a.forgotPasswordLink }).click();
      await expect(page.getByRole('heading', { level: 1, name: a.forgotHeading })).toBeVisible();
      await layout(page, testInfo, `account-${lang}-forgot`);
      await page.getByRole('textbox', { name: a.emailLabel }).fill(`layout.${uid()}@e2e.example`);
      await page.getByRole('button', { name: a.forgotButton }).click();
      await expect(page.getByRole('heading', { level: 2, name: a.forgotSentHeading })).toBeVisible();
      await layout(page, testInfo, `account-${lang}-forgot-sent`);
      await page.goto('/reset-password?token=not-a-real-token');
      await expect(page.getByRole('heading', { level: 1, name: a.resetHeading })).toBeVisible();
      await expect(page.getByLabel(a.newPasswordLabel, { exact: true })).toHaveAccessibleDescription(a.passwordRules);
      await layout(page, testInfo, `account-${lang}-reset`);
      await page.getByLabel(a.newPasswordLabel, { exact: true }).fill('a long enough passphrase');
      await page.getByRole('button', { name: a.resetButton }).click();
      await expect(page.getByRole('alert').filter({ hasText: a.resetExpiredTitle })).toBeVisible();
      await layout(page, testInfo, `account-${lang}-reset-expired`);
    });

    test(`My account fits, passes axe and saves the profile (${lang})`, async ({ page, request, newEmail }, testInfo) => {
      const email = newEmail(`account-${lang}`);
      await createAccount(request, baseURL, email, { fullName: lang === 'ja' ? '山田 花子' : 'Hana Yamada', language: lang });
      await page.goto('/');
      await signInOnPage(page, a, email);
      await expect(page.getByRole('heading', { level: 1, name: a.productsHeading })).toBeVisible();
      await page.goto('/account');
      await expect(page.getByRole('heading', { level: 1, name: a.accountPageHeading })).toBeVisible();
      await expect(page.getByRole('heading', { level: 2, name: a.activityHeading })).toBeVisible();
      await layout(page, testInfo, `account-${lang}-my-account`);

      // Optional fields say so and are not required; the full name is.
      const profile = page.getByRole('form', { name: a.profileHeading });
      const company = profile.getByRole('textbox', { name: a.companyLabel });
      await expect(company).not.toHaveAttribute('required');
      await expect(profile.getByText(a.optionalMark).first()).toBeVisible();
      await expect(profile.getByRole('textbox', { name: a.fullNameLabel, exact: true })).toHaveAttribute('required', '');
      await company.fill(lang === 'ja' ? '株式会社テスト' : 'Test Corp');
      await profile.getByRole('button', { name: a.saveButton }).click();
      await expect(profile.getByText(a.profileSaved)).toBeVisible();
      const me = await page.request.get(`${baseURL}/api/v1/me`);
      expect(((await me.json()) as { company: string }).company).toBe(lang === 'ja' ? '株式会社テスト' : 'Test Corp');

      // Two-step sign-in set-up: the QR code and its key.
      const mfa = page.getByRole('region', { name: a.mfaHeading });
      await mfa.getByRole('button', { name: a.mfaEnrolButton }).click();
      await expect(mfa.getByRole('img', { name: a.mfaQrLabel })).toBeVisible();
      await layout(page, testInfo, `account-${lang}-mfa-enrol`);
    });
  });
}
