import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A bank file we cannot trust: it is moved aside with this message, nothing applied. */
export class MalformedFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedFileError';
  }
}

// Elements that may repeat in pain.002 / camt.053; always arrays, so one and many read the same.
const REPEATING = new Set(['OrgnlPmtInfAndSts', 'TxInfAndSts', 'StsRsnInf', 'AddtlInf', 'Stmt', 'Bal', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd']);

/** Parses XML into plain objects: namespaces dropped, every value kept as text (amounts stay exact). */
export function parseXml(xml: string): Record<string, any> {
  // Bank files never carry a DTD; refusing one rules out entity-expansion tricks entirely.
  if (/<!DOCTYPE/i.test(xml)) throw new MalformedFileError('DOCTYPE declarations are not accepted');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new MalformedFileError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    htmlEntities: false,
    isArray: (name) => REPEATING.has(name),
  });
  return parser.parse(xml);
}

/**
 * The ISO 20022 `Document` of a parsed file: either the root itself, or the
 * `Document` beside a Business Application Header (`AppHdr`) under one envelope
 * element, as many banks send (the envelope's name varies: BizMsgEnvlp, Message…).
 */
export function documentOf(doc: Record<string, any>): Record<string, any> | undefined {
  if (doc.Document !== undefined) return doc.Document;
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?') && !k.startsWith('@_') && k !== '#text');
  if (roots.length !== 1) return undefined;
  const envelope = doc[roots[0]];
  return envelope && typeof envelope === 'object' && envelope.Document !== undefined ? envelope.Document : undefined;
}

/** Text of an element that may carry attributes (`<Amt Ccy="CNY">1.00</Amt>`). */
export function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && '#text' in (v as object)) return String((v as Record<string, unknown>)['#text']);
  return undefined;
}

/** Follows a dotted path; throws a MalformedFileError naming the missing element. */
export function need(root: unknown, path: string, where: string): any {
  const v = at(root, path);
  if (v === undefined || v === null || v === '') throw new MalformedFileError(`${where}: missing ${path}`);
  return v;
}

export function needText(root: unknown, path: string, where: string): string {
  const t = text(need(root, path, where));
  if (t === undefined || t === '') throw new MalformedFileError(`${where}: ${path} has no text`);
  return t;
}

export function at(root: unknown, path: string): any {
  let cur: any = root;
  for (const key of path.split('.')) {
    if (cur === undefined || cur === null) return undefined;
    cur = Array.isArray(cur) ? cur[0]?.[key] : cur[key];
  }
  return cur;
}

export const list = <T = any>(v: unknown): T[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v as T]);

/** ISODate, strictly: a real calendar date. */
export function isoDate(s: string, where: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  const d = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (!m || !d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) throw new MalformedFileError(`${where}: bad date ${s}`);
  return `${m[1]}-${m[2]}-${m[3]}`;
}
