import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyPluginAsync } from 'fastify'
import Handlebars from 'handlebars'
import { simpleParser } from 'mailparser'
import type { HttpDeps } from '../deps.js'
import { sendErrorPage } from '../plugins/errors.js'

const FILE_NAME = /^[\w.-]+\.eml$/

const listPage = Handlebars.compile(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Dev outbox</title>
<link rel="stylesheet" href="/static/style.css"></head><body><main class="page">
<h1>Dev outbox</h1>
<p class="outbox-dir">Mail is kept here because <code>SMTP_URL</code> is not set. Newest first; files are in <code>{{dir}}</code>.</p>
{{#if messages.length}}<ol class="outbox">
{{#each messages}}<li><a href="/dev/outbox/{{name}}">{{subject}}</a><span class="help">to {{to}} · <time datetime="{{date}}">{{date}}</time></span></li>{{/each}}
</ol>{{else}}<p>No messages yet.</p>{{/if}}
</main></body></html>`)

const messagePage = Handlebars.compile(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{subject}}</title>
<link rel="stylesheet" href="/static/style.css"></head><body><main class="page">
<p><a href="/dev/outbox">← Outbox</a></p>
<h1>{{subject}}</h1>
<dl class="headers"><dt>From</dt><dd>{{from}}</dd><dt>To</dt><dd>{{to}}</dd><dt>Date</dt><dd>{{date}}</dd>
{{#each headers}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/each}}</dl>
{{#if links.length}}<h2>Links</h2><ul class="outbox-links">{{#each links}}<li><a href="{{this}}">{{this}}</a></li>{{/each}}</ul>{{/if}}
<h2>HTML part</h2>
<iframe title="HTML part" class="outbox-html" sandbox="allow-popups allow-popups-to-escape-sandbox" src="/dev/outbox/{{name}}/html"></iframe>
<h2>Text part</h2><pre class="outbox-text">{{text}}</pre>
<p><a href="/dev/outbox/{{name}}/raw">Raw message (.eml)</a></p>
</main></body></html>`)

/** Only registered when SMTP_URL is unset: a newcomer reads their confirmation email here. */
export const devOutboxRoutes: FastifyPluginAsync<{ deps: HttpDeps; outboxDir: string }> = async (
  app,
  { deps, outboxDir },
) => {
  const load = async (name: string) => {
    if (!FILE_NAME.test(name)) return undefined
    try {
      const raw = await readFile(join(outboxDir, name))
      return { raw, parsed: await simpleParser(raw) }
    } catch {
      return undefined
    }
  }

  app.get('/dev/outbox', async (_request, reply) => {
    const names = (await readdir(outboxDir).catch(() => [] as string[]))
      .filter((n) => FILE_NAME.test(n))
      .sort()
      .reverse()
      .slice(0, 200)
    const messages = await Promise.all(
      names.map(async (name) => {
        const message = await load(name)
        return {
          name,
          subject: message?.parsed.subject ?? '(no subject)',
          to: addressText(message?.parsed.to),
          date: message?.parsed.date?.toISOString() ?? '',
        }
      }),
    )
    return reply.type('text/html; charset=utf-8').send(listPage({ messages, dir: outboxDir }))
  })

  app.get<{ Params: { name: string } }>('/dev/outbox/:name', async (request, reply) => {
    const message = await load(request.params.name)
    if (!message)
      return sendErrorPage(reply, deps, 404, 'No such message', 'It may have been deleted.')
    const { parsed } = message
    const text = parsed.text ?? ''
    const links = [...new Set(text.match(/https?:\/\/[^\s<>"]+/g) ?? [])]
    const headers = shownHeaders(parsed.headerLines)
    return reply.type('text/html; charset=utf-8').send(
      messagePage({
        name: request.params.name,
        subject: parsed.subject ?? '(no subject)',
        from: addressText(parsed.from),
        to: addressText(parsed.to),
        date: parsed.date?.toISOString() ?? '',
        headers,
        links,
        text,
      }),
    )
  })

  app.get<{ Params: { name: string } }>('/dev/outbox/:name/html', async (request, reply) => {
    const message = await load(request.params.name)
    if (!message) return reply.code(404).send('not found')
    // The email's own markup runs in a sandboxed frame with a CSP of its own: no scripts, ever.
    return reply
      .type('text/html; charset=utf-8')
      .header(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; sandbox allow-popups allow-popups-to-escape-sandbox",
      )
      .header('x-frame-options', 'SAMEORIGIN')
      .send(message.parsed.html || '<p>(no HTML part)</p>')
  })

  app.get<{ Params: { name: string } }>('/dev/outbox/:name/raw', async (request, reply) => {
    const message = await load(request.params.name)
    if (!message) return reply.code(404).send('not found')
    return reply.type('message/rfc822').send(message.raw)
  })
}

function addressText(value: unknown): string {
  if (!value) return ''
  const list = Array.isArray(value) ? value : [value]
  return list.map((v) => (v as { text?: string }).text ?? '').join(', ')
}

/** Headers a sender has to get right for mailbox providers, as written in the message. */
const SHOWN_HEADERS = ['List-Unsubscribe', 'List-Unsubscribe-Post', 'Message-ID']

/**
 * mailparser folds every List-* header into one structured `list` entry, so the headers are
 * read from the raw lines instead: what a mail client sees, unfolded.
 */
function shownHeaders(lines: readonly { key: string; line: string }[]) {
  return SHOWN_HEADERS.flatMap((name) =>
    lines
      .filter((l) => l.key === name.toLowerCase())
      .map((l) => ({
        name,
        value: l.line
          .slice(l.line.indexOf(':') + 1)
          .replace(/\r?\n[ \t]+/g, ' ')
          .trim(),
      })),
  )
}
