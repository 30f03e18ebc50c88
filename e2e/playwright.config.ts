// Playwright drives Debian's Chromium (/usr/bin/chromium, installed by `make tools-chromium`)
// against the real server, target/debug/clp-server, with a throwaway SQLite database.
// Browsers are never downloaded: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 and no `playwright install`.
//
// CLP_E2E_BASE_URL=http://host:port runs the tests against a server that is already running
// instead of starting one.
import { defineConfig, devices } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const port = Number(process.env.CLP_E2E_PORT ?? 18080);
const external = process.env.CLP_E2E_BASE_URL;
const baseURL = external ?? `http://127.0.0.1:${port}`;

// The config is evaluated again in every worker; the env var makes them share one directory.
process.env.CLP_E2E_TMP ??= fs.mkdtempSync(path.join(os.tmpdir(), 'clp-e2e-'));
const tmp = process.env.CLP_E2E_TMP;

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  // Two cores: the server, Chromium and the test runner share them.
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: './playwright-report' }]],
  use: {
    baseURL,
    // Screenshots of every test stay in e2e/test-results/ as CI artifacts.
    screenshot: 'on',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-dev-shm-usage',
            '--disable-background-networking',
            '--disable-component-update',
            '--no-first-run',
            '--disable-sync',
            '--disable-quic',
          ],
        },
      },
    },
  ],
  webServer: external
    ? undefined
    : {
        command: '../target/debug/clp-server serve',
        url: `${baseURL}/healthz`,
        reuseExistingServer: false,
        timeout: 120_000,
        stdout: 'pipe',
        stderr: 'pipe',
        env: {
          CLP_BIND: `127.0.0.1:${port}`,
          CLP_PUBLIC_URL: baseURL,
          CLP_DATABASE_URL: `sqlite://${tmp}/e2e.db?mode=rwc`,
          CLP_DATA_DIR: tmp,
          CLP_OUTBOX_DIR: path.join(tmp, 'outbox'),
          CLP_STATIC_DIR: '../frontend/dist',
          CLP_RATE_LIMIT_PER_MIN: '0',
          CLP_LOG_FORMAT: 'json',
        },
      },
});
