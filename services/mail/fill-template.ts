import Handlebars from 'handlebars'

/**
 * Turns the text of one printed value into output: HTML escaping for the HTML part, cleaning
 * for the plain-text part. Every `{{value}}` goes through it; a template cannot opt out.
 */
export type OutputFilter = (text: string) => string

/** A template turned into one JavaScript function: `fill(data)` returns the filled text. */
export type Fill = (data: object) => string

/** What an email template may be made of; anything else fails to compile, with its place. */
class TemplateSyntaxError extends Error {
  override name = 'TemplateSyntaxError'
}

/**
 * Compiles a Handlebars template (parsed by Handlebars itself) to a plain JavaScript function,
 * for the small part of the language email templates need: `{{path.to.field}}`, `{{this}}`,
 * `{{#if field}}…{{else}}…{{/if}}` and `{{#each list}}…{{else}}…{{/each}}`.
 *
 * Handlebars' own runtime resolves every field through helper checks and prototype guards
 * and escapes through one fixed function; for a digest of hundreds of fields that was most
 * of the cost of an email. Here static markup becomes string constants and each field one
 * property read, and printing goes through `filter`, which also lets the HTML part come out
 * as pure ASCII. Output is Handlebars' (`if` treats 0, '' and empty lists as false; `each`
 * over null is its `else`), checked against Handlebars itself by a property test, and it is
 * stricter than Handlebars' strict mode: a missing field throws in `#if` and `#each` too, and
 * a field that is undefined, a boolean or an object is never printed, so a misspelt or
 * forgotten field fails in tests instead of rendering an empty link. Templates are files from
 * this repository, never user input, which is why no prototype guard is needed.
 */
export function compileFill(source: string, options: { name: string; filter: OutputFilter }): Fill {
  const generator = new Generator(options.name)
  const body = generator.program(Handlebars.parse(source), 'c0')
  const filter = options.filter
  const print = (value: unknown, where: string): string => {
    if (typeof value === 'string') return filter(value)
    if (typeof value === 'number') return String(value)
    if (value === null) return ''
    throw new TypeError(`${where}: cannot print a ${typeof value}; give the template text`)
  }
  // Generated code, as Handlebars itself does: a function per template is what makes it fast.
  // Every name and string in it comes from JSON.stringify, never pasted as is.
  const factory = new Function(
    'missing',
    'print',
    'truthy',
    'items',
    `"use strict"; return function fill(c0) { let out = ''; let v; ${body} return out }`,
  ) as (...helpers: unknown[]) => Fill
  return factory(missing, print, truthy, items)
}

function missing(name: string, where: string): never {
  throw new Error(`${where}: the data has no "${name}"`)
}

// Handlebars' `if`: false, 0, '', null and empty lists are false.
function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value)
}

const NOTHING: readonly unknown[] = []

function items(value: unknown, where: string): readonly unknown[] {
  if (Array.isArray(value)) return value
  if (value === null) return NOTHING
  throw new TypeError(`${where}: #each needs a list, got a ${typeof value}`)
}

class Generator {
  private contexts = 0

  constructor(private readonly name: string) {}

  program(program: hbs.AST.Program, context: string): string {
    return program.body.map((statement) => this.statement(statement, context)).join('\n')
  }

  private statement(node: hbs.AST.Statement, context: string): string {
    switch (node.type) {
      case 'ContentStatement': {
        const { value } = node as hbs.AST.ContentStatement
        return value === '' ? '' : `out += ${JSON.stringify(value)};`
      }
      case 'CommentStatement':
        return ''
      case 'MustacheStatement':
        return this.mustache(node as hbs.AST.MustacheStatement, context)
      case 'BlockStatement':
        return this.block(node as hbs.AST.BlockStatement, context)
      default:
        throw this.error(node, `${node.type} is not supported in email templates`)
    }
  }

  private mustache(node: hbs.AST.MustacheStatement, context: string): string {
    if (!node.escaped) {
      throw this.error(node, 'triple braces would print unescaped text; use {{…}}')
    }
    if (node.params.length > 0 || node.hash) {
      throw this.error(node, 'helpers are not supported; compute the value in the view')
    }
    return `out += print(${this.path(node.path, context)}, ${this.where(node)});`
  }

  private block(node: hbs.AST.BlockStatement, context: string): string {
    const helper = (node.path as hbs.AST.PathExpression).original
    // `{{^if x}}…{{/if}}` has only an inverse: say so rather than fail on the missing body.
    if (!node.program) throw this.error(node, `inverse blocks ({{^${helper}}}) are not supported`)
    const [param, ...extra] = node.params
    if (param === undefined || extra.length > 0 || node.hash) {
      throw this.error(node, `#${helper} takes exactly one field`)
    }
    if ((node.program as { blockParams?: string[] }).blockParams) {
      throw this.error(node, 'block parameters (as |x|) are not supported')
    }
    const value = this.path(param, context)
    const otherwise = node.inverse ? this.program(node.inverse, context) : ''
    if (helper === 'if') {
      return `if (truthy(${value})) {\n${this.program(node.program, context)}\n} else {\n${otherwise}\n}`
    }
    if (helper === 'each') {
      const list = `l${this.contexts}`
      const item = `c${++this.contexts}`
      const loop = `for (const ${item} of ${list}) {\n${this.program(node.program, item)}\n}`
      return `{ const ${list} = items(${value}, ${this.where(node)});\nif (${list}.length === 0) {\n${otherwise}\n} else ${loop} }`
    }
    throw this.error(node, `#${helper} is not supported; only #if and #each are`)
  }

  private path(node: hbs.AST.Expression, context: string): string {
    if (node.type !== 'PathExpression') {
      throw this.error(node, `${node.type} is not supported; name a field`)
    }
    const path = node as hbs.AST.PathExpression
    if (path.data) throw this.error(node, `@-variables (${path.original}) are not supported`)
    if (path.depth > 0) throw this.error(node, `parent paths (${path.original}) are not supported`)
    const where = this.where(node)
    // Inline rather than a helper per step: a digest reads about a thousand fields and the
    // generated function is too big for V8 to inline helpers into. `v` is the one scratch
    // variable; each step finishes with it before the next reads it.
    return path.parts.reduce((expression, part) => {
      const name = JSON.stringify(part)
      return `((v = ${expression}) !== null && typeof v === 'object' && (v = v[${name}]) !== undefined ? v : missing(${name}, ${where}))`
    }, context)
  }

  /** `template:line:column`, for messages. */
  private place(node: hbs.AST.Node): string {
    return `${this.name}:${node.loc.start.line}:${node.loc.start.column + 1}`
  }

  /** The place as a string literal of the generated code. */
  private where(node: hbs.AST.Node): string {
    return JSON.stringify(this.place(node))
  }

  private error(node: hbs.AST.Node, message: string): TemplateSyntaxError {
    return new TemplateSyntaxError(`${this.place(node)}: ${message}`)
  }
}
