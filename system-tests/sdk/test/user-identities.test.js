// Every userIdentities.* call through the official SDK, as an app would use them: create, read,
// list (filters and the paginator across pages), update, instant keys, ACS users and systems,
// device access, and delete, refused while a phone is active and allowed once it is deactivated.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { SeamHttpApiError, SeamHttpInvalidInputError } from '@seamapi/http'

import { TIMESTAMP, UUID, randomUUID, rejection, seamClient } from '../lib/env.js'
import { assertMatchesSchema } from '../lib/schemas.js'

const seam = seamClient()
const marker = `uid-${randomUUID().slice(0, 8)}`
let workspaceId
let jane

function assertIdentity(identity, context) {
  assertMatchesSchema('user_identity', identity, context)
  assert.equal(identity.workspace_id, workspaceId, `${context}: workspace_id`)
  assert.match(identity.created_at, TIMESTAMP, `${context}: created_at is ISO-8601 UTC with milliseconds`)
  return identity
}

async function apiError(call, code, statusCode) {
  const error = await rejection(call, SeamHttpApiError)
  assert.equal(error.code, code)
  assert.equal(error.statusCode, statusCode)
  assert.ok(error.requestId.length > 0, 'requestId is set')
  return error
}

test('setup: the sandbox workspace', async () => {
  workspaceId = (await seam.workspaces.get()).workspace_id
})

test('userIdentities.create returns every field of the user_identity object', async () => {
  jane = await seam.userIdentities.create({
    user_identity_key: `${marker}-jane`,
    email_address: `${marker}-jane@example.com`,
    phone_number: `+1555${String(Date.now()).slice(-7)}`,
    full_name: `Jane ${marker}`,
  })
  assertIdentity(jane, 'create')
  assert.match(jane.user_identity_id, UUID)
  assert.equal(jane.user_identity_key, `${marker}-jane`)
  assert.equal(jane.display_name, `Jane ${marker}`)
  assert.deepEqual(jane.acs_user_ids, [])
  assert.deepEqual(jane.errors, [])
  assert.deepEqual(jane.warnings, [])

  const bare = assertIdentity(await seam.userIdentities.create({}), 'create {}')
  assert.equal(bare.email_address, null)
  assert.equal(bare.user_identity_key, null)
  assert.ok(bare.display_name.length > 0, 'display_name is never empty')
})

test('userIdentities.get finds it by user_identity_id and by user_identity_key', async () => {
  assert.deepEqual(assertIdentity(await seam.userIdentities.get({ user_identity_id: jane.user_identity_id }), 'get by id'), jane)
  assert.deepEqual(await seam.userIdentities.get({ user_identity_key: jane.user_identity_key }), jane)
  await apiError(() => seam.userIdentities.get({ user_identity_id: randomUUID() }), 'user_identity_not_found', 404)
})

test('userIdentities.list filters by user_identity_ids, search and created_before', async () => {
  const byIds = await seam.userIdentities.list({ user_identity_ids: [jane.user_identity_id] })
  byIds.forEach((identity, i) => assertIdentity(identity, `list by ids [${i}]`))
  assert.deepEqual(byIds, [jane])
  const bySearch = await seam.userIdentities.list({ search: `${marker}-jane@` })
  assert.deepEqual(bySearch.map((i) => i.user_identity_id), [jane.user_identity_id])
  const before = await seam.userIdentities.list({ search: marker, created_before: jane.created_at })
  assert.ok(!before.some((i) => i.user_identity_id === jane.user_identity_id), 'created_before excludes later identities')
})

test('createPaginator(userIdentities.list) walks every page, newest first, each item once', async () => {
  const created = []
  for (let i = 0; i < 7; i++) {
    created.push(await seam.userIdentities.create({ full_name: `Pager ${marker} ${i}` }))
  }
  const paginator = seam.createPaginator(seam.userIdentities.list({ search: `Pager ${marker}`, limit: 3 }))
  const pages = []
  for await (const page of paginator) {
    page.forEach((identity, i) => assertIdentity(identity, `page ${pages.length + 1} [${i}]`))
    pages.push(page)
  }
  assert.deepEqual(pages.map((page) => page.length), [3, 3, 1])
  const walked = pages.flat().map((identity) => identity.user_identity_id)
  assert.deepEqual(walked, created.map((identity) => identity.user_identity_id).reverse())

  const all = await seam.createPaginator(seam.userIdentities.list({ search: `Pager ${marker}`, limit: 2 })).flattenToArray()
  assert.deepEqual(all.map((identity) => identity.user_identity_id), walked)

  const [firstPage, pagination] = await paginator.firstPage()
  assert.equal(firstPage.length, 3)
  assert.equal(pagination.hasNextPage, true)
  const response = await seam.userIdentities.list({ search: `Pager ${marker}`, limit: 3 }).fetchResponse()
  assertMatchesSchema('pagination', response.pagination, 'list pagination')
  assert.equal(response.pagination.next_page_cursor, pagination.nextPageCursor)
})

test('userIdentities.update (PATCH) changes the fields given and keeps the others', async () => {
  assert.equal(await seam.userIdentities.update({ user_identity_id: jane.user_identity_id, full_name: `Jane Q ${marker}` }), undefined)
  const updated = assertIdentity(await seam.userIdentities.get({ user_identity_id: jane.user_identity_id }), 'get after update')
  assert.equal(updated.full_name, `Jane Q ${marker}`)
  assert.equal(updated.email_address, jane.email_address)
  jane = updated
})

