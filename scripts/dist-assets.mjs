#!/usr/bin/env node
// Finishes frontend/dist for the wire (run by `make frontend` after wasm-opt):
//
// 1. Content-hashed names: clp_frontend_bg.wasm, clp_frontend.js, style.css and boot.js become
//    `<stem>.<hash>.<ext>` (16 hex digits of their SHA-256), and the references to them in boot.js
//    and index.html are rewritten, so the server may let browsers keep them for a year
//    (`Cache-Control: immutable`) while index.html revalidates.
// 2. index.html asks for the wasm module as early as the HTML is parsed (`<link rel="preload">`),
//    in parallel with the JS glue, instead of after boot.js and the glue ran.
// 3. Build-time brotli (quality 11) and gzip (level 9) copies, `<file>.br` and `<file>.gz`, of every
//    text or wasm file, kept only when smaller: the server picks one by Accept-Encoding and never
//    compresses on the fly.
//
// Usage: node scripts/dist-assets.mjs frontend/dist
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dist = process.argv[2];
if (!dist || !fs.existsSync(path.join(dist, 'index.html'))) {
  console.error('usage: dist-assets.mjs DIST (a directory holding index.html)');
  process.exit(2);
}

const read = (name) => fs.readFileSync(path.join(dist, name));
const hashOf = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** Renames `name` to `<stem>.<hash>.<ext>` after `rewrite` (if any) changed its text; returns the new name. */
function hashName(name, rewrite = (text) => text) {
  const original = read(name);
  const bytes = rewrite === null ? original : Buffer.from(rewrite(original.toString('utf8')));
  const ext = path.extname(name);
  const hashed = `${path.basename(name, ext)}.${hashOf(bytes)}${ext}`;
  fs.writeFileSync(path.join(dist, hashed), bytes);
  fs.rmSync(path.join(dist, name));
  return hashed;
}

/** Replaces every occurrence of each key of `names` (an absolute path `/<name>`) by its hashed name. */
function replaceNames(text, names) {
  let out = text;
  for (const [from, to] of Object.entries(names)) {
    if (!out.includes(`/${from}`)) {
      console.error(`dist-assets: /${from} is not referenced where it should be`);
      process.exit(1);
    }
    out = out.split(`/${from}`).join(`/${to}`);
  }
  return out;
}

const wasm = hashName('clp_frontend_bg.wasm', null);
const glue = hashName('clp_frontend.js', null);
const css = hashName('style.css', null);
const boot = hashName('boot.js', (text) => replaceNames(text, { 'clp_frontend_bg.wasm': wasm, 'clp_frontend.js': glue }));

let index = replaceNames(read('index.html').toString('utf8'), {
  'style.css': css,
  'clp_frontend.js': glue,
  'boot.js': boot,
});
const preload = `<link rel="preload" href="/${wasm}" as="fetch" type="application/wasm" crossorigin>`;
index = index.replace('</head>', `  ${preload}\n</head>`);
fs.writeFileSync(path.join(dist, 'index.html'), index);

const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.wasm', '.txt', '.svg', '.json', '.xml', '.webmanifest']);
for (const name of fs.readdirSync(dist)) {
  if (!COMPRESSIBLE.has(path.extname(name))) continue;
  const bytes = read(name);
  const variants = {
    br: zlib.brotliCompressSync(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        [zlib.constants.BROTLI_PARAM_MODE]: path.extname(name) === '.wasm'
          ? zlib.constants.BROTLI_MODE_GENERIC
          : zlib.constants.BROTLI_MODE_TEXT,
      },
    }),
    gz: zlib.gzipSync(bytes, { level: 9 }),
  };
  for (const [ext, compressed] of Object.entries(variants)) {
    if (compressed.length < bytes.length) fs.writeFileSync(path.join(dist, `${name}.${ext}`), compressed);
  }
}

const size = (name) => fs.existsSync(path.join(dist, name)) ? fs.statSync(path.join(dist, name)).size : 0;
console.log(
  `frontend: ${dist}/${wasm} ${size(wasm)} bytes raw, ${size(`${wasm}.gz`)} gzip, ${size(`${wasm}.br`)} brotli`,
);
