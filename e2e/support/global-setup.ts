// Starts the test SMTP server (the clp-server instances send their mail there, see
// playwright.config.ts) and, after the run, stops it, keeps the servers' logs as artifacts in
// test-results/server-logs/ and removes the run's temporary directory (CLP_E2E_KEEP_TMP=1 keeps it).
import fs from 'node:fs';
import path from 'node:path';

import { mailSpoolDir, screenshotDir, smtpPort, tmpDir } from './env';
import { SmtpServer } from './smtp';

export default async function globalSetup(): Promise<() => Promise<void>> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const smtp = new SmtpServer({ spoolDir: mailSpoolDir });
  await smtp.start(smtpPort);
  return async () => {
    await smtp.stop();
    const logs = path.join(__dirname, '..', 'test-results', 'server-logs');
    fs.mkdirSync(logs, { recursive: true });
    for (const name of fs.readdirSync(tmpDir).filter((n) => n.endsWith('.log'))) {
      fs.copyFileSync(path.join(tmpDir, name), path.join(logs, name));
    }
    if (process.env.CLP_E2E_KEEP_TMP !== '1') {
      fs.rmSync(tmpDir, { recursive: true, force: true });
    }
  };
}
