// A minimal SMTP server for the tests: it accepts every message (EHLO/HELO, MAIL, RCPT, DATA,
// RSET, NOOP, QUIT; no TLS, no AUTH), keeps the messages in memory and, when given a spool
// directory, also writes each one there as an `.eml` file so that Playwright workers (other
// processes than the one running the server) can read them with `waitForSpooledMail`.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { type Mail, parseMail } from './mime';

export interface SmtpServerOptions {
  /// Where each received message is also written (`<n>-<time>.eml`); none: memory only.
  spoolDir?: string;
  /// Host name announced in the greeting.
  hostname?: string;
}

interface Waiter {
  matches: (mail: Mail) => boolean;
  resolve: (mail: Mail) => void;
}

const CRLF = Buffer.from('\r\n');

export class SmtpServer {
  readonly messages: Mail[] = [];
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private waiters: Waiter[] = [];
  private seq = 0;

  constructor(private readonly options: SmtpServerOptions = {}) {
    if (options.spoolDir) fs.mkdirSync(options.spoolDir, { recursive: true });
  }

  /// Listens on 127.0.0.1:`port` (0: any free port) and returns the port.
  async start(port = 0): Promise<number> {
    const server = net.createServer((socket) => this.session(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return (server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /// The first message (already received or still to come) with `to` among its recipients.
  waitForMail(to: string, options: { timeout?: number; matches?: (mail: Mail) => boolean } = {}): Promise<Mail> {
    const { timeout = 15_000 } = options;
    const matches = (mail: Mail) => isFor(mail, to) && (options.matches?.(mail) ?? true);
    const found = this.messages.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise<Mail>((resolve, reject) => {
      const waiter: Waiter = {
        matches,
        resolve: (mail) => {
          clearTimeout(timer);
          resolve(mail);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no mail to ${to} within ${timeout} ms (received: ${this.messages.map((m) => m.to.join(',')).join('; ') || 'none'})`));
      }, timeout);
      this.waiters.push(waiter);
    });
  }

  private deliver(envelopeFrom: string, recipients: string[], raw: Buffer): void {
    const mail = parseMail(raw.toString('utf8'), recipients, envelopeFrom);
    this.messages.push(mail);
    if (this.options.spoolDir) {
      this.seq += 1;
      const name = `${String(this.seq).padStart(5, '0')}-${Date.now()}`;
      // The envelope goes first as X- headers: the recipients are not always in the headers (Bcc).
      const envelope = `X-Envelope-From: ${envelopeFrom}\r\nX-Envelope-To: ${recipients.join(', ')}\r\n`;
      const tmp = path.join(this.options.spoolDir, `.${name}.tmp`);
      fs.writeFileSync(tmp, Buffer.concat([Buffer.from(envelope), raw]));
      fs.renameSync(tmp, path.join(this.options.spoolDir, `${name}.eml`));
    }
    for (const waiter of [...this.waiters]) {
      if (waiter.matches(mail)) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(mail);
      }
    }
  }

  private session(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const host = this.options.hostname ?? 'clp-e2e.localhost';
    const reply = (line: string) => socket.write(`${line}\r\n`);

    let buffer = Buffer.alloc(0);
    let inData = false;
    let dataLines: Buffer[] = [];
    let from = '';
    let recipients: string[] = [];

    const command = (line: string) => {
      const verb = line.slice(0, 4).toUpperCase();
      const arg = line.slice(4).trim();
      switch (verb) {
        case 'EHLO':
          reply(`250-${host} greets ${arg || 'you'}`);
          reply('250-8BITMIME');
          reply('250 SIZE 10485760');
          break;
        case 'HELO':
          reply(`250 ${host}`);
          break;
        case 'MAIL':
          from = addressOf(arg);
          recipients = [];
          reply('250 OK');
          break;
        case 'RCPT':
          if (!from) {
            reply('503 MAIL first');
            break;
          }
          recipients.push(addressOf(arg));
          reply('250 OK');
          break;
        case 'DATA':
          if (recipients.length === 0) {
            reply('503 RCPT first');
            break;
          }
          inData = true;
          dataLines = [];
          reply('354 End data with <CR><LF>.<CR><LF>');
          break;
        case 'RSET':
          from = '';
          recipients = [];
          reply('250 OK');
          break;
        case 'NOOP':
          reply('250 OK');
          break;
        case 'VRFY':
          reply('252 Cannot VRFY user');
          break;
        case 'QUIT':
          reply('221 Bye');
          socket.end();
          break;
        default:
          reply('502 Command not implemented');
      }
    };

    const dataLine = (line: Buffer) => {
      if (line.length === 1 && line[0] === 0x2e) {
        inData = false;
        const raw = Buffer.concat(dataLines.flatMap((l) => [l, CRLF]));
        try {
          this.deliver(from, recipients, raw);
          reply('250 OK: queued');
        } catch (error) {
          reply(`451 Local error: ${(error as Error).message.replace(/\s+/g, ' ')}`);
        }
        from = '';
        recipients = [];
        return;
      }
      // Dot-stuffing: a line starting with '.' was sent with one more '.'.
      dataLines.push(line[0] === 0x2e ? line.subarray(1) : line);
    };

    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf(CRLF);
        if (end < 0) break;
        const line = buffer.subarray(0, end);
        buffer = buffer.subarray(end + 2);
        if (inData) dataLine(line);
        else command(line.toString('utf8'));
      }
    });
    reply(`220 ${host} ESMTP clp-e2e`);
  }
}

function addressOf(arg: string): string {
  // `FROM:<a@b> SIZE=123` / `TO:<a@b>`
  const angle = /<([^>]*)>/.exec(arg);
  if (angle) return angle[1];
  return arg.replace(/^(FROM|TO):/i, '').trim().split(/\s+/)[0] ?? '';
}

function isFor(mail: Mail, to: string): boolean {
  const wanted = to.toLowerCase();
  return mail.to.some((address) => address.toLowerCase() === wanted);
}

/// Reads the spool directory written by an `SmtpServer` until a message to `to` arrives
/// (polling; for the worker processes of Playwright).
export async function waitForSpooledMail(
  spoolDir: string,
  to: string,
  options: { timeout?: number; matches?: (mail: Mail) => boolean } = {},
): Promise<Mail> {
  const { timeout = 15_000 } = options;
  const deadline = Date.now() + timeout;
  const seen = new Map<string, Mail>();
  for (;;) {
    const names = fs.existsSync(spoolDir) ? fs.readdirSync(spoolDir).filter((n) => n.endsWith('.eml')).sort() : [];
    for (const name of names) {
      let mail = seen.get(name);
      if (!mail) {
        mail = readSpooled(path.join(spoolDir, name));
        seen.set(name, mail);
      }
      if (isFor(mail, to) && (options.matches?.(mail) ?? true)) return mail;
    }
    if (Date.now() > deadline) {
      throw new Error(`no mail to ${to} in ${spoolDir} within ${timeout} ms (${names.length} messages there)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function readSpooled(file: string): Mail {
  const text = fs.readFileSync(file, 'utf8');
  const envelope = /^X-Envelope-From: (.*)\r\nX-Envelope-To: (.*)\r\n/.exec(text);
  if (!envelope) return parseMail(text, [], '');
  const recipients = envelope[2].split(',').map((s) => s.trim()).filter(Boolean);
  return parseMail(text.slice(envelope[0].length), recipients, envelope[1]);
}
