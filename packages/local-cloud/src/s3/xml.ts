/**
 * S3's REST-XML documents: a writer for answers and a small reader for the
 * few request bodies S3 takes (CompleteMultipartUpload, Delete, LifecycleConfiguration,
 * CreateBucketConfiguration). The reader keeps elements and text only; attributes
 * (xmlns) are not needed by any of them.
 */
import { malformedXml } from './errors.js';

export type XmlValue = string | number | boolean | Date | undefined | XmlNode | XmlNode[];
/** An element's children in order; arrays repeat the element (`Contents`, `Part`). */
export interface XmlNode {
  readonly [name: string]: XmlValue | XmlValue[];
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** S3 writes timestamps as ISO 8601 with milliseconds, e.g. 2026-01-01T00:00:00.000Z. */
export function xmlDocument(root: string, body: XmlNode, xmlns = true): string {
  const ns = xmlns ? ' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"' : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${children(body)}</${root}>`;
}

function children(node: XmlNode): string {
  let out = '';
  for (const [name, value] of Object.entries(node)) out += element(name, value);
  return out;
}

function element(name: string, value: XmlValue | XmlValue[]): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => element(name, v)).join('');
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') return `<${name}>${children(value)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A parsed element: its name, text (for leaves) and child elements in order. */
export interface XmlElement {
  readonly name: string;
  readonly text: string;
  readonly children: XmlElement[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeText(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? whole;
  });
}

/** Parses a request body; throws MalformedXML naming what was wrong. */
export function parseXml(text: string): XmlElement {
  const tokens =
    /<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>|([^<]+)/g;
  const stack: { name: string; text: string; children: XmlElement[] }[] = [];
  let root: XmlElement | undefined;
  for (const m of text.matchAll(tokens)) {
    const [, cdata, closing, rawName, selfClosing, chars] = m;
    const top = stack[stack.length - 1];
    if (cdata !== undefined || chars !== undefined) {
      if (top) top.text += cdata ?? decodeText(chars!);
      else if ((chars ?? '').trim() !== '') throw malformedXml('text outside the root element');
      continue;
    }
    if (rawName === undefined) continue;
    const name = rawName.includes(':') ? rawName.slice(rawName.indexOf(':') + 1) : rawName;
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name) throw malformedXml(`</${name}> closes <${open?.name ?? 'nothing'}>`);
      const done: XmlElement = open;
      if (stack.length === 0) root = done;
      else stack[stack.length - 1]!.children.push(done);
      continue;
    }
    const el = { name, text: '', children: [] as XmlElement[] };
    if (selfClosing) {
      if (top) top.children.push(el);
      else root = el;
    } else stack.push(el);
  }
  if (stack.length > 0 || !root) throw malformedXml('the document is empty or not closed');
  return root;
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function childText(el: XmlElement, name: string): string | undefined {
  const c = child(el, name);
  return c === undefined ? undefined : c.text.trim();
}

export function expectRoot(el: XmlElement, name: string): XmlElement {
  if (el.name !== name) throw malformedXml(`expected <${name}>, received <${el.name}>`);
  return el;
}