test('a taken user_identity_key, email address or phone number is a clear error, not a 500', async () => {
  await apiError(() => seam.userIdentities.create({ user_identity_key: jane.user_identity_key }), 'user_identity_key_taken', 409)
  await apiError(() => seam.userIdentities.create({ email_address: jane.email_address.toUpperCase() }),
    'user_identity_email_address_taken', 409)
  await apiError(() => seam.userIdentities.create({ phone_number: jane.phone_number }), 'user_identity_phone_number_taken', 409)
})

test('an invalid email address or a phone number not in E.164 throws SeamHttpInvalidInputError naming it', async () => {
  const email = await rejection(() => seam.userIdentities.create({ email_address: 'not an email' }), SeamHttpInvalidInputError)
  assert.ok(email.getValidationErrorMessages('email_address').length > 0, 'email_address is named')
  const phone = await rejection(() => seam.userIdentities.create({ phone_number: '555-0100' }), SeamHttpInvalidInputError)
  assert.ok(phone.getValidationErrorMessages('phone_number').length > 0, 'phone_number is named')
  const id = await rejection(() => seam.userIdentities.get({ user_identity_id: 'nope' }), SeamHttpInvalidInputError)
  assert.ok(id.getValidationErrorMessages('user_identity_id').length > 0, 'user_identity_id is named')
})

test('userIdentities.generateInstantKey returns an instant_key for the identity', async () => {
  const key = await seam.userIdentities.generateInstantKey({ user_identity_id: jane.user_identity_id, max_use_count: 5 })
  assertMatchesSchema('instant_key', key, 'generateInstantKey')
  assert.equal(key.user_identity_id, jane.user_identity_id)
  assert.equal(key.workspace_id, workspaceId)
  assert.match(key.expires_at, TIMESTAMP)
  assert.ok(new Date(key.expires_at) > new Date(key.created_at), 'expires after it is created')
})

test('listAcsUsers and listAcsSystems list what the identity is linked to; unknown ACS users are not found', async () => {
  const acsUsers = await seam.userIdentities.listAcsUsers({ user_identity_id: jane.user_identity_id })
  acsUsers.forEach((user, i) => assertMatchesSchema('acs_user', user, `listAcsUsers[${i}]`))
  assert.deepEqual(acsUsers, [])
  const acsSystems = await seam.userIdentities.listAcsSystems({ user_identity_id: jane.user_identity_id })
  acsSystems.forEach((system, i) => assertMatchesSchema('acs_system', system, `listAcsSystems[${i}]`))
  assert.deepEqual(acsSystems, [])
  await apiError(() => seam.userIdentities.addAcsUser({ user_identity_id: jane.user_identity_id, acs_user_id: randomUUID() }),
    'acs_user_not_found', 404)
  await apiError(() => seam.userIdentities.removeAcsUser({ user_identity_id: jane.user_identity_id, acs_user_id: randomUUID() }),
    'acs_user_not_found', 404)
})

test('device access: grants are idempotent and listAccessibleDevices returns full device objects', async () => {
  let devices = []
  try {
    devices = await seam.devices.list()
  } catch (error) {
    // Without device-gateway on the platform there are no devices to grant.
    if (!(error instanceof SeamHttpApiError) || error.code !== 'endpoint_not_found') throw error
  }
  await apiError(() => seam.userIdentities.grantAccessToDevice({ user_identity_id: jane.user_identity_id, device_id: randomUUID() }),
    'device_not_found', 404)
  if (devices.length > 0) {
    // devices.list has shown the device, so identity-service knows it.
    const device = devices[0]
    await seam.userIdentities.grantAccessToDevice({ user_identity_id: jane.user_identity_id, device_id: device.device_id })
    await seam.userIdentities.grantAccessToDevice({ user_identity_id: jane.user_identity_id, device_id: device.device_id })
  }
  const response = await seam.userIdentities.listAccessibleDevices({ user_identity_id: jane.user_identity_id }).fetchResponse()
  response.devices.forEach((device, i) => assertMatchesSchema('device', device, `listAccessibleDevices[${i}]`))
  assert.deepEqual(response.accessible_devices, response.devices)
  assert.deepEqual(response.devices.map((d) => d.device_id), devices.slice(0, 1).map((d) => d.device_id))
  for (const device of devices.slice(0, 1)) {
    await seam.userIdentities.revokeAccessToDevice({ user_identity_id: jane.user_identity_id, device_id: device.device_id })
    await seam.userIdentities.revokeAccessToDevice({ user_identity_id: jane.user_identity_id, device_id: device.device_id })
    assert.deepEqual(await seam.userIdentities.listAccessibleDevices({ user_identity_id: jane.user_identity_id }), [])
  }
})

test('userIdentities.delete is refused while the identity has an active phone, and succeeds once it is deactivated', async () => {
  const phone = await seam.phones.simulate.createSandboxPhone({ user_identity_id: jane.user_identity_id })
  // identity-service knows the new phone at once.
  const refused = await apiError(() => seam.userIdentities.delete({ user_identity_id: jane.user_identity_id }),
    'user_identity_in_use', 409)
  assert.ok(refused.message.includes(phone.device_id), `the refusal names the phone: ${refused.message}`)

  await seam.phones.deactivate({ device_id: phone.device_id })
  // ... and that it was deactivated.
  assert.equal(await seam.userIdentities.delete({ user_identity_id: jane.user_identity_id }), undefined)
  await apiError(() => seam.userIdentities.get({ user_identity_id: jane.user_identity_id }), 'user_identity_not_found', 404)
})
