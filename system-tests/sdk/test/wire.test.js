// The wire format without the SDK, as curl would see it: GET with a query string, POST with a
// JSON body, and Seam's JSON errors for wrong methods, unreadable bodies, missing keys and paths.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { TIMESTAMP, UUID, apiKey, endpoint, newUserIdentityId, randomUUID, seamClient } from '../lib/env.js'
import { assertMatchesSchema } from '../lib/schemas.js'

const seam = seamClient()
let owner
let phone

async function call(method, path, { query, body, rawBody, key = apiKey, headers = {} } = {}) {
  const url = new URL(`${endpoint}${path}`)
  if (query) for (const [name, value] of Object.entries(query)) url.searchParams.append(name, value)
  const init = { method, headers: { ...headers } }
  if (key != null) init.headers.Authorization = `Bearer ${key}`
  if (body !== undefined || rawBody !== undefined) {
    init.headers['Content-Type'] = 'application/json'
    init.body = rawBody ?? JSON.stringify(body)
  }
  const response = await fetch(url, init)
  const text = await response.text()
  const description = `${method} ${url.pathname}${url.search} → ${response.status} ${text}`
  let json
  try {
    json = JSON.parse(text)
  } catch {
    assert.fail(`not JSON: ${description}`)
  }
  return { status: response.status, headers: response.headers, json, description }
}

function assertOk(result, key) {
  assert.equal(result.status, 200, result.description)
  assert.match(result.headers.get('content-type') ?? '', /^application\/json/, result.description)
  assert.equal(result.json.ok, true, result.description)
  if (key !== undefined) assert.ok(key in result.json, `"${key}" in ${result.description}`)
  return result.json
}

function assertSeamError(result, status, type) {
  assert.equal(result.status, status, result.description)
  assert.match(result.headers.get('content-type') ?? '', /^application\/json/, result.description)
  const { error, ok } = result.json
  assert.equal(ok, false, result.description)
  assert.equal(typeof error, 'object', result.description)
  if (type !== undefined) assert.equal(error.type, type, result.description)
  assert.equal(typeof error.type, 'string', result.description)
  assert.equal(typeof error.message, 'string', result.description)
  assert.ok(error.message.length > 0, result.description)
  assert.doesNotMatch(error.message, /Exception|\tat |\n\s+at /, `no stack trace: ${result.description}`)
  const requestId = result.headers.get('seam-request-id')
  assert.ok(requestId, `seam-request-id header: ${result.description}`)
  assert.equal(error.request_id, requestId, `error.request_id equals the header: ${result.description}`)
  return error
}

test('setup: a phone to read', async () => {
  owner = await newUserIdentityId(seam)
  phone = await seam.phones.simulate.createSandboxPhone({ user_identity_id: owner })
})

test('GET with the SDK\'s query form (_strict=true) reads a phone, a list and the workspace', async () => {
  const got = assertOk(await call('GET', '/phones/get', { query: { _strict: 'true', device_id: phone.device_id } }), 'phone')
  assertMatchesSchema('phone', got.phone, 'GET /phones/get')
  assert.deepEqual(got.phone, phone)

  const listed = assertOk(
    await call('GET', '/phones/list', { query: { _strict: 'true', limit: '10', owner_user_identity_id: owner } }),
    'phones',
  )
  assert.deepEqual(listed.phones, [phone])
  assertMatchesSchema('pagination', listed.pagination, 'GET /phones/list pagination')

  const workspace = assertOk(await call('GET', '/workspaces/get', { query: { _strict: 'true' } }), 'workspace')
  assertMatchesSchema('workspace', workspace.workspace, 'GET /workspaces/get')
  const workspaces = assertOk(await call('GET', '/workspaces/list', { query: { _strict: 'true' } }), 'workspaces')
  assert.deepEqual(workspaces.workspaces, [workspace.workspace])
})

