// Small XML helpers for the TBX formats: escaping for writing, and a strict parse (saxes) into a
// light element tree with line numbers for reading.
import { SaxesParser, type SaxesTagNS } from 'saxes';

/**
 * Characters XML 1.0 cannot hold at all, even as references (C0 controls other than tab, LF, CR;
 * lone surrogates; U+FFFE/U+FFFF). The writer replaces them with U+FFFD.
 */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text content: & < > escaped, and CR as a reference so that a parser does not turn it into LF. */
export function escapeText(s: string): string {
  return s
    .replace(NOT_XML, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Attribute values: also " and the whitespace that attribute normalisation would turn into spaces. */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** `<name attr="...">text</name>` on one line. */
export function element(name: string, attrs: Record<string, string>, text: string): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
    .join('');
  return `<${name}${a}>${escapeText(text)}</${name}>`;
}

export interface XmlElement {
  /** Local name. */
  name: string;
  /** Namespace URI ('' for none). */
  uri: string;
  /** Attributes by qualified name ("id", "type", "xml:lang"), namespace declarations left out. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (text and CDATA directly inside it, concatenated). */
  text: string;
  /** The line its start tag is on (1-based). */
  line: number;
}

/** Parse well-formed XML (namespace-aware, strict). Errors are "line L, column C: message". */
export function parseXml(text: string): { root: XmlElement | null; errors: { line: number; message: string }[] } {
  const errors: { line: number; message: string }[] = [];
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let startLine = 1;
  let lastClosed: XmlElement | undefined;
  parser.on('error', (err) => {
    const m = /^(\d+):(\d+): ([\s\S]*)$/.exec(err.message);
    const line = m ? Number(m[1]) : parser.line;
    let message = m ? `line ${m[1]}, column ${Number(m[2]) + 1}: ${m[3]}` : `line ${line}: ${err.message}`;
    // saxes closes the mismatched element, then reports: name it.
    if (/unexpected close tag\.$/.test(message) && lastClosed) {
      message = `${message.slice(0, -1)}: <${lastClosed.name}> opened on line ${lastClosed.line} is not closed`;
    }
    // saxes goes on after an error; keep the first few, the rest are usually consequences.
    if (errors.length < 20) errors.push({ line, message: `${message} (the file is not well-formed XML)` });
  });
  parser.on('opentagstart', () => {
    startLine = parser.line;
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) {
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      attrs[a.name] = a.value;
    }
    const el: XmlElement = { name: tag.local, uri: tag.uri, attrs, children: [], text: '', line: startLine };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (!root) root = el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    lastClosed = stack.pop();
  });
  const onText = (t: string) => {
    const cur = stack[stack.length - 1];
    if (cur) cur.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  try {
    parser.write(text).close();
  } catch (e) {
    errors.push({ line: parser.line, message: `line ${parser.line}: ${(e as Error).message} (the file is not well-formed XML)` });
  }
  return { root, errors };
}
