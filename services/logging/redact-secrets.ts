/**
 * Signed links are credentials that never expire, and connection URLs can carry passwords:
 * neither may reach a log line. These patterns find them inside any text (a request URL, an
 * error message, a stack) so the logger can blank them wherever they turn up.
 */

const REDACTED = '[redacted]'

// A parameter whose name ends like this carries a credential: token, adminToken, access_token,
// api_key, password, client_secret, signature...
const SECRET_NAME = String.raw`[\w.-]*?(?:token|secret|password|passwd|key|signature)`

/** `?token=…` / `&token=…` up to the next separator. */
const QUERY_SECRET = new RegExp(String.raw`([?&;]${SECRET_NAME}=)[^&#\s"'\\<>]*`, 'gi')

/** The same inside a percent-encoded URL (`%3Ftoken%3D…`), as in a `next=` parameter. */
const ENCODED_QUERY_SECRET = new RegExp(
  String.raw`((?:%3F|%26)${SECRET_NAME}%3D)(?:(?!%26)[^&#\s"'\\<>])*`,
  'gi',
)

/**
 * Feed addresses carry their token in the path (`/feeds/<token>.atom`): feed readers keep an
 * address as given, and some mangle query strings. The format suffix stays readable.
 */
const PATH_SECRET = /(\/feeds\/)[^/?#\s"'\\<>]+?(\.(?:atom|rss|json))?(?=$|[/?#\s"'\\<>])/gi

/** The same percent-encoded (`%2Ffeeds%2F…`), as in a `next=` parameter. */
const ENCODED_PATH_SECRET = /(%2Ffeeds%2F)[\w.-]+/gi

/** The password in `scheme://user:password@host`. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s/:@"'\\]*:)[^\s/@"'\\]*@/gi

export function redactSecrets(text: string): string {
  return text
    .replace(QUERY_SECRET, `$1${REDACTED}`)
    .replace(ENCODED_QUERY_SECRET, `$1${REDACTED}`)
    .replace(PATH_SECRET, `$1${REDACTED}$2`)
    .replace(ENCODED_PATH_SECRET, `$1${REDACTED}`)
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
}

/** Every string in a plain (already serialized) value, redacted; other values as they are. */
export function redactSecretsDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value)
  // Serialized errors are shallow; the bound keeps a cyclic or huge value from costing much.
  if (depth > 4 || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((item) => redactSecretsDeep(item, depth + 1))
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, redactSecretsDeep(item, depth + 1)]),
  )
}
