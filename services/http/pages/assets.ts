import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where the shipped page templates and their static files live. */
export const defaultTemplatesDir = new URL('../../../templates/', import.meta.url)

export function pagesDir(templatesDir: string | URL = defaultTemplatesDir): string {
  const dir = typeof templatesDir === 'string' ? templatesDir : fileURLToPath(templatesDir)
  return path.join(dir, 'pages')
}

/** A static file served next to the pages; `version` lets the server cache it for a long time. */
export interface StaticAsset {
  body: string
  contentType: string
  version: string
}

const cache = new Map<string, StaticAsset>()

function load(file: string, contentType: string): StaticAsset {
  let asset = cache.get(file)
  if (!asset) {
    const body = readFileSync(file, 'utf8')
    const version = createHash('sha256').update(body).digest('hex').slice(0, 12)
    asset = { body, contentType, version }
    cache.set(file, asset)
  }
  return asset
}

/** `style.css`, served at /static/style.css (a file, not inline, so the CSP needs no 'unsafe-inline'). */
export function stylesheetAsset(templatesDir?: string | URL): StaticAsset {
  return load(path.join(pagesDir(templatesDir), 'style.css'), 'text/css; charset=utf-8')
}

/** `form.js`, served at /static/form.js: the time zone from the browser, and the live interest preview. */
export function scriptAsset(templatesDir?: string | URL): StaticAsset {
  return load(path.join(pagesDir(templatesDir), 'form.js'), 'text/javascript; charset=utf-8')
}

/** The page stylesheet's content, for the route that serves /static/style.css. */
export function pageStylesheet(templatesDir?: string | URL): string {
  return stylesheetAsset(templatesDir).body
}

/** The form script's content, for the route that serves /static/form.js. */
export function pageScript(templatesDir?: string | URL): string {
  return scriptAsset(templatesDir).body
}
