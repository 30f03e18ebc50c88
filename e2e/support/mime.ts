// Just enough MIME to read the emails of Open CLP: headers (with RFC 2047 encoded words),
// multipart bodies, quoted-printable and base64 transfer encodings, UTF-8 text.

export interface Mail {
  /// Envelope sender (MAIL FROM).
  from: string;
  /// Envelope recipients (RCPT TO); the `To` header's addresses when no envelope is known.
  to: string[];
  /// Decoded `Subject`.
  subject: string;
  /// Every header, names in lower case, values unfolded and decoded.
  headers: Record<string, string>;
  /// The decoded text/plain parts, joined.
  text: string;
  /// The decoded text/html parts, joined.
  html: string;
  /// The message as received.
  raw: string;
}

interface Part {
  headers: Record<string, string>;
  body: string;
}

export function parseMail(raw: string, recipients: string[], envelopeFrom: string): Mail {
  const top = splitPart(raw);
  const texts: string[] = [];
  const htmls: string[] = [];
  collect(top, texts, htmls);
  const headers = Object.fromEntries(Object.entries(top.headers).map(([k, v]) => [k, decodeWords(v)]));
  const to = recipients.length > 0 ? recipients : addresses(headers.to ?? '');
  return {
    from: envelopeFrom,
    to,
    subject: headers.subject ?? '',
    headers,
    text: texts.join('\n'),
    html: htmls.join('\n'),
    raw,
  };
}

function splitPart(raw: string): Part {
  const normalized = raw.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  const head = end < 0 ? normalized : normalized.slice(0, end);
  const body = end < 0 ? '' : normalized.slice(end + 2);
  const headers: Record<string, string> = {};
  let last = '';
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line) && last) {
      headers[last] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    headers[last] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function param(headerValue: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(headerValue);
  return match ? (match[1] ?? match[2]) : undefined;
}

function collect(part: Part, texts: string[], htmls: string[]): void {
  const type = part.headers['content-type'] ?? 'text/plain';
  const mediaType = type.split(';')[0].trim().toLowerCase();
  if (mediaType.startsWith('multipart/')) {
    const boundary = param(type, 'boundary');
    if (!boundary) return;
    const delimiter = `--${boundary}`;
    const chunks = part.body.split('\n');
    let current: string[] | undefined;
    for (const line of chunks) {
      if (line.startsWith(`${delimiter}--`)) {
        if (current) collect(splitPart(current.join('\n')), texts, htmls);
        current = undefined;
        break;
      }
      if (line.startsWith(delimiter)) {
        if (current) collect(splitPart(current.join('\n')), texts, htmls);
        current = [];
        continue;
      }
      current?.push(line);
    }
    if (current) collect(splitPart(current.join('\n')), texts, htmls);
    return;
  }
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').trim().toLowerCase();
  const charset = (param(type, 'charset') ?? 'utf-8').toLowerCase();
  const bytes = decodeBody(part.body, encoding);
  const text = new TextDecoder(charset === 'us-ascii' ? 'utf-8' : charset).decode(bytes);
  if (mediaType === 'text/html') htmls.push(text);
  else if (mediaType === 'text/plain') texts.push(text);
}

function decodeBody(body: string, encoding: string): Uint8Array {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return Buffer.from(body, 'utf8');
}

/// RFC 2045 quoted-printable: `=XX` bytes and `=` soft line breaks.
export function decodeQuotedPrintable(body: string): Uint8Array {
  const joined = body.replace(/[ \t]+$/gm, '').replace(/=\r?\n/g, '');
  const out: number[] = [];
  const utf8 = Buffer.from(joined, 'utf8');
  for (let i = 0; i < utf8.length; i++) {
    const byte = utf8[i];
    if (byte === 0x3d /* = */ && i + 2 < utf8.length) {
      const hex = String.fromCharCode(utf8[i + 1], utf8[i + 2]);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
    }
    out.push(byte);
  }
  return Uint8Array.from(out);
}

/// RFC 2047 encoded words: `=?utf-8?B?...?=` and `=?utf-8?Q?...?=` (adjacent words join).
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, charset: string, kind: string, text: string) => {
      const bytes =
        kind.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : decodeQuotedPrintable(text.replace(/_/g, ' '));
      return new TextDecoder(charset.toLowerCase()).decode(bytes);
    });
}

function addresses(list: string): string[] {
  const found = list.match(/[^\s<>,"]+@[^\s<>,"]+/g);
  return found ?? [];
}

/// The verification link of an email (`.../activate/verify?token=...`), from the text part or
/// else from the HTML part.
export function verificationLink(mail: Mail): string {
  return linkIn(mail, /https?:\/\/[^\s"'<>]+\/activate\/verify\?token=[A-Za-z0-9_\-.~%]+/, 'verification link');
}

/// The email verification link of a sign-up email (`.../verify-email?token=...`), from the text
/// part or else from the HTML part.
export function emailVerificationLink(mail: Mail): string {
  return linkIn(mail, /https?:\/\/[^\s"'<>]+\/verify-email\?token=[A-Za-z0-9_\-.~%]+/, 'email verification link');
}

function linkIn(mail: Mail, pattern: RegExp, what: string): string {
  const fromText = pattern.exec(mail.text);
  if (fromText) return fromText[0];
  const fromHtml = pattern.exec(mail.html.replace(/&amp;/g, '&'));
  if (fromHtml) return fromHtml[0];
  throw new Error(`no ${what} in the email "${mail.subject}" to ${mail.to.join(', ')}:\n${mail.text || mail.html}`);
}
