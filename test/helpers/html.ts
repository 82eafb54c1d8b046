/** Undoes HTML escaping: named entities and numeric character references (`&#x3D;`, `&#8230;`). */
export function decodeEntities(html: string): string {
  return html
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) =>
      String.fromCodePoint(Number.parseInt(hex, 16)),
    )
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
}

/** The first href in a page that contains `fragment`, decoded. */
export function hrefContaining(html: string, fragment: string): string | undefined {
  for (const match of html.matchAll(/href="([^"]*)"/g)) {
    const href = decodeEntities(match[1] ?? '')
    if (href.includes(fragment)) return href
  }
  return undefined
}

/** The action of the first `<form method="post">` whose action contains `fragment`, decoded. */
export function postFormAction(html: string, fragment: string): string | undefined {
  for (const match of html.matchAll(/<form[^>]*method="post"[^>]*action="([^"]*)"/gi)) {
    const action = decodeEntities(match[1] ?? '')
    if (action.includes(fragment)) return action
  }
  return undefined
}
