import { describe, expect, it } from 'vitest'
import { previewDigest } from '../../services/usecases/preview-digest.js'
import { deliveryEnvironment } from '../helpers/delivery-environment.js'
import {
  digestEmails,
  ingestMatched,
  runDigestsAndWait,
  subscribeConfirmed,
} from '../helpers/flows.js'
import { decodeEntities, hrefContaining, postFormAction } from '../helpers/html.js'
import { pathOf } from '../helpers/runtime.js'

// Triage from the email: under every paper of a digest, "more like this", "mute this author"
// and "mute this word". Each link opens a page that changes nothing; its button POSTs. What a
// subscriber mutes leaves their next digests, their preview and their web view, and shows in
// the preference centre as a NOT clause.

const ADMIN_TOKEN = 'admin-token-for-triage-tests-12345'
const EMAIL = 'ada@example.org'
let clock = new Date('2026-06-12T05:00:00Z')
const env = deliveryEnvironment('triage', { adminToken: ADMIN_TOKEN, now: () => clock })

const app = () => {
  if (!env.runtime.app) throw new Error('runtime has no HTTP app')
  return env.runtime.app
}

// Not HTML tags ingestion would strip: markup of a made-up element survives as text, as
// "emits <swi> tokens" must in a real abstract.
const HOSTILE_AUTHOR = 'Mallory <x-evil onmouseover=alert(1)> "Quote"'
const HOSTILE_TITLE = 'Diffusion <x-evil onmouseover=alert(2)> attacks'

const DAY_ONE = {
  papers: [
    {
      id: '2606.10001',
      title: 'Latent diffusion for protein folding',
      abstract: 'We apply score based diffusion models to protein structure prediction.',
      authors: ['Jane Doe', 'Bob Roe'],
      categories: ['q-bio.BM', 'cs.LG'],
      upvotes: 30,
    },
    {
      id: '2606.10002',
      title: 'Diffusion policies for kitchen robots',
      abstract: 'Robots learn to cook with diffusion policies in a cluttered kitchen.',
      authors: ['Carol Poe'],
      upvotes: 20,
    },
    {
      id: '2606.10003',
      title: HOSTILE_TITLE,
      abstract: 'A diffusion paper whose metadata tries to run script in the pages that show it.',
      authors: [HOSTILE_AUTHOR],
      upvotes: 10,
    },
  ],
}

const DAY_TWO = {
  papers: [
    {
      id: '2606.20001',
      title: 'Another diffusion paper by the muted author',
      abstract: 'Diffusion models for weather forecasting.',
      authors: ['Dan Coe', 'Jane Doe'],
      upvotes: 40,
    },
    {
      id: '2606.20002',
      title: 'Diffusion for music generation',
      abstract: 'Diffusion models compose music.',
      authors: ['Eve Loe'],
      upvotes: 35,
    },
    {
      id: '2606.20003',
      title: 'Diffusion in the kitchen, again',
      abstract: 'More robots that cook in a kitchen with diffusion policies.',
      authors: ['Fay Moe'],
      upvotes: 25,
    },
  ],
}

const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }

/** The triage link of one action under one paper of a received digest's HTML. */
function triageLink(html: string, action: string, paperId: string): string {
  const link = hrefContaining(html, `/triage/${action}?p=${paperId}&`)
  if (!link) throw new Error(`no ${action} link for ${paperId} in the digest`)
  return pathOf(link)
}

/** The value of each radio button of a page, decoded. */
const radioValues = (html: string) =>
  [...html.matchAll(/<input type="radio"[^>]*value="([^"]*)"/g)].map((m) =>
    decodeEntities(m[1] ?? ''),
  )

/** The preference centre's muted-terms box, as the subscriber reads it. */
const mutedBox = (body: string) =>
  decodeEntities(body.match(/<textarea id="muted"[^>]*>\n?([^<]*)<\/textarea>/)?.[1] ?? '')

