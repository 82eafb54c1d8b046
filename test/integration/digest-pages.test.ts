import { describe, expect, it } from 'vitest'
import { deliveryEnvironment } from '../helpers/delivery-environment.js'
import { ingestMatched, runDigestsAndWait, subscribeConfirmed } from '../helpers/flows.js'
import { decodeEntities, hrefContaining } from '../helpers/html.js'
import { linksIn, pathOf } from '../helpers/runtime.js'

const ADMIN_TOKEN = 'admin-token-for-digest-pages-1234'
const EMAIL = 'reader@example.org'
const env = deliveryEnvironment('digest_pages', { adminToken: ADMIN_TOKEN, now: () => new Date() })

const app = () => {
  if (!env.runtime.app) throw new Error('runtime has no HTTP app')
  return env.runtime.app
}

// 150 diffusion papers (more upvotes, so their group comes first) and 100 robot papers: 250
// papers, three pages of 100, the second one shared by both groups.
const papers = [
  ...Array.from({ length: 150 }, (_, i) => ({
    id: `2611.${10000 + i}`,
    title: `Diffusion study number ${i}`,
    abstract: 'We train diffusion models on images and measure what they learn.',
    upvotes: 1000 - i,
  })),
  ...Array.from({ length: 100 }, (_, i) => ({
    id: `2611.${20000 + i}`,
    title: `Robot study number ${i}`,
    abstract: 'Robots grasp household objects in a cluttered kitchen.',
    upvotes: 100 - i,
  })),
]

/** The paper titles a page shows, as read (highlights and links are markup inside them). */
const titles = (html: string) =>
  [...html.matchAll(/<h3>(.*?)<\/h3>/gs)].map((m) =>
    decodeEntities((m[1] ?? '').replace(/<[^>]*>/g, '')),
  )
const articles = (html: string) => html.match(/<article\b/g)?.length ?? 0

describe('the web view of a large digest, a hundred papers a page', () => {
  let firstPage = ''

  it('opens on page 1 of 3 from the email, with a link to the next page that keeps the token', async () => {
    await subscribeConfirmed(env.runtime, env.smtp, EMAIL, { interests: ['diffusion', 'robot*'] })
    expect((await ingestMatched(env.runtime, ADMIN_TOKEN, JSON.stringify({ papers }))).new).toBe(
      250,
    )
    expect(await runDigestsAndWait(env.runtime, () => new Date(), { now: true })).toHaveLength(1)
    const mail = env.smtp.to(EMAIL).at(-1)
    firstPage = pathOf(linksIn(mail?.parsed.text).find((l) => l.includes('/digests/')) ?? '')
    expect(firstPage).toMatch(/^\/digests\/\d+\?token=[^&]+$/)

    const page = await app().inject({ url: firstPage })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<h1>Your digest: 250 papers</h1>')
    expect(page.body).toContain('Page 1 of 3')
    expect(articles(page.body)).toBe(100)
    expect(hrefContaining(page.body, 'page=0')).toBeUndefined()
    const next = hrefContaining(page.body, 'page=2')
    expect(next).toBe(`${firstPage}&page=2`)
  })

  it('shows every paper once across the pages, in reading order, groups continued across a page break', async () => {
    const pages = await Promise.all(
      [1, 2, 3].map(async (n) => (await app().inject({ url: `${firstPage}&page=${n}` })).body),
    )
    expect(pages.map(articles)).toEqual([100, 100, 50])
    expect(pages.flatMap(titles)).toEqual(papers.map((p) => p.title))
    expect(pages[1]).toContain('<h2 id="group-1">diffusion (continued)</h2>')
    expect(pages[1]).toContain('<h2 id="group-2">robot*</h2>')
    expect(pages[2]).toContain('<h2 id="group-1">robot* (continued)</h2>')
    expect(hrefContaining(pages[1] ?? '', 'page=1')).toBe(`${firstPage}&page=1`)
    expect(hrefContaining(pages[1] ?? '', 'page=3')).toBe(`${firstPage}&page=3`)
    expect(pages[2]).toContain('Page 3 of 3')
    expect(hrefContaining(pages[2] ?? '', 'page=4')).toBeUndefined()
  })

  it('answers a page past the last with 404 and a page that is not a number with 400, saying why', async () => {
    const past = await app().inject({ url: `${firstPage}&page=4` })
    expect(past.statusCode).toBe(404)
    expect(past.body).toContain('This digest has 3 pages.')
    for (const bad of ['0', 'two', '-1', '1.5', '99999999999']) {
      const response = await app().inject({ url: `${firstPage}&page=${bad}` })
      expect(response.statusCode, `page=${bad}`).toBe(400)
      expect(response.body).toContain('The page number must be a whole number from 1')
    }
    const forged = firstPage.replace(/token=[^&]+/, 'token=forged')
    expect((await app().inject({ url: `${forged}&page=2` })).statusCode).not.toBe(200)
  })
})
