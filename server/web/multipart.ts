// A small multipart/form-data parser (RFC 7578) for bodies read whole into a Buffer (express.raw
// with a size limit). Fields and files come back in order, files as bytes, untouched: decoding and
// checking them is the caller's business. Malformed bodies throw MultipartError.

export interface MultipartPart {
  /** The form field's name. */
  name: string;
  /** The file name as sent (without any folder part), or null for an ordinary field. */
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

export class MultipartError extends Error {
  readonly code = 'BAD_MULTIPART';
}

export interface MultipartLimits {
  /** Most parts accepted (default 500). */
  maxParts?: number;
  /** Most bytes of headers per part (default 16 KB). */
  maxHeaderBytes?: number;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const utf8 = new TextDecoder('utf-8');

/** The boundary of a multipart/form-data Content-Type header, or null when it is not one. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType) return null;
  const [type, ...params] = splitParams(contentType);
  if (type?.toLowerCase() !== 'multipart/form-data') return null;
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0 || p.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    const b = unquote(p.slice(eq + 1).trim());
    // RFC 2046: 1 to 70 characters.
    return b.length >= 1 && b.length <= 70 ? b : null;
  }
  return null;
}

/** Split a header value at the semicolons outside quoted strings. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted && c === '\\' && i + 1 < value.length) {
      cur += c + value[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  return v;
}

/** Browsers escape " CR LF in names as %22 %0D %0A (HTML's multipart encoding); undo exactly those. */
function unescapeName(v: string): string {
  return v.replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
}

/** RFC 5987 ext-value (filename*=UTF-8''...), or null when it cannot be read. */
function extValue(v: string): string | null {
  const m = /^([\w!#$%&+^`{}~-]+)'[^']*'(.*)$/.exec(v);
  if (!m || m[1]!.toLowerCase() !== 'utf-8') return null;
  try {
    return decodeURIComponent(m[2]!);
  } catch {
    return null;
  }
}

function baseName(name: string): string {
  const cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  return cut >= 0 ? name.slice(cut + 1) : name;
}

function parseHeaders(block: Buffer): { name: string; filename: string | null; contentType: string | null } {
  let name: string | null = null;
  let filename: string | null = null;
  let filenameExt: string | null = null;
  let contentType: string | null = null;
  for (const line of utf8.decode(block).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-type') contentType = value;
    if (key !== 'content-disposition') continue;
    const [kind, ...params] = splitParams(value);
    if (kind?.toLowerCase() !== 'form-data') throw new MultipartError('a part of the form is not form data');
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const k = p.slice(0, eq).trim().toLowerCase();
      const v = p.slice(eq + 1).trim();
      if (k === 'name') name = unescapeName(unquote(v));
      else if (k === 'filename') filename = baseName(unescapeName(unquote(v)));
      else if (k === 'filename*') filenameExt = extValue(unquote(v));
    }
  }
  if (name === null) throw new MultipartError('a part of the form has no field name');
  if (filenameExt !== null) filename = baseName(filenameExt);
  return { name, filename, contentType };
}

/**
 * Where the next delimiter starts: CRLF "--" boundary, then "--" or (white space and) CRLF. The
 * boundary string followed by anything else is content.
 */
function nextDelimiter(body: Buffer, delimiter: Buffer, from: number): number {
  for (let i = body.indexOf(delimiter, from); i >= 0; i = body.indexOf(delimiter, i + 1)) {
    let j = i + delimiter.length;
    if (body[j] === 0x2d && body[j + 1] === 0x2d) return i;
    while (body[j] === 0x20 || body[j] === 0x09) j++;
    if (body[j] === 0x0d && body[j + 1] === 0x0a) return i;
  }
  return -1;
}

/** The parts of a multipart/form-data body. */
export function parseMultipart(body: Buffer, boundary: string, limits: MultipartLimits = {}): MultipartPart[] {
  const maxParts = limits.maxParts ?? 500;
  const maxHeader = limits.maxHeaderBytes ?? 16 * 1024;
  const dash = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter opens the body or follows a preamble's CRLF.
  let at: number;
  if (body.subarray(0, dash.length).equals(dash)) at = dash.length;
  else {
    const i = nextDelimiter(body, delimiter, 0);
    if (i < 0) throw new MultipartError('the form data has no parts (the boundary never occurs)');
    at = i + delimiter.length;
  }
  const parts: MultipartPart[] = [];
  for (;;) {
    // After a delimiter: "--" closes the body; otherwise optional white space, then CRLF.
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts;
    while (body[at] === 0x20 || body[at] === 0x09) at++;
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) throw new MultipartError('the form data is malformed (no line break after a boundary)');
    at += CRLF.length;
    const headEnd = body.indexOf(HEADER_END, at);
    if (headEnd < 0 || headEnd - at > maxHeader) throw new MultipartError('the form data is malformed (a part has no end of headers)');
    const head = parseHeaders(body.subarray(at, headEnd));
    const dataStart = headEnd + HEADER_END.length;
    const next = nextDelimiter(body, delimiter, dataStart);
    if (next < 0) throw new MultipartError('the form data was cut off before its end');
    if (parts.length >= maxParts) throw new MultipartError(`the form has more than ${maxParts} parts`);
    parts.push({ ...head, data: body.subarray(dataStart, next) });
    at = next + delimiter.length;
  }
}
