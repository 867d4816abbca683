/** A minimal XML well-formedness check for the SVG tests: balanced tags, quoted attributes, escaped text. */

/**
 * Returns a list of problems found in `xml`, empty when the document is well formed.
 * It checks only the subset that the SVG renderer writes: elements, attributes in double
 * quotes, text and the five predefined entities, without comments, CDATA or processing
 * instructions.
 */
export function findXmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
  let position = 0;
  let numRoots = 0;
  while (position < xml.length) {
    const next = xml.indexOf('<', position);
    const text = xml.slice(position, next < 0 ? xml.length : next);
    const badEntity = text.match(/&(?!(amp|lt|gt|quot|apos);)/);
    if (badEntity) problems.push(`unescaped '&' in text near offset ${position}`);
    if (text.includes('>')) problems.push(`unescaped '>' in text near offset ${position}`);
    if (stack.length === 0 && text.trim() !== '') problems.push(`text outside the root element at offset ${position}`);
    if (next < 0) break;

    tag.lastIndex = next;
    const match = tag.exec(xml);
    if (!match) {
      problems.push(`malformed tag at offset ${next}: ${xml.slice(next, next + 40)}`);
      break;
    }
    const [whole, closing, name, attributes, selfClosing] = match;
    for (const attribute of attributes.matchAll(/\s+[\w:.-]+="([^"]*)"/g)) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(attribute[1])) problems.push(`unescaped '&' in attribute of <${name}>`);
    }
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}> at offset ${next}`);
    } else {
      if (stack.length === 0) numRoots++;
      if (!selfClosing) stack.push(name);
    }
    position = next + whole.length;
  }
  if (stack.length > 0) problems.push(`unclosed elements: ${stack.join(' > ')}`);
  if (numRoots !== 1) problems.push(`${numRoots} root elements; expected 1`);
  return problems;
}

/** Reads width and height from the IHDR chunk of PNG bytes. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
