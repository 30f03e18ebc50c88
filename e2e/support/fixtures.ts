// The `test` of every spec: Playwright's, plus
// - `partner`: the partner API with a fresh token (orders are created in each test),
// - `mailbox`: the mail the servers sent to the test SMTP server,
// - `newEmail`: a unique address for a new account,
// - `checkStep`: axe-core (no serious or critical violation) and a kept screenshot of a step,
// - the Trend Micro XDR consoles answered by a stub page (the tests never leave the machine).
import fs from 'node:fs';
import path from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import { type Page, type TestInfo, test as base, expect } from '@playwright/test';

import { PartnerApi, uid } from './api';
import { baseURL, mailSpoolDir, screenshotDir } from './env';
import { type Mail, verificationLink } from './mime';
import { waitForSpooledMail } from './smtp';

export { expect };

export interface Mailbox {
  /// The first message to `to` (waits for it).
  waitForMail(to: string, options?: { timeout?: number; subject?: RegExp }): Promise<Mail>;
  /// The verification link of the first message to `to` that has one (other than `not`).
  waitForVerificationLink(to: string, options?: { not?: string }): Promise<string>;
}

export interface StepCheck {
  (page: Page, name: string, options?: { axe?: boolean; fullPage?: boolean }): Promise<void>;
}

/// The console URLs the server hands out by default (config.rs `XdrConsoleUrls::DEFAULTS`).
export const CONSOLE_URL_PATTERN = /^https:\/\/portal\.([a-z]+\.)?xdr\.trendmicro\.(com|co\.jp)\/?/;

interface Fixtures {
  partner: PartnerApi;
  mailbox: Mailbox;
  newEmail: (label?: string) => string;
  checkStep: StepCheck;
}

export const test = base.extend<Fixtures>({
  context: async ({ context }, use) => {
    await context.route(CONSOLE_URL_PATTERN, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: '<!doctype html><html lang="en"><title>Trend Micro XDR console (test stub)</title><h1>Trend Micro XDR</h1></html>',
      }),
    );
    await use(context);
  },

  partner: async ({ request }, use) => {
    await use(await PartnerApi.connect(request, baseURL));
  },

  mailbox: async ({}, use) => {
    await use({
      waitForMail: (to, options = {}) =>
        waitForSpooledMail(mailSpoolDir, to, {
          timeout: options.timeout,
          matches: options.subject ? (mail) => options.subject!.test(mail.subject) : undefined,
        }),
      waitForVerificationLink: async (to, options = {}) =>
        verificationLink(
          await waitForSpooledMail(mailSpoolDir, to, {
            matches: (mail) => {
              if (!/activate\/verify\?token=/.test(mail.text + mail.html)) return false;
              return !options.not || verificationLink(mail) !== options.not;
            },
          }),
        ),
    });
  },

  newEmail: async ({}, use) => {
    await use((label = 'customer') => `${label}.${uid()}@e2e.example`);
  },

  checkStep: async ({}, use, testInfo) => {
    await use((page, name, options = {}) => checkStep(page, name, testInfo, options));
  },
});

/// Fails on serious or critical axe-core violations; saves and attaches a screenshot.
export async function checkStep(
  page: Page,
  name: string,
  testInfo: TestInfo,
  options: { axe?: boolean; fullPage?: boolean } = {},
): Promise<void> {
  if (options.axe ?? true) {
    await expectNoSeriousA11yViolations(page, name);
  }
  await saveScreenshot(page, name, testInfo, options.fullPage ?? true);
}

export async function expectNoSeriousA11yViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.replace(/\n/g, ' ')}`).join('\n')}`);
  expect(serious, `axe-core on "${label}"`).toEqual([]);
}

/// A screenshot in test-results/screenshots/<name>.png (kept after the run) and in the report.
export async function saveScreenshot(page: Page, name: string, testInfo: TestInfo, fullPage = true): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  // Caret and animations off: the same state gives the same picture.
  const body = await page.screenshot({ path: file, fullPage, animations: 'disabled', caret: 'hide' });
  await testInfo.attach(name, { body, contentType: 'image/png' });
  return file;
}

/// The document is not wider than the viewport (nothing cut off or scrolled sideways).
export async function expectNoHorizontalOverflow(page: Page, label: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `horizontal overflow on "${label}" (scrollWidth ${scrollWidth} > innerWidth ${innerWidth})`).toBeLessThanOrEqual(innerWidth);
}

/// Records the URLs of the requests the page makes (for "no request was made" checks).
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}

/// No element cuts its content off sideways (overflow hidden or clip with content wider than
/// the box); screen-reader-only elements (1 px wide) are left out.
export async function expectNoClippedContent(page: Page, label: string): Promise<void> {
  const clipped = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((el) => {
        const style = getComputedStyle(el);
        // Form controls scroll their own value; screen-reader-only text is 1 px wide on purpose.
        if (el.matches('input, textarea, select')) return false;
        if (el.clientWidth <= 1 || style.display === 'none' || style.visibility === 'hidden') return false;
        if (style.overflowX !== 'hidden' && style.overflowX !== 'clip') return false;
        return el.scrollWidth > el.clientWidth + 1;
      })
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> ${el.scrollWidth}>${el.clientWidth}: ${(el.textContent ?? '').trim().slice(0, 60)}`),
  );
  expect(clipped, `content cut off on "${label}"`).toEqual([]);
}
