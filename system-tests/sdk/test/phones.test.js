// Every /phones endpoint through the official SDK, in the order an app would use them:
// register (sandbox), read, list, deactivate (lost phone), and read again.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { SeamHttpApiError, SeamHttpInvalidInputError, SeamHttpUnauthorizedError } from '@seamapi/http'

import { TIMESTAMP, listAllPhones, newUserIdentityId, randomUUID, rejection, seamClient } from '../lib/env.js'
import { assertMatchesSchema } from '../lib/schemas.js'

const seam = seamClient()
let workspaceId
let owner
let otherOwner
let iosPhone
let androidPhone
let otherOwnersPhone

function assertPhone(phone, context) {
  assertMatchesSchema('phone', phone, context)
  assert.equal(phone.workspace_id, workspaceId, `${context}: workspace_id`)
  assert.match(phone.created_at, TIMESTAMP, `${context}: created_at is ISO-8601 UTC with milliseconds`)
  return phone
}

const ids = (phones) => phones.map((phone) => phone.device_id).sort()

test('setup: the sandbox workspace and two user identities', async () => {
  const workspace = await seam.workspaces.get()
  workspaceId = workspace.workspace_id
  owner = await newUserIdentityId(seam)
  otherOwner = await newUserIdentityId(seam)
})

test('phones.simulate.createSandboxPhone registers an iOS phone with the metadata given', async () => {
  const installationId = `install-${randomUUID()}`
  iosPhone = await seam.phones.simulate.createSandboxPhone({
    user_identity_id: owner,
    custom_sdk_installation_id: installationId,
    phone_metadata: {
      operating_system: 'ios',
      os_version: '17.4',
      device_manufacturer: 'Apple',
      device_model: 'iPhone 15 Pro',
    },
    assa_abloy_metadata: {
      application_version: '1.0.0',
      ble_capability: true,
      hce_capability: false,
      nfc_capability: true,
      seos_applet_version: '1.0',
      seos_tsm_endpoint_id: 1,
    },
  })
  assertPhone(iosPhone, 'createSandboxPhone (ios)')
  assert.equal(iosPhone.device_type, 'ios_phone')
  assert.equal(typeof iosPhone.display_name, 'string')
  assert.ok(iosPhone.display_name.length > 0, 'display_name is not empty')
  assert.deepEqual(iosPhone.errors, [])
  assert.deepEqual(iosPhone.warnings, [])
})

test('phones.simulate.createSandboxPhone with only the user identity registers an Android phone', async () => {
  androidPhone = await seam.phones.simulate.createSandboxPhone({ user_identity_id: owner })
  assertPhone(androidPhone, 'createSandboxPhone (defaults)')
  assert.equal(androidPhone.device_type, 'android_phone')
  assert.notEqual(androidPhone.device_id, iosPhone.device_id)

  otherOwnersPhone = await seam.phones.simulate.createSandboxPhone({ user_identity_id: otherOwner })
  assertPhone(otherOwnersPhone, 'createSandboxPhone (other owner)')
})

test('phones.get returns the phone as it was created', async () => {
  const phone = await seam.phones.get({ device_id: iosPhone.device_id })
  assertPhone(phone, 'phones.get')
  assert.deepEqual(phone, iosPhone)
})

test('phones.list with owner_user_identity_id returns exactly that identity\'s phones', async () => {
  const phones = await seam.phones.list({ owner_user_identity_id: owner })
  phones.forEach((phone, i) => assertPhone(phone, `phones.list[${i}]`))
  assert.deepEqual(ids(phones), ids([iosPhone, androidPhone]))
  assert.deepEqual(phones.find((p) => p.device_id === iosPhone.device_id), iosPhone)

  const others = await seam.phones.list({ owner_user_identity_id: otherOwner })
  assert.deepEqual(ids(others), [otherOwnersPhone.device_id])
})

test('phones.list without filters includes every phone of the workspace', async () => {
  const firstPage = await seam.phones.list()
  firstPage.forEach((phone, i) => assertPhone(phone, `phones.list()[${i}]`))
  const phones = await listAllPhones(seam)
  assert.equal(new Set(ids(phones)).size, phones.length, 'no phone appears on two pages')
  const listed = new Set(ids(phones))
  for (const phone of [iosPhone, androidPhone, otherOwnersPhone]) {
    assert.ok(listed.has(phone.device_id), `phones.list() includes ${phone.device_id}`)
  }
})

