// Playwright drives Debian's Chromium (/usr/bin/chromium, installed by `make tools-chromium`)
// against the real server, target/debug/clp-server, with throwaway SQLite databases.
// Browsers are never downloaded: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 and no `playwright install`.
//
// Two servers run: the main one, and one whose verification links expire after a few seconds
// (tests/expired-link.spec.ts). Both send their mail by SMTP to the test SMTP server that
// support/global-setup.ts starts (support/smtp.ts); the tests read it with the `mailbox` fixture.
// Each server gets the partner of CLP_PARTNER_BOOTSTRAP, with which the tests create their orders.
//
// CLP_E2E_BASE_URL=http://host:port runs the tests against a server that is already running
// instead of starting one (see support/env.ts for what it needs).
import fs from 'node:fs';
import path from 'node:path';

import { defineConfig, devices } from '@playwright/test';

import {
  baseURL,
  externalBaseURL,
  partnerClientId,
  partnerClientSecret,
  port,
  shortTtl,
  shortTtlPort,
  smtpPort,
  tmpDir,
} from './support/env';

// The servers serve a copy of the built SPA taken when the run starts, so a rebuild of
// frontend/dist during the run (`make frontend` empties it first) cannot break a test.
const staticDir = path.join(tmpDir, 'dist');
if (!externalBaseURL && !fs.existsSync(staticDir)) {
  const built = path.join(__dirname, '..', 'frontend', 'dist');
  if (!fs.existsSync(path.join(built, 'index.html')) || !fs.readdirSync(built).some((name) => /^clp_frontend_bg\.[0-9a-f]{16}\.wasm$/.test(name))) {
    throw new Error(`${built} has no built app: run \`make frontend\` (or \`make e2e\`) first`);
  }
  fs.cpSync(built, staticDir, { recursive: true });
}

function server(name: string, serverPort: number, extraEnv: Record<string, string> = {}) {
  const url = `http://127.0.0.1:${serverPort}`;
  const dir = path.join(tmpDir, name);
  fs.mkdirSync(dir, { recursive: true });
  return {
    // The server's log goes to a file (JSON lines), kept with the databases for debugging.
    command: `../target/debug/clp-server serve >> ${JSON.stringify(`${dir}.log`)} 2>&1`,
    url: `${url}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      CLP_BIND: `127.0.0.1:${serverPort}`,
      CLP_PUBLIC_URL: url,
      CLP_DATABASE_URL: `sqlite://${dir}.db?mode=rwc`,
      CLP_DATA_DIR: dir,
      CLP_OUTBOX_DIR: path.join(dir, 'outbox'),
      CLP_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      CLP_STATIC_DIR: staticDir,
      CLP_RATE_LIMIT_PER_MIN: '0',
      CLP_PARTNER_BOOTSTRAP: `${partnerClientId}:${partnerClientSecret}`,
      CLP_LOG_FORMAT: 'json',
      ...extraEnv,
    },
  };
}

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  globalSetup: './support/global-setup.ts',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  // Two cores: the servers, Chromium and the test runner share them.
  workers: 2,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: './playwright-report' }]],
  use: {
    baseURL,
    locale: 'en-US',
    timezoneId: 'UTC',
    // A screenshot at the end of every test stays in e2e/test-results/ as a CI artifact; the
    // screenshots of each wizard step are in e2e/test-results/screenshots/.
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
  webServer: externalBaseURL
    ? undefined
    : [server('main', port), server('short-ttl', shortTtlPort, { CLP_VERIFICATION_TTL: shortTtl })],
});
