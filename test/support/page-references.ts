/**
 * Everything in an HTML page that could make a browser load something: attributes naming
 * a resource (other than `#fragment` links within the page), CSS `url(…)` and `@import`,
 * and elements that load or redirect by themselves. Text is not looked at, so a message
 * quoting a URL or markup (escaped) is no reference.
 */
export function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const [tag] of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    const name = /^<([a-zA-Z0-9-]+)/.exec(tag)![1].toLowerCase();
    if (["link", "iframe", "frame", "object", "embed", "base", "img", "image", "video", "audio", "source", "track", "use", "feimage"].includes(name)) found.push(`<${name}>`);
    if (name === "meta" && /http-equiv\s*=\s*["']?refresh/i.test(tag)) found.push("<meta refresh>");
    for (const match of tag.matchAll(/\s(src|href|xlink:href|srcset|action|formaction|poster|data|background|ping)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi)) {
      const value = match[2].replace(/^["']|["']$/g, "");
      if (!value.startsWith("#")) found.push(`${match[1]}=${value}`);
    }
    for (const match of tag.matchAll(/url\(/gi)) found.push(`url( in <${name}> ${match.index}`);
  }
  for (const [, css] of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)) {
    if (/url\(/i.test(css)) found.push("url( in a stylesheet");
    if (/@import/i.test(css)) found.push("@import in a stylesheet");
  }
  return found;
}
