import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { papers } from '../../services/db/schema/index.js'
import { deliveryEnvironment } from '../helpers/delivery-environment.js'
import { readFixture } from '../helpers/fixtures.js'
import {
  digestEmails,
  ingestMatched,
  runDigestsAndWait,
  subscribeConfirmed,
} from '../helpers/flows.js'
import { decodeEntities } from '../helpers/html.js'
import { linksIn, pathOf } from '../helpers/runtime.js'

// A digest's paper cards as the subscriber gets them: the email the SMTP server received (both
// parts) and the digest's page. Each card shows upvotes, organisation, arXiv id, primary
// category and date as chips, the source's https thumbnail, and why the paper is there, even
// when the words matched an author or a category rather than the text.

const ADMIN_TOKEN = 'admin-token-for-digest-card-tests'
const EMAIL = 'ada@example.org'
const HF_THUMBNAIL = 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2606.00467.png'
// Ingest strips whole tags (`</script>`); what is left still must not become markup.
const HOSTILE_ORGANISATION = `AT&T <Research> "Labs" 'x' ></script>`
const STORED_ORGANISATION = `AT&T <Research> "Labs" 'x' >`
const clock = new Date('2026-06-12T05:00:00Z')
const env = deliveryEnvironment('digest_cards', { adminToken: ADMIN_TOKEN, now: () => clock })

/** arXiv's word on a paper Hugging Face listed: categories, and no thumbnail or organisation. */
const ARXIV_UPDATE = {
  papers: [
    {
      id: '2606.00467',
      title:
        'On the Limits of LLM Adaptability: Impact of Model-Internalized Priors on Annotation Task Performance',
      abstract: 'The same paper, as arXiv lists it.',
      categories: ['cs.CL', 'cs.AI'],
    },
  ],
}

/** A new paper matched by its category alone, from a source that sends bad card data. */
const HOSTILE = {
  papers: [
    {
      id: '2606.99001',
      title: 'Sparse kernels for attention',
      abstract: 'Nothing in this text names the interest that matched it.',
      authors: ['Grace Hopper'],
      categories: ['cs.LG'],
      upvotes: 7,
      publishedAt: '2026-06-11T00:00:00Z',
      organization: HOSTILE_ORGANISATION,
      thumbnailUrl: 'http://insecure.example/thumb.png',
    },
  ],
}

const app = () => {
  const found = env.runtime.app
  if (!found) throw new Error('the runtime has no HTTP app')
  return found
}

async function thumbnailOf(id: string) {
  const [row] = await env.runtime.database.db
    .select({ thumbnailUrl: papers.thumbnailUrl, categories: papers.categories })
    .from(papers)
    .where(eq(papers.id, id))
  return row
}

describe('digest cards', () => {
  let html = ''
  let text = ''

  it('stores the Hugging Face thumbnail, keeps it when arXiv adds categories, drops an http one', async () => {
    await subscribeConfirmed(env.runtime, env.smtp, EMAIL, {
      interests: ['author:"Rafal Kocielnik"', 'category:cs.LG'],
    })
    expect(
      (
        await ingestMatched(
          env.runtime,
          ADMIN_TOKEN,
          readFixture('hf-daily-papers-2026-06-12.json'),
        )
      ).new,
    ).toBe(30)
    await ingestMatched(env.runtime, ADMIN_TOKEN, JSON.stringify(ARXIV_UPDATE))
    expect((await ingestMatched(env.runtime, ADMIN_TOKEN, JSON.stringify(HOSTILE))).new).toBe(1)
    expect(await thumbnailOf('2606.00467')).toEqual({
      thumbnailUrl: HF_THUMBNAIL,
      categories: ['cs.CL', 'cs.AI'],
    })
    expect((await thumbnailOf('2606.99001'))?.thumbnailUrl).toBeNull()
  })

  it('sends an email whose cards carry chips, a fixed-size thumbnail and why, in both parts', async () => {
    expect(await runDigestsAndWait(env.runtime, () => clock, { now: true })).toHaveLength(1)
    const [mail] = digestEmails(env.smtp, EMAIL)
    html = String(mail?.parsed.html)
    text = mail?.parsed.text ?? ''
    expect(Buffer.byteLength(html)).toBeLessThan(100_000)

    // Rafal Kocielnik wrote two of the day's papers; the third paper's http thumbnail is gone.
    const images = html.match(/<img\b[^>]*>/g) ?? []
    expect(images).toHaveLength(2)
    expect(images.join()).toContain(`src="${HF_THUMBNAIL}"`)
    for (const image of images) {
      expect(image).toMatch(/^<img class="thumb" src="https:\/\/cdn-thumbnails\.huggingface\.co\//)
      expect(image).toMatch(/ alt="Paper thumbnail" width="120" height="63" /)
    }
    expect(html).not.toContain('insecure.example')

    const shown = decodeEntities(html.replace(/<[^>]+>/g, ''))
    const chips = 'California institute of technology · arXiv 2606.00467 · cs.CL · 30 May 2026'
    expect(text).toContain(`\n   ${chips}\n`)
    const why = 'Matched: author:"Rafal Kocielnik" (author Rafal Kocielnik)'
    expect(text).toContain(`\n   ${why}\n`)
    expect(shown).toContain(why)
    expect(shown).toMatch(
      /California institute of technology\s*arXiv 2606\.00467\s*cs\.CL\s*30 May 2026/,
    )

    // The category-matched paper: its why names the category, its organisation stays text.
    expect(text).toContain(
      `\n   ▲ 7 upvotes · ${STORED_ORGANISATION} · arXiv 2606.99001 · cs.LG · 11 Jun 2026\n`,
    )
    expect(text).toContain('\n   Matched: category:cs.LG (category cs.LG)\n')
    expect(html).not.toContain('<Research>')
    expect(html).toContain('AT&amp;T &lt;Research&gt; &quot;Labs&quot; &#x27;x&#x27; &gt;')
  })

  it('shows the same cards on the digest page, escaped, its thumbnail allowed by the CSP', async () => {
    const link = linksIn(text).find((l) => l.includes('/digests/')) ?? ''
    const page = await app().inject({ url: pathOf(link) })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-security-policy']).toMatch(/img-src 'self' data: https:/)
    expect(page.body).toMatch(
      new RegExp(
        `<img class="paper-thumb" src="${HF_THUMBNAIL}" alt="Paper thumbnail" width="120" height="63" loading="lazy"`,
      ),
    )
    expect(page.body.match(/<img\b/g)).toHaveLength(2)
    expect(page.body).toContain(
      '<li>California institute of technology</li><li>arXiv 2606.00467</li><li>cs.CL</li><li>30 May 2026</li>',
    )
    expect(page.body).toContain(
      'Matched: <strong>author:&quot;Rafal Kocielnik&quot;</strong> (author Rafal Kocielnik)',
    )
    expect(page.body).toContain('Matched: <strong>category:cs.LG</strong> (category cs.LG)')
    expect(page.body).toContain(
      '<li>AT&amp;T &lt;Research&gt; &quot;Labs&quot; &#x27;x&#x27; &gt;</li>',
    )
    expect(page.body).not.toContain('<Research>')
  })
})
