/** What a `paperboy serve` process runs: everything, or the API, the workers or the scheduler. */
export type Role = 'all' | 'api' | 'worker' | 'scheduler'
export const ROLES: readonly Role[] = ['all', 'api', 'worker', 'scheduler']
