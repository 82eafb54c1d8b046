/** Public surface of the ingestion sources: pure parsers, format detection, and the fetcher. */

export { arxivAbsUrl, type IdResult, isArxivId, normaliseId } from '../domain/papers/ids.js'
export { type ArxivAtomOutcome, parseArxivAtom } from './arxiv-atom.js'
export {
  ARXIV_DELAY_MS,
  type ArxivPage,
  type ArxivPagingOptions,
  arxivPages,
  fetchArxivQuery,
} from './arxiv-pager.js'
export { parseArxivRss } from './arxiv-rss.js'
export { MAX_BODY_BYTES } from './body.js'
export { cleanText, MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS } from './clean-text.js'
export { detectFormat, parseAny, parsers } from './detect.js'
export {
  buildUserAgent,
  FetchError,
  type FetchOptions,
  type FetchResult,
  fetchSource,
  type HttpCache,
  type RetryEvent,
} from './fetch.js'
export { parseHfDaily } from './hf-daily.js'
export { parsePaperboyJson } from './paperboy-json.js'
export * from './types.js'
export {
  ARXIV_API,
  ARXIV_RSS,
  arxivQueryUrl,
  arxivRssUrl,
  HF_DAILY_API,
  hfDailyUrl,
} from './urls.js'
