import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import mjml2html from 'mjml'
import { cleanText } from './clean-data.js'
import { compileFill } from './fill-template.js'
import { asciiMarkup, htmlText } from './html-text.js'

/** The two bodies of one email, filled for one recipient. */
export interface FilledEmail {
  html: string
  text: string
}

/** A compiled email template: pure string filling, cheap enough to run per recipient. */
export type EmailTemplate = (data: object) => FilledEmail

/** Finds a template by name (`<name>.mjml` + `<name>.txt.hbs`), compiling it on first use only. */
export type TemplateCompiler = (name: string) => Promise<EmailTemplate>

let mjmlCompiles = 0

/** How many MJML compilations ran in this process; lets tests prove compile-once without timing. */
export function mjmlCompileCount(): number {
  return mjmlCompiles
}

const PLACEHOLDER = /\{\{[^{}]*\}\}/g
const INCLUDE = /<mj-include\b[^>]*\bpath="([^"]+)"/g
const TEMPLATE_NAME = /^[a-z0-9][a-z0-9-]*$/
// Character references mean nothing inside these: CSS or script would show them literally.
const RAW_TEXT_BEYOND_ASCII = /<(style|script)\b[^>]*>[^<]*[\u0080-\uFFFF]/i

/**
 * Returns `compileTemplate(name)`. MJML rendering is slow (tens of milliseconds), so it runs once
 * per template and keeps the promise: concurrent first emails share one compilation.
 */
export function createTemplateCompiler(templatesDir: string | URL): TemplateCompiler {
  const dir = typeof templatesDir === 'string' ? templatesDir : fileURLToPath(templatesDir)
  const cache = new Map<string, Promise<EmailTemplate>>()
  return function compileTemplate(name) {
    let compiled = cache.get(name)
    if (!compiled) {
      compiled = compileUncached(dir, name)
      cache.set(name, compiled)
      // A failed read may be transient (deploy in progress); let a later email try again.
      compiled.catch(() => cache.delete(name))
    }
    return compiled
  }
}

async function compileUncached(dir: string, name: string): Promise<EmailTemplate> {
  if (!TEMPLATE_NAME.test(name)) throw new Error(`invalid email template name: ${name}`)
  const mjmlPath = path.join(dir, `${name}.mjml`)
  const [source, textSource] = await Promise.all([
    readFile(mjmlPath, 'utf8'),
    readFile(path.join(dir, `${name}.txt.hbs`), 'utf8'),
  ])

  mjmlCompiles++
  const result = await mjml2html(source, {
    filePath: mjmlPath,
    ignoreIncludes: false,
    validationLevel: 'strict',
    keepComments: false,
    // No web fonts: they are a tracking-pixel-like request per open and most clients block them.
    fonts: {},
  })
  if (result.errors.length > 0) {
    const details = result.errors.map((e) => e.formattedMessage).join('; ')
    throw new Error(`${name}.mjml: ${details}`)
  }
  await assertPlaceholdersKept(mjmlPath, result.html)
  if (RAW_TEXT_BEYOND_ASCII.test(result.html)) {
    throw new Error(`${name}.mjml: write characters beyond ASCII in CSS as escapes (\\b7)`)
  }

  // Positions in errors are in MJML's output, not in the .mjml file.
  const html = compileFill(asciiMarkup(result.html), {
    name: `${name}.mjml (as compiled)`,
    filter: htmlText,
  })
  // Plain text is not HTML: escaping would print "&amp;" to the reader. Cleaning still applies.
  const text = compileFill(textSource, { name: `${name}.txt.hbs`, filter: cleanText })
  return (data) => ({ html: html(data), text: text(data) })
}

/**
 * MJML silently drops text it does not expect (a `{{#if}}` between two sections, for one), which
 * would break the Handlebars pass in confusing ways, so a template that loses a placeholder fails
 * to compile instead.
 */
async function assertPlaceholdersKept(mjmlPath: string, html: string): Promise<void> {
  const expected = await placeholdersOf(mjmlPath, new Set())
  const kept = new Set(html.match(PLACEHOLDER) ?? [])
  const lost = [...expected].filter((p) => !kept.has(p))
  if (lost.length > 0) {
    throw new Error(`${path.basename(mjmlPath)}: MJML dropped ${lost.join(', ')}`)
  }
}

async function placeholdersOf(file: string, visited: Set<string>): Promise<Set<string>> {
  const found = new Set<string>()
  if (visited.has(file)) return found
  visited.add(file)
  const source = await readFile(file, 'utf8')
  for (const p of source.match(PLACEHOLDER) ?? []) found.add(p)
  for (const include of source.matchAll(INCLUDE)) {
    const included = path.resolve(path.dirname(file), include[1] ?? '')
    for (const p of await placeholdersOf(included, visited)) found.add(p)
  }
  return found
}
