import { SaxesParser } from 'saxes';

/**
 * A conforming XML 1.0 parser (saxes): refuses control characters, U+FFFE/FFFF and
 * lone surrogates that fast-xml-parser lets through, as a bank's validator would.
 * Returns the first error, or undefined when the document is well-formed.
 */
export function strictXmlError(xml: string): string | undefined {
  const parser = new SaxesParser({ xmlns: true });
  let first: string | undefined;
  parser.on('error', (e) => {
    first ??= e.message;
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    first ??= (e as Error).message;
  }
  return first;
}
