// Settings shared by the config, the global setup and the tests. The config is evaluated in the
// runner and again in every worker; values decided once (the temporary directory) travel in
// environment variables, which the workers inherit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

process.env.CLP_E2E_TMP ??= fs.mkdtempSync(path.join(os.tmpdir(), 'clp-e2e-'));

/// Throwaway directory of this run: databases, JWT secrets, the mail spool.
export const tmpDir = process.env.CLP_E2E_TMP;

/// The server most tests use.
export const port = Number(process.env.CLP_E2E_PORT ?? 18080);
/// A second server whose verification links expire after `shortTtl` (the expired-link test).
export const shortTtlPort = Number(process.env.CLP_E2E_SHORT_TTL_PORT ?? port + 2);
/// The test SMTP server (started by global-setup.ts); both servers send their mail there.
export const smtpPort = Number(process.env.CLP_E2E_SMTP_PORT ?? 18025);

/// Set: test an already running server instead of starting one (it must send its mail to
/// smtp://127.0.0.1:<smtpPort> and know the partner below).
export const externalBaseURL = process.env.CLP_E2E_BASE_URL;
export const baseURL = externalBaseURL ?? `http://127.0.0.1:${port}`;
/// The short-TTL server; with an external server, only when CLP_E2E_SHORT_TTL_BASE_URL is set.
export const shortTtlBaseURL = externalBaseURL
  ? process.env.CLP_E2E_SHORT_TTL_BASE_URL
  : `http://127.0.0.1:${shortTtlPort}`;
export const shortTtl = '6s';

/// Received mail, one `.eml` file per message (see support/smtp.ts).
export const mailSpoolDir = path.join(tmpDir, 'mail');

/// The partner created at start by CLP_PARTNER_BOOTSTRAP.
export const partnerClientId = process.env.CLP_E2E_PARTNER_ID ?? 'e2e-partner';
export const partnerClientSecret = process.env.CLP_E2E_PARTNER_SECRET ?? 'e2e-partner-secret-0123456789';

/// Screenshots of the wizard steps, kept after the run (Playwright does not clean this folder
/// during the run; it lives in test-results/ so CI uploads it with the other artifacts).
export const screenshotDir = path.join(__dirname, '..', 'test-results', 'screenshots');