test('POST with a JSON body serves the same reads', async () => {
  const got = assertOk(await call('POST', '/phones/get', { body: { device_id: phone.device_id } }), 'phone')
  assert.deepEqual(got.phone, phone)
  const listed = assertOk(await call('POST', '/phones/list', { body: { owner_user_identity_id: owner } }), 'phones')
  assert.deepEqual(listed.phones, [phone])
  const workspace = assertOk(await call('POST', '/workspaces/get', { body: {} }), 'workspace')
  assertMatchesSchema('workspace', workspace.workspace, 'POST /workspaces/get')
})

test('POST creates a sandbox phone; POST and DELETE deactivate with {"ok": true}', async () => {
  const created = assertOk(
    await call('POST', '/phones/simulate/create_sandbox_phone', {
      body: { user_identity_id: owner, phone_metadata: { operating_system: 'android', device_model: 'Pixel 8' } },
    }),
    'phone',
  )
  assertMatchesSchema('phone', created.phone, 'POST /phones/simulate/create_sandbox_phone')
  assert.match(created.phone.device_id, UUID)
  assert.match(created.phone.created_at, TIMESTAMP)
  assert.equal(created.phone.device_type, 'android_phone')

  const posted = assertOk(await call('POST', '/phones/deactivate', { body: { device_id: created.phone.device_id } }))
  assert.deepEqual(posted, { ok: true })
  const deleted = assertOk(
    await call('DELETE', '/phones/deactivate', { query: { _strict: 'true', device_id: created.phone.device_id } }),
  )
  assert.deepEqual(deleted, { ok: true })
  assertSeamError(await call('GET', '/phones/get', { query: { device_id: created.phone.device_id } }), 404, 'phone_not_found')
})

test('a wrong method answers 405 in Seam\'s JSON error format', async () => {
  for (const [method, path] of [
    ['GET', '/phones/simulate/create_sandbox_phone'],
    ['PATCH', '/phones/get'],
    ['PUT', '/phones/list'],
    ['GET', '/phones/deactivate'],
    ['DELETE', '/workspaces/get'],
  ]) {
    assertSeamError(await call(method, path, { query: { device_id: phone.device_id } }), 405)
  }
})

test('a malformed JSON body answers 400 invalid_input', async () => {
  for (const rawBody of ['{"device_id": ', 'not json at all', '[1, 2]']) {
    assertSeamError(await call('POST', '/phones/get', { rawBody }), 400, 'invalid_input')
  }
})

test('a missing or invalid parameter answers 400 invalid_input with zod-style validation_errors', async () => {
  const missing = assertSeamError(await call('POST', '/phones/get', { body: {} }), 400, 'invalid_input')
  assert.ok(Array.isArray(missing.validation_errors?._errors), JSON.stringify(missing))
  assert.ok(missing.validation_errors.device_id?._errors?.length > 0, JSON.stringify(missing))

  const invalid = assertSeamError(
    await call('GET', '/phones/get', { query: { _strict: 'true', device_id: 'not-a-uuid' } }),
    400,
    'invalid_input',
  )
  assert.ok(invalid.validation_errors.device_id._errors.length > 0, JSON.stringify(invalid))

  const create = assertSeamError(await call('POST', '/phones/simulate/create_sandbox_phone', { body: {} }), 400, 'invalid_input')
  assert.ok(create.validation_errors.user_identity_id._errors.length > 0, JSON.stringify(create))
})

test('no, or a wrong, API key answers 401 unauthorized', async () => {
  assertSeamError(await call('GET', '/phones/list', { key: null }), 401, 'unauthorized')
  assertSeamError(await call('GET', '/workspaces/get', { key: null }), 401, 'unauthorized')
  assertSeamError(await call('GET', '/phones/list', { key: `seam_${randomUUID()}` }), 401, 'unauthorized')
  assertSeamError(await call('GET', '/phones/list', { key: 'not-a-seam-key' }), 401, 'unauthorized')
  assertSeamError(await call('POST', '/admin/workspaces/create', { body: { name: 'x' } }), 401, 'unauthorized')
})

test('a path nothing serves answers 404 in Seam\'s JSON error format', async () => {
  assertSeamError(await call('GET', '/no_such_resource/get'), 404, 'endpoint_not_found')
  assertSeamError(await call('POST', '/phones/no_such_action', { body: {} }), 404, 'endpoint_not_found')
})