async function preferencesPage(): Promise<{ url: string; body: string }> {
  const mail = digestEmails(env.smtp, EMAIL).at(-1)
  const url = pathOf(hrefContaining(String(mail?.parsed.html), '/preferences?token=') ?? '')
  const page = await app().inject({ url })
  expect(page.statusCode).toBe(200)
  return { url, body: page.body }
}

describe('triage from the email', () => {
  let firstHtml = ''

  it('puts the three links under every paper, each with the paper id and the revocable token', async () => {
    await subscribeConfirmed(env.runtime, env.smtp, EMAIL, { interests: ['diffusion'], hour: 8 })
    expect((await ingestMatched(env.runtime, ADMIN_TOKEN, JSON.stringify(DAY_ONE))).new).toBe(3)
    await runDigestsAndWait(env.runtime, () => clock, { now: true, email: EMAIL })
    const mail = digestEmails(env.smtp, EMAIL).at(-1)
    firstHtml = String(mail?.parsed.html)
    for (const paper of DAY_ONE.papers) {
      for (const action of ['more', 'author', 'word']) {
        expect(triageLink(firstHtml, action, paper.id)).toMatch(
          new RegExp(
            `^/triage/${action}\\?p=${paper.id.replace('.', '\\.')}&token=[\\w-]+\\.[\\w-]+$`,
          ),
        )
      }
    }
    // The hostile title and author are text in the email, never markup.
    expect(firstHtml).not.toContain('<x-evil')
    expect(decodeEntities(firstHtml)).toContain(HOSTILE_AUTHOR)
  })

  it('opening "mute this author" lists the authors and changes nothing; pressing the button mutes, once', async () => {
    const link = triageLink(firstHtml, 'author', '2606.10001')
    const page = await app().inject({ url: link })
    expect(page.statusCode).toBe(200)
    expect(page.headers['cache-control']).toBe('no-store')
    expect(radioValues(page.body)).toEqual(['author:"Jane Doe"', 'author:"Bob Roe"'])
    expect(mutedBox((await preferencesPage()).body)).toBe('')

    const action = postFormAction(page.body, '/triage/author') ?? ''
    const payload = `term=${encodeURIComponent('author:"Jane Doe"')}`
    const muted = await app().inject({ method: 'POST', url: action, headers: form, payload })
    expect(muted.statusCode).toBe(200)
    expect(muted.body).toContain('<h1>Muted</h1>')
    expect(decodeEntities(muted.body)).toContain('NOT author:"Jane Doe"')
    expect(hrefContaining(muted.body, '/preferences?token=')).toBeDefined()

    const again = await app().inject({ method: 'POST', url: action, headers: form, payload })
    expect(again.statusCode).toBe(200)
    expect(again.body).toContain('<h1>Already muted</h1>')
  })

  it('the preference centre shows the mute as a NOT clause', async () => {
    expect(mutedBox((await preferencesPage()).body)).toBe('NOT author:"Jane Doe"')
  })

  it("the next digest lacks the muted author's other papers, and its preview agreed", async () => {
    clock = new Date('2026-06-13T05:00:00Z')
    expect((await ingestMatched(env.runtime, ADMIN_TOKEN, JSON.stringify(DAY_TWO))).new).toBe(3)
    const preview = await previewDigest((await env.runtime.services.commandDeps()).preview, EMAIL)
    expect(preview.total).toBe(2)
    await runDigestsAndWait(env.runtime, () => clock, { now: true, email: EMAIL })
    const mail = digestEmails(env.smtp, EMAIL).at(-1)
    const text = mail?.parsed.text ?? ''
    expect(mail?.parsed.subject).toBe(preview.rendered?.subject)
    expect(text).not.toContain('Another diffusion paper by the muted author')
    expect(text).toContain('Diffusion for music generation')
    expect(text).toContain('Diffusion in the kitchen, again')
  })

  it('"mute this word" offers the matched words and takes a typed term, refusing one the parser refuses', async () => {
    const link = triageLink(firstHtml, 'word', '2606.10002')
    const page = await app().inject({ url: link })
    expect(page.statusCode).toBe(200)
    expect(radioValues(page.body)).toContain('diffusion')
    const action = postFormAction(page.body, '/triage/word') ?? ''

    const bad = await app().inject({
      method: 'POST',
      url: action,
      headers: form,
      payload: `term=diffusion&custom=${encodeURIComponent('"kitchen')}`,
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Please fix the following')
    expect(decodeEntities(bad.body)).toContain('Cannot mute "\\"kitchen": ')
    expect(decodeEntities(bad.body)).toContain('value=""kitchen"')

    const muted = await app().inject({
      method: 'POST',
      url: action,
      headers: form,
      payload: `term=diffusion&custom=kitchen`,
    })
    expect(muted.statusCode).toBe(200)
    expect(decodeEntities(muted.body)).toContain('NOT kitchen')
    // The web view of the digest already sent drops the muted paper too.
    const webView = pathOf(hrefContaining(firstHtml, '/digests/') ?? '')
    const view = await app().inject({ url: webView })
    expect(view.statusCode).toBe(200)
    expect(view.body).not.toContain('Diffusion policies for kitchen robots')
    // Muted before: Jane Doe's paper; the hostile one remains.
    expect(view.body).not.toContain('Latent diffusion for protein folding')
    expect(view.body.match(/<article\b/g)).toHaveLength(1)
    expect(view.body).toContain('&lt;x-evil onmouseover&#x3D;alert(2)&gt; attacks')
    expect(view.body).not.toContain('<x-evil')
  })

  it('"more like this" proposes an interest from the paper and adds it on POST, once', async () => {
    const link = triageLink(firstHtml, 'more', '2606.10001')
    const page = await app().inject({ url: link })
    expect(page.statusCode).toBe(200)
    const proposed = decodeEntities(
      page.body.match(/id="interest" name="interest" value="([^"]*)"/)?.[1] ?? '',
    )
    // Only "diffusion" matched it, no phrase, and it has no keywords: its primary category.
    expect(proposed).toBe('category:q-bio.BM')
    const action = postFormAction(page.body, '/triage/more') ?? ''

    const refused = await app().inject({
      method: 'POST',
      url: action,
      headers: form,
      payload: `interest=${encodeURIComponent('protein AND (')}`,
    })
    expect(refused.statusCode).toBe(400)
    expect(decodeEntities(refused.body)).toContain('Cannot add "protein AND (": ')
    // One interest is one line: a field posted with a line break inside is refused whole.
    const twoLines = await app().inject({
      method: 'POST',
      url: action,
      headers: form,
      payload: `interest=${encodeURIComponent('protein\nfolding')}`,
    })
    expect(twoLines.statusCode).toBe(400)
    expect(decodeEntities(twoLines.body)).toContain('must be a single line')

    const payload = `interest=${encodeURIComponent('protein folding')}`
    const added = await app().inject({ method: 'POST', url: action, headers: form, payload })
    expect(added.statusCode).toBe(200)
    expect(added.body).toContain('<h1>Interest added</h1>')
    const again = await app().inject({ method: 'POST', url: action, headers: form, payload })
    expect(again.body).toContain('<h1>You already have this interest</h1>')
    const { body } = await preferencesPage()
    const interests = body.match(/<textarea id="interests"[^>]*>\n?([^<]*)<\/textarea>/)?.[1]
    expect(interests).toBe('diffusion\nprotein folding')
  })

  it('escapes a hostile author name and title on the confirmation page', async () => {
    const page = await app().inject({ url: triageLink(firstHtml, 'author', '2606.10003') })
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('<x-evil')
    expect(page.body).toContain(
      '<strong>Diffusion &lt;x-evil onmouseover&#x3D;alert(2)&gt; attacks</strong>',
    )
    expect(page.body).toContain(
      '>Mallory &lt;x-evil onmouseover&#x3D;alert(1)&gt; &quot;Quote&quot;</label>',
    )
    // The quotes of the name cannot sit inside the term's own quotes: they become spaces.
    const [term] = radioValues(page.body)
    expect(term).toBe('author:"Mallory <x-evil onmouseover=alert 1 > Quote"')
    const action = postFormAction(page.body, '/triage/author') ?? ''
    const muted = await app().inject({
      method: 'POST',
      url: action,
      headers: form,
      payload: `term=${encodeURIComponent(term ?? '')}`,
    })
    expect(muted.statusCode).toBe(200)
    expect(muted.body).not.toContain('<x-evil')
    expect(decodeEntities(muted.body)).toContain(`NOT ${term}`)
  })

  it('edits the muted terms in the preference centre, saying which line is wrong and why', async () => {
    const { url, body } = await preferencesPage()
    const action = postFormAction(body, '/preferences?token=') ?? url
    const fields = (muted: string) =>
      new URLSearchParams({
        interests: 'diffusion\nprotein folding',
        frequency: 'daily',
        weekday: 'mon',
        hour: '8',
        timezone: 'UTC',
        muted,
      }).toString()
    const refused = await app().inject({
      method: 'POST',
      url: action,
      headers: form,
      payload: fields('NOT author:"Jane Doe"\n\nNOT "unclosed'),
    })
    expect(refused.statusCode).toBe(400)
    expect(decodeEntities(refused.body)).toContain('Muted: line 3: unclosed quote at 1')
    // Nothing was saved: the mutes are still both there.
    expect(mutedBox((await preferencesPage()).body)).toBe(
      'NOT author:"Jane Doe"\nNOT kitchen\nNOT author:"Mallory <x-evil onmouseover=alert 1 > Quote"',
    )

    const saved = await app().inject({
      method: 'POST',
      url: action,
      headers: form,
      payload: fields('NOT kitchen\n'),
    })
    expect(saved.statusCode).toBe(200)
    expect(mutedBox((await preferencesPage()).body)).toBe('NOT kitchen')
  })

  it('a muted paper never comes back, and a digest of muted papers only is not sent', async () => {
    // Jane Doe is unmuted now, but her day-two paper went with the digest that muted it.
    const preview = () =>
      env.runtime.services.commandDeps().then((deps) => previewDigest(deps.preview, EMAIL))
    expect((await preview()).total).toBe(0)

    clock = new Date('2026-06-14T05:00:00Z')
    const kitchen = {
      papers: [
        {
          id: '2606.30001',
          title: 'Diffusion robots in the kitchen',
          abstract: 'Yet another kitchen.',
          authors: ['Gil Noe'],
        },
      ],
    }
    expect((await ingestMatched(env.runtime, ADMIN_TOKEN, JSON.stringify(kitchen))).new).toBe(1)
    expect((await preview()).total).toBe(0)
    const before = digestEmails(env.smtp, EMAIL).length
    expect(
      await runDigestsAndWait(env.runtime, () => clock, { now: true, email: EMAIL }),
    ).toHaveLength(1)
    expect(digestEmails(env.smtp, EMAIL)).toHaveLength(before)
  })

  it('answers 404 for a paper or an action the link does not really name', async () => {
    const link = triageLink(firstHtml, 'word', '2606.10001')
    for (const url of [
      link.replace('p=2606.10001', 'p=2699.99999'),
      link.replace('p=2606.10001', 'p=2606.10001&p=2606.10002'),
      link.replace('/triage/word', '/triage/delete'),
    ]) {
      const page = await app().inject({ url })
      expect(page.statusCode, url).toBe(404)
      expect(page.body).toContain('Paper not found')
    }
  })

  it('a triage link stops working once the subscriber signs out all links', async () => {
    const { body } = await preferencesPage()
    const signOut = postFormAction(body, '/preferences/sign-out') ?? ''
    expect((await app().inject({ method: 'POST', url: signOut, headers: form })).statusCode).toBe(
      200,
    )
    const link = triageLink(firstHtml, 'word', '2606.10001')
    expect((await app().inject({ url: link })).statusCode).toBe(410)
    const post = await app().inject({
      method: 'POST',
      url: link,
      headers: form,
      payload: 'custom=robot',
    })
    expect(post.statusCode).toBe(410)
  })
})
