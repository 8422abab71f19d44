/** The query protocol's XML: nested elements, lists as `<member>` elements. */
import { xmlEscape } from '../edge/protocols.js';

export type XmlValue = string | number | boolean | Date | undefined | XmlValue[] | XmlObject;
export interface XmlObject {
  readonly [name: string]: XmlValue;
}

export function toXml(value: XmlValue): string {
  if (value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object')
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  return xmlEscape(String(value));
}

/** `<{action}Response><{action}Result>...</...><ResponseMetadata>` as AWS answers. */
export function queryResponse(
  action: string,
  xmlns: string,
  result: XmlObject,
  requestId: string,
): string {
  return (
    `<?xml version="1.0"?><${action}Response xmlns="${xmlns}"><${action}Result>${toXml(result)}` +
    `</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}
