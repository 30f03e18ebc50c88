// My products for the license lifecycle (issue 16, items 4 and 5): each product's status badge
// (active, expiring with the days left, expired), what needs attention first, filters by status
// and by text (product, order, code), 25 products a page, and the CSV download of them all.
import fs from 'node:fs';

import { isoDate } from '../support/api';
import { expect, test } from '../support/fixtures';
import { checkWidths, plainAccount, registerKey, switchLanguage } from '../support/lifecycle';
import { EN as t } from '../support/texts';
import { EN_LIFECYCLE as l, JA_LIFECYCLE as lja } from '../support/texts-lifecycle';
import { PASSWORD } from '../support/wizard';

test('My products shows statuses, puts what needs attention first, filters and pages', async ({
  page,
  request,
  partner,
  newEmail,
  checkStep,
}) => {
  test.setTimeout(120_000);
  // 30 products: one expired 10 days ago, one expiring in 20 days, 28 active for a year.
  const actives = Array.from({ length: 28 }, () => ({ sku: 'A1', seats: 10 }));
  const order = await partner.createOrder({
    lines: [
      { sku: 'SMEX', seats: 40, term_start: isoDate(-375), term_end: isoDate(-10) },
      { sku: 'IMSVA', seats: 40, term_start: isoDate(-345), term_end: isoDate(20) },
      ...actives,
    ],
  });
  const email = newEmail('products');
  await plainAccount(request, email, 'Pat Products');
  const codes: string[] = [];
  for (const line of order.data.lines) {
    codes.push(await registerKey(request, line.registration_key));
  }
  const [expiredCode, expiringCode] = codes;

  const session = await page.request.post('/api/v1/session', { data: { login: email, password: PASSWORD } });
  expect(session.status(), await session.text()).toBe(200);
  await page.goto('/products');
  await expect(page.getByRole('heading', { level: 1, name: t.productsHeading })).toBeVisible();

  // The first page: 25 cards, the expired one first, then the expiring one with its days left.
  const cards = page.locator('li.card.product');
  await expect(cards).toHaveCount(25);
  await expect(cards.nth(0)).toHaveAttribute('data-status', 'expired');
  await expect(cards.nth(0)).toContainText(expiredCode);
  await expect(cards.nth(0).locator('.status')).toHaveText(l.statusExpired);
  await expect(cards.nth(1)).toHaveAttribute('data-status', 'expiring');
  await expect(cards.nth(1)).toContainText(expiringCode);
  await expect(cards.nth(1).locator('.status')).toHaveText(`${l.statusExpiring} (${l.daysLeft(20)})`);
  await expect(cards.nth(2)).toHaveAttribute('data-status', 'active');
  await expect(cards.nth(2).locator('.status')).toHaveText(l.statusActive);
  const pager = page.getByRole('navigation', { name: l.pagesLabel });
  await expect(pager).toContainText(l.pageOf(1, 2));
  await expect(pager.getByRole('button', { name: l.previousPage })).toBeDisabled();
  await checkWidths(page, checkStep, 'products-1-statuses');

  // The next page holds the last five.
  await pager.getByRole('button', { name: l.nextPage }).click();
  await expect(cards).toHaveCount(5);
  await expect(pager).toContainText(l.pageOf(2, 2));
  await expect(pager.getByRole('button', { name: l.nextPage })).toBeDisabled();
  await pager.getByRole('button', { name: l.previousPage }).click();
  await expect(cards).toHaveCount(25);

  // Filters: by status, by a code typed loosely, by order number, and nothing.
  const status = page.getByRole('combobox', { name: l.statusFilterLabel });
  const search = page.getByRole('searchbox', { name: l.textFilterLabel });
  await status.selectOption('expiring');
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText(expiringCode);
  await expect(pager).toHaveCount(0);
  await status.selectOption('');
  await search.fill(expiredCode.toLowerCase().replace(/-/g, ' '));
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText(expiredCode);
  await search.fill(order.number);
  await expect(cards).toHaveCount(25);
  await status.selectOption('expired');
  await search.fill('no such product');
  await expect(cards).toHaveCount(0);
  await expect(page.getByText(l.noMatch)).toBeVisible();
  await checkWidths(page, checkStep, 'products-2-no-match');
  await search.fill('');
  await status.selectOption('');
  await expect(cards).toHaveCount(25);

  // The same page in Japanese.
  await switchLanguage(page, 'ja');
  await expect(cards.nth(1).locator('.status')).toHaveText(`${lja.statusExpiring} (${lja.daysLeft(20)})`);
  await expect(page.getByRole('navigation', { name: lja.pagesLabel })).toContainText(lja.pageOf(1, 2));
  await checkWidths(page, checkStep, 'ja-products-1-statuses');
  await switchLanguage(page, 'en');
});

test('Download CSV saves every product of the account as a CSV file', async ({ page, request, partner, newEmail, checkStep }) => {
  const order = await partner.createOrder({
    lines: [
      { sku: 'SMEX', seats: 40, term_start: isoDate(-375), term_end: isoDate(-10) },
      { sku: 'IMSVA', seats: 40, term_start: isoDate(-345), term_end: isoDate(20) },
      { sku: 'A1', seats: 10 },
    ],
  });
  const email = newEmail('csv');
  await plainAccount(request, email, 'Cee Esvee');
  const codes: string[] = [];
  for (const line of order.data.lines) {
    codes.push(await registerKey(request, line.registration_key));
  }
  const [expiredCode, expiringCode] = codes;
  const session = await page.request.post('/api/v1/session', { data: { login: email, password: PASSWORD } });
  expect(session.status(), await session.text()).toBe(200);
  await page.goto('/products');
  await expect(page.locator('li.card.product')).toHaveCount(3);
  await checkWidths(page, checkStep, 'products-3-csv');

  // The file: a header and every product, each code once, read back from the download.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: l.downloadCsv }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^my-products-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
  const rows = csv.trim().split(/\r?\n/);
  expect(rows.length, csv.slice(0, 500)).toBe(4);
  expect(rows[0]).toMatch(/status/);
  expect(rows[0]).toMatch(/days_left/);
  for (const code of codes) {
    expect(rows.filter((row) => row.includes(code)), code).toHaveLength(1);
  }
  expect(rows.find((row) => row.includes(expiredCode))!).toContain('expired');
  const expiringRow = rows.find((row) => row.includes(expiringCode))!;
  expect(expiringRow).toContain('expiring');
  expect(expiringRow).toMatch(/(^|,)"?20"?(,|$)/);
});
