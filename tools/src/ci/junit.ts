/**
 * A small JUnit XML reader: enough for summaries (suites, cases, failures) without an XML
 * dependency. Handles attributes in either quote style, self-closing cases and CDATA messages.
 */

export interface JunitCase {
  suite: string;
  name: string;
  classname?: string;
  status: 'passed' | 'failed' | 'skipped';
  message?: string;
  timeSeconds?: number;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeXml(text: string): string {
  return text
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ent: string) => {
      if (ent.startsWith('#x') || ent.startsWith('#X'))
        return String.fromCodePoint(parseInt(ent.slice(2), 16));
      if (ent.startsWith('#')) return String.fromCodePoint(parseInt(ent.slice(1), 10));
      return ENTITIES[ent.toLowerCase()] ?? whole;
    });
}

function attributes(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g))
    attrs[m[1]] = decodeXml(m[3] ?? m[4] ?? '');
  return attrs;
}

export function parseJunit(xml: string): JunitCase[] {
  const cases: JunitCase[] = [];
  // Suites may nest; the innermost open suite names the case.
  const suites: string[] = [];
  const token = /<(\/?)(testsuite|testcase)\b([^>]*?)(\/?)>/g;
  let m: RegExpExecArray | null;
  while ((m = token.exec(xml))) {
    const [, closing, tag, attrText, selfClosing] = m;
    if (tag === 'testsuite') {
      if (closing) suites.pop();
      else if (!selfClosing) suites.push(attributes(attrText).name ?? '');
      continue;
    }
    if (closing) continue;
    const attrs = attributes(attrText);
    let body = '';
    if (!selfClosing) {
      const end = xml.indexOf('</testcase>', token.lastIndex);
      body = end >= 0 ? xml.slice(token.lastIndex, end) : '';
      if (end >= 0) token.lastIndex = end + '</testcase>'.length;
    }
    const failure = /<(failure|error)\b([^>]*?)(\/>|>([\s\S]*?)<\/\1>)/.exec(body);
    const status = failure ? 'failed' : /<skipped\b/.test(body) ? 'skipped' : 'passed';
    const message = failure
      ? (attributes(failure[2]).message ?? decodeXml(failure[4] ?? '').trim())
      : undefined;
    const time = attrs.time !== undefined ? Number(attrs.time) : undefined;
    cases.push({
      suite: suites[suites.length - 1] ?? '',
      name: attrs.name ?? '(unnamed)',
      ...(attrs.classname ? { classname: attrs.classname } : {}),
      status,
      ...(message ? { message } : {}),
      ...(time !== undefined && Number.isFinite(time) ? { timeSeconds: time } : {}),
    });
  }
  return cases;
}