test('phones.list with the acs_credential_id of an unknown credential is empty', async () => {
  const phones = await seam.phones.list({ acs_credential_id: randomUUID() })
  assert.deepEqual(phones, [])
})

test('phones.list pages with limit and page_cursor, and answers a pagination object', async () => {
  const first = await seam.phones.list({ owner_user_identity_id: owner, limit: 1 }).fetchResponse()
  assert.equal(first.ok, true)
  assert.equal(first.phones.length, 1)
  assertPhone(first.phones[0], 'page 1')
  assertMatchesSchema('pagination', first.pagination, 'page 1 pagination')
  assert.equal(first.pagination.has_next_page, true)
  assert.equal(typeof first.pagination.next_page_cursor, 'string')
  assert.equal(typeof first.pagination.next_page_url, 'string')

  const second = await seam.phones
    .list({ owner_user_identity_id: owner, limit: 1, page_cursor: first.pagination.next_page_cursor })
    .fetchResponse()
  assert.equal(second.phones.length, 1)
  assertPhone(second.phones[0], 'page 2')
  assertMatchesSchema('pagination', second.pagination, 'page 2 pagination')
  assert.deepEqual(second.pagination, { has_next_page: false, next_page_cursor: null, next_page_url: null })
  assert.deepEqual(ids([...first.phones, ...second.phones]), ids([iosPhone, androidPhone]))

  // next_page_url is the same query with the cursor, on the URL the client used.
  const url = new URL(first.pagination.next_page_url)
  assert.equal(url.origin, new URL(process.env.LOCKSTEP_ENDPOINT).origin, `next_page_url ${url} is on the endpoint's origin`)
  assert.equal(url.pathname, '/phones/list')
  const viaUrl = await fetch(url, { headers: { Authorization: `Bearer ${process.env.LOCKSTEP_API_KEY}` } })
  assert.equal(viaUrl.status, 200)
  assert.deepEqual(ids((await viaUrl.json()).phones), ids(second.phones))
})

test('phones.deactivate (DELETE) deactivates the phone, and again succeeds: it is idempotent', async () => {
  assert.equal(await seam.phones.deactivate({ device_id: iosPhone.device_id }), undefined)
  assert.equal(await seam.phones.deactivate({ device_id: iosPhone.device_id }), undefined)
})

test('phones.get of a deactivated phone throws SeamHttpApiError phone_not_found with a request id', async () => {
  const error = await rejection(() => seam.phones.get({ device_id: iosPhone.device_id }), SeamHttpApiError)
  assert.ok(!(error instanceof SeamHttpInvalidInputError))
  assert.ok(!(error instanceof SeamHttpUnauthorizedError))
  assert.equal(error.code, 'phone_not_found')
  assert.equal(error.statusCode, 404)
  assert.equal(typeof error.requestId, 'string')
  assert.ok(error.requestId.length > 0, 'requestId (the seam-request-id header) is set')
  assert.equal(typeof error.message, 'string')
  assert.ok(error.message.length > 0)
})

test('a deactivated phone leaves the lists; the user\'s other phone stays', async () => {
  const phones = await seam.phones.list({ owner_user_identity_id: owner })
  assert.deepEqual(ids(phones), [androidPhone.device_id])
  assert.ok(!ids(await listAllPhones(seam)).includes(iosPhone.device_id))
  assert.deepEqual(await seam.phones.get({ device_id: androidPhone.device_id }), androidPhone)
})

test('phones.get and phones.deactivate of an unknown phone throw phone_not_found', async () => {
  const unknown = randomUUID()
  const get = await rejection(() => seam.phones.get({ device_id: unknown }), SeamHttpApiError)
  assert.equal(get.code, 'phone_not_found')
  const deactivate = await rejection(() => seam.phones.deactivate({ device_id: unknown }), SeamHttpApiError)
  assert.equal(deactivate.code, 'phone_not_found')
  assert.equal(deactivate.statusCode, 404)
  assert.ok(deactivate.requestId.length > 0)
})
