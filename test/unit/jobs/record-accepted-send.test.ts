import { describe, expect, it } from 'vitest'
import { isConnectionLost } from '../../../services/db/connection-lost.js'
import { recordAcceptedSend } from '../../../services/jobs/record-accepted-send.js'

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code })

describe('recording a send the SMTP server accepted', () => {
  it('tries again while the database is unreachable, then records it', async () => {
    const failures = [
      new Error('Connection terminated unexpectedly'),
      withCode('terminating connection due to administrator command', '57P01'),
      // drizzle wraps the driver's error; the cause says what happened.
      new Error('Failed query: update "digests" …', {
        cause: withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      }),
    ]
    const waits: number[] = []
    let recorded = 0
    await recordAcceptedSend(
      async () => {
        const failure = failures.shift()
        if (failure) throw failure
        recorded++
      },
      (_error, waitMs) => waits.push(waitMs),
      async () => {},
    )
    expect(recorded).toBe(1)
    expect(waits).toEqual([250, 500, 1_000])
  })

  it('throws at once what trying again cannot fix', async () => {
    const refused = withCode('invalid byte sequence for encoding "UTF8": 0x00', '22021')
    let attempts = 0
    await expect(
      recordAcceptedSend(
        async () => {
          attempts++
          throw refused
        },
        () => {},
        async () => {},
      ),
    ).rejects.toBe(refused)
    expect(attempts).toBe(1)
  })

  it('gives up after about a minute, with the last failure', async () => {
    let attempts = 0
    let waited = 0
    await expect(
      recordAcceptedSend(
        async () => {
          attempts++
          throw withCode(`connection failure ${attempts}`, '08006')
        },
        (_error, waitMs) => {
          waited += waitMs
        },
        async () => {},
      ),
    ).rejects.toThrow('connection failure 9')
    expect(attempts).toBe(9)
    expect(waited).toBeGreaterThanOrEqual(60_000)
  })
})

describe('isConnectionLost', () => {
  it('tells a lost database from a refused statement', () => {
    expect(isConnectionLost(withCode('the database system is starting up', '57P03'))).toBe(true)
    expect(isConnectionLost(withCode('connection reset', 'ECONNRESET'))).toBe(true)
    expect(isConnectionLost(withCode('duplicate key value', '23505'))).toBe(false)
    expect(isConnectionLost(new Error('syntax error at or near "x"'))).toBe(false)
    expect(isConnectionLost('not an error')).toBe(false)
  })
})
