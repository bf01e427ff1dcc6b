// xlsx.mjs - reading the workbooks the export endpoints answer with
// (src/base/xlsx.c), with nothing but node: a stored-ZIP reader written from
// PKWARE's APPNOTE (4.3.7 local file header, 4.3.12 central directory, 4.3.16
// end of central directory record) with its own CRC-32, and a reader of the
// SpreadsheetML the writer makes (inline strings and integers, ECMA-376 Part 1
// 18.3.1). Anything else in the archive (compression, ZIP64, a data
// descriptor) is refused: the writer never makes it.
import assert from 'node:assert/strict';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let k = 0; k < 256; k++) {
    let c = k;
    for (let j = 0; j < 8; j++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
    t[k] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, as ZIP uses it) of a Uint8Array. */
export function crc32(bytes) {
  let c = 0xFFFFFFFF;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xFF] ^ (c >>> 8);
  return (c ^ 0xFFFFFFFF) >>> 0;
}

/**
 * The entries of a ZIP of stored entries: Map name → Buffer, in directory order.
 * Checks the end record, each central entry against its local header, the
 * sizes and the CRC-32.
 */
export function readZip(buf) {
  const b = Buffer.from(buf);
  assert.ok(b.length >= 22, 'a ZIP has an end record');
  const end = b.length - 22; // the writer adds no comment
  assert.equal(b.readUInt32LE(end), 0x06054b50, 'end of central directory signature');
  const count = b.readUInt16LE(end + 10);
  assert.equal(b.readUInt16LE(end + 8), count, 'one disk');
  const cdSize = b.readUInt32LE(end + 12);
  const cdOff = b.readUInt32LE(end + 16);
  assert.equal(cdOff + cdSize, end, 'the directory ends at the end record');
  const out = new Map();
  let p = cdOff;
  for (let i = 0; i < count; i++) {
    assert.equal(b.readUInt32LE(p), 0x02014b50, `central directory header ${i}`);
    const flags = b.readUInt16LE(p + 8);
    const method = b.readUInt16LE(p + 10);
    const crc = b.readUInt32LE(p + 16);
    const csize = b.readUInt32LE(p + 20);
    const usize = b.readUInt32LE(p + 24);
    const nlen = b.readUInt16LE(p + 28);
    const elen = b.readUInt16LE(p + 30);
    const clen = b.readUInt16LE(p + 32);
    const loff = b.readUInt32LE(p + 42);
    const name = b.toString('latin1', p + 46, p + 46 + nlen);
    assert.equal(method, 0, `${name}: stored`);
    assert.equal(flags & 0x0008, 0, `${name}: no data descriptor`);
    assert.equal(csize, usize, `${name}: stored sizes agree`);
    assert.equal(b.readUInt32LE(loff), 0x04034b50, `${name}: local header`);
    assert.equal(b.readUInt32LE(loff + 14), crc, `${name}: local CRC`);
    assert.equal(b.readUInt32LE(loff + 18), csize, `${name}: local size`);
    assert.equal(b.toString('latin1', loff + 30, loff + 30 + b.readUInt16LE(loff + 26)), name, `${name}: local name`);
    const data = loff + 30 + b.readUInt16LE(loff + 26) + b.readUInt16LE(loff + 28);
    const bytes = b.subarray(data, data + usize);
    assert.ok(data + usize <= cdOff, `${name}: inside the archive`);
    assert.equal(crc32(bytes), crc, `${name}: CRC-32`);
    assert.ok(!out.has(name), `${name} twice`);
    out.set(name, bytes);
    p += 46 + nlen + elen + clen;
  }
  return out;
}

const unescape = (s) => s.replace(/&(lt|gt|amp|quot|apos|#(\d+)|#x([0-9a-fA-F]+));/g, (m, n, d, h) => {
  if (d) return String.fromCodePoint(Number(d));
  if (h) return String.fromCodePoint(parseInt(h, 16));
  return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[n];
});

const colIndex = (letters) => [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;

/**
 * The sheet of a workbook the server made: {rows (arrays of strings, numbers
 * and '' for empty cells, row 1 first), bold (the rows whose cells are all
 * bold), frozen ("A2" or null), widths, sheetName, parts}.
 */
export function readWorkbook(buf) {
  const parts = readZip(buf);
  for (const p of ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels',
    'xl/styles.xml', 'xl/worksheets/sheet1.xml']) assert.ok(parts.has(p), `part ${p}`);
  const text = (p) => new TextDecoder('utf-8', { fatal: true }).decode(parts.get(p));
  const sheet = text('xl/worksheets/sheet1.xml');
  const book = text('xl/workbook.xml');
  assert.match(text('[Content_Types].xml'), /PartName="\/xl\/worksheets\/sheet1\.xml" ContentType="application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.worksheet\+xml"/);
  // XML 1.0 section 2.2: no C0 control but tab and LF (CR is written as &#13;)
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\ufffe\uffff]/.test(sheet), 'characters XML forbids');
  const rows = [];
  const bold = [];
  for (const m of sheet.matchAll(/<row r="(\d+)">(.*?)<\/row>/gs)) {
    const r = Number(m[1]);
    assert.equal(r, rows.length + 1, 'rows in order, none skipped');
    const cells = [];
    let allBold = true;
    for (const c of m[2].matchAll(/<c r="([A-Z]+)(\d+)"( t="inlineStr")?( s="(\d+)")?>(?:<is><t xml:space="preserve">(.*?)<\/t><\/is>|<v>(-?\d+)<\/v>)<\/c>/gs)) {
      assert.equal(Number(c[2]), r, 'the cell is in its row');
      const i = colIndex(c[1]);
      while (cells.length < i) cells.push('');
      cells.push(c[3] ? unescape(c[6]) : Number(c[7]));
      if (c[5] !== '1') allBold = false;
    }
    // every cell accounted for: nothing the pattern did not understand
    assert.equal(m[2].replace(/<c r="[A-Z]+\d+"( t="inlineStr")?( s="\d+")?>(?:<is><t xml:space="preserve">.*?<\/t><\/is>|<v>-?\d+<\/v>)<\/c>/gs, ''), '', `row ${r}: unexpected markup`);
    rows.push(cells);
    if (allBold && cells.length) bold.push(r);
  }
  const pane = /<pane ySplit="(\d+)" topLeftCell="([A-Z]+\d+)"[^>]*state="frozen"/.exec(sheet);
  const widths = [...sheet.matchAll(/<col min="(\d+)" max="\d+" width="([\d.]+)" customWidth="1"\/>/g)].map((m) => Number(m[2]));
  return { rows, bold, frozen: pane ? pane[2] : null, widths, sheetName: unescape(/<sheet name="([^"]*)"/.exec(book)[1]), parts, sheet };
}

/** GET a path as a logged-in client and keep the bytes: {status, headers, bytes, body (JSON or null), text}. */
export async function download(client, urlPath) {
  const res = await fetch(client.base + urlPath, { headers: { Cookie: client.cookie } });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  let body = null;
  try { body = JSON.parse(text); } catch { /* a workbook */ }
  return { status: res.status, headers: res.headers, bytes, body, text };
}

/**
 * The case numbers (column A below the header) of a workbook answer read as
 * text (helpers.mjs http(): the bytes decoded as UTF-8). The entries are
 * stored, not compressed, so the sheet's XML survives that decoding whole.
 */
export function sheetNos(res) {
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', res.text.slice(0, 200));
  return [...res.text.matchAll(/<c r="A(\d+)" t="inlineStr"><is><t xml:space="preserve">(XF\d{13})<\/t>/g)]
    .filter((m) => m[1] !== '1').map((m) => m[2]);
}
