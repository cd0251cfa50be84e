// Helpers shared by the /acs/users and /acs/credentials suites: a fresh sandbox workspace whose
// key every service accepts, and polling for what other services publish through Kafka.
import assert from 'node:assert/strict'

import { SeamHttpApiError } from '@seamapi/http'

import { awaitAccepted, createSandboxWorkspace, rejection, sleep } from './env.js'

/**
 * A new workspace with the sandbox's devices and its ACS system (a credential manager), its key
 * accepted by every service the suites call: { workspace, apiKey, provisioned, seam, acsSystem }.
 */
export async function createAcsSandbox() {
  const sandbox = await createSandboxWorkspace()
  const { seam } = sandbox
  await awaitAccepted(() => seam.workspaces.get(), { what: 'the new workspace\'s key (identity-service)' })
  await awaitAccepted(() => seam.phones.list(), { what: 'the new workspace\'s key (phone-service)' })
  await awaitAccepted(() => seam.acs.users.list(), { what: 'the new workspace\'s key (credential-service /acs/users)' })
  await awaitAccepted(() => seam.acs.credentials.list(), { what: 'the new workspace\'s key (credential-service /acs/credentials)' })
  assert.equal(sandbox.provisioned.acs_systems.length, 1, 'the sandbox workspace has one ACS system')
  return { ...sandbox, acsSystem: sandbox.provisioned.acs_systems[0] }
}

/**
 * Calls `call` until it no longer throws a 404 whose code is in `codes`: what another service
 * created (a user identity, an ACS system) reaches credential-service through Kafka shortly after.
 * Any other error is thrown at once.
 */
export async function retryWhileNotFound(call, codes, { timeoutMs = 15_000, what = 'the call' } = {}) {
  const started = Date.now()
  let last
  while (Date.now() - started < timeoutMs) {
    try {
      return await call()
    } catch (error) {
      if (!(error instanceof SeamHttpApiError) || error.statusCode !== 404 || !codes.includes(error.code)) throw error
      last = error
    }
    await sleep(50)
  }
  throw new Error(`${what} still failed after ${timeoutMs} ms: ${last?.code}: ${last?.message}`)
}

/** Polls `probe` until `done(value)` holds; returns { value, elapsedMs }, fails with the last value seen. */
export async function eventually(probe, done, { timeoutMs = 10_000, intervalMs = 25, what = 'the condition' } = {}) {
  const started = Date.now()
  let last
  while (true) {
    last = await probe()
    const elapsedMs = Date.now() - started
    if (done(last)) return { value: last, elapsedMs }
    if (elapsedMs >= timeoutMs) break
    await sleep(intervalMs)
  }
  assert.fail(`${what} did not happen within ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`)
}

/** Asserts that `call` throws a SeamHttpApiError with this code and HTTP status; returns it. */
export async function apiError(call, code, statusCode) {
  const error = await rejection(call, SeamHttpApiError)
  assert.equal(error.code, code, `error code (message: ${error.message})`)
  assert.equal(error.statusCode, statusCode)
  assert.ok(typeof error.requestId === 'string' && error.requestId.length > 0, 'requestId is set')
  return error
}

/** Sorted ids of a list of objects, for order-insensitive comparisons. */
export const idsOf = (objects, key) => objects.map((object) => object[key]).sort()
