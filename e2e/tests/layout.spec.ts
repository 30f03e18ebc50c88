// Layout of every wizard step in English and Japanese at 360 px (phone) and 1280 px (desktop):
// nothing wider than the viewport, nothing cut off; a screenshot of each kept in
// test-results/screenshots/layout-<lang>-<step>-<width>px.png (issue 9).
import type { Page, TestInfo } from '@playwright/test';

import { sloppy, uid } from '../support/api';
import {
  expect,
  expectNoClippedContent,
  expectNoHorizontalOverflow,
  expectNoSeriousA11yViolations,
  saveScreenshot,
  test,
} from '../support/fixtures';
import { type Lang, TEXTS } from '../support/texts';
import { PASSWORD, enterKey, expectStep, fillLegacyForm, legacyForm, signUp } from '../support/wizard';

const WIDTHS = [360, 1280] as const;
const HEIGHT = 800;

/// Both widths: no overflow, no clipping, a screenshot each; axe-core once at the phone width.
async function layout(page: Page, testInfo: TestInfo, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: HEIGHT });
    const label = `${name} at ${width} px`;
    await expect.poll(() => page.evaluate(() => window.innerWidth)).toBe(width);
    await expectNoHorizontalOverflow(page, label);
    await expectNoClippedContent(page, label);
    if (width === 360) await expectNoSeriousA11yViolations(page, label);
    await saveScreenshot(page, `${name}-${width}px`, testInfo, options.fullPage ?? true);
  }
}

for (const lang of ['en', 'ja'] as const satisfies readonly Lang[]) {
  const t = TEXTS[lang];

  test.describe(`layout in ${lang}`, () => {
    test.use({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', timezoneId: lang === 'ja' ? 'Asia/Tokyo' : 'UTC' });
    test.slow();

    test(`account-based wizard steps fit 360 px and 1280 px (${lang})`, async ({ page, partner, mailbox }, testInfo) => {
      const order = await partner.createOrder({
        // Long names and many lines: the worst case for narrow screens.
        company: lang === 'ja' ? `トレンドマイクロ・テスト・ホールディングス株式会社 ${uid()}` : `International Business Licensing Corporation ${uid()}`,
        contactEmail: `very.long.contact.name.for.layout@subsidiary-${uid()}.example`,
        country: lang === 'ja' ? 'JP' : 'US',
        lines: [{ sku: 'XDR-DDI' }, { sku: 'XDR-CAS' }, { sku: 'A1SAAS', seats: 12000 }, { sku: 'CUP', components: [{ sku: 'A1' }, { sku: 'SMEX' }, { sku: 'IMSVA' }, { sku: 'IWSVA' }] }],
      });
      const email = `a.rather.long.mailbox.name.${uid()}@layout-testing-department.e2e.example`;
      const step = (n: number, s: string) => `layout-${lang}-${n}-${s}`;

      await page.goto('/FullRegistration?T=TM');
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expectStep(page, t, t.enterKeyHeading, t.steps.enterKey);
      await layout(page, testInfo, step(1, 'enter-key'));

      // The longest key message.
      await page.getByRole('textbox', { name: t.keyLabel }).fill(`${order.key().slice(0, -1)}${(Number(order.key().at(-1)) + 1) % 10}`);
      await page.getByRole('button', { name: t.keySubmit }).click();
      await expect(page.getByRole('alert').filter({ hasText: t.keyCheckFailed })).toBeVisible();
      await layout(page, testInfo, step(1, 'enter-key-mistyped'));
      await page.getByRole('textbox', { name: t.keyLabel }).clear();

      await enterKey(page, t, sloppy(order.key('XDR-DDI')));
      await expectStep(page, t, t.reviewHeading, t.steps.review);
      await layout(page, testInfo, step(2, 'review'));
      await page.getByRole('button', { name: t.reviewContinue }).click();

      await expectStep(page, t, t.accountHeading, t.steps.account);
      await layout(page, testInfo, step(3, 'account'));
      await signUp(page, t, { email, fullName: lang === 'ja' ? '長谷川 慎太郎' : 'Maximilian Alexander Worthington-Smythe', password: PASSWORD });

      await expectStep(page, t, t.confirmHeading, t.steps.confirmEmail);
      await layout(page, testInfo, step(4, 'confirm-email'));

      await page.goto(await mailbox.waitForVerificationLink(email));
      const dialog = page.getByRole('dialog', { name: t.dialogTitle });
      await expect(dialog).toBeVisible();
      await layout(page, testInfo, step(5, 'done-xdr-dialog'), { fullPage: false });
      await dialog.getByRole('button', { name: t.close }).click();
      await expect(dialog).toBeHidden();
      await expectStep(page, t, t.doneHeading, t.steps.done);
      await layout(page, testInfo, step(6, 'done'));
    });

    test(`legacy wizard steps fit 360 px and 1280 px (${lang})`, async ({ page, partner }, testInfo) => {
      const order = await partner.createOrder({ country: lang === 'ja' ? 'JP' : 'US', lines: [{ sku: 'IWSVA', seats: 3500 }] });
      const step = (n: number, s: string) => `layout-${lang}-legacy-${n}-${s}`;

      await page.goto('/');
      await enterKey(page, t, order.key());
      await expectStep(page, t, t.reviewHeading, t.steps.review);
      await layout(page, testInfo, step(2, 'review'));
      await page.getByRole('button', { name: t.reviewContinue }).click();

      await expectStep(page, t, t.legacyAccountHeading, t.steps.account);
      await layout(page, testInfo, step(3, 'account-long-form'));

      await fillLegacyForm(page, t, {
        loginId: `layout-${uid()}`,
        email: `legacy.${uid()}@e2e.example`,
        contactName: lang === 'ja' ? '山田 太郎' : 'Taro Yamada',
        company: lang === 'ja' ? 'レイアウト検証株式会社' : 'Layout Testing KK',
        address: lang === 'ja' ? '西新宿1-2-3' : '1-2-3 Nishi-Shinjuku',
        city: lang === 'ja' ? '新宿区' : 'Shinjuku-ku',
        state: lang === 'ja' ? '東京都' : 'Tokyo',
        postalCode: '160-0023',
        countryCode: 'JP',
        phone: '+81 3 5555 0100',
      });
      await legacyForm(page, t).getByRole('button', { name: t.legacyRegisterButton }).click();
      await expectStep(page, t, t.legacyDoneHeading, t.steps.done);
      await layout(page, testInfo, step(4, 'done'));
    });
  });
}
